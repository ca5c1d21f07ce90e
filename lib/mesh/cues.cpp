#include "mesh/cues.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string_view>

#include "mesh/cue_table.hpp"

namespace trawl::mesh {
namespace {

using cue_table::KeywordKind;

/// Folds the Latin-1 letters of the translated keywords (ä ö ü ß é è à ñ ç) to
/// ASCII so "Schalldämpfer" tokenises as one word; other bytes stay separators.
char fold_utf8(unsigned char lead, unsigned char next) {
  if (lead != 0xC3) return 0;
  switch (next) {
    case 0xA4: case 0x84: case 0xA0: case 0xA1: case 0xA2: case 0x80: case 0x81: return 'a';
    case 0xB6: case 0x96: case 0xB3: case 0xB2: return 'o';
    case 0xBC: case 0x9C: case 0xBA: case 0xB9: return 'u';
    case 0xA9: case 0xA8: case 0xAA: case 0x89: case 0x88: return 'e';
    case 0xB1: case 0x91: return 'n';
    case 0xA7: case 0x87: return 'c';
    case 0xAD: case 0xAC: return 'i';
    default: return 0;
  }
}

enum class CharClass { lower, upper, digit, other };

CharClass classify(char c) {
  if (c >= 'a' && c <= 'z') return CharClass::lower;
  if (c >= 'A' && c <= 'Z') return CharClass::upper;
  if (c >= '0' && c <= '9') return CharClass::digit;
  return CharClass::other;
}

/// Lower-case words: split at separators, between letters and digits, and at
/// a lower-to-upper step (camelCase), so "FGC9_Frame" gives fgc, 9, frame.
std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  CharClass prev = CharClass::other;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const char folded = i + 1 < text.size() ? fold_utf8(static_cast<unsigned char>(c),
                                                          static_cast<unsigned char>(text[i + 1]))
                                              : 0;
      if (folded == 0) {
        flush();
        prev = CharClass::other;
        continue;
      }
      c = folded;
      ++i;
    }
    const CharClass cls = classify(c);
    if (cls == CharClass::other) {
      flush();
      prev = cls;
      continue;
    }
    const bool letter = cls != CharClass::digit, prev_letter = prev == CharClass::lower || prev == CharClass::upper;
    if (prev != CharClass::other &&
        (letter != prev_letter || (prev == CharClass::lower && cls == CharClass::upper)))
      flush();
    word.push_back(cls == CharClass::upper ? static_cast<char>(c - 'A' + 'a') : c);
    prev = cls;
  }
  flush();
  return words;
}

std::string joined(const std::vector<std::string>& words, size_t from, size_t count) {
  std::string s;
  for (size_t k = from; k < from + count; ++k) s += words[k];
  return s;
}

std::string quoted(std::string_view text) {
  constexpr size_t kMax = 80;
  std::string s = "\"";
  for (char c : text.substr(0, kMax)) s.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  if (text.size() > kMax) s += "...";
  return s + "\"";
}

struct Match {
  const cue_table::Keyword* keyword;
  std::string field;  ///< "name \"...\"" or "metadata Title = \"...\""
  int count = 1;      ///< fields where the keyword was seen
};

