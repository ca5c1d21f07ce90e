// Fuzzes the binary G-code decoders: the GCDE block walk with Deflate,
// heatshrink and MeatPack (bgcode_gcode), and heatshrink and MeatPack on
// their own (the first byte picks the window size), and the metadata
// blocks (bgcode_meta, which decompresses them too). Properties checked:
//  - nothing crashes, hangs or leaks;
//  - the output limits hold: the decoded text never exceeds max_output, and
//    decoded blocks never outnumber the blocks found;
//  - the text G-code readers take whatever the decoders produce.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "formats/bgcode_gcode.hpp"
#include "formats/gcode_extent.hpp"
#include "formats/heatshrink.hpp"
#include "formats/meatpack.hpp"
#include "formats/model_meta.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trawl::formats;
  const std::span<const uint8_t> bytes(data, size);
  constexpr uint64_t kLimit = 1 << 20;
  const BgcodeGcode g = bgcode_gcode(bytes, kLimit);
  if (g.text.size() > kLimit || g.decoded_blocks > g.blocks) std::abort();
  (void)bgcode_meta(bytes);
  (void)gcode_extents({reinterpret_cast<const uint8_t*>(g.text.data()), g.text.size()});
  if (size > 0) {
    const auto rest = bytes.subspan(1);
    auto h = heatshrink_decode(rest, 4 + data[0] % 12, 4, kLimit);
    if (h.ok() && h->size() > kLimit) std::abort();
    auto m = meatpack_decode(rest, kLimit);
    if (m.ok() && m->size() > kLimit) std::abort();
  }
  return 0;
}
