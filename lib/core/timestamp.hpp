#pragma once
#include <cstdint>
#include <string>

namespace trawl {

/// RFC 3339 in UTC ("2020-01-01T00:00:00Z"), with nanoseconds only when non-zero.
std::string format_rfc3339(int64_t seconds, uint32_t nanos = 0);
/// The current wall-clock time in RFC 3339 UTC with microseconds.
std::string now_rfc3339();

}  // namespace trawl
