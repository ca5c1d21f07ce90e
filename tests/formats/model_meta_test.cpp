#include "formats/model_meta.hpp"

#include <doctest/doctest.h>

#include <string>

#include "scan/model_fixtures.hpp"

namespace trawl::formats {
namespace {

namespace tm = test_models;

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// "key=value" lines in order, for compact comparisons.
std::string flat(const ModelMeta& meta) {
  std::string out;
  for (const auto& p : meta) out += p.key + "=" + p.value + "\n";
  return out;
}

TEST_CASE("gcode_meta: PrusaSlicer header, object labels, thumbnail, config trailer") {
  const std::string g = tm::gcode(10);
  const ModelMeta meta = gcode_meta(bytes_of(g));
  CHECK(flat(meta) ==
        "slicer=PrusaSlicer\n"
        "slicer_version=2.6.0+linux-x64-GTK3\n"
        "date=2023-07-14 09:12:33 UTC\n"
        "thumbnail=png 16x16 60\n"
        "layer_height=0.2\n"
        "object=receiver.stl_id_0_copy_0\n"
        "object=Shape-Box\n"
        "object=receiver.stl\n"
        "filament_used=1234.56 mm\n"
        "estimated_time=1h 2m 3s\n"
        "printer=MK3S\n"
        "filament=Prusament PLA\n");
  // The thumbnail's offset is its "; thumbnail begin" line.
  for (const auto& p : meta)
    if (p.key == "thumbnail") CHECK(g.compare(static_cast<std::size_t>(*p.offset), 18, "; thumbnail begin ") == 0);
}

TEST_CASE("gcode_meta: Cura flavor header and ;MESH: names") {
  const std::string g =
      ";FLAVOR:Marlin\n;TIME:6235\n;Filament used: 2.1m\n;Layer height: 0.15\n;Generated with Cura_SteamEngine 4.13.1\n"
      "M140 S60\n;MESH:lower_receiver.stl\nG1 X1 Y1\n;MESH:NONMESH\n;MESH:lower_receiver.stl\n;MESH:pin.stl\n";
  CHECK(flat(gcode_meta(bytes_of(g))) ==
        "estimated_time=6235 s\nfilament_used=2.1m\nlayer_height=0.15\nslicer=Cura_SteamEngine\n"
        "slicer_version=4.13.1\nobject=lower_receiver.stl\nobject=pin.stl\n");
}

TEST_CASE("bgcode_meta: file metadata block") {
  CHECK(flat(bgcode_meta(bytes_of(tm::bgcode()))) == "file.Producer=PrusaSlicer 2.7.0\n");
  CHECK(bgcode_meta(bytes_of(std::string("GCDE"))).empty());
}

TEST_CASE("step_meta: FILE_DESCRIPTION, FILE_NAME, FILE_SCHEMA") {
  CHECK(flat(step_meta(bytes_of(tm::step()))) ==
        "description=FreeCAD Model\nimplementation_level=2;1\nfile_name=receiver.step\n"
        "time_stamp=2024-03-01T10:20:30\nauthor=Jane Doe\norganization=ACME Tools\n"
        "preprocessor=Open CASCADE STEP processor 7.6\noriginating_system=FreeCAD\nauthorization=Unknown\n"
        "file_schema=AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }\n");
  CHECK(step_meta(bytes_of(std::string("ISO-10303-21;\nHEADER;\nFILE_NAME('unterminated"))).empty());
}

TEST_CASE("iges_meta: global section fields across records") {
  CHECK(flat(iges_meta(bytes_of(tm::iges()))) ==
        "sender=SendSys\nfile_name=part.iges\nsystem=SolidWorks 2020\npreprocessor=SW2020 IGES 5.3\n"
        "receiver=part-id\ndate=240301.102030\nauthor=Jane Doe\norganization=ACME Inc\nmodified=240301.102030\n");
}

TEST_CASE("fcstd_document_meta: document properties, not objects'") {
  const std::string xml =
      "<?xml version='1.0' encoding='utf-8'?>\n<Document SchemaVersion=\"4\" ProgramVersion=\"0.20R29177\">\n"
      "<Properties Count=\"3\"><Property name=\"CreatedBy\" type=\"App::PropertyString\"><String value=\"Jane Doe\"/>"
      "</Property><Property name=\"Company\" type=\"App::PropertyString\"><String value=\"ACME\"/></Property>"
      "<Property name=\"Uid\" type=\"App::PropertyUUID\"><Uuid value=\"8d0a-11\"/></Property></Properties>\n"
      "<Objects Count=\"1\"><Object type=\"Part::Box\" name=\"Box\"/></Objects></Document>\n";
  CHECK(flat(fcstd_document_meta(bytes_of(xml))) == "created_by=Jane Doe\ncompany=ACME\nuid=8d0a-11\n");
  CHECK(flat(fcstd_meta(bytes_of(tm::zip({{"Document.xml", xml}})))) == "created_by=Jane Doe\ncompany=ACME\nuid=8d0a-11\n");
  CHECK(fcstd_document_meta(bytes_of(std::string("<Document><Properties>"))).empty());
}

TEST_CASE("scad_meta: parameters, modules, imports") {
  const std::string scad =
      "// customizer\nbarrel_length = 120; // mm\n$fn = 64;\nuse <threads.scad>\n"
      "module receiver(w = 10) {\n  difference() { import(\"lower.stl\"); cube([w, 2, 3]); }\n  inner = 3;\n}\n"
      "/* module hidden() {} */\nreceiver();\n";
  CHECK(flat(scad_meta(bytes_of(scad))) ==
        "parameter=barrel_length = 120\nparameter=$fn = 64\nuse=threads.scad\nmodule=receiver\nimport=lower.stl\n");
}

TEST_CASE("model_meta parsers: garbage gives no pairs and no crash") {
  const std::string junk = "\xff\x00(((('''';;;;HEADER;FILE_NAME(((((";
  CHECK(gcode_meta(bytes_of(junk)).empty());
  CHECK(iges_meta(bytes_of(junk)).empty());
  CHECK(scad_meta(bytes_of(junk)).empty());
  CHECK(bgcode_meta(bytes_of(junk)).empty());
  CHECK(fcstd_meta(bytes_of(junk)).empty());
  (void)step_meta(bytes_of(junk));
}

}  // namespace
}  // namespace trawl::formats
