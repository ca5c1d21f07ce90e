#pragma once
// Seed phrases other than BIP39 in a text window: Electrum v2 seeds (BIP39
// English words, HMAC version prefix) and Monero 25-word seeds in its twelve
// lists (English here, the others in monero_seed_finder.hpp). Page + margin: a seed is reported only if its first
// word starts before `page_end`.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "scan/bip39.hpp"

namespace trawl::scan {

struct SeedHit {
  std::string kind;       ///< electrum.seed, monero.seed
  std::string phrase;     ///< the words, single-spaced (a secret: the caller redacts it)
  std::string seed_type;  ///< electrum: standard, segwit, 2fa, 2fa_segwit
  std::string language;   ///< monero: the word list (english, german, ..., lojban: MoneroLanguage::name)
  std::size_t offset = 0;
  std::size_t length = 0;  ///< from the first byte of the first word to the last byte of the last
  std::size_t words = 0;
  std::string encoding;  ///< utf-16le or utf-16be for a seed in UTF-16 text (WalletPageScanner); empty for bytes
};

/// Electrum and Monero seeds starting in [0, page_end) of `data`, by offset.
/// Windows that are also valid BIP39 phrases are left to the BIP39 finder
/// (Electrum never makes seeds that pass the BIP39 checksum), and runs of
/// consecutive list words (copies of a word list) are skipped.
std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end);

/// The same, looking only inside `stretches` (offsets in `data`, in order):
/// every maximal span of seed bytes (ASCII letters, digits, white space,
/// ",;\"'[](){}.:", the bytes of Monero's non-ASCII words and of U+3000) of
/// 47 bytes or more starting before `page_end` must lie
/// inside one of them, as it does inside the phrase_stretches() of `data`
/// (seed bytes are phrase bytes), so the BIP39 finder's stretch pass serves both.
std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end,
                                       std::span<const PhraseStretch> stretches);
/// The same, reading only `samples` (Electrum and English Monero seeds) and
/// `monero_samples` (Monero's other lists): the points of
/// phrase_sample_grid(stretches) less any shown to lie in no run of those
/// finders' words (phrase_samples()).
std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end,
                                       std::span<const PhraseStretch> stretches, std::span<const std::size_t> samples,
                                       std::span<const std::size_t> monero_samples);

}  // namespace trawl::scan
