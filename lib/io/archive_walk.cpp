#include "io/archive_walk.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "io/read_buffer.hpp"

namespace trawl::io {
namespace {

constexpr size_t kReadBlock = 256 * 1024;

/// libarchive pulls bytes through these callbacks from our ByteStream.
struct Source {
  ByteStream* stream = nullptr;
  ReadBuffer buffer;
  uint64_t position = 0;       // for seekable streams
  uint64_t consumed = 0;       // compressed bytes libarchive has read
  std::string last_error;
};

la_ssize_t on_read(struct archive*, void* data, const void** out) {
  auto& src = *static_cast<Source*>(data);
  Result<size_t> n = src.stream->seekable() ? src.stream->read_at(src.position, src.buffer.span()) : src.stream->read(src.buffer.span());
  if (!n) {
    src.last_error = n.error().detail;
    return -1;
  }
  src.position += *n;
  // A seekable archive is read partly twice (libarchive seeks to the zip central directory, then back): count
  // the furthest byte reached, not the bytes handed over, or a bomb's ratio looks half as large as it is.
  src.consumed = src.stream->seekable() ? std::max(src.consumed, src.position) : src.consumed + *n;
  *out = src.buffer.data();
  return static_cast<la_ssize_t>(*n);
}

la_int64_t on_seek(struct archive*, void* data, la_int64_t offset, int whence) {
  auto& src = *static_cast<Source*>(data);
  const auto size = src.stream->size();
  la_int64_t base = 0;
  if (whence == SEEK_CUR) base = static_cast<la_int64_t>(src.position);
  if (whence == SEEK_END) {
    if (!size) return ARCHIVE_FATAL;
    base = static_cast<la_int64_t>(*size);
  }
  const la_int64_t target = base + offset;
  if (target < 0) return ARCHIVE_FATAL;
  src.position = static_cast<uint64_t>(target);
  return target;
}

la_int64_t on_skip(struct archive* a, void* data, la_int64_t request) {
  auto& src = *static_cast<Source*>(data);
  if (!src.stream->seekable()) return 0;  // libarchive then reads and discards
  (void)a;
  const auto size = src.stream->size();
  uint64_t n = static_cast<uint64_t>(request);
  if (size && src.position + n > *size) n = *size > src.position ? *size - src.position : 0;
  src.position += n;
  return static_cast<la_int64_t>(n);
}

std::string archive_error_text(struct archive* a, const Source& src) {
  std::string text;
  if (const char* e = archive_error_string(a)) text = e;
  if (!src.last_error.empty()) text += (text.empty() ? "" : ": ") + src.last_error;
  return text.empty() ? "unknown libarchive error" : text;
}

/// Name of the single member of a bare compressed stream: the parent's name
/// without its compression suffix.
std::string raw_member_name(const ItemInfo& parent) {
  std::string base = parent.path.substr(parent.path.find_last_of("/!") == std::string::npos ? 0 : parent.path.find_last_of("/!") + 1);
  for (const char* suffix : {".gz", ".tgz", ".bz2", ".xz", ".zst", ".lzma", ".Z"}) {
    const std::string s = suffix;
    if (base.size() > s.size() && base.compare(base.size() - s.size(), s.size(), s) == 0) {
      if (s == ".tgz") return base.substr(0, base.size() - s.size()) + ".tar";
      return base.substr(0, base.size() - s.size());
    }
  }
  return "data";
}

/// A member's bytes as libarchive decodes them, with the expansion limits
/// enforced on the way: a bomb stops producing bytes instead of filling RAM.
class MemberStream final : public ByteStream {
 public:
  MemberStream(struct archive* a, const Source& src, const Limits& limits, ArchiveBudget& budget, std::optional<uint64_t> size)
      : archive_(a), src_(src), limits_(limits), budget_(budget), size_(size) {}
  std::optional<uint64_t> size() const override { return size_; }

  Result<size_t> read(std::span<std::byte> buffer) override {
    if (failed_) return *failed_;
    const la_ssize_t n = archive_read_data(archive_, buffer.data(), buffer.size());
    if (n < 0) {
      failed_ = make_error(Errc::data_loss, "member data: " + archive_error_text(archive_, src_));
      fatal_ = n == ARCHIVE_FATAL;
      return *failed_;
    }
    const auto got = static_cast<uint64_t>(n);
    produced_ += got;
    budget_.expanded_bytes += got;
    if (produced_ > limits_.max_member_bytes) {
      return limit("member expands past --max-member-bytes (" + std::to_string(limits_.max_member_bytes) + ")");
    }
    if (budget_.expanded_bytes > limits_.max_archive_bytes) {
      return limit("archive expands past --max-archive-bytes (" + std::to_string(limits_.max_archive_bytes) + ")");
    }
    if (budget_.expanded_bytes > limits_.ratio_floor_bytes &&
        budget_.expanded_bytes / std::max<uint64_t>(src_.consumed, 1) > limits_.max_ratio) {
      return limit("expansion ratio above --max-ratio (" + std::to_string(limits_.max_ratio) + ":1)");
    }
    return static_cast<size_t>(n);
  }
  bool limit_hit() const { return limit_hit_; }
  bool fatal() const { return fatal_; }

