// Property: a stream scanned in pages of any size gives exactly the hits of
// one whole-window scan. BIP39 phrases are placed at many offsets among list
// words, prose, numbering and other phrases, so page boundaries fall inside
// the runs of words around them (the look-behind and phrase-resume logic).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/bip39.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

/// Text around phrases: list words (which may run into a phrase), prose,
/// line breaks, list numbers, JSON-ish punctuation and other phrases.
std::string random_document(std::mt19937_64& random) {
  const auto list = bip39_wordlist(Bip39Language::english);
  static constexpr std::array<std::string_view, 10> kGlue = {" ", "\n", "  ", ", ", "\n1. ", " the ", "\"", ". ",
                                                              "\t", "x"};
  std::string out;
  const std::size_t parts = 4 + random() % 12;
  for (std::size_t p = 0; p < parts; ++p) {
    switch (random() % 5) {
      case 0:
      case 1: out += random_bip39_phrase(random, Bip39Language::english, 12 + 3 * (random() % 5)); break;
      case 2:
        for (std::size_t k = random() % 14; k > 0; --k) out += std::string(list[random() % 2048]) + " ";
        break;
      case 3: out += "Some prose, with words (and numbers 42) that are not a seed."; break;
      default:
        for (std::size_t k = random() % 30; k > 0; --k) out += static_cast<char>('a' + random() % 26);
        break;
    }
    out += kGlue[random() % kGlue.size()];
  }
  return out;
}

TEST_CASE("WalletPageEquivalence: BIP39 phrases at many offsets, page sizes 1, 17, 4096, 4097 and whole") {
  std::mt19937_64 random(5);
  std::size_t phrases = 0;
  for (int doc = 0; doc < 60; ++doc) {
    std::string data = random_document(random);
    // Shifted copies move every boundary across the phrases.
    for (std::size_t shift : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{4090}}) {
      const std::string shifted = std::string(shift, '.') + data;
      const auto whole = paged_wallet_hits(shifted, shifted.size());
      for (const auto& hit : whole) phrases += hit.find("bip39.phrase") != std::string::npos ? 1 : 0;
      for (std::size_t page : {std::size_t{1}, std::size_t{17}, std::size_t{4096}, std::size_t{4097}}) {
        if (page == 1 && shift > 1) continue;  // one byte per page is slow; the small shifts cover it
        CAPTURE(doc);
        CAPTURE(shift);
        CAPTURE(page);
        CAPTURE(shifted);
        const auto paged = paged_wallet_hits(shifted, page);
        if (paged != whole) {
          std::string diff;
          for (const auto& h : whole) diff += "whole: " + h + "\n";
          for (const auto& h : paged) diff += "paged: " + h + "\n";
          MESSAGE(diff);
        }
        CHECK(paged == whole);
      }
    }
  }
  CHECK(phrases > 100);
}

TEST_CASE("WalletPageEquivalence: a phrase glued to list words is not found when a page starts at it") {
  // The case the property test found: the page scan read from the page start,
  // so the eleven list words before the phrase no longer glued it to them.
  const std::string glued = "xgoat shoe fall warfare pull file autumn food phrase lumber gesture toss\t";
  const std::string phrase =
      "consider mammal guess attack marriage parent medal quality execute arrow else sea describe decide dignity "
      "case analyst salon";
  const std::string data = glued + phrase + "  Some prose.\n";
  CHECK(paged_wallet_hits(phrase + "\n", 4096).size() == 1);  // a valid phrase on its own
  CHECK(paged_wallet_hits(data, data.size()).empty());
  CHECK(paged_wallet_hits(data, glued.size()).empty());  // a page starts at "consider"
  CHECK(paged_wallet_hits(data, glued.size() - 1).empty());
}

}  // namespace
}  // namespace trawl::scan
