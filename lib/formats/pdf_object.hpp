#pragma once
// The PDF object syntax needed for metadata: dictionaries, arrays, names,
// literal and hex strings, numbers, references, booleans, null. Parsing is
// bounded in depth and entries; anything unexpected ends the object with
// an error instead of guessing.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::formats::pdf {

struct Value {
  enum class Kind { null, boolean, integer, real, string, name, array, dict, ref };
  Kind kind = Kind::null;
  bool boolean = false;
  int64_t integer = 0;  ///< also the object number of a ref
  double real = 0;
  uint32_t generation = 0;  ///< of a ref
  std::string text;         ///< string bytes (escapes resolved) or name (#xx resolved)
  uint64_t offset = 0;      ///< of the token's first byte in the parsed buffer
  uint64_t text_offset = 0;  ///< of the string's content (after '(' or '<')
  std::vector<std::string> keys;  ///< dict keys, parallel to items
  std::vector<Value> items;       ///< array elements or dict values

  const Value* get(std::string_view key) const;
  bool is_name(std::string_view name) const { return kind == Kind::name && text == name; }
};

struct ParseLimits {
  uint32_t max_depth = 16;
  uint32_t max_entries = 10'000;
  uint64_t max_string = 1 << 20;
};

/// Parses one value starting at `pos` (whitespace and comments skipped);
/// on success `pos` is just past it.
bool parse_value(std::span<const uint8_t> data, uint64_t& pos, const ParseLimits& limits, Value& out);

bool is_whitespace(uint8_t c);
bool is_delimiter(uint8_t c);
void skip_space(std::span<const uint8_t> data, uint64_t& pos);

}  // namespace trawl::formats::pdf
