#include "scan/json_escaped.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

constexpr std::string_view kP2pkh = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
constexpr std::string_view kPhrase =
    "legal winner thank year wave sausage worth useful legal winner thank yellow";  // BIP39 vector 7f7f...

/// Every byte as \u00XX: the most bytes an ASCII text can take when JSON-escaped.
std::string u_escaped(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    out += "\\u00";
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::vector<WalletHit> scan_text(std::string_view text) {
  WalletWindow w;
  w.data = {reinterpret_cast<const std::byte*>(text.data()), text.size()};
  w.page_end = text.size();
  return scan_wallets(w, WalletScanOptions{true});
}

TEST_CASE("JsonEscaped: escapes decode and each decoded byte maps to its escaped bytes") {
  JsonUnescaped d;
  const std::string_view in = R"(a\"b\/c\u0041\n\u00e9\ud83d\ude00\x\)";
  json_unescape(in, 1000, d);
  CHECK(d.text == "a\"b/cA\n\xC3\xA9\xF0\x9F\x98\x80\\x\\");
  CHECK(d.escapes == 6);
  REQUIRE(d.begin.size() == d.text.size() + 1);
  CHECK(d.input_offset(1) == 1);  // \" starts at 1
  CHECK(d.input_end(1, 1) == 3);
  CHECK(d.input_offset(5) == 7);  // \u0041
  CHECK(d.input_end(5, 1) == 13);
  CHECK(d.input_offset(7) == 15);  // both bytes of é come from \u00e9
  CHECK(d.input_end(7, 2) == 21);
  CHECK(d.input_end(9, 4) == 33);  // a surrogate pair: one character of 12 escaped bytes
  // Lone surrogates become U+FFFD; a truncated \u is kept as bytes.
  json_unescape(R"(\udc00\ud800x\u12)", 1000, d);
  CHECK(d.text == "\xEF\xBF\xBD\xEF\xBF\xBDx\\u12");
  json_unescape("abc", 2, d);
  CHECK(d.text == "ab");
  CHECK(has_json_escape(R"(x\"y)"));
  CHECK(has_json_escape(R"(\u00e9)"));
  CHECK_FALSE(has_json_escape(R"(C:\x\q \u12)"));
  CHECK_FALSE(has_json_escape("no backslash"));
  CHECK_FALSE(has_json_escape("\\"));
}

TEST_CASE("WalletScanner: JSON-escaped addresses and phrases are found at their escaped bytes") {
  const std::string address = u_escaped(kP2pkh);
  std::string phrase(kPhrase);
  for (std::size_t at = phrase.find(' '); at != std::string::npos; at = phrase.find(' ', at + 8))
    phrase.replace(at, 1, "\\u0020");
  const std::string text = "{\\\"a\\\":\\\"" + address + "\\\",\\\"m\\\":\\\"" + phrase + "\\\"}";
  const auto hits = scan_text(text);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].kind == "btc.p2pkh");
  CHECK(hits[0].value == kP2pkh);
  CHECK(hits[0].encoding == "json-escaped");
  CHECK(hits[0].offset == text.find(address));
  CHECK(hits[0].length == address.size());
  CHECK(hits[1].kind == "bip39.phrase");
  CHECK(hits[1].value == kPhrase);
  CHECK(hits[1].encoding == "json-escaped");
  CHECK(hits[1].offset == text.find(phrase));
  CHECK(hits[1].length == phrase.size());

  // Words separated by escaped newlines, as an exported JSON note holds them.
  std::string lines(kPhrase);
  for (std::size_t at = lines.find(' '); at != std::string::npos; at = lines.find(' ', at))
    lines.replace(at, 1, "\\n");
  const auto note = scan_text("{\"note\":\"" + lines + "\"}");
  REQUIRE(note.size() == 1);
  CHECK(note[0].encoding == "json-escaped");
  CHECK(note[0].length == lines.size());
}

TEST_CASE("WalletScanner: a value between escaped quotes is a plain hit, reported once") {
  const std::string text = "{\\\"address\\\":\\\"" + std::string(kP2pkh) + "\\\"}";
  const auto hits = scan_text(text);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].encoding.empty());
  CHECK(hits[0].offset == text.find(kP2pkh));
}

TEST_CASE("WalletScanner: an escaped backslash is one character, not the start of an escape") {
  const std::string rest(kP2pkh.substr(1));
  // "\\" then "\u0031" (the digit 1): the address follows a backslash.
  const auto hits = scan_text("x\\\\\\u0031" + rest + " ");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].value == kP2pkh);
  CHECK(hits[0].offset == 3);
  // "\\" then the text "u0031...": no address.
  CHECK(scan_text("x\\\\u0031" + rest + " ").empty());
}

