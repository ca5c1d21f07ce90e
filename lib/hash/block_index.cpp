#include "hash/block_index.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "hash/digest.hpp"
#include "hash/index_build.hpp"
#include "hash/index_format.hpp"
#include "io/host_file.hpp"

namespace trawl::hash {

namespace fmt_ = index_format;

bool block_has_evidence(std::span<const std::byte> block) {
  const size_t n = block.size();
  if (n <= kMaxNoEvidencePeriod) return false;
  // Period p: block[i] == block[i + p] for every i. Real data differs within
  // a few bytes for every p, so this costs little more than 16 compares.
  for (size_t p = 1; p <= kMaxNoEvidencePeriod; ++p)
    if (std::memcmp(block.data(), block.data() + p, n - p) == 0) return false;
  return true;
}

std::string block_name(std::string_view file, uint64_t block) {
  std::string out(file);
  out += '#';
  out += std::to_string(block);
  return out;
}

std::optional<BlockRef> parse_block_name(std::string_view name) {
  const size_t hash = name.rfind('#');
  if (hash == std::string_view::npos || hash + 1 == name.size()) return std::nullopt;
  BlockRef ref;
  const char* first = name.data() + hash + 1;
  const char* last = name.data() + name.size();
  const auto [end, ec] = std::from_chars(first, last, ref.block);
  if (ec != std::errc() || end != last) return std::nullopt;
  ref.file = std::string(name.substr(0, hash));
  return ref;
}

namespace {
constexpr std::string_view kVersionPrefix = "blocks:";
}

std::string block_index_version(size_t block_size) { return std::string(kVersionPrefix) + std::to_string(block_size); }

std::optional<size_t> parse_block_index_version(std::string_view version) {
  if (!version.starts_with(kVersionPrefix)) return std::nullopt;
  version.remove_prefix(kVersionPrefix.size());
  size_t size = 0;
  const auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), size);
  if (ec != std::errc() || end != version.data() + version.size() || !check_block_size(size)) return std::nullopt;
  return size;
}

Status check_block_size(size_t block_size) {
  if (block_size < kSectorSize || block_size > kMaxBlockSize || block_size % kSectorSize != 0)
    return make_error(Errc::invalid_argument, "block size " + std::to_string(block_size) +
                                                  " is not a multiple of 512 between 512 and " + std::to_string(kMaxBlockSize));
  return ok_status();
}

// --- cheap keys ------------------------------------------------------------
// The XXH64 round and avalanche (Yann Collet's constants): four independent
// lanes over 32-byte stripes, so a sector costs a few nanoseconds.
namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull, kP2 = 0xC2B2AE3D27D4EB4Full, kP3 = 0x165667B19E3779F9ull,
                   kP4 = 0x85EBCA77C2B2AE63ull, kP5 = 0x27D4EB2F165667C5ull;

inline uint64_t load_le64(const std::byte* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
inline uint64_t round64(uint64_t acc, uint64_t input) { return std::rotl(acc + input * kP2, 31) * kP1; }
inline uint64_t merge64(uint64_t acc, uint64_t lane) { return (acc ^ round64(0, lane)) * kP1 + kP4; }
inline uint64_t avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

}  // namespace

uint64_t sector_key(const std::byte* sector) {
  uint64_t v1 = kP1 + kP2, v2 = kP2, v3 = 0, v4 = 0 - kP1;
  for (size_t i = 0; i < kSectorSize; i += 32) {
    v1 = round64(v1, load_le64(sector + i));
    v2 = round64(v2, load_le64(sector + i + 8));
    v3 = round64(v3, load_le64(sector + i + 16));
    v4 = round64(v4, load_le64(sector + i + 24));
  }
  uint64_t h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
  h = merge64(merge64(merge64(merge64(h, v1), v2), v3), v4);
  return avalanche(h + kSectorSize);
}

