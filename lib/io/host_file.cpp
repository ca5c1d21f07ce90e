#include "io/host_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
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

HostFileStream::~HostFileStream() { ::close(fd_); }

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
  return std::unique_ptr<HostFileStream>(new HostFileStream(*fd, size));
}

Result<size_t> HostFileStream::read_at(uint64_t offset, std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return make_error(Errc::io, errno_text("read"));
  }
}

}  // namespace trawl::io
