#pragma once
// Helpers shared by the doctest cases: fixtures, captured output, streams.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>

#include "hash/digest.hpp"
#include "io/byte_stream.hpp"
#include "record/output.hpp"

namespace trawl::test {

/// The bytes of tests/data/<relative>.
inline std::string read_data_file(const std::string& relative) {
  std::ifstream in(std::string(TRAWL_SOURCE_DIR) + "/tests/data/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing fixture tests/data/" << relative << " (see tests/data/README.md)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// What `write` puts on a file descriptor through FdOutput, read back from a temporary file.
inline std::string capture(const std::function<void(record::FdOutput&)>& write) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  const int fd = ::fileno(file);
  {
    record::FdOutput out(fd);
    write(out);
  }  // the destructor flushes
  std::string text;
  char block[4096];
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  for (ssize_t n; (n = ::read(fd, block, sizeof block)) > 0;) text.append(block, static_cast<size_t>(n));
  std::fclose(file);
  return text;
}

/// A one-pass stream (a pipe, a member of a member): no size, no random
/// access, and short reads of at most `chunk` bytes.
class OneWayStream : public io::ByteStream {
 public:
  OneWayStream(std::string bytes, size_t chunk) : inner_(std::move(bytes)), chunk_(chunk) {}
  Result<size_t> read(std::span<std::byte> buffer) override {
    return inner_.read(buffer.first(std::min(buffer.size(), chunk_)));
  }

 private:
  io::MemoryStream inner_;
  size_t chunk_;
};

/// `n` pseudo-random bytes, the same for the same seed.
inline std::string random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

/// Lower-case hex of bytes, as test vectors print them.
inline std::string hex_of(std::span<const std::uint8_t> bytes) { return hash::to_hex(bytes); }

/// ASCII case changes, for case-insensitive encodings.
inline std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
inline std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

/// A fresh directory under $TMPDIR, removed with everything in it.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "trawl-test.XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// Writes `bytes` to `name` (subdirectories created) and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const auto file = path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    return file.string();
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace trawl::test
