#include "io/chunker.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "chunker_test_support.hpp"
#include "test_support.hpp"

namespace trawl::io {
namespace {

using test::as_text;
using test::StatedSizeStream;

constexpr std::string_view kToken = "<<TRAWL-CHUNKER-TOKEN-0123456789abcdef>>";
static_assert(kToken.size() == 40);

/// The toy scanner: every start of kToken inside the page whose 40 bytes are in data().
void scan_chunk(const Chunk& chunk, std::vector<uint64_t>& hits) {
  const std::string_view data = as_text(chunk.data());
  for (size_t at = 0; at < chunk.page().size(); ++at) {
    if (data.substr(at, kToken.size()) == kToken) hits.push_back(chunk.offset() + at);
  }
}

std::vector<uint64_t> scan(ByteStream& stream, size_t page_size, size_t margin = kToken.size() - 1) {
  std::vector<uint64_t> hits;
  const Status status = for_each_chunk(stream, {page_size, margin}, [&](const Chunk& chunk) {
    scan_chunk(chunk, hits);
    return Visit::proceed;
  });
  REQUIRE(status.ok());
  return hits;
}

std::vector<uint64_t> scan_text(const std::string& text, size_t page_size, size_t margin = kToken.size() - 1) {
  MemoryStream stream(text);
  return scan(stream, page_size, margin);
}

/// `size` filler bytes (never forming the token) with the token planted at each offset.
std::string plant(size_t size, const std::vector<uint64_t>& offsets) {
  std::string text(size, '.');
  uint32_t state = 12345;
  for (char& c : text) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>('a' + (state >> 16) % 26);
  }
  for (uint64_t at : offsets) text.replace(at, kToken.size(), kToken);
  return text;
}

const size_t kPageSizes[] = {1, 17, 4096, 4097};

/// A stream whose second read fails.
class FailingStream : public ByteStream {
 public:
  Result<size_t> read(std::span<std::byte> buffer) override {
    if (reads_++ > 0) return make_error(Errc::io, "disk on fire");
    std::memset(buffer.data(), 'a', std::min<size_t>(buffer.size(), 5));
    return std::min<size_t>(buffer.size(), 5);
  }

