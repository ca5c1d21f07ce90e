#include "io/archive_walk.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace trawl::io {
namespace {

constexpr int64_t kFixtureTime = 1577836800;  // 2020-01-01T00:00:00Z, every fixture member
const std::string kReadme =
    "trawl archive fixture line 1\ntrawl archive fixture line 2\ntrawl archive fixture line 3\n"
    "trawl archive fixture line 4\n";

std::string read_fixture(const std::string& name) { return test::read_data_file("archives/" + name); }

std::string numbers() {
  std::string out;
  for (int i = 0; i < 100; ++i) {
    std::string n = std::to_string(i);
    out += std::string(9 - n.size(), '0') + n + "\n";
  }
  return out;
}

using test::OneWayStream;

struct Member {
  ItemInfo info;
  std::string bytes;
  std::optional<Error> read_error;
};

struct Walk {
  Status status = ok_status();
  std::vector<Member> members;
  std::vector<std::pair<std::string, Error>> errors;  // on_error calls
  ArchiveBudget budget;

  const Member* find(const std::string& name) const {
    for (const auto& m : members)
      if (!m.info.members.empty() && m.info.members.back() == name) return &m;
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& m : members) out.push_back(m.info.members.back());
    return out;
  }
};

ItemInfo host_parent(const std::string& name) {
  ItemInfo parent;
  parent.source = "/ev";
  parent.path = "/ev/" + name;
  parent.host_path = parent.path;
  return parent;
}

/// Walks `stream`, reading every member fully; `stop_after` members ends the walk.
Walk walk(ByteStream& stream, const ItemInfo& parent, const Limits& limits = {}, size_t stop_after = SIZE_MAX) {
  // zip -X stores DOS times, which libarchive reads as local time.
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  Walk w;
  auto on_member = [&](ItemInfo& info, ByteStream& data) {
    Member m{info, {}, std::nullopt};
    std::byte block[4096];
    for (;;) {
      auto n = data.read(block);
      if (!n) {
        m.read_error = n.error();
        break;
      }
      if (*n == 0) break;
      m.bytes.append(reinterpret_cast<const char*>(block), *n);
    }
    w.members.push_back(std::move(m));
    return w.members.size() < stop_after;
  };
  auto on_error = [&](const std::string& path, const Error& error) { w.errors.emplace_back(path, error); };
  w.status = walk_archive(stream, parent, limits, w.budget, on_member, on_error);
  return w;
}

/// The same fixture walked seekable and as a one-way stream.
std::vector<std::pair<std::string, std::unique_ptr<ByteStream>>> both_ways(const std::string& name) {
  std::vector<std::pair<std::string, std::unique_ptr<ByteStream>>> out;
  out.emplace_back("seekable", std::make_unique<MemoryStream>(read_fixture(name)));
  out.emplace_back("one-way", std::make_unique<OneWayStream>(read_fixture(name), 100));
  return out;
}

void check_basic_tree(const Walk& w, const std::string& archive) {
  REQUIRE(w.status.ok());
  CHECK(w.errors.empty());
  std::vector<std::string> names = w.names();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"data/numbers.bin", "docs/empty.txt", "docs/readme.txt"});

  const Member* readme = w.find("docs/readme.txt");
  REQUIRE(readme != nullptr);
  CHECK(readme->info.path == "/ev/" + archive + "!/docs/readme.txt");
  CHECK(readme->info.source == "/ev");
  CHECK(readme->info.kind == ItemKind::file);
  CHECK(readme->info.container_path == "/ev/" + archive);
  CHECK(readme->info.host_path == "/ev/" + archive);
  CHECK(readme->info.members == std::vector<std::string>{"docs/readme.txt"});
  CHECK(readme->info.depth == 1);
  CHECK(readme->info.size == std::optional<uint64_t>(kReadme.size()));
  CHECK(readme->bytes == kReadme);
  CHECK_FALSE(readme->read_error);
  REQUIRE_FALSE(readme->info.times.empty());
  CHECK(readme->info.times[0].name == "mtime");
  CHECK(readme->info.times[0].seconds == kFixtureTime);
  CHECK(readme->info.times_from == "archive header");

  const Member* numbers_bin = w.find("data/numbers.bin");
  REQUIRE(numbers_bin != nullptr);
  CHECK(numbers_bin->info.size == std::optional<uint64_t>(1000));
  CHECK(numbers_bin->bytes == numbers());

  const Member* empty = w.find("docs/empty.txt");
  REQUIRE(empty != nullptr);
  CHECK(empty->info.size == std::optional<uint64_t>(0));
  CHECK(empty->bytes.empty());
  CHECK(w.budget.expanded_bytes == kReadme.size() + 1000);
}

}  // namespace

