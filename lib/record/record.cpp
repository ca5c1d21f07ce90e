#include "record/record.hpp"

#include <cmath>

namespace trawl::record {

Record::Record(std::string_view type, std::string_view tool) {
  set("type", type);
  set("tool", tool);
  set("schema", static_cast<uint64_t>(kSchemaVersion));
}

Record& Record::set(std::string_view key, Value value) {
  for (auto& field : fields_) {
    if (field.key == key) {
      field.value = std::move(value);
      return *this;
    }
  }
  fields_.push_back(Field{std::string(key), std::move(value)});
  return *this;
}

void Record::erase(std::string_view key) {
  std::erase_if(fields_, [&](const Field& f) { return f.key == key; });
}

const Value* Record::get(std::string_view key) const {
  for (const auto& field : fields_)
    if (field.key == key) return &field.value;
  return nullptr;
}

std::optional<std::string> Record::get_string(std::string_view key) const {
  const Value* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return std::nullopt;
}

std::optional<uint64_t> Record::get_uint(std::string_view key) const {
  const Value* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (const auto* u = std::get_if<uint64_t>(v)) return *u;
  if (const auto* i = std::get_if<int64_t>(v)) return *i >= 0 ? std::optional<uint64_t>(static_cast<uint64_t>(*i)) : std::nullopt;
  if (const auto* d = std::get_if<double>(v)) {
    if (*d >= 0 && *d < 1.8e19 && std::floor(*d) == *d) return static_cast<uint64_t>(*d);
  }
  return std::nullopt;
}

std::optional<bool> Record::get_bool(std::string_view key) const {
  const Value* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (const auto* b = std::get_if<bool>(v)) return *b;
  return std::nullopt;
}

}  // namespace trawl::record
