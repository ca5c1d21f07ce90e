#include "formats/mesh_parse.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "mesh/geometry_hash.hpp"
#include "mesh/measure.hpp"
#include "mesh/mesh_writers.hpp"
#include "mesh/primitives.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using test::as_span;

mesh::Mesh l_bracket() {
  return mesh::make_prism({{0, 0}, {40, 0}, {40, 8}, {8, 8}, {8, 25}, {0, 25}}, 12);
}

MeshFile parse_ok(const std::string& bytes, const MeshLimits& limits = {}) {
  auto file = parse_mesh(as_span(bytes), limits);
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error().detail));
  return std::move(file.value());
}

std::string fixture(const char* name) { return test::read_data_file(std::string("mesh/") + name); }

bool has_metadata(const MeshFile& f, const std::string& key, const std::string& value) {
  for (const auto& [k, v] : f.metadata)
    if (k == key && v == value) return true;
  return false;
}

void set_f32(std::string& bytes, size_t offset, float value) { std::memcpy(bytes.data() + offset, &value, 4); }

TEST_CASE("MeshParse: binary STL is recognised by size even with a 'solid' header") {
  const auto part = l_bracket();
  const std::string bytes = test::binary_stl(part, "solid SolidWorks export                 ");
  CHECK(detect_mesh_format(as_span(bytes), bytes.size()) == MeshFormat::stl_binary);
  const auto file = parse_ok(bytes);
  CHECK(file.format == MeshFormat::stl_binary);
  CHECK(file.header == "solid SolidWorks export");
  REQUIRE(file.objects.size() == 1);
  CHECK(file.objects[0].name == "SolidWorks export");
  CHECK(file.declared_triangles == part.triangles.size());
  CHECK(file.parsed_triangles == part.triangles.size());
  CHECK(file.consumed_bytes == bytes.size());
  CHECK_FALSE(file.truncated);
  CHECK(file.unit_source == mesh::UnitSource::assumed);
  // Welded: the soup becomes the indexed mesh again.
  CHECK(file.objects[0].mesh.vertices.size() == part.vertices.size());
  CHECK(mesh::measure_mesh(file.objects[0].mesh).watertight);
}

TEST_CASE("MeshParse: binary STL with trailing bytes reports the exact end for carving") {
  const std::string stl = test::binary_stl(mesh::make_box(1, 2, 3));
  const std::string bytes = stl + std::string(1000, 'x');
  const auto file = parse_ok(bytes);
  CHECK(file.format == MeshFormat::stl_binary);
  CHECK(file.consumed_bytes == stl.size());
  CHECK(file.parsed_triangles == 12);
}

TEST_CASE("MeshParse: truncated binary STL salvages whole triangles") {
  const std::string stl = test::binary_stl(mesh::make_sphere(5, 16, 8));
  const uint64_t n = mesh::make_sphere(5, 16, 8).triangles.size();
  const std::string cut = stl.substr(0, 84 + 50 * 100 + 17);
  const auto file = parse_ok(cut);
  CHECK(file.truncated);
  CHECK(file.parsed_triangles == 100);
  CHECK(file.declared_triangles == n);
  CHECK(file.recovered_fraction == doctest::Approx(100.0 / static_cast<double>(n)));
  CHECK(file.consumed_bytes == 84 + 50 * 100);
  CHECK_FALSE(file.warnings.empty());
}

TEST_CASE("MeshParse: binary STL NaN and infinity are implausible") {
  std::string stl = test::binary_stl(mesh::make_sphere(1, 12, 6));
  SUBCASE("in the first triangle: not an STL") {
    set_f32(stl, 84 + 12, std::numeric_limits<float>::quiet_NaN());
    CHECK_FALSE(detect_mesh_format(as_span(stl), stl.size()).has_value());
    auto file = parse_mesh(as_span(stl));
    CHECK_FALSE(file.ok());
  }
  SUBCASE("later: parsing stops there") {
    // The validator looks at the first 16 triangles; past them the walk stops at the bad one.
    set_f32(stl, 84 + 50 * 40 + 16, std::numeric_limits<float>::infinity());
    const auto file = parse_ok(stl);
    CHECK(file.parsed_triangles == 40);
    CHECK(file.truncated);
    CHECK(file.consumed_bytes == 84 + 50 * 40);
  }
}

