#include "hash/index_build.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "hash/external_sort.hpp"
#include "hash/index_format.hpp"

namespace trawl::hash {

namespace fmt_ = index_format;

namespace {

Error io_error(const std::string& what) { return make_error(Errc::io, what + ": " + std::strerror(errno)); }

/// Where the finished index goes: a file (pwrite) or a buffer.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status reserve(uint64_t size) = 0;
  virtual Status write_at(uint64_t offset, std::span<const uint8_t> bytes) = 0;
};

class MemorySink final : public Sink {
 public:
  Status reserve(uint64_t size) override {
    bytes.assign(size, 0);
    return ok_status();
  }
  Status write_at(uint64_t offset, std::span<const uint8_t> data) override {
    if (offset > bytes.size() || data.size() > bytes.size() - offset) return make_error(Errc::internal, "index layout overflow");
    if (!data.empty()) std::memcpy(bytes.data() + offset, data.data(), data.size());
    return ok_status();
  }
  std::vector<uint8_t> bytes;
};

class FileSink final : public Sink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  Status reserve(uint64_t size) override {
    size_ = size;
    if (ftruncate(fd_, static_cast<off_t>(size)) != 0) return io_error("cannot size the index");
    return ok_status();
  }
  Status write_at(uint64_t offset, std::span<const uint8_t> data) override {
    if (offset > size_ || data.size() > size_ - offset) return make_error(Errc::internal, "index layout overflow");
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return io_error("cannot write the index");
      done += static_cast<size_t>(n);
    }
    return ok_status();
  }

 private:
  int fd_;
  uint64_t size_ = 0;
};

/// Sequential writes into one section through a buffer.
class SectionWriter {
 public:
  SectionWriter(Sink& sink, uint64_t offset, uint64_t length) : sink_(sink), offset_(offset) {
    buffer_.reserve(static_cast<size_t>(std::min<uint64_t>(kBuffer, length)));
  }
  Status put(std::span<const uint8_t> bytes) {
    if (buffer_.size() + bytes.size() > kBuffer)
      if (auto s = flush(); !s) return s;
    if (bytes.size() >= kBuffer) {
      if (auto s = sink_.write_at(offset_, bytes); !s) return s;
      offset_ += bytes.size();
      return ok_status();
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    return ok_status();
  }
  Status flush() {
    if (buffer_.empty()) return ok_status();
    auto s = sink_.write_at(offset_, buffer_);
    offset_ += buffer_.size();
    buffer_.clear();
    return s;
  }

 private:
  static constexpr size_t kBuffer = 1 << 20;
  Sink& sink_;
  uint64_t offset_;
  std::vector<uint8_t> buffer_;
};

/// Bytes kept in memory up to 1 MiB, then in a temporary file.
class SpillBuffer {
 public:
  explicit SpillBuffer(const std::string& temp_dir) : temp_dir_(temp_dir) {}
  Status write(std::span<const uint8_t> bytes) {
    size_ += bytes.size();
    if (!file_) {
      memory_.insert(memory_.end(), bytes.begin(), bytes.end());
      if (memory_.size() < kMemory) return ok_status();
      auto f = TempFile::create(temp_dir_);
      if (!f) return f.error();
      file_ = std::move(*f);
      auto s = file_->write(memory_);
      std::vector<uint8_t>().swap(memory_);
      return s;
    }
    return file_->write(bytes);
  }
  uint64_t size() const { return size_; }
  Status copy_to(SectionWriter& to) {
    if (!file_) {
      if (auto s = to.put(memory_); !s) return s;
      return to.flush();
    }
    if (auto s = file_->rewind(256 << 10); !s) return s;
    std::vector<uint8_t> chunk(256 << 10);
    uint64_t left = file_->size();
    while (left > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
      auto got = file_->read({chunk.data(), n});
      if (!got) return got.error();
      if (!*got) return make_error(Errc::internal, "temporary file shorter than written");
      if (auto s = to.put({chunk.data(), n}); !s) return s;
      left -= n;
    }
    return to.flush();
  }

