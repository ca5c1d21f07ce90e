// Helpers shared by the wallet scanner tests: UTF-16 forms of ASCII text, a
// stream's hits at one page size as comparable strings, and random valid phrases.
#pragma once
#include <array>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "io/chunker.hpp"
#include "scan/bip39.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_seeds.hpp"
#include "test_support.hpp"

namespace trawl::scan {

/// ASCII text as UTF-16LE (le) or UTF-16BE.
inline std::string ascii_as_utf16(std::string_view ascii, bool le) {
  std::string out;
  for (char c : ascii) {
    out += le ? c : '\0';
    out += le ? '\0' : c;
  }
  return out;
}

/// Every hit of scan_wallet_stream over data read page_size bytes at a time, as
/// "offset length kind encoding value": equal lists mean the page size changed nothing.
inline std::vector<std::string> paged_wallet_hits(const std::string& data, std::size_t page_size) {
  io::MemoryStream stream(data);
  std::vector<std::string> out;
  auto status = scan_wallet_stream(stream, page_size, WalletScanOptions{true}, [&](const WalletHit& hit) {
    out.push_back(std::to_string(hit.offset) + " " + std::to_string(hit.length) + " " + hit.kind + " " +
                  hit.encoding + " " + hit.value);
    return true;
  });
  REQUIRE(status);
  return out;
}

/// A checksum-valid BIP39 phrase of `count` words in `language` joined by `gap`: random words, the last one
/// searched from a random start.
inline std::string random_bip39_phrase(std::mt19937_64& random, Bip39Language language, std::size_t count,
                                       std::string_view gap = " ") {
  const auto list = bip39_wordlist(language);
  std::vector<std::string_view> words;
  for (std::size_t k = 0; k + 1 < count; ++k) words.push_back(list[random() % 2048]);
  words.push_back(list[0]);
  for (std::size_t last = random() % 2048;; last = (last + 1) % 2048) {
    words.back() = list[last];
    if (auto phrase = check_bip39(words); phrase && phrase->checksum_valid) break;
  }
  std::string out;
  for (std::string_view w : words) out += (out.empty() ? "" : std::string(gap)) + std::string(w);
  return out;
}

/// Monero seeds in lists with capitals, accents and apostrophes (German, Lojban, Portuguese, Spanish), from
/// monero-wallet-cli (tests/data/wallet_seeds), for the property tests' random documents.
inline constexpr std::array<std::string_view, 4> kOtherMoneroSeeds = {
    "Zimteis Netz Bussard Draht Kapuze Fortgang Erzbau Kaltluft Beleg Allee Bezug Anker "
    "Wahlen Dorf Fuchs kämmen Akrobat Gericht Scheitel Pobacke beladen Etappe Wohnort abbilden Allee",
    "kakpa vedli bikla vidni bunda mekso cortu caxno kansa stapa jinsa sinma "
    "luska crepu loldi cafne sitna pelji mudri cutci cimjvo vrusi vrici zukte kansa",
    "iuane idade ancorar teve atroz pierro digressao cigarro dextrose efigie pampas leucocito "
    "saveiro idade afetuoso flotilha ribossomo jersei soturno simultaneo jocoso cucuia voyeuse acrostico efigie",
    "país educar ciudad éxito morro liga inmune audio asalto lima elogio anillo "
    "compra examen chacal extremo rabia cabra buscar inicio clase antena avance barro antena",
};

/// Pages `text` as wallet-scan does (page_size bytes plus the wallet margin; the look-behind kept in place or
/// not) and hands each chunk and the page scanner's seeds to `on_page(chunk, hits, seeds)`.
template <typename OnPage>
void for_each_wallet_page(const std::string& text, std::size_t page_size, bool in_place, const OnPage& on_page) {
  io::MemoryStream stream(text);
  io::ChunkerOptions options{page_size, wallet_scan_margin()};
  options.look_behind = in_place ? wallet_scan_look_behind() : 0;
  io::Chunker chunker(stream, options);
  WalletPageScanner scanner(WalletScanOptions{true});
  for (;;) {
    auto more = chunker.next();
    REQUIRE(more.ok());
    if (!*more) break;
    const io::Chunk& chunk = chunker.chunk();
    std::vector<SeedHit> seeds;
    const auto hits = scanner.scan(chunk.behind(), chunk.data(), chunk.page().size(), chunk.offset(), &seeds);
    on_page(chunk, hits, seeds);
  }
}

}  // namespace trawl::scan
