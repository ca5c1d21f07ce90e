#include "io/ext_dir_block.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

namespace trawl::io {
namespace {

/// Builds directory blocks entry by entry, in the layout with a type byte (or a two-byte name length).
class BlockWriter {
 public:
  explicit BlockWriter(size_t size, bool file_type = true) : bytes_(size), file_type_(file_type) {}
  /// An entry at `at` with rec_len `record`.
  BlockWriter& entry(size_t at, uint32_t inode, size_t record, const std::string& name, uint8_t type = 1) {
    put16(at + 4, static_cast<uint16_t>(record));
    put32(at, inode);
    if (file_type_) {
      bytes_[at + 6] = static_cast<std::byte>(name.size());
      bytes_[at + 7] = static_cast<std::byte>(type);
    } else {
      put16(at + 6, static_cast<uint16_t>(name.size()));
    }
    std::memcpy(bytes_.data() + at + 8, name.data(), name.size());
    return *this;
  }
  /// Overwrites an entry's rec_len, as deleting the entry after it does.
  BlockWriter& record(size_t at, size_t record) {
    put16(at + 4, static_cast<uint16_t>(record));
    return *this;
  }
  const std::vector<std::byte>& bytes() const { return bytes_; }

 private:
  void put16(size_t at, uint16_t v) {
    bytes_[at] = static_cast<std::byte>(v & 0xff);
    bytes_[at + 1] = static_cast<std::byte>(v >> 8);
  }
  void put32(size_t at, uint32_t v) {
    put16(at, static_cast<uint16_t>(v & 0xffff));
    put16(at + 2, static_cast<uint16_t>(v >> 16));
  }
  std::vector<std::byte> bytes_;
  bool file_type_;
};

std::vector<std::string> names(const std::vector<ExtDirEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.name + (e.deleted ? "*" : ""));
  return out;
}

TEST_CASE("parse_ext_dir_block: the rec_len chain gives the live names in order") {
  BlockWriter b(1024);
  b.entry(0, 2, 12, ".", 2).entry(12, 2, 12, "..", 2).entry(24, 12, 20, "notes.txt").entry(44, 13, 980, "photos", 2);
  const auto entries = parse_ext_dir_block(b.bytes(), 100, true, false);
  CHECK(names(entries) == std::vector<std::string>{".", "..", "notes.txt", "photos"});
  REQUIRE(entries.size() == 4);
  CHECK(entries[2].inode == 12);
  CHECK(entries[2].file_type == 1);
  CHECK(entries[3].file_type == 2);
  CHECK(entries[3].offset == 44);
}

TEST_CASE("parse_ext_dir_block: a deleted entry is found in the slack of the one before it") {
  BlockWriter b(1024);
  // a.txt at 24, gone.txt at 40, c.txt at 56; deleting gone.txt lengthens a.txt's rec_len over it.
  b.entry(0, 2, 12, ".", 2).entry(12, 2, 12, "..", 2).entry(24, 12, 16, "a.txt").entry(40, 13, 16, "gone.txt");
  b.entry(56, 14, 968, "c.txt").record(24, 32);
  CHECK(names(parse_ext_dir_block(b.bytes(), 100, true, false)) ==
        std::vector<std::string>{".", "..", "a.txt", "gone.txt*", "c.txt"});
  // In a deleted directory every name is deleted.
  CHECK(names(parse_ext_dir_block(b.bytes(), 100, true, true)) ==
        std::vector<std::string>{".*", "..*", "a.txt*", "gone.txt*", "c.txt*"});
}

TEST_CASE("parse_ext_dir_block: the first entry of a block, deleted, keeps its name with inode 0") {
  BlockWriter b(1024);
  b.entry(0, 0, 20, "first.txt").entry(20, 15, 1004, "second.txt");
  const auto entries = parse_ext_dir_block(b.bytes(), 100, true, false);
  CHECK(names(entries) == std::vector<std::string>{"first.txt*", "second.txt"});
  CHECK(entries[0].inode == 0);
}

TEST_CASE("parse_ext_dir_block: implausible entries are skipped, never read past the block") {
  SUBCASE("inode past the last one") {
    BlockWriter b(64);
    b.entry(0, 101, 64, "x");
    CHECK(parse_ext_dir_block(b.bytes(), 100, true, false).empty());
  }
  SUBCASE("rec_len past the block, too short, or not a multiple of four") {
    for (size_t record : {68u, 8u, 14u, 0u}) {
      BlockWriter b(64);
      b.entry(0, 5, record, "name");
      CHECK(parse_ext_dir_block(b.bytes(), 100, true, false).empty());
    }
  }
  SUBCASE("an empty name") {
    BlockWriter b(64);
    b.entry(0, 5, 64, "");
    CHECK(parse_ext_dir_block(b.bytes(), 100, true, false).empty());
  }
  SUBCASE("blocks shorter than the smallest entry") {
    std::vector<std::byte> tiny(11, std::byte{0x41});
    CHECK(parse_ext_dir_block(tiny, 100, true, false).empty());
    CHECK(parse_ext_dir_block({}, 100, true, false).empty());
  }
  SUBCASE("garbage before a plausible entry is stepped over four bytes at a time") {
    BlockWriter b(64);
    b.entry(0, 0xffffffffu, 64, "junk").entry(16, 7, 48, "real");
    CHECK(names(parse_ext_dir_block(b.bytes(), 100, true, false)) == std::vector<std::string>{"real"});
  }
}

TEST_CASE("parse_ext_dir_block: a name ends at a NUL byte, as libtsk copies it") {
  BlockWriter b(64);
  b.entry(0, 5, 64, std::string("ab\0cd", 5));
  const auto entries = parse_ext_dir_block(b.bytes(), 100, true, false);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "ab");
}

TEST_CASE("parse_ext_dir_block: without the filetype feature the name length has two bytes") {
  BlockWriter b(1024, false);
  b.entry(0, 2, 12, ".").entry(12, 2, 1012, "..");
  b.entry(24, 12, 1000, "old-style-name");
  b.record(12, 12);
  const auto entries = parse_ext_dir_block(b.bytes(), 100, false, false);
  CHECK(names(entries) == std::vector<std::string>{".", "..", "old-style-name"});
  CHECK(entries[2].file_type == 0);
  // Read with the other layout, the high byte of the length is taken for a type and the names still parse.
  CHECK(parse_ext_dir_block(b.bytes(), 100, true, false).size() == 3);
}

}  // namespace
}  // namespace trawl::io
