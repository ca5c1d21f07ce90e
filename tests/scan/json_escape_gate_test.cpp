// The JSON-escape gate (lib/scan/json_escape_gate.hpp) must be exact: the
// hits with it equal the hits with every escape decoded, on generated
// documents mixing escaped seeds, addresses, URIs, descriptors, roff and prose.
#include "scan/json_escape_gate.hpp"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/bip32_vectors.hpp"
#include "scan/descriptor_checksum.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

constexpr std::string_view kP2pkh = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
constexpr std::string_view kBech32 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

std::string hex2(unsigned b) {
  static constexpr char kHex[] = "0123456789abcdef";
  return {kHex[(b >> 4) & 15], kHex[b & 15]};
}

/// `text` with its byte at `at` written as \u00XX.
std::string u_escape_at(std::string_view text, std::size_t at) {
  return std::string(text.substr(0, at)) + "\\u00" + hex2(static_cast<unsigned char>(text[at])) +
         std::string(text.substr(at + 1));
}

/// Every '/' escaped as `\/`.
std::string slashes_escaped(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '/' ? std::string("\\/") : std::string(1, c);
  return out;
}

std::string descriptor() {
  auto d = descriptor_add_checksum("wpkh([deadbeef/84'/0'/0']" + std::string(test_vectors::kBip32Valid[0]) + "/0/*)");
  REQUIRE(d);
  return *d;
}

/// A checksum-valid phrase with its words joined by JSON-escaped separators
/// of one style (escaped newlines, a JSON array, numbered lines...).
std::string escaped_phrase(std::mt19937_64& random) {
  static constexpr Bip39Language kLanguages[] = {Bip39Language::english, Bip39Language::english,
                                                 Bip39Language::italian, Bip39Language::french,
                                                 Bip39Language::spanish, Bip39Language::czech};
  const Bip39Language language = kLanguages[random() % std::size(kLanguages)];
  const std::size_t count = 12 + 3 * (random() % 5);
  const std::string plain = random_bip39_phrase(random, language, count, " ");
  std::vector<std::string> words;
  for (std::size_t at = 0; at <= plain.size();) {
    const std::size_t end = std::min(plain.find(' ', at), plain.size());
    words.emplace_back(plain.substr(at, end - at));
    at = end + 1;
  }
  static constexpr std::string_view kGaps[] = {"\\n", "\\t", "\\r\\n", "\\n\\n", " \\n", "\\f", "\\\", \\\"", ", "};
  const std::string_view gap = kGaps[random() % std::size(kGaps)];
  const int style = static_cast<int>(random() % 4);
  std::string out = style == 1 ? "[\\\"" : "";
  for (std::size_t k = 0; k < words.size(); ++k) {
    std::string word = words[k];
    if (random() % 8 == 0) word = u_escape_at(word, random() % word.size());  // an escaped letter
    if (k > 0) out += style == 1 ? std::string("\\\", \\\"") : std::string(gap);
    if (style == 2) out += std::to_string(k + 1) + ". ";
    if (style == 3) out += std::to_string(k + 1) + ")\\t";
    out += word;
  }
  if (style == 1) out += "\\\"]";
  return out;
}

/// A piece of a document: escaped artifacts, roff, prose and escapes in between.
std::string piece(std::mt19937_64& random) {
  static const std::string kDescriptor = descriptor();
  static constexpr std::string_view kProse[] = {
      "The quick brown fox", "abandon ability able about", "see the\\nmanual page", "print \\\"done\\\\n\\\";",
      "wallet seed:",        "zoo wrong",                  "C:\\\\Users\\\\bob",   "http:\\/\\/example.com\\/a",
      "1.",                  "12)",                        "legal winner thank year", "\\u00e9t\\u00e9",
  };
  static constexpr std::string_view kRoff[] = {
      "\\fBabandon\\fR",      "\\fIability\\fP", "\\-\\-help",     "\\(em",   ".\\\" comment\n", "\\n[reg]",
      "\\\\fB",               "\\e",             "\\&.",           "\\*(Tm",  "\\fBseed\\fR\\n",  "\\\\\\n",
  };
  static constexpr std::string_view kSeparators[] = {" ", "\\n", "\\\"", "\n", "\\t", ": ", "\\/", "\\\\", "\\b", ""};
  switch (random() % 10) {
    case 0:
    case 1: return escaped_phrase(random);
    case 2: return u_escape_at(kP2pkh, random() % kP2pkh.size());
    case 3: return "bitcoin:" + std::string(kP2pkh) + "?label=a\\/b&message=c\\\\d";
    case 4: return random() % 2 == 0 ? slashes_escaped(kDescriptor) : u_escape_at(kDescriptor, random() % kDescriptor.size());
    case 5: return random() % 2 == 0 ? u_escape_at(kBech32, random() % kBech32.size()) : std::string(kBech32);
    case 6:
    case 7: return std::string(kRoff[random() % std::size(kRoff)]);
    default: {
      std::string out(kProse[random() % std::size(kProse)]);
      return out + std::string(kSeparators[random() % std::size(kSeparators)]);
    }
  }
}

