#include "hash/set_index.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include "hash/external_sort.hpp"
#include "hash/index_build.hpp"
#include "hash/index_format.hpp"

namespace trawl::hash {

namespace fmt_ = index_format;

const char* set_kind_name(SetKind kind) { return kind == SetKind::good ? "good" : "bad"; }

size_t digest_size(Algorithm algorithm) { return fmt_::width(algorithm); }

std::optional<std::vector<uint8_t>> parse_hex(std::string_view text, size_t size) {
  if (text.size() != size * 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

namespace {

struct Table {
  uint64_t count = 0;  ///< 0: the index has no digests of this algorithm
  size_t width = 0;
  unsigned bits = 0;
  const uint8_t* prefix = nullptr;
  const uint8_t* digests = nullptr;
  const uint8_t* ids = nullptr;  ///< null: the entry id is the position
};

uint64_t load_be64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}

/// First index in [lo, hi) whose digest is not less than `key`. Most steps
/// are decided by the first 8 bytes, compared as one big-endian integer.
template <size_t W>
uint64_t lower_bound_w(const uint8_t* digests, uint64_t lo, uint64_t hi, const uint8_t* key) {
  const uint64_t head = load_be64(key);
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    const uint8_t* d = digests + mid * W;
    const uint64_t h = load_be64(d);
    if (h < head || (h == head && std::memcmp(d + 8, key + 8, W - 8) < 0))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

uint64_t lower_bound(const Table& t, uint64_t lo, uint64_t hi, const uint8_t* key) {
  switch (t.width) {
    case 16: return lower_bound_w<16>(t.digests, lo, hi, key);
    case 20: return lower_bound_w<20>(t.digests, lo, hi, key);
    case 32: return lower_bound_w<32>(t.digests, lo, hi, key);
    default: return lower_bound_w<64>(t.digests, lo, hi, key);
  }
}

Error damaged(const std::string& what) { return make_error(Errc::data_loss, "index damaged: " + what); }

}  // namespace

struct SetIndex::Impl {
  void* map = nullptr;
  size_t map_size = 0;
  std::vector<uint8_t> owned;
  std::span<const uint8_t> bytes;

  IndexMeta meta;
  uint64_t entries = 0;
  Table tables[4];
  uint8_t common_digests = 0;
  const uint8_t* entry_flags = nullptr;
  const uint8_t* provenance_ids = nullptr;
  const uint8_t* provenance_offsets = nullptr;
  uint64_t provenances = 0;
  std::span<const uint8_t> strings;

  ~Impl() {
    if (map != nullptr) munmap(map, map_size);
  }

  /// Everything the lookups rely on is checked here, once.
  Status validate() {
    auto header = fmt_::decode_header(bytes);
    if (!header) return header.error();
    const fmt_::Header& h = *header;
    entries = h.entries;
    if (entries > fmt_::kMaxEntries) return damaged("entry count " + std::to_string(entries));
    if (h.common_digests > fmt_::kHasAll) return damaged("digest flags");
    common_digests = static_cast<uint8_t>(h.common_digests);
    const bool with_ids = h.flags & fmt_::kFlagEntryIds;
    const fmt_::Section* found[9][4] = {};
    for (const auto& s : h.sections) {
      const auto kind = static_cast<uint32_t>(s.kind);
      if (kind < 1 || kind > 8) return damaged("unknown section kind " + std::to_string(kind));
      if (s.param > 3) return damaged("section parameter " + std::to_string(s.param));
      if (found[kind][s.param] != nullptr) return damaged("section repeated");
      found[kind][s.param] = &s;
    }
    auto at = [&](const fmt_::Section* s) { return bytes.data() + s->offset; };
    const auto* meta_section = found[static_cast<int>(fmt_::SectionKind::meta)][0];
    if (meta_section == nullptr) return damaged("no meta section");
    auto decoded = fmt_::decode_meta(bytes.subspan(meta_section->offset, meta_section->length));
    if (!decoded) return decoded.error();
    meta = std::move(*decoded);
    meta.entries = entries;

    for (Algorithm a : fmt_::kAlgorithms) {
      const int i = static_cast<int>(a);
      const auto* prefix = found[static_cast<int>(fmt_::SectionKind::prefix)][i];
      const auto* digests = found[static_cast<int>(fmt_::SectionKind::digests)][i];
      const auto* ids = found[static_cast<int>(fmt_::SectionKind::entry_ids)][i];
      if (prefix == nullptr && digests == nullptr && ids == nullptr) continue;
      if (prefix == nullptr || digests == nullptr || (ids != nullptr) != with_ids)
        return damaged(std::string("incomplete ") + algorithm_name(a) + " sections");
      Table& t = tables[i];
      t.width = fmt_::width(a);
      if (digests->count == 0 || digests->count > entries || digests->length / t.width != digests->count ||
          digests->length % t.width != 0)
        return damaged(std::string(algorithm_name(a)) + " digest count");
      if (prefix->count > fmt_::kMaxPrefixBits || prefix->length != ((uint64_t{1} << prefix->count) + 1) * 4)
        return damaged(std::string(algorithm_name(a)) + " prefix table");
      t.bits = static_cast<unsigned>(prefix->count);
      t.prefix = at(prefix);
      // Monotonic from 0 to count: every bucket is a valid range of the array.
      uint32_t previous = 0;
      const uint64_t slots = (uint64_t{1} << t.bits) + 1;
      if (fmt_::get_u32(t.prefix) != 0) return damaged(std::string(algorithm_name(a)) + " prefix table");
      for (uint64_t s = 1; s < slots; ++s) {
        const uint32_t v = fmt_::get_u32(t.prefix + 4 * s);
        if (v < previous) return damaged(std::string(algorithm_name(a)) + " prefix table");
        previous = v;
      }
      if (previous != digests->count) return damaged(std::string(algorithm_name(a)) + " prefix table");
      if (ids != nullptr) {
        if (ids->count != digests->count || ids->length != digests->count * 4)
          return damaged(std::string(algorithm_name(a)) + " entry ids");
        t.ids = at(ids);
      } else if (digests->count != entries) {
        return damaged(std::string(algorithm_name(a)) + " digest count");  // position is the entry id
      }
      t.digests = at(digests);
      t.count = digests->count;
    }

    const auto* flags = found[static_cast<int>(fmt_::SectionKind::entry_flags)][0];
    if ((flags != nullptr) != static_cast<bool>(h.flags & fmt_::kFlagEntryFlags)) return damaged("entry flags");
    if (flags != nullptr) {
      if (flags->length != entries) return damaged("entry flags");
      entry_flags = at(flags);
    }
    const auto* pids = found[static_cast<int>(fmt_::SectionKind::provenance_ids)][0];
    const auto* offsets = found[static_cast<int>(fmt_::SectionKind::provenance_offsets)][0];
    const auto* text = found[static_cast<int>(fmt_::SectionKind::strings)][0];
    const bool with_provenance = h.flags & fmt_::kFlagProvenance;
    if ((pids != nullptr) != with_provenance || (offsets != nullptr) != with_provenance || (text != nullptr) != with_provenance)
      return damaged("provenance sections");
    if (with_provenance) {
      if (pids->length / 4 != entries || pids->length % 4 != 0 || offsets->length % 8 != 0 || offsets->length < 8 ||
          offsets->count != offsets->length / 8 - 1)
        return damaged("provenance sections");
      provenance_ids = at(pids);
      provenance_offsets = at(offsets);
      provenances = offsets->count;
      strings = bytes.subspan(text->offset, text->length);
    }
    return ok_status();
  }

  uint8_t digests_of(uint64_t entry) const { return entry_flags != nullptr ? entry_flags[entry] : common_digests; }

  Provenance provenance_of(uint64_t entry) const {
    if (provenance_ids == nullptr) return {};
    const uint32_t id = fmt_::get_u32(provenance_ids + 4 * entry);
    if (id >= provenances) return {};
    const uint64_t begin = fmt_::get_u64(provenance_offsets + 8 * id), end = fmt_::get_u64(provenance_offsets + 8 * id + 8);
    if (begin > end || end > strings.size()) return {};
    return fmt_::decode_provenance(strings.subspan(begin, end - begin));
  }

  /// The range [lo, hi) of the bucket `key` falls in; empty when the table is.
  bool bucket(const Table& t, std::span<const uint8_t> key, uint64_t& lo, uint64_t& hi) const {
    if (t.count == 0 || key.size() != t.width) return false;
    const uint32_t top = static_cast<uint32_t>(key[0]) << 24 | key[1] << 16 | key[2] << 8 | key[3];
    const uint64_t b = t.bits == 0 ? 0 : top >> (32 - t.bits);
    lo = fmt_::get_u32(t.prefix + 4 * b);
    hi = fmt_::get_u32(t.prefix + 4 * b + 4);
    return lo < hi;
  }
};

SetIndex::SetIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SetIndex::~SetIndex() = default;
SetIndex::SetIndex(SetIndex&&) noexcept = default;
SetIndex& SetIndex::operator=(SetIndex&&) noexcept = default;

Result<SetIndex> SetIndex::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    return make_error(e == ENOENT ? Errc::not_found : Errc::io, "cannot open " + path + ": " + std::strerror(e));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(Errc::io, "cannot map " + path + ": not a regular file");
  }
  auto impl = std::make_unique<Impl>();
  if (st.st_size > 0) {
    void* map = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      return make_error(Errc::io, "cannot map " + path + ": " + std::strerror(e));
    }
    // Lookups touch a few scattered pages: no read-ahead or fault-around,
    // which would map (and count as ours) 64 KiB around every lookup.
    ::madvise(map, static_cast<size_t>(st.st_size), MADV_RANDOM);
    impl->map = map;
    impl->map_size = static_cast<size_t>(st.st_size);
    impl->bytes = {static_cast<const uint8_t*>(map), impl->map_size};
  }
  ::close(fd);
  if (auto s = impl->validate(); !s) return s.error();
  return SetIndex(std::move(impl));
}

