#include "io/detect.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace trawl::io {
namespace {

/// `size` zero bytes with `magic` written at `offset`.
std::string head_with(size_t size, size_t offset, std::string_view magic) {
  std::string head(size, '\0');
  head.replace(offset, magic.size(), magic);
  return head;
}

void put(std::string& head, size_t offset, std::string_view bytes) { head.replace(offset, bytes.size(), bytes); }

/// A sector with an MBR signature and one partition entry of `type` with `status`.
std::string mbr(unsigned char status, unsigned char type) {
  std::string head(512, '\0');
  head[446] = static_cast<char>(status);
  head[446 + 4] = static_cast<char>(type);
  put(head, 510, "\x55\xAA");
  return head;
}

/// A FAT boot sector: jump, OEM name, file-system type string at `type_at`, signature.
std::string fat_boot(size_t type_at, std::string_view type) {
  std::string head(512, '\0');
  put(head, 0, "\xEB\x3C\x90" "mkfs.fat");
  put(head, type_at, type);
  put(head, 510, "\x55\xAA");
  return head;
}

std::string ewf_header(unsigned segment) {
  std::string head = "EVF\x09\x0d\x0a\xff";
  head += '\0';
  head += '\x01';  // fields start
  head += static_cast<char>(segment & 0xFF);
  head += static_cast<char>(segment >> 8);
  head += std::string(2, '\0');
  return head;
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(TRAWL_SOURCE_DIR) + "/tests/data/archives/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("Detect: MBR and GPT partition tables are volumes") {
  CHECK(detect_content(mbr(0x80, 0x83)) == ContentKind::volume);
  CHECK(detect_content(mbr(0x00, 0x07)) == ContentKind::volume);
  std::string gpt = mbr(0x00, 0xEE);  // protective MBR
  gpt.resize(1024, '\0');
  put(gpt, 512, "EFI PART");
  CHECK(detect_content(gpt) == ContentKind::volume);
  // 4 KiB sectors put the GPT header at 4096, after an MBR that may be missing.
  CHECK(detect_content(head_with(8192, 4096, "EFI PART")) == ContentKind::volume);
}

TEST_CASE("Detect: a 55AA signature alone is not a partition table") {
  CHECK(detect_content(mbr(0x00, 0x00)) == ContentKind::plain);  // no used entry
  CHECK(detect_content(mbr(0x12, 0x83)) == ContentKind::plain);  // impossible status byte
  std::string two = mbr(0x80, 0x83);
  two[446 + 16] = 0x7F;  // second entry's status
  CHECK(detect_content(two) == ContentKind::plain);
  CHECK(detect_content(mbr(0x80, 0x83).substr(0, 511)) == ContentKind::plain);  // signature cut off
}

TEST_CASE("Detect: FAT12, FAT16 and FAT32 boot sectors are file systems") {
  CHECK(detect_content(fat_boot(54, "FAT12   ")) == ContentKind::filesystem);
  CHECK(detect_content(fat_boot(54, "FAT16   ")) == ContentKind::filesystem);
  CHECK(detect_content(fat_boot(54, "FAT     ")) == ContentKind::filesystem);
  CHECK(detect_content(fat_boot(82, "FAT32   ")) == ContentKind::filesystem);
  std::string e9 = fat_boot(82, "FAT32   ");
  e9[0] = '\xE9';  // the other jump form
  CHECK(detect_content(e9) == ContentKind::filesystem);
}

TEST_CASE("Detect: a FAT type string without a boot jump is not a file system") {
  std::string no_jump = fat_boot(54, "FAT16   ");
  no_jump[0] = '\0';
  // Its 55AA and empty table make it nothing at all.
  CHECK(detect_content(no_jump) == ContentKind::plain);
  CHECK(detect_content(fat_boot(54, "FAT32   ")) != ContentKind::filesystem);  // FAT32 lives at 82
}

TEST_CASE("Detect: ext, NTFS, exFAT, HFS+ and ISO 9660 are file systems") {
  CHECK(detect_content(head_with(2048, 1080, "\x53\xEF")) == ContentKind::filesystem);
  CHECK(detect_content(head_with(512, 3, "NTFS    ")) == ContentKind::filesystem);
  CHECK(detect_content(head_with(512, 3, "EXFAT   ")) == ContentKind::filesystem);
  CHECK(detect_content(head_with(2048, 1024, std::string("H+\x00\x04", 4))) == ContentKind::filesystem);
  CHECK(detect_content(head_with(2048, 1024, std::string("HX\x00\x05", 4))) == ContentKind::filesystem);
  CHECK(detect_content(head_with(kDetectHeadBytes, 32769, "CD001")) == ContentKind::filesystem);
  CHECK(detect_content(head_with(32769 + 5, 32769, "CD001")) == ContentKind::filesystem);
}

TEST_CASE("Detect: a file-system magic cut off by the end of the head does not match") {
  CHECK(detect_content(head_with(2048, 1080, "\x53\xEF").substr(0, 1081)) == ContentKind::plain);
  CHECK(detect_content(head_with(32769 + 5, 32769, "CD001").substr(0, 32769 + 4)) == ContentKind::plain);
  CHECK(detect_content(head_with(512, 3, "NTFS    ").substr(0, 10)) == ContentKind::plain);
  CHECK(detect_content(head_with(2048, 1080, "\x53\xEE")) == ContentKind::plain);  // wrong magic
  CHECK(detect_content(head_with(kDetectHeadBytes, 32768, "CD001")) == ContentKind::plain);  // one byte early
}

TEST_CASE("Detect: two-byte magics need their neighbouring fields, so random data rarely passes") {
  CHECK(detect_content(head_with(2048, 1024, "H+")) == ContentKind::plain);  // no version 4
  CHECK(detect_content(head_with(2048, 1024, std::string("HX\x00\x04", 4))) == ContentKind::plain);
  std::string ext = head_with(2048, 1080, "\x53\xEF");
  ext[1048] = 7;  // a 2^(10+7) = 128 KiB block size does not exist
  CHECK(detect_content(ext) == ContentKind::plain);
}

TEST_CASE("Detect: the first EWF segment opens, later segments are plain files") {
  CHECK(detect_content(ewf_header(1)) == ContentKind::ewf);
  CHECK(detect_content(ewf_header(2)) == ContentKind::ewf_later);
  CHECK(detect_content(ewf_header(0x0101)) == ContentKind::ewf_later);  // 257, not 1
  CHECK(detect_content(ewf_header(0)) == ContentKind::ewf_later);
  // A signature cut before the segment number reads as segment 0.
  CHECK(detect_content(ewf_header(1).substr(0, 9)) == ContentKind::ewf_later);
  CHECK(detect_content(ewf_header(1).substr(0, 7)) == ContentKind::plain);
  CHECK(detect_content("EVF2\r\n\x81\x00") == ContentKind::plain);  // EWF2 (Ex01) is not this format
}

TEST_CASE("Detect: archives and compressed streams by their magic") {
  CHECK(detect_content("PK\x03\x04" "rest") == ContentKind::archive);   // zip
  CHECK(detect_content(std::string("PK\x05\x06", 4) + std::string(18, '\0')) == ContentKind::archive);  // empty zip
  CHECK(detect_content("\x1f\x8b\x08\x00") == ContentKind::archive);  // gzip
  CHECK(detect_content(head_with(512, 257, "ustar\0" "00")) == ContentKind::archive);
  CHECK(detect_content(head_with(512, 257, "ustar  ")) == ContentKind::archive);  // GNU tar
  CHECK(detect_content("7z\xbc\xaf\x27\x1c\x00\x04") == ContentKind::archive);
  CHECK(detect_content(std::string("\xfd" "7zXZ\x00\x00", 7)) == ContentKind::archive);  // xz
  CHECK(detect_content("\x28\xb5\x2f\xfd\x24") == ContentKind::archive);  // zstd
  CHECK(detect_content("BZh91AY&SY") == ContentKind::archive);
  CHECK(detect_content("Rar!\x1a\x07\x01") == ContentKind::archive);
  CHECK(detect_content("!<arch>\n") == ContentKind::archive);
  CHECK(detect_content("MSCF") == ContentKind::archive);
  CHECK(detect_content(std::string("\x5d\x00\x00\x80\x00", 5)) == ContentKind::archive);  // lzma alone
  CHECK(looks_like_archive("PK\x03\x04"));
  CHECK(looks_like_archive(head_with(512, 257, "ustar")));
}

TEST_CASE("Detect: the committed fixture archives are archives") {
  for (const char* name : {"basic.zip", "basic.tar.gz", "note.txt.gz", "basic.7z", "encrypted.zip", "truncated.zip",
                           "bomb.zip"}) {
    INFO(name);
    CHECK(detect_content(read_fixture(name)) == ContentKind::archive);
  }
}

TEST_CASE("Detect: text, empty and near-miss heads are plain") {
  CHECK(detect_content("") == ContentKind::plain);
  CHECK_FALSE(looks_like_archive(""));
  CHECK(detect_content("hello, world\n") == ContentKind::plain);
  CHECK(detect_content(std::string(kDetectHeadBytes, 'A')) == ContentKind::plain);
  CHECK(detect_content("PK\x03") == ContentKind::plain);         // zip magic cut short
  CHECK(detect_content("PK\x01\x02") == ContentKind::plain);     // a central directory entry alone
  CHECK(detect_content("\x1f") == ContentKind::plain);
  // Magics that end in NUL bytes need them: "]" alone is text, not an lzma stream.
  CHECK(detect_content("] closing bracket\n") == ContentKind::plain);
  CHECK(detect_content("\xfd" "7zXZ!") == ContentKind::plain);
  CHECK(detect_content("7z\xbc\xaf\x27") == ContentKind::plain);
  CHECK(detect_content(head_with(512, 256, "ustar")) == ContentKind::plain);  // one byte early
  CHECK(detect_content(head_with(260, 257, "ust")) == ContentKind::plain);
  CHECK_FALSE(looks_like_archive(std::string(600, '\0')));
}

TEST_CASE("Detect: an image wins over an archive magic in the same head") {
  // A FAT boot sector whose jump bytes happen to be followed by archive-looking data elsewhere.
  std::string fat = fat_boot(54, "FAT16   ");
  fat.resize(1024, '\0');
  put(fat, 257, "ustar");
  CHECK(detect_content(fat) == ContentKind::filesystem);
}

}  // namespace trawl::io