uint64_t block_key(std::span<const uint64_t> sector_keys) {
  uint64_t h = kP5 + sector_keys.size();
  for (uint64_t k : sector_keys) h = round64(h, k);
  return avalanche(h);
}

uint64_t block_key_of(std::span<const std::byte> block) {
  uint64_t keys[kMaxBlockSize / kSectorSize];
  const size_t n = block.size() / kSectorSize;
  for (size_t i = 0; i < n; ++i) keys[i] = sector_key(block.data() + i * kSectorSize);
  return block_key({keys, n});
}

// --- the filter ------------------------------------------------------------

BlockFilter BlockFilter::with_capacity(uint64_t keys) {
  BlockFilter f;
  const uint64_t lines = std::bit_ceil(std::max<uint64_t>(1, (keys * 16 + 511) / 512));
  const unsigned bits = static_cast<unsigned>(std::countr_zero(lines));
  f.words_.assign(lines * 8, 0);
  f.line_shift_ = bits == 0 ? 63 : 64 - bits;
  f.line_mask_ = lines - 1;
  return f;
}

void BlockFilter::add(uint64_t key) {
  uint64_t* line = words_.data() + ((key >> line_shift_) & line_mask_) * 8;
  for (unsigned j = 0; j < kProbes; ++j) {
    const unsigned p = static_cast<unsigned>(key >> (9 * j)) & 511;
    line[p >> 6] |= uint64_t{1} << (p & 63);
  }
  ++keys_;
}

namespace {

constexpr char kFilterMagic[8] = {'T', 'R', 'A', 'W', 'L', 'B', 'K', 'F'};
constexpr uint32_t kFilterVersion = 1;
// magic, u32 version, u32 block size, u64 keys, u64 lines, 32-byte index checksum
constexpr size_t kFilterHeader = 8 + 4 + 4 + 8 + 8 + 32;
constexpr uint64_t kMaxFilterLines = uint64_t{1} << 32;

Error filter_damaged(const std::string& path, const std::string& what) {
  return make_error(Errc::data_loss, "block filter " + path + " is damaged: " + what);
}

/// The header checksum of a `.tidx` file: what its filter is bound to.
Result<std::array<uint8_t, 32>> index_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  uint8_t head[fmt_::kHeaderSize];
  if (!in.read(reinterpret_cast<char*>(head), sizeof head))
    return make_error(Errc::data_loss, "cannot read the header of " + path);
  std::array<uint8_t, 32> sum{};
  std::memcpy(sum.data(), head + fmt_::kChecksumOffset, sum.size());
  return sum;
}

}  // namespace

Status BlockFilter::write(const std::string& path, size_t block_size, std::span<const uint8_t, 32> checksum) const {
  std::vector<uint8_t> out(kFilterHeader + words_.size() * 8);
  std::memcpy(out.data(), kFilterMagic, 8);
  fmt_::put_u32(&out[8], kFilterVersion);
  fmt_::put_u32(&out[12], static_cast<uint32_t>(block_size));
  fmt_::put_u64(&out[16], keys_);
  fmt_::put_u64(&out[24], words_.size() / 8);
  std::memcpy(&out[32], checksum.data(), 32);
  for (size_t i = 0; i < words_.size(); ++i) fmt_::put_u64(&out[kFilterHeader + 8 * i], words_[i]);
  const std::string partial = path + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size())) || !file.flush())
      return make_error(Errc::io, "cannot write " + partial);
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) return make_error(Errc::io, "cannot rename " + partial + " to " + path);
  return ok_status();
}

