// Trackers for the line-oriented formats: ASCII STL, OBJ, G-code, PLY, STEP,
// AMF and IGES. A text object ends at its declared end (endsolid, END-ISO-10303-21;,
// </amf>, the IGES T record, the PLY element counts) or at the last line that
// validates; a NUL ends a text run (slack after a file is usually zeros).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "scan/model_tracker.hpp"

namespace trawl::scan::carve {
namespace {

enum class LineStatus { ok, need_more, invalid };

struct Line {
  std::string_view text;  ///< without the line end
  std::size_t size = 0;   ///< bytes including the line end
  bool run_ends = false;  ///< a NUL or the stream end follows the text
};

bool text_byte(std::uint8_t c) { return c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\r' || c == '\f'); }

/// The line at view[0]: ends at '\n' (included) or before a NUL; at most kMaxUnit bytes.
LineStatus next_line(Bytes view, bool at_end, Line& line) {
  const std::size_t limit = std::min(view.size(), kMaxUnit);
  std::size_t i = 0;
  while (i < limit && view[i] != '\n' && view[i] != 0) {
    if (!text_byte(view[i])) return LineStatus::invalid;
    ++i;
  }
  if (i == limit) {
    if (view.size() >= kMaxUnit) return LineStatus::invalid;
    if (!at_end) return LineStatus::need_more;
    line.size = i;
    line.run_ends = true;
  } else if (view[i] == 0) {
    line.size = i;
    line.run_ends = true;
  } else {
    line.size = i + 1;
    line.run_ends = false;
  }
  std::size_t text_end = i;
  if (text_end > 0 && view[text_end - 1] == '\r') --text_end;
  line.text = std::string_view(reinterpret_cast<const char*>(view.data()), text_end);
  return line.size == 0 ? LineStatus::invalid : LineStatus::ok;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Splits on blanks into at most N tokens; returns the count (N + 1 when more).
template <std::size_t N>
std::size_t split(std::string_view s, std::array<std::string_view, N>& out) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (count == N) return N + 1;
    out[count++] = s.substr(start, i - start);
  }
  return count;
}

bool parse_number(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const char c = s.front();
  if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return false;  // no inf/nan
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

bool parse_int(std::string_view s, long long& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

enum class Verdict { accept, reject, accept_end };

/// A tracker consuming one line per step.
class LineTracker : public Tracker {
 public:
  Step step(Bytes view, bool at_end) final {
    Line line;
    switch (next_line(view, at_end, line)) {
      case LineStatus::need_more: return need_more();
      case LineStatus::invalid: return ended(0, !complete());
      case LineStatus::ok: break;
    }
    switch (on_line(line.text)) {
      case Verdict::reject: return ended(0, !complete());
      case Verdict::accept_end: return ended(line_with_end(view, line), false);
      case Verdict::accept: break;
    }
    if (line.run_ends) return ended(line.size, !complete());
    return consumed(line.size);
  }

 protected:
  virtual Verdict on_line(std::string_view text) = 0;
  /// Whether ending here is the format's own end (text runs: yes).
  virtual bool complete() const { return true; }

 private:
  static std::size_t line_with_end(Bytes, const Line& line) { return line.size; }
};

// ---------------------------------------------------------------- ASCII STL

class AsciiStl final : public LineTracker {
 public:
  bool confirmed() const override { return facets_ > 0; }
  bool acceptable() const override { return facets_ > 0; }
  ModelFormat format() const override { return ModelFormat::stl_ascii; }

 protected:
  bool complete() const override { return done_; }
  Verdict on_line(std::string_view text) override {
    std::array<std::string_view, 5> t{};
    const std::string_view s = trim(text);
    if (s.empty()) return state_ == kSolid ? Verdict::reject : Verdict::accept;
    const std::size_t n = split(s, t);
    switch (state_) {
      case kSolid:
        if (t[0] != "solid") return Verdict::reject;
        state_ = kFacetOrEnd;
        return Verdict::accept;
      case kFacetOrEnd:
        if (t[0] == "endsolid") {
          done_ = true;
          return Verdict::accept_end;
        }
        if (n != 5 || t[0] != "facet" || t[1] != "normal" || !numbers(t, 2, 5)) return Verdict::reject;
        state_ = kOuter;
        return Verdict::accept;
      case kOuter:
        if (n != 2 || t[0] != "outer" || t[1] != "loop") return Verdict::reject;
        state_ = kVertex1;
        return Verdict::accept;
      case kVertex1:
      case kVertex2:
      case kVertex3:
        if (n != 4 || t[0] != "vertex" || !numbers(t, 1, 4)) return Verdict::reject;
        state_ = static_cast<State>(state_ + 1);
        return Verdict::accept;
      case kEndLoop:
        if (n != 1 || t[0] != "endloop") return Verdict::reject;
        state_ = kEndFacet;
        return Verdict::accept;
      case kEndFacet:
        if (n != 1 || t[0] != "endfacet") return Verdict::reject;
        ++facets_;
        state_ = kFacetOrEnd;
        return Verdict::accept;
    }
    return Verdict::reject;
  }

 private:
  enum State { kSolid, kFacetOrEnd, kOuter, kVertex1, kVertex2, kVertex3, kEndLoop, kEndFacet };
  static bool numbers(const std::array<std::string_view, 5>& t, std::size_t from, std::size_t to) {
    double v = 0;
    for (std::size_t i = from; i < to; ++i)
      if (!parse_number(t[i], v) || std::fabs(v) >= 1e6) return false;
    return true;
  }
  State state_ = kSolid;
  std::uint64_t facets_ = 0;
  bool done_ = false;
};

// ---------------------------------------------------------------- OBJ

class Obj final : public LineTracker {
 public:
  bool confirmed() const override { return vertices_ >= 3; }
  bool acceptable() const override { return faces_ > 0; }
  ModelFormat format() const override { return ModelFormat::obj; }
  bool rejects_suffixes() const override { return true; }

 protected:
  Verdict on_line(std::string_view text) override {
    const std::string_view s = trim(text);
    if (s.empty()) return Verdict::accept;
    if (s.front() == '#') return Verdict::accept;
    std::array<std::string_view, 8> t{};
    const std::size_t n = split(s, t);
    const std::string_view k = t[0];
    if (k == "v") return numbers(t, n, 3, 7) ? (++vertices_, Verdict::accept) : Verdict::reject;
    if (k == "vn") return numbers(t, n, 3, 3) ? (++normals_, Verdict::accept) : Verdict::reject;
    if (k == "vt") return numbers(t, n, 1, 3) ? (++texcoords_, Verdict::accept) : Verdict::reject;
    if (k == "f" || k == "l" || k == "p") {
      if (vertices_ == 0) return Verdict::reject;
      if (!face(s, k == "f" ? 3 : 1)) return Verdict::reject;
      if (k == "f") ++faces_;
      return Verdict::accept;
    }
    if (k == "o" || k == "g" || k == "s" || k == "usemtl" || k == "mtllib") return Verdict::accept;
    return Verdict::reject;
  }

 private:
  template <std::size_t N>
  static bool numbers(const std::array<std::string_view, N>& t, std::size_t n, std::size_t min, std::size_t max) {
    if (n < min + 1 || n > max + 1) return false;
    double v = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (!parse_number(t[i], v) || std::fabs(v) >= 1e9) return false;
    return true;
  }
  /// "f v v v", "f v/t v/t", "f v//n", "f v/t/n": every index non-zero and in range.
  bool face(std::string_view s, std::size_t min_refs) const {
    std::size_t refs = 0;
    std::size_t i = 1;  // after the keyword
    while (i < s.size()) {
      while (i < s.size() && is_space(s[i])) ++i;
      if (i == s.size()) break;
      const std::size_t start = i;
      while (i < s.size() && !is_space(s[i])) ++i;
      std::string_view ref = s.substr(start, i - start);
      std::uint64_t counts[3] = {vertices_, texcoords_, normals_};
      for (int part = 0; part < 3; ++part) {
        const std::size_t slash = ref.find('/');
        const std::string_view index = ref.substr(0, slash);
        if (!index.empty() || part == 0) {
          long long v = 0;
          if (!parse_int(index, v) || v == 0) return false;
          const auto count = static_cast<long long>(counts[part]);
          if (v > count || v < -count) return false;
        }
        if (slash == std::string_view::npos) break;
        if (part == 2) return false;
        ref.remove_prefix(slash + 1);
      }
      ++refs;
    }
    return refs >= min_refs;
  }
  std::uint64_t vertices_ = 0, normals_ = 0, texcoords_ = 0, faces_ = 0;
};

// ---------------------------------------------------------------- G-code

constexpr std::array<std::string_view, 14> kSlicerMarkers = {
    "generated by", "Generated with Cura", "FLAVOR:", "START_OF_HEADER", "HEADER_BLOCK_START", "BambuStudio",
    "OrcaSlicer",   "PrusaSlicer",         "Slic3r",  "Simplify3D",      "ideaMaker",          "KISSlicer",
    "SuperSlicer",  "G-code generated"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/// G12, M104, T0, M486.1 (an optional fraction)
bool gm_word(std::string_view w) {
  if (w.size() < 2 || (w[0] != 'G' && w[0] != 'M' && w[0] != 'T')) return false;
  std::size_t i = 1;
  while (i < w.size() && is_digit(w[i])) ++i;
  if (i == 1 || i - 1 > 4) return false;
  if (i < w.size() && w[i] == '.') {
    ++i;
    if (i == w.size()) return false;
    while (i < w.size() && is_digit(w[i])) ++i;
  }
  return i == w.size();
}

/// Klipper-style macros: EXCLUDE_OBJECT_DEFINE, PRINT_START, SET_PRINT_STATS_INFO...
bool macro_word(std::string_view w) {
  if (w.size() < 4 || !is_upper(w[0])) return false;
  bool underscore = false;
  for (char c : w) {
    if (c == '_') underscore = true;
    else if (!is_upper(c) && !is_digit(c)) return false;
  }
  return underscore;
}

/// Commands whose argument is free text (messages, file and object names).
bool free_text_command(std::string_view w) {
  for (std::string_view c : {"M23", "M28", "M30", "M32", "M117", "M118", "M486", "M550", "M587", "M929"})
    if (w == c) return true;
  return false;
}

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

/// "X10.5 Y-3 E.02 F1200 ; comment *57": letters with optional numbers, then a comment or checksum.
bool parameters(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == ';') return true;  // a comment (may be UTF-8)
    if (c == '*') {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
      continue;
    }
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
    if (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != ';' && s[i] != '*') return false;
  }
  return true;
}

class Gcode final : public LineTracker {
 public:
  bool confirmed() const override { return marker_ || commands_ >= 32; }
  bool acceptable() const override { return commands_ >= 8; }
  ModelFormat format() const override { return ModelFormat::gcode; }
  bool rejects_suffixes() const override { return !limit_hit_; }

 protected:
  Verdict on_line(std::string_view text) override {
    ++lines_;
    std::string_view s = trim(text);
    if (s.empty()) return lines_ == 1 ? Verdict::reject : Verdict::accept;
    if (s.front() == ';') {
      if (lines_ <= kConfirmLines && !marker_)
        for (std::string_view m : kSlicerMarkers)
          if (s.find(m) != std::string_view::npos) marker_ = true;
      return confirm_window();
    }
    std::array<std::string_view, 2> t{};
    split(s, t);
    std::string_view w = t[0];
    if (w.size() > 1 && w[0] == 'N' && std::all_of(w.begin() + 1, w.end(), is_digit)) {
      // Line-numbered: "N12 G1 X5*71"
      const std::size_t blank = s.find_first_of(" \t");
      if (blank == std::string_view::npos) return Verdict::reject;
      s = trim(s.substr(blank));
      split(s, t);
      w = t[0];
      if (const std::size_t star = w.find('*'); star != std::string_view::npos) w = w.substr(0, star);
    }
    const std::size_t word_at = static_cast<std::size_t>(w.data() - s.data());
    const std::string_view rest = s.substr(std::min(s.size(), word_at + t[0].size()));
    if (gm_word(w)) {
      if (!free_text_command(w) && !parameters(rest)) return Verdict::reject;
      if (w[0] != 'T') ++commands_;
    } else if (!macro_word(w) || !ascii(rest)) {
      return Verdict::reject;
    }
    return confirm_window();
  }

 private:
  /// A start is confirmed by a slicer marker or 32 commands within its first 40 lines.
  static constexpr std::uint64_t kConfirmLines = 40;
  Verdict confirm_window() {
    if (confirmed() || lines_ <= kConfirmLines) return Verdict::accept;
    limit_hit_ = true;
    return Verdict::reject;
  }
  bool limit_hit_ = false;
  std::uint64_t lines_ = 0;
  std::uint64_t commands_ = 0;
  bool marker_ = false;
};

// ---------------------------------------------------------------- STEP, AMF

/// A text run that ends at a marker (plus the line end after it).
class MarkedText final : public Tracker {
 public:
  MarkedText(ModelFormat format, std::string_view end_marker) : format_(format), marker_(end_marker) {}
  bool confirmed() const override { return true; }
  ModelFormat format() const override { return format_; }

  Step step(Bytes view, bool at_end) override {
    // Decide bytes [0, limit): a marker starting there is seen whole with its line end.
    const std::size_t look = marker_.size() + 2;
    if (view.size() < look && !at_end) return need_more();
    const std::size_t limit = at_end ? view.size() : view.size() - look + 1;
    const std::string_view s(reinterpret_cast<const char*>(view.data()), view.size());
    for (std::size_t i = 0; i < limit; ++i) {
      const auto c = static_cast<std::uint8_t>(s[i]);
      if (c == '\n' || text_byte(c)) {
        if (c == marker_[0] && s.compare(i, marker_.size(), marker_) == 0) {
          std::size_t end = i + marker_.size();
          if (end < s.size() && s[end] == '\r') ++end;
          if (end < s.size() && s[end] == '\n') ++end;
          return ended(end, false);
        }
        continue;
      }
      return ended(i, true);  // a non-text byte before the end marker
    }
    if (limit == 0) return ended(0, true);
    if (at_end) return ended(limit, true);
    return consumed(limit);
  }

 private:
  ModelFormat format_;
  std::string_view marker_;
};

// ---------------------------------------------------------------- IGES

bool iges_record(std::string_view r) {
  if (r.size() != 80) return false;
  const char section = r[72];
  if (section != 'S' && section != 'G' && section != 'D' && section != 'P' && section != 'T') return false;
  bool digit = false;
  for (std::size_t i = 73; i < 80; ++i) {
    if (is_digit(r[i])) digit = true;
    else if (r[i] != ' ' || digit) return false;
  }
  return digit;
}

int iges_section_rank(char c) {
  switch (c) {
    case 'S': return 0;
    case 'G': return 1;
    case 'D': return 2;
    case 'P': return 3;
    default: return 4;
  }
}

class Iges final : public Tracker {
 public:
  bool confirmed() const override { return rank_ >= 1; }
  bool acceptable() const override { return rank_ >= 2; }
  ModelFormat format() const override { return ModelFormat::iges; }

  Step step(Bytes view, bool at_end) override {
    Line line;
    const LineStatus status = next_line(view, at_end, line);
    if (status == LineStatus::need_more) return need_more();
    if (status != LineStatus::ok || !iges_record(line.text)) return ended(0, true);
    const int rank = iges_section_rank(line.text[72]);
    if (rank < rank_) return ended(0, true);
    rank_ = rank;
    if (rank == 4) return ended(line.size, false);
    if (line.run_ends) return ended(line.size, true);
    return consumed(line.size);
  }

 private:
  int rank_ = 0;
};

// ---------------------------------------------------------------- PLY

struct PlyProperty {
  int type = 0;       ///< byte size of a scalar (1, 2, 4, 8)
  bool is_float = false;
  bool is_signed = false;
  int count_type = 0; ///< lists: byte size of the count, else 0
  bool index = false; ///< vertex_indices / vertex_index of a face element
};

struct PlyElement {
  std::uint64_t count = 0;
  std::vector<PlyProperty> properties;
  std::uint64_t fixed_size = 0;  ///< bytes per instance when there are no lists
  bool has_list = false;
};

bool ply_type(std::string_view name, PlyProperty& p) {
  struct T { std::string_view a, b; int size; bool f, s; };
  static constexpr std::array<T, 8> kTypes = {{{"char", "int8", 1, false, true},
                                               {"uchar", "uint8", 1, false, false},
                                               {"short", "int16", 2, false, true},
                                               {"ushort", "uint16", 2, false, false},
                                               {"int", "int32", 4, false, true},
                                               {"uint", "uint32", 4, false, false},
                                               {"float", "float32", 4, true, true},
                                               {"double", "float64", 8, true, true}}};
  for (const T& t : kTypes)
    if (name == t.a || name == t.b) {
      p.type = t.size;
      p.is_float = t.f;
      p.is_signed = t.s;
      return true;
    }
  return false;
}

constexpr std::uint64_t kPlyMaxList = 1024;

class Ply final : public Tracker {
 public:
  explicit Ply(const CarveOptions& options) : options_(options) {}
  bool confirmed() const override { return header_done_; }
  ModelFormat format() const override { return ModelFormat::ply; }

  Step step(Bytes view, bool at_end) override {
    if (!header_done_) return header(view, at_end);
    while (element_ < elements_.size() && done_ == elements_[element_].count) {
      ++element_;
      done_ = 0;
    }
    if (element_ == elements_.size()) return ended(0, false);
    if (view.empty()) return at_end ? ended(0, true) : need_more();
    return ascii_ ? ascii_instance(view, at_end) : binary_instances(view, at_end);
  }

 private:
  Step header(Bytes view, bool at_end) {
    // The whole header is one unit.
    std::size_t pos = 0;
    int line_no = 0;
    while (true) {
      Line line;
      const LineStatus status = next_line(view.subspan(pos), at_end, line);
      if (status == LineStatus::need_more) return need_more();
      if (status != LineStatus::ok || line.run_ends || pos + line.size > kMaxUnit) return ended(0, true);
      pos += line.size;
      ++line_no;
      const std::string_view s = line.text;
      std::array<std::string_view, 6> t{};
      const std::size_t n = split(s, t);
      if (line_no == 1) {
        if (s != "ply") return ended(0, true);
        continue;
      }
      if (line_no == 2) {
        if (n != 3 || t[0] != "format" || t[2] != "1.0") return ended(0, true);
        if (t[1] == "ascii") ascii_ = true;
        else if (t[1] == "binary_little_endian") little_ = true;
        else if (t[1] != "binary_big_endian") return ended(0, true);
        continue;
      }
      if (n == 0) return ended(0, true);
      if (t[0] == "comment" || t[0] == "obj_info") continue;
      if (t[0] == "end_header" && n == 1) break;
      if (t[0] == "element" && n == 3) {
        long long count = 0;
        if (!parse_int(t[2], count) || count < 0 || elements_.size() >= 64) return ended(0, true);
        PlyElement e;
        e.count = static_cast<std::uint64_t>(count);
        elements_.push_back(e);
        face_.push_back(t[1] == "face");
        if (t[1] == "vertex") vertex_count_ = e.count;
        continue;
      }
      if (t[0] == "property" && !elements_.empty() && elements_.back().properties.size() < 64) {
        PlyElement& e = elements_.back();
        PlyProperty p;
        if (n == 3 && ply_type(t[1], p)) {
          e.fixed_size += static_cast<std::uint64_t>(p.type);
        } else if (n == 5 && t[1] == "list") {
          PlyProperty c;
          if (!ply_type(t[2], c) || c.is_float || !ply_type(t[3], p) || p.is_float) return ended(0, true);
          p.count_type = c.type;
          p.index = face_.back() && (t[4] == "vertex_indices" || t[4] == "vertex_index");
          e.has_list = true;
        } else {
          return ended(0, true);
        }
        e.properties.push_back(p);
        continue;
      }
      return ended(0, true);
    }
    if (elements_.empty()) return ended(0, true);
    std::uint64_t total = 0;
    for (const PlyElement& e : elements_) {
      if (e.properties.empty()) return ended(0, true);
      const std::uint64_t per = e.has_list ? e.fixed_size + 1 : e.fixed_size;
      if (e.count > options_.max_object / per || total > options_.max_object - e.count * per) return ended(0, true);
      total += e.count * per;
    }
    header_done_ = true;
    return consumed(pos);
  }

  std::uint64_t read_uint(const std::uint8_t* p, int size) const {
    std::uint64_t v = 0;
    for (int i = 0; i < size; ++i) {
      const int shift = little_ ? 8 * i : 8 * (size - 1 - i);
      v |= static_cast<std::uint64_t>(p[i]) << shift;
    }
    return v;
  }

  Step binary_instances(Bytes view, bool at_end) {
    const PlyElement& e = elements_[element_];
    if (!e.has_list) {
      // Fixed-size instances: take whole instances in bulk.
      const std::uint64_t left = (e.count - done_) * e.fixed_size;
      const std::uint64_t avail = view.size() / e.fixed_size;
      const std::uint64_t take = std::min<std::uint64_t>(avail, e.count - done_);
      if (take == 0) return at_end ? ended(0, true) : need_more();
      (void)left;
      done_ += take;
      return consumed(static_cast<std::size_t>(take * e.fixed_size));
    }
    // One instance with lists: walk it.
    std::size_t pos = 0;
    for (const PlyProperty& p : e.properties) {
      if (p.count_type == 0) {
        if (view.size() - pos < static_cast<std::size_t>(p.type)) return short_unit(view, at_end);
        pos += static_cast<std::size_t>(p.type);
        continue;
      }
      if (view.size() - pos < static_cast<std::size_t>(p.count_type)) return short_unit(view, at_end);
      const std::uint64_t count = read_uint(view.data() + pos, p.count_type);
      pos += static_cast<std::size_t>(p.count_type);
      if (count > kPlyMaxList || (p.index && count < 3)) return ended(0, true);
      const std::size_t bytes = static_cast<std::size_t>(count) * static_cast<std::size_t>(p.type);
      if (view.size() - pos < bytes) return short_unit(view, at_end);
      if (p.index) {
        for (std::uint64_t k = 0; k < count; ++k) {
          std::uint64_t v = read_uint(view.data() + pos + k * static_cast<std::size_t>(p.type), p.type);
          if (p.is_signed && p.type < 8 && (v >> (8 * p.type - 1)) != 0) return ended(0, true);  // negative
          if (v >= vertex_count_) return ended(0, true);
        }
      }
      pos += bytes;
    }
    ++done_;
    return consumed(pos);
  }

  Step short_unit(Bytes view, bool at_end) const {
    if (at_end || view.size() >= kMaxUnit) return ended(0, true);
    return need_more();
  }

  Step ascii_instance(Bytes view, bool at_end) {
    Line line;
    const LineStatus status = next_line(view, at_end, line);
    if (status == LineStatus::need_more) return need_more();
    if (status != LineStatus::ok) return ended(0, true);
    const PlyElement& e = elements_[element_];
    std::string_view s = trim(line.text);
    std::array<std::string_view, 1> t{};
    auto next_token = [&](std::string_view& out) {
      while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
      std::size_t i = 0;
      while (i < s.size() && !is_space(s[i])) ++i;
      out = s.substr(0, i);
      s.remove_prefix(i);
      return !out.empty();
    };
    for (const PlyProperty& p : e.properties) {
      std::string_view tok;
      std::uint64_t count = 1;
      if (p.count_type != 0) {
        long long c = 0;
        if (!next_token(tok) || !parse_int(tok, c) || c < 0 || static_cast<std::uint64_t>(c) > kPlyMaxList)
          return ended(0, true);
        count = static_cast<std::uint64_t>(c);
      }
      for (std::uint64_t k = 0; k < count; ++k) {
        double v = 0;
        if (!next_token(tok) || !parse_number(tok, v)) return ended(0, true);
        if (p.index && (v < 0 || v >= static_cast<double>(vertex_count_))) return ended(0, true);
      }
    }
    (void)t;
    if (!trim(s).empty()) return ended(0, true);
    ++done_;
    const bool last = element_ + 1 == elements_.size() && done_ == e.count;
    if (line.run_ends) return ended(line.size, !last);
    return consumed(line.size);
  }

  const CarveOptions& options_;
  bool header_done_ = false;
  bool ascii_ = false;
  bool little_ = false;
  std::vector<PlyElement> elements_;
  std::vector<bool> face_;
  std::uint64_t vertex_count_ = 0;
  std::size_t element_ = 0;
  std::uint64_t done_ = 0;  ///< instances of elements_[element_] consumed
};

}  // namespace

std::unique_ptr<Tracker> start_stl_ascii(const StartContext& c) {
  if (!has_prefix(c.view, "solid")) return nullptr;
  if (c.view.size() > 5 && !(c.view[5] == ' ' || c.view[5] == '\t' || c.view[5] == '\r' || c.view[5] == '\n'))
    return nullptr;
  return std::make_unique<AsciiStl>();
}

std::unique_ptr<Tracker> start_obj(const StartContext& c) {
  if (!c.line_start || c.view.empty()) return nullptr;
  if (c.view[0] == '#' || has_prefix(c.view, "o ") || has_prefix(c.view, "v ") || has_prefix(c.view, "mtllib "))
    return std::make_unique<Obj>();
  return nullptr;
}

std::unique_ptr<Tracker> start_gcode(const StartContext& c) {
  if (!c.line_start || c.view.size() < 2) return nullptr;
  const auto b = c.view[0];
  if (b == ';' || ((b == 'G' || b == 'M') && c.view[1] >= '0' && c.view[1] <= '9'))
    return std::make_unique<Gcode>();
  return nullptr;
}

std::unique_ptr<Tracker> start_ply(const StartContext& c) {
  if (!(has_prefix(c.view, "ply\nformat ") || has_prefix(c.view, "ply\r\nformat "))) return nullptr;
  return std::make_unique<Ply>(*c.options);
}

std::unique_ptr<Tracker> start_step(const StartContext& c) {
  if (!has_prefix(c.view, "ISO-10303-21;")) return nullptr;
  // HEADER; must follow (after blanks and comments are not allowed here: exporters write it next).
  std::size_t i = 13;
  while (i < c.view.size() && i < 64 && (c.view[i] == '\r' || c.view[i] == '\n' || c.view[i] == ' ')) ++i;
  if (!has_prefix(c.view.subspan(std::min(i, c.view.size())), "HEADER;")) return nullptr;
  return std::make_unique<MarkedText>(ModelFormat::step, "END-ISO-10303-21;");
}

std::unique_ptr<Tracker> start_amf(const StartContext& c) {
  const std::string_view s(reinterpret_cast<const char*>(c.view.data()), std::min<std::size_t>(c.view.size(), 512));
  std::size_t amf = std::string_view::npos;
  if (starts_with(s, "<amf") && s.size() > 4 && (s[4] == ' ' || s[4] == '>' || s[4] == '\n' || s[4] == '\r')) {
    amf = 0;
  } else if (starts_with(s, "<?xml")) {
    const std::size_t decl_end = s.find("?>");
    if (decl_end == std::string_view::npos) return nullptr;
    std::size_t i = decl_end + 2;
    while (i < s.size() && is_space(s[i])) ++i;
    while (i < s.size() && s[i] == '\n') {
      ++i;
      while (i < s.size() && is_space(s[i])) ++i;
    }
    if (s.compare(i, 4, "<amf") == 0) amf = i;
  }
  if (amf == std::string_view::npos) return nullptr;
  return std::make_unique<MarkedText>(ModelFormat::amf, "</amf>");
}

std::unique_ptr<Tracker> start_iges(const StartContext& c) {
  if (!c.line_start || c.view.size() < 81) return nullptr;
  const std::string_view s(reinterpret_cast<const char*>(c.view.data()), 80);
  if (s[72] != 'S' || s[79] != '1' || !iges_record(s)) return nullptr;
  if (c.view[80] != '\n' && c.view[80] != '\r') return nullptr;
  return std::make_unique<Iges>();
}

}  // namespace trawl::scan::carve
