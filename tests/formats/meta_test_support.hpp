#pragma once
// Helpers for the metadata parser tests (image, document and video): spans
// over strings, one parser run, field look-up by group, tag and revision, a
// TIFF stream builder (either byte order) for hand-made EXIF, and a reader
// for the flat `exiftool -j -n -G1 -a` oracles stored next to the fixtures
// in tests/data/meta/.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "formats/meta_field.hpp"
#include "test_support.hpp"

namespace trawl::formats::test_meta {

inline std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::span<const uint8_t> bytes_of(const std::vector<uint8_t>& v) { return {v.data(), v.size()}; }

/// One parser run over `bytes` (kept with the result, as the caller's copy).
struct Parsed {
  std::string bytes;
  MetaFields fields;
  MetaOutcome outcome;
};
template <typename Parser>
Parsed run_parser(Parser parser, const std::string& bytes, const MetaContext& ctx = {}) {
  Parsed p;
  p.bytes = bytes;
  parser(bytes_of(p.bytes), ctx, p.fields, p.outcome);
  return p;
}

/// All fields named group:tag (with the given revision, unless ~0u).
inline std::vector<const MetaField*> all(const MetaFields& fields, const std::string& group, const std::string& tag,
                                         unsigned revision = ~0u) {
  std::vector<const MetaField*> found;
  for (const auto& f : fields)
    if (f.group == group && f.tag == tag && (revision == ~0u || f.revision == revision)) found.push_back(&f);
  return found;
}
/// The one field named group:tag (revision optional); fails the test otherwise.
inline const MetaField& one_of(const MetaFields& fields, const std::string& group, const std::string& tag,
                               unsigned revision = ~0u) {
  const auto hits = all(fields, group, tag, revision);
  REQUIRE_MESSAGE(hits.size() == 1, group << ":" << tag << " rev " << revision << " found " << hits.size());
  return *hits[0];
}
inline const MetaField* find(const MetaFields& fields, const std::string& group, const std::string& tag) {
  auto found = all(fields, group, tag);
  return found.empty() ? nullptr : found.front();
}
inline const MetaField& get(const MetaFields& fields, const std::string& group, const std::string& tag) {
  const MetaField* f = find(fields, group, tag);
  REQUIRE_MESSAGE(f != nullptr, "missing field " << group << ":" << tag);
  return *f;
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
inline bool has_warning(const MetaOutcome& outcome, const std::string& part) {
  for (const auto& w : outcome.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

/// Builds TIFF streams: IFDs with entries whose values are laid out after
/// each IFD; pointer entries name another IFD by index.
class TiffBuilder {
 public:
  struct Entry {
    uint16_t tag = 0;
    uint16_t type = 0;
    uint32_t count = 0;
    std::vector<uint8_t> data;          ///< value bytes, already in the stream's byte order
    int ifd_ref = -1;                   ///< >= 0: a LONG pointer to that IFD
    std::optional<uint32_t> raw_value;  ///< forces the 4-byte value/offset field
  };
  struct Ifd {
    std::vector<Entry> entries;
    int next = -1;
    std::optional<uint16_t> raw_count;  ///< forces the entry count
  };

  explicit TiffBuilder(bool big) : big_(big) {}
  bool big() const { return big_; }

  std::vector<uint8_t> u16(std::initializer_list<uint16_t> vs) const {
    std::vector<uint8_t> b;
    for (uint16_t v : vs) put(b, v, 2);
    return b;
  }
  std::vector<uint8_t> u32(std::initializer_list<uint32_t> vs) const {
    std::vector<uint8_t> b;
    for (uint32_t v : vs) put(b, v, 4);
    return b;
  }
  std::vector<uint8_t> rationals(std::initializer_list<std::pair<uint32_t, uint32_t>> vs) const {
    std::vector<uint8_t> b;
    for (auto [n, d] : vs) {
      put(b, n, 4);
      put(b, d, 4);
    }
    return b;
  }
  static std::vector<uint8_t> text(const std::string& s, bool nul = true) {
    std::vector<uint8_t> b(s.begin(), s.end());
    if (nul) b.push_back(0);
    return b;
  }

  Entry ascii(uint16_t tag, const std::string& s) const { return {tag, 2, uint32_t(s.size() + 1), text(s), -1, {}}; }
  Entry shorts(uint16_t tag, std::initializer_list<uint16_t> vs) const { return {tag, 3, uint32_t(vs.size()), u16(vs), -1, {}}; }
  Entry longs(uint16_t tag, std::initializer_list<uint32_t> vs) const { return {tag, 4, uint32_t(vs.size()), u32(vs), -1, {}}; }
  Entry bytes(uint16_t tag, uint16_t type, std::vector<uint8_t> b) const {
    const uint32_t n = uint32_t(b.size());
    return {tag, type, n, std::move(b), -1, {}};
  }
  Entry rational(uint16_t tag, std::initializer_list<std::pair<uint32_t, uint32_t>> vs) const {
    return {tag, 5, uint32_t(vs.size()), rationals(vs), -1, {}};
  }
  Entry pointer(uint16_t tag, int ifd) const { return {tag, 4, 1, {}, ifd, {}}; }

  std::vector<uint8_t> build(const std::vector<Ifd>& ifds) const {
    std::vector<uint32_t> at(ifds.size());
    uint32_t cur = 8;
    for (size_t i = 0; i < ifds.size(); ++i) {
      at[i] = cur;
      cur += 2 + 12 * uint32_t(ifds[i].entries.size()) + 4;
      for (const auto& e : ifds[i].entries)
        if (!e.raw_value && e.ifd_ref < 0 && e.data.size() > 4) cur += uint32_t((e.data.size() + 1) & ~size_t{1});
    }
    std::vector<uint8_t> out;
    out.push_back(big_ ? 'M' : 'I');
    out.push_back(big_ ? 'M' : 'I');
    put(out, 42, 2);
    put(out, ifds.empty() ? 0 : 8, 4);
    for (size_t i = 0; i < ifds.size(); ++i) {
      const Ifd& ifd = ifds[i];
      put(out, ifd.raw_count ? *ifd.raw_count : ifd.entries.size(), 2);
      uint32_t data_at = at[i] + 2 + 12 * uint32_t(ifd.entries.size()) + 4;
      std::vector<uint8_t> tail;
      for (const auto& e : ifd.entries) {
        put(out, e.tag, 2);
        put(out, e.type, 2);
        put(out, e.count, 4);
        if (e.raw_value) {
          put(out, *e.raw_value, 4);
        } else if (e.ifd_ref >= 0) {
          put(out, at[size_t(e.ifd_ref)], 4);
        } else if (e.data.size() <= 4) {
          std::vector<uint8_t> inline_value = e.data;
          inline_value.resize(4, 0);
          out.insert(out.end(), inline_value.begin(), inline_value.end());
        } else {
          put(out, data_at + uint32_t(tail.size()), 4);
        }
        if (!e.raw_value && e.ifd_ref < 0 && e.data.size() > 4) {
          tail.insert(tail.end(), e.data.begin(), e.data.end());
          if (tail.size() & 1) tail.push_back(0);
        }
      }
      put(out, ifd.next >= 0 ? at[size_t(ifd.next)] : 0, 4);
      out.insert(out.end(), tail.begin(), tail.end());
    }
    return out;
  }

 private:
  void put(std::vector<uint8_t>& b, uint64_t v, int n) const {
    for (int i = 0; i < n; ++i) b.push_back(uint8_t(big_ ? v >> (8 * (n - 1 - i)) : v >> (8 * i)));
  }
  bool big_;
};

/// One value of a flat `exiftool -j` object: a string, a number (its JSON
/// text) or an array of strings.
struct OracleValue {
  enum class Kind { string, number, array } kind = Kind::string;
  std::string text;
  std::vector<std::string> items;
};

namespace detail {
inline std::string json_string(const std::string& s, size_t& i) {
  std::string out;
  ++i;  // opening quote
  while (i < s.size() && s[i] != '"') {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      if (c == 'u' && i + 4 < s.size()) {
        const unsigned cp = unsigned(std::stoul(s.substr(i + 1, 4), nullptr, 16));
        i += 4;
        if (cp < 0x80) {
          out += char(cp);
        } else if (cp < 0x800) {
          out += char(0xC0 | cp >> 6);
          out += char(0x80 | (cp & 0x3F));
        } else {
          out += char(0xE0 | cp >> 12);
          out += char(0x80 | (cp >> 6 & 0x3F));
          out += char(0x80 | (cp & 0x3F));
        }
      } else {
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      }
    } else {
      out += s[i];
    }
    ++i;
  }
  ++i;  // closing quote
  return out;
}
}  // namespace detail

/// Parses the one-object-per-file, one-key-per-line JSON ExifTool writes.
inline std::map<std::string, OracleValue> read_exiftool_json(const std::string& text) {
  std::map<std::string, OracleValue> values;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t end = text.find('\n', line_start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(line_start, end - line_start);
    line_start = end + 1;
    size_t i = line.find('"');
    if (i == std::string::npos) continue;
    const std::string key = detail::json_string(line, i);
    if (i + 2 > line.size() || line[i] != ':') continue;
    i += 2;
    OracleValue v;
    if (line[i] == '"') {
      v.text = detail::json_string(line, i);
    } else if (line[i] == '[') {
      v.kind = OracleValue::Kind::array;
      ++i;
      while (i < line.size() && line[i] == '"') {
        v.items.push_back(detail::json_string(line, i));
        if (i < line.size() && line[i] == ',') ++i;
      }
    } else {
      v.kind = OracleValue::Kind::number;
      const size_t stop = line.find_first_of(",", i);
      v.text = line.substr(i, stop == std::string::npos ? std::string::npos : stop - i);
    }
    values[key] = v;
  }
  return values;
}

inline std::string normalise(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ':' && c != '-' && c != 'T' && c != ' ') out += c;
  return out;
}

// Every ExifTool key we also emit must agree: strings exactly (dates through
// their raw form), numbers numerically, lists as sets.
template <typename Parse>
void compare_with_exiftool(const std::string& fixture, Parse parse, const std::vector<std::string>& required) {
  struct {
    MetaFields fields;
    MetaOutcome outcome;
  } p;
  const std::string bytes = test::read_data_file(fixture);
  parse(bytes_of(bytes), MetaContext{}, p.fields, p.outcome);
  const auto oracle = read_exiftool_json(test::read_data_file(fixture + ".exiftool.json"));
  std::set<std::string> seen;
  size_t compared = 0;
  for (const auto& [key, expected] : oracle) {
    const std::string group = key.substr(0, key.find(':')), tag = key.substr(key.find(':') + 1);
    const auto fields = all(p.fields, group, tag);
    if (fields.empty()) continue;
    seen.insert(key);
    ++compared;
    CAPTURE(key);
    if (expected.kind == OracleValue::Kind::array) {
      std::multiset<std::string> ours, theirs(expected.items.begin(), expected.items.end());
      for (const auto* f : fields) ours.insert(str(*f));
      CHECK(ours == theirs);
      continue;
    }
    const MetaField& f = *fields.front();
    CHECK_FALSE(f.invalid);
    if (expected.kind == OracleValue::Kind::number) {
      if (auto* s = std::get_if<std::string>(&f.value)) CHECK(*s == expected.text);  // "1e5", "10": strings stay strings
      else if (auto* i = std::get_if<int64_t>(&f.value)) CHECK(double(*i) == std::stod(expected.text));
      else CHECK(real(f) == doctest::Approx(std::stod(expected.text)).epsilon(1e-9));
      continue;
    }
    const std::string ours = str(f);
    const bool same = ours == expected.text || f.raw == expected.text || normalise(ours) == normalise(expected.text);
    CHECK_MESSAGE(same, "ours " << ours << " raw " << f.raw << " exiftool " << expected.text);
  }
  for (const auto& key : required) CHECK_MESSAGE(seen.count(key), "not emitted: " << key);
  CHECK(compared >= required.size());
}

/// Runs `parse` on every prefix of `bytes` and on seeded bit flips: nothing
/// may crash, hang or throw (the sanitizer builds catch the rest).
template <typename Parse>
void survive_damage(const std::vector<uint8_t>& bytes, Parse parse, size_t step = 1) {
  for (size_t n = 0; n <= bytes.size(); n += step) {
    MetaFields out;
    MetaOutcome outcome;
    parse(std::span<const uint8_t>(bytes.data(), n), MetaContext{}, out, outcome);
  }
  std::mt19937 rng(20261128);
  for (int round = 0; round < 300 && !bytes.empty(); ++round) {
    std::vector<uint8_t> copy = bytes;
    for (int k = 0; k < 4; ++k) copy[rng() % copy.size()] ^= uint8_t(1u << (rng() % 8));
    MetaFields out;
    MetaOutcome outcome;
    parse(std::span<const uint8_t>(copy.data(), copy.size()), MetaContext{}, out, outcome);
  }
}

}  // namespace trawl::formats::test_meta