/// Keywords found in one string: longest phrases first, each word used by at
/// most one phrase ("lower receiver" does not also score "lower" and "receiver").
std::vector<const cue_table::Keyword*> find_keywords_plain(std::string_view text) {
  struct Entry {
    const cue_table::Keyword* keyword;
    std::string key;
  };
  static const std::vector<Entry> table = [] {
    std::vector<Entry> t;
    for (const auto& k : cue_table::keywords()) {
      const auto words = tokenize(k.phrase);
      t.push_back({&k, joined(words, 0, words.size())});
    }
    std::stable_sort(t.begin(), t.end(), [](const Entry& a, const Entry& b) { return a.key.size() > b.key.size(); });
    return t;
  }();
  constexpr size_t kMaxWindow = 5;
  const auto words = tokenize(text);
  std::vector<bool> used(words.size(), false);
  std::vector<const cue_table::Keyword*> found;
  for (const auto& entry : table) {
    for (size_t i = 0; i < words.size(); ++i) {
      std::string window;
      for (size_t w = 0; w < kMaxWindow && i + w < words.size() && !used[i + w]; ++w) {
        window += words[i + w];
        if (window.size() > entry.key.size()) break;
        if (window == entry.key) {
          std::fill(used.begin() + static_cast<std::ptrdiff_t>(i), used.begin() + static_cast<std::ptrdiff_t>(i + w + 1),
                    true);
          found.push_back(entry.keyword);
          break;
        }
      }
    }
  }
  return found;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// Leetspeak spellings ("l1berat0r", "supp7e55or"): in a word where every
/// digit or @/$ sits between letters, those are read as letters. Two variants,
/// since 1 stands for i or l. Empty when `text` has no such word.
std::vector<std::string> leet_variants(std::string_view text) {
  std::vector<std::string> out;
  for (char one : {'i', 'l'}) {
    std::string folded(text);
    bool changed = false;
    for (size_t i = 1; i + 1 < folded.size(); ++i) {
      const char c = text[i];
      const bool leet = (c >= '0' && c <= '9') || c == '@' || c == '$';
      if (!leet) continue;
      size_t a = i, b = i;  // the run of leet characters around i
      while (a > 0 && (std::isdigit(static_cast<unsigned char>(text[a - 1])) || text[a - 1] == '@' || text[a - 1] == '$')) --a;
      while (b + 1 < text.size() && (std::isdigit(static_cast<unsigned char>(text[b + 1])) || text[b + 1] == '@' ||
                                     text[b + 1] == '$'))
        ++b;
      if (a == 0 || b + 1 >= text.size() || !is_alpha(text[a - 1]) || !is_alpha(text[b + 1])) continue;
      static constexpr std::string_view kFrom = "0134578@$", kTo = "oieastbas";
      const size_t at = kFrom.find(c);
      if (at == std::string_view::npos) continue;
      folded[i] = c == '1' ? one : kTo[at];
      changed = true;
    }
    if (changed) out.push_back(std::move(folded));
  }
  return out;
}

struct Found {
  const cue_table::Keyword* keyword;
  bool leet;
};

/// Keywords in `text` as written, then in its leetspeak readings.
std::vector<Found> find_keywords(std::string_view text) {
  std::vector<Found> found;
  for (const auto* k : find_keywords_plain(text)) found.push_back({k, false});
  for (const auto& variant : leet_variants(text))
    for (const auto* k : find_keywords_plain(variant))
      if (std::none_of(found.begin(), found.end(), [&](const Found& f) { return f.keyword == k; }))
        found.push_back({k, true});
  return found;
}

void add_match(std::vector<Match>& matches, const cue_table::Keyword* keyword, const std::string& field) {
  for (auto& m : matches)
    if (m.keyword == keyword) {
      ++m.count;
      return;
    }
  matches.push_back({keyword, field});
}

/// Turns keyword matches into cues; traps score only beside another keyword
/// (from either text channel, `other_found` covering the other one).
std::vector<Cue> to_cues(const std::vector<Match>& matches, bool other_found, const std::string& channel) {
  bool non_trap = other_found;
  for (const auto& m : matches) non_trap = non_trap || m.keyword->kind != KeywordKind::trap;
  std::vector<Cue> cues;
  for (const auto& m : matches) {
    const auto& k = *m.keyword;
    if (k.kind == KeywordKind::trap && !non_trap) continue;
    std::string id(k.phrase);
    std::replace(id.begin(), id.end(), ' ', '-');
    std::string evidence = "keyword \"" + std::string(k.phrase) + "\" (" + std::string(k.note) + ") in " + m.field;
    if (m.count > 1) evidence += " and " + std::to_string(m.count - 1) + " more";
    if (k.kind == KeywordKind::trap) evidence += "; counted because another keyword is present";
    cues.push_back({channel + "." + id, channel, k.weight, std::move(evidence)});
  }
  return cues;
}

std::vector<Match> name_matches(const std::vector<std::string>& names) {
  std::vector<Match> matches;
  for (const auto& n : names)
    for (const auto& f : find_keywords(n))
      add_match(matches, f.keyword, "name " + quoted(n) + (f.leet ? " (leetspeak read as letters)" : ""));
  return matches;
}

std::vector<Match> metadata_matches(const std::vector<std::pair<std::string, std::string>>& metadata) {
  std::vector<Match> matches;
  for (const auto& [key, value] : metadata)
    for (const auto& f : find_keywords(value))
      add_match(matches, f.keyword,
                "metadata " + quoted(key) + " = " + quoted(value) + (f.leet ? " (leetspeak read as letters)" : ""));
  return matches;
}

bool has_non_trap(const std::vector<Match>& matches) {
  return std::any_of(matches.begin(), matches.end(),
                     [](const Match& m) { return m.keyword->kind != KeywordKind::trap; });
}

}  // namespace

CueConfig::CueConfig()
    : threshold(cue_table::kThreshold), max_ray_triangle_tests(cue_table::kMaxRayTriangleTests) {}

std::vector<Cue> name_cues(const std::vector<std::string>& names) {
  return to_cues(name_matches(names), false, "name");
}

std::vector<Cue> metadata_cues(const std::vector<std::pair<std::string, std::string>>& metadata) {
  return to_cues(metadata_matches(metadata), false, "metadata");
}

double channel_score(const std::vector<Cue>& cues, const std::string& channel) {
  double sum = 0;
  for (const auto& c : cues)
    if (channel.empty() || c.channel == channel) sum += c.weight;
  return sum;
}

Verdict assess(const CueInput& input, const CueConfig& config) {
  Verdict v;
  const auto names = name_matches(input.names);
  const auto meta = metadata_matches(input.metadata);
  v.cues = to_cues(names, has_non_trap(meta), "name");
  auto meta_cues = to_cues(meta, has_non_trap(names), "metadata");
  v.cues.insert(v.cues.end(), meta_cues.begin(), meta_cues.end());
  if (input.mesh != nullptr) {
    auto geo = geometry_cues(*input.mesh, config);
    v.cues.insert(v.cues.end(), geo.begin(), geo.end());
  }
  v.score = channel_score(v.cues);
  if (config.known_design) {
    v.verdict = "known-design";
    v.label = config.known_design_label;
  } else {
    v.verdict = v.score >= config.threshold ? "firearm-suspect" : "model";
  }
  return v;
}

}  // namespace trawl::mesh
