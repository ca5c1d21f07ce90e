#pragma once
// Small synthetic 3D design files for the carver and stl-detect tests: a
// subdivided cube as binary/ASCII STL, OBJ and PLY, a sliced-looking G-code,
// a stored-zip 3MF, STEP, IGES, AMF and a binary G-code. Written here so the
// tests read nothing outside the repository.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace trawl::test_models {

struct Tri {
  float v[3][3];
};

/// A cube of side 10 whose faces are split into `k` x `k` squares (12 k^2 triangles, shared vertices).
inline std::vector<Tri> cube(int k) {
  std::vector<Tri> out;
  auto point = [&](int axis, int side, float a, float b, float p[3]) {
    p[axis] = side != 0 ? 10.0f : 0.0f;
    p[(axis + 1) % 3] = a;
    p[(axis + 2) % 3] = b;
  };
  const float step = 10.0f / static_cast<float>(k);
  for (int axis = 0; axis < 3; ++axis)
    for (int side = 0; side < 2; ++side)
      for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
          float a0 = static_cast<float>(i) * step, a1 = a0 + step, b0 = static_cast<float>(j) * step, b1 = b0 + step;
          Tri t1{}, t2{};
          point(axis, side, a0, b0, t1.v[0]);
          point(axis, side, a1, b0, t1.v[1]);
          point(axis, side, a1, b1, t1.v[2]);
          point(axis, side, a0, b0, t2.v[0]);
          point(axis, side, a1, b1, t2.v[1]);
          point(axis, side, a0, b1, t2.v[2]);
          out.push_back(t1);
          out.push_back(t2);
        }
  return out;
}

inline void put32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
inline void putf(std::string& s, float f) {
  std::uint32_t u = 0;
  std::memcpy(&u, &f, 4);
  put32(s, u);
}

/// The unit normal of a triangle (cube faces are axis-aligned).
inline void normal_of(const Tri& t, float n[3]) {
  const float ax = t.v[1][0] - t.v[0][0], ay = t.v[1][1] - t.v[0][1], az = t.v[1][2] - t.v[0][2];
  const float bx = t.v[2][0] - t.v[0][0], by = t.v[2][1] - t.v[0][1], bz = t.v[2][2] - t.v[0][2];
  n[0] = ay * bz - az * by;
  n[1] = az * bx - ax * bz;
  n[2] = ax * by - ay * bx;
  const float l = n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
  for (int i = 0; i < 3; ++i) n[i] = n[i] > 0 ? 1.0f : (n[i] < 0 ? -1.0f : 0.0f);
  (void)l;
}

inline std::string stl_binary(const std::vector<Tri>& tris, std::string header = "trawl test binary STL") {
  header.resize(80, ' ');
  std::string s = header;
  put32(s, static_cast<std::uint32_t>(tris.size()));
  for (const Tri& t : tris) {
    float n[3];
    normal_of(t, n);
    for (float f : n) putf(s, f);
    for (const auto& v : t.v)
      for (float f : v) putf(s, f);
    put16(s, 0);
  }
  return s;
}

inline std::string num(float f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(f));
  return buf;
}

inline std::string stl_ascii(const std::vector<Tri>& tris, const std::string& name = "trawl_cube") {
  std::string s = "solid " + name + "\n";
  for (const Tri& t : tris) {
    float n[3];
    normal_of(t, n);
    s += "  facet normal " + num(n[0]) + " " + num(n[1]) + " " + num(n[2]) + "\n    outer loop\n";
    for (const auto& v : t.v) s += "      vertex " + num(v[0]) + " " + num(v[1]) + " " + num(v[2]) + "\n";
    s += "    endloop\n  endfacet\n";
  }
  s += "endsolid " + name + "\n";
  return s;
}

inline std::string obj(const std::vector<Tri>& tris) {
  std::string s = "# Blender v2.90.0 OBJ File: ''\nmtllib cube.mtl\no Cube\n";
  for (const Tri& t : tris)
    for (const auto& v : t.v) s += "v " + num(v[0]) + " " + num(v[1]) + " " + num(v[2]) + "\n";
  s += "usemtl None\ns off\n";
  for (std::size_t i = 0; i < tris.size(); ++i)
    s += "f " + std::to_string(3 * i + 1) + " " + std::to_string(3 * i + 2) + " " + std::to_string(3 * i + 3) + "\n";
  return s;
}

