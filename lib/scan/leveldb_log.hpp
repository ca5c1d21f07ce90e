#pragma once
// LevelDB write-ahead log (.log) records, as Chromium extension storage keeps
// a MetaMask vault. The file is a sequence of 32 KiB blocks; each record is
// stored as fragments, each with a 7-byte header: masked CRC-32C (4, over the
// type byte and the payload), payload length (2, little-endian), type (1:
// FULL, 2: FIRST, 3: MIDDLE, 4: LAST). A record that does not fit in what is
// left of a block is split, so a large vault value has headers inside it
// (google/leveldb doc/log_format.md). Pure: no I/O, no globals, never throws.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace trawl::scan {

inline constexpr std::size_t kLevelDbLogBlock = 32768;
inline constexpr std::size_t kLevelDbLogHeader = 7;

/// CRC-32C (Castagnoli) of `bytes`, continuing from `crc` (0 to start).
std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc = 0);
/// LevelDB stores CRCs masked (rotated and offset) so that a CRC of data that
/// holds CRCs is not degenerate.
std::uint32_t leveldb_mask_crc(std::uint32_t crc);

/// A record put back together from its fragments, with where each piece of
/// its payload lies in the input, so that offsets in the payload map back.
struct LevelDbLogRecord {
  struct Piece {
    std::size_t input = 0;    ///< offset of the piece in the input
    std::size_t payload = 0;  ///< offset of the piece in `payload`
    std::size_t length = 0;
  };
  std::string payload;
  std::vector<Piece> pieces;
  std::size_t offset = 0;     ///< the first header, in the input
  std::size_t end = 0;        ///< the end of the last piece, in the input
  std::size_t fragments = 0;  ///< headers read
  bool complete = false;      ///< ended by a LAST fragment (or is one FULL fragment)
  bool crc_ok = true;         ///< every fragment's CRC matched

  /// The input offset of payload byte `at` (at < payload.size()).
  std::size_t input_offset(std::size_t at) const;
  /// The input offset just past payload bytes [.., stop) (stop > 0).
  std::size_t input_end(std::size_t stop) const { return input_offset(stop - 1) + 1; }
  /// How many pieces hold payload bytes [begin, stop): the fragments a structure spans.
  std::size_t pieces_spanned(std::size_t begin, std::size_t stop) const;
};

/// The records of a LevelDB log file (`file` starts at the file start; block
/// boundaries are multiples of 32 KiB from it) made of more than one
/// fragment: the ones whose bytes have headers inside. Empty when the first
/// header is not a valid log header. A chain cut by a bad header, a FULL or
/// FIRST fragment where a MIDDLE or LAST belongs, or the end of `file` is
/// returned incomplete; a fragment whose CRC does not match is kept (its
/// bytes are what the disk holds) and clears crc_ok. Payloads are cut at
/// `max_payload` bytes (then incomplete).
std::vector<LevelDbLogRecord> leveldb_log_records(std::span<const std::byte> file, std::size_t max_payload);

/// Carving, where the block boundaries are unknown: the bytes of `data` from
/// `from` with the fragment headers of a log record removed. The first header
/// must lie in the 32 KiB after `from` (no fragment is longer) and be a
/// MIDDLE header (whose fragment fills a block) or a LAST one, whose CRC
/// matches its payload (at most 64 candidates get their CRC computed); each
/// MIDDLE fragment is followed by the next header, checked the same way, or
/// cut by the end of `data` (then incomplete). Returns false (and `out` with
/// no fragments) when there is no first header. At most `max_payload` bytes.
bool splice_leveldb_fragments(std::span<const std::byte> data, std::size_t from, std::size_t max_payload,
                              LevelDbLogRecord& out);

}  // namespace trawl::scan
