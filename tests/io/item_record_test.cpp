#include "io/item_record.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace trawl::io {
namespace {

ItemInfo round_trip(const ItemInfo& info) {
  auto back = item_from_record(item_record("test", info));
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.error().detail));
  return std::move(back).value();
}

std::vector<std::string> keys(const record::Record& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields()) out.push_back(f.key);
  return out;
}

}  // namespace

TEST_CASE("ItemRecord: a host file round-trips to the same host path") {
  ItemInfo info;
  info.source = "/ev";
  info.path = "/ev/docs/a.txt";
  info.host_path = info.path;
  info.size = 5;
  info.times = {{"mtime", 1577836800, 0}, {"atime", 1577836801, 500000000}};
  info.times_from = "stat";

  const record::Record r = item_record("test", info);
  CHECK(keys(r) == std::vector<std::string>{"type", "tool", "schema", "source", "path", "size", "mtime", "atime", "times_from"});
  CHECK(r.type() == "file");
  CHECK(r.get_string("tool") == "test");
  CHECK(r.get_string("mtime") == "2020-01-01T00:00:00Z");
  CHECK(r.get_string("atime") == "2020-01-01T00:00:01.5Z");
  CHECK_FALSE(r.has("host_path"));  // the same as path

  const ItemInfo back = round_trip(info);
  CHECK(back.kind == ItemKind::file);
  CHECK(back.source == "/ev");
  CHECK(back.path == "/ev/docs/a.txt");
  CHECK(back.host_path == "/ev/docs/a.txt");
  CHECK(back.size == std::optional<uint64_t>(5));
  CHECK(back.image.empty());
  CHECK(back.members.empty());
  CHECK_FALSE(back.offset);
}

TEST_CASE("ItemRecord: a host path other than the display path is kept") {
  ItemInfo info;
  info.source = "evidence";
  info.path = "evidence/a.txt";
  info.host_path = "/mnt/case/evidence/a.txt";
  CHECK(round_trip(info).host_path == "/mnt/case/evidence/a.txt");
}

TEST_CASE("ItemRecord: a file in an image round-trips to its partition offset and inode") {
  ItemInfo info;
  info.source = "disk.E01";
  info.path = "disk.E01/p2/docs/a.txt";
  info.image = "disk.E01";
  info.partition = 2;
  info.partition_offset = 1048576;
  info.fs_type = "ntfs";
  info.fs_path = "/docs/a.txt";
  info.inode = "64-128-4";
  info.deleted = true;
  info.size = 100;

  const record::Record r = item_record("test", info);
  CHECK_FALSE(r.has("image"));  // the same as source
  CHECK(r.get_uint("partition_offset") == std::optional<uint64_t>(1048576));
  CHECK(r.get_string("inode") == "64-128-4");
  CHECK(r.get_bool("deleted") == std::optional<bool>(true));

  const ItemInfo back = round_trip(info);
  CHECK(back.kind == ItemKind::file);
  CHECK(back.image == "disk.E01");
  CHECK(back.partition == std::optional<unsigned>(2));
  CHECK(back.partition_offset == std::optional<uint64_t>(1048576));
  CHECK(back.fs_type == "ntfs");
  CHECK(back.fs_path == "/docs/a.txt");
  CHECK(back.inode == "64-128-4");
  CHECK(back.deleted == std::optional<bool>(true));
  CHECK(back.size == std::optional<uint64_t>(100));
  CHECK(back.host_path.empty());
}

TEST_CASE("ItemRecord: an image found inside a directory keeps its image path") {
  ItemInfo info;
  info.source = "/ev";
  info.path = "/ev/disk.dd/p1/a.txt";
  info.image = "/ev/disk.dd";
  info.partition_offset = 0;  // a file system without a partition table
  info.inode = "518";
  const record::Record r = item_record("test", info);
  CHECK(r.get_string("image") == "/ev/disk.dd");
  const ItemInfo back = round_trip(info);
  CHECK(back.image == "/ev/disk.dd");
  CHECK(back.partition_offset == std::optional<uint64_t>(0));
  CHECK_FALSE(back.partition);
  CHECK(back.inode == "518");
}

TEST_CASE("ItemRecord: an archive member chain round-trips with member and container") {
  ItemInfo info;
  info.source = "/ev";
  info.path = "/ev/outer.zip!/a.zip!/b.txt";
  info.host_path = "/ev/outer.zip";
  info.container_path = "/ev/outer.zip";
  info.members = {"a.zip", "b.txt"};
  info.depth = 2;
  info.size = 7;

  const record::Record r = item_record("test", info);
  CHECK(r.get_string("member") == "a.zip!/b.txt");
  CHECK(r.get_string("container") == "/ev/outer.zip");
  CHECK(r.get_uint("depth") == std::optional<uint64_t>(2));
  CHECK_FALSE(r.has("host_path"));  // the same as container

  const ItemInfo back = round_trip(info);
  CHECK(back.kind == ItemKind::file);
  CHECK(back.members == std::vector<std::string>{"a.zip", "b.txt"});
  CHECK(back.container_path == "/ev/outer.zip");
  CHECK(back.depth == 2);
  CHECK(back.host_path == "/ev/outer.zip");  // the container is what opens
  CHECK(back.path == "/ev/outer.zip!/a.zip!/b.txt");
}

