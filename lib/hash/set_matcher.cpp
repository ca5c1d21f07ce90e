#include "hash/set_matcher.hpp"

#include <algorithm>
#include <map>

namespace trawl::hash {
namespace {

std::optional<std::vector<uint8_t>> binary(Algorithm a, const std::string& hex) { return parse_hex(hex, digest_size(a)); }

bool entry_has(const IndexMatch& m, Algorithm a) {
  switch (a) {
    case Algorithm::md5: return m.has_md5;
    case Algorithm::sha1: return m.has_sha1;
    case Algorithm::sha256: return m.has_sha256;
    case Algorithm::sha512: return m.has_sha512;
  }
  return false;
}

}  // namespace

SetMatcher::SetMatcher(std::vector<LoadedSet> good, std::vector<LoadedSet> bad, CategoryProfile profile)
    : good_(std::move(good)), bad_(std::move(bad)), profile_(profile) {}

std::vector<Algorithm> SetMatcher::algorithms() const {
  std::vector<Algorithm> out;
  for (const auto* list : {&good_, &bad_})
    for (const auto& s : *list)
      for (Algorithm a : s.index->algorithms())
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  return out;
}

std::optional<std::string> SetMatcher::known_good(const ItemDigests& digests) const {
  for (const auto& set : good_) {
    const auto held = set.index->algorithms();
    for (const auto& [a, hex] : digests) {
      if (std::find(held.begin(), held.end(), a) == held.end()) continue;
      auto bytes = binary(a, hex);
      if (bytes && set.index->contains(a, *bytes)) return set.label;
    }
  }
  return std::nullopt;
}

std::vector<record::Record> SetMatcher::match_bad(const record::Record& item, const ItemDigests& digests) const {
  std::vector<record::Record> out;
  for (const auto& set : bad_) {
    const auto held = set.index->algorithms();
    // entry -> (what the set says about it, which of our digests hit it)
    std::map<uint64_t, std::pair<IndexMatch, std::vector<Algorithm>>> hits;
    for (const auto& [a, hex] : digests) {
      if (std::find(held.begin(), held.end(), a) == held.end()) continue;
      auto bytes = binary(a, hex);
      if (!bytes) continue;
      for (auto& m : set.index->find(a, *bytes)) {
        auto& slot = hits[m.entry];
        if (slot.second.empty()) slot.first = std::move(m);
        slot.second.push_back(a);
      }
    }
    for (const auto& [entry, hit] : hits) {
      const IndexMatch& m = hit.first;
      const auto& matched = hit.second;
      // Partial: the entry has a digest we computed that did not hit it.
      bool partial = false;
      for (const auto& [a, hex] : digests)
        if (entry_has(m, a) && std::find(matched.begin(), matched.end(), a) == matched.end()) partial = true;
      record::Record r = item;
      r.set("type", "match");
      r.set("set", set.label);
      r.set("set_kind", set_kind_name(set.index->meta().kind));
      if (!set.index->meta().version.empty()) r.set("set_version", set.index->meta().version);
      std::string names;
      for (Algorithm a : matched) names += std::string(names.empty() ? "" : ",") + algorithm_name(a);
      r.set("matched", names);
      r.set("partial", partial);
      r.set("entry", entry);
      const Provenance& p = m.provenance;
      if (!p.name.empty()) r.set("entry_name", p.name);
      if (!p.category.empty()) {
        r.set("category", p.category);
        r.set("category_profile", category_profile_name(profile_));
        const std::string label = category_label(profile_, p.category);
        if (!label.empty()) r.set("category_label", label);
      }
      if (!p.product.empty()) r.set("product", p.product);
      if (!p.media_id.empty()) r.set("media_id", p.media_id);
      if (!p.series.empty()) r.set("series", p.series);
      if (p.victim_identified) r.set("victim_identified", *p.victim_identified);
      if (p.is_distributed) r.set("is_distributed", *p.is_distributed);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace trawl::hash