TEST_CASE("ArchiveWalk: zip members with their paths, sizes, times and bytes") {
  for (auto& [how, stream] : both_ways("basic.zip")) {
    INFO(how);
    const Walk w = walk(*stream, host_parent("basic.zip"));
    check_basic_tree(w, "basic.zip");
    // The zip keeps its member order.
    CHECK(w.names() == std::vector<std::string>{"docs/readme.txt", "docs/empty.txt", "data/numbers.bin"});
  }
}

TEST_CASE("ArchiveWalk: tar.gz members, directories left out") {
  for (auto& [how, stream] : both_ways("basic.tar.gz")) {
    INFO(how);
    const Walk w = walk(*stream, host_parent("basic.tar.gz"));
    check_basic_tree(w, "basic.tar.gz");
    CHECK(w.names() == std::vector<std::string>{"docs/empty.txt", "docs/readme.txt", "data/numbers.bin"});
  }
}

TEST_CASE("ArchiveWalk: 7z members") {
  MemoryStream stream(read_fixture("basic.7z"));
  check_basic_tree(walk(stream, host_parent("basic.7z")), "basic.7z");
}

TEST_CASE("ArchiveWalk: a 7z read as a one-way stream is an error, not a crash") {
  // 7z keeps its directory at the end; libarchive needs to seek there. (The
  // pipeline hands nested archives over as seekable MemoryStreams.)
  OneWayStream stream(read_fixture("basic.7z"), 100);
  const Walk w = walk(stream, host_parent("basic.7z"));
  REQUIRE((!w.status.ok() || !w.errors.empty()));
  const Error& e = w.status.ok() ? w.errors[0].second : w.status.error();
  CHECK_FALSE(e.detail.empty());
  CHECK(e.code == Errc::data_loss);
}

TEST_CASE("ArchiveWalk: a bare .gz is one member named after the file without .gz") {
  for (auto& [how, stream] : both_ways("note.txt.gz")) {
    INFO(how);
    const Walk w = walk(*stream, host_parent("note.txt.gz"));
    REQUIRE(w.status.ok());
    CHECK(w.errors.empty());
    REQUIRE(w.members.size() == 1);
    CHECK(w.members[0].info.path == "/ev/note.txt.gz!/note.txt");
    CHECK(w.members[0].info.members == std::vector<std::string>{"note.txt"});
    CHECK_FALSE(w.members[0].info.size);  // a gzip stream does not say
    CHECK(w.members[0].bytes == "a note in a bare gzip stream\n");
  }
}

