// PLY (Stanford): a text header naming elements and their properties, then
// the data as ASCII or binary (little or big endian). The `vertex` element's
// x, y, z (any numeric type) and the `face` element's index list
// (`vertex_indices` or `vertex_index`) are read; every other property and
// element is walked over by its declared types.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "formats/mesh_parse_internal.hpp"

namespace trawl::formats::detail {
namespace {

enum class Scalar { i8, u8, i16, u16, i32, u32, f32, f64 };

std::optional<Scalar> scalar_type(std::string_view name) {
  if (name == "char" || name == "int8") return Scalar::i8;
  if (name == "uchar" || name == "uint8") return Scalar::u8;
  if (name == "short" || name == "int16") return Scalar::i16;
  if (name == "ushort" || name == "uint16") return Scalar::u16;
  if (name == "int" || name == "int32") return Scalar::i32;
  if (name == "uint" || name == "uint32") return Scalar::u32;
  if (name == "float" || name == "float32") return Scalar::f32;
  if (name == "double" || name == "float64") return Scalar::f64;
  return std::nullopt;
}

size_t scalar_size(Scalar s) {
  switch (s) {
    case Scalar::i8:
    case Scalar::u8: return 1;
    case Scalar::i16:
    case Scalar::u16: return 2;
    case Scalar::i32:
    case Scalar::u32:
    case Scalar::f32: return 4;
    case Scalar::f64: return 8;
  }
  return 1;
}

struct Property {
  std::string name;
  Scalar type = Scalar::f32;
  bool list = false;
  Scalar count_type = Scalar::u8;
};

struct Element {
  std::string name;
  uint64_t count = 0;
  std::vector<Property> properties;
};

enum class Encoding { ascii, little, big };

/// Reads scalars from the data section in either encoding; `ok` turns false
/// at the end of the data or on a malformed number.
class DataReader {
 public:
  DataReader(std::span<const uint8_t> data, Encoding encoding) : data_(data), encoding_(encoding), tok_(as_text(data)) {}

  double read(Scalar type) {
    if (!ok_) return 0;
    if (encoding_ == Encoding::ascii) {
      const auto value = parse_number(tok_.next());
      if (!value) ok_ = false;
      return value.value_or(0);
    }
    const size_t n = scalar_size(type);
    if (pos_ > data_.size() || n > data_.size() - pos_) {
      ok_ = false;
      return 0;
    }
    uint8_t raw[8];
    std::memcpy(raw, data_.data() + pos_, n);
    pos_ += n;
    if (encoding_ == Encoding::big) std::reverse(raw, raw + n);
    switch (type) {
      case Scalar::i8: return static_cast<int8_t>(raw[0]);
      case Scalar::u8: return raw[0];
      case Scalar::i16: { int16_t v; std::memcpy(&v, raw, 2); return v; }
      case Scalar::u16: { uint16_t v; std::memcpy(&v, raw, 2); return v; }
      case Scalar::i32: { int32_t v; std::memcpy(&v, raw, 4); return v; }
      case Scalar::u32: { uint32_t v; std::memcpy(&v, raw, 4); return v; }
      case Scalar::f32: { float v; std::memcpy(&v, raw, 4); return v; }
      case Scalar::f64: { double v; std::memcpy(&v, raw, 8); return v; }
    }
    return 0;
  }
  bool ok() const { return ok_; }
  void fail() { ok_ = false; }
  uint64_t position() const { return encoding_ == Encoding::ascii ? tok_.position() : pos_; }
  uint64_t remaining() const { return data_.size() - std::min<uint64_t>(position(), data_.size()); }

