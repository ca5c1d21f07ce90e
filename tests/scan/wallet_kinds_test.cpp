// The kinds added to WalletScanner: keys, descriptors, URIs, more chains,
// UTF-16 text; official vectors where they exist (sources in comments).
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/base58.hpp"
#include "scan/bech32.hpp"
#include "scan/bip32_vectors.hpp"
#include "scan/descriptor_checksum.hpp"
#include "scan/monero_address.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

std::vector<WalletHit> scan_text(std::string_view text, bool reveal = false) {
  WalletWindow w;
  w.data = {reinterpret_cast<const std::byte*>(text.data()), text.size()};
  w.page_end = text.size();
  return scan_wallets(w, WalletScanOptions{reveal});
}

std::vector<std::string> kinds_in(std::string_view text) {
  std::vector<std::string> kinds;
  for (const auto& hit : scan_text(text)) kinds.push_back(hit.kind);
  return kinds;
}

/// The kind of the single hit spanning exactly `value` in " value ", or "" (none or several).
std::string kind_of(std::string_view value) {
  const std::string text = " " + std::string(value) + " ";
  const auto hits = scan_text(text, true);
  if (hits.size() != 1 || hits[0].offset != 1 || hits[0].length != value.size()) return "";
  return hits[0].kind;
}

std::string encoded(std::vector<std::uint8_t> payload) { return base58check_encode(payload); }

// Research note §2 (verified values) and the official documents cited there.
constexpr std::string_view kWifUncompressed = "5JuW2AMDYu4xVwRG9DZW18VbzQrGcd5RCgb99sS6ehJsNQXu5b9";  // key_io_valid.json
constexpr std::string_view kWifCompressed = "L5nJeqKmpHp4P7F8ZYyjwc5a7P4d8EabuGAzfGJk7yC1BJyzNaEd";    // key_io_valid.json
constexpr std::string_view kWif380 = "L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1";          // BIP380
constexpr std::string_view kXrp = "r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59";                                // xrpl.org
constexpr std::string_view kTron = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
constexpr std::string_view kMonero =
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
constexpr std::string_view kCashP2pkh = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a";  // cashaddr.md
constexpr std::string_view kCashP2sh = "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq";
// CIP-19
constexpr std::string_view kAdaBase =
    "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x";
constexpr std::string_view kAdaEnterprise = "addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8";
constexpr std::string_view kAdaStake = "stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw";
constexpr std::string_view kP2pkh = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
constexpr std::string_view kEth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
constexpr std::string_view kPhrase =
    "legal winner thank year wave sausage worth useful legal winner thank yellow";

std::string zcash_address(std::uint8_t v1) {
  std::vector<std::uint8_t> payload(22, 0x33);
  payload[0] = 0x1C;
  payload[1] = v1;
  return encoded(payload);
}

std::string bip38_key(std::uint8_t type, std::uint8_t flag) {
  std::vector<std::uint8_t> payload(39, 0x5a);
  payload[0] = 0x01;
  payload[1] = type;
  payload[2] = flag;
  return encoded(payload);
}

std::string long_bech32(std::string_view hrp, std::size_t groups) {
  std::vector<std::uint8_t> data(groups);
  for (std::size_t i = 0; i < groups; ++i) data[i] = static_cast<std::uint8_t>((i * 7 + 3) % 32);
  auto text = bech32_encode(hrp, data, Bech32Encoding::bech32);
  REQUIRE(text);
  return *text;
}

std::string descriptor() {
  auto d = descriptor_add_checksum("wpkh([deadbeef/84'/0'/0']" + std::string(test_vectors::kBip32Valid[0]) + "/0/*)");
  REQUIRE(d);
  return *d;
}

std::string solana_key() {
  std::vector<std::uint8_t> key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return base58_encode(key);
}

