// Placeholder until scripts/make-monero-words has generated the list: with an
// empty list no Monero seed is reported.
#include "scan/monero_seed.hpp"

namespace trawl::scan {

std::span<const std::string_view> monero_wordlist() { return {}; }

}  // namespace trawl::scan
