// Differential fuzzer for wallet-scan's streaming: the hits found in any
// input must be the same whatever the page size (each hit reported once, by
// the page it starts in). Traps on a difference.
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/wallet_scanner.hpp"

namespace {

using Hit = std::tuple<std::size_t, std::size_t, std::string>;

std::vector<Hit> scan(const uint8_t* data, size_t size, size_t page_size) {
  trawl::io::MemoryStream stream(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Hit> hits;
  auto status = trawl::scan::scan_wallet_stream(stream, page_size, trawl::scan::WalletScanOptions{},
                                                [&](const trawl::scan::WalletHit& hit) {
                                                  hits.emplace_back(hit.offset, hit.length, hit.kind);
                                                  return true;
                                                });
  if (!status) __builtin_trap();  // memory streams do not fail
  return hits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const auto whole = scan(data, size, size + 1);
  for (size_t page : {size_t{17}, size_t{4096}}) {
    if (scan(data, size, page) != whole) __builtin_trap();
  }
  return 0;
}
