#pragma once
// A small bounded JSON reader for wallet files found in raw bytes (Electrum,
// keystore v3, MetaMask vaults, Blockchain.com). It reads one value from the
// start of a byte span and says how many bytes it used, so a carver can find
// the exact end of an object in the middle of unallocated space.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace trawl::scan {

enum class JsonType { null, boolean, number, string, array, object };

struct JsonMember;

struct JsonValue {
  JsonType type = JsonType::null;
  bool boolean = false;
  std::string text;  ///< string contents (unescaped) or the number as written
  std::vector<JsonValue> items;                             ///< array
  std::vector<JsonMember> members;                          ///< object, in file order

  /// The member named `key` of an object, or null.
  const JsonValue* find(std::string_view key) const;
  /// The string member `key`, or empty when absent or not a string.
  std::string string_of(std::string_view key) const;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

struct JsonParse {
  JsonValue value;
  std::size_t length = 0;  ///< bytes used, from the first byte of the span
};

/// Reads one JSON value at the start of `text` (leading white space allowed).
/// Nesting is limited to 32 levels and strings to the span itself.
/// Errors: data_loss (not JSON, or truncated).
Result<JsonParse> parse_json_prefix(std::string_view text);

}  // namespace trawl::scan
