#pragma once
// Decides what an input is from its first bytes, never from its name.
#include <string_view>

namespace trawl::io {

enum class ContentKind {
  plain,       ///< nothing trawl opens further
  ewf,         ///< first segment of an EWF (E01) set
  ewf_later,   ///< a later EWF segment (E02...): a plain file, its set opens from E01
  volume,      ///< MBR or GPT partition table
  filesystem,  ///< a bare file system (FAT, NTFS, exFAT, ext, HFS+, ISO 9660)
  archive,     ///< something libarchive reads (zip, tar, 7z, rar, cpio, compressed streams)
};

/// How many leading bytes detect_content wants (ISO 9660 sits at 32 KiB).
inline constexpr size_t kDetectHeadBytes = 36 * 1024;

/// Classifies `head` (the first bytes of an item; may be shorter than kDetectHeadBytes).
ContentKind detect_content(std::string_view head);

/// True when `head` looks like an archive or compressed stream libarchive reads.
bool looks_like_archive(std::string_view head);

}  // namespace trawl::io
