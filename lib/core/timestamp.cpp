#include "core/timestamp.hpp"

#include <chrono>
#include <cstdint>
#include <fmt/format.h>

namespace trawl {
namespace {
// Howard Hinnant's days-to-civil: exact for the whole int64 day range we accept.
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}
}  // namespace

std::string format_rfc3339(int64_t seconds, uint32_t nanos) {
  // A corrupt time field may carry a second or more in its nanoseconds.
  if (nanos >= 1000000000u) {
    const int64_t carry = nanos / 1000000000u;
    if (seconds <= INT64_MAX - carry) seconds += carry;
    nanos %= 1000000000u;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto hh = rem / 3600, mm = rem % 3600 / 60, ss = rem % 60;
  if (nanos == 0) return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, hh, mm, ss);
  std::string frac = fmt::format("{:09}", nanos);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{}Z", y, m, d, hh, mm, ss, frac);
}

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return format_rfc3339(us / 1000000, static_cast<uint32_t>(us % 1000000) * 1000u);
}

}  // namespace trawl