TEST_CASE("ItemRecord: a member of an archive inside an image keeps both addresses") {
  ItemInfo info;
  info.source = "disk.dd";
  info.path = "disk.dd/p1/x.zip!/y.txt";
  info.image = "disk.dd";
  info.partition_offset = 32256;
  info.inode = "44";
  info.container_path = "disk.dd/p1/x.zip";
  info.members = {"y.txt"};
  info.depth = 1;
  const ItemInfo back = round_trip(info);
  CHECK(back.image == "disk.dd");
  CHECK(back.inode == "44");
  CHECK(back.partition_offset == std::optional<uint64_t>(32256));
  CHECK(back.members == std::vector<std::string>{"y.txt"});
  CHECK(back.host_path.empty());
}

TEST_CASE("ItemRecord: a byte range round-trips to offset and length") {
  ItemInfo info;
  info.kind = ItemKind::range;
  info.source = "disk.dd";
  info.path = "disk.dd/unallocated/4096";
  info.image = "disk.dd";
  info.offset = 4096;
  info.length = 512;
  info.size = 512;
  info.area = "unallocated";

  const record::Record r = item_record("test", info);
  CHECK(r.type() == "range");
  CHECK_FALSE(r.has("size"));  // a range has length
  CHECK(r.get_uint("offset") == std::optional<uint64_t>(4096));
  CHECK(r.get_uint("length") == std::optional<uint64_t>(512));

  const ItemInfo back = round_trip(info);
  CHECK(back.kind == ItemKind::range);
  CHECK(back.offset == std::optional<uint64_t>(4096));
  CHECK(back.length == std::optional<uint64_t>(512));
  CHECK(back.size == std::optional<uint64_t>(512));
  CHECK(back.area == "unallocated");
  CHECK(back.image == "disk.dd");
}

TEST_CASE("ItemRecord: a scanner hit with offset and length re-opens as a range") {
  record::Record hit("hit", "scan");
  hit.set("source", "disk.dd").set("offset", 1000u).set("length", 34u).set("scanner", "btc");
  auto info = item_from_record(hit);
  REQUIRE(info.ok());
  CHECK(info->kind == ItemKind::range);
  CHECK(info->offset == std::optional<uint64_t>(1000));
  CHECK(info->image == "disk.dd");
  CHECK(info->path == "disk.dd");  // no path: the source
}

TEST_CASE("ItemRecord: upstream fields pass through and ours replace theirs") {
  auto upstream = std::make_shared<record::Record>("hit", "scan");
  upstream->set("path", "old").set("scanner", "btc");
  ItemInfo info;
  info.source = "/ev";
  info.path = "/ev/a";
  info.upstream = upstream;
  const record::Record r = item_record("hash", info);
  CHECK(keys(r) == std::vector<std::string>{"type", "tool", "schema", "path", "scanner", "source"});
  CHECK(r.type() == "file");
  CHECK(r.get_string("tool") == "hash");
  CHECK(r.get_string("path") == "/ev/a");
  CHECK(r.get_string("scanner") == "btc");
}

TEST_CASE("ItemRecord: error records name the kind and detail") {
  const record::Record r = error_record("test", "/ev", "/ev/a.zip", make_error(Errc::data_loss, "bad crc"), 77);
  CHECK(keys(r) == std::vector<std::string>{"type", "tool", "schema", "source", "path", "offset", "error", "detail"});
  CHECK(r.type() == "error");
  CHECK(r.get_string("error") == "data_loss");
  CHECK(r.get_string("detail") == "bad crc");
  CHECK_FALSE(error_record("test", "/ev", "", make_error(Errc::io, "x")).has("path"));
}

TEST_CASE("ItemRecord: a record without a source is an error") {
  record::Record r("file", "test");
  r.set("path", "/ev/a.txt");
  auto info = item_from_record(r);
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().code == Errc::invalid_argument);
  CHECK(info.error().detail == "record has no source");
  record::Record numeric("file", "test");
  numeric.set("source", 5);  // not a string
  CHECK_FALSE(item_from_record(numeric).ok());
}

TEST_CASE("ItemRecord: a record inside an image without an inode is an error") {
  record::Record r("file", "test");
  r.set("source", "disk.dd").set("path", "disk.dd/p1/a.txt").set("partition_offset", 32256u);
  auto info = item_from_record(r);
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().code == Errc::invalid_argument);
  CHECK(info.error().detail == "record inside an image has no inode");
  record::Record with_image("file", "test");
  with_image.set("source", "/ev").set("image", "/ev/disk.dd");
  CHECK_FALSE(item_from_record(with_image).ok());
}

TEST_CASE("ItemRecord: a range record without its length is an error") {
  record::Record r("range", "test");
  r.set("source", "disk.dd").set("offset", 4096u);
  auto info = item_from_record(r);
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().code == Errc::invalid_argument);
  CHECK(info.error().detail == "range record needs offset and length");
  record::Record negative("range", "test");
  negative.set("source", "disk.dd").set("offset", -1).set("length", 5u);
  CHECK_FALSE(item_from_record(negative).ok());
}

}  // namespace trawl::io
