#include "scan/wallet_scanner.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/base58.hpp"
#include "scan/bech32.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

constexpr std::string_view kP2pkh = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
constexpr std::string_view kP2sh = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
constexpr std::string_view kP2wpkh = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";  // BIP173 example, lower case
constexpr std::string_view kEth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";     // EIP-55 example
constexpr std::string_view kPhrase =
    "legal winner thank year wave sausage worth useful legal winner thank yellow";  // BIP39 vector 7f7f...

std::span<const std::byte> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::vector<WalletHit> scan_text(std::string_view text, const WalletScanOptions& options = {}) {
  WalletWindow w;
  w.data = bytes_of(text);
  w.page_end = text.size();
  return scan_wallets(w, options);
}

/// The single hit in `text`; fails the test when there is not exactly one.
WalletHit only_hit(std::string_view text, const WalletScanOptions& options = {}) {
  auto hits = scan_text(text, options);
  REQUIRE(hits.size() == 1);
  return hits.front();
}

std::string base58_address(std::uint8_t version) {
  std::vector<std::uint8_t> payload(21, 0x42);
  payload[0] = version;
  return base58check_encode(payload);
}

TEST_CASE("WalletScanner: each kind is found with its exact offset and length") {
  struct Case {
    std::string_view value;
    const char* kind;
    const char* confidence;
  };
  const Case cases[] = {
      {kP2pkh, "btc.p2pkh", "checksum"},
      {kP2sh, "btc.p2sh", "checksum"},
      {kP2wpkh, "btc.p2wpkh", "checksum"},
      {kEth, "eth.address", "checksum"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.value);
    const std::string text = "paid to: " + std::string(c.value) + ", thanks\n";
    const WalletHit hit = only_hit(text);
    CHECK(hit.kind == c.kind);
    CHECK(hit.value == c.value);
    CHECK(hit.confidence == std::string(c.confidence));
    CHECK(hit.offset == 9);
    CHECK(hit.length == c.value.size());
  }
}

TEST_CASE("WalletScanner: a BIP39 phrase is found, redacted unless secrets are revealed") {
  const std::string text = "seed:\n" + std::string(kPhrase) + "\nend";
  WalletHit hit = only_hit(text);
  CHECK(hit.kind == "bip39.phrase");
  CHECK(hit.offset == 6);
  CHECK(hit.length == kPhrase.size());
  CHECK(hit.language == "english");
  CHECK(hit.words == 12);
  CHECK(hit.confidence == "checksum");
  CHECK(hit.value == "legal \xE2\x80\xA6 yellow (12 words)");
  hit = only_hit(text, WalletScanOptions{true});
  CHECK(hit.value == kPhrase);
}

TEST_CASE("WalletScanner: version bytes name the chain") {
  const std::pair<std::uint8_t, const char*> cases[] = {
      {0x6f, "btc-testnet.p2pkh"}, {0xc4, "btc-testnet.p2sh"}, {0x30, "ltc.p2pkh"},
      {0x32, "ltc.p2sh"},          {0x1e, "doge.p2pkh"},       {0x16, "doge.p2sh"},
  };
  for (const auto& [version, kind] : cases) {
    const std::string address = base58_address(version);
    CAPTURE(address);
    const WalletHit hit = only_hit(" " + address + " ");
    CHECK(hit.kind == kind);
    CHECK(hit.offset == 1);
  }
  // A valid base58check string with an unknown version, or a payload that is not 21 bytes, is no address.
  CHECK(scan_text(" " + base58_address(0x99) + " ").empty());
  const std::vector<std::uint8_t> long_payload(24, 0);
  CHECK(scan_text(" " + base58check_encode(long_payload) + " ").empty());
}

TEST_CASE("WalletScanner: segwit kinds for bc1, tb1 and ltc1, upper case too, mixed case never") {
  const std::vector<std::uint8_t> program20(20, 7), program32(32, 9);
  struct Case {
    const char* hrp;
    int version;
    const std::vector<std::uint8_t>* program;
    const char* kind;
  };
  const Case cases[] = {
      {"bc", 0, &program32, "btc.p2wsh"},   {"bc", 1, &program32, "btc.p2tr"},
      {"tb", 0, &program20, "btc-testnet.p2wpkh"}, {"ltc", 0, &program20, "ltc.p2wpkh"},
  };
  for (const auto& c : cases) {
    auto address = segwit_encode(c.hrp, c.version, *c.program);
    REQUIRE(address);
    CAPTURE(*address);
    CHECK(only_hit("<" + *address + ">").kind == c.kind);
  }
  std::string upper(kP2wpkh);
  for (char& ch : upper) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
  CHECK(only_hit(" " + upper + " ").kind == "btc.p2wpkh");
  std::string mixed(kP2wpkh);
  mixed[5] = 'W';
  CHECK(scan_text(" " + mixed + " ").empty());
}

