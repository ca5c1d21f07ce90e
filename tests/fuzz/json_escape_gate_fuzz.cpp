// Differential fuzzer for the JSON-escape gate (lib/scan/json_escape_gate.hpp):
// wallet-scan must find the same hits in any input whether it decodes the text
// around every JSON escape or only around those the gate lets through. Traps
// on a difference.
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "scan/wallet_scanner.hpp"

namespace {

using Hit = std::tuple<std::size_t, std::size_t, std::string, std::string>;

std::vector<Hit> scan(const uint8_t* data, size_t size, bool every_escape) {
  trawl::scan::WalletWindow window;
  window.data = {reinterpret_cast<const std::byte*>(data), size};
  window.page_end = size;
  window.stream_start = true;
  trawl::scan::WalletScanOptions options;
  options.decode_every_escape = every_escape;
  std::vector<Hit> hits;
  for (const auto& hit : trawl::scan::scan_wallets(window, options))
    hits.emplace_back(hit.offset, hit.length, hit.kind, hit.encoding);
  return hits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  if (scan(data, size, false) != scan(data, size, true)) __builtin_trap();
  return 0;
}