TEST_CASE("MeshParse: a huge declared count costs nothing and limits hold") {
  std::string stl = test::binary_stl(mesh::make_box(1, 1, 1));
  const uint32_t huge = 0xfffffff0u;
  std::memcpy(stl.data() + 80, &huge, 4);
  const auto file = parse_ok(stl);
  CHECK(file.parsed_triangles == 12);
  CHECK(file.truncated);
  CHECK(file.recovered_fraction < 1e-8);
  MeshLimits tight;
  tight.max_triangles = 5;
  auto limited = parse_mesh(as_span(test::binary_stl(mesh::make_box(1, 1, 1))), tight);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == Errc::resource_exhausted);
  tight = {};
  tight.max_vertices = 7;
  limited = parse_mesh(as_span(test::ascii_stl(mesh::make_box(1, 1, 1))), tight);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == Errc::resource_exhausted);
}

TEST_CASE("MeshParse: ASCII STL with several solids, exponents and loose whitespace") {
  const std::string text =
      "solid first\r\n facet normal 0 0 1\r\n  outer loop\r\n   vertex 0 0 0\r\n   vertex 1.0e+01 0 0\r\n"
      "   vertex 0 1E1 +0.0\r\n  endloop\r\n endfacet\r\nendsolid other_name\r\n"
      "solid   second \n\tfacet   normal -0 -0 -1 outer loop vertex 0 0 -5e-1\n vertex 0 1 -0.5 vertex 1 0 -0.5\n"
      "endloop endfacet\n facet normal 0 0 0 outer loop vertex 0 0 0 vertex 0 0 1 vertex 0 1 0 endloop endfacet\n"
      "endsolid\n";
  CHECK(detect_mesh_format(as_span(text), text.size()) == MeshFormat::stl_ascii);
  const auto file = parse_ok(text + "trailing garbage");
  CHECK(file.format == MeshFormat::stl_ascii);
  REQUIRE(file.objects.size() == 2);
  CHECK(file.objects[0].name == "first");
  CHECK(file.objects[1].name == "second");
  CHECK(file.objects[0].mesh.triangles.size() == 1);
  CHECK(file.objects[1].mesh.triangles.size() == 2);
  CHECK(file.objects[0].mesh.vertices[1][0] == 10.0);
  CHECK(file.objects[1].mesh.vertices[0][2] == -0.5);
  CHECK(file.parsed_triangles == 3);
  CHECK(file.header == "solid first");
  CHECK(file.consumed_bytes == text.size());
}

TEST_CASE("MeshParse: ASCII STL errors and truncation") {
  CHECK_FALSE(parse_mesh(as_span(std::string("solid x\nfacet normal 0 0 1\nouter loop\nvertex a b c\n"))).ok());
  const std::string good = test::ascii_stl(mesh::make_box(2, 2, 2));
  const auto file = parse_ok(good.substr(0, good.size() / 2));
  CHECK(file.truncated);
  CHECK(file.parsed_triangles > 0);
  CHECK(file.parsed_triangles < 12);
  CHECK_FALSE(parse_mesh(as_span(std::string("solid x\nfacet normal 0 0 1 outer loop vertex nan 0 0 vertex 0 0 0 "
                                              "vertex 1 1 1 endloop endfacet\nendsolid x\n")))
                  .ok());
}

TEST_CASE("MeshParse: OBJ with negative indices, polygons, objects and exporter comment") {
  const std::string text =
      "# Blender v2.93.1 OBJ File: ''\n# www.blender.org\nmtllib part.mtl\no Plate\n"
      "v 0 0 0\nv 10 0 0\nv 10 10 0\nv 0 10 0\nvn 0 0 1\nvt 0 0\n"
      "f 1/1/1 2/1/1 3/1/1 4/1/1\n"
      "g Peg\nv 0 0 5\nv 1 0 5\nv 0 1 5\nusemtl red\ns off\nf -3 -2 -1\nf -3//1 -1//1 -2//1\nf 1 2 99\n";
  CHECK(detect_mesh_format(as_span(text), text.size()) == MeshFormat::obj);
  const auto file = parse_ok(text);
  CHECK(file.format == MeshFormat::obj);
  REQUIRE(file.objects.size() == 2);
  CHECK(file.objects[0].name == "Plate");
  CHECK(file.objects[0].mesh.triangles.size() == 2);  // quad, fan-triangulated
  CHECK(file.objects[1].name == "Peg");
  CHECK(file.objects[1].mesh.triangles.size() == 2);
  CHECK(file.objects[1].mesh.vertices[0] == mesh::Vec3{0, 0, 5});
  CHECK(file.parsed_triangles == 4);
  CHECK(has_metadata(file, "exporter", "Blender v2.93.1 OBJ File: ''"));
  CHECK(has_metadata(file, "mtllib", "part.mtl"));
  CHECK(file.header == "Blender v2.93.1 OBJ File: ''");
  CHECK(file.warnings.size() == 1);  // the out-of-range face
}

