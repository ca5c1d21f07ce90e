#include "hash/external_sort.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <queue>

namespace trawl::hash {

namespace {

constexpr size_t kFanIn = 64;

Error io_error(const std::string& what) { return make_error(Errc::io, what + ": " + std::strerror(errno)); }

uint64_t be64(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = v << 8 | (i < n ? p[i] : 0);
  return v;
}

int compare_bytes(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  const size_t n = std::min(a.size(), b.size());
  if (n > 0) {
    const int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

}  // namespace

std::string temp_dir_or_default(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* env = std::getenv("TMPDIR");
  return env != nullptr && *env != '\0' ? env : "/tmp";
}

// --- TempFile ---------------------------------------------------------------

TempFile::TempFile(std::FILE* file, size_t buffer_size) : file_(file), buffer_(new char[buffer_size]) {
  std::setvbuf(file_, buffer_.get(), _IOFBF, buffer_size);
}

TempFile::~TempFile() { std::fclose(file_); }

Result<std::unique_ptr<TempFile>> TempFile::create(const std::string& dir, size_t buffer_size) {
  std::string path = temp_dir_or_default(dir) + "/trawl-index-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return io_error("cannot create a temporary file in " + temp_dir_or_default(dir));
  unlink(path.c_str());  // nameless from now on: gone when closed, whatever happens
  std::FILE* file = fdopen(fd, "w+b");
  if (file == nullptr) {
    close(fd);
    return io_error("cannot open a temporary file");
  }
  return std::unique_ptr<TempFile>(new TempFile(file, buffer_size));
}

Status TempFile::write(std::span<const uint8_t> bytes) {
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    return io_error("cannot write a temporary file");
  size_ += bytes.size();
  return ok_status();
}

Status TempFile::rewind(size_t buffer_size) {
  if (std::fflush(file_) != 0) return io_error("cannot write a temporary file");
  // A new buffer may only be set before the first operation on the stream,
  // so reopen the same descriptor.
  const int fd = dup(fileno(file_));
  if (fd < 0) return io_error("cannot reopen a temporary file");
  std::fclose(file_);
  file_ = fdopen(fd, "rb");
  if (file_ == nullptr) {
    close(fd);
    file_ = std::tmpfile();  // keeps the destructor simple; never read
    return io_error("cannot reopen a temporary file");
  }
  if (lseek(fd, 0, SEEK_SET) != 0) return io_error("cannot rewind a temporary file");
  buffer_.reset(new char[buffer_size]);
  std::setvbuf(file_, buffer_.get(), _IOFBF, buffer_size);
  return ok_status();
}

Result<bool> TempFile::read(std::span<uint8_t> bytes) {
  const size_t n = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), file_);
  if (n == bytes.size()) return true;
  if (std::ferror(file_)) return io_error("cannot read a temporary file");
  if (n == 0) return false;
  return make_error(Errc::internal, "temporary file ends inside a record");
}

// --- ExternalSorter ---------------------------------------------------------

struct ExternalSorter::Key {
  uint64_t k0, k1;  ///< the first 16 bytes, big-endian, zero-padded
  uint64_t offset;  ///< of the record in bytes_
  uint32_t length;
};

ExternalSorter::ExternalSorter(std::string temp_dir, MemoryPool& pool) : temp_dir_(std::move(temp_dir)), pool_(pool) {}

ExternalSorter::~ExternalSorter() { release_memory(); }

uint64_t ExternalSorter::memory_used() const { return bytes_.size() + keys_.size() * sizeof(Key); }

void ExternalSorter::release_memory() {
  pool_.used -= std::min(pool_.used, counted_);
  counted_ = 0;
  std::vector<uint8_t>().swap(bytes_);
  std::vector<Key>().swap(keys_);
}

Status ExternalSorter::add(std::span<const uint8_t> record) {
  const size_t before = bytes_.size();
  const uint64_t cost = record.size() + sizeof(Key);
  bytes_.insert(bytes_.end(), record.begin(), record.end());
  Key key{be64(record.data(), record.size()), record.size() > 8 ? be64(record.data() + 8, record.size() - 8) : 0, before,
          static_cast<uint32_t>(record.size())};
  keys_.push_back(key);
  counted_ += cost;
  pool_.used += cost;
  ++records_;
  if (pool_.used > pool_.limit) return spill();
  return ok_status();
}

void ExternalSorter::sort_memory() {
  const uint8_t* base = bytes_.data();
  std::sort(keys_.begin(), keys_.end(), [base](const Key& a, const Key& b) {
    if (a.k0 != b.k0) return a.k0 < b.k0;
    if (a.k1 != b.k1) return a.k1 < b.k1;
    const size_t skip_a = std::min<size_t>(16, a.length), skip_b = std::min<size_t>(16, b.length);
    return compare_bytes({base + a.offset + skip_a, a.length - skip_a}, {base + b.offset + skip_b, b.length - skip_b}) < 0;
  });
}

Status ExternalSorter::spill() {
  if (keys_.empty()) return ok_status();
  sort_memory();
  auto file = TempFile::create(temp_dir_);
  if (!file) return file.error();
  for (const Key& k : keys_) {
    uint8_t length[4];
    for (int i = 0; i < 4; ++i) length[i] = static_cast<uint8_t>(k.length >> (8 * i));
    if (auto s = (*file)->write(length); !s) return s;
    if (auto s = (*file)->write({bytes_.data() + k.offset, k.length}); !s) return s;
  }
  runs_.push_back(std::move(*file));
  ++runs_spilled_;
  release_memory();
  return ok_status();
}

namespace {

struct Cursor {
  TempFile* file;
  std::vector<uint8_t> record;

