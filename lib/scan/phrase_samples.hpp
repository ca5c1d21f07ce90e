#pragma once
// One sampling pass over a page's text for every seed-phrase finder (BIP39 in
// ten languages, Electrum and Monero seeds). Both finders sample the same
// grid (phrase_sample_grid: a point every 47 bytes of each phrase stretch) and
// most points land in a prose word no list holds; one look-up in a table of
// every list's ASCII words says which finders may find a run of words there,
// so each finder reads only its own points instead of looking every one up.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "scan/bip39.hpp"

namespace trawl::scan {

struct PhraseSamples {
  std::vector<std::size_t> bip39;  ///< grid points the BIP39 finder reads, in order
  std::vector<std::size_t> seeds;  ///< grid points the Electrum / English Monero finder reads, in order
  std::vector<std::size_t> monero;  ///< grid points the finder of Monero's other lists reads, in order
};

/// The points of phrase_sample_grid(stretches) over `text`, each kept for the
/// finders whose words may lie there. A point inside a token of ASCII letters
/// between separators is dropped for BIP39 when no list holds the token (or the
/// finder would not read it as a word: cut by a stretch end), for the seeds
/// when neither seed list (BIP39 English, Monero English) holds it and for
/// Monero's other lists when none of them does (a token glued to an apostrophe
/// stays: Lojban words hold one); every other point is kept for all. The
/// seed finders read the text from `seeds_from` on: earlier points are not kept
/// for them, nor points in a token starting before it (they see that token cut).
void phrase_samples(std::string_view text, std::span<const PhraseStretch> stretches, std::size_t seeds_from,
                    PhraseSamples& out);

/// What the sampling pass takes text[begin, begin + length) (1..12 ASCII
/// letters, either case; begin + length <= text.size()) for: bit 0 set when a
/// BIP39 list may hold it, bit 1 when the seed finder's lists (BIP39 English,
/// Monero English) may, bit 2 when one of Monero's other lists may (its words
/// of 3..12 ASCII letters). A compact table: a list word always has its bits, another
/// token rarely gets some (the pass then keeps a point it could drop).
/// Reads 16 bytes from `begin` where the text has them, else a copy.
std::uint8_t phrase_sample_lookup(std::string_view text, std::size_t begin, std::size_t length);

/// True when some BIP39 list holds `token`, 1..12 ASCII letters (either case);
/// false for any other token (longer ones, or holding other bytes).
bool is_ascii_bip39_word(std::string_view token);

}  // namespace trawl::scan