/// About `bytes` of words no list holds, with the escapes of prose and roff.
std::string filler(std::mt19937_64& random, std::size_t bytes) {
  static constexpr std::string_view kWords[] = {"lorem", "ipsum", "foo", "bar", "qux", "zzt", "xq", "frob", "the"};
  static constexpr std::string_view kNoise[] = {".\\nThe", "\\fBfoo\\fR", "\\-\\-frob", "\\(em", "\\\"qux\\\"",
                                                "dir\\\\sub", "a\\/b", "\\t", "\\bx"};
  std::string out;
  while (out.size() < bytes) {
    out += random() % 6 == 0 ? kNoise[random() % std::size(kNoise)] : kWords[random() % std::size(kWords)];
    out += ' ';
  }
  return out;
}

std::vector<std::string> hits_of(const std::string& text, bool every_escape, std::size_t page_size) {
  WalletScanOptions options;
  options.reveal_secrets = true;
  options.decode_every_escape = every_escape;
  io::MemoryStream stream(text);
  std::vector<std::string> out;
  auto status = scan_wallet_stream(stream, page_size, options, [&](const WalletHit& hit) {
    out.push_back(std::to_string(hit.offset) + " " + std::to_string(hit.length) + " " + hit.kind + " " +
                  hit.encoding + " " + hit.value);
    return true;
  });
  REQUIRE(status);
  return out;
}

TEST_CASE("JsonEscapeGate: prose, code and roff escapes are skipped, escapes inside artifacts are not") {
  auto may_hit = [](std::string_view text) { return json_escape_may_hit(text, text.find('\\')); };
  CHECK_FALSE(may_hit("end of a sentence.\\nThe next one"));
  CHECK_FALSE(may_hit("\\fBwallet\\fR"));
  CHECK_FALSE(may_hit("print \"done\\n\";"));
  CHECK_FALSE(may_hit("a\\bb"));
  CHECK_FALSE(may_hit("dir\\\\Users"));       // `\\` with no URI scheme or descriptor checksum around it
  CHECK_FALSE(may_hit("see\\/also"));
  CHECK_FALSE(may_hit("abandon\\nThe end"));  // a list word on one side only
  CHECK(may_hit("x abandon\\nability y"));    // between two list words
  CHECK(may_hit("x zoo,\\n12. wrong y"));     // list numbers and separators between them
  CHECK_FALSE(may_hit("{\"m\":[\\\"abandon\\\", \\\"ability\\\"]}"));  // no word before the first \"
  CHECK(may_hit("[\\\"abandon y"));        // the window start: the bytes before it may hold a word
  CHECK(may_hit("x abandon\\\", \\\"ability y"));
  CHECK(may_hit("x\\u0041y"));                // any \u: letters, digits, non-ASCII
  CHECK(may_hit("bitcoin:1Boat?label=a\\/b"));
  CHECK(may_hit("wpkh([deadbeef\\/84'])#abcdefgh"));
  CHECK_FALSE(may_hit("no escape \\x here"));
}

TEST_CASE("JsonEscapeGate: hits with the gate equal hits with every escape decoded") {
  std::mt19937_64 random(0x6a736f6e);
  std::map<std::string, std::size_t> escaped_kinds;  // json-escaped hits by kind, over all documents
  for (int doc = 0; doc < 160; ++doc) {
    // Pieces far apart (filler with prose and roff escapes in between), so
    // that each piece's escapes are decoded only when the gate lets them through.
    std::string text;
    const std::size_t pieces = 3 + random() % 6;
    for (std::size_t k = 0; k < pieces; ++k) {
      text += filler(random, 1400 + random() % 800);
      text += piece(random);
      text += random() % 3 == 0 ? "\\n" : " ";
    }
    CAPTURE(doc);
    const auto all = hits_of(text, true, text.size());
    for (const std::string& hit : all) {
      const std::size_t kind_at = hit.find(' ', hit.find(' ') + 1) + 1;
      const std::size_t kind_end = hit.find(' ', kind_at);
      if (hit.compare(kind_end + 1, 12, "json-escaped") == 0) ++escaped_kinds[hit.substr(kind_at, kind_end - kind_at)];
    }
    CHECK(hits_of(text, false, text.size()) == all);
    if (doc % 8 == 0) {
      for (std::size_t page : {std::size_t{97}, std::size_t{4096}}) {
        CAPTURE(page);
        CHECK(hits_of(text, false, page) == hits_of(text, true, page));
      }
    }
  }
  // Every way an escape lies in a hit was tried (else the comparison proves little).
  CHECK(escaped_kinds["bip39.phrase"] >= 50);
  CHECK(escaped_kinds["btc.p2pkh"] >= 10);
  CHECK(escaped_kinds["btc.uri"] >= 10);
  CHECK(escaped_kinds["btc.descriptor"] >= 10);
  CHECK(escaped_kinds["btc.p2wpkh"] >= 5);
}

}  // namespace
}  // namespace trawl::scan
