#pragma once
// Image verification: recompute the media digests and, for EWF, compare them
// with the digests stored at acquisition. ewf_verify.cpp is the only file
// including libewf.
#include <string>

#include "io/walk.hpp"

namespace trawl::io {

/// Hashes the whole media of `image_path` (MD5 and SHA-1). For EWF sets the
/// stored digests are read and `verified` says whether they match; for raw
/// images nothing is stored, so `verified` stays empty.
ImageCheck check_image(const std::string& image_path, const std::string& source);

}  // namespace trawl::io
