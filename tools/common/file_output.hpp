#pragma once
// Side files the tools write (extracted objects, previews, GeoJSON/KML):
// one loop that writes a whole buffer, so short writes are handled once.
#include <cstddef>
#include <span>

namespace trawl::cli {

/// Writes all of `bytes` to `fd`, continuing after short writes and EINTR;
/// false on any other failure. The caller opens and closes `fd`.
bool write_all(int fd, std::span<const std::byte> bytes);

}  // namespace trawl::cli
