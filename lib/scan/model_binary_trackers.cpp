// Trackers for the binary formats: binary STL (header-agnostic structural
// rule, research/stl-detect.md §2.3), zip packages (3MF, FCStd) walked entry by
// entry to the end record, and PrusaSlicer binary G-code (CRC32-checked blocks).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "formats/deflate.hpp"
#include "scan/model_tracker.hpp"

namespace trawl::scan::carve {
namespace {

float f32(const std::uint8_t* p) { return std::bit_cast<float>(le32(p)); }

/// Finite, |x| < limit, and not a float32 subnormal: integers read as floats are mostly subnormal or huge.
/// On the bits: exponent 0 (zero or subnormal) and 255 (inf, NaN) first, then the magnitude.
bool plausible_bits(std::uint32_t u, float limit) {
  const std::uint32_t a = u & 0x7fffffffu;
  if (a == 0) return true;
  const std::uint32_t e = a >> 23;
  return e != 0 && e != 255 && std::bit_cast<float>(a) < limit;
}

struct Vec {
  float x, y, z;
};
Vec vec_at(const std::uint8_t* p) { return {f32(p), f32(p + 4), f32(p + 8)}; }
Vec sub(Vec a, Vec b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
Vec cross(Vec a, Vec b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
double len(Vec a) { return std::sqrt(double(a.x) * a.x + double(a.y) * a.y + double(a.z) * a.z); }

bool record_plausible(const std::uint8_t* r, float limit) {
  for (int i = 0; i < 12; ++i)
    if (!plausible_bits(le32(r + 4 * i), limit)) return false;
  return true;
}

constexpr std::size_t kStlLook = 16;  // records validated before a start is accepted

/// The start rule on the first min(16, n) records (research §2.3), with n >= 4.
bool stl_start_ok(Bytes view, std::uint32_t n, bool at_end) {
  const std::size_t want = std::min<std::size_t>(kStlLook, n);
  std::size_t have = (view.size() - 84) / 50;
  if (have < want && !at_end) return false;  // cannot happen inside a page (margin > 884)
  const std::size_t k = std::min(want, have);
  if (k < 4) return false;
  std::size_t degenerate = 0, consistent = 0;
  std::array<Vec, kStlLook * 3> verts{};
  for (std::size_t i = 0; i < k; ++i) {
    const std::uint8_t* r = view.data() + 84 + 50 * i;
    if (!record_plausible(r, 1e5f)) return false;
    const Vec normal = vec_at(r);
    const Vec a = vec_at(r + 12), b = vec_at(r + 24), c = vec_at(r + 36);
    verts[3 * i] = a;
    verts[3 * i + 1] = b;
    verts[3 * i + 2] = c;
    const Vec x = cross(sub(b, a), sub(c, a));
    const double lx = len(x), ln = len(normal);
    if (lx <= 1e-9 && ++degenerate * 10 > k) return false;  // >= 90 % non-degenerate
    if (ln == 0.0) {
      ++consistent;
    } else if (std::fabs(ln - 1.0) > 0.01) {
      return false;  // normals are unit length or zero
    } else if (lx > 1e-9) {
      const double cosine = (double(normal.x) * x.x + double(normal.y) * x.y + double(normal.z) * x.z) / (lx * ln);
      if (std::fabs(cosine) > 0.9) ++consistent;
    }
  }
  if (degenerate * 10 > k) return false;  // >= 90 % non-degenerate
  if (consistent * 4 >= 3 * k) return true;
  std::size_t unique = 0;
  for (std::size_t i = 0; i < 3 * k; ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j)
      seen = std::memcmp(&verts[i], &verts[j], sizeof(Vec)) == 0;
    if (!seen) ++unique;
  }
  return unique * 10 <= 9 * 3 * k;  // vertices shared between triangles
}

class StlBinary final : public Tracker {
 public:
  explicit StlBinary(std::uint32_t n) : n_(n) {}
  bool confirmed() const override { return header_done_; }
  ModelFormat format() const override { return ModelFormat::stl_binary; }

  Step step(Bytes view, bool at_end) override {
    if (!header_done_) {
      header_done_ = true;
      return consumed(84);  // validated by start_stl_binary
    }
    if (done_ == n_) return ended(0, false);
    const std::size_t avail = view.size() / 50;
    if (avail == 0) return at_end ? ended(0, true) : need_more();
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(avail, n_ - done_));
    for (std::size_t i = 0; i < take; ++i) {
      // Later records: finite and plausible only (exporters vary in normals and attributes), and not
      // all zero: zeroed slack after a truncated file would otherwise pass as records.
      const std::uint8_t* r = view.data() + 50 * i;
      if (!record_plausible(r, 1e6f) || std::all_of(r, r + 48, [](std::uint8_t b) { return b == 0; }))
        return ended(50 * i, true);
    }
    done_ += take;
    if (done_ == n_) return ended(50 * take, false);
    return consumed(50 * take);
  }

 private:
  std::uint32_t n_;
  std::uint64_t done_ = 0;
  bool header_done_ = false;
};

// ---------------------------------------------------------------- zip (3MF, FCStd)

constexpr std::string_view kLocal = "PK\x03\x04";
constexpr std::string_view kCentral = "PK\x01\x02";
constexpr std::string_view kEnd = "PK\x05\x06";
constexpr std::string_view kEnd64 = "PK\x06\x06";
constexpr std::string_view kLocator64 = "PK\x06\x07";
constexpr std::string_view kDescriptor = "PK\x07\x08";

bool first_entry_name_ok(std::string_view name) {
  return name == "[Content_Types].xml" || name.substr(0, 3) == "3D/" || name == "_rels/.rels" ||
         name == "Metadata/thumbnail.png" || name == "Document.xml";
}

class Zip final : public Tracker {
 public:
  bool confirmed() const override { return true; }
  bool acceptable() const override { return model_ || document_; }
  ModelFormat format() const override { return model_ ? ModelFormat::threemf : ModelFormat::fcstd; }