inline std::string ply_binary(const std::vector<Tri>& tris) {
  std::string s = "ply\nformat binary_little_endian 1.0\ncomment Created by trawl tests\nelement vertex " +
                  std::to_string(3 * tris.size()) +
                  "\nproperty float x\nproperty float y\nproperty float z\nelement face " +
                  std::to_string(tris.size()) + "\nproperty list uchar int vertex_indices\nend_header\n";
  for (const Tri& t : tris)
    for (const auto& v : t.v)
      for (float f : v) putf(s, f);
  for (std::size_t i = 0; i < tris.size(); ++i) {
    s.push_back(3);
    for (std::uint32_t k = 0; k < 3; ++k) put32(s, static_cast<std::uint32_t>(3 * i + k));
  }
  return s;
}

inline std::string ply_ascii(const std::vector<Tri>& tris) {
  std::string s = "ply\nformat ascii 1.0\nelement vertex " + std::to_string(3 * tris.size()) +
                  "\nproperty float x\nproperty float y\nproperty float z\nelement face " +
                  std::to_string(tris.size()) + "\nproperty list uchar int vertex_indices\nend_header\n";
  for (const Tri& t : tris)
    for (const auto& v : t.v) s += num(v[0]) + " " + num(v[1]) + " " + num(v[2]) + "\n";
  for (std::size_t i = 0; i < tris.size(); ++i)
    s += "3 " + std::to_string(3 * i) + " " + std::to_string(3 * i + 1) + " " + std::to_string(3 * i + 2) + "\n";
  return s;
}

inline std::string gcode(int moves) {
  std::string s =
      "; generated by PrusaSlicer 2.6.0+linux-x64-GTK3 on 2023-07-14 at 09:12:33 UTC\n\n"
      ";\n; thumbnail begin 16x16 60\n; iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAJ0lEQVR4nGNgGAWjYBSMglEwCkbBKBgF\n"
      "; thumbnail end\n;\n\n; external perimeters extrusion width = 0.45mm\n; layer_height = 0.2\n"
      "M73 P0 R12\nM201 X1000 Y1000 Z200 E5000 ; sets maximum accelerations, mm/sec^2\n"
      "EXCLUDE_OBJECT_DEFINE NAME='receiver.stl_id_0_copy_0' CENTER=125,105\nM486 AShape-Box\n"
      "M107\nM104 S215 ; set temperature\nG28 ; home all axes\nG1 Z50 F240\n;LAYER_CHANGE\n;Z:0.2\n"
      "; printing object receiver.stl id:0 copy 0\n";
  for (int i = 0; i < moves; ++i)
    s += "G1 X" + std::to_string(100 + i % 50) + "." + std::to_string(i % 10) + " Y" + std::to_string(80 + i % 37) +
         " E0.0" + std::to_string(i % 9 + 1) + "\n";
  s += "M107\nM104 S0 ; turn off temperature\nM84 ; disable motors\n; filament used [mm] = 1234.56\n"
       "; estimated printing time (normal mode) = 1h 2m 3s\n; prusaslicer_config = begin\n"
       "; printer_model = MK3S\n; filament_settings_id = \"Prusament PLA\"\n; prusaslicer_config = end\n";
  return s;
}

inline std::uint32_t crc32(const std::string& s) {
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

/// A stored (uncompressed) zip of the given members, with correct CRCs.
inline std::string zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, central;
  for (const auto& [name, data] : members) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t crc = crc32(data);
    auto header = [&](std::string& s, bool is_central) {
      put32(s, is_central ? 0x02014b50u : 0x04034b50u);
      if (is_central) put16(s, 20);
      put16(s, 20);
      put16(s, 0);
      put16(s, 0);
      put16(s, 0);
      put16(s, 0x21);
      put32(s, crc);
      put32(s, static_cast<std::uint32_t>(data.size()));
      put32(s, static_cast<std::uint32_t>(data.size()));
      put16(s, static_cast<std::uint16_t>(name.size()));
      put16(s, 0);
      if (is_central) {
        put16(s, 0);
        put16(s, 0);
        put16(s, 0);
        put32(s, 0);
        put32(s, offset);
      }
      s += name;
    };
    header(out, false);
    out += data;
    header(central, true);
  }
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50u);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint16_t>(members.size()));
  put16(out, static_cast<std::uint16_t>(members.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, cd_offset);
  put16(out, 0);
  return out;
}

