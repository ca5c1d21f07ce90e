#pragma once
// The on-disk layout of a `.tidx` known-file index (internal to lib/hash).
//
//   header        72 bytes, little-endian:
//                   0 magic "TRAWLIDX"        8 u32 format version
//                  12 u32 flags              16 u64 file size
//                  24 u64 entry count        32 u32 section count
//                  36 u32 digests every entry carries (kHas* bits) when the
//                     file has no entry_flags section
//                  40 SHA-256 over bytes [0, 40) and the section table
//   section table section count x 32 bytes: u32 kind, u32 param, u64 offset,
//                 u64 length, u64 count (what `count` and `param` mean
//                 depends on the kind, see SectionKind)
//   sections      each starts on a 64-byte boundary; zero padding between.
//
// Per algorithm: a prefix table (2^bits + 1 u32 start indices, bucket = first
// `bits` bits of the digest), the sorted digests (count x width bytes), and,
// when entries need numbers (several algorithms, or provenance), the entry id
// of each digest (u32). Entries: a flags byte each (kHas* bits) unless every
// entry carries the same digests; a provenance id each (u32) into a table of
// distinct provenance blobs stored once (offsets u64, count + 1 of them).
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "hash/digest.hpp"
#include "hash/set_index.hpp"

namespace trawl::hash::index_format {

inline constexpr char kMagic[8] = {'T', 'R', 'A', 'W', 'L', 'I', 'D', 'X'};
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kHeaderSize = 72;
inline constexpr size_t kChecksumOffset = 40;
inline constexpr size_t kSectionEntrySize = 32;
inline constexpr uint32_t kMaxSections = 64;
inline constexpr uint64_t kAlign = 64;
inline constexpr unsigned kMaxPrefixBits = 22;
/// Entry ids are u32; one value is kept free.
inline constexpr uint64_t kMaxEntries = 0xFFFF'FFFEull;

/// Header flags.
inline constexpr uint32_t kFlagEntryIds = 1;     ///< digest sections carry entry ids
inline constexpr uint32_t kFlagProvenance = 2;   ///< provenance sections present
inline constexpr uint32_t kFlagEntryFlags = 4;   ///< per-entry flags byte present
inline constexpr uint32_t kKnownFlags = 7;

/// Per-entry digest bits.
inline constexpr uint8_t kHasMd5 = 1, kHasSha1 = 2, kHasSha256 = 4, kHasSha512 = 8;
inline constexpr uint8_t kHasAll = 15;

enum class SectionKind : uint32_t {
  meta = 1,             ///< name, kind, version, sources
  prefix = 2,           ///< param: algorithm; count: prefix bits
  digests = 3,          ///< param: algorithm; count: digests
  entry_ids = 4,        ///< param: algorithm; count: digests
  entry_flags = 5,      ///< count: entries
  provenance_ids = 6,   ///< count: entries
  provenance_offsets = 7,  ///< count: distinct provenance blobs
  strings = 8,          ///< provenance blobs back to back
};

struct Section {
  SectionKind kind = SectionKind::meta;
  uint32_t param = 0;
  uint64_t offset = 0, length = 0, count = 0;
};

struct Header {
  uint32_t version = kVersion;
  uint32_t flags = 0;
  uint64_t file_size = 0;
  uint64_t entries = 0;
  uint32_t common_digests = 0;
  std::vector<Section> sections;
};

inline constexpr std::array<Algorithm, 4> kAlgorithms = {Algorithm::md5, Algorithm::sha1, Algorithm::sha256, Algorithm::sha512};
inline uint8_t algorithm_bit(Algorithm a) { return static_cast<uint8_t>(1u << static_cast<unsigned>(a)); }
inline size_t width(Algorithm a) {
  switch (a) {
    case Algorithm::md5: return 16;
    case Algorithm::sha1: return 20;
    case Algorithm::sha256: return 32;
    case Algorithm::sha512: return 64;
  }
  return 16;
}
/// Prefix bits for `count` digests: about 8 digests per bucket.
unsigned prefix_bits_for(uint64_t count);

inline uint64_t align_up(uint64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

inline void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline uint32_t get_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}
inline uint64_t get_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

/// Header plus section table, checksum filled in.
std::vector<uint8_t> encode_header(const Header& header);
/// Bytes the header and its table take.
inline uint64_t header_bytes(size_t sections) { return kHeaderSize + sections * kSectionEntrySize; }
/// Checks magic, size, checksum and version and reads the table. Sections are
/// not checked against each other here (see SetIndex).
Result<Header> decode_header(std::span<const uint8_t> file);
/// SHA-256 over bytes [0, 40) and the section table of `bytes`.
std::array<uint8_t, 32> header_checksum(std::span<const uint8_t> bytes, size_t table_bytes);

std::vector<uint8_t> encode_meta(const IndexMeta& meta);
Result<IndexMeta> decode_meta(std::span<const uint8_t> bytes);

/// A provenance blob: empty when the entry has none.
void encode_provenance(const Provenance& p, std::string& out);
/// Never fails: a damaged blob decodes as far as it is sound.
Provenance decode_provenance(std::span<const uint8_t> blob);

}  // namespace trawl::hash::index_format