TEST_CASE("MeshParse: PLY ASCII and binary, any numeric type, extra properties") {
  const auto part = l_bracket();
  const std::string exact = mesh::exact_hash(part);
  for (const char* format : {"ascii", "binary_little_endian", "binary_big_endian"}) {
    CAPTURE(format);
    const std::string bytes = test::ply(part, format);
    const auto file = parse_ok(bytes);
    CHECK(file.format == (std::string(format) == "ascii" ? MeshFormat::ply_ascii : MeshFormat::ply_binary));
    CHECK(file.header == "Created by trawl test writer");
    CHECK(file.declared_triangles == part.triangles.size());
    CHECK(file.parsed_triangles == part.triangles.size());
    CHECK(file.consumed_bytes == bytes.size());
    REQUIRE(file.objects.size() == 1);
    CHECK(mesh::exact_hash(file.objects[0].mesh) == exact);
  }
  // double and int coordinates, a quad face with ushort count and uint indices, an extra element.
  std::string text =
      "ply\nformat binary_little_endian 1.0\ncomment made by hand\nelement vertex 4\nproperty double x\n"
      "property int y\nproperty short z\nproperty float nx\nelement face 1\nproperty uchar flags\n"
      "property list ushort uint vertex_indices\nelement edge 1\nproperty int a\nend_header\n";
  auto put = [&](const void* p, size_t n) { text.append(static_cast<const char*>(p), n); };
  for (int i = 0; i < 4; ++i) {
    const double x = i & 1 ? 2.5 : -2.5;
    const int32_t y = i & 2 ? 7 : 0;
    const int16_t z = -3;
    const float nx = 0;
    put(&x, 8), put(&y, 4), put(&z, 2), put(&nx, 4);
  }
  const uint8_t flags = 1;
  const uint16_t count = 4;
  const uint32_t idx[4] = {0, 1, 3, 2};
  put(&flags, 1), put(&count, 2), put(idx, 16);
  const int32_t edge = 9;
  put(&edge, 4);
  const auto file = parse_ok(text);
  REQUIRE(file.objects.size() == 1);
  CHECK(file.objects[0].mesh.triangles.size() == 2);
  CHECK(file.objects[0].mesh.vertices[2] == mesh::Vec3{2.5, 7, -3});  // third vertex the face uses
  CHECK(file.consumed_bytes == text.size());
}

TEST_CASE("MeshParse: malformed PLY") {
  CHECK_FALSE(parse_mesh(as_span(std::string("ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\n"))).ok());
  CHECK_FALSE(parse_mesh(as_span(std::string("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
                                              "property float y\nend_header\n1 2\n")))
                  .ok());  // no z
  CHECK_FALSE(
      parse_mesh(as_span(std::string("ply\nformat ascii 1.0\nelement vertex 1\nproperty blob x\nend_header\n"))).ok());
  // Huge declared counts with little data: truncated, no large allocation.
  const std::string huge =
      "ply\nformat binary_little_endian 1.0\nelement vertex 4000000000\nproperty float x\nproperty float y\n"
      "property float z\nelement face 4000000000\nproperty list uchar int vertex_indices\nend_header\n" +
      std::string(30, '\0');
  MeshLimits limits;
  limits.max_vertices = 5'000'000'000;
  auto file = parse_mesh(as_span(huge), limits);
  REQUIRE(file.ok());
  CHECK(file->truncated);
  CHECK(parse_mesh(as_span(huge)).error().code == Errc::resource_exhausted);
  // An element without properties takes no bytes, whatever its count.
  const std::string empty_element =
      "ply\nformat ascii 1.0\nelement nothing 999999999999999\nelement vertex 3\nproperty float x\n"
      "property float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
      "0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n";
  auto tiny = parse_mesh(as_span(empty_element));
  REQUIRE(tiny.ok());
  CHECK(tiny->parsed_triangles == 1);
  // Fuzzer finding: two face elements once gave a recovered fraction of 1.75.
  auto two_faces = parse_mesh(as_span(fixture("fuzz-ply-two-face-elements.ply")));
  REQUIRE(two_faces.ok());
  CHECK(two_faces->recovered_fraction <= 1.0);
  // A truncated binary body keeps the faces read.
  const std::string body = test::ply(l_bracket(), "binary_little_endian");
  auto cut = parse_mesh(as_span(body.substr(0, body.size() - 20)));
  REQUIRE(cut.ok());
  CHECK(cut->truncated);
  CHECK(cut->recovered_fraction < 1.0);
  CHECK(cut->recovered_fraction > 0.5);
}

