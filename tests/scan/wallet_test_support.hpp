// Helpers shared by the wallet scanner tests: UTF-16 forms of ASCII text, and a
// stream's hits at one page size as comparable strings.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "scan/wallet_scanner.hpp"
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

}  // namespace trawl::scan
