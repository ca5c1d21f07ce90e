#pragma once
// JSON-escaped text as a text encoding: the bytes of a JSON string's contents
// (`\"`, `\\`, `\/`, `\n` ... and `\uXXXX`), as MetaMask vaults inside JSON
// strings inside LevelDB, Chromium preferences and exported JSON store text.
// Decoding keeps, for every decoded byte, the input bytes it came from, so a
// hit in the decoded text maps back to the escaped bytes. Pure; never throws.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::scan {

struct JsonUnescaped {
  std::string text;  ///< the decoded bytes (UTF-8 for \uXXXX)
  /// Per decoded byte, the first input byte of its character or escape, then
  /// one more entry: the end of the input decoded (text.size() + 1 entries).
  std::vector<std::uint32_t> begin;
  std::size_t escapes = 0;  ///< valid escapes decoded

  /// The input bytes of decoded bytes [offset, offset + length), which end
  /// where a character ends (as every hit does).
  std::size_t input_offset(std::size_t offset) const { return begin[offset]; }
  std::size_t input_end(std::size_t offset, std::size_t length) const { return begin[offset + length]; }
};

/// Decodes one level of JSON string escapes in `text`, at most `max_out`
/// decoded bytes (and never more than 2^32 - 1 input bytes). An invalid escape
/// (a lone backslash, `\x`, `\u` without four hex digits) is kept as its bytes;
/// a lone surrogate becomes U+FFFD. `out` is cleared first.
void json_unescape(std::string_view text, std::size_t max_out, JsonUnescaped& out);

/// True when `text` holds at least one valid JSON escape: the cheap gate
/// before decoding (a memchr for the backslash, then one byte of look-ahead).
bool has_json_escape(std::string_view text);

}  // namespace trawl::scan
