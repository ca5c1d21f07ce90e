#pragma once
// The front door of evidence access: one named source (a host file, a
// directory tree, a raw/split/E01 image, `-` for standard input) becomes a
// sequence of items, detected from content rather than from names.
#include <string>

#include "io/walk.hpp"

namespace trawl::io {

/// Walks `source`, reporting items, volumes and errors to `visitor`.
/// Directory trees are walked in byte order of names, symbolic links are
/// reported and not followed, and unreadable entries become errors.
void walk_source(const std::string& source, const WalkOptions& options, WalkVisitor& visitor);

/// Walks a host file that looks like a disk image and was found inside a
/// directory tree. When libtsk recognises nothing in it, it was just a file
/// whose bytes happened to look like an image: nothing is reported.
void walk_host_image(const std::string& source, const std::string& image_path, const std::string& display_prefix,
                     const WalkOptions& options, WalkVisitor& visitor);

/// The first bytes of a host file, for content detection.
Result<std::string> read_head(const std::string& path);

}  // namespace trawl::io
