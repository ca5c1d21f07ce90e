#include "formats/mesh_parse.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/limits.hpp"
#include "formats/mesh_parse_internal.hpp"
#include "io/archive_walk.hpp"
#include "io/byte_stream.hpp"

namespace trawl::formats {
namespace detail {
namespace {

uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

uint64_t vertex_hash(const mesh::Vec3& v) {
  const uint64_t a = std::bit_cast<uint64_t>(v[0]);
  const uint64_t b = std::bit_cast<uint64_t>(v[1]);
  const uint64_t c = std::bit_cast<uint64_t>(v[2]);
  return mix(a ^ mix(b ^ mix(c)));
}

bool same_bits(const mesh::Vec3& a, const mesh::Vec3& b) { return std::memcmp(a.data(), b.data(), sizeof a) == 0; }

}  // namespace

std::optional<uint32_t> MeshBuilder::vertex(const mesh::Vec3& raw) {
  // -0.0 and +0.0 are the same point; adding 0.0 turns the former into the latter.
  const mesh::Vec3 v{raw[0] + 0.0, raw[1] + 0.0, raw[2] + 0.0};
  if ((mesh_.vertices.size() + 1) * 2 > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = vertex_hash(v) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) {
      if (mesh_.vertices.size() >= max_vertices_) return std::nullopt;
      mesh_.vertices.push_back(v);
      slots_[i] = static_cast<uint32_t>(mesh_.vertices.size());
      return static_cast<uint32_t>(mesh_.vertices.size() - 1);
    }
    if (same_bits(mesh_.vertices[slot - 1], v)) return slot - 1;
  }
}

bool MeshBuilder::triangle(const mesh::Vec3& a, const mesh::Vec3& b, const mesh::Vec3& c) {
  const auto ia = vertex(a);
  const auto ib = vertex(b);
  const auto ic = vertex(c);
  if (!ia || !ib || !ic) return false;
  mesh_.triangles.push_back({*ia, *ib, *ic});
  return true;
}

void MeshBuilder::reserve_triangles(uint64_t n) {
  mesh_.triangles.reserve(n);
  // A closed triangle mesh has about half as many vertices as triangles.
  const uint64_t vertices = std::min<uint64_t>(n / 2 + 16, max_vertices_);
  size_t want = 16;
  while (want < vertices * 2) want <<= 1;
  if (want > slots_.size()) {
    mesh_.vertices.reserve(vertices);
    slots_.assign(want, 0);
    for (uint32_t k = 0; k < mesh_.vertices.size(); ++k) {
      size_t i = vertex_hash(mesh_.vertices[k]) & (want - 1);
      while (slots_[i] != 0) i = (i + 1) & (want - 1);
      slots_[i] = k + 1;
    }
  }
}

void MeshBuilder::grow() {
  const size_t size = slots_.empty() ? 64 : slots_.size() * 2;
  slots_.assign(size, 0);
  for (uint32_t k = 0; k < mesh_.vertices.size(); ++k) {
    size_t i = vertex_hash(mesh_.vertices[k]) & (size - 1);
    while (slots_[i] != 0) i = (i + 1) & (size - 1);
    slots_[i] = k + 1;
  }
}

mesh::Mesh MeshBuilder::take() {
  slots_.clear();
  slots_.shrink_to_fit();
  return std::move(mesh_);
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    out.push_back(u >= 0x20 && u < 0x7f ? ch : '.');
  }
  // Padding: NULs (now '.') and spaces at the end say nothing.
  size_t end = text.size();
  while (end > 0) {
    const auto u = static_cast<unsigned char>(text[end - 1]);
    if (u > 0x20 && u < 0x7f) break;
    --end;
  }
  out.resize(end);
  return out;
}

std::optional<double> parse_number(std::string_view token) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  if (token.empty()) return std::nullopt;
  double value = 0;
  const auto* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
}  // namespace

std::string_view Tokenizer::next() {
  while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  const size_t start = pos_;
  while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
  return text_.substr(start, pos_ - start);
}

std::string_view Tokenizer::rest_of_line() {
  while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  const size_t start = pos_;
  while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  size_t end = pos_;
  while (end > start && is_space(text_[end - 1])) --end;
  if (pos_ < text_.size()) ++pos_;
  return text_.substr(start, end - start);
}

bool Tokenizer::at_end() {
  while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  return pos_ >= text_.size();
}

