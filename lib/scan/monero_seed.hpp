#pragma once
// Monero 25-word seeds (English list): 24 data words and a checksum word,
// words[crc32(first 3 letters of each of the 24 words) mod 24].
#include <span>
#include <string>
#include <string_view>

namespace trawl::scan {

/// The Monero English list (1626 words, generated: monero_words.cpp); empty
/// when it is not compiled in.
std::span<const std::string_view> monero_wordlist();

/// 25 lower-case words, all in the list, whose last word is the checksum word.
bool is_monero_seed(std::span<const std::string> words);

}  // namespace trawl::scan
