// Fuzzes the document and video metadata parsers (PDF, ISO BMFF, OLE2, OOXML,
// ODF) on the same bytes; seed with tests/data/meta/. Properties checked:
//  - nothing crashes, hangs, leaks or allocates past the limits;
//  - the field budget holds and every field has a group and a tag;
//  - every known offset lies inside the input, and every embedded block not
//    decoded from a stream is a slice of the input.
// Limits are small so that fuzzed counts cannot ask for much.
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/bmff_meta.hpp"
#include "formats/office_meta.hpp"
#include "formats/ole2_meta.hpp"
#include "formats/pdf_meta.hpp"

namespace {

using namespace trawl::formats;

void check(const MetaFields& fields, const MetaOutcome& outcome, const MetaLimits& limits, size_t size,
           uint64_t base) {
  if (fields.size() > limits.max_fields) __builtin_trap();
  for (const auto& f : fields) {
    if (f.group.empty() || f.tag.empty()) __builtin_trap();
    if (f.offset && (*f.offset < base || *f.offset - base > size)) __builtin_trap();
    if (f.invalid && f.raw_hex.size() % 2 != 0) __builtin_trap();
  }
  for (const auto& b : outcome.embedded) {
    if (b.kind != "xmp" && b.kind != "exif") __builtin_trap();
    if (b.offset < base || b.offset - base > size) __builtin_trap();
    if (!b.decoded && b.length > size - (b.offset - base)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  MetaLimits limits;
  limits.max_depth = 8;
  limits.max_entries = 500;
  limits.max_value_bytes = 64 << 10;
  limits.max_fields = 2000;
  limits.max_pdf_revisions = 50;
  MetaContext ctx;
  ctx.base = 100;
  ctx.limits = &limits;
  const std::span<const uint8_t> bytes(data, size);
  using Parser = void (*)(std::span<const uint8_t>, const MetaContext&, MetaFields&, MetaOutcome&);
  for (Parser parse : {Parser{parse_pdf_meta}, Parser{parse_bmff_meta}, Parser{parse_ole2_meta},
                       Parser{parse_ooxml_meta}, Parser{parse_odf_meta}}) {
    MetaFields fields;
    MetaOutcome outcome;
    parse(bytes, ctx, fields, outcome);
    check(fields, outcome, limits, size, ctx.base);
  }
  return 0;
}