std::string_view as_text(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool plausible_stl_triangles(std::span<const uint8_t> records, uint64_t count) {
  const uint64_t check = std::min<uint64_t>({count, 16, records.size() / 50});
  if (check == 0) return false;
  bool any_nonzero = false;
  for (uint64_t t = 0; t < check; ++t) {
    for (int k = 0; k < 12; ++k) {
      float f = 0;
      std::memcpy(&f, records.data() + t * 50 + static_cast<size_t>(k) * 4, 4);
      if (!std::isfinite(f)) return false;
      if (f != 0 && std::fpclassify(f) == FP_SUBNORMAL) return false;
      if (std::fabs(f) > 1e9f) return false;
      if (k >= 3 && f != 0) any_nonzero = true;
    }
  }
  return any_nonzero;
}

std::optional<std::string> unit_from_name(std::string_view name) {
  if (name == "millimeter" || name == "millimetre" || name == "mm") return "mm";
  if (name == "micron" || name == "micrometer" || name == "um") return "um";
  if (name == "centimeter" || name == "centimetre" || name == "cm") return "cm";
  if (name == "inch" || name == "in") return "in";
  if (name == "foot" || name == "feet" || name == "ft") return "ft";
  if (name == "meter" || name == "metre" || name == "m") return "m";
  return std::nullopt;
}

Result<std::vector<ZipPart>> read_zip_parts(std::span<const uint8_t> bytes, uint64_t max_part,
                                            bool (*wanted)(std::string_view name), std::vector<std::string>& warnings) {
  io::MemoryStream stream(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  io::ItemInfo parent;
  parent.path = "mesh";
  Limits limits;
  limits.max_member_bytes = max_part;
  limits.max_depth = 1;
  limits.max_entries = 100'000;
  io::ArchiveBudget budget;
  std::vector<ZipPart> parts;
  uint64_t total = 0;
  auto on_member = [&](io::ItemInfo& info, io::ByteStream& data) {
    const std::string name = info.members.empty() ? std::string() : info.members.back();
    if (info.kind != io::ItemKind::file || !wanted(name)) return true;
    ZipPart part;
    part.name = name;
    char block[65536];
    for (;;) {
      auto n = data.read(std::as_writable_bytes(std::span(block)));
      if (!n.ok()) {
        warnings.push_back("zip member " + name + ": " + n.error().detail);
        break;
      }
      if (*n == 0) break;
      if (part.bytes.size() + *n > max_part) {
        warnings.push_back("zip member " + name + ": larger than the part limit, cut");
        break;
      }
      part.bytes.insert(part.bytes.end(), block, block + *n);
    }
    total += part.bytes.size();
    parts.push_back(std::move(part));
    return total <= 4 * max_part;
  };
  auto on_error = [&](const std::string& path, const Error& error) {
    warnings.push_back("zip: " + path + ": " + error.detail);
  };
  auto status = io::walk_archive(stream, parent, limits, budget, on_member, on_error);
  if (!status.ok()) return status.error();
  return parts;
}

}  // namespace detail

const char* mesh_format_name(MeshFormat format) {
  switch (format) {
    case MeshFormat::stl_binary: return "stl-binary";
    case MeshFormat::stl_ascii: return "stl-ascii";
    case MeshFormat::obj: return "obj";
    case MeshFormat::ply_ascii: return "ply-ascii";
    case MeshFormat::ply_binary: return "ply-binary";
    case MeshFormat::threemf: return "3mf";
    case MeshFormat::amf: return "amf";
  }
  return "unknown";
}

namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string_view skip_space(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
  return text.substr(i);
}

/// Mostly printable text: OBJ and ASCII STL have no binary bytes.
bool looks_textual(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0 || (u < 0x20 && u != '\n' && u != '\r' && u != '\t' && u != '\f')) return false;
  }
  return true;
}

