#include "formats/gcode_extent.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "formats/model_meta_text.hpp"

namespace trawl::formats {
namespace {

using model_text::starts_with;
using model_text::trim;

constexpr std::size_t kMaxObjects = 256;
constexpr double kMaxCoordinate = 1e6;  // mm; larger values are damage, not a printer

std::optional<double> number(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v) || std::fabs(v) > kMaxCoordinate)
    return std::nullopt;
  return v;
}

/// NAME='a b', NAME="a", NAME=a: the value after `key` in s.
std::string_view named(std::string_view s, std::string_view key) {
  const std::size_t at = s.find(key);
  if (at == std::string_view::npos) return {};
  std::string_view v = s.substr(at + key.size());
  if (!v.empty() && (v.front() == '\'' || v.front() == '"')) {
    const std::size_t close = v.find(v.front(), 1);
    return close == std::string_view::npos ? v.substr(1) : v.substr(1, close - 1);
  }
  return v.substr(0, v.find_first_of(" \t"));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

class ExtentScan {
 public:
  std::vector<GcodeObjectExtent> out;

  void line(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return;
    if (s.front() == ';') return comment(trim(s.substr(1)));
    if (const std::size_t c = s.find(';'); c != std::string_view::npos) s = trim(s.substr(0, c));
    if (const std::size_t c = s.find('*'); c != std::string_view::npos) s = trim(s.substr(0, c));  // checksum
    if (s.size() > 1 && s[0] == 'N' && s[1] >= '0' && s[1] <= '9') {  // a line number
      const std::size_t blank = s.find_first_of(" \t");
      if (blank == std::string_view::npos) return;
      s = trim(s.substr(blank));
    }
    const std::size_t blank = s.find_first_of(" \t");
    const std::string_view word = s.substr(0, blank);
    const std::string_view rest = blank == std::string_view::npos ? std::string_view() : trim(s.substr(blank));
    if (word == "G0" || word == "G1" || word == "G00" || word == "G01" || word == "G2" || word == "G3") return move(rest);
    if (word == "G90") absolute_ = absolute_e_ = true;
    else if (word == "G91") absolute_ = absolute_e_ = false;
    else if (word == "M82") absolute_e_ = true;
    else if (word == "M83") absolute_e_ = false;
    else if (word == "G20") scale_ = 25.4;
    else if (word == "G21") scale_ = 1.0;
    else if (word == "G92") set_position(rest);
    else if (word == "M486") m486(rest);
    else if (word == "EXCLUDE_OBJECT_START") select(named(rest, "NAME="));
    else if (word == "EXCLUDE_OBJECT_END") current_ = -1;
  }

 private:
  void comment(std::string_view c) {
    if (starts_with(c, "MESH:")) {
      const std::string_view name = trim(c.substr(5));
      if (name == "NONMESH") current_ = -1;
      else select(name);
    } else if (starts_with(c, "printing object ")) {
      std::string_view name = trim(c.substr(16));
      if (const std::size_t id = name.rfind(" id:"); id != std::string_view::npos) name = name.substr(0, id);
      select(name);
    } else if (starts_with(c, "stop printing object")) {
      current_ = -1;
    } else if (starts_with(c, "TYPE:")) {
      const std::string type = lower(c.substr(5));
      excluded_ = false;
      for (std::string_view not_object : {"skirt", "brim", "support", "wipe", "prime"})
        if (type.find(not_object) != std::string::npos) excluded_ = true;
    }
  }

  /// M486 S<id> selects an object (-1: none); M486 A<name> names the last selected id.
  void m486(std::string_view rest) {
    if (rest.empty()) return;
    if (rest.front() == 'S') {
      const auto id = number(rest.substr(1));
      if (!id) return;
      last_id_ = static_cast<long long>(*id);
      if (last_id_ < 0) {
        current_ = -1;
        return;
      }
      const auto it = id_names_.find(last_id_);
      if (it != id_names_.end()) select(it->second);
      else if (current_ < 0) select("#" + std::to_string(last_id_));  // unnamed so far
    } else if (rest.front() == 'A' && last_id_ >= 0 && id_names_.size() < kMaxObjects) {
      std::string_view name = trim(rest.substr(1));
      if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') && name.back() == name.front())
        name = name.substr(1, name.size() - 2);
      id_names_[last_id_] = std::string(name);
      select(name);
    }
  }

  void select(std::string_view name) {
    name = trim(name);
    if (name.empty()) {
      current_ = -1;
      return;
    }
    for (std::size_t i = 0; i < out.size(); ++i)
      if (out[i].name == name) {
        current_ = static_cast<long>(i);
        return;
      }
    if (out.size() >= kMaxObjects) {
      current_ = -1;
      return;
    }
    out.push_back({std::string(name), {}, {}, 0});
    current_ = static_cast<long>(out.size() - 1);
  }

  void set_position(std::string_view rest) {
    for_each_word(rest, [&](char axis, double v) {
      if (axis == 'E') e_ = v;
      else if (axis >= 'X' && axis <= 'Z') pos_[static_cast<std::size_t>(axis - 'X')] = v * scale_;
    });
  }

  void move(std::string_view rest) {
    std::array<double, 3> next = pos_;
    bool xy = false;
    double de = 0;
    for_each_word(rest, [&](char axis, double v) {
      if (axis >= 'X' && axis <= 'Z') {
        const auto i = static_cast<std::size_t>(axis - 'X');
        next[i] = absolute_ ? v * scale_ : next[i] + v * scale_;
        if (i < 2) xy = true;
      } else if (axis == 'E') {
        de = absolute_e_ ? v - e_ : v;
        e_ = absolute_e_ ? v : e_ + v;
      }
    });
    if (xy && de > 0 && !excluded_) add(pos_, next);
    pos_ = next;
  }

  /// An extrusion move from `from` to `to` (at the height of `to`).
  void add(const std::array<double, 3>& from, const std::array<double, 3>& to) {
    if (current_ < 0 && unlabelled_ < 0) {
      if (out.size() >= kMaxObjects) return;
      out.push_back({std::string(), {}, {}, 0});
      unlabelled_ = static_cast<long>(out.size() - 1);
    }
    GcodeObjectExtent& e = out[static_cast<std::size_t>(current_ >= 0 ? current_ : unlabelled_)];
    if (e.moves == 0) e.min = e.max = to;
    for (const std::array<double, 3>& p : {std::array<double, 3>{from[0], from[1], to[2]}, to})
      for (std::size_t i = 0; i < 3; ++i) {
        e.min[i] = std::min(e.min[i], p[i]);
        e.max[i] = std::max(e.max[i], p[i]);
      }
    ++e.moves;
  }

  /// "X10.5 Y-3 E.02": calls f(letter, value) for each parameter with a valid number.
  template <typename F>
  static void for_each_word(std::string_view s, F&& f) {
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      const std::size_t start = i;
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
      const std::string_view w = s.substr(start, i - start);
      if (w.size() < 2) continue;
      const char axis = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
      if (const auto v = number(w.substr(1))) f(axis, *v);
    }
  }

  std::array<double, 3> pos_{};
  double e_ = 0;
  double scale_ = 1.0;
  bool absolute_ = true;
  bool absolute_e_ = true;
  bool excluded_ = false;
  long current_ = -1;     ///< index in out of the labelled object being printed
  long unlabelled_ = -1;  ///< index in out of the moves outside any object
  long long last_id_ = -1;
  std::map<long long, std::string> id_names_;
};

}  // namespace

std::vector<GcodeObjectExtent> gcode_extents(std::span<const std::uint8_t> bytes) {
  const std::string_view text = model_text::as_text(bytes);
  ExtentScan scan;
  model_text::for_each_line(text, 0, text.size(), [&](std::string_view line, std::size_t) { scan.line(line); });
  std::erase_if(scan.out, [](const GcodeObjectExtent& e) { return e.moves == 0; });
  return std::move(scan.out);
}

}  // namespace trawl::formats