TEST_CASE("ArchiveWalk: a compressed empty file is read without error and has no member") {
  // `gzip -9 < /dev/null` (as Debian's empty man pages, e.g. git-clang-format-14.1.gz): 20 bytes.
  const unsigned char kEmptyGzip[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03,
                                      0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  MemoryStream stream(std::string(reinterpret_cast<const char*>(kEmptyGzip), sizeof kEmptyGzip));
  const Walk w = walk(stream, host_parent("empty.1.gz"));
  CHECK(w.status.ok());
  CHECK(w.errors.empty());
  CHECK(w.members.empty());
}

TEST_CASE("ArchiveWalk: a bare compressed stream without a known suffix has a member named data") {
  MemoryStream stream(read_fixture("note.txt.gz"));
  ItemInfo parent = host_parent("outer.zip!/blob");
  const Walk w = walk(stream, parent);
  REQUIRE(w.members.size() == 1);
  CHECK(w.members[0].info.path == "/ev/outer.zip!/blob!/data");
  MemoryStream tgz(read_fixture("basic.tar.gz"));
  // A .tgz is a tar once decompressed: its members are listed, not one raw member.
  CHECK(walk(tgz, host_parent("basic.tgz")).members.size() == 3);
}

TEST_CASE("ArchiveWalk: members of a nested archive keep the chain and the image address") {
  ItemInfo parent;
  parent.source = "disk.E01";
  parent.path = "disk.E01/p2/docs/outer.zip!/basic.zip";
  parent.image = "disk.E01";
  parent.partition = 2;
  parent.partition_offset = 1048576;
  parent.fs_type = "ext4";
  parent.fs_path = "/docs/outer.zip";
  parent.inode = "12";
  parent.container_path = "disk.E01/p2/docs/outer.zip";
  parent.members = {"basic.zip"};
  parent.depth = 1;
  MemoryStream stream(read_fixture("basic.zip"));
  const Walk w = walk(stream, parent);
  const Member* readme = w.find("docs/readme.txt");
  REQUIRE(readme != nullptr);
  CHECK(readme->info.path == "disk.E01/p2/docs/outer.zip!/basic.zip!/docs/readme.txt");
  CHECK(readme->info.members == std::vector<std::string>{"basic.zip", "docs/readme.txt"});
  CHECK(readme->info.depth == 2);
  CHECK(readme->info.container_path == "disk.E01/p2/docs/outer.zip");
  CHECK(readme->info.image == "disk.E01");
  CHECK(readme->info.partition == std::optional<unsigned>(2));
  CHECK(readme->info.partition_offset == std::optional<uint64_t>(1048576));
  CHECK(readme->info.inode == "12");
  CHECK(readme->info.fs_path == "/docs/outer.zip");
  CHECK(readme->info.host_path.empty());
}

TEST_CASE("ArchiveWalk: the visitor returning false stops the walk") {
  for (auto& [how, stream] : both_ways("basic.zip")) {
    INFO(how);
    const Walk w = walk(*stream, host_parent("basic.zip"), {}, 1);
    CHECK(w.status.ok());
    CHECK(w.members.size() == 1);
  }
}

TEST_CASE("ArchiveWalk: members left unread are skipped correctly") {
  for (auto& [how, stream] : both_ways("basic.zip")) {
    INFO(how);
    std::vector<std::string> seen;
    ArchiveBudget budget;
    auto status = walk_archive(
        *stream, host_parent("basic.zip"), {}, budget,
        [&](ItemInfo& info, ByteStream&) {
          seen.push_back(info.members.back());
          return true;
        },
        [](const std::string&, const Error&) { FAIL("no error expected"); });
    CHECK(status.ok());
    CHECK(seen == std::vector<std::string>{"docs/readme.txt", "docs/empty.txt", "data/numbers.bin"});
  }
}

TEST_CASE("ArchiveWalk: an encrypted member is an unimplemented error and the others are still visited") {
  for (auto& [how, stream] : both_ways("encrypted.zip")) {
    INFO(how);
    const Walk w = walk(*stream, host_parent("encrypted.zip"));
    CHECK(w.status.ok());
    REQUIRE(w.errors.size() == 1);
    CHECK(w.errors[0].first == "/ev/encrypted.zip!/secret.txt");
    CHECK(w.errors[0].second.code == Errc::unimplemented);
    CHECK(w.errors[0].second.detail == "encrypted member: not decrypted");
    REQUIRE(w.members.size() == 1);
    CHECK(w.members[0].info.path == "/ev/encrypted.zip!/plain.txt");
    CHECK(w.members[0].bytes == "a plain member after the secret one\n");
  }
}

TEST_CASE("ArchiveWalk: a truncated zip is reported, not a crash") {
  for (auto& [how, stream] : both_ways("truncated.zip")) {
    INFO(how);
    const Walk w = walk(*stream, host_parent("truncated.zip"));
    size_t problems = w.errors.size() + (w.status.ok() ? 0 : 1);
    for (const auto& m : w.members) problems += m.read_error ? 1 : 0;
    CHECK(problems >= 1);
    // Whatever was read of the cut member is a prefix of its bytes, never more.
    if (const Member* cut = w.find("data/numbers.bin")) {
      CHECK(cut->bytes.size() < 1000);
      CHECK(numbers().compare(0, cut->bytes.size(), cut->bytes) == 0);
      REQUIRE(cut->read_error);
      CHECK(cut->read_error->code == Errc::data_loss);
    }
    // The members before the cut are whole.
    if (const Member* readme = w.find("docs/readme.txt")) CHECK(readme->bytes == kReadme);
  }
}

TEST_CASE("ArchiveWalk: bytes that are no archive do not open") {
  MemoryStream empty("");
  const Walk w = walk(empty, host_parent("empty.zip"));
  CHECK(w.members.empty());
  if (!w.status.ok()) CHECK(w.status.error().code == Errc::data_loss);
}

TEST_CASE("ArchiveWalk: a member expanding past max_member_bytes fails while it is read") {
  for (auto& [how, stream] : both_ways("bomb.zip")) {
    INFO(how);
    Limits limits;
    limits.max_member_bytes = 1 << 20;
    const Walk w = walk(*stream, host_parent("bomb.zip"), limits);
    CHECK(w.status.ok());
    REQUIRE(w.members.size() == 1);  // the walk ends at the bomb
    const Member& bomb = w.members[0];
    CHECK(bomb.info.path == "/ev/bomb.zip!/zeros.bin");
    CHECK(bomb.info.size == std::optional<uint64_t>(4u << 20));
    REQUIRE(bomb.read_error);
    CHECK(bomb.read_error->code == Errc::resource_exhausted);
    CHECK(bomb.read_error->detail == "member expands past --max-member-bytes (1048576)");
    CHECK(bomb.bytes.size() <= limits.max_member_bytes);
    CHECK(w.budget.expanded_bytes <= limits.max_member_bytes + 256 * 1024);
  }
}

TEST_CASE("ArchiveWalk: an expansion ratio above max_ratio fails while the member is read") {
  for (auto& [how, stream] : both_ways("bomb.zip")) {
    INFO(how);
    Limits limits;
    limits.ratio_floor_bytes = 64 * 1024;
    limits.max_ratio = 100;  // 4 MiB from 4 KiB is 1000:1
    const Walk w = walk(*stream, host_parent("bomb.zip"), limits);
    REQUIRE(w.members.size() == 1);
    REQUIRE(w.members[0].read_error);
    CHECK(w.members[0].read_error->code == Errc::resource_exhausted);
    CHECK(w.members[0].read_error->detail == "expansion ratio above --max-ratio (100:1)");
    CHECK(w.members[0].bytes.size() < (4u << 20));
  }
}

TEST_CASE("ArchiveWalk: the archive budget is shared and limited by max_archive_bytes") {
  Limits limits;
  limits.max_archive_bytes = 500;
  MemoryStream stream(read_fixture("basic.zip"));
  const Walk w = walk(stream, host_parent("basic.zip"), limits);
  REQUIRE(w.members.size() == 3);  // readme (116) fits, numbers.bin (1000) does not
  CHECK_FALSE(w.members[0].read_error);
  REQUIRE(w.members[2].read_error);
  CHECK(w.members[2].read_error->code == Errc::resource_exhausted);
  CHECK(w.members[2].read_error->detail == "archive expands past --max-archive-bytes (500)");

  // A budget already spent by an enclosing archive counts too.
  MemoryStream again(read_fixture("basic.zip"));
  ArchiveBudget spent{450};
  std::optional<Error> first_error;
  auto status = walk_archive(
      again, host_parent("basic.zip"), limits, spent,
      [&](ItemInfo&, ByteStream& data) {
        std::byte block[4096];
        auto n = data.read(block);
        if (!n) first_error = n.error();
        return !first_error;
      },
      [](const std::string&, const Error&) {});
  CHECK(status.ok());
  REQUIRE(first_error);
  CHECK(first_error->code == Errc::resource_exhausted);
}

TEST_CASE("ArchiveWalk: more members than max_entries is an error after the allowed ones") {
  for (auto& [how, stream] : both_ways("basic.zip")) {
    INFO(how);
    Limits limits;
    limits.max_entries = 2;
    const Walk w = walk(*stream, host_parent("basic.zip"), limits);
    CHECK(w.status.ok());
    CHECK(w.members.size() == 2);
    REQUIRE(w.errors.size() == 1);
    CHECK(w.errors[0].first == "/ev/basic.zip");
    CHECK(w.errors[0].second.code == Errc::resource_exhausted);
    CHECK(w.errors[0].second.detail == "more than --max-entries (2) members");
  }
}

}  // namespace trawl::io
