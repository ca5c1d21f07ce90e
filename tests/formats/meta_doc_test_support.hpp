#pragma once
// Helpers for the document/video metadata parser tests: run a parser over a
// fixture and look fields up by group, tag and revision.
#include <doctest/doctest.h>

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "formats/meta_field.hpp"
#include "test_support.hpp"

namespace trawl::formats::test_meta {

inline std::span<const uint8_t> span_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/// All fields named group:tag (with the given revision, unless ~0u).
inline std::vector<const MetaField*> all_of(const MetaFields& fields, const std::string& group,
                                            const std::string& tag, unsigned revision = ~0u) {
  std::vector<const MetaField*> hits;
  for (const auto& f : fields)
    if (f.group == group && f.tag == tag && (revision == ~0u || f.revision == revision)) hits.push_back(&f);
  return hits;
}

/// The one field named group:tag (revision optional); fails the test otherwise.
inline const MetaField& one_of(const MetaFields& fields, const std::string& group, const std::string& tag,
                               unsigned revision = ~0u) {
  const auto hits = all_of(fields, group, tag, revision);
  REQUIRE_MESSAGE(hits.size() == 1, group << ":" << tag << " rev " << revision << " found " << hits.size());
  return *hits[0];
}

inline std::string str(const MetaField& f) {
  REQUIRE_MESSAGE(std::holds_alternative<std::string>(f.value), f.group << ":" << f.tag << " is not a string");
  return std::get<std::string>(f.value);
}
inline int64_t num(const MetaField& f) {
  REQUIRE_MESSAGE(std::holds_alternative<int64_t>(f.value), f.group << ":" << f.tag << " is not an integer");
  return std::get<int64_t>(f.value);
}
inline double real(const MetaField& f) {
  REQUIRE_MESSAGE(std::holds_alternative<double>(f.value), f.group << ":" << f.tag << " is not a real");
  return std::get<double>(f.value);
}
inline bool flag(const MetaField& f) {
  REQUIRE_MESSAGE(std::holds_alternative<bool>(f.value), f.group << ":" << f.tag << " is not a bool");
  return std::get<bool>(f.value);
}

}  // namespace trawl::formats::test_meta
