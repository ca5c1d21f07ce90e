// Binary and ASCII STL. Binary: 80-byte free header, u32 LE count, then
// 50-byte records (normal, three vertices as float32 LE, u16 attribute). The
// stored normal is ignored: exporters fill it inconsistently and the winding
// carries the same information.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "formats/mesh_parse_internal.hpp"

namespace trawl::formats::detail {
namespace {

float read_f32(const uint8_t* p) {
  uint32_t bits = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
                  static_cast<uint32_t>(p[3]) << 24;
  float f = 0;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::string solid_name(std::string_view line) {
  // "solid name" -> "name"; "solid" alone -> "".
  if (line.substr(0, 5) != "solid") return {};
  line.remove_prefix(5);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return printable(line);
}

}  // namespace

Result<MeshFile> parse_stl_binary(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  if (bytes.size() < 84) return make_error(Errc::data_loss, "stl: shorter than the 84-byte binary header");
  MeshFile file;
  file.format = MeshFormat::stl_binary;
  file.header = printable(as_text(bytes.first(80)));
  const uint64_t declared = static_cast<uint64_t>(bytes[80]) | static_cast<uint64_t>(bytes[81]) << 8 |
                            static_cast<uint64_t>(bytes[82]) << 16 | static_cast<uint64_t>(bytes[83]) << 24;
  file.declared_triangles = declared;
  const uint64_t available = (bytes.size() - 84) / 50;
  const uint64_t wanted = std::min(declared, available);
  if (wanted > limits.max_triangles)
    return make_error(Errc::resource_exhausted, "stl: " + std::to_string(wanted) + " triangles exceed the limit of " +
                                                    std::to_string(limits.max_triangles));
  MeshBuilder builder(limits.max_vertices);
  builder.reserve_triangles(wanted);
  uint64_t t = 0;
  for (; t < wanted; ++t) {
    const uint8_t* rec = bytes.data() + 84 + t * 50 + 12;
    mesh::Vec3 v[3];
    bool finite = true;
    for (int k = 0; k < 3; ++k)
      for (int c = 0; c < 3; ++c) {
        const float f = read_f32(rec + (k * 3 + c) * 4);
        finite = finite && std::isfinite(f);
        v[k][static_cast<size_t>(c)] = f;
      }
    if (!finite) {
      if (t == 0) return make_error(Errc::data_loss, "stl: first triangle has NaN or infinite coordinates");
      file.warnings.push_back("stl: triangle " + std::to_string(t) + " has NaN or infinite coordinates; stopped there");
      break;
    }
    if (!builder.triangle(v[0], v[1], v[2]))
      return make_error(Errc::resource_exhausted, "stl: more vertices than the limit of " +
                                                      std::to_string(limits.max_vertices));
  }
  file.parsed_triangles = t;
  file.consumed_bytes = 84 + 50 * t;
  if (t < declared) {
    file.truncated = true;
    file.recovered_fraction = static_cast<double>(t) / static_cast<double>(declared);
    if (t == wanted)
      file.warnings.push_back("stl: " + std::to_string(declared) + " triangles declared, " + std::to_string(t) +
                              " present (truncated)");
  }
  if (declared == 0 && bytes.size() > 84) file.warnings.push_back("stl: zero triangles declared");
  const std::string header_text = file.header;
  file.objects.push_back({solid_name(header_text), builder.take()});
  return file;
}

Result<MeshFile> parse_stl_ascii(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  MeshFile file;
  file.format = MeshFormat::stl_ascii;
  const std::string_view text = as_text(bytes);
  Tokenizer tok(text);
  auto fail = [&](const std::string& what) -> std::optional<Error> {
    if (file.parsed_triangles == 0 && file.objects.empty()) return make_error(Errc::data_loss, "stl: " + what);
    file.truncated = true;
    file.warnings.push_back("stl: " + what + "; kept what came before");
    return std::nullopt;
  };
  bool stop = false;
  while (!stop && !tok.at_end()) {
    if (tok.next() != "solid") {
      if (file.objects.empty()) return make_error(Errc::data_loss, "stl: no 'solid' at the start");
      break;  // text after the last solid is not ours
    }
    const std::string_view name_line = tok.rest_of_line();
    MeshBuilder builder(limits.max_vertices);
    std::string name = printable(name_line);
    if (file.objects.empty()) file.header = name.empty() ? "solid" : "solid " + name;
    bool closed = false;
    while (!stop) {
      const std::string_view word = tok.next();
      if (word == "endsolid") {
        (void)tok.rest_of_line();  // the name may differ from the opening one: fine
        closed = true;
        file.consumed_bytes = tok.position();
        break;
      }
      if (word != "facet") {
        if (auto e = fail(word.empty() ? "missing 'endsolid'" : "unexpected '" + printable(word.substr(0, 32)) + "'")) return *e;
        stop = true;
        break;
      }
      // facet normal ni nj nk / outer loop / vertex x y z (x3) / endloop / endfacet
      bool ok = tok.next() == "normal";
      for (int k = 0; k < 3 && ok; ++k) ok = tok.next().size() > 0;  // normals are not used; "nan" normals are seen
      ok = ok && tok.next() == "outer" && tok.next() == "loop";
      mesh::Vec3 v[3];
      for (int k = 0; k < 3 && ok; ++k) {
        ok = tok.next() == "vertex";
        for (size_t c = 0; c < 3 && ok; ++c) {
          const auto value = parse_number(tok.next());
          ok = value.has_value();
          if (ok) v[k][c] = *value;
        }
      }
      ok = ok && tok.next() == "endloop" && tok.next() == "endfacet";
      if (!ok) {
        if (auto e = fail("malformed facet near byte " + std::to_string(tok.position()))) return *e;
        stop = true;
        break;
      }
      if (file.parsed_triangles >= limits.max_triangles)
        return make_error(Errc::resource_exhausted,
                          "stl: more triangles than the limit of " + std::to_string(limits.max_triangles));
      if (!builder.triangle(v[0], v[1], v[2]))
        return make_error(Errc::resource_exhausted, "stl: more vertices than the limit of " +
                                                        std::to_string(limits.max_vertices));
      ++file.parsed_triangles;
      file.consumed_bytes = tok.position();
    }
    (void)closed;
    file.objects.push_back({std::move(name), builder.take()});
  }
  if (file.objects.empty()) return make_error(Errc::data_loss, "stl: no solid");
  return file;
}

}  // namespace trawl::formats::detail
