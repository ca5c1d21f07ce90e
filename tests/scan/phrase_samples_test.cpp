// phrase_samples drops only grid points where no finder can find a run of 12
// words: the finders reading the kept points find what they find reading the
// whole grid, on text full of list words, phrases, seeds and odd bytes.
#include "scan/phrase_samples.hpp"

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scan/bip39.hpp"
#include "scan/monero_seed.hpp"
#include "scan/wallet_seeds.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

constexpr std::array<std::string_view, 3> kSeeds = {
    "wild father tree among universe such mobile favorite target dynamic credit identify",
    "since sick check reward swamp mind board moral cross bounce mutual equip",
    "sequence atlas unveil summon pebbles tuesday beer rudely snake rockets different fuselage woven tagged bested "
    "dented vegan hover rapid fawns obvious muppet randomly seasons randomly",
};

std::string random_document(std::mt19937_64& random) {
  const auto english = bip39_wordlist(Bip39Language::english);
  const auto monero = monero_wordlist();
  // Then numbers (list numbers, years, longer ones), words of 13 letters or
  // more and mixed shapes, between list words too.
  static constexpr std::array<std::string_view, 35> kGlue = {
      " ", "\n", ", ", "\n1. ", " 2) ", "\f", "\v", "\xE3\x80\x80", "-", "x", ". ", ": ", "\t(", "\"", "e.g. ", "Abc.",
      " 2010 ", " 1234. ", " 123: ", " 12345 ", " 0042) ", " 7 ", " documentation ", " MERCHANTABILITY. ",
      " 2.0 ", " License: ", " abc123 ", " 12ab ", " abcdefghijkl. ", "2010", " 99999999999999999999999999999999999 ",
      // Letters runs of 13 and more (past the 16 the sampling reads at once), glued or not.
      "xMERCHANTABILITYx", " abcdefghijklmnopqrstuvwxyzABCDEFGHIJ ", "Documentation.", "\nabcdefghijklmnopq, "};
  static constexpr std::array<Bip39Language, 4> kLanguages = {Bip39Language::english, Bip39Language::spanish,
                                                             Bip39Language::italian, Bip39Language::czech};
  std::string out;
  const std::size_t parts = 6 + random() % 20;
  for (std::size_t p = 0; p < parts; ++p) {
    switch (random() % 7) {
      case 0:
        out += random_bip39_phrase(random, kLanguages[random() % kLanguages.size()], 12 + 3 * (random() % 5),
                             kGlue[random() % 3]);
        break;
      case 1:
        if (random() % 2 == 0) {
          const std::size_t k = random() % (kSeeds.size() + kOtherMoneroSeeds.size());
          out += k < kSeeds.size() ? kSeeds[k] : kOtherMoneroSeeds[k - kSeeds.size()];
          break;
        }
        // A numbered list ("1. word 2) word", "2010 word"): numbers both finders read past.
        {
          const std::string phrase = random() % 2 == 0 ? std::string(kSeeds[random() % kSeeds.size()])
                                                       : random_bip39_phrase(random, Bip39Language::english, 12);
          static constexpr std::array<std::string_view, 5> kNumbered = {". ", ") ", ": ", " ", "\n"};
          std::size_t number = random() % 3 == 0 ? 2010 : 1;
          std::size_t at = 0;
          while (at < phrase.size()) {
            const std::size_t end = std::min(phrase.find(' ', at), phrase.size());
            out += std::to_string(number++) + std::string(kNumbered[random() % kNumbered.size()]) +
                   phrase.substr(at, end - at) + " ";
            at = end + 1;
          }
        }
        break;
      case 2:
        for (std::size_t k = random() % 16; k > 0; --k)
          out += std::string(english[random() % 2048]) +
                 std::string(kGlue[random() % 4 == 0 ? 16 + random() % 19 : random() % 12]);
        break;
      case 3:
        for (std::size_t k = random() % 16; k > 0; --k)
          out += std::string(monero[random() % monero.size()]) +
                 std::string(random() % 6 == 0 ? kGlue[16 + random() % 19] : " ");
        break;
      case 4: out += "Some prose, with words (and numbers 42) that are not a seed. It goes on: a lot."; break;
      case 5:
        for (std::size_t k = random() % 40; k > 0; --k) out += static_cast<char>(random() % 256);
        break;
      default:
        for (std::size_t k = random() % 30; k > 0; --k) out += static_cast<char>('a' + random() % 26);
        break;
    }
    out += kGlue[random() % kGlue.size()];
  }
  return out;
}

std::vector<std::string> bip39_strings(const std::vector<Bip39Match>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) out.push_back(std::to_string(m.offset) + " " + std::to_string(m.length));
  return out;
}

std::vector<std::string> seed_strings(const std::vector<SeedHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(std::to_string(h.offset) + " " + h.kind + " " + h.phrase);
  return out;
}

