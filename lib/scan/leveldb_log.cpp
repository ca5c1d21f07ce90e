// LevelDB log fragments put back together (doc/log_format.md of google/leveldb).
#include "scan/leveldb_log.hpp"

#include <algorithm>
#include <array>

#include "core/byte_read.hpp"

namespace trawl::scan {
namespace {

using namespace bytes;

enum FragmentType : std::uint8_t { kFull = 1, kFirst = 2, kMiddle = 3, kLast = 4 };
constexpr std::size_t kMaxFragment = kLevelDbLogBlock - kLevelDbLogHeader;

constexpr std::array<std::uint32_t, 256> make_crc32c_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;  // reflected Castagnoli
    table[i] = c;
  }
  return table;
}
constexpr auto kCrc32cTable = make_crc32c_table();

/// The fragment header at `at`: a known type and a length that fits the block
/// (when `block_left` is known) or at least one fragment.
struct Header {
  std::uint32_t crc = 0;
  std::size_t length = 0;
  std::uint8_t type = 0;
};

Header header_at(std::span<const std::byte> b, std::size_t at) {
  return {u32le(b, at), u16le(b, at + 4), u8(b, at + 6)};
}

/// The CRC the header at `at` should hold: over its type byte and its payload.
bool crc_matches(std::span<const std::byte> b, std::size_t at, const Header& h) {
  if (!fits(b, at + kLevelDbLogHeader, h.length)) return false;
  const std::uint32_t crc = crc32c(b.subspan(at + kLevelDbLogHeader, h.length), crc32c(b.subspan(at + 6, 1)));
  return leveldb_mask_crc(crc) == h.crc;
}

/// Appends the payload of the fragment at `at` (as much of it as `b` and
/// `max_payload` allow). False when it was cut.
bool append(LevelDbLogRecord& rec, std::span<const std::byte> b, std::size_t at, const Header& h,
            std::size_t max_payload) {
  const std::size_t start = at + kLevelDbLogHeader;
  std::size_t take = std::min(h.length, b.size() - std::min(b.size(), start));
  const bool whole_in_input = take == h.length;
  take = std::min(take, max_payload - std::min(max_payload, rec.payload.size()));
  ++rec.fragments;
  // A fragment cut by the end of the input has no CRC to check: its chain is incomplete instead.
  if (whole_in_input && !crc_matches(b, at, h)) rec.crc_ok = false;
  if (take > 0) {
    rec.pieces.push_back({start, rec.payload.size(), take});
    rec.payload.append(text(b.subspan(start, take)));
  }
  rec.end = start + take;
  return take == h.length;
}

}  // namespace

