#pragma once
// Test writers: one mesh as binary STL, ASCII STL, OBJ and PLY bytes, so the
// parsers and the canonical hashes can be checked on re-exports of the same
// geometry. Coordinates are written with 9 significant digits (float32 round trip).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#include "mesh/mesh.hpp"

namespace trawl::test {

inline std::span<const uint8_t> as_span(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

inline void put_f32(std::string& out, float f, bool big_endian = false) {
  uint32_t bits = 0;
  std::memcpy(&bits, &f, 4);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(bits >> (8 * (big_endian ? 3 - i : i))));
}

inline std::string binary_stl(const mesh::Mesh& m, std::string header = "trawl test") {
  header.resize(80, '\0');
  std::string out = header;
  put_u32(out, static_cast<uint32_t>(m.triangles.size()));
  for (const auto& t : m.triangles) {
    for (int i = 0; i < 3; ++i) put_f32(out, 0);  // normal: parsers ignore it
    for (const uint32_t v : t)
      for (const double c : m.vertices[v]) put_f32(out, static_cast<float>(c));
    out += std::string(2, '\0');
  }
  return out;
}

inline std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

inline std::string ascii_stl(const mesh::Mesh& m, const std::string& name = "part") {
  std::string out = "solid " + name + "\n";
  for (const auto& t : m.triangles) {
    out += "  facet normal 0 0 0\n    outer loop\n";
    for (const uint32_t v : t)
      out += "      vertex " + num(m.vertices[v][0]) + " " + num(m.vertices[v][1]) + " " + num(m.vertices[v][2]) + "\n";
    out += "    endloop\n  endfacet\n";
  }
  return out + "endsolid " + name + "\n";
}

inline std::string obj(const mesh::Mesh& m, const std::string& name = "part") {
  std::string out = "# Exported by trawl test writer\no " + name + "\n";
  for (const auto& v : m.vertices) out += "v " + num(v[0]) + " " + num(v[1]) + " " + num(v[2]) + "\n";
  for (const auto& t : m.triangles)
    out += "f " + std::to_string(t[0] + 1) + " " + std::to_string(t[1] + 1) + " " + std::to_string(t[2] + 1) + "\n";
  return out;
}

inline std::string ply(const mesh::Mesh& m, const char* format) {
  const bool ascii = std::strcmp(format, "ascii") == 0;
  const bool big = std::strcmp(format, "binary_big_endian") == 0;
  std::string out = std::string("ply\nformat ") + format + " 1.0\ncomment Created by trawl test writer\n";
  out += "element vertex " + std::to_string(m.vertices.size()) +
         "\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\n";
  out += "element face " + std::to_string(m.triangles.size()) + "\nproperty list uchar int vertex_indices\nend_header\n";
  for (const auto& v : m.vertices) {
    if (ascii) {
      out += num(static_cast<float>(v[0])) + " " + num(static_cast<float>(v[1])) + " " + num(static_cast<float>(v[2])) + " 7\n";
    } else {
      for (const double c : v) put_f32(out, static_cast<float>(c), big);
      out.push_back(7);
    }
  }
  for (const auto& t : m.triangles) {
    if (ascii) {
      out += "3 " + std::to_string(t[0]) + " " + std::to_string(t[1]) + " " + std::to_string(t[2]) + "\n";
    } else {
      out.push_back(3);
      for (const uint32_t i : t)
        for (int k = 0; k < 4; ++k) out.push_back(static_cast<char>(i >> (8 * (big ? 3 - k : k))));
    }
  }
  return out;
}

}  // namespace trawl::test
