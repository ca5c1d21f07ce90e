// Differential fuzzer for the model carver: the objects carved from any input
// (offset, length, format, truncation, sha256) must be the same whatever the
// page size, since every tracker decides each unit from bytes inside the
// margin, with binary STL tried at every byte or on sectors only, and with
// zero-copy chunks, and with objects over the keep bound (their bytes dropped,
// their first 4 KiB kept as the head). The vector start filters (AVX2, AVX-512) must not skip a
// position their scalar reference accepts. Also
// runs the provenance and G-code extent parsers on the input. Traps on a
// difference; ASan/UBSan catch the rest.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "formats/gcode_extent.hpp"
#include "formats/model_meta.hpp"
#include "io/byte_stream.hpp"
#include "mesh/model_link.hpp"
#include "scan/model_carver.hpp"
#include "scan/model_start_scan.hpp"

namespace {

using Carve = std::tuple<std::uint64_t, std::uint64_t, std::string, bool, std::string>;

std::vector<Carve> carve(const uint8_t* data, size_t size, size_t page_size, bool sector_aligned,
                         bool zero_copy = false, size_t keep_bytes = size_t{64} << 20) {
  trawl::io::MemoryStream stream(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Carve> out;
  trawl::scan::CarveOptions options;
  options.stl_sector_aligned = sector_aligned;
  options.zero_copy = zero_copy;
  options.keep_bytes = keep_bytes;
  auto status = trawl::scan::carve_model_stream(stream, page_size, options,
                                                [&](trawl::scan::ModelHit&& hit) {
                                                  out.emplace_back(hit.offset, hit.length,
                                                                   trawl::scan::model_format_name(hit.format),
                                                                   hit.truncated, hit.sha256);
                                                  // Kept whole, or not kept and its head (first 4 KiB) kept.
                                                  if (hit.length <= keep_bytes) {
                                                    if (hit.bytes.size() != hit.length || !hit.head.empty()) __builtin_trap();
                                                  } else {
                                                    const std::size_t n = std::min<std::uint64_t>(hit.length, trawl::scan::kModelHeadBytes);
                                                    if (!hit.bytes.empty() || hit.head.size() != n ||
                                                        std::memcmp(hit.head.data(), data + hit.offset, n) != 0)
                                                      __builtin_trap();
                                                  }
                                                  return true;
                                                });
  if (!status) __builtin_trap();  // memory streams do not fail
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 17) return 0;
  for (bool aligned : {false, true}) {
    const auto whole = carve(data, size, size + 1, aligned);
    for (size_t page : {size_t{17}, size_t{4096}, size_t{4097}}) {
      if (carve(data, size, page, aligned) != whole) __builtin_trap();
    }
    if (carve(data, size, 4097, aligned, true) != whole) __builtin_trap();  // zero-copy chunks
    if (carve(data, size, 4097, aligned, false, 100) != whole) __builtin_trap();  // objects over the keep bound
  }
  namespace carve_ns = trawl::scan::carve;
  if (size > carve_ns::kStartLookAhead + 34) {
    const std::size_t end = size - carve_ns::kStartLookAhead - 33;
    for (auto level : {carve_ns::StartScanLevel::avx2, carve_ns::StartScanLevel::avx512}) {
      for (bool stl : {false, true})
        for (std::size_t p = 1; p < end;) {
          const std::size_t q = carve_ns::next_start_candidate(data, p, end, stl, level);
          for (; p < q; ++p)
            if (carve_ns::may_start(data, p, stl)) __builtin_trap();
          p = q + 1;
        }
    }
  }
  const std::span<const std::uint8_t> bytes(data, size);
  (void)trawl::formats::gcode_meta(bytes, 4096);
  (void)trawl::formats::gcode_extents(bytes);
  (void)trawl::mesh::link_name_key(std::string_view(reinterpret_cast<const char*>(data), size));
  (void)trawl::formats::bgcode_meta(bytes);
  (void)trawl::formats::step_meta(bytes);
  (void)trawl::formats::iges_meta(bytes);
  (void)trawl::formats::scad_meta(bytes);
  (void)trawl::formats::fcstd_document_meta(bytes);
  return 0;
}