Result<BlockFilter> BlockFilter::read(const std::string& path, size_t block_size, std::span<const uint8_t, 32> checksum) {
  auto stream = io::HostFileStream::open(path);
  if (!stream) return stream.error();
  const uint64_t size = *(*stream)->size();
  if (size < kFilterHeader) return filter_damaged(path, "shorter than its header");
  uint8_t head[kFilterHeader];
  auto n = io::read_full_at(**stream, 0, std::as_writable_bytes(std::span(head)));
  if (!n) return n.error();
  if (*n != kFilterHeader || std::memcmp(head, kFilterMagic, 8) != 0) return filter_damaged(path, "bad magic");
  if (fmt_::get_u32(head + 8) != kFilterVersion)
    return make_error(Errc::unimplemented, "block filter " + path + " has format version " + std::to_string(fmt_::get_u32(head + 8)));
  if (fmt_::get_u32(head + 12) != block_size)
    return make_error(Errc::invalid_argument, "block filter " + path + " is for block size " +
                                                  std::to_string(fmt_::get_u32(head + 12)) + ", the index has " +
                                                  std::to_string(block_size));
  if (std::memcmp(head + 32, checksum.data(), 32) != 0)
    return make_error(Errc::invalid_argument, "block filter " + path + " belongs to another index (rebuild the index)");
  const uint64_t lines = fmt_::get_u64(head + 24);
  if (lines == 0 || lines > kMaxFilterLines || !std::has_single_bit(lines)) return filter_damaged(path, "line count");
  if ((size - kFilterHeader) / 64 != lines || (size - kFilterHeader) % 64 != 0) return filter_damaged(path, "size");
  BlockFilter f = with_capacity(0);
  f.words_.assign(lines * 8, 0);
  const unsigned bits = static_cast<unsigned>(std::countr_zero(lines));
  f.line_shift_ = bits == 0 ? 63 : 64 - bits;
  f.line_mask_ = lines - 1;
  f.keys_ = fmt_::get_u64(head + 16);
  n = io::read_full_at(**stream, kFilterHeader, std::as_writable_bytes(std::span(f.words_)));
  if (!n) return n.error();
  if (*n != lines * 64) return filter_damaged(path, "truncated");
  if constexpr (std::endian::native == std::endian::big)
    for (auto& w : f.words_) w = __builtin_bswap64(w);
  return f;
}

std::string block_filter_path(const std::string& index_path) { return index_path + ".filter"; }

// --- building ---------------------------------------------------------------

namespace {

/// Regular files under `roots`, in the order given and byte order of names below each.
std::vector<std::pair<std::string, uint64_t>> known_files(const std::vector<std::string>& roots, const ProblemVisitor& on_problem,
                                                          std::optional<Error>& failure, bool strict) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, uint64_t>> out;
  auto problem = [&](const std::string& message) {
    if (strict && !failure) failure = make_error(Errc::io, message);
    if (on_problem) on_problem(SetProblem{0, 0, message});
  };
  for (const auto& root : roots) {
    std::error_code ec;
    const auto status = fs::symlink_status(root, ec);
    if (ec) {
      problem(root + ": " + ec.message());
      continue;
    }
    if (fs::is_regular_file(status)) {
      out.emplace_back(root, fs::file_size(root, ec));
      continue;
    }
    if (!fs::is_directory(status)) {
      problem(root + ": not a regular file or directory");
      continue;
    }
    std::vector<std::pair<std::string, uint64_t>> below;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
    if (ec) problem(root + ": " + ec.message());
    for (; !ec && it != end; it.increment(ec)) {
      std::error_code sec;
      if (it->is_symlink(sec) || !it->is_regular_file(sec)) continue;
      below.emplace_back(it->path().string(), it->file_size(sec));
    }
    if (ec) problem(root + ": " + ec.message());
    std::sort(below.begin(), below.end());
    out.insert(out.end(), below.begin(), below.end());
  }
  return out;
}

}  // namespace

