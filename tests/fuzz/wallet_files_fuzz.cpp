// Fuzzer for the wallet-file parsers and the seed finders: any bytes, whole
// (item start) or carved, must not crash, hang or read out of bounds; every
// hit lies inside the window and starts in the page; the Snappy decoder, the
// JSON reader and the LevelDB log reassembly (file and carved) are driven
// directly as well, their pieces checked to lie inside the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scan/json_lite.hpp"
#include "scan/leveldb_log.hpp"
#include "scan/snappy.hpp"
#include "scan/wallet_files.hpp"
#include "scan/wallet_seeds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 18) return 0;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  const std::size_t page_end = size / 2 + 1;
  for (bool item_start : {true, false}) {
    trawl::scan::WalletFileWindow window{bytes, page_end, item_start};
    const auto hits = trawl::scan::find_wallet_files(window);
    for (const auto& hit : hits) {
      if (hit.offset >= page_end && !item_start) __builtin_trap();
      if (hit.offset > size || hit.length > size - hit.offset) __builtin_trap();
    }
    // The gate reads page + wallet_file_gate_margin() only and lets every page with a hit through.
    const std::size_t reach = std::min(size, page_end + trawl::scan::wallet_file_gate_margin());
    const trawl::scan::WalletFileWindow gate{bytes.first(reach), page_end, item_start};
    if (!hits.empty() && !trawl::scan::wallet_files_possible(gate)) __builtin_trap();
  }
  for (const auto& seed : trawl::scan::find_wallet_seeds(bytes, page_end))
    if (seed.offset >= page_end || seed.length > size - seed.offset) __builtin_trap();
  auto check_pieces = [&](const trawl::scan::LevelDbLogRecord& rec) {
    std::size_t payload = 0;
    for (const auto& piece : rec.pieces) {
      if (piece.input > size || piece.length > size - piece.input || piece.payload != payload) __builtin_trap();
      payload += piece.length;
    }
    if (payload != rec.payload.size()) __builtin_trap();
  };
  for (const auto& rec : trawl::scan::leveldb_log_records(bytes, 1 << 16)) check_pieces(rec);
  trawl::scan::LevelDbLogRecord spliced;
  if (trawl::scan::splice_leveldb_fragments(bytes, size / 3, 1 << 16, spliced)) check_pieces(spliced);
  (void)trawl::scan::snappy_decompress(bytes, 1 << 20);
  (void)trawl::scan::parse_json_prefix(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
