#include "scan/model_frontier.hpp"

#include <algorithm>
#include <array>

#include "io/chunker.hpp"

namespace trawl::scan {
namespace {

/// True when a span is open at `at` (started before it, ends after it).
bool spans_at(const std::vector<CarvedSpan>& spans, std::uint64_t at) {
  return std::any_of(spans.begin(), spans.end(), [&](const CarvedSpan& s) { return s.offset < at && at < s.end; });
}

/// The first position at or after `at` inside no object of either carver (spans in stream order).
std::uint64_t both_idle_from(const std::vector<CarvedSpan>& a, const std::vector<CarvedSpan>& b, std::uint64_t at) {
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto* spans : {&a, &b})
      for (const CarvedSpan& s : *spans)
        if (s.offset < at && at < s.end) {
          at = s.end;
          moved = true;
        }
  }
  return at;
}

}  // namespace

std::uint64_t window_frontier(const std::vector<CarvedSpan>& own, std::uint64_t frontier_before,
                              std::uint64_t window_end) {
  std::uint64_t frontier = std::max(frontier_before, window_end);
  if (!own.empty()) frontier = std::max(frontier, own.back().end);
  return frontier;
}

Status resolve_window(std::vector<ModelHit>& hits, std::vector<CarvedSpan>& spans, std::uint64_t frontier,
                      io::ByteStream& stream, std::size_t page_size, const CarveOptions& options) {
  // An object from before covers the whole window: nothing starts in it.
  if (options.start_before && frontier >= *options.start_before) {
    hits.clear();
    spans.clear();
    return ok_status();
  }
  if (!spans_at(spans, frontier)) {
    // Converged: the speculative carver is idle at the frontier too.
    std::erase_if(hits, [&](const ModelHit& h) { return h.offset < frontier; });
    std::erase_if(spans, [&](const CarvedSpan& s) { return s.offset < frontier; });
    return ok_status();
  }
  if (page_size == 0) return make_error(Errc::invalid_argument, "page size 0");
  if (!stream.seekable())
    return make_error(Errc::invalid_argument, "the carve of a window cannot be joined to the one before: the "
                                              "stream cannot be read again from offset " + std::to_string(frontier));
  std::optional<std::uint8_t> before;
  if (frontier > 0) {
    std::array<std::byte, 1> b{};
    auto got = io::read_full_at(stream, frontier - 1, b);
    if (!got) return got.error();
    if (*got != 1) return make_error(Errc::out_of_range, "short read at offset " + std::to_string(frontier - 1));
    before = std::to_integer<std::uint8_t>(b[0]);
  }
  std::vector<ModelHit> again;
  std::vector<CarvedSpan> again_spans;
  CarveOptions again_options = options;
  again_options.read_from = frontier;
  again_options.on_close = [&](std::uint64_t offset, std::uint64_t length) {
    again_spans.push_back({offset, offset + length});
  };
  ModelCarver carver(again_options);
  carver.resume_at(frontier, before);
  io::ChunkWindow window;
  window.start = frontier;
  io::Chunker chunker(stream, io::ChunkerOptions{page_size, model_carve_margin(), options.zero_copy}, window);
  const ModelVisit keep = [&](ModelHit&& hit) {
    again.push_back(std::move(hit));
    return true;
  };
  std::uint64_t idle = frontier;  // a candidate where both carvers are idle
  for (;;) {
    auto more = chunker.next();
    if (!more) return more.error();
    if (!*more) {
      carver.finish(keep);
      idle = both_idle_from(again_spans, spans, idle);
      break;
    }
    const io::Chunk& chunk = chunker.chunk();
    if (!carver.open()) {
      // Every object of the carver that starts before this chunk is known: decide up to here.
      idle = both_idle_from(again_spans, spans, idle);
      if (idle <= chunk.offset()) break;
      // Past the window's end nothing more starts: the carver stays idle, the speculative one's
      // objects decide.
      if (options.start_before && chunk.offset() >= *options.start_before) break;
    }
    carver.feed(chunk.data(), chunk.page().size(), chunk.offset(), chunk.at_end(), keep);
  }
  std::erase_if(again, [&](const ModelHit& h) { return h.offset >= idle; });
  std::erase_if(again_spans, [&](const CarvedSpan& s) { return s.offset >= idle; });
  for (ModelHit& h : hits)
    if (h.offset >= idle) again.push_back(std::move(h));
  for (const CarvedSpan& s : spans)
    if (s.offset >= idle) again_spans.push_back(s);
  hits = std::move(again);
  spans = std::move(again_spans);
  return ok_status();
}

}  // namespace trawl::scan