TEST_CASE("WalletKinds: WIF keys are secrets, redacted unless revealed; out-of-range keys are not found") {
  CHECK(kind_of(kWifUncompressed) == "btc.wif");
  CHECK(kind_of(kWifCompressed) == "btc.wif");
  CHECK(kind_of(kWif380) == "btc.wif");
  const auto hits = scan_text(" " + std::string(kWifCompressed) + " ");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].secret);
  CHECK(hits[0].value == "L5nJ\xE2\x80\xA6NaEd");
  std::vector<std::uint8_t> payload(33, 0);
  payload[0] = 0x80;  // k = 0
  CHECK(kind_of(encoded(payload)) == "");
  payload[0] = 0xEF;
  payload[32] = 1;
  CHECK(kind_of(encoded(payload)) == "btc-testnet.wif");
  std::vector<std::uint8_t> n = {0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48,
                                 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41, 0x01};
  CHECK(kind_of(encoded(n)) == "");  // k = n, compressed
  payload.push_back(0x02);           // compressed flag must be 0x01
  CHECK(kind_of(encoded(payload)) == "");
}

TEST_CASE("WalletKinds: BIP32 test vectors 1-5 and BIP84 keys") {
  for (std::string_view key : test_vectors::kBip32Valid) {
    CAPTURE(key);
    const std::string kind = kind_of(key);
    CHECK(kind == "btc." + std::string(key.substr(0, 4)));
  }
  for (std::string_view key : test_vectors::kBip32Invalid) {
    CAPTURE(key);
    CHECK(kinds_in(" " + std::string(key) + " ").empty());
  }
  const auto hits = scan_text(" " + std::string(test_vectors::kBip32Valid[1]) + " ");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == "btc.xprv");
  CHECK(hits[0].secret);
  CHECK(hits[0].value.size() < 20);
}

TEST_CASE("WalletKinds: BIP38 structure (prefix, flag, length, checksum)") {
  CHECK(kind_of("6PRVWUbkzzsbcVac2qwfssoUJAN1Xhrg6bNk8J7Nzm5H7kxEbn2Nh2ZoGg") == "btc.bip38");  // BIP38 vector 1
  CHECK(kind_of(bip38_key(0x42, 0xE0)) == "btc.bip38");
  CHECK(kind_of(bip38_key(0x43, 0x20)) == "btc.bip38");
  CHECK(kind_of(bip38_key(0x42, 0x00)) == "");
  CHECK(kind_of(bip38_key(0x44, 0xC0)) == "");
}

TEST_CASE("WalletKinds: descriptors with a BIP380 checksum") {
  CHECK(kind_of("raw(deadbeef)#89f8spxm") == "btc.descriptor");
  for (std::string_view bad : {"raw(deadbeef)", "raw(deadbeef)#", "raw(deadbeef)#89f8spxmx", "raw(deadbeef)#89f8spx",
                               "raw(deedbeef)#89f8spxm", "raw(deedbeef)##9f8spxm"}) {
    CAPTURE(bad);
    CHECK(kinds_in(std::string(" ") + std::string(bad) + " ").empty());
  }
  const std::string d = descriptor();
  const auto hits = scan_text("desc: " + d + "\n");
  REQUIRE(hits.size() == 2);  // the descriptor and the xpub inside it
  CHECK(hits[0].kind == "btc.descriptor");
  CHECK(hits[0].offset == 6);
  CHECK(hits[0].length == d.size());
  CHECK(hits[1].kind == "btc.xpub");
}

TEST_CASE("WalletKinds: bitcoin: and ethereum: URIs report the address and the URI text") {
  const std::string btc = "pay bitcoin:" + std::string(kP2pkh) + "?amount=0.1&label=x now";
  auto hits = scan_text(btc);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].kind == "btc.uri");
  CHECK(hits[0].offset == 4);
  CHECK(hits[0].value == kP2pkh);
  CHECK(hits[0].text == "bitcoin:" + std::string(kP2pkh) + "?amount=0.1&label=x");
  CHECK(hits[1].kind == "btc.p2pkh");
  const std::string eth = "<a href=\"ethereum:" + std::string(kEth) + "@1/transfer?value=1\">";
  hits = scan_text(eth);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].kind == "eth.uri");
  CHECK(hits[1].kind == "eth.address");
  CHECK(hits[0].text == "ethereum:" + std::string(kEth) + "@1/transfer?value=1");
}

