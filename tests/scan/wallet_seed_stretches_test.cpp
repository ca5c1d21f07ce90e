// Electrum and Monero seeds found in the BIP39 finder's stretches (one pass
// over a page's text for every seed finder) are the seeds found in their own
// stretches, and a WalletPageScanner hands them out per page, scanning the
// page in place (io::Chunk::behind()) or copied, with the same result.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "io/chunker.hpp"
#include "scan/bip39.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_seeds.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

// The seeds of wallet_seeds_test.cpp: Electrum's test seed, two found by trial, Monero's test wallet; and
// Russian and Chinese Monero seeds from monero-wallet-cli (tests/data/wallet_seeds).
constexpr std::array<std::string_view, 6> kSeeds = {
    "wild father tree among universe such mobile favorite target dynamic credit identify",
    "since sick check reward swamp mind board moral cross bounce mutual equip",
    "actress park venue ensure cloth winter welcome assist park peace crane toward",
    "sequence atlas unveil summon pebbles tuesday beer rudely snake rockets different fuselage woven tagged bested "
    "dented vegan hover rapid fawns obvious muppet randomly seasons randomly",
    "дождь шуметь лгать тело отзыв фронт певец пиво идиот тесный деятель мафия "
    "партия дождь ранний звук солнце эпоха накрыть езда верить лидер егерь идти дождь",
    "续 期 景 童 笔 斯 付 氨 绪 怒 铺 搞 "
    "灰 终 别 固 产 皆 近 初 脚 劲 识 氧 劲",
};

/// Seeds among list words, prose, UTF-8 words, form feeds and other bytes that
/// are phrase bytes but no seed bytes (the stretches then differ).
std::string random_document(std::mt19937_64& random) {
  const auto list = bip39_wordlist(Bip39Language::english);
  static constexpr std::array<std::string_view, 12> kGlue = {
      " ", "\n", ", ", "\n1. ", " caf\xC3\xA9 ", "\f", "\v", " \xE3\x80\x80 ", "-", "x", ". ", " \xC3\xA9t\xC3\xA9 "};
  std::string out;
  const std::size_t parts = 4 + random() % 12;
  for (std::size_t p = 0; p < parts; ++p) {
    switch (random() % 5) {
      case 0:
      case 1: {
        const std::size_t k = random() % (kSeeds.size() + kOtherMoneroSeeds.size());
        out += k < kSeeds.size() ? kSeeds[k] : kOtherMoneroSeeds[k - kSeeds.size()];
        break;
      }
      case 2:
        for (std::size_t k = random() % 14; k > 0; --k) out += std::string(list[random() % 2048]) + " ";
        break;
      case 3: out += "Some prose, with words (and numbers 42) that are not a seed."; break;
      default:
        for (std::size_t k = random() % 60; k > 0; --k) out += static_cast<char>(random() % 256);
        break;
    }
    out += kGlue[random() % kGlue.size()];
  }
  return out;
}

std::vector<std::string> as_strings(const std::vector<SeedHit>& hits, std::uint64_t base = 0) {
  std::vector<std::string> out;
  for (const SeedHit& h : hits)
    out.push_back(std::to_string(base + h.offset) + " " + std::to_string(h.length) + " " + h.kind + " " + h.phrase);
  return out;
}

std::span<const std::byte> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

TEST_CASE("WalletSeedStretches: seeds in the phrase stretches are the seeds in their own stretches") {
  std::mt19937_64 random(11);
  std::size_t found = 0;
  for (int doc = 0; doc < 200; ++doc) {
    const std::string text = random_document(random);
    for (std::size_t page_end : {text.size(), text.size() / 2, std::size_t{50}}) {
      page_end = std::min(page_end, text.size());
      CAPTURE(text);
      CAPTURE(page_end);
      std::vector<PhraseStretch> stretches;
      phrase_stretches(text, page_end, stretches);
      const auto own = as_strings(find_wallet_seeds(as_bytes(text), page_end));
      CHECK(as_strings(find_wallet_seeds(as_bytes(text), page_end, stretches)) == own);
      found += own.size();
    }
  }
  CHECK(found > 100);
}

/// The hits and seeds of a stream, page by page, from WalletPageScanner (in place or copied).
std::vector<std::string> paged_seeds(const std::string& text, std::size_t page_size, bool in_place) {
  std::vector<std::string> out;
  for_each_wallet_page(text, page_size, in_place, [&](const io::Chunk& chunk, const auto& hits, const auto& seeds) {
    for (const WalletHit& hit : hits)
      out.push_back(std::to_string(hit.offset) + " " + std::to_string(hit.length) + " " + hit.kind + " " +
                    hit.encoding + " " + hit.value);
    const auto own = as_strings(find_wallet_seeds(chunk.data(), chunk.page().size()), chunk.offset());
    CHECK(as_strings(seeds) == own);
    out.insert(out.end(), own.begin(), own.end());
  });
  return out;
}

TEST_CASE("WalletSeedStretches: the page scanner's seeds are find_wallet_seeds' per page, in place or copied") {
  std::mt19937_64 random(12);
  for (int doc = 0; doc < 30; ++doc) {
    const std::string text = random_document(random);
    CAPTURE(text);
    const auto whole = paged_seeds(text, text.size(), true);
    for (std::size_t page : {std::size_t{1}, std::size_t{17}, std::size_t{4096}, std::size_t{4097}}) {
      if (page == 1 && doc % 5 != 0) continue;  // one byte per page is slow
      CAPTURE(page);
      CHECK(paged_seeds(text, page, true) == paged_seeds(text, page, false));
    }
    std::vector<std::string> seeds;
    for (const std::string& hit : whole)
      if (hit.find(".seed ") != std::string::npos) seeds.push_back(hit);
    CHECK(seeds == as_strings(find_wallet_seeds(as_bytes(text), text.size())));
  }
}

}  // namespace
}  // namespace trawl::scan