TEST_CASE("WalletScanner: JSON-escaped hits straddling page boundaries are found once") {
  const std::string phrase24 = u_escaped(
      "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal "
      "winner thank year wave sausage worth title");
  std::string data = std::string(4090, 'x') + " \\\"" + u_escaped(kP2pkh) + "\\\" " + phrase24 + "\\n" +
                     u_escaped(kPhrase) + "\\\"," + std::string(kP2pkh) + "\\n" + u_escaped(kP2pkh);
  const auto whole = paged_wallet_hits(data, data.size());
  REQUIRE(whole.size() == 5);
  CHECK(whole[0] == "4093 204 btc.p2pkh json-escaped " + std::string(kP2pkh));
  CHECK(whole[2].find("bip39.phrase json-escaped") != std::string::npos);
  CHECK(whole[3] == std::to_string(data.find(std::string("\",") + std::string(kP2pkh)) + 2) + " 34 btc.p2pkh  " + std::string(kP2pkh));  // plain: no encoding
  for (std::size_t page : {1, 17, 4096, 4097}) {
    CAPTURE(page);
    CHECK(paged_wallet_hits(data, page) == whole);
  }
}

std::string spaces_escaped(std::string_view text) {
  std::string out(text);
  for (std::size_t at = out.find(' '); at != std::string::npos; at = out.find(' ', at + 6)) out.replace(at, 1, "\\u0020");
  return out;
}

TEST_CASE("WalletScanner: JSON-escaped text stored as UTF-16 is decoded, then unescaped") {
  for (bool le : {true, false}) {
    CAPTURE(le);
    const std::string encoding = le ? "utf-16le+json-escaped" : "utf-16be+json-escaped";
    const std::string address = u_escaped(kP2pkh);
    const std::string phrase = spaces_escaped(kPhrase);
    const std::string json = "{\\\"a\\\":\\\"" + address + "\\\",\\\"m\\\":\\\"" + phrase + "\\\",\\\"p\\\":\\\"" +
                             std::string(kP2pkh) + "\\\"}";
    const std::string text = "\x01\x02" + ascii_as_utf16(json, le) + std::string(4, '\0');
    const auto hits = scan_text(text);
    REQUIRE(hits.size() == 3);
    CHECK(hits[0].kind == "btc.p2pkh");
    CHECK(hits[0].value == kP2pkh);
    CHECK(hits[0].encoding == encoding);
    CHECK(hits[0].offset == 2 + 2 * json.find(address));
    CHECK(hits[0].length == 2 * address.size());
    CHECK(hits[1].kind == "bip39.phrase");
    CHECK(hits[1].value == kPhrase);
    CHECK(hits[1].encoding == encoding);
    CHECK(hits[1].offset == 2 + 2 * json.find(phrase));
    CHECK(hits[1].length == 2 * phrase.size());
    // Between escaped quotes but without an escape inside: a UTF-16 hit, once.
    CHECK(hits[2].encoding == (le ? "utf-16le" : "utf-16be"));
    CHECK(hits[2].offset == 2 + 2 * json.rfind(kP2pkh));
  }
  // Invalid escapes in UTF-16 text decode as themselves: nothing found, nothing crashes.
  CHECK(scan_text(ascii_as_utf16("\\u12\\x\\ \\u00zz " + std::string(kP2pkh.substr(0, 20)), true)).empty());
}

TEST_CASE("WalletScanner: JSON-escaped UTF-16 hits straddling page boundaries are found once") {
  for (bool le : {true, false}) {
    CAPTURE(le);
    const std::string encoding = le ? "utf-16le+json-escaped" : "utf-16be+json-escaped";
    const std::string json = std::string(2040, 'x') + " \\\"" + u_escaped(kP2pkh) + "\\\" " + spaces_escaped(kPhrase) +
                             "\\n" + u_escaped(kP2pkh) + "\\\"," + std::string(kP2pkh) + "\\n" + u_escaped(kP2pkh);
    const std::string data = ascii_as_utf16(json, le);
    const auto whole = paged_wallet_hits(data, data.size());
    REQUIRE(whole.size() == 5);
    CHECK(whole[0] == std::to_string(2 * 2043) + " 408 btc.p2pkh " + encoding + " " + std::string(kP2pkh));
    CHECK(whole[1].find("bip39.phrase " + encoding) != std::string::npos);
    CHECK(whole[3].find(" 68 btc.p2pkh utf-16") != std::string::npos);
    for (std::size_t page : {1, 17, 4096, 4097}) {
      CAPTURE(page);
      CHECK(paged_wallet_hits(data, page) == whole);
    }
  }
}

TEST_CASE("WalletScanner: a UTF-16 region from the stream start is read the same by every page") {
  // A UTF-16LE region whose last byte is a character (so its end alone would say UTF-16BE): the stream
  // start, seen as look-behind by later pages, is not a cut and decides (found by wallet_scanner_fuzz).
  for (const std::string& address : {std::string(kP2pkh), "\\u0031" + std::string(kP2pkh.substr(1))}) {
    CAPTURE(address);
    const std::string data = ascii_as_utf16("x{\"a\":\"" + address + "\"}", true) + "0'\x9b\xf1" + std::string(3, '\0');
    const auto whole = paged_wallet_hits(data, data.size());
    REQUIRE(whole.size() == 1);
    CHECK(whole[0].rfind(std::to_string(2 * 7) + " ", 0) == 0);
    CHECK(whole[0].find(" utf-16le") != std::string::npos);
    for (std::size_t page : {1, 17, 4096, 4097}) {
      CAPTURE(page);
      CHECK(paged_wallet_hits(data, page) == whole);
    }
  }
}

}  // namespace
}  // namespace trawl::scan