std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc) {
  crc = ~crc;
  for (std::byte b : bytes) crc = kCrc32cTable[(crc ^ static_cast<std::uint8_t>(b)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t leveldb_mask_crc(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

std::size_t LevelDbLogRecord::input_offset(std::size_t at) const {
  // The last piece starting at or before `at` (pieces are in payload order).
  auto it = std::upper_bound(pieces.begin(), pieces.end(), at,
                             [](std::size_t value, const Piece& p) { return value < p.payload; });
  if (it == pieces.begin()) return offset;  // unreachable for at < payload.size()
  --it;
  return it->input + (at - it->payload);
}

std::size_t LevelDbLogRecord::pieces_spanned(std::size_t begin, std::size_t stop) const {
  std::size_t count = 0;
  for (const Piece& p : pieces)
    if (p.payload < stop && p.payload + p.length > begin) ++count;
  return count;
}

std::vector<LevelDbLogRecord> leveldb_log_records(std::span<const std::byte> file, std::size_t max_payload) {
  std::vector<LevelDbLogRecord> records;
  // A log starts with a header whose type is known, whose length fits the
  // first block and whose CRC matches: nothing else starts that way.
  if (!fits(file, 0, kLevelDbLogHeader)) return records;
  const Header first = header_at(file, 0);
  if (first.type < kFull || first.type > kLast || first.length > kMaxFragment || !crc_matches(file, 0, first))
    return records;
  LevelDbLogRecord current;
  bool open = false;
  auto close = [&](bool complete) {
    if (!open) return;
    current.complete = complete;
    records.push_back(std::move(current));
    current = LevelDbLogRecord{};
    open = false;
  };
  std::size_t pos = 0;
  while (pos < file.size()) {
    const std::size_t left = kLevelDbLogBlock - pos % kLevelDbLogBlock;
    if (left < kLevelDbLogHeader) {  // the block trailer: zeros, no header fits
      pos += left;
      continue;
    }
    if (!fits(file, pos, kLevelDbLogHeader)) break;
    const Header h = header_at(file, pos);
    if (h.type < kFull || h.type > kLast || h.length > left - kLevelDbLogHeader) {
      // Zero padding (a preallocated file) or a damaged header: LevelDB skips to the next block.
      close(false);
      pos += left;
      continue;
    }
    switch (h.type) {
      case kFull:
        close(false);
        break;
      case kFirst:
        close(false);
        open = true;
        current.offset = pos;
        if (!append(current, file, pos, h, max_payload)) close(false);
        break;
      default:  // MIDDLE, LAST: a piece of the open record; alone, a lost record's tail
        if (!open) break;
        if (!append(current, file, pos, h, max_payload)) close(false);
        else if (h.type == kLast) close(true);
        break;
    }
    pos += kLevelDbLogHeader + h.length;
  }
  close(false);
  return records;
}

bool splice_leveldb_fragments(std::span<const std::byte> data, std::size_t from, std::size_t max_payload,
                              LevelDbLogRecord& out) {
  out = LevelDbLogRecord{};
  out.offset = from;
  if (from >= data.size()) return false;
  // The first header: type MIDDLE or LAST (the bytes at `from` belong to a
  // FIRST or MIDDLE fragment, which the next header follows), a length that is
  // one fragment, and the CRC. The type byte is looked at first: 3 and 4 are
  // rare in text.
  // A MIDDLE fragment fills its whole block (LevelDB's writer starts one only
  // at a block start, for a rest that does not fit), so its length is exact.
  // Few CRCs are computed: a run of candidate headers in binary bytes must not
  // cost a CRC of up to 32 KiB each.
  constexpr int kMaxCrcTries = 64;
  const std::size_t stop = std::min(data.size() - std::min(data.size(), kLevelDbLogHeader), from + kLevelDbLogBlock);
  std::size_t at = from;
  int tries = 0;
  for (; at <= stop && at + kLevelDbLogHeader <= data.size(); ++at) {
    const std::uint8_t type = u8(data, at + 6);
    if (type != kMiddle && type != kLast) continue;
    const Header h = header_at(data, at);
    if (h.length > kMaxFragment || (type == kMiddle && h.length != kMaxFragment)) continue;
    if (!fits(data, at + kLevelDbLogHeader, h.length)) continue;
    if (crc_matches(data, at, h)) break;
    if (++tries == kMaxCrcTries) return false;
  }
  if (at > stop || at + kLevelDbLogHeader > data.size()) return false;
  const std::size_t lead = std::min(at - from, max_payload);
  if (lead > 0) out.pieces.push_back({from, 0, lead});
  out.payload.append(text(data.subspan(from, lead)));
  out.end = from + lead;
  // Then the chain: each MIDDLE fragment fills its block and the next header follows it.
  for (;;) {
    const Header h = header_at(data, at);
    if (!append(out, data, at, h, max_payload)) break;
    if (h.type == kLast) {
      out.complete = true;
      break;
    }
    at += kLevelDbLogHeader + h.length;
    if (!fits(data, at, kLevelDbLogHeader)) break;
    const Header next = header_at(data, at);
    if ((next.type != kMiddle && next.type != kLast) || next.length > kMaxFragment ||
        (next.type == kMiddle && next.length != kMaxFragment))
      break;
    // A fragment cut by the end of the window has no CRC to check: taken as it is, the chain left incomplete.
    if (fits(data, at + kLevelDbLogHeader, next.length) && !crc_matches(data, at, next)) break;
  }
  return true;
}

}  // namespace trawl::scan
