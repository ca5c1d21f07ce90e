#pragma once
// UTF-8 checks. Records must always be valid UTF-8, yet file names and values
// found in evidence are arbitrary bytes; these helpers decide which is which.
#include <cstdint>
#include <string>
#include <string_view>

namespace trawl {

/// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// Length of the valid UTF-8 sequence starting at bytes[pos], or 0 if the byte
/// there does not start one.
size_t utf8_sequence_length(std::string_view bytes, size_t pos);

/// A display copy: each byte that is not part of a valid sequence becomes U+FFFD.
std::string utf8_lossy(std::string_view bytes);

/// Appends the UTF-8 encoding of `code_point`; surrogates and values beyond
/// U+10FFFF become U+FFFD, so the result stays valid UTF-8.
void append_utf8(std::string& out, uint32_t code_point);

}  // namespace trawl