namespace {

/// Reads the sets in turn; the meta learns their versions and paths.
EntryStream sets_stream(const std::vector<std::string>& sets, const ProblemVisitor& on_problem, bool strict) {
  return [&sets, &on_problem, strict](const EntryVisitor& visit, IndexMeta& meta) -> Status {
    std::vector<std::string> versions;
    for (const auto& path : sets) {
      auto problem = [&](const SetProblem& p) {
        SetProblem named = p;
        named.message = path + ": " + p.message;
        if (on_problem) on_problem(named);
      };
      auto info = read_known_set(path, visit, problem, strict);
      if (!info) return make_error(info.error().code, path + ": " + info.error().detail);
      if (!info->version.empty()) versions.push_back(info->version);
    }
    if (meta.sources.empty()) meta.sources = sets;
    if (meta.name.empty() && !sets.empty()) {
      const auto slash = sets.front().find_last_of('/');
      meta.name = slash == std::string::npos ? sets.front() : sets.front().substr(slash + 1);
    }
    if (meta.version.empty()) {
      for (size_t i = 0; i < versions.size(); ++i) meta.version += (i ? "; " : "") + versions[i];
    }
    return ok_status();
  };
}

}  // namespace

Result<SetIndex> SetIndex::compile(const std::vector<std::string>& sets, const IndexMeta& meta, const ProblemVisitor& on_problem,
                                   bool strict) {
  BuildOptions options;
  options.meta = meta;
  options.strict = strict;
  auto bytes = build_index_bytes(sets_stream(sets, on_problem, strict), options);
  if (!bytes) return bytes.error();
  auto impl = std::make_unique<Impl>();
  impl->owned = std::move(*bytes);
  impl->bytes = impl->owned;
  if (auto s = impl->validate(); !s) return make_error(Errc::internal, "compiled index does not validate: " + s.error().detail);
  return SetIndex(std::move(impl));
}