TEST_CASE("WalletKinds: more chains, official or verified examples") {
  CHECK(kind_of(kXrp) == "xrp.address");
  CHECK(kind_of(kTron) == "trx.address");
  CHECK(kind_of(zcash_address(0xB8)) == "zec.p2pkh");
  CHECK(kind_of(zcash_address(0xBD)) == "zec.p2sh");
  CHECK(kind_of(kMonero) == "xmr.address");
  CHECK(kind_of(kCashP2pkh) == "bch.p2pkh");
  CHECK(kind_of(kCashP2sh) == "bch.p2sh");
  CHECK(kind_of(kCashP2pkh.substr(12)) == "bch.p2pkh");
  CHECK(kind_of(kAdaBase) == "ada.address");
  CHECK(kind_of(kAdaEnterprise) == "ada.address");
  CHECK(kind_of(kAdaStake) == "ada.stake");
  CHECK(kind_of(long_bech32("lnbc2500u", 200)) == "btc.lightning");
  // BOLT11 example (P2WPKH fallback), lightning/bolts 11-payment-encoding.md
  CHECK(kind_of("lnbc20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqq"
                "syqcyq5rqwzqfqypqfppqw508d6qejxtdg4y5r3zarvary0c5xw7kepvrhrm9s57hejg0p662ur5j5cr03890fa7k2pypgttmh4897d3"
                "raaq85a293e9jpuqwl0rnfuwzam7yr8e690nd2ypcq9hlkdwdvycqa0qza8") == "btc.lightning");
  CHECK(kind_of(long_bech32("ltcmweb", 120)) == "ltc.mweb");
  // One changed character: nothing.
  for (std::string_view value : {kXrp, kTron, kMonero, kCashP2pkh, kAdaBase, kAdaStake}) {
    std::string changed(value);
    const std::size_t at = changed.size() - 5;
    changed[at] = changed[at] == 'q' ? 'p' : 'q';
    CAPTURE(changed);
    CHECK(kinds_in(" " + changed + " ").empty());
  }
  // CIP-19 mock address with a bad checksum (research note §2.2).
  CHECK(kinds_in(" addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3jcu5d8ps7zex2k2xt3uqxgjqnnj0vs2qd4a3s2rw5tkqqpyr0x8 ")
            .empty());
  CHECK(monero_base58_decode("1").has_value() == false);
}

TEST_CASE("WalletKinds: Solana needs a context keyword within 64 bytes") {
  const std::string key = solana_key();
  CHECK(kinds_in("id " + key + " end").empty());
  const auto hits = scan_text("Phantom wallet address: " + key);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == "sol.address");
  CHECK(hits[0].confidence == "context");
  CHECK(kinds_in("sol" + std::string(80, '.') + key).empty());
  CHECK(kinds_in("resolver: " + key).empty());  // whole words only
  CHECK(kinds_in("SOL: " + key).size() == 1);
  // Before or after the run, whole, within 64 bytes of it (to the keyword's last byte after it).
  CHECK(kinds_in(key + " wallet").size() == 1);
  CHECK(kinds_in(key + " wallets").empty());
  CHECK(kinds_in("pwallet " + key).empty());
  CHECK(kinds_in("wallet" + std::string(58, '.') + key).size() == 1);
  CHECK(kinds_in("wallet" + std::string(59, '.') + key).empty());
  CHECK(kinds_in(key + std::string(61, '.') + "sol").size() == 1);
  CHECK(kinds_in(key + std::string(62, '.') + "sol").empty());
  CHECK(kinds_in(key + std::string(40, '.') + "Solana, phantom").size() == 1);
}