 private:
  int reads_ = 0;
};

TEST_CASE("Chunker: a token at offset 0, at the last byte and in between is found once with every page size") {
  const size_t size = 3 * 4097 + 123;
  const std::vector<uint64_t> planted = {0, 40, 100, 4096 - 20, 4200, 8192 - 39, 8250, size - kToken.size()};
  const std::string text = plant(size, planted);
  for (size_t page : kPageSizes) {
    CAPTURE(page);
    CHECK(scan_text(text, page) == planted);
  }
  CHECK(scan_text(text, size) == planted);      // whole
  CHECK(scan_text(text, size * 2) == planted);  // larger than the input
}

TEST_CASE("Chunker: a token straddling each page boundary at every split point is found exactly once") {
  for (size_t page : kPageSizes) {
    for (size_t boundary = 1; boundary <= 3; ++boundary) {
      for (size_t split = 1; split < kToken.size(); ++split) {
        if (boundary * page < split) continue;
        const uint64_t at = boundary * page - split;  // token covers the boundary at byte `split`
        const std::string text = plant(3 * page + 2 * kToken.size(), {at});
        CAPTURE(page);
        CAPTURE(at);
        CHECK(scan_text(text, page) == std::vector<uint64_t>{at});
      }
    }
  }
}

TEST_CASE("Chunker: a truncated token at the end is not found") {
  std::string text = plant(500, {10});
  text += kToken.substr(0, 39);
  for (size_t page : kPageSizes) CHECK(scan_text(text, page) == std::vector<uint64_t>{10});
}

TEST_CASE("Chunker: short reads give the same chunks as whole reads") {
  const std::vector<uint64_t> planted = {0, 40, 4090, 4130, 5000, 9000 - 40};
  const std::string text = plant(9000, planted);
  for (size_t page : {size_t{1}, size_t{17}, size_t{4096}, size_t{4097}, size_t{9000}}) {
    CAPTURE(page);
    test::OneWayStream stream(text, 7);
    CHECK(scan(stream, page) == planted);

    // Every chunk shows exactly the input bytes at its offset; pages tile the input.
    test::OneWayStream again(text, 7);
    std::string pages;
    const Status status = for_each_chunk(again, {page, 39}, [&](const Chunk& chunk) {
      CHECK(chunk.offset() == pages.size());
      CHECK(as_text(chunk.data()) == std::string_view(text).substr(chunk.offset(), chunk.data().size()));
      CHECK(chunk.data().size() == std::min<size_t>(page + 39, text.size() - chunk.offset()));
      pages += as_text(chunk.page());
      return Visit::proceed;
    });
    CHECK(status.ok());
    CHECK(pages == text);
  }
}

TEST_CASE("Chunker: a stream's stated size only sizes the buffer; a wrong one changes no chunk") {
  const std::vector<uint64_t> planted = {0, 40, 4090, 4130, 5000, 9000 - 40};
  const std::string text = plant(9000, planted);
  for (size_t page : {size_t{1}, size_t{17}, size_t{4096}, size_t{4097}, size_t{9000}, size_t{20000}}) {
    for (uint64_t stated : {uint64_t{0}, uint64_t{1}, uint64_t{100}, uint64_t{4096}, uint64_t{8999}, uint64_t{9000},
                            uint64_t{9001}, uint64_t{50000}}) {
      CAPTURE(page);
      CAPTURE(stated);
      StatedSizeStream stream(text, stated);
      std::string pages;
      bool last_at_end = false;
      const Status status = for_each_chunk(stream, {page, 39}, [&](const Chunk& chunk) {
        CHECK(chunk.offset() == pages.size());
        CHECK(as_text(chunk.data()) == std::string_view(text).substr(chunk.offset(), chunk.data().size()));
        CHECK(chunk.data().size() == std::min<size_t>(page + 39, text.size() - chunk.offset()));
        pages += as_text(chunk.page());
        last_at_end = chunk.at_end();
        return Visit::proceed;
      });
      CHECK(status.ok());
      CHECK(pages == text);
      if (stated >= text.size()) CHECK(last_at_end);
      StatedSizeStream again(text, stated);
      CHECK(scan(again, page) == planted);
    }
  }
}

TEST_CASE("Chunker: an empty stream has no chunk") {
  for (size_t page : kPageSizes) {
    MemoryStream memory("");
    int visits = 0;
    CHECK(for_each_chunk(memory, {page, 39}, [&](const Chunk&) { return ++visits, Visit::proceed; }).ok());
    test::OneWayStream one_way("", 7);
    CHECK(for_each_chunk(one_way, {page, 0}, [&](const Chunk&) { return ++visits, Visit::proceed; }).ok());
    CHECK(visits == 0);
  }
}

TEST_CASE("Chunker: margin 0 gives pages only, and finds one-byte hits once") {
  const std::string text = plant(1000, {});
  for (size_t page : kPageSizes) {
    CAPTURE(page);
    test::OneWayStream stream(text, 7);
    std::string pages;
    size_t count_q = 0;
    const Status status = for_each_chunk(stream, {page, 0}, [&](const Chunk& chunk) {
      CHECK(chunk.data().size() == chunk.page().size());
      CHECK(chunk.offset() == pages.size());
      pages += as_text(chunk.page());
      count_q += static_cast<size_t>(std::count(pages.end() - static_cast<std::ptrdiff_t>(chunk.page().size()), pages.end(), 'q'));
      return Visit::proceed;
    });
    CHECK(status.ok());
    CHECK(pages == text);
    CHECK(count_q == static_cast<size_t>(std::count(text.begin(), text.end(), 'q')));
  }
}

TEST_CASE("Chunker: a margin larger than the page works") {
  const std::vector<uint64_t> planted = {3, 50, 97, 200 - 40};
  const std::string text = plant(200, planted);
  for (size_t page : {size_t{1}, size_t{5}, size_t{17}}) {
    test::OneWayStream stream(text, 7);
    CHECK(scan(stream, page, 100) == planted);
  }
}

TEST_CASE("Chunker: the last chunk says it is at the end") {
  const std::string text = plant(100, {});
  MemoryStream stream(text);
  Chunker chunker(stream, {30, 10});
  std::vector<uint64_t> offsets;
  bool last_at_end = false;
  while (true) {
    auto more = chunker.next();
    REQUIRE(more.ok());
    if (!*more) break;
    offsets.push_back(chunker.chunk().offset());
    last_at_end = chunker.chunk().at_end();
    if (chunker.chunk().offset() == 0) CHECK_FALSE(chunker.chunk().at_end());
  }
  CHECK(offsets == std::vector<uint64_t>{0, 30, 60, 90});
  CHECK(last_at_end);
  auto after = chunker.next();
  REQUIRE(after.ok());
  CHECK_FALSE(*after);
}

TEST_CASE("Chunker: the visitor can stop") {
  const std::string text = plant(1000, {});
  MemoryStream stream(text);
  int visits = 0;
  CHECK(for_each_chunk(stream, {17, 39}, [&](const Chunk&) { return ++visits == 3 ? Visit::stop : Visit::proceed; }).ok());
  CHECK(visits == 3);
}

TEST_CASE("Chunker: errors") {
  SUBCASE("page size 0") {
    MemoryStream stream("abc");
    const Status status = for_each_chunk(stream, {0, 4}, [](const Chunk&) { return Visit::proceed; });
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == Errc::invalid_argument);
  }
  SUBCASE("page size plus margin overflows") {
    MemoryStream stream("abc");
    const Status status = for_each_chunk(stream, {16, SIZE_MAX - 8}, [](const Chunk&) { return Visit::proceed; });
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == Errc::invalid_argument);
  }
  SUBCASE("a read error is returned after the chunks before it") {
    FailingStream stream;
    int visits = 0;
    const Status status = for_each_chunk(stream, {3, 0}, [&](const Chunk&) { return ++visits, Visit::proceed; });
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == Errc::io);
    CHECK(status.error().detail == "disk on fire");
    CHECK(visits == 1);
  }
}

}  // namespace
}  // namespace trawl::io