  Step step(Bytes view, bool at_end) override {
    if (skip_ > 0) {
      if (view.empty()) return at_end ? ended(0, true) : need_more();
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, view.size()));
      skip_ -= take;
      return consumed(take);
    }
    if (searching_) return search(view, at_end);
    if (view.size() < 4) return at_end ? ended(0, true) : need_more();
    if (has_prefix(view, kLocal) && !central_) return local(view, at_end);
    if (has_prefix(view, kCentral)) return fixed_record(view, at_end, 46, 28, 30, 32);
    if (has_prefix(view, kEnd64)) {
      if (view.size() < 12) return short_unit(at_end);
      const std::uint64_t size = le64(view.data() + 4);
      if (size < 44 || size > kMaxUnit) return ended(0, true);
      central_ = true;
      skip_ = 12 + size;
      return step(view, at_end);
    }
    if (has_prefix(view, kLocator64)) {
      central_ = true;
      skip_ = 20;
      return step(view, at_end);
    }
    if (has_prefix(view, kEnd)) {
      if (view.size() < 22) return short_unit(at_end);
      const std::size_t total = 22 + le16(view.data() + 20);
      if (view.size() < total) return short_unit(at_end);
      return ended(total, false);
    }
    if (has_prefix(view, kDescriptor) && !central_) {
      skip_ = 16;  // signature, crc, sizes (ZIP64 descriptors are found by searching)
      return step(view, at_end);
    }
    return ended(0, true);
  }

 private:
  Step short_unit(bool at_end) const { return at_end ? ended(0, true) : need_more(); }

  Step local(Bytes view, bool at_end) {
    if (view.size() < 30) return short_unit(at_end);
    const std::uint8_t* p = view.data();
    const std::uint16_t flags = le16(p + 6), method = le16(p + 8);
    std::uint64_t csize = le32(p + 18);
    const std::size_t name_len = le16(p + 26), extra_len = le16(p + 28);
    const std::size_t header = 30 + name_len + extra_len;
    if (name_len == 0 || name_len > 1024) return ended(0, true);
    if (view.size() < header) return short_unit(at_end);
    const std::string_view name(reinterpret_cast<const char*>(p + 30), name_len);
    if (entries_ == 0 && !first_entry_name_ok(name)) return ended(0, true);
    if (method != 0 && method != 8 && method != 12 && method != 14 && method != 93) return ended(0, true);
    ++entries_;
    if (name.substr(0, 3) == "3D/" && name.size() > 9 && name.substr(name.size() - 6) == ".model") model_ = true;
    if (name == "Document.xml") document_ = true;
    if (csize == 0xffffffffu) {
      // ZIP64 extra field 0x0001: uncompressed then compressed size.
      std::size_t e = 30 + name_len;
      bool found = false;
      while (e + 4 <= header) {
        const std::uint16_t id = le16(p + e), size = le16(p + e + 2);
        if (e + 4 + size > header) break;
        if (id == 1 && size >= 16) {
          csize = le64(p + e + 4 + 8);
          found = true;
          break;
        }
        e += 4 + size;
      }
      if (!found) return ended(0, true);
    }
    if ((flags & 0x08) != 0 && csize == 0) {
      searching_ = true;  // sizes in a data descriptor after the data
    } else {
      skip_ = csize;
    }
    return consumed(header);
  }

  /// Central directory entry: fixed part plus three variable lengths.
  Step fixed_record(Bytes view, bool at_end, std::size_t fixed, std::size_t a, std::size_t b, std::size_t c) {
    if (view.size() < fixed) return short_unit(at_end);
    const std::size_t total = fixed + le16(view.data() + a) + le16(view.data() + b) + le16(view.data() + c);
    if (view.size() < total) return short_unit(at_end);
    const std::string_view name(reinterpret_cast<const char*>(view.data() + fixed), le16(view.data() + a));
    if (name.substr(0, 3) == "3D/" && name.size() > 9 && name.substr(name.size() - 6) == ".model") model_ = true;
    if (name == "Document.xml") document_ = true;
    central_ = true;
    return consumed(total);
  }