TEST_CASE("WalletKinds: artifacts in UTF-16LE and UTF-16BE text") {
  for (bool le : {true, false}) {
    CAPTURE(le);
    const std::string text = "\xff\xfe" + ascii_as_utf16("address " + std::string(kP2pkh) + " seed " + std::string(kPhrase) + "\n", le);
    const auto hits = scan_text(text);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].kind == "btc.p2pkh");
    CHECK(hits[0].encoding == (le ? "utf-16le" : "utf-16be"));
    CHECK(hits[0].offset == 2 + 2 * 8);
    CHECK(hits[0].length == 2 * kP2pkh.size());
    CHECK(hits[0].value == kP2pkh);
    CHECK(hits[1].kind == "bip39.phrase");
    CHECK(hits[1].words == 12);
  }
}

TEST_CASE("WalletKinds: JSON text: seed-phrase arrays and quoted keys") {
  const std::string json = R"({"mnemonic": ["legal", "winner", "thank", "year", "wave", "sausage", "worth", "useful", )"
                           R"("legal", "winner", "thank", "yellow"], "xpub": ")" +
                           std::string(test_vectors::kBip32Valid[0]) + R"(", "to":")" + std::string(kEth) + R"("})";
  const auto kinds = kinds_in(json);
  CHECK(kinds == std::vector<std::string>{"bip39.phrase", "btc.xpub", "eth.address"});
}

TEST_CASE("WalletKinds: every kind at offset 0, at the end and across page boundaries, found once") {
  const std::vector<std::string> values = {
      std::string(kWifCompressed), std::string(test_vectors::kBip32Valid[0]), bip38_key(0x42, 0xC0),
      descriptor(), "bitcoin:" + std::string(kP2pkh) + "?amount=1", std::string(kXrp), std::string(kTron),
      zcash_address(0xB8), std::string(kMonero), std::string(kCashP2pkh), std::string(kCashP2sh.substr(12)),
      std::string(kAdaBase), std::string(kAdaStake), long_bech32("lnbc1", 300), long_bech32("ltcmweb", 120),
      "solana " + solana_key(), "ethereum:" + std::string(kEth)};
  for (const std::string& value : values) {
    for (int form = 0; form < 3; ++form) {
      CAPTURE(value);
      CAPTURE(form);
      // at 0, straddling 4096 (and 4097), at the end; UTF-16 text is UTF-16 throughout
      const std::size_t unit = form == 0 ? 1 : 2;
      std::string text = value + " ";
      text += std::string(4096 / unit - 7 - text.size(), '.') + " " + value + " ";
      text += std::string(8200 / unit - 5 - text.size(), '-') + " " + value;
      const std::string data = form == 0 ? text : ascii_as_utf16(text, form == 1);
      const std::string v = form == 0 ? value : ascii_as_utf16(value, form == 1);
      const auto whole = paged_wallet_hits(data, data.size());
      const auto alone = scan_text(v);
      REQUIRE(!alone.empty());
      CHECK(whole.size() == 3 * alone.size());
      for (std::size_t page : {1, 17, 4096, 4097}) {
        CAPTURE(page);
        CHECK(paged_wallet_hits(data, page) == whole);
      }
    }
  }
}

TEST_CASE("WalletKinds: 64 MiB of seeded random bytes give no hits") {
  std::mt19937_64 random(20261128);
  std::string data(64u << 20, '\0');
  for (std::size_t i = 0; i < data.size(); i += 8) {
    const std::uint64_t v = random();
    for (std::size_t k = 0; k < 8 && i + k < data.size(); ++k) data[i + k] = static_cast<char>(v >> (8 * k));
  }
  CHECK(scan_text(data).empty());
}

}  // namespace
}  // namespace trawl::scan