TEST_CASE("WalletScanner: EIP-55 all-lower is structure, a wrong mixed case is skipped") {
  std::string lower(kEth);
  for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  const WalletHit hit = only_hit("to=" + lower + ";");
  CHECK(hit.confidence == "structure");
  CHECK(hit.offset == 3);
  std::string wrong(kEth);
  wrong[3] = 'A';  // 0x5aAeb... -> 0x5AAeb...
  CHECK(scan_text(" " + wrong + " ").empty());
}

TEST_CASE("WalletScanner: one changed character is not found") {
  for (std::string_view value : {kP2pkh, kP2sh, kP2wpkh, kEth}) {
    std::string changed(value);
    const std::size_t at = changed.size() - 3;
    changed[at] = changed[at] == '7' ? '8' : '7';
    CAPTURE(changed);
    CHECK(scan_text(" " + changed + " ").empty());
  }
  std::string phrase(kPhrase);
  phrase.replace(0, 5, "lemon");  // "legal" -> "lemon": a list word, wrong checksum
  CHECK(scan_text(phrase).empty());
}

TEST_CASE("WalletScanner: a base58 run glued to more base58 characters is not found") {
  CHECK(scan_text("abc" + std::string(kP2pkh)).empty());
  CHECK(scan_text(std::string(kP2pkh) + "xyz").empty());
  CHECK(scan_text("0x" + std::string(kEth.substr(2)) + "a").empty());
  CHECK(scan_text("z" + std::string(kP2wpkh)).empty());
  // Delimited by non-base58 characters ('0', 'l') it is found.
  CHECK(only_hit("0" + std::string(kP2pkh) + "l").offset == 1);
}

TEST_CASE("WalletScanner: only hits starting in the page are reported; the byte before the window counts") {
  const std::string text = "  " + std::string(kP2pkh) + "  " + std::string(kEth) + "  ";
  WalletWindow w;
  w.data = bytes_of(text);
  w.page_end = 3;  // the address starts at 2, the Ethereum address at 38
  auto hits = scan_wallets(w);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == "btc.p2pkh");
  w.page_end = 2;
  CHECK(scan_wallets(w).empty());

  const std::string at_start = std::string(kP2pkh) + " ";
  w.data = bytes_of(at_start);
  w.page_end = at_start.size();
  w.before = static_cast<std::uint8_t>('A');  // the run began in the previous page
  CHECK(scan_wallets(w).empty());
  w.before = static_cast<std::uint8_t>('\n');
  CHECK(scan_wallets(w).size() == 1);

  const std::string phrase(kPhrase);
  w.data = bytes_of(phrase);
  w.page_end = phrase.size();
  w.before = static_cast<std::uint8_t>('x');  // "xlegal" is no word
  CHECK(scan_wallets(w).empty());
  w.before = static_cast<std::uint8_t>(' ');
  CHECK(scan_wallets(w).size() == 1);
  w.phrase_resume = 1;  // a phrase reported by the previous window ends after 0
  CHECK(scan_wallets(w).empty());
}

TEST_CASE("WalletScanner: a stream gives the same hits whatever the page size") {
  // Phrases back to back (a 24-word phrase whose tail may hold a shorter valid
  // one), addresses glued to each other and to text, list numbering.
  const std::string phrase24 =
      "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal "
      "winner thank year wave sausage worth title";
  std::string data = "start " + std::string(kP2pkh) + "\n" + phrase24 + "\n" + std::string(kPhrase) + "\n1. " +
                     std::string(kEth) + "," + std::string(kP2wpkh) + ";" + std::string(kP2sh) + std::string(kP2pkh) +
                     " [\"" + std::string(kP2sh) + "\"]\n" + "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong\tx" +
                     std::string(kP2pkh) + " " + std::string(kP2pkh);
  const auto whole = paged_wallet_hits(data, data.size());
  REQUIRE(whole.size() == 8);
  CHECK(whole.front() == "6 34 btc.p2pkh  " + std::string(kP2pkh));  // plain: no encoding
  CHECK(whole.back() == std::to_string(data.size() - kP2pkh.size()) + " 34 btc.p2pkh  " + std::string(kP2pkh));
  for (std::size_t page : {1, 2, 17, 100, 4096, 4097}) {
    CAPTURE(page);
    CHECK(paged_wallet_hits(data, page) == whole);
  }
}

TEST_CASE("WalletScanner: the margin covers a 24-word phrase of the longest words and an address") {
  CHECK(wallet_scan_margin() >= 24 * 33 + 90);
  CHECK(wallet_scan_margin() < 4096);
}

TEST_CASE("WalletScanner: random bytes give no hits") {
  std::mt19937_64 random(20261128);
  std::string data(4u << 20, '\0');
  for (std::size_t i = 0; i < data.size(); i += 8) {
    const std::uint64_t v = random();
    for (std::size_t k = 0; k < 8 && i + k < data.size(); ++k) data[i + k] = static_cast<char>(v >> (8 * k));
  }
  CHECK(scan_text(data).empty());
}

}  // namespace
}  // namespace trawl::scan