TEST_CASE("MeshParse: detection needs content, not names") {
  auto detect = [](const std::string& s) { return detect_mesh_format(as_span(s), s.size()); };
  CHECK_FALSE(detect("hello world\nthis is text\n").has_value());
  CHECK_FALSE(detect(std::string(200, '\0')).has_value());
  CHECK_FALSE(detect("").has_value());
  CHECK(detect("<?xml version=\"1.0\"?>\n<amf unit=\"inch\"></amf>") == MeshFormat::amf);
  CHECK_FALSE(detect("<?xml version=\"1.0\"?>\n<svg></svg>").has_value());
  CHECK(detect("ply\r\nformat binary_big_endian 1.0\r\n") == MeshFormat::ply_binary);
  CHECK(detect("v 1 2 3\nv 4 5 6\n") == MeshFormat::obj);
  CHECK_FALSE(detect("v 1 2 3\nrm -rf /\n").has_value());
  const std::string office = fixture("office.docx");
  CHECK_FALSE(detect(office).has_value());
  CHECK_FALSE(parse_mesh(as_span(std::string("just words"))).ok());
  CHECK(parse_mesh(as_span(std::string("just words"))).error().code == Errc::unimplemented);
}

TEST_CASE("MeshParse: 3MF with components, item transforms, unit, metadata, thumbnail and PrusaSlicer names") {
  for (const char* name : {"transforms.3mf", "transforms-zip64.3mf"}) {
    CAPTURE(name);
    const std::string bytes = fixture(name);
    CHECK(detect_mesh_format(as_span(bytes), bytes.size()) == MeshFormat::threemf);
    const auto file = parse_ok(bytes);
    CHECK(file.format == MeshFormat::threemf);
    CHECK(file.unit == "in");
    CHECK(file.unit_source == mesh::UnitSource::declared);
    REQUIRE(file.objects.size() == 2);
    CHECK(file.objects[0].name == "assembly");
    CHECK(file.parsed_triangles == 36);
    // Item 1: a 10× cube at the origin and a unit cube at x = 20, both moved by (100, 0, 5).
    const auto m0 = mesh::measure_mesh(file.objects[0].mesh);
    CHECK(m0.bbox_min == mesh::Vec3{100, 0, 5});
    CHECK(m0.bbox_max == mesh::Vec3{121, 10, 15});
    CHECK(m0.component_count == 2);
    CHECK(m0.volume == doctest::Approx(1001));
    // Item 2: the unit cube turned 90° about z, then moved to y = 50.
    const auto m1 = mesh::measure_mesh(file.objects[1].mesh);
    CHECK(m1.bbox_min == mesh::Vec3{-1, 50, 0});
    CHECK(m1.bbox_max == mesh::Vec3{0, 51, 1});
    CHECK(m1.watertight);
    CHECK(m1.signed_volume == doctest::Approx(1));
    CHECK(has_metadata(file, "Title", "Test cube"));
    CHECK(has_metadata(file, "Application", "PrusaSlicer-2.6.0"));
    CHECK(has_metadata(file, "CreationDate", "2024-01-01"));
    CHECK(has_metadata(file, "source_file", "C:\\Users\\x\\cube.stl"));
    CHECK(has_metadata(file, "name", "assembly.stl"));
    REQUIRE(file.thumbnails.size() == 1);
    CHECK(file.thumbnails[0].first == "Metadata/thumbnail.png");
    CHECK(file.thumbnails[0].second.size() == 67);
  }
}

