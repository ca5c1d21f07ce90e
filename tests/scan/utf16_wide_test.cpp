// Seed phrases in UTF-16 text with letters beyond ASCII (utf16_wide.hpp and
// the scanner's pass over it): regions, decoding, and seeds and phrases found
// once with their UTF-16 offsets whatever the page size.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scan/utf16_wide.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

/// UTF-8 (BMP only) as UTF-16LE or BE.
std::string utf16(std::string_view utf8, bool le) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t u = c;
    std::size_t n = 1;
    if (c >= 0xE0) {
      u = (c & 0x0F) << 12 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F) << 6 | (static_cast<unsigned char>(utf8[i + 2]) & 0x3F);
      n = 3;
    } else if (c >= 0xC0) {
      u = (c & 0x1F) << 6 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F);
      n = 2;
    }
    out += static_cast<char>(le ? u & 0xFF : u >> 8);
    out += static_cast<char>(le ? u >> 8 : u & 0xFF);
    i += n;
  }
  return out;
}

std::string cli_seed(std::string_view language) {
  std::ifstream in(std::string(TRAWL_SOURCE_DIR) + "/tests/data/wallet_seeds/monero_wallet_cli.tsv");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(std::string(language) + "\t", 0) == 0) return line.substr(language.size() + 1);
  FAIL("no seed");
  return {};
}

TEST_CASE("Utf16Wide: decoding maps every UTF-8 byte to its unit") {
  const std::string text = utf16("a\xD0\xB4 \xE7\xBB\xAD", true);  // "aд 续"
  WideUtf16Text decoded;
  decode_wide_utf16(text, WideUtf16Region{0, text.size(), true}, decoded);
  CHECK(decoded.utf8 == "a\xD0\xB4 \xE7\xBB\xAD");
  CHECK(decoded.unit_of == std::vector<std::uint32_t>{0, 1, 1, 2, 3, 3, 3, 4});
  CHECK(decoded.wide == std::vector<bool>{false, true, false, true});
}

TEST_CASE("Utf16Wide: a region around a seed among random bytes, none in random bytes alone") {
  std::mt19937_64 random(7);
  std::string noise;
  for (int i = 0; i < (1 << 20); ++i) noise += static_cast<char>(random() & 0xFF);
  std::vector<WideUtf16Region> regions;
  wide_utf16_regions(noise, noise.size(), 11, regions);
  CHECK(regions.empty());
  for (bool le : {true, false}) {
    const std::string seed = utf16(cli_seed("russian"), le);
    const std::string text = noise.substr(0, 4001) + seed + noise.substr(5000, 3000);
    wide_utf16_regions(text, text.size(), 11, regions);
    REQUIRE(regions.size() == 1);
    CHECK(regions[0].le == le);
    CHECK(regions[0].begin <= 4001);
    CHECK(regions[0].end >= 4001 + seed.size());
    CHECK(regions[0].end - regions[0].begin < seed.size() + 64);  // random bytes rarely continue it far
  }
}

TEST_CASE("Utf16Wide: seeds and phrases in UTF-16 with letters beyond ASCII, once whatever the page size") {
  // Monero seeds from monero-wallet-cli, a Japanese BIP39 phrase (words apart by U+3000) and an ASCII one (the
  // ASCII pass finds it; the wide pass must not report it again), as a Windows note with a byte order mark.
  const std::string japanese_phrase =
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80"
      "\xe3\x81\x82\xe3\x81\x8a\xe3\x81\x9e\xe3\x82\x89";
  const std::string english_phrase =
      "legal winner thank year wave sausage worth useful legal winner thank yellow";
  struct Part {
    std::string text;
    std::string expect;  ///< "kind language" of the hit, empty for none
  };
  const std::vector<Part> parts = {
      {"Notes (Windows):\r\n", ""},
      {cli_seed("russian"), "monero.seed russian"},
      {"\r\n", ""},
      {cli_seed("japanese"), "monero.seed japanese"},
      {"\r\n", ""},
      {cli_seed("chinese_simplified"), "monero.seed chinese_simplified"},
      {"\r\n", ""},
      {cli_seed("spanish"), "monero.seed spanish"},
      {"\r\n", ""},
      {japanese_phrase, "bip39.phrase japanese"},
      {"\r\n", ""},
      {english_phrase, "bip39.phrase english"},
      {"\r\n", ""},
  };
  for (bool le : {true, false}) {
    std::string text = le ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
    std::vector<std::string> expected;
    const std::string encoding = le ? "utf-16le" : "utf-16be";
    for (const Part& part : parts) {
      const std::string bytes = utf16(part.text, le);
      if (!part.expect.empty())
        expected.push_back(std::to_string(text.size()) + " " + std::to_string(bytes.size()) + " " + part.expect + " " +
                           encoding);
      text += bytes;
    }
    std::sort(expected.begin(), expected.end());
    for (std::size_t page : {std::size_t{17}, std::size_t{4096}, std::size_t{4097}, text.size()}) {
      CAPTURE(le);
      CAPTURE(page);
      std::vector<std::string> found;
      for_each_wallet_page(text, page, true, [&](const io::Chunk&, const auto& hits, const std::vector<SeedHit>& seeds) {
        for (const WalletHit& h : hits)
          if (h.kind == "bip39.phrase")
            found.push_back(std::to_string(h.offset) + " " + std::to_string(h.length) + " " + h.kind + " " +
                            h.language + " " + h.encoding);
        for (const SeedHit& s : seeds)
          found.push_back(std::to_string(s.offset) + " " + std::to_string(s.length) + " " + s.kind + " " + s.language +
                          " " + s.encoding);
      });
      std::sort(found.begin(), found.end());
      CHECK(found == expected);
    }
  }
}

}  // namespace
}  // namespace trawl::scan
