// Fuzzes the image metadata parsers (parse_tiff_meta, parse_jpeg_meta,
// parse_png_meta, parse_gif_meta, parse_webp_meta) on every input, whatever
// its magic: each must cope with any bytes. Seeds: tests/data/meta/.
// Properties checked:
//  - no crash, hang, leak or unbounded allocation (small limits);
//  - every field has a group and a tag, invalid fields carry raw bytes or a
//    reason, and no more fields than the limit;
//  - every field offset and embedded block lies inside the input, except
//    blocks whose bytes were decoded (they carry their own bytes).
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/gif_meta.hpp"
#include "formats/jpeg_meta.hpp"
#include "formats/png_meta.hpp"
#include "formats/tiff_meta.hpp"
#include "formats/webp_meta.hpp"

namespace {

using Parser = void (*)(std::span<const uint8_t>, const trawl::formats::MetaContext&, trawl::formats::MetaFields&,
                        trawl::formats::MetaOutcome&);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trawl::formats;
  MetaLimits limits;
  limits.max_depth = 8;
  limits.max_entries = 2000;
  limits.max_value_bytes = 64 << 10;
  limits.max_fields = 5000;
  MetaContext ctx;
  ctx.limits = &limits;
  const std::span<const uint8_t> bytes(data, size);
  for (Parser parse : {&parse_tiff_meta, &parse_jpeg_meta, &parse_png_meta, &parse_gif_meta, &parse_webp_meta}) {
    MetaFields out;
    MetaOutcome outcome;
    parse(bytes, ctx, out, outcome);
    if (out.size() > limits.max_fields) __builtin_trap();
    for (const auto& f : out) {
      if (f.group.empty() || f.tag.empty()) __builtin_trap();
      if (f.offset && *f.offset > size) __builtin_trap();
    }
    for (const auto& block : outcome.embedded) {
      if (block.decoded) {
        if (block.bytes.size() != block.length) __builtin_trap();
      } else if (block.offset > size || block.length > size - block.offset) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
