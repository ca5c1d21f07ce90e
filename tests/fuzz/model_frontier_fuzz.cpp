// Differential fuzzer for joining carved windows (scan/model_frontier.hpp): the input, cut into windows
// of a size its first bytes choose, each carved from one margin before its window and joined at the
// previous window's frontier, must give the objects of one carver over the whole input, with binary STL
// tried on sectors only or at every byte. Traps on a difference; ASan/UBSan catch the rest.
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "io/byte_stream.hpp"
#include "io/chunker.hpp"
#include "scan/model_carver.hpp"
#include "scan/model_frontier.hpp"

namespace {

using Carve = std::tuple<std::uint64_t, std::uint64_t, std::string>;

std::vector<Carve> summary(const std::vector<trawl::scan::ModelHit>& hits) {
  std::vector<Carve> out;
  for (const auto& h : hits) out.emplace_back(h.offset, h.length, h.sha256);
  return out;
}

std::vector<trawl::scan::ModelHit> carve(const std::string& image, trawl::scan::CarveOptions options,
                                         std::vector<trawl::scan::CarvedSpan>* spans = nullptr) {
  trawl::io::MemoryStream stream(image);
  std::vector<trawl::scan::ModelHit> hits;
  if (spans != nullptr)
    options.on_close = [spans](std::uint64_t offset, std::uint64_t length) { spans->push_back({offset, offset + length}); };
  auto status = trawl::scan::carve_model_stream(stream, 4096, options, [&](trawl::scan::ModelHit&& h) {
    hits.push_back(std::move(h));
    return true;
  });
  if (!status) __builtin_trap();  // memory streams do not fail
  return hits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3 || size > 1 << 17) return 0;
  const std::uint64_t cut = 1 + (std::uint64_t{data[0]} | std::uint64_t{data[1]} << 8) * 2;
  const bool aligned = (data[2] & 1) != 0;
  const std::string image(reinterpret_cast<const char*>(data) + 3, size - 3);
  trawl::scan::CarveOptions base;
  base.stl_sector_aligned = aligned;
  const auto whole = summary(carve(image, base));
  std::vector<Carve> joined;
  std::uint64_t frontier = 0;
  for (std::uint64_t start = 0; start < image.size(); start += cut) {
    const std::uint64_t end = std::min<std::uint64_t>(start + cut, image.size());
    trawl::scan::CarveOptions options = base;
    options.read_from = trawl::io::unit_read_window(start, end, trawl::scan::model_carve_margin()).start;
    options.start_before = end;
    std::vector<trawl::scan::CarvedSpan> spans;
    auto hits = carve(image, options, &spans);
    if (start > 0) {
      trawl::io::MemoryStream stream(image);
      if (!trawl::scan::resolve_window(hits, spans, frontier, stream, 4096, options)) __builtin_trap();
    }
    frontier = trawl::scan::window_frontier(spans, start > 0 ? frontier : 0, end);
    for (const auto& c : summary(hits)) joined.push_back(c);
  }
  if (joined != whole) __builtin_trap();
  return 0;
}