 private:
  static constexpr size_t kMemory = 1 << 20;
  const std::string& temp_dir_;
  std::vector<uint8_t> memory_;
  std::unique_ptr<TempFile> file_;
  uint64_t size_ = 0;
};

uint64_t provenance_hash(std::span<const uint8_t> blob) {
  if (blob.empty()) return 0;
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, then a final mix
  for (uint8_t b : blob) h = (h ^ b) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h | 1;  // never 0: 0 is "no provenance", which sorts first
}

Provenance provenance_of(const KnownEntry& e) {
  return Provenance{e.name, e.category, e.product, e.media_id, e.series, e.victim_identified, e.is_distributed};
}

/// Appends the entry's digests in algorithm order; returns the flags byte.
uint8_t append_digests(const KnownEntry& e, std::string& out) {
  uint8_t flags = 0;
  auto add = [&](const auto& d, uint8_t bit) {
    if (!d) return;
    flags |= bit;
    out.append(reinterpret_cast<const char*>(d->data()), d->size());
  };
  add(e.md5, fmt_::kHasMd5);
  add(e.sha1, fmt_::kHasSha1);
  add(e.sha256, fmt_::kHasSha256);
  add(e.sha512, fmt_::kHasSha512);
  return flags;
}

Result<BuildStats> build(const EntryStream& stream, const BuildOptions& options, Sink& sink) {
  BuildStats stats;
  stats.meta = options.meta;
  const std::string temp_dir = temp_dir_or_default(options.temp_dir);
  const uint64_t budget = std::max<uint64_t>(options.memory_budget, 64 << 10);
  MemoryPool entry_pool{budget / 2, 0};
  MemoryPool digest_pool{budget / 2, 0};

  // 1. Entries: [provenance hash u64 BE][flags][digests][provenance blob].
  ExternalSorter entries(temp_dir, entry_pool);
  {
    std::optional<Error> failure;
    std::string record, blob;
    auto visit = [&](const KnownEntry& e) {
      record.assign(9, '\0');
      const uint8_t flags = append_digests(e, record);
      if (flags == 0) {
        ++stats.skipped;
        return true;
      }
      blob.clear();
      fmt_::encode_provenance(provenance_of(e), blob);
      const uint64_t h = provenance_hash({reinterpret_cast<const uint8_t*>(blob.data()), blob.size()});
      for (int i = 0; i < 8; ++i) record[i] = static_cast<char>(h >> (56 - 8 * i));
      record[8] = static_cast<char>(flags);
      record += blob;
      ++stats.entries_read;
      if (auto s = entries.add({reinterpret_cast<const uint8_t*>(record.data()), record.size()}); !s) {
        failure = s.error();
        return false;
      }
      return true;
    };
    auto s = stream(visit, stats.meta);
    if (failure) return *failure;
    if (!s) return s.error();
  }

  std::optional<ExternalSorter> digests[4];
  for (auto& d : digests) d.emplace(temp_dir, digest_pool);
  SpillBuffer flags_file(temp_dir), provenance_ids_file(temp_dir), offsets_file(temp_dir), strings_file(temp_dir);
  uint64_t count = 0, provenances = 0, strings_size = 0;
  uint8_t common_flags = 0;
  bool mixed_flags = false, any_provenance = false;
  {
    std::vector<uint8_t> previous;
    bool have_previous = false;
    uint64_t group_hash = 0;
    std::vector<std::pair<std::vector<uint8_t>, uint32_t>> group;  // blobs sharing group_hash (collisions only)
    std::vector<uint8_t> pair;
    auto s = entries.drain([&](std::span<const uint8_t> r) -> Status {
      if (have_previous && previous.size() == r.size() && std::equal(r.begin(), r.end(), previous.begin())) return ok_status();
      previous.assign(r.begin(), r.end());
      have_previous = true;
      if (count >= fmt_::kMaxEntries) return make_error(Errc::resource_exhausted, "more than 4294967294 distinct entries");
      const auto id = static_cast<uint32_t>(count++);
      const uint8_t flags = r[8];
      if (id == 0) common_flags = flags;
      mixed_flags |= flags != common_flags;
      if (auto w = flags_file.write({&flags, 1}); !w) return w;
      size_t at = 9;
      uint8_t id_be[4] = {static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16), static_cast<uint8_t>(id >> 8),
                          static_cast<uint8_t>(id)};
      for (Algorithm a : fmt_::kAlgorithms) {
        if ((flags & fmt_::algorithm_bit(a)) == 0) continue;
        const size_t w = fmt_::width(a);
        pair.assign(r.begin() + static_cast<ptrdiff_t>(at), r.begin() + static_cast<ptrdiff_t>(at + w));
        pair.insert(pair.end(), id_be, id_be + 4);
        if (auto st = digests[static_cast<int>(a)]->add(pair); !st) return st;
        at += w;
      }
      const auto blob = r.subspan(at);
      any_provenance |= !blob.empty();
      uint64_t h = 0;
      for (int i = 0; i < 8; ++i) h = h << 8 | r[i];
      if (provenances == 0 || h != group_hash) {
        group.clear();
        group_hash = h;
      }
      uint32_t provenance = 0;
      auto found = std::find_if(group.begin(), group.end(),
                                [&](const auto& g) { return std::equal(blob.begin(), blob.end(), g.first.begin(), g.first.end()); });
      if (found != group.end()) {
        provenance = found->second;
      } else {
        provenance = static_cast<uint32_t>(provenances++);
        group.emplace_back(std::vector<uint8_t>(blob.begin(), blob.end()), provenance);
        uint8_t offset[8];
        fmt_::put_u64(offset, strings_size);
        if (auto w = offsets_file.write(offset); !w) return w;
        if (auto w = strings_file.write(blob); !w) return w;
        strings_size += blob.size();
      }
      uint8_t le[4];
      fmt_::put_u32(le, provenance);
      return provenance_ids_file.write(le);
    });
    if (!s) return s.error();
    stats.runs_spilled += entries.runs_spilled();
  }
  stats.meta.entries = count;