inline std::string threemf() {
  return zip({{"[Content_Types].xml",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/"
               "2006/content-types\"><Default Extension=\"model\" "
               "ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+xml\"/></Types>"},
              {"_rels/.rels", "<?xml version=\"1.0\"?><Relationships/>"},
              {"3D/3dmodel.model",
               "<?xml version=\"1.0\"?><model unit=\"millimeter\" xmlns=\"http://schemas.microsoft.com/"
               "3dmanufacturing/core/2015/02\"><metadata name=\"Designer\">trawl</metadata><resources><object "
               "id=\"1\" type=\"model\"><mesh><vertices><vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"1\" y=\"0\" "
               "z=\"0\"/><vertex x=\"0\" y=\"1\" z=\"0\"/><vertex x=\"0\" y=\"0\" z=\"1\"/></vertices><triangles>"
               "<triangle v1=\"0\" v2=\"2\" v3=\"1\"/><triangle v1=\"0\" v2=\"1\" v3=\"3\"/><triangle v1=\"0\" "
               "v2=\"3\" v3=\"2\"/><triangle v1=\"1\" v2=\"2\" v3=\"3\"/></triangles></mesh></object></resources>"
               "<build><item objectid=\"1\"/></build></model>"}});
}

inline std::string docx_like() {
  return zip({{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"}, {"word/document.xml", "<w:document/>"}});
}

inline std::string step() {
  return "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('FreeCAD Model'),'2;1');\n"
         "FILE_NAME('receiver.step','2024-03-01T10:20:30',('Jane Doe'),('ACME Tools'),\n"
         "  'Open CASCADE STEP processor 7.6','FreeCAD','Unknown');\n"
         "FILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));\nENDSEC;\nDATA;\n"
         "#1=CARTESIAN_POINT('',(0.,0.,0.));\n#2=DIRECTION('',(0.,0.,1.));\nENDSEC;\nEND-ISO-10303-21;\n";
}

inline std::string iges_line(const std::string& body, char section, int seq) {
  std::string r = body;
  r.resize(72, ' ');
  r += section;
  std::string n = std::to_string(seq);
  r += std::string(7 - n.size(), ' ') + n;
  return r + "\n";
}

inline std::string iges() {
  std::string s = iges_line("trawl test IGES file", 'S', 1);
  const std::string global =
      "1H,,1H;,7HSendSys,9Hpart.iges,15HSolidWorks 2020,15HSW2020 IGES 5.3,32,308,15,308,15,7Hpart-id,1.,2,2HMM,50,"
      "0.125,13H240301.102030,1E-08,499.99,8HJane Doe,8HACME Inc,11,0,13H240301.102030,;";
  for (std::size_t i = 0; i < global.size(); i += 72)
    s += iges_line(global.substr(i, 72), 'G', static_cast<int>(i / 72 + 1));
  s += iges_line("     116       1       0       0       0       0       0       000000000", 'D', 1);
  s += iges_line("     116       0       0       1       0                               0", 'D', 2);
  s += iges_line("116,0.,0.,0.,0,0,0;                                                    1", 'P', 1);
  s += iges_line("S      1G      3D      2P      1", 'T', 1);
  return s;
}

inline std::string amf() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<amf unit=\"millimeter\" version=\"1.1\">\n"
         " <metadata type=\"producer\">OpenSCAD 2021.01</metadata>\n <object id=\"0\">\n  <mesh>\n   <vertices>\n"
         "    <vertex><coordinates><x>0</x><y>0</y><z>0</z></coordinates></vertex>\n   </vertices>\n"
         "  </mesh>\n </object>\n</amf>\n";
}

/// PrusaSlicer binary G-code: header, a file metadata block and a G-code block, CRC32 checked.
inline std::string bgcode() {
  std::string s = "GCDE";
  put32(s, 1);
  put16(s, 1);
  auto block = [&](std::uint16_t type, const std::string& data) {
    std::string b;
    put16(b, type);
    put16(b, 0);
    put32(b, static_cast<std::uint32_t>(data.size()));
    put16(b, 0);  // encoding: INI / plain G-code
    b += data;
    put32(b, crc32(b));
    s += b;
  };
  block(0, "Producer=PrusaSlicer 2.7.0\n");
  block(1, "G28\nG1 X10 Y10\nG1 X20 Y20\n");
  return s;
}

}  // namespace trawl::test_models
