#pragma once
// MeatPack decoding, the G-code packing of PrusaSlicer binary G-code blocks
// (encoding 1, and 2 which keeps comment lines). Each byte packs two 4-bit
// codes for the 15 commonest characters ("0"-"9", ".", " ", newline, "G",
// "X"; in no-spaces mode the space code means "E"), low nibble first; the
// code 0xF says a full byte follows instead. 0xFF 0xFF and a command byte
// switch packing and no-spaces mode on and off. The packer drops the spaces
// of G lines ("G1X10Y5E.4"); they are put back before parameter letters so
// that G-code readers see ordinary lines. Pure; output at most `max_output`.
#include <cstdint>
#include <span>
#include <string>

#include "core/result.hpp"

namespace trawl::formats {

/// Errors: resource_exhausted (more than `max_output` bytes).
Result<std::string> meatpack_decode(std::span<const uint8_t> input, uint64_t max_output);

}  // namespace trawl::formats
