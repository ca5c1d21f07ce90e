#include "mesh/model_link.hpp"

#include <doctest/doctest.h>

namespace trawl::mesh {
namespace {

TEST_CASE("model link: names agree after directories, case, punctuation, extensions and copy suffixes") {
  CHECK(link_name_key("C:\\jobs\\Moai.OBJ") == "moai");
  CHECK(link_name_key("moai.obj id:0 copy 0") == "moai");
  CHECK(link_name_key("moai_obj_id_0_copy_0") == "moai");
  CHECK(link_name_key("print-job.zip!print-job/Spacer Block.stl") == "spacer_block");
  CHECK(link_name_key("Spacer_Block_stl_id_12_copy_3") == "spacer_block");
  CHECK(link_name_key("part_id_x_copy_1") == "part_id_x_copy_1");
  CHECK(link_name_key("stl") == "stl");
  CHECK(link_name_key("...") == "");
  CHECK(link_name_key("Ölhalter.STL") == "Ölhalter");  // ASCII case only; UTF-8 kept as written
}

TEST_CASE("model link: sizes agree within 1.5 mm or 3 %, X and Y in either order") {
  CHECK(sizes_agree({129.6, 129.6, 18.8}, {130, 130, 18.838}));
  CHECK(sizes_agree({39.6, 19.6, 10}, {20, 40, 10}));
  CHECK(sizes_agree({300, 100, 50}, {306, 101, 51}));
  CHECK_FALSE(sizes_agree({60, 30, 30}, {30, 30, 30}));
  CHECK_FALSE(sizes_agree({30, 30, 10}, {30, 30, 30}));
}

TEST_CASE("model link: a project links to the meshes it names, by name and by size, never to itself") {
  std::vector<LinkModel> models(5);
  models[0].made_from = {{"moai.obj", Size3{129.6, 129.6, 18.8}}, {"#1", std::nullopt}};
  models[1].names = {"moai.obj"};
  models[1].size = Size3{130, 130, 18.838};
  models[2].names = {"Moai.OBJ"};
  models[2].size = Size3{13, 13, 1.9};  // same name, a tenth of the size: another object
  models[3].made_from = {{"C:\\parts\\moai.obj", std::nullopt}};  // a project without a size
  models[3].names = {"job.3mf"};
  models[3].size = Size3{130, 130, 18.838};
  models[4].names = {"cube", "Moai"};  // an object name; no size
  const auto links = link_models(models);
  REQUIRE(links.size() == 5);
  CHECK(links[0].project == 0);
  CHECK(links[0].mesh == 1);
  CHECK(links[0].size_checked);
  CHECK(links[0].name == "moai.obj");
  CHECK(links[0].mesh_size[2] == doctest::Approx(18.838));
  CHECK(links[1].mesh == 4);
  CHECK_FALSE(links[1].size_checked);
  CHECK(links[1].mesh_name == "Moai");
  CHECK(links[2].project == 3);  // by name only: 1, 2 and 4; the 3MF itself is left out
  CHECK(links[2].mesh == 1);
  CHECK(links[3].mesh == 2);
  CHECK(links[4].mesh == 4);
  for (const ModelLink& l : links) CHECK(l.project != l.mesh);
  CHECK(link_models({}).empty());
}

TEST_CASE("model link: an object of a build plate is compared with its own extent, not the plate's") {
  std::vector<LinkModel> models(2);
  models[0].made_from = {{"Bracket", Size3{19.7, 9.8, 5}}, {"Base", Size3{100, 100, 3}}};
  models[1].names = {"plate.3mf", "bracket", "base", "clip"};
  models[1].size = Size3{100, 100, 5};  // the whole plate
  models[1].name_sizes = {std::nullopt, Size3{20, 10, 5}, Size3{100, 100, 3}};  // clip: no size of its own
  const auto links = link_models(models);
  REQUIRE(links.size() == 1);  // one link per (project, mesh) pair: the first name that agreed with a size check
  CHECK(links[0].mesh_name == "bracket");
  CHECK(links[0].size_checked);
  CHECK(links[0].mesh_size[0] == doctest::Approx(20));
  // Without per-object sizes both parts are compared with the whole plate, and neither agrees.
  models[1].name_sizes.clear();
  CHECK(link_models(models).empty());
}

}  // namespace
}  // namespace trawl::mesh