 private:
  std::span<const uint8_t> data_;
  Encoding encoding_;
  Tokenizer tok_;
  size_t pos_ = 0;
  bool ok_ = true;
};

/// Smallest number of bytes one instance of `e` can take, so a declared count
/// can be checked against the bytes left before anything is reserved.
uint64_t min_instance_bytes(const Element& e, Encoding encoding) {
  uint64_t n = 0;
  for (const auto& p : e.properties) n += encoding == Encoding::ascii ? 2 : scalar_size(p.list ? p.count_type : p.type);
  return std::max<uint64_t>(n, 1);
}

}  // namespace

Result<MeshFile> parse_ply(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  MeshFile file;
  const std::string_view text = as_text(bytes);
  const size_t header_end_at = text.substr(0, 1 << 20).find("end_header");
  if (text.substr(0, 3) != "ply" || header_end_at == std::string_view::npos)
    return make_error(Errc::data_loss, "ply: no 'end_header' in the first MB");
  size_t data_at = text.find('\n', header_end_at);
  if (data_at == std::string_view::npos) return make_error(Errc::data_loss, "ply: header not terminated");
  ++data_at;

  Encoding encoding = Encoding::ascii;
  std::vector<Element> elements;
  Tokenizer lines(text.substr(0, header_end_at));
  bool format_seen = false;
  while (!lines.at_end()) {
    Tokenizer line(lines.rest_of_line());
    const std::string_view keyword = line.next();
    if (keyword == "format") {
      const std::string_view kind = line.next();
      if (kind == "ascii") encoding = Encoding::ascii;
      else if (kind == "binary_little_endian") encoding = Encoding::little;
      else if (kind == "binary_big_endian") encoding = Encoding::big;
      else return make_error(Errc::data_loss, "ply: unknown format '" + printable(kind.substr(0, 32)) + "'");
      format_seen = true;
    } else if (keyword == "comment" || keyword == "obj_info") {
      const std::string comment = printable(line.rest_of_line());
      if (file.header.empty()) file.header = comment;
      if (file.metadata.size() < 32) file.metadata.emplace_back(std::string(keyword), comment);
    } else if (keyword == "element") {
      Element e;
      e.name = std::string(line.next());
      const auto count = parse_number(line.next());
      if (!count || *count < 0 || *count > 1e15) return make_error(Errc::data_loss, "ply: bad element count");
      e.count = static_cast<uint64_t>(*count);
      elements.push_back(std::move(e));
    } else if (keyword == "property") {
      if (elements.empty()) return make_error(Errc::data_loss, "ply: property before any element");
      Property p;
      std::string_view type = line.next();
      if (type == "list") {
        p.list = true;
        const auto count_type = scalar_type(line.next());
        const auto item_type = scalar_type(line.next());
        if (!count_type || !item_type) return make_error(Errc::data_loss, "ply: bad list property type");
        p.count_type = *count_type;
        p.type = *item_type;
      } else {
        const auto t = scalar_type(type);
        if (!t) return make_error(Errc::data_loss, "ply: bad property type '" + printable(type.substr(0, 32)) + "'");
        p.type = *t;
      }
      p.name = std::string(line.next());
      elements.back().properties.push_back(std::move(p));
    }
  }
  if (!format_seen) return make_error(Errc::data_loss, "ply: no format line");
  file.format = encoding == Encoding::ascii ? MeshFormat::ply_ascii : MeshFormat::ply_binary;

  DataReader reader(bytes.subspan(data_at), encoding);
  std::vector<mesh::Vec3> vertices;
  MeshBuilder builder(limits.max_vertices);
  std::vector<uint32_t> polygon;
  uint64_t faces_read = 0;
  uint64_t bad_faces = 0;
  for (const Element& e : elements) {
    const bool is_vertex = e.name == "vertex";
    const bool is_face = e.name == "face";
    int xyz[3] = {-1, -1, -1};
    int indices = -1;
    for (size_t k = 0; k < e.properties.size(); ++k) {
      const auto& p = e.properties[k];
      if (is_vertex && !p.list && p.name.size() == 1 && p.name[0] >= 'x' && p.name[0] <= 'z') xyz[p.name[0] - 'x'] = static_cast<int>(k);
      if (is_face && p.list && (p.name == "vertex_indices" || p.name == "vertex_index")) indices = static_cast<int>(k);
    }
    if (is_vertex && (xyz[0] < 0 || xyz[1] < 0 || xyz[2] < 0))
      return make_error(Errc::data_loss, "ply: vertex element without x, y, z");
    if (is_vertex && e.count > limits.max_vertices)
      return make_error(Errc::resource_exhausted, "ply: " + std::to_string(e.count) + " vertices exceed the limit");
    if (is_face) {
      file.declared_triangles += e.count;  // several face elements are odd but possible
      if (file.declared_triangles > limits.max_triangles)
        return make_error(Errc::resource_exhausted, "ply: " + std::to_string(e.count) + " faces exceed the limit");
      builder.reserve_triangles(std::min(e.count, reader.remaining() / min_instance_bytes(e, encoding)));
    }
    if (e.properties.empty()) continue;  // instances without properties take no bytes
    if (is_vertex) vertices.reserve(std::min(e.count, reader.remaining() / min_instance_bytes(e, encoding)));
    for (uint64_t i = 0; i < e.count && reader.ok(); ++i) {
      mesh::Vec3 v{};
      polygon.clear();
      bool polygon_ok = true;
      for (size_t k = 0; k < e.properties.size() && reader.ok(); ++k) {
        const auto& p = e.properties[k];
        if (!p.list) {
          const double value = reader.read(p.type);
          if (is_vertex)
            for (size_t c = 0; c < 3; ++c)
              if (xyz[c] == static_cast<int>(k)) v[c] = value;
          continue;
        }
        const double count = reader.read(p.count_type);
        if (!reader.ok()) break;
        if (count < 0 || count > 1e6) {
          file.warnings.push_back("ply: list of " + std::to_string(static_cast<int64_t>(count)) + " items; data broken");
          reader.fail();  // stop everything: the offsets are lost
          break;
        }
        const bool wanted = static_cast<int>(k) == indices;
        for (uint64_t j = 0; j < static_cast<uint64_t>(count) && reader.ok(); ++j) {
          const double index = reader.read(p.type);
          if (!wanted) continue;
          if (index < 0 || index >= static_cast<double>(vertices.size())) polygon_ok = false;
          else polygon.push_back(static_cast<uint32_t>(index));
        }
      }
      if (!reader.ok()) break;
      if (is_vertex) {
        if (!std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2])) {
          file.warnings.push_back("ply: vertex " + std::to_string(i) + " is NaN or infinite");
          v = {0, 0, 0};
        }
        vertices.push_back(v);
      }
      if (is_face) {
        ++faces_read;
        if (!polygon_ok || polygon.size() < 3) {
          ++bad_faces;
          continue;
        }
        for (size_t k = 1; k + 1 < polygon.size(); ++k) {
          if (file.parsed_triangles >= limits.max_triangles)
            return make_error(Errc::resource_exhausted, "ply: more triangles than the limit");
          if (!builder.triangle(vertices[polygon[0]], vertices[polygon[k]], vertices[polygon[k + 1]]))
            return make_error(Errc::resource_exhausted, "ply: more vertices than the limit");
          ++file.parsed_triangles;
        }
      }
    }
    if (!reader.ok()) {
      file.truncated = true;
      file.warnings.push_back("ply: data ends inside element '" + printable(e.name.substr(0, 32)) + "'");
      break;
    }
  }
  if (bad_faces > 0) file.warnings.push_back("ply: " + std::to_string(bad_faces) + " faces with bad indices skipped");
  if (file.declared_triangles > 0)
    file.recovered_fraction = static_cast<double>(faces_read) / static_cast<double>(file.declared_triangles);
  file.consumed_bytes = data_at + std::min<uint64_t>(reader.position(), bytes.size() - data_at);
  if (encoding == Encoding::ascii && !file.truncated) {
    // The text run: the rest of the last data line belongs to the file.
    while (file.consumed_bytes < bytes.size() && bytes[file.consumed_bytes] != '\n') ++file.consumed_bytes;
    if (file.consumed_bytes < bytes.size()) ++file.consumed_bytes;
  }
  if (vertices.empty() && builder.triangle_count() == 0 && file.truncated)
    return make_error(Errc::data_loss, "ply: no vertex data");
  file.objects.push_back({"", builder.take()});
  return file;
}

}  // namespace trawl::formats::detail
