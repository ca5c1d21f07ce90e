// Fuzzes the JSON Lines reader. Properties checked:
//  - parse_json_record never crashes, hangs or grows without bound;
//  - whatever it accepts survives append_json and a second parse: the same
//    keys in the same order and the same values (numbers compare by value,
//    since the writer prints an integral double such as 1.0 as "1"), and
//    writing the second record yields the same line as the first;
//  - JsonlReader over the same bytes terminates and returns each line once.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "record/jsonl_reader.hpp"
#include "record/jsonl_writer.hpp"

namespace {

using trawl::record::Record;
using trawl::record::Value;

/// The numeric value as a long double (exact for every int64 and uint64).
bool as_number(const Value& v, long double& out) {
  if (const auto* i = std::get_if<int64_t>(&v)) return out = static_cast<long double>(*i), true;
  if (const auto* u = std::get_if<uint64_t>(&v)) return out = static_cast<long double>(*u), true;
  if (const auto* d = std::get_if<double>(&v)) return out = *d, true;
  return false;
}

bool same_value(const Value& a, const Value& b) {
  long double x = 0;
  long double y = 0;
  if (as_number(a, x) && as_number(b, y)) return x == y;
  return a == b;
}

bool same_record(const Record& a, const Record& b) {
  if (a.fields().size() != b.fields().size()) return false;
  for (size_t i = 0; i < a.fields().size(); ++i) {
    if (a.fields()[i].key != b.fields()[i].key) return false;
    if (!same_value(a.fields()[i].value, b.fields()[i].value)) return false;
  }
  return true;
}

void check_round_trip(std::string_view input) {
  auto first = trawl::record::parse_json_record(input);
  if (!first.ok()) return;
  std::string line;
  trawl::record::append_json(line, first.value());
  auto second = trawl::record::parse_json_record(line);
  if (!second.ok()) __builtin_trap();
  if (!same_record(first.value(), second.value())) __builtin_trap();
  std::string again;
  trawl::record::append_json(again, second.value());
  if (again != line) __builtin_trap();
}

void check_reader(const uint8_t* data, size_t size) {
  static const int fd = memfd_create("record_reader_fuzz", 0);  // reused: one per run is slow
  if (fd < 0 || ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) return;
  size_t done = 0;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  // A small line limit, taken from the input, reaches the over-long paths.
  const size_t max_line = size > 0 ? data[0] : 0;
  trawl::record::JsonlReader reader(fd, max_line);
  size_t newlines = 0;
  for (size_t i = 0; i < size; ++i) newlines += data[i] == '\n';
  size_t calls = 0;
  for (;;) {
    if (++calls > newlines + 2) __builtin_trap();  // at most one answer per line, then the end
    auto r = reader.next();
    if (r.ok() && !r.value()) break;
  }
  if (reader.line_number() > newlines + 1) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_round_trip(input);
  check_reader(data, size);
  return 0;
}