TEST_CASE("MeshParse: 3MF production extension and Bambu flavour") {
  const auto prod = parse_ok(fixture("production.3mf"));
  REQUIRE(prod.objects.size() == 1);
  CHECK(mesh::measure_mesh(prod.objects[0].mesh).bbox_max == mesh::Vec3{2, 2, 2});
  CHECK(prod.unit == "mm");
  const auto bambu = parse_ok(fixture("bambu.3mf"));
  REQUIRE(bambu.objects.size() == 1);
  CHECK(has_metadata(bambu, "DesignerUserId", "1234567"));
  CHECK(has_metadata(bambu, "ProfileUserName", "printer_fan"));
  CHECK(has_metadata(bambu, "MakerLabFileId", "ml-42"));
  CHECK(has_metadata(bambu, "source_file", "bracket.step"));
  CHECK(has_metadata(bambu, "name", "bracket.stl"));
  CHECK(has_metadata(bambu, "printer_model", "Bambu Lab X1 Carbon"));
  CHECK(bambu.thumbnails.size() == 1);
}

TEST_CASE("MeshParse: 3MF Cura project flavour") {
  const std::string bytes = fixture("cura.3mf");  // its first member is the thumbnail
  CHECK(detect_mesh_format(as_span(bytes), bytes.size()) == MeshFormat::threemf);
  const auto cura = parse_ok(bytes);
  REQUIRE(cura.objects.size() == 1);
  CHECK(cura.objects[0].name == "widget.stl");
  CHECK(mesh::measure_mesh(cura.objects[0].mesh).bbox_min == mesh::Vec3{117.5, 117.5, 0});
  CHECK(has_metadata(cura, "Application", "Cura 4.13.0"));
  CHECK(has_metadata(cura, "cura:print_order", "1"));
  CHECK(has_metadata(cura, "cura:Creality+Ender-3.global", "Creality Ender-3"));
  CHECK(cura.thumbnails.size() == 1);
}

TEST_CASE("MeshParse: broken 3MF and AMF are errors") {
  auto broken = parse_mesh(as_span(fixture("broken-xml.3mf")));
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().code == Errc::data_loss);
  const std::string zip = fixture("transforms.3mf");
  CHECK_FALSE(parse_mesh(as_span(zip.substr(0, 200))).ok());
  CHECK_FALSE(parse_mesh(as_span(std::string("<?xml version=\"1.0\"?><amf><object><mesh>"))).ok());
}

TEST_CASE("MeshParse: AMF plain and zipped") {
  for (const char* name : {"cube.amf", "cube-zipped.amf"}) {
    CAPTURE(name);
    const std::string bytes = fixture(name);
    CHECK(detect_mesh_format(as_span(bytes), bytes.size()) == MeshFormat::amf);
    const auto file = parse_ok(bytes);
    CHECK(file.format == MeshFormat::amf);
    CHECK(file.unit == "mm");
    CHECK(file.unit_source == mesh::UnitSource::declared);
    REQUIRE(file.objects.size() == 1);
    CHECK(file.objects[0].name == "cube");
    CHECK(file.parsed_triangles == 12);
    CHECK(has_metadata(file, "producer", "OpenSCAD 2021.01"));
    const auto m = mesh::measure_mesh(file.objects[0].mesh);
    CHECK(m.watertight);
    CHECK(m.volume == doctest::Approx(1));
  }
}

TEST_CASE("MeshParse: real benign meshes from Debian's cura package") {
  const auto stl = parse_ok(fixture("anycubic_i3_mega_x_platform.stl"));
  CHECK(stl.format == MeshFormat::stl_binary);
  CHECK(stl.header == "\"Design2\"");
  CHECK(stl.parsed_triangles == 28);
  const auto obj = parse_ok(fixture("moai.obj"));
  CHECK(obj.format == MeshFormat::obj);
  CHECK(obj.parsed_triangles > 0);
  const auto tmf = parse_ok(fixture("uni_print_3d_platform.3mf"));
  CHECK(tmf.format == MeshFormat::threemf);
  REQUIRE(tmf.objects.size() == 1);
  const auto m = mesh::measure_mesh(tmf.objects[0].mesh);
  CHECK(m.size == mesh::Vec3{190, 280, 5});
  CHECK(m.watertight);
  CHECK(m.volume == doctest::Approx(190.0 * 280 * 5));
}

}  // namespace
}  // namespace trawl::formats
