#include "io/detect.hpp"

#include <cstdint>

namespace trawl::io {

using namespace std::string_view_literals;  // magics with NUL bytes must keep them: use "..."sv

namespace {

bool at(std::string_view head, size_t offset, std::string_view magic) {
  return offset <= head.size() && magic.size() <= head.size() - offset && head.substr(offset, magic.size()) == magic;
}

unsigned byte(std::string_view head, size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; }

bool is_filesystem(std::string_view h) {
  const bool boot_jump = byte(h, 0) == 0xEB || byte(h, 0) == 0xE9;
  if (at(h, 3, "NTFS    ") || at(h, 3, "EXFAT   ")) return true;
  if (boot_jump && (at(h, 54, "FAT12   ") || at(h, 54, "FAT16   ") || at(h, 54, "FAT     ") || at(h, 82, "FAT32   ")))
    return true;
  // ext2/3/4: superblock magic, and a block size of at most 64 KiB
  // (s_log_block_size <= 6) so that random data rarely passes.
  if (byte(h, 1080) == 0x53 && byte(h, 1081) == 0xEF && byte(h, 1048) <= 6 && byte(h, 1049) == 0 &&
      byte(h, 1050) == 0 && byte(h, 1051) == 0)
    return true;
  // HFS+ / HFSX volume header: signature and its version (4 or 5), big-endian.
  if ((at(h, 1024, "H+") && byte(h, 1026) == 0 && byte(h, 1027) == 4) ||
      (at(h, 1024, "HX") && byte(h, 1026) == 0 && byte(h, 1027) == 5))
    return true;
  if (at(h, 32769, "CD001")) return true;                           // ISO 9660 primary descriptor
  return false;
}

bool is_partition_table(std::string_view h) {
  if (at(h, 512, "EFI PART") || at(h, 4096, "EFI PART")) return true;
  if (byte(h, 510) != 0x55 || byte(h, 511) != 0xAA) return false;
  // An MBR: four entries with a sane status byte and at least one used type.
  bool any = false;
  for (size_t e = 0; e < 4; ++e) {
    const size_t base = 446 + e * 16;
    const unsigned status = byte(h, base);
    if (status != 0x00 && status != 0x80) return false;
    if (byte(h, base + 4) != 0) any = true;
  }
  return any;
}

}  // namespace

bool looks_like_archive(std::string_view h) {
  return at(h, 0, "PK\x03\x04") || at(h, 0, "PK\x05\x06") || at(h, 0, "PK\x07\x08") ||  // zip
         at(h, 257, "ustar") ||                                                          // tar
         at(h, 0, "\x1f\x8b") ||                                                         // gzip
         at(h, 0, "BZh") ||                                                              // bzip2
         at(h, 0, "\xfd" "7zXZ\x00"sv) ||                                                // xz
         at(h, 0, "\x28\xb5\x2f\xfd") ||                                                 // zstd
         at(h, 0, "7z\xbc\xaf\x27\x1c") ||                                               // 7z
         at(h, 0, "Rar!\x1a\x07") ||                                                     // rar 4/5
         at(h, 0, "070707") || at(h, 0, "070701") || at(h, 0, "070702") ||               // cpio ascii
         at(h, 0, "\xc7\x71") || at(h, 0, "\x71\xc7") ||                                 // cpio binary
         at(h, 0, "\x5d\x00\x00"sv) ||                                                   // lzma alone
         at(h, 0, "!<arch>\n") ||                                                        // ar
         at(h, 0, "xar!") ||                                                             // xar
         at(h, 0, "MSCF");                                                               // cab
}

ContentKind detect_content(std::string_view h) {
  if (at(h, 0, "EVF\x09\x0d\x0a\xff\x00"sv)) {
    // EWF segment number: little-endian 16 bits at offset 9.
    const unsigned segment = byte(h, 9) | byte(h, 10) << 8;
    return segment == 1 ? ContentKind::ewf : ContentKind::ewf_later;
  }
  if (is_filesystem(h)) return ContentKind::filesystem;
  if (is_partition_table(h)) return ContentKind::volume;
  if (looks_like_archive(h)) return ContentKind::archive;
  return ContentKind::plain;
}

}  // namespace trawl::io