TEST_CASE("PhraseSamples: the finders find on the kept samples what they find on the whole grid") {
  std::mt19937_64 random(21);
  std::size_t phrases = 0;
  std::size_t seeds = 0;
  std::size_t kept = 0;
  std::size_t grid_points = 0;
  for (int doc = 0; doc < 300; ++doc) {
    const std::string text = random_document(random);
    CAPTURE(text);
    std::vector<PhraseStretch> stretches;
    phrase_stretches(text, text.size(), stretches);
    std::vector<std::size_t> grid;
    phrase_sample_grid(stretches, grid);
    grid_points += grid.size();
    // The seed finder reads from seeds_from on (a page after its look-behind), which may cut a token.
    for (std::size_t seeds_from : {std::size_t{0}, text.size() / 3, static_cast<std::size_t>(random() % (text.size() + 1))}) {
      CAPTURE(seeds_from);
      PhraseSamples samples;
      phrase_samples(text, stretches, seeds_from, samples);
      kept += samples.bip39.size();
      const auto all = bip39_strings(find_bip39_phrases(text, text.size(), 0, stretches, grid));
      CHECK(bip39_strings(find_bip39_phrases(text, text.size(), 0, stretches, samples.bip39)) == all);
      phrases += all.size();
      const std::string_view page = std::string_view(text).substr(seeds_from);
      const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(page.data()), page.size());
      std::vector<PhraseStretch> in_page;
      for (const PhraseStretch& s : stretches)
        if (s.end > seeds_from) in_page.push_back({std::max(s.begin, seeds_from) - seeds_from, s.end - seeds_from});
      std::vector<std::size_t> seed_points;
      for (std::size_t q : samples.seeds) seed_points.push_back(q - seeds_from);
      std::vector<std::size_t> monero_points;
      for (std::size_t q : samples.monero) monero_points.push_back(q - seeds_from);
      const auto own = seed_strings(find_wallet_seeds(bytes, page.size()));
      CHECK(seed_strings(find_wallet_seeds(bytes, page.size(), in_page, seed_points, monero_points)) == own);
      seeds += own.size();
    }
  }
  CHECK(phrases > 200);
  CHECK(seeds > 100);
  CHECK(kept < grid_points * 2);  // some points are dropped
}

TEST_CASE("PhraseSamples: the sampling look-up has every list word, read in place and near the text end") {
  std::mt19937_64 random(5);
  std::vector<std::pair<std::string_view, std::uint8_t>> words;  // word, the finders that must see it
  for (std::size_t lang = 0; lang < kBip39LanguageCount; ++lang)
    for (const auto& list : {bip39_wordlist(static_cast<Bip39Language>(lang)),
                             bip39_wordlist_composed(static_cast<Bip39Language>(lang))})
      for (std::string_view w : list) words.emplace_back(w, 1);
  for (std::string_view w : bip39_wordlist(Bip39Language::english)) words.emplace_back(w, 3);
  for (std::string_view w : monero_wordlist()) words.emplace_back(w, 2);
  std::size_t checked = 0;
  for (const auto& [word, finders] : words) {
    bool ascii = word.size() <= 12;
    for (char c : word) ascii = ascii && c >= 'a' && c <= 'z';
    if (!ascii) continue;
    // Every alignment at the start and every distance to the end (the copied read), either case.
    std::string text(40, 'x');
    for (auto& c : text) c = static_cast<char>('a' + random() % 26);
    for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
      std::string shown = text;
      for (std::size_t k = 0; k < word.size(); ++k)
        shown[at + k] = at % 2 == 0 ? word[k] : static_cast<char>(word[k] - 'a' + 'A');
      CAPTURE(word);
      CAPTURE(at);
      REQUIRE((phrase_sample_lookup(shown, at, word.size()) & finders) == finders);
      ++checked;
    }
  }
  CHECK(checked > 10000);
  // Other tokens rarely pass: random letter strings.
  std::size_t passed = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string token(3 + random() % 10, 'a');
    for (auto& c : token) c = static_cast<char>('a' + random() % 26);
    if (phrase_sample_lookup(token, 0, token.size()) != 0 && !is_ascii_bip39_word(token)) {
      bool monero = false;
      for (std::string_view w : monero_wordlist()) monero = monero || w == token;
      passed += monero ? 0 : 1;
    }
  }
  CHECK(passed < 20);
}

TEST_CASE("PhraseSamples: no BIP39 or English Monero word holds 13 ASCII letters in a row (the BIP39 and seed finders' points in such runs are dropped)") {
  auto longest_letter_run = [](std::string_view word) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (char c : word) {
      run = ((static_cast<unsigned char>(c) | 0x20u) - 'a') < 26u ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    return longest;
  };
  for (std::size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
    const auto language = static_cast<Bip39Language>(lang);
    for (const auto& list : {bip39_wordlist(language), bip39_wordlist_composed(language)})
      for (std::string_view word : list) CHECK(longest_letter_run(word) <= 12);
  }
  for (std::string_view word : monero_wordlist()) CHECK(longest_letter_run(word) <= 12);
}

}  // namespace
}  // namespace trawl::scan
