#include "io/host_file.hpp"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <string>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace trawl::io {

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

Result<int> open_read_only(const std::string& path) {
  // O_NONBLOCK keeps a FIFO or device from blocking the open; regular files ignore it.
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  int fd = ::open(path.c_str(), kFlags | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), kFlags);  // O_NOATIME needs ownership
  if (fd < 0) return make_error(errno == ENOENT ? Errc::not_found : Errc::io, errno_text("open"));
  return fd;
}

HostFileStream::~HostFileStream() {
  unmap();
  ::close(fd_);
}

void HostFileStream::unmap() {
  if (map_ != nullptr) ::munmap(const_cast<std::byte*>(map_), map_length_);
  map_ = nullptr;
  map_length_ = 0;
}

Result<std::unique_ptr<HostFileStream>> HostFileStream::open(const std::string& path) {
  auto fd = open_read_only(path);
  if (!fd) return fd.error();
  struct stat st {};
  if (::fstat(*fd, &st) != 0) {
    auto e = make_error(Errc::io, errno_text("stat"));
    ::close(*fd);
    return e;
  }
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    ::close(*fd);
    return make_error(Errc::invalid_argument, "not a regular file or block device");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (S_ISBLK(st.st_mode)) {
    const off_t end = ::lseek(*fd, 0, SEEK_END);
    size = end > 0 ? static_cast<uint64_t>(end) : 0;
  }
  // Evidence is read front to back; tell the kernel so it reads ahead
  // (small files fit in the default read-ahead: spare the system call).
  if (size >= (1u << 20)) ::posix_fadvise(*fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<HostFileStream>(new HostFileStream(*fd, size, S_ISREG(st.st_mode)));
}

Result<size_t> HostFileStream::read_at(uint64_t offset, std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return make_error(Errc::io, errno_text("read"));
  }
}

Result<std::span<const std::byte>> HostFileStream::view_at(uint64_t offset, size_t length) {
  if (!regular_) return ByteStream::view_at(offset, length);
  if (offset >= size_ || length == 0) return std::span<const std::byte>();
  const size_t n = static_cast<size_t>(std::min<uint64_t>(length, size_ - offset));
  if (map_ == nullptr || offset < map_offset_ || offset + n > map_offset_ + map_length_) {
    unmap();
    static const uint64_t kMemoryPage = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t start = offset - offset % kMemoryPage;
    const uint64_t want = std::max<uint64_t>(map_window_, offset + n - start);
    const uint64_t rounded = (want + kMemoryPage - 1) / kMemoryPage * kMemoryPage;
    const uint64_t end = std::min<uint64_t>(size_, start + rounded);
    // Pages past the file's end would raise SIGBUS when touched: map only what the file still holds.
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return make_error(Errc::io, errno_text("stat"));
    if (static_cast<uint64_t>(st.st_size) < end)
      return make_error(Errc::io, "read: the file shrank during the scan (" + std::to_string(size_) + " -> " +
                                      std::to_string(st.st_size) + " bytes)");
    void* p = ::mmap(nullptr, static_cast<size_t>(end - start), PROT_READ, MAP_PRIVATE, fd_, static_cast<off_t>(start));
    if (p == MAP_FAILED) return make_error(Errc::io, errno_text("mmap"));
    ::madvise(p, static_cast<size_t>(end - start), MADV_SEQUENTIAL);
    map_ = static_cast<const std::byte*>(p);
    map_offset_ = start;
    map_length_ = static_cast<size_t>(end - start);
  }
  return std::span<const std::byte>(map_ + (offset - map_offset_), n);
}

}  // namespace trawl::io
