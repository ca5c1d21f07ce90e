#include "scan/json_escape_gate.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/hex.hpp"
#include "scan/phrase_samples.hpp"

namespace trawl::scan {
namespace {

/// The one-byte separators of the BIP39 tokenizer (bip39.cpp).
constexpr std::array<bool, 256> make_separators() {
  std::array<bool, 256> t{};
  for (char c : std::string_view(" \t\n\r\f\v,;\"'[](){}")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kSeparators = make_separators();

bool separator(char c) { return kSeparators[static_cast<unsigned char>(c)]; }

/// The escapes decoding to a separator: `\n`, `\t`, `\r`, `\f`, `\"`.
bool separator_escape(char c) { return c == 'n' || c == 't' || c == 'r' || c == 'f' || c == '"'; }

/// URI and descriptor bytes (wallet_scanner.cpp: is_descriptor_byte). The
/// escaped form of such a byte is made of them too (`\/`, `\\`, `\u002f`).
bool descriptor_byte(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '`';
}

bool unicode_escape(std::string_view text, std::size_t at, std::size_t to) {
  if (at + 6 > to || text[at + 1] != 'u') return false;
  for (std::size_t i = at + 2; i < at + 6; ++i)
    if (hex_digit_value(text[i]) < 0) return false;
  return true;
}

/// "1", "12.", "3)", "4:": the list numbers the BIP39 tokenizer skips between words.
bool list_number(std::string_view token) {
  if (token.size() > 1 && (token.back() == '.' || token.back() == ')' || token.back() == ':')) token.remove_suffix(1);
  if (token.empty() || token.size() > 4) return false;
  for (char c : token)
    if (c < '0' || c > '9') return false;
  return true;
}

enum class Token { word, number, other };

/// A token as read escaped: a list word (or one the escaped bytes do not
/// settle: an escape or a non-ASCII byte inside, more letters than the
/// table holds), a list number, or anything else (no phrase word).
///
/// A backslash inside the token either starts a `\u` escape (which may decode
/// to a letter: unsettled) or decodes to no letter (`\/`, `\\`, `\b`, an
/// invalid escape kept as its backslash): separator escapes end the token
/// where they are read as such, so the decoded token holds no separator there
/// and is no list word (nor list number) with such a byte in it.
Token classify(std::string_view token) {
  bool backslash = false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    if (c >= 0x80 || (c == '\\' && i + 1 < token.size() && token[i + 1] == 'u')) return Token::word;
    backslash = backslash || c == '\\';
  }
  if (backslash) return Token::other;
  if (list_number(token)) return Token::number;
  if (token.size() > 1 && token.back() == '.') token.remove_suffix(1);  // a sentence end after the last word
  bool letters = !token.empty();
  for (char c : token) letters = letters && static_cast<unsigned char>((static_cast<unsigned char>(c) | 0x20u) - 'a') < 26;
  if (!letters) return Token::other;
  if (token.size() > 12) return Token::word;  // longer than any ASCII list word the table holds: unsettled
  return is_ascii_bip39_word(token) ? Token::word : Token::other;
}

/// Tokens past this many list numbers in a row are not read: the side counts as a word.
constexpr int kMaxNumbers = 4;

/// Bytes read on each side of an escape. A hit holding a `\/` or `\\` is a URI
/// (at most ~400 bytes) or a descriptor (1000), at most twice as long escaped;
/// a run of separators longer than this ends any phrase anyway.
constexpr std::size_t kGateReach = 4096;

/// The first token before `at` (past separators, separator escapes and list
/// numbers) is a word, or the bytes from `from` do not settle it.
bool word_before(std::string_view text, std::size_t from, std::size_t at) {
  for (int numbers = 0; numbers <= kMaxNumbers; ++numbers) {
    for (;;) {
      if (at >= from + 2 && text[at - 2] == '\\' && separator_escape(text[at - 1])) {
        at -= 2;
      } else if (at > from && separator(text[at - 1])) {
        --at;
      } else {
        break;
      }
    }
    if (at == from) return true;  // the window start: the bytes before it are not read
    std::size_t begin = at;
    while (begin > from && !separator(text[begin - 1]) &&
           !(begin >= from + 2 && text[begin - 2] == '\\' && separator_escape(text[begin - 1])))
      --begin;
    if (begin == from) return true;  // cut by the window start
    const Token token = classify(text.substr(begin, at - begin));
    if (token != Token::number) return token == Token::word;
    at = begin;
  }
  return true;
}

/// The same after `at`, up to `to`.
bool word_after(std::string_view text, std::size_t at, std::size_t to) {
  for (int numbers = 0; numbers <= kMaxNumbers; ++numbers) {
    for (;;) {
      if (at + 1 < to && text[at] == '\\' && separator_escape(text[at + 1])) {
        at += 2;
      } else if (at < to && separator(text[at])) {
        ++at;
      } else {
        break;
      }
    }
    if (at == to) return true;
    std::size_t end = at;
    while (end < to && !separator(text[end]) && !(text[end] == '\\' && end + 1 < to && separator_escape(text[end + 1])))
      ++end;
    if (end == to) return true;  // cut by the window end
    const Token token = classify(text.substr(at, end - at));
    if (token != Token::number) return token == Token::word;
    at = end;
  }
  return true;
}

}  // namespace

bool json_escape_may_hit(std::string_view text, std::size_t at) {
  if (at + 1 >= text.size() || text[at] != '\\') return false;
  const std::size_t from = at > kGateReach ? at - kGateReach : 0;
  const std::size_t to = std::min(text.size(), at + 2 + kGateReach);
  const char kind = text[at + 1];
  if (kind == 'u') return unicode_escape(text, at, to);
  if (kind == '/' || kind == '\\') {
    std::size_t begin = at;
    while (begin > from && descriptor_byte(text[begin - 1])) --begin;
    std::size_t end = at + 2;
    while (end < to && descriptor_byte(text[end])) ++end;
    if ((begin == from && from > 0) || (end == to && to < text.size())) return true;  // not settled within reach
    return text.substr(begin, end - begin).find_first_of(":#") != std::string_view::npos;
  }
  // After first: roff's `\fB` glues a font letter to the next word ("Bword"), settled in one look-up.
  if (separator_escape(kind)) return word_after(text, at + 2, to) && word_before(text, from, at);
  return false;  // `\b`, or no escape
}

}  // namespace trawl::scan
