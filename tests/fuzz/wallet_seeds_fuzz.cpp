// Differential fuzzer for the Electrum and Monero seed finders: the seeds
// found in the BIP39 finder's phrase stretches (how wallet-scan runs) must be
// those found in the finder's own stretches, each inside the input and of 12,
// 13, 24 or 25 words. Traps on a difference. Seeded with tests/data, which
// holds Monero seeds in all twelve languages (wallet_seeds/).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "scan/bip39.hpp"
#include "scan/wallet_seeds.hpp"

namespace {

using Seed = std::tuple<std::size_t, std::size_t, std::string, std::string>;

std::vector<Seed> as_tuples(const std::vector<trawl::scan::SeedHit>& hits, std::size_t size) {
  std::vector<Seed> out;
  for (const auto& h : hits) {
    if (h.offset + h.length > size || h.length == 0) __builtin_trap();
    if (h.words != 12 && h.words != 13 && h.words != 24 && h.words != 25) __builtin_trap();
    out.emplace_back(h.offset, h.length, h.kind, h.language);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  for (std::size_t page_end : {size, size / 2}) {
    const auto own = as_tuples(trawl::scan::find_wallet_seeds(bytes, page_end), size);
    std::vector<trawl::scan::PhraseStretch> stretches;
    trawl::scan::phrase_stretches(text, page_end, stretches);
    if (as_tuples(trawl::scan::find_wallet_seeds(bytes, page_end, stretches), size) != own) __builtin_trap();
  }
  return 0;
}