Result<IndexMeta> build_block_index(const std::vector<std::string>& files_or_dirs, size_t block_size, const std::string& output,
                                    const BuildOptions& options, const ProblemVisitor& on_problem) {
  if (auto s = check_block_size(block_size); !s) return s.error();
  if (files_or_dirs.empty()) return make_error(Errc::invalid_argument, "no known files to index");
  std::optional<Error> failure;
  const auto files = known_files(files_or_dirs, on_problem, failure, options.strict);
  if (failure) return *failure;

  uint64_t capacity = 0;
  for (const auto& f : files) capacity += f.second / block_size;
  BlockFilter filter = BlockFilter::with_capacity(capacity);

  BuildOptions build_options = options;
  if (build_options.meta.name.empty()) {
    auto first = std::filesystem::path(files_or_dirs.front()).lexically_normal();
    if (!first.has_filename()) first = first.parent_path();  // "dir/"
    build_options.meta.name = first.filename().string();
  }
  build_options.meta.version = block_index_version(block_size);
  build_options.meta.sources = files_or_dirs;

  const EntryStream stream = [&](const EntryVisitor& visit, IndexMeta&) -> Status {
    MultiDigest md5({Algorithm::md5});
    // Whole blocks per read; a file that grows while it is read is cut at the size it had.
    const size_t per_read = std::max<size_t>(1, (1u << 20) / block_size) * block_size;
    std::vector<std::byte> buffer(per_read);
    KnownEntry entry;
    for (const auto& [path, size] : files) {
      auto opened = io::HostFileStream::open(path);
      if (!opened) {
        const std::string message = path + ": " + opened.error().detail;
        if (options.strict) return make_error(opened.error().code, message);
        if (on_problem) on_problem(SetProblem{0, 0, message});
        continue;
      }
      uint64_t block = 0;
      for (uint64_t offset = 0;; offset += per_read) {
        auto n = io::read_full_at(**opened, offset, buffer);
        if (!n) {
          const std::string message = path + ": " + n.error().detail;
          if (options.strict) return make_error(n.error().code, message);
          if (on_problem) on_problem(SetProblem{0, 0, message});
          break;
        }
        for (size_t at = 0; at + block_size <= *n; at += block_size, ++block) {
          const auto bytes = std::span<const std::byte>(buffer).subspan(at, block_size);
          if (!block_has_evidence(bytes)) continue;
          md5.update(bytes);
          const auto raw = parse_hex(md5.finish().front().second, 16);
          entry.md5.emplace();
          std::copy(raw->begin(), raw->end(), entry.md5->begin());
          entry.name = block_name(path, block);
          filter.add(block_key_of(bytes));
          if (!visit(entry)) return ok_status();
        }
        if (*n < per_read) break;
      }
    }
    return ok_status();
  };

  auto built = build_index_from(stream, output, build_options);
  if (!built) return built.error();
  auto checksum = index_checksum(output);
  if (!checksum) return checksum.error();
  if (auto s = filter.write(block_filter_path(output), block_size, *checksum); !s) return s.error();
  return built->meta;
}

// --- opening ----------------------------------------------------------------

Result<BlockIndex> BlockIndex::wrap(SetIndex index, std::optional<BlockFilter> filter) {
  const auto block_size = parse_block_index_version(index.meta().version);
  if (!block_size)
    return make_error(Errc::invalid_argument, "not a block index (its version is \"" + index.meta().version +
                                                  "\"; build one with hash-match index --blocks)");
  return BlockIndex(std::move(index), *block_size, std::move(filter));
}

Result<BlockIndex> BlockIndex::open(const std::string& path) {
  auto index = SetIndex::open(path);
  if (!index) return index.error();
  auto wrapped = wrap(std::move(*index), std::nullopt);
  if (!wrapped) return make_error(wrapped.error().code, path + ": " + wrapped.error().detail);
  const std::string filter_path = block_filter_path(path);
  std::error_code ec;
  if (!std::filesystem::exists(filter_path, ec)) return wrapped;
  auto checksum = index_checksum(path);
  if (!checksum) return checksum.error();
  auto filter = BlockFilter::read(filter_path, wrapped->block_size(), *checksum);
  if (!filter) return filter.error();
  wrapped->filter_ = std::move(*filter);
  return wrapped;
}

}  // namespace trawl::hash