/// An OBJ file: text whose statements are OBJ keywords, with at least one `v x y z`.
bool looks_like_obj(std::string_view text) {
  if (!looks_textual(text)) return false;
  bool vertex = false;
  size_t lines = 0;
  size_t pos = 0;
  while (pos < text.size() && lines < 200) {
    size_t end = text.find('\n', pos);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = skip_space(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    ++lines;
    const size_t sp = line.find_first_of(" \t");
    const std::string_view keyword = line.substr(0, sp);
    static constexpr std::string_view kKeywords[] = {"v", "vn", "vt", "vp", "f", "l", "p", "o", "g", "s",
                                                      "usemtl", "mtllib", "cstype", "deg", "curv", "parm", "end"};
    if (std::find(std::begin(kKeywords), std::end(kKeywords), keyword) == std::end(kKeywords)) return false;
    if (keyword == "v") {
      detail::Tokenizer t(line.substr(1));
      const auto x = detail::parse_number(t.next());
      const auto y = detail::parse_number(t.next());
      const auto z = detail::parse_number(t.next());
      if (!x || !y || !z) return false;
      vertex = true;
    }
  }
  return vertex;
}

}  // namespace

std::optional<MeshFormat> detect_mesh_format(std::span<const uint8_t> head, uint64_t total_size) {
  const std::string_view text = detail::as_text(head);
  if (starts_with(text, "PK\x03\x04")) {
    // 3MF (OPC) and zipped AMF, told apart by the member names near the
    // start. [Content_Types].xml and _rels/.rels alone prove nothing: every
    // Office document starts with them too.
    const std::string_view window = text.substr(0, 64 * 1024);
    if (window.find(".amf") != std::string_view::npos) return MeshFormat::amf;
    for (std::string_view name : {"3D/", ".model", "Metadata/"})
      if (window.find(name) != std::string_view::npos) return MeshFormat::threemf;
    return std::nullopt;
  }
  if (starts_with(text, "ply\n") || starts_with(text, "ply\r\n")) {
    const size_t format = text.find("format ");
    if (format == std::string_view::npos) return std::nullopt;
    const std::string_view kind = skip_space(text.substr(format + 7));
    if (starts_with(kind, "ascii")) return MeshFormat::ply_ascii;
    if (starts_with(kind, "binary_")) return MeshFormat::ply_binary;
    return std::nullopt;
  }
  // Binary STL first: the size rule beats a "solid" header.
  std::optional<uint64_t> count;
  if (head.size() >= 84) {
    uint32_t n = 0;
    std::memcpy(&n, head.data() + 80, 4);
    count = n;
    if (n > 0 && total_size == 84 + 50ull * n && detail::plausible_stl_triangles(head.subspan(84), n))
      return MeshFormat::stl_binary;
  }
  const std::string_view body = skip_space(text);
  if (starts_with(body, "solid") && body.substr(0, 1024).find("facet") != std::string_view::npos &&
      looks_textual(body.substr(0, 1024)))
    return MeshFormat::stl_ascii;
  if (starts_with(body, "solid") && body.size() < 1024 && looks_textual(body) &&
      body.find("endsolid") != std::string_view::npos)
    return MeshFormat::stl_ascii;  // an empty solid
  if (starts_with(body, "<?xml") || starts_with(body, "<amf")) {
    if (body.substr(0, 4096).find("<amf") != std::string_view::npos) return MeshFormat::amf;
    return std::nullopt;
  }
  {
    // Only whole lines: the head may end inside one.
    std::string_view window = text.substr(0, 64 * 1024);
    if (window.size() < total_size) window = window.substr(0, window.rfind('\n') + 1);
    if (looks_like_obj(window)) return MeshFormat::obj;
  }
  // A binary STL with trailing bytes or cut short (carved, truncated).
  if (count && *count >= 1 && total_size >= 134 && detail::plausible_stl_triangles(head.subspan(84), *count))
    return MeshFormat::stl_binary;
  return std::nullopt;
}

Result<MeshFile> parse_mesh(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  const auto format = detect_mesh_format(bytes, bytes.size());
  if (!format) return make_error(Errc::unimplemented, "mesh: not a recognised 3D mesh format");
  switch (*format) {
    case MeshFormat::stl_binary: return detail::parse_stl_binary(bytes, limits);
    case MeshFormat::stl_ascii: return detail::parse_stl_ascii(bytes, limits);
    case MeshFormat::obj: return detail::parse_obj(bytes, limits);
    case MeshFormat::ply_ascii:
    case MeshFormat::ply_binary: return detail::parse_ply(bytes, limits);
    case MeshFormat::threemf: return detail::parse_threemf(bytes, limits);
    case MeshFormat::amf: return detail::parse_amf(bytes, limits);
  }
  return make_error(Errc::internal, "mesh: unhandled format");
}

}  // namespace trawl::formats
