// libFuzzer target: the metadata dispatcher with every parser behind it and
// the embedded Exif/XMP blocks they hand back. Any input must give a document
// (possibly empty) without crashing, hanging or unbounded memory. Seed with
// tests/data/meta and scripts/make-meta-corpus output.
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/meta_extract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trawl::formats::MetaLimits limits;
  limits.max_fields = 5000;
  const auto doc = trawl::formats::extract_metadata(std::span<const uint8_t>(data, size), limits);
  if (doc.fields.size() > limits.max_fields) __builtin_trap();
  return 0;
}
