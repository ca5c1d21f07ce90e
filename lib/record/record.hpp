#pragma once
// The record model: a flat, ordered set of named values. One record is one
// JSON object on one line of a tool's stdout. Field names are the stable
// interface documented in trawl-records(5).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace trawl::record {

/// Version of the record schema; bumped only on a breaking change.
inline constexpr int kSchemaVersion = 1;

/// A nested JSON value from an upstream record, passed through untouched.
struct RawJson {
  std::string text;
  bool operator==(const RawJson&) const = default;
};

/// Strings hold raw bytes; writers decide how to keep non-UTF-8 bytes exactly.
using Value = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, RawJson>;

struct Field {
  std::string key;
  Value value;
};

class Record {
 public:
  Record() = default;
  /// A record that starts with `type`, `tool` and `schema`, the fields every record has.
  Record(std::string_view type, std::string_view tool);

  /// Sets `key`, replacing an existing value in place (order is kept) or appending.
  Record& set(std::string_view key, Value value);
  Record& set(std::string_view key, double value) { return set(key, Value(value)); }
  Record& set(std::string_view key, bool value) { return set(key, Value(value)); }
  Record& set(std::string_view key, std::string text) { return set(key, Value(std::move(text))); }
  Record& set(std::string_view key, const char* text) { return set(key, Value(std::string(text))); }
  Record& set(std::string_view key, std::string_view text) { return set(key, Value(std::string(text))); }
  Record& set(std::string_view key, int value) { return set(key, Value(static_cast<int64_t>(value))); }
  Record& set(std::string_view key, unsigned value) { return set(key, Value(static_cast<uint64_t>(value))); }
  Record& set(std::string_view key, unsigned long value) { return set(key, Value(static_cast<uint64_t>(value))); }
  Record& set(std::string_view key, unsigned long long value) { return set(key, Value(static_cast<uint64_t>(value))); }
  Record& set(std::string_view key, long value) { return set(key, Value(static_cast<int64_t>(value))); }
  Record& set(std::string_view key, long long value) { return set(key, Value(static_cast<int64_t>(value))); }
  void erase(std::string_view key);

  const Value* get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
  /// The value as text when it is a string; nullopt otherwise.
  std::optional<std::string> get_string(std::string_view key) const;
  /// The value as an unsigned integer when it is a non-negative integer (or an
  /// integral double, as other JSON producers may write).
  std::optional<uint64_t> get_uint(std::string_view key) const;
  std::optional<bool> get_bool(std::string_view key) const;

  const std::vector<Field>& fields() const { return fields_; }
  std::string type() const { return get_string("type").value_or(""); }

 private:
  std::vector<Field> fields_;
};

}  // namespace trawl::record