  // Layout.
  int algorithms = 0;
  for (auto& d : digests) algorithms += d->records() > 0;
  const bool with_ids = algorithms > 1 || any_provenance;
  fmt_::Header header;
  header.entries = count;
  header.common_digests = mixed_flags ? 0 : common_flags;
  header.flags = (with_ids ? fmt_::kFlagEntryIds : 0) | (mixed_flags ? fmt_::kFlagEntryFlags : 0) |
                 (any_provenance ? fmt_::kFlagProvenance : 0);
  const std::vector<uint8_t> meta = fmt_::encode_meta(stats.meta);
  auto& sections = header.sections;
  sections.push_back({fmt_::SectionKind::meta, 0, 0, meta.size(), 0});
  for (Algorithm a : fmt_::kAlgorithms) {
    const uint64_t n = digests[static_cast<int>(a)]->records();
    if (n == 0) continue;
    const unsigned bits = fmt_::prefix_bits_for(n);
    const auto param = static_cast<uint32_t>(a);
    sections.push_back({fmt_::SectionKind::prefix, param, 0, ((uint64_t{1} << bits) + 1) * 4, bits});
    sections.push_back({fmt_::SectionKind::digests, param, 0, n * fmt_::width(a), n});
    if (with_ids) sections.push_back({fmt_::SectionKind::entry_ids, param, 0, n * 4, n});
  }
  if (mixed_flags) sections.push_back({fmt_::SectionKind::entry_flags, 0, 0, count, count});
  if (any_provenance) {
    sections.push_back({fmt_::SectionKind::provenance_ids, 0, 0, count * 4, count});
    sections.push_back({fmt_::SectionKind::provenance_offsets, 0, 0, (provenances + 1) * 8, provenances});
    sections.push_back({fmt_::SectionKind::strings, 0, 0, strings_size, 0});
  }
  uint64_t end = fmt_::header_bytes(sections.size());
  for (auto& s : sections) {
    s.offset = fmt_::align_up(end);
    end = s.offset + s.length;
  }
  header.file_size = end;
  stats.file_size = end;
  if (auto s = sink.reserve(end); !s) return s.error();
  auto section = [&](fmt_::SectionKind kind, uint32_t param) -> const fmt_::Section& {
    for (const auto& s : sections)
      if (s.kind == kind && s.param == param) return s;
    return sections.front();  // unreachable: every caller asks for a section laid out above
  };
  if (auto s = sink.write_at(section(fmt_::SectionKind::meta, 0).offset, meta); !s) return s.error();

