// Chunker::extend_to: a chunk shows more than its margin on demand; the
// chunks after it are the chunks of a walk without it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/chunker.hpp"
#include "chunker_test_support.hpp"
#include "test_support.hpp"

namespace trawl::io {
namespace {

using test::as_text;
using test::numbered;
using test::StatedSizeStream;

/// One chunk as a walk saw it (before any extension).
struct Seen {
  uint64_t offset;
  std::string behind, data;
  std::size_t page;
  /// Not compared: a walk that read ahead may know the end sooner (Chunk::at_end() "may still be false").
  bool at_end;
  bool operator==(const Seen& o) const {
    return offset == o.offset && behind == o.behind && data == o.data && page == o.page;
  }
};

/// Walks the stream, extending every chunk whose index is in `extend` to offset + `reach`, and checks each
/// extended view against the text; returns the chunks as next() showed them.
std::vector<Seen> walk(ByteStream& stream, const std::string& text, ChunkerOptions options, ChunkWindow window,
                       const std::vector<std::size_t>& extend, uint64_t reach) {
  Chunker chunker(stream, options, window);
  std::vector<Seen> seen;
  for (std::size_t index = 0;; ++index) {
    auto more = chunker.next();
    REQUIRE(more.ok());
    if (!*more) break;
    const Chunk& chunk = chunker.chunk();
    seen.push_back({chunk.offset(), std::string(as_text(chunk.behind())), std::string(as_text(chunk.data())),
                    chunk.page().size(), chunk.at_end()});
    if (chunk.at_end()) CHECK(chunk.offset() + chunk.data().size() == text.size());
    if (std::find(extend.begin(), extend.end(), index) == extend.end()) continue;
    const std::string behind_before = seen.back().behind;
    REQUIRE(chunker.extend_to(chunk.offset() + reach).ok());
    CAPTURE(chunk.offset());
    const auto offset = static_cast<std::size_t>(chunk.offset());
    const std::size_t expected = std::max(seen.back().data.size(), std::min<std::size_t>(reach, text.size() - offset));
    CHECK(chunk.data().size() == expected);
    CHECK(as_text(chunk.data()) == std::string_view(text).substr(offset, chunk.data().size()));
    CHECK(as_text(chunk.behind()) == behind_before);
    CHECK(chunk.behind().data() + chunk.behind().size() == chunk.data().data());
    CHECK(chunk.page().size() == seen.back().page);
    if (offset + chunk.data().size() < text.size()) CHECK_FALSE(chunk.at_end());
    if (reach > text.size() - offset) CHECK(chunk.at_end());  // a read asked for bytes past the end
  }
  return seen;
}

TEST_CASE("ChunkerExtend: extended chunks show the stream's bytes, and the walk goes on as without them") {
  const std::string text = numbered(9000);
  const std::vector<std::vector<std::size_t>> extend_sets = {{0}, {1}, {0, 1, 2, 3}, {2, 5, 6}, {0, 3, 100}};
  for (std::size_t page : {std::size_t{1}, std::size_t{17}, std::size_t{1000}, std::size_t{4097}}) {
    for (uint64_t reach : {uint64_t{5}, uint64_t{3000}, uint64_t{20000}}) {
      for (std::size_t behind : {std::size_t{0}, std::size_t{300}}) {
        for (bool zero_copy : {false, true}) {
          for (const ChunkWindow window : {ChunkWindow{}, ChunkWindow{500, std::nullopt}, ChunkWindow{500, 2600}}) {
            CAPTURE(page);
            CAPTURE(reach);
            CAPTURE(behind);
            CAPTURE(zero_copy);
            CAPTURE(window.start);
            ChunkerOptions options{page, 39};
            options.look_behind = behind;
            options.zero_copy = zero_copy;
            MemoryStream plain(text);
            const std::vector<Seen> expected = walk(plain, text, options, window, {}, 0);
            for (const auto& extend : extend_sets) {
              MemoryStream memory(text);
              CHECK(walk(memory, text, options, window, extend, reach) == expected);
              test::OneWayStream one_way(text, 7);
              CHECK(walk(one_way, text, options, window, extend, reach) == expected);
              for (uint64_t stated : {uint64_t{0}, uint64_t{1000}, uint64_t{9000}, uint64_t{50000}}) {
                StatedSizeStream sized(text, stated);
                CHECK(walk(sized, text, options, window, extend, reach) == expected);
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("ChunkerExtend: before the first chunk and after the last it does nothing") {
  MemoryStream stream("abcdef");
  Chunker chunker(stream, ChunkerOptions{4, 1});
  CHECK(chunker.extend_to(100).ok());
  auto more = chunker.next();
  REQUIRE((more.ok() && *more));
  CHECK(as_text(chunker.chunk().data()) == "abcde");
  REQUIRE(chunker.extend_to(100).ok());
  CHECK(as_text(chunker.chunk().data()) == "abcdef");
  CHECK(chunker.chunk().at_end());
  more = chunker.next();
  REQUIRE((more.ok() && *more));
  CHECK(as_text(chunker.chunk().data()) == "ef");
  more = chunker.next();
  REQUIRE((more.ok() && !*more));
  CHECK(chunker.extend_to(100).ok());
}

}  // namespace
}  // namespace trawl::io
