// Differential fuzzer for the model carver: the objects carved from any input
// (offset, length, format, truncation, sha256) must be the same whatever the
// page size, since every tracker decides each unit from bytes inside the
// margin. Also runs the provenance parsers on the carved bytes. Traps on a
// difference; ASan/UBSan catch the rest.
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "formats/model_meta.hpp"
#include "io/byte_stream.hpp"
#include "scan/model_carver.hpp"

namespace {

using Carve = std::tuple<std::uint64_t, std::uint64_t, std::string, bool, std::string>;

std::vector<Carve> carve(const uint8_t* data, size_t size, size_t page_size) {
  trawl::io::MemoryStream stream(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Carve> out;
  auto status = trawl::scan::carve_model_stream(stream, page_size, trawl::scan::CarveOptions{},
                                                [&](trawl::scan::ModelHit&& hit) {
                                                  out.emplace_back(hit.offset, hit.length,
                                                                   trawl::scan::model_format_name(hit.format),
                                                                   hit.truncated, hit.sha256);
                                                  if (hit.bytes.size() != hit.length) __builtin_trap();
                                                  return true;
                                                });
  if (!status) __builtin_trap();  // memory streams do not fail
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 17) return 0;
  const auto whole = carve(data, size, size + 1);
  for (size_t page : {size_t{17}, size_t{4096}, size_t{4097}}) {
    if (carve(data, size, page) != whole) __builtin_trap();
  }
  const std::span<const std::uint8_t> bytes(data, size);
  (void)trawl::formats::gcode_meta(bytes, 4096);
  (void)trawl::formats::bgcode_meta(bytes);
  (void)trawl::formats::step_meta(bytes);
  (void)trawl::formats::iges_meta(bytes);
  (void)trawl::formats::scad_meta(bytes);
  (void)trawl::formats::fcstd_document_meta(bytes);
  return 0;
}
