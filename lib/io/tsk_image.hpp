#pragma once
// Disk images through The Sleuth Kit: raw, split raw and E01 containers, DOS
// and GPT partition tables, and every file system libtsk reads. This header
// names no libtsk type; tsk_image.cpp is the only file including libtsk.
#include <cstdint>
#include <memory>
#include <string>

#include "io/byte_stream.hpp"
#include "io/walk.hpp"

namespace trawl::io {

/// Walks the image at `image_path` (first segment of a split or EWF set):
/// partitions, file systems, every file and stream including deleted ones,
/// and with options.unallocated / options.raw the byte ranges. Items are
/// reported with display paths starting at `display_prefix`. Returns an error
/// only when the image cannot be opened at all.
Status walk_image(const std::string& source, const std::string& image_path, const std::string& display_prefix,
                  const WalkOptions& options, WalkVisitor& visitor);

/// Opens a file or NTFS stream by metadata address (`inode` as in ItemInfo)
/// in the file system at `partition_offset`. Each thread keeps its own libtsk
/// handles, so EWF reads in different workers do not serialise.
Result<std::unique_ptr<ByteStream>> open_image_file(const std::string& image_path, uint64_t partition_offset,
                                                    const std::string& inode);

/// Opens `length` bytes at absolute `offset` of the image media.
Result<std::unique_ptr<ByteStream>> open_image_range(const std::string& image_path, uint64_t offset, uint64_t length);

/// True when libtsk opens the image and finds a partition table or a file
/// system in it.
bool image_is_recognised(const std::string& image_path);

/// Size of the image media in bytes.
Result<uint64_t> image_media_size(const std::string& image_path);

}  // namespace trawl::io
