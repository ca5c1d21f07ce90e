// Monero seeds in all twelve lists: the checksum word, language detection and
// the finders (English in the ASCII seed finder, the others in their own).
// Oracles: seeds printed by Debian's monero-wallet-cli (tests/data/wallet_seeds)
// and the seeds of Monero's own tests/unit_tests/mnemonics.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "io/chunker.hpp"
#include "scan/monero_seed.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_seeds.hpp"
#include "scan/wallet_test_support.hpp"

namespace trawl::scan {
namespace {

struct CliSeed {
  std::string language;
  std::string seed;  ///< the wallet's three lines joined by spaces
};

std::vector<CliSeed> cli_seeds() {
  std::ifstream in(std::string(TRAWL_SOURCE_DIR) + "/tests/data/wallet_seeds/monero_wallet_cli.tsv");
  std::vector<CliSeed> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find(' ', at), text.size());
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

std::string language_of(std::string_view seed) {
  const auto words = words_of(seed);
  const MoneroLanguage* language = monero_seed_language(words);
  return language != nullptr ? std::string(language->name) : std::string("none");
}

const MoneroLanguage& language_named(std::string_view name) {
  for (const MoneroLanguage& language : monero_languages())
    if (language.name == name) return language;
  FAIL("no such language");
  return monero_languages().front();
}

std::vector<SeedHit> seeds_in(std::string_view text) {
  return find_wallet_seeds({reinterpret_cast<const std::byte*>(text.data()), text.size()}, text.size());
}

TEST_CASE("MoneroSeed: twelve lists of 1626 words with unique prefixes") {
  REQUIRE(monero_languages().size() == 12);
  CHECK(monero_languages().front().name == "english");
  for (const MoneroLanguage& language : monero_languages()) {
    CAPTURE(language.name);
    CHECK(language.words.size() == 1626);
    std::set<std::string_view> words(language.words.begin(), language.words.end());
    CHECK(words.size() == 1626);
  }
  CHECK(language_named("chinese_simplified").prefix == 1);
  CHECK(language_named("japanese").prefix == 3);
  CHECK(language_named("russian").prefix == 4);
  CHECK(monero_word_index(language_named("german"), "neubau") == monero_word_index(language_named("german"), "Neubau"));
  CHECK(monero_word_index(language_named("german"), "Neubau") >= 0);
  CHECK(monero_word_index(language_named("russian"), "абажур") == 0);
  CHECK(monero_word_index(language_named("russian"), "абажу") == -1);  // whole words only
}

TEST_CASE("MoneroSeed: every seed monero-wallet-cli made is valid in its language, and only with its checksum word") {
  const auto seeds = cli_seeds();
  REQUIRE(seeds.size() == 24);
  std::set<std::string> languages;
  for (const CliSeed& cli : seeds) {
    CAPTURE(cli.seed);
    CHECK(language_of(cli.seed) == cli.language);
    languages.insert(cli.language);
    auto words = words_of(cli.seed);
    REQUIRE(words.size() == 25);
    // Another checksum word: the list word after it.
    const MoneroLanguage& language = language_named(cli.language);
    const int last = monero_word_index(language, words[24]);
    REQUIRE(last >= 0);
    std::vector<std::string_view> wrong(words.begin(), words.end());
    wrong[24] = language.words[static_cast<std::size_t>((last + 1) % 1626)];
    CHECK(monero_seed_language(wrong) == nullptr);
    // 24 words are no seed here (Monero accepts them without a checksum word; a scan needs the checksum).
    CHECK(monero_seed_language(std::span(words).first(24)) == nullptr);
  }
  CHECK(languages.size() == 12);
}

TEST_CASE("MoneroSeed: the seeds of Monero's own mnemonics tests") {
  // language_detection_with_bad_checksum: all its words' 3-letter prefixes are English ones too.
  CHECK(language_of("cinzento luxuriante leonardo gnostico digressao cupula fifa broxar iniquo louvor ovario dorsal "
                    "ideologo besuntar decurso rosto susto lemure unheiro pagodeiro nitroglicerina eclusa mazurca "
                    "bigorna gnostico") == "portuguese");
  // case_tolerance: German nouns are capitalised in the list; either case is read.
  const std::string german =
      "Neubau umarmen Abart umarmen Turban feilen Brett Bargeld Episode Milchkuh Substanz Jahr Armband Maibaum Tand "
      "Grünalge Tabak erziehen Federboa Lobrede Tenor Leuchter Curry Diskurs Tenor";
  CHECK(language_of(german) == "german");
  std::string lower = german;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  CHECK(language_of(lower) == "german");
}

TEST_CASE("MoneroSeed: seeds of every language in text, with their language") {
  for (const CliSeed& cli : cli_seeds()) {
    CAPTURE(cli.seed);
    const auto words = words_of(cli.seed);
    // As the wallet prints it: three lines of 8, 8 and 9 words.
    std::string printed;
    for (std::size_t k = 0; k < words.size(); ++k)
      printed += std::string(words[k]) + (k == 7 || k == 15 ? "\n" : k == 24 ? "" : " ");
    // Japanese with ideographic spaces, and numbered or as a JSON array.
    std::string ideographic, numbered, json = "[";
    for (std::size_t k = 0; k < words.size(); ++k) {
      ideographic += (k ? "\xE3\x80\x80" : "") + std::string(words[k]);
      numbered += std::to_string(k + 1) + ". " + std::string(words[k]) + "\n";
      json += (k ? ", \"" : "\"") + std::string(words[k]) + "\"";
    }
    json += "]";
    for (const std::string& form : {printed, ideographic, numbered, json}) {
      // The English finder reads runs of ASCII words only (U+3000 ends them, as for Electrum seeds).
      if (cli.language == "english" && form == ideographic) continue;
      const std::string prefix = "Мой кошелёк / 財布 seed:\n";
      const std::string text = prefix + form + "\nend of note.";
      const auto hits = seeds_in(text);
      CAPTURE(form);
      REQUIRE(hits.size() == 1);
      CHECK(hits[0].kind == "monero.seed");
      CHECK(hits[0].language == cli.language);
      CHECK(hits[0].words == 25);
      std::string lower = cli.seed;  // the English finder writes the words in lower case
      for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      CHECK((hits[0].phrase == cli.seed || (cli.language == "english" && hits[0].phrase == lower)));
      const std::size_t first = form.find(std::string(words[0]));
      CHECK(hits[0].offset == prefix.size() + first);
      CHECK(text.substr(hits[0].offset + hits[0].length - words[24].size(), words[24].size()) == words[24]);
    }
  }
}

TEST_CASE("MoneroSeed: list copies, repeated words, glued or changed words and unspaced text are no seeds") {
  const MoneroLanguage& russian = language_named("russian");
  std::string copy;
  for (std::size_t k = 0; k < 60; ++k) copy += std::string(russian.words[k]) + "\n";
  CHECK(seeds_in(copy).empty());
  std::string repeated;
  for (std::size_t k = 0; k < 25; ++k) repeated += std::string(russian.words[k % 3]) + " ";
  CHECK(seeds_in(repeated).empty());
  for (const CliSeed& cli : cli_seeds()) {
    if (cli.language == "english") continue;  // wallet_seeds_test.cpp covers the English finder
    CAPTURE(cli.seed);
    CHECK(seeds_in(cli.seed).size() == 1);
    // A glued word breaks the run: 24 words on either side are too few.
    auto words = words_of(cli.seed);
    std::string glued;
    for (std::size_t k = 0; k < words.size(); ++k) glued += std::string(words[k]) + (k == 11 ? "x " : " ");
    CHECK(seeds_in(glued).empty());
    // No spaces: one token, no list word.
    std::string unspaced;
    for (std::string_view w : words) unspaced += w;
    CHECK(seeds_in(unspaced).empty());
    // One more list word on the same line: the seed is part of a longer run.
    CHECK(seeds_in(std::string(words[3]) + " " + cli.seed).empty());
    // On its own line after it, it is a seed again.
    CHECK(seeds_in(std::string(words[3]) + "\n" + cli.seed).size() == 1);
  }
}

/// The Monero seeds of a stream read in pages of `page_size` (with the wallet margin), as "offset length language".
std::vector<std::string> paged_monero(const std::string& text, std::size_t page_size) {
  std::vector<std::string> out;
  for_each_wallet_page(text, page_size, true, [&](const io::Chunk&, const auto&, const std::vector<SeedHit>& seeds) {
    for (const SeedHit& s : seeds)
      if (s.kind == "monero.seed") out.push_back(std::to_string(s.offset) + " " + std::to_string(s.length) + " " + s.language);
  });
  return out;
}

TEST_CASE("MoneroSeed: a seed straddling any page boundary is found once (pages of 1, 17, 4096, 4097 and whole)") {
  std::mt19937_64 random(29);
  for (const CliSeed& cli : cli_seeds()) {
    for (int trial = 0; trial < 2; ++trial) {
      const std::string text = std::string(4090 + random() % 20, 'z') + " " + cli.seed + " .";
      const std::size_t at = text.find(cli.seed);
      const std::vector<std::string> expected = {std::to_string(at) + " " + std::to_string(cli.seed.size()) + " " +
                                                 cli.language};
      CAPTURE(cli.seed);
      CHECK(paged_monero(text, text.size()) == expected);
      for (std::size_t page : {std::size_t{1}, std::size_t{17}, std::size_t{4096}, std::size_t{4097}}) {
        if (page == 1 && trial > 0) continue;  // one byte per page is slow
        CAPTURE(page);
        CHECK(paged_monero(text, page) == expected);
      }
    }
  }
  // At offset 0 and ending at the last byte.
  const std::string seed = cli_seeds()[14].seed;  // russian
  CHECK(paged_monero(seed, 17) == std::vector<std::string>{"0 " + std::to_string(seed.size()) + " russian"});
}

TEST_CASE("MoneroSeed: Electrum and Monero seeds in UTF-16 text, once whatever the page size") {
  // ASCII seeds (the UTF-16 regions wallet-scan reads are ASCII): Electrum's test seed, English, Dutch and Lojban
  // Monero seeds from monero-wallet-cli.
  std::vector<std::pair<std::string, std::string>> seeds = {
      {"electrum.seed", "wild father tree among universe such mobile favorite target dynamic credit identify"}};
  for (const CliSeed& cli : cli_seeds())
    if ((cli.language == "english" || cli.language == "dutch" || cli.language == "lojban") &&
        std::none_of(seeds.begin(), seeds.end(), [&](const auto& s) { return s.second.find(cli.seed) != std::string::npos; }))
      seeds.push_back({"monero.seed", cli.seed});
  std::string ascii = "Notes (Windows, UTF-16):\r\n";
  std::vector<std::string> expected_le;
  std::vector<std::string> expected_be;
  for (const auto& [kind, seed] : seeds) {
    const std::size_t at = ascii.size();
    ascii += seed + "\r\n";
    expected_le.push_back(std::to_string(2 * at + 2) + " " + std::to_string(2 * seed.size()) + " " + kind + " utf-16le");
    expected_be.push_back(std::to_string(2 * at + 2) + " " + std::to_string(2 * seed.size()) + " " + kind + " utf-16be");
  }
  for (bool le : {true, false}) {
    std::string text = le ? std::string("\xFF\xFE") : std::string("\xFE\xFF");  // the BOM
    text += ascii_as_utf16(ascii, le);
    const auto& expected = le ? expected_le : expected_be;
    for (std::size_t page : {std::size_t{17}, std::size_t{4096}, std::size_t{4097}, text.size()}) {
      CAPTURE(le);
      CAPTURE(page);
      std::vector<std::string> found;
      for_each_wallet_page(text, page, true, [&](const io::Chunk&, const auto&, const std::vector<SeedHit>& hits) {
        for (const SeedHit& h : hits)
          found.push_back(std::to_string(h.offset) + " " + std::to_string(h.length) + " " + h.kind + " " + h.encoding);
      });
      CHECK(found == expected);
    }
  }
}

}  // namespace
}  // namespace trawl::scan