  Result<bool> next() {
    uint8_t length[4];
    auto got = file->read(length);
    if (!got || !*got) return got;
    const uint32_t n = length[0] | length[1] << 8 | length[2] << 16 | static_cast<uint32_t>(length[3]) << 24;
    record.resize(n);
    got = file->read(record);
    if (got && !*got) return make_error(Errc::internal, "temporary file ends inside a record");
    return got;
  }
};

}  // namespace

Status ExternalSorter::merge(std::vector<std::unique_ptr<TempFile>> runs, const Visitor& visit) {
  // Read buffers share a quarter of the budget; never below 16 KiB each.
  const size_t buffer = std::clamp<uint64_t>(pool_.limit / 4 / (runs.size() + 1), 16 << 10, 4 << 20);
  std::vector<Cursor> cursors;
  cursors.reserve(runs.size());
  for (auto& run : runs) {
    if (auto s = run->rewind(buffer); !s) return s;
    cursors.push_back(Cursor{run.get(), {}});
  }
  auto greater = [&cursors](size_t a, size_t b) { return compare_bytes(cursors[a].record, cursors[b].record) > 0; };
  std::priority_queue<size_t, std::vector<size_t>, decltype(greater)> heap(greater);
  for (size_t i = 0; i < cursors.size(); ++i) {
    auto got = cursors[i].next();
    if (!got) return got.error();
    if (*got) heap.push(i);
  }
  while (!heap.empty()) {
    const size_t i = heap.top();
    heap.pop();
    if (auto s = visit(cursors[i].record); !s) return s;
    auto got = cursors[i].next();
    if (!got) return got.error();
    if (*got) heap.push(i);
  }
  return ok_status();
}

Result<std::unique_ptr<TempFile>> ExternalSorter::merge_to_file(std::vector<std::unique_ptr<TempFile>> runs) {
  auto out = TempFile::create(temp_dir_);
  if (!out) return out.error();
  TempFile* file = out->get();
  auto s = merge(std::move(runs), [file](std::span<const uint8_t> record) -> Status {
    uint8_t length[4];
    for (int i = 0; i < 4; ++i) length[i] = static_cast<uint8_t>(record.size() >> (8 * i));
    if (auto w = file->write(length); !w) return w;
    return file->write(record);
  });
  if (!s) return s.error();
  return std::move(*out);
}

Status ExternalSorter::drain(const Visitor& visit) {
  if (runs_.empty()) {  // everything fits: no file at all
    sort_memory();
    for (const Key& k : keys_)
      if (auto s = visit({bytes_.data() + k.offset, k.length}); !s) return s;
    release_memory();
    return ok_status();
  }
  if (auto s = spill(); !s) return s;
  std::vector<std::unique_ptr<TempFile>> runs = std::move(runs_);
  runs_.clear();
  while (runs.size() > kFanIn) {  // more runs than open files we want: merge in passes
    std::vector<std::unique_ptr<TempFile>> next;
    for (size_t i = 0; i < runs.size(); i += kFanIn) {
      std::vector<std::unique_ptr<TempFile>> group;
      for (size_t j = i; j < std::min(runs.size(), i + kFanIn); ++j) group.push_back(std::move(runs[j]));
      if (group.size() == 1) {
        next.push_back(std::move(group.front()));
        continue;
      }
      auto merged = merge_to_file(std::move(group));
      if (!merged) return merged.error();
      next.push_back(std::move(*merged));
    }
    runs = std::move(next);
  }
  return merge(std::move(runs), visit);
}

}  // namespace trawl::hash
