// Zero-copy chunks (ChunkerOptions::zero_copy): the same chunks as the copying
// path, from memory and from mapped host files whose mapping window moves.
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>
#include <vector>

#include "io/chunker.hpp"
#include "io/host_file.hpp"
#include "test_support.hpp"

namespace trawl::io {
namespace {

struct Seen {
  uint64_t offset = 0;
  std::string data;
  size_t page = 0;
  bool at_end = false;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> chunks(ByteStream& stream, ChunkerOptions options, ChunkWindow window) {
  std::vector<Seen> out;
  Chunker chunker(stream, options, window);
  for (;;) {
    auto more = chunker.next();
    REQUIRE(more);
    if (!*more) break;
    const Chunk& c = chunker.chunk();
    out.push_back({c.offset(), std::string(reinterpret_cast<const char*>(c.data().data()), c.data().size()),
                   c.page().size(), c.at_end()});
  }
  return out;
}

TEST_CASE("Chunker zero-copy: the same chunks as copying, from memory and mapped files, with windows") {
  const std::string bytes = test::random_bytes(20000, 5);
  test::TempDir dir;
  const std::string path = dir.write("image.raw", bytes);
  const std::vector<ChunkWindow> windows = {
      {}, {0, 9000}, {4095, std::nullopt}, {4097, 12289}, {7000, 7000}, {19990, std::nullopt}, {20000, 30000}};
  const size_t memory_page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  for (size_t page : {size_t{17}, size_t{4096}, size_t{4097}, bytes.size()})
    for (size_t margin : {size_t{0}, size_t{39}, size_t{5000}})
      for (const ChunkWindow& window : windows) {
        CAPTURE(page);
        CAPTURE(margin);
        CAPTURE(window.start);
        MemoryStream copied(bytes);
        const std::vector<Seen> expected = chunks(copied, {page, margin, false}, window);
        MemoryStream memory(bytes);
        CHECK(chunks(memory, {page, margin, true}, window) == expected);
        // Map windows smaller than, near and larger than page + margin: the view moves many times.
        for (size_t map_window : {memory_page, 3 * memory_page, HostFileStream::kDefaultMapWindow}) {
          CAPTURE(map_window);
          auto file = HostFileStream::open(path);
          REQUIRE(file);
          (*file)->set_map_window(map_window);
          CHECK(chunks(**file, {page, margin, true}, window) == expected);
        }
      }
}

TEST_CASE("Chunker zero-copy: a stream that cannot show its bytes is copied") {
  const std::string bytes = test::random_bytes(10000, 6);
  test::OneWayStream one_way(bytes, 333);
  MemoryStream memory(bytes);
  CHECK(chunks(one_way, {4097, 100, true}, {}) == chunks(memory, {4097, 100, false}, {}));
}

TEST_CASE("HostFileStream view_at: in place, short at the end, and an error when the file shrank") {
  const std::string bytes = test::random_bytes(50000, 7);
  test::TempDir dir;
  const std::string path = dir.write("image.raw", bytes);
  auto file = HostFileStream::open(path);
  REQUIRE(file);
  HostFileStream& f = **file;
  CHECK(f.viewable());
  f.set_map_window(8192);
  auto text = [](std::span<const std::byte> v) { return std::string(reinterpret_cast<const char*>(v.data()), v.size()); };
  auto v = f.view_at(100, 1000);
  REQUIRE(v);
  CHECK(text(*v) == bytes.substr(100, 1000));
  v = f.view_at(8000, 20000);  // past the window: a larger one is mapped
  REQUIRE(v);
  CHECK(text(*v) == bytes.substr(8000, 20000));
  v = f.view_at(49990, 100);
  REQUIRE(v);
  CHECK(text(*v) == bytes.substr(49990));
  v = f.view_at(50000, 100);
  REQUIRE(v);
  CHECK(v->empty());
  // Evidence should not shrink; if it does, the next window is refused instead of raising SIGBUS.
  REQUIRE(::truncate(path.c_str(), 10000) == 0);
  v = f.view_at(20000, 100);
  REQUIRE_FALSE(v);
  CHECK(v.error().code == Errc::io);
  CHECK(v.error().detail.find("shrank") != std::string::npos);
}

}  // namespace
}  // namespace trawl::io