  // 2. Per algorithm: sorted digests, their entry ids, the prefix table.
  for (Algorithm a : fmt_::kAlgorithms) {
    auto& sorter = *digests[static_cast<int>(a)];
    const uint64_t n = sorter.records();
    if (n == 0) continue;
    const auto param = static_cast<uint32_t>(a);
    const size_t w = fmt_::width(a);
    const unsigned bits = fmt_::prefix_bits_for(n);
    std::vector<uint32_t> starts((size_t{1} << bits) + 1, 0);
    const auto& digests_at = section(fmt_::SectionKind::digests, param);
    SectionWriter digest_out(sink, digests_at.offset, digests_at.length);
    std::optional<SectionWriter> id_out;
    if (with_ids) id_out.emplace(sink, section(fmt_::SectionKind::entry_ids, param).offset, n * 4);
    uint64_t written = 0;
    auto s = sorter.drain([&](std::span<const uint8_t> r) -> Status {
      const uint32_t top = static_cast<uint32_t>(r[0]) << 24 | r[1] << 16 | r[2] << 8 | r[3];
      ++starts[(top >> (32 - bits)) + 1];
      ++written;
      if (auto st = digest_out.put(r.first(w)); !st) return st;
      if (!id_out) return ok_status();
      const uint32_t id = static_cast<uint32_t>(r[w]) << 24 | r[w + 1] << 16 | r[w + 2] << 8 | r[w + 3];
      uint8_t le[4];
      fmt_::put_u32(le, id);
      return id_out->put(le);
    });
    if (!s) return s.error();
    stats.runs_spilled += sorter.runs_spilled();
    if (written != n) return make_error(Errc::internal, "digest count changed while sorting");
    if (auto st = digest_out.flush(); !st) return st.error();
    if (id_out)
      if (auto st = id_out->flush(); !st) return st.error();
    for (size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
    std::vector<uint8_t> table(starts.size() * 4);
    for (size_t i = 0; i < starts.size(); ++i) fmt_::put_u32(&table[i * 4], starts[i]);
    if (auto st = sink.write_at(section(fmt_::SectionKind::prefix, param).offset, table); !st) return st.error();
  }

  // Entries: flags, provenance.
  if (mixed_flags) {
    const auto& at = section(fmt_::SectionKind::entry_flags, 0);
    SectionWriter out(sink, at.offset, at.length);
    if (auto s = flags_file.copy_to(out); !s) return s.error();
  }
  if (any_provenance) {
    const auto& ids_at = section(fmt_::SectionKind::provenance_ids, 0);
    SectionWriter ids(sink, ids_at.offset, ids_at.length);
    if (auto s = provenance_ids_file.copy_to(ids); !s) return s.error();
    uint8_t last[8];
    fmt_::put_u64(last, strings_size);
    if (auto s = offsets_file.write(last); !s) return s.error();
    const auto& offsets_at = section(fmt_::SectionKind::provenance_offsets, 0);
    SectionWriter offsets(sink, offsets_at.offset, offsets_at.length);
    if (auto s = offsets_file.copy_to(offsets); !s) return s.error();
    const auto& strings_at = section(fmt_::SectionKind::strings, 0);
    SectionWriter strings(sink, strings_at.offset, strings_at.length);
    if (auto s = strings_file.copy_to(strings); !s) return s.error();
  }
  if (auto s = sink.write_at(0, fmt_::encode_header(header)); !s) return s.error();
  return stats;
}

}  // namespace

Result<std::vector<uint8_t>> build_index_bytes(const EntryStream& entries, const BuildOptions& options, BuildStats* stats) {
  MemorySink sink;
  auto built = build(entries, options, sink);
  if (!built) return built.error();
  if (stats != nullptr) *stats = std::move(*built);
  return std::move(sink.bytes);
}

Result<BuildStats> build_index_from(const EntryStream& entries, const std::string& output, const BuildOptions& options) {
  const std::string partial = output + ".partial";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create " + partial);
  FileSink sink(fd);
  auto built = build(entries, options, sink);
  const bool closed = ::close(fd) == 0;
  if (built && !closed) built = io_error("cannot write " + partial);
  if (built && std::rename(partial.c_str(), output.c_str()) != 0) built = io_error("cannot rename " + partial + " to " + output);
  if (!built) ::unlink(partial.c_str());
  return built;
}

}  // namespace trawl::hash
