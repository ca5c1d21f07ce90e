#include "scan/wallet_seeds.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "scan/electrum_seed.hpp"
#include "scan/monero_seed.hpp"

namespace trawl::scan {
namespace {

// Electrum's own test seed (electrum/tests/test_mnemonic.py, segwit) and two
// phrases found by trying random BIP39 English words until the version matched.
constexpr std::string_view kSegwit = "wild father tree among universe such mobile favorite target dynamic credit identify";
constexpr std::string_view kStandard = "since sick check reward swamp mind board moral cross bounce mutual equip";
constexpr std::string_view kTwoFa = "actress park venue ensure cloth winter welcome assist park peace crane toward";

std::vector<SeedHit> seeds_in(std::string_view text, std::size_t page_end = std::string_view::npos) {
  return find_wallet_seeds({reinterpret_cast<const std::byte*>(text.data()), text.size()},
                           std::min(page_end, text.size()));
}

TEST_CASE("ElectrumSeed: version prefixes") {
  CHECK(electrum_seed_type(kSegwit) == std::optional<std::string>("segwit"));
  CHECK(electrum_seed_type(kStandard) == std::optional<std::string>("standard"));
  CHECK(electrum_seed_type(kTwoFa) == std::optional<std::string>("2fa"));
  CHECK(electrum_seed_type("  Wild  FATHER tree among universe such mobile favorite target dynamic credit identify\n") ==
        std::optional<std::string>("segwit"));
  CHECK_FALSE(electrum_seed_type("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
                                 "abandon about")
                  .has_value());
}

TEST_CASE("WalletSeeds: Electrum seeds in text, numbered, once, by the page they start in") {
  const std::string text = "backup:\n1. " + std::string(kSegwit) + "\nother: " + std::string(kStandard) + ".";
  auto hits = seeds_in(text);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].kind == "electrum.seed");
  CHECK(hits[0].seed_type == "segwit");
  CHECK(hits[0].phrase == kSegwit);
  CHECK(hits[0].offset == text.find("wild"));
  CHECK(hits[0].length == kSegwit.size());
  CHECK(hits[0].words == 12);
  CHECK(hits[1].seed_type == "standard");
  CHECK(seeds_in(text, text.find("wild")).empty());
  CHECK(seeds_in(text, text.find("wild") + 1).size() == 1);
}

TEST_CASE("WalletSeeds: a word glued to the bytes before a stretch is not read, wherever the stretch is found") {
  // "x-wild": the tokenizer skips a token glued to a byte that is no word
  // byte, so the seed loses its first word; after "-" alone it keeps it. The
  // sampling prefilter must see the same, also far into a window.
  const std::string filler(5000, '#');
  CHECK(seeds_in("x-" + std::string(kSegwit)).empty());
  CHECK(seeds_in(filler + "x-" + std::string(kSegwit)).empty());
  CHECK(seeds_in(filler + "x#%" + std::string(kSegwit)).empty());
  CHECK(seeds_in("-" + std::string(kSegwit)).size() == 1);
  CHECK(seeds_in(filler + "1-" + std::string(kSegwit)).size() == 1);
  CHECK(seeds_in(filler + "x- " + std::string(kSegwit)).size() == 1);
  // Found only from the page it starts in, however long the margin.
  const std::string text = filler + " " + std::string(kSegwit) + " " + filler;
  CHECK(seeds_in(text, filler.size() + 1).empty());
  CHECK(seeds_in(text, filler.size() + 2).size() == 1);
}

TEST_CASE("WalletSeeds: BIP39 phrases, word lists and prose are not Electrum seeds") {
  CHECK(seeds_in("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about").empty());
  CHECK(seeds_in("abandon ability able about above absent absorb abstract absurd abuse access accident account").empty());
  CHECK(seeds_in("the quick brown fox jumps over the lazy dog and then some more words follow here").empty());
  CHECK(seeds_in("").empty());
}

// The seed of Monero's functional-test wallet (monero-wallet-cli --electrum-seed in its test scripts).
constexpr std::string_view kMonero =
    "sequence atlas unveil summon pebbles tuesday beer rudely snake rockets different fuselage woven tagged bested "
    "dented vegan hover rapid fawns obvious muppet randomly seasons randomly";

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (c == ' ') {
      out.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  out.push_back(word);
  return out;
}

TEST_CASE("MoneroSeed: the list and the CRC32 checksum word") {
  REQUIRE(monero_wordlist().size() == 1626);
  CHECK(monero_wordlist().front() == "abbey");
  CHECK(monero_wordlist().back() == "zoom");
  auto words = split(kMonero);
  CHECK(is_monero_seed(words));
  words[24] = "seasons";  // the wrong checksum word
  CHECK_FALSE(is_monero_seed(words));
  words[24] = "randomly";
  words[3] = "abbey";  // a changed data word moves the checksum
  CHECK_FALSE(is_monero_seed(words));
  CHECK_FALSE(is_monero_seed(std::vector<std::string>(24, "abbey")));
}

TEST_CASE("WalletSeeds: a Monero seed in text") {
  const std::string text = "xmr restore: " + std::string(kMonero) + "\n";
  auto hits = seeds_in(text);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == "monero.seed");
  CHECK(hits[0].offset == 13);
  CHECK(hits[0].length == kMonero.size());
  CHECK(hits[0].words == 25);
}

}  // namespace
}  // namespace trawl::scan