Result<SetIndex> SetIndex::load(const std::string& path, const IndexMeta& meta, const ProblemVisitor& on_problem, bool strict) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    return make_error(e == ENOENT ? Errc::not_found : Errc::io, "cannot open " + path + ": " + std::strerror(e));
  }
  char magic[sizeof fmt_::kMagic] = {};
  const ssize_t n = ::read(fd, magic, sizeof magic);
  ::close(fd);
  if (n == static_cast<ssize_t>(sizeof magic) && std::memcmp(magic, fmt_::kMagic, sizeof magic) == 0) return open(path);
  return compile({path}, meta, on_problem, strict);
}

const IndexMeta& SetIndex::meta() const { return impl_->meta; }

std::vector<Algorithm> SetIndex::algorithms() const {
  std::vector<Algorithm> out;
  for (Algorithm a : fmt_::kAlgorithms)
    if (impl_->tables[static_cast<int>(a)].count > 0) out.push_back(a);
  return out;
}

bool SetIndex::contains(Algorithm algorithm, std::span<const uint8_t> digest) const {
  const Table& t = impl_->tables[static_cast<int>(algorithm) & 3];
  uint64_t lo = 0, hi = 0;
  if (!impl_->bucket(t, digest, lo, hi)) return false;
  const uint64_t i = lower_bound(t, lo, hi, digest.data());
  return i < hi && std::memcmp(t.digests + i * t.width, digest.data(), t.width) == 0;
}