  /// Compressed data of unknown size: up to the next local or central header.
  Step search(Bytes view, bool at_end) {
    const std::size_t look = 4;
    if (view.size() < look) return at_end ? ended(view.size(), true) : need_more();
    const std::size_t limit = view.size() - look + 1;
    for (std::size_t i = 0; i < limit; ++i) {
      if (view[i] != 'P' || view[i + 1] != 'K') continue;
      const Bytes at = view.subspan(i);
      if (has_prefix(at, kLocal) || has_prefix(at, kCentral)) {
        searching_ = false;
        if (i == 0) return step(view, at_end);
        return consumed(i);
      }
    }
    if (at_end) return ended(view.size(), true);
    return consumed(limit);
  }

  std::uint64_t skip_ = 0;
  std::uint64_t entries_ = 0;
  bool searching_ = false;
  bool central_ = false;
  bool model_ = false;
  bool document_ = false;
};

// ---------------------------------------------------------------- bgcode

class Bgcode final : public Tracker {
 public:
  explicit Bgcode(bool checksum) : checksum_(checksum) {}
  bool confirmed() const override { return true; }
  bool acceptable() const override { return blocks_ > 0; }
  ModelFormat format() const override { return ModelFormat::bgcode; }

  Step step(Bytes view, bool at_end) override {
    if (!header_done_) {
      header_done_ = true;
      return consumed(10);
    }
    if (left_ > 0) {
      if (view.empty()) return at_end ? ended(0, true) : need_more();
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left_, view.size()));
      crc_ = formats::crc32_of(view.first(take), crc_);
      left_ -= take;
      return consumed(take);
    }
    if (in_block_) {
      in_block_ = false;
      ++blocks_;
      if (!checksum_) return step(view, at_end);
      if (view.size() < 4) return at_end ? ended(0, true) : need_more();
      if (le32(view.data()) != crc_) return ended(4, true);  // corrupt block: stop after it
      return consumed(4);
    }
    // Block header: type, compression, uncompressed size[, compressed size], then parameters.
    if (view.empty()) return at_end ? ended(0, blocks_ == 0) : need_more();
    if (view.size() < 8) return at_end ? ended(0, true) : need_more();
    const std::uint16_t type = le16(view.data()), compression = le16(view.data() + 2);
    // The file metadata block comes first only (zero filler would read as one).
    if (type > 5 || compression > 3 || (type == 0 && blocks_ > 0)) return ended(0, false);
    const std::size_t header = compression == 0 ? 8 : 12;
    const std::size_t params = type == 5 ? 6 : 2;  // thumbnails: format, width, height
    if (view.size() < header + params) return at_end ? ended(0, true) : need_more();
    const std::uint64_t size = compression == 0 ? le32(view.data() + 4) : le32(view.data() + 8);
    if (size > (std::uint64_t{1} << 30)) return ended(0, false);
    crc_ = formats::crc32_of(view.first(header + params));
    left_ = size;
    in_block_ = true;
    return consumed(header + params);
  }

 private:
  bool checksum_;
  bool header_done_ = false;
  bool in_block_ = false;
  std::uint64_t left_ = 0;
  std::uint32_t crc_ = 0;
  std::uint64_t blocks_ = 0;
};

}  // namespace

bool stl_first_record_ok(const std::uint8_t* r) {
  // Three distinct vertices first (zero-filled and repeated data fail here, cheaply).
  return std::memcmp(r + 12, r + 24, 12) != 0 && std::memcmp(r + 24, r + 36, 12) != 0 &&
         std::memcmp(r + 12, r + 36, 12) != 0 && record_plausible(r, 1e5f);
}

std::unique_ptr<Tracker> start_stl_binary(const StartContext& c) {
  if (c.view.size() < 84 + 4 * 50) return nullptr;
  const std::uint32_t n = le32(c.view.data() + 80);
  if (n < 4 || n > c.options->max_stl_triangles) return nullptr;
  if (!stl_start_ok(c.view, n, c.at_end)) return nullptr;
  return std::make_unique<StlBinary>(n);
}

std::unique_ptr<Tracker> start_zip(const StartContext& c) {
  if (c.view.size() < 30 || !has_prefix(c.view, kLocal)) return nullptr;
  const std::size_t name_len = le16(c.view.data() + 26);
  if (c.view.size() < 30 + name_len) return nullptr;
  const std::string_view name(reinterpret_cast<const char*>(c.view.data() + 30), name_len);
  if (!first_entry_name_ok(name)) return nullptr;
  return std::make_unique<Zip>();
}

std::unique_ptr<Tracker> start_bgcode(const StartContext& c) {
  if (c.view.size() < 10 || !has_prefix(c.view, "GCDE")) return nullptr;
  if (le32(c.view.data() + 4) != 1) return nullptr;
  const std::uint16_t checksum = le16(c.view.data() + 8);
  if (checksum > 1) return nullptr;
  return std::make_unique<Bgcode>(checksum == 1);
}

}  // namespace trawl::scan::carve
