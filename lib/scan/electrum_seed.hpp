#pragma once
// Electrum "new style" (v2, since Electrum 2.0) seeds: words from the BIP39
// English list whose version is the start of
// HMAC-SHA512(key "Seed version", normalised phrase) in hex:
// "01" standard, "100" segwit, "101" 2fa, "102" 2fa segwit.
#include <optional>
#include <string>
#include <string_view>

namespace trawl::scan {

/// Lower case, single spaces, no leading/trailing space (ASCII phrases; Electrum
/// also strips accents and CJK spaces, which English words do not have).
std::string normalise_electrum_seed(std::string_view phrase);

/// "standard", "segwit", "2fa" or "2fa_segwit" when the phrase is an Electrum
/// v2 seed, else nullopt. Does not check that the words are in a list.
std::optional<std::string> electrum_seed_type(std::string_view phrase);

}  // namespace trawl::scan
