// Chunk::behind(): the bytes before the page, kept in front of it in memory,
// for scanners that read the end of the previous page as context in place.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "io/chunker.hpp"
#include "chunker_test_support.hpp"
#include "test_support.hpp"

namespace trawl::io {
namespace {

using test::as_text;
using test::numbered;

/// Walks the stream and checks every chunk's data() and behind() against the text.
void check_chunks(ByteStream& stream, const std::string& text, ChunkerOptions options, ChunkWindow window = {}) {
  Chunker chunker(stream, options, window);
  std::string pages;
  for (;;) {
    auto more = chunker.next();
    REQUIRE(more.ok());
    if (!*more) break;
    const Chunk& chunk = chunker.chunk();
    CAPTURE(chunk.offset());
    const std::size_t shown = static_cast<std::size_t>(chunk.offset() - window.start);
    const std::size_t expected_behind = std::min(options.look_behind, shown);
    CHECK(chunk.behind().size() == expected_behind);
    CHECK(chunk.behind().data() + chunk.behind().size() == chunk.data().data());
    CHECK(as_text(chunk.behind()) ==
          std::string_view(text).substr(static_cast<std::size_t>(chunk.offset()) - expected_behind, expected_behind));
    CHECK(as_text(chunk.data()) ==
          std::string_view(text).substr(static_cast<std::size_t>(chunk.offset()), chunk.data().size()));
    CHECK(chunk.data().size() ==
          std::min<std::size_t>(options.page_size + options.margin, text.size() - static_cast<std::size_t>(chunk.offset())));
    pages += as_text(chunk.page());
  }
  CHECK(pages == text.substr(static_cast<std::size_t>(window.start)));
}

TEST_CASE("ChunkerBehind: the look-behind sits before every page, copied or viewed, with every page size") {
  const std::string text = numbered(9000);
  for (std::size_t page : {std::size_t{1}, std::size_t{17}, std::size_t{4096}, std::size_t{4097}, std::size_t{9000}}) {
    for (std::size_t behind : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{5000}}) {
      for (bool zero_copy : {false, true}) {
        CAPTURE(page);
        CAPTURE(behind);
        CAPTURE(zero_copy);
        ChunkerOptions options{page, 39};
        options.zero_copy = zero_copy;
        options.look_behind = behind;
        MemoryStream memory(text);
        check_chunks(memory, text, options);
        test::OneWayStream one_way(text, 7);
        check_chunks(one_way, text, options);
      }
    }
  }
}

TEST_CASE("ChunkerBehind: a window starting inside the stream shows no bytes before its start") {
  const std::string text = numbered(3000);
  for (std::size_t page : {std::size_t{17}, std::size_t{1000}}) {
    ChunkerOptions options{page, 100};
    options.look_behind = 300;
    MemoryStream memory(text);
    check_chunks(memory, text, options, ChunkWindow{500, std::nullopt});
    options.zero_copy = true;
    MemoryStream viewed(text);
    check_chunks(viewed, text, options, ChunkWindow{500, std::nullopt});
  }
}

TEST_CASE("ChunkerBehind: a look-behind that overflows with the page and margin is an error") {
  MemoryStream stream("abc");
  ChunkerOptions options{16, 16};
  options.look_behind = std::numeric_limits<std::size_t>::max() - 8;
  Chunker chunker(stream, options);
  CHECK_FALSE(chunker.next().ok());
}

}  // namespace
}  // namespace trawl::io