 private:
  Result<size_t> limit(std::string why) {
    limit_hit_ = true;
    failed_ = make_error(Errc::resource_exhausted, std::move(why));
    return *failed_;
  }
  struct archive* archive_;
  const Source& src_;
  const Limits& limits_;
  ArchiveBudget& budget_;
  std::optional<uint64_t> size_;
  uint64_t produced_ = 0;
  std::optional<Error> failed_;
  bool limit_hit_ = false;
  bool fatal_ = false;
};

struct ArchiveCloser {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

void add_entry_times(ItemInfo& info, struct archive_entry* entry) {
  auto add = [&](const char* name, bool is_set, time_t s, long ns) {
    // Formats without a field (zip has no ctime) may still say "set" with 0.
    if (is_set && (s != 0 || ns > 0)) info.times.push_back(Timestamp{name, static_cast<int64_t>(s), static_cast<uint32_t>(ns < 0 ? 0 : ns)});
  };
  add("mtime", archive_entry_mtime_is_set(entry) != 0, archive_entry_mtime(entry), archive_entry_mtime_nsec(entry));
  add("atime", archive_entry_atime_is_set(entry) != 0, archive_entry_atime(entry), archive_entry_atime_nsec(entry));
  add("ctime", archive_entry_ctime_is_set(entry) != 0, archive_entry_ctime(entry), archive_entry_ctime_nsec(entry));
  add("crtime", archive_entry_birthtime_is_set(entry) != 0, archive_entry_birthtime(entry), archive_entry_birthtime_nsec(entry));
  if (!info.times.empty()) info.times_from = "archive header";
}

}  // namespace

Status walk_archive(ByteStream& stream, const ItemInfo& parent, const Limits& limits, ArchiveBudget& budget,
                    const MemberVisitor& on_member, const MemberError& on_error) {
  std::unique_ptr<struct archive, ArchiveCloser> a(archive_read_new());
  if (!a) return make_error(Errc::internal, "libarchive: out of memory");
  archive_read_support_filter_all(a.get());
  // Not format_all: mtree and warc bid on plain text, and a decompressed
  // README would then fail as a "corrupt archive" instead of being a member.
  archive_read_support_format_7zip(a.get());
  archive_read_support_format_ar(a.get());
  archive_read_support_format_cab(a.get());
  archive_read_support_format_cpio(a.get());
  archive_read_support_format_iso9660(a.get());
  archive_read_support_format_lha(a.get());
  archive_read_support_format_rar(a.get());
  archive_read_support_format_rar5(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_xar(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_raw(a.get());  // a bare .gz/.xz/... is one member
  // A compressed empty file (Debian ships .gz man pages of zero bytes) has no
  // bytes for the raw format to bid on: without this it is "unrecognized".
  archive_read_support_format_empty(a.get());
  Source src;
  src.stream = &stream;
  // A small archive (most .gz files on a disk) gets a buffer of its own size: a fresh 256 KiB buffer costs 64
  // page faults to fill, more than reading a few KiB does.
  const auto size = stream.size();
  src.buffer.grow(static_cast<size_t>(std::clamp<uint64_t>(size.value_or(kReadBlock), 4096, kReadBlock)));
  archive_read_set_read_callback(a.get(), on_read);
  archive_read_set_callback_data(a.get(), &src);
  if (stream.seekable()) {
    archive_read_set_seek_callback(a.get(), on_seek);
    archive_read_set_skip_callback(a.get(), on_skip);
  }
  if (archive_read_open1(a.get()) != ARCHIVE_OK) {
    return make_error(Errc::data_loss, "not a readable archive: " + archive_error_text(a.get(), src));
  }

  uint64_t entries = 0;
  int failures_in_a_row = 0;
  for (;;) {
    struct archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r == ARCHIVE_FATAL || (r == ARCHIVE_FAILED && ++failures_in_a_row > 1)) {
      on_error(parent.path, make_error(Errc::data_loss, "archive: " + archive_error_text(a.get(), src)));
      break;
    }
    if (r == ARCHIVE_FAILED) {
      on_error(parent.path, make_error(Errc::data_loss, "archive entry: " + archive_error_text(a.get(), src)));
      continue;
    }
    failures_in_a_row = 0;
    if (++entries > limits.max_entries) {
      on_error(parent.path, make_error(Errc::resource_exhausted,
                                       "more than --max-entries (" + std::to_string(limits.max_entries) + ") members"));
      break;
    }
    const bool raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
    const char* utf8 = archive_entry_pathname_utf8(entry);
    const char* native = archive_entry_pathname(entry);
    std::string name = raw ? raw_member_name(parent) : utf8 != nullptr ? utf8 : native != nullptr ? native : "";
    if (name.empty()) name = "data";

    ItemInfo info;
    info.source = parent.source;
    info.path = parent.path + "!/" + name;
    info.image = parent.image;
    info.partition = parent.partition;
    info.partition_offset = parent.partition_offset;
    info.fs_type = parent.fs_type;
    info.fs_path = parent.fs_path;
    info.inode = parent.inode;
    info.deleted = parent.deleted;
    info.host_path = parent.host_path;
    info.container_path = parent.container_path.empty() ? parent.path : parent.container_path;
    info.members = parent.members;
    info.members.push_back(name);
    info.depth = parent.depth + 1;
    if (!raw && archive_entry_size_is_set(entry)) info.size = static_cast<uint64_t>(archive_entry_size(entry));
    add_entry_times(info, entry);

    const mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) continue;
    if (type == AE_IFLNK) {
      info.kind = ItemKind::symlink;
      if (const char* target = archive_entry_symlink(entry)) info.link_target = target;
      MemoryStream empty{""};
      if (!on_member(info, empty)) break;
      continue;
    }
    if (type != AE_IFREG && type != 0) continue;  // devices, FIFOs, hard-link entries carry no data
    if (archive_entry_is_encrypted(entry)) {
      on_error(info.path, make_error(Errc::unimplemented, "encrypted member: not decrypted"));
      continue;
    }
    MemberStream data(a.get(), src, limits, budget, info.size);
    const bool go_on = on_member(info, data);
    if (data.limit_hit() || data.fatal() || !go_on) break;
  }
  return ok_status();
}

}  // namespace trawl::io