size_t SetIndex::contains_many(Algorithm algorithm, std::span<const uint8_t> keys, std::span<uint8_t> found) const {
  const Table& t = impl_->tables[static_cast<int>(algorithm) & 3];
  const size_t width = digest_size(algorithm);
  const size_t n = std::min(keys.size() / width, found.size());
  if (t.count == 0 || t.width != width) {
    std::fill(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n), uint8_t{0});
    return 0;
  }
  // A three-stage software pipeline over a ring of in-flight keys: prefetch
  // the key's prefix-table slot; D keys later read its bucket and prefetch
  // the digests where the key should sit (digests are uniform, so the bits
  // after the prefix interpolate the position); D keys later again compare.
  // Each dependent memory read thus overlaps with 2*D others.
  constexpr size_t kDepth = 16;
  struct InFlight {
    uint64_t lo = 0, hi = 0;
  };
  InFlight ring[2 * kDepth];  // keys between stage 2 and stage 3: 2*D slots, none reused early
  auto key_at = [&](size_t i) { return keys.data() + i * width; };
  auto slot = [&](const uint8_t* key) {
    const uint32_t top = static_cast<uint32_t>(key[0]) << 24 | key[1] << 16 | key[2] << 8 | key[3];
    return t.bits == 0 ? uint64_t{0} : uint64_t{top >> (32 - t.bits)};
  };
  size_t hits = 0;
  for (size_t i = 0; i < n + 2 * kDepth; ++i) {
    if (i < n) __builtin_prefetch(t.prefix + 4 * slot(key_at(i)));
    if (i >= kDepth && i - kDepth < n) {
      const size_t k = i - kDepth;
      const uint64_t b = slot(key_at(k));
      InFlight& f = ring[k % (2 * kDepth)];
      f.lo = fmt_::get_u32(t.prefix + 4 * b);
      f.hi = fmt_::get_u32(t.prefix + 4 * b + 4);
      if (f.lo < f.hi) {
        // Buckets hold a handful of digests: fetch the lines the binary
        // search will touch; in an oversized bucket, those around where the
        // key should sit (the bits below the prefix interpolate it).
        const uint64_t bytes = (f.hi - f.lo) * width;
        const uint8_t* first = t.digests + f.lo * width;
        if (bytes <= 256) {
          for (uint64_t line = 0; line < bytes; line += 64) __builtin_prefetch(first + line);
        } else {
          const uint64_t next = load_be64(key_at(k)) << t.bits;
          const uint64_t guess = f.lo + (((next >> 32) * (f.hi - f.lo)) >> 32);  // bucket sizes fit 32 bits
          __builtin_prefetch(t.digests + guess * width);
          __builtin_prefetch(t.digests + guess * width + 64);
        }
      }
    }
    if (i >= 2 * kDepth) {
      const size_t k = i - 2 * kDepth;
      const InFlight& f = ring[k % (2 * kDepth)];
      bool hit = false;
      if (f.lo < f.hi) {
        const uint64_t at = lower_bound(t, f.lo, f.hi, key_at(k));
        hit = at < f.hi && std::memcmp(t.digests + at * width, key_at(k), width) == 0;
      }
      found[k] = hit ? 1 : 0;
      hits += hit;
    }
  }
  return hits;
}

std::vector<IndexMatch> SetIndex::find(Algorithm algorithm, std::span<const uint8_t> digest) const {
  std::vector<IndexMatch> out;
  const Table& t = impl_->tables[static_cast<int>(algorithm) & 3];
  uint64_t lo = 0, hi = 0;
  if (!impl_->bucket(t, digest, lo, hi)) return out;
  for (uint64_t i = lower_bound(t, lo, hi, digest.data()); i < hi && std::memcmp(t.digests + i * t.width, digest.data(), t.width) == 0;
       ++i) {
    const uint64_t entry = t.ids != nullptr ? fmt_::get_u32(t.ids + 4 * i) : i;
    if (entry >= impl_->entries) continue;  // a damaged id: no entry to report
    IndexMatch m;
    m.entry = entry;
    const uint8_t flags = impl_->digests_of(entry);
    m.has_md5 = flags & fmt_::kHasMd5;
    m.has_sha1 = flags & fmt_::kHasSha1;
    m.has_sha256 = flags & fmt_::kHasSha256;
    m.has_sha512 = flags & fmt_::kHasSha512;
    m.provenance = impl_->provenance_of(entry);
    out.push_back(std::move(m));
  }
  return out;
}

Result<IndexMeta> build_index(const std::vector<std::string>& sets, const std::string& output, const BuildOptions& options,
                              const ProblemVisitor& on_problem) {
  auto built = build_index_from(sets_stream(sets, on_problem, options.strict), output, options);
  if (!built) return built.error();
  return built->meta;
}

}  // namespace trawl::hash
