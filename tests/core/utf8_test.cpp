#include "core/utf8.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace trawl {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string repeat_replacement(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kReplacement;
  return out;
}

}  // namespace

TEST_CASE("Utf8: well-formed sequences of every length are valid") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii \t\n\x7f"));
  CHECK(is_valid_utf8(std::string_view("nul\0inside", 10)));
  CHECK(is_valid_utf8("\xC2\x80"));          // U+0080, smallest two-byte
  CHECK(is_valid_utf8("caf\xC3\xA9"));       // é
  CHECK(is_valid_utf8("\xDF\xBF"));          // U+07FF
  CHECK(is_valid_utf8("\xE0\xA0\x80"));      // U+0800, smallest three-byte
  CHECK(is_valid_utf8("\xE2\x82\xAC"));      // €
  CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  CHECK(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
  CHECK(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  CHECK(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, smallest four-byte
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));  // 😀
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("Utf8: sequence length names the bytes a valid sequence takes") {
  const std::string_view s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  CHECK(utf8_sequence_length(s, 0) == 1);
  CHECK(utf8_sequence_length(s, 1) == 2);
  CHECK(utf8_sequence_length(s, 3) == 3);
  CHECK(utf8_sequence_length(s, 6) == 4);
  // A continuation byte does not start a sequence.
  CHECK(utf8_sequence_length(s, 2) == 0);
  CHECK(utf8_sequence_length(s, 7) == 0);
}

TEST_CASE("Utf8: overlong encodings are rejected") {
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // U+0000 in two bytes
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' in two bytes, the classic path trick
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F in two bytes
  CHECK_FALSE(is_valid_utf8("\xE0\x80\x80"));      // U+0000 in three bytes
  CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\x80"));  // U+0000 in four bytes
  CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
  CHECK(utf8_sequence_length("\xE0\x9F\xBF", 0) == 0);
}

TEST_CASE("Utf8: UTF-16 surrogates are rejected") {
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));                  // U+D800
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));                  // U+DFFF
  CHECK_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));      // CESU-8 pair for U+1F600
  CHECK(utf8_sequence_length("\xED\xB0\x80", 0) == 0);
}

TEST_CASE("Utf8: code points above U+10FFFF and invalid lead bytes are rejected") {
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));          // U+110000
  CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));          // lead byte past F4
  CHECK_FALSE(is_valid_utf8("\xF7\xBF\xBF\xBF"));          // U+1FFFFF
  CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));      // old five-byte form
  CHECK_FALSE(is_valid_utf8("\xFC\x84\x80\x80\x80\x80"));  // old six-byte form
  CHECK_FALSE(is_valid_utf8("\xFE"));
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("\x80"));  // lone continuation byte
  CHECK_FALSE(is_valid_utf8("abc\xBF"));
}

TEST_CASE("Utf8: truncated sequences are rejected, at the end and in the middle") {
  CHECK_FALSE(is_valid_utf8("\xC3"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));
  CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98"));
  CHECK_FALSE(is_valid_utf8("caf\xC3"));
  CHECK_FALSE(is_valid_utf8("\xC3x"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82x"));
  CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98x"));
  CHECK(utf8_sequence_length("\xF0\x9F\x98", 0) == 0);
  // The substring ends inside the sequence even though the bytes go on.
  const std::string_view full = "\xE2\x82\xAC";
  CHECK(utf8_sequence_length(full.substr(0, 2), 0) == 0);
}

TEST_CASE("Utf8: sequence length at or past the end is 0, not a read out of bounds") {
  CHECK(utf8_sequence_length("", 0) == 0);
  CHECK(utf8_sequence_length("ab", 2) == 0);
  CHECK(utf8_sequence_length("ab", 7) == 0);
}

TEST_CASE("Utf8: lossy copy keeps valid text byte for byte") {
  CHECK(utf8_lossy("") == "");
  CHECK(utf8_lossy("caf\xC3\xA9 \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xF0\x9F\x98\x80");
  CHECK(utf8_lossy(std::string_view("a\0b", 3)) == std::string("a\0b", 3));
}

TEST_CASE("Utf8: lossy copy replaces each byte outside a valid sequence with U+FFFD") {
  CHECK(utf8_lossy("caf\xE9") == std::string("caf") + std::string(kReplacement));
  CHECK(utf8_lossy("\xFF\xFE") == repeat_replacement(2));
  // A truncated sequence: every byte of it is replaced, what follows is kept.
  CHECK(utf8_lossy("\xE2\x82x") == repeat_replacement(2) + "x");
  CHECK(utf8_lossy("\xF0\x9F\x98") == repeat_replacement(3));
  // Overlong and surrogate forms: each byte.
  CHECK(utf8_lossy("\xC0\xAF") == repeat_replacement(2));
  CHECK(utf8_lossy("\xED\xA0\x80") == repeat_replacement(3));
  CHECK(utf8_lossy("\xF4\x90\x80\x80!") == repeat_replacement(4) + "!");
  // The output is always valid UTF-8, whatever went in.
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  CHECK(is_valid_utf8(utf8_lossy(all)));
  CHECK(utf8_lossy(all).substr(0, 128) == all.substr(0, 128));
}

TEST_CASE("Utf8: append_utf8 encodes each length and replaces what is not a scalar value") {
  auto encoded = [](uint32_t cp) {
    std::string out = "<";
    append_utf8(out, cp);
    return out;
  };
  CHECK(encoded(0x41) == "<A");
  CHECK(encoded(0x7F) == "<\x7F");
  CHECK(encoded(0xE9) == "<\xC3\xA9");
  CHECK(encoded(0x7FF) == "<\xDF\xBF");
  CHECK(encoded(0x20AC) == "<\xE2\x82\xAC");
  CHECK(encoded(0xFFFF) == "<\xEF\xBF\xBF");
  CHECK(encoded(0x1F600) == "<\xF0\x9F\x98\x80");
  CHECK(encoded(0x10FFFF) == "<\xF4\x8F\xBF\xBF");
  // Surrogates and values past U+10FFFF would make invalid UTF-8.
  CHECK(encoded(0xD800) == "<" + std::string(kReplacement));
  CHECK(encoded(0xDFFF) == "<" + std::string(kReplacement));
  CHECK(encoded(0x110000) == "<" + std::string(kReplacement));
  CHECK(encoded(0xFFFFFFFF) == "<" + std::string(kReplacement));
}

}  // namespace trawl
