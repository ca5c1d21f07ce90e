#include "io/source_walk.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "io/detect.hpp"
#include "io/ewf_verify.hpp"
#include "io/host_file.hpp"
#include "io/tsk_image.hpp"
#include "io/unit_filter.hpp"

namespace trawl::io {
namespace {

/// Standard input as a one-shot stream.
class StdinStream final : public ByteStream {
 public:
  Result<size_t> read(std::span<std::byte> buffer) override {
    for (;;) {
      const ssize_t n = ::read(0, buffer.data(), buffer.size());
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return make_error(Errc::io, errno_text("read"));
    }
  }
};

void add_stat_times(ItemInfo& info, const struct stat& st) {
  info.times.push_back(Timestamp{"mtime", st.st_mtim.tv_sec, static_cast<uint32_t>(st.st_mtim.tv_nsec)});
  info.times.push_back(Timestamp{"atime", st.st_atim.tv_sec, static_cast<uint32_t>(st.st_atim.tv_nsec)});
  info.times.push_back(Timestamp{"ctime", st.st_ctim.tv_sec, static_cast<uint32_t>(st.st_ctim.tv_nsec)});
  info.times_from = "host stat";
}

/// `named` is true for a source the user named: a block device is then
/// evidence to read, while inside a tree it is only reported.
Item host_item(const std::string& source, const std::string& path, const struct stat& st, bool named = false) {
  Item item;
  item.info.source = source;
  item.info.path = path;
  item.info.host_path = path;
  if (S_ISREG(st.st_mode) || (named && S_ISBLK(st.st_mode))) {
    if (S_ISREG(st.st_mode)) item.info.size = static_cast<uint64_t>(st.st_size);
  } else if (S_ISLNK(st.st_mode)) {
    item.info.kind = ItemKind::symlink;
    item.info.has_content = false;
    std::string target(4096, '\0');
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n >= 0) item.info.link_target = target.substr(0, static_cast<size_t>(n));
  } else {
    item.info.kind = ItemKind::special;
    item.info.has_content = false;
  }
  add_stat_times(item.info, st);
  item.open = [path]() -> Result<std::unique_ptr<ByteStream>> {
    auto f = HostFileStream::open(path);
    if (!f) return f.error();
    return std::unique_ptr<ByteStream>(std::move(*f));
  };
  return item;
}

void walk_directory(const std::string& source, const WalkOptions& options, WalkVisitor& visitor) {
  (void)options;
  // An explicit stack: trees can be deeper than the call stack is safe for.
  std::vector<std::string> pending{source};
  while (!pending.empty() && !visitor.stopped()) {
    const std::string dir = pending.back();
    pending.pop_back();
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      visitor.error(WalkError{source, dir, make_error(Errc::io, errno_text("open directory")), std::nullopt});
      continue;
    }
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    std::vector<std::string> subdirs;
    const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
    for (const auto& name : names) {
      const std::string path = base + name;
      struct stat st {};
      if (::lstat(path.c_str(), &st) != 0) {
        visitor.error(WalkError{source, path, make_error(Errc::io, errno_text("stat")), std::nullopt});
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        subdirs.push_back(path);
        continue;
      }
      if (!visitor.item(host_item(source, path, st))) return;
    }
    // Visit subdirectories in name order: push them in reverse.
    for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) pending.push_back(*it);
  }
}

}  // namespace

Result<std::string> read_head(const std::string& path) {
  auto f = HostFileStream::open(path);
  if (!f) return f.error();
  std::string head(kDetectHeadBytes, '\0');
  auto n = read_full_at(**f, 0, std::as_writable_bytes(std::span(head)));
  if (!n) return n.error();
  head.resize(*n);
  return head;
}

void walk_host_image(const std::string& source, const std::string& image_path, const std::string& display_prefix,
                     const WalkOptions& options, WalkVisitor& visitor) {
  if (!image_is_recognised(image_path)) return;
  if (options.verify_image) visitor.image_check(check_image(image_path, source));
  auto status = walk_image(source, image_path, display_prefix, options, visitor);
  if (!status) visitor.error(WalkError{source, display_prefix, status.error(), std::nullopt});
}

namespace {

void walk_whole_source(const std::string& source, const WalkOptions& options, WalkVisitor& visitor);

}  // namespace

void walk_source(const std::string& source, const WalkOptions& options, WalkVisitor& visitor) {
  if (!options.unit) return walk_whole_source(source, options, visitor);
  UnitFilter filter(*options.unit, visitor);
  walk_whole_source(source, options, filter);
}

namespace {

void walk_whole_source(const std::string& source, const WalkOptions& options, WalkVisitor& visitor) {
  // Checking the media reads all of it: only the first unit of a source does it.
  const bool verify = options.verify_image && (!options.unit || options.unit->head);
  if (source == "-") {
    Item item;
    item.info.source = "-";
    item.info.path = "-";
    item.open = []() -> Result<std::unique_ptr<ByteStream>> { return std::unique_ptr<ByteStream>(new StdinStream()); };
    visitor.item(std::move(item));
    return;
  }
  struct stat st {};
  // The user named this source: follow a symbolic link here (like find -H).
  if (::stat(source.c_str(), &st) != 0) {
    visitor.error(WalkError{source, "", make_error(errno == ENOENT ? Errc::not_found : Errc::io, errno_text("stat")), std::nullopt});
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    walk_directory(source, options, visitor);
    return;
  }
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    visitor.error(WalkError{source, "", make_error(Errc::invalid_argument, "not a file, directory or block device"), std::nullopt});
    return;
  }
  auto head = read_head(source);
  if (!head) {
    visitor.error(WalkError{source, "", head.error(), std::nullopt});
    return;
  }
  const ContentKind kind = detect_content(*head);
  if (kind == ContentKind::ewf || kind == ContentKind::volume || kind == ContentKind::filesystem) {
    // A disk image given by name is the evidence itself: walk it. If libtsk
    // cannot make sense of it, it is still a file worth looking at.
    if (verify) visitor.image_check(check_image(source, source));
    auto status = walk_image(source, source, source, options, visitor);
    if (status) return;
    visitor.error(WalkError{source, "", status.error(), std::nullopt});
  }
  visitor.item(host_item(source, source, st, true));
}

}  // namespace

}  // namespace trawl::io
