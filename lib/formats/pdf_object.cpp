#include "formats/pdf_object.hpp"

#include "core/hex.hpp"

namespace trawl::formats::pdf {
namespace {

bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

class Parser {
 public:
  Parser(std::span<const uint8_t> d, const ParseLimits& l) : d_(d), limits_(l) {}

  bool value(uint64_t& pos, Value& out, uint32_t depth) {
    if (depth > limits_.max_depth) return false;
    skip_space(d_, pos);
    if (pos >= d_.size()) return false;
    out.offset = pos;
    const uint8_t c = d_[pos];
    if (c == '<' && pos + 1 < d_.size() && d_[pos + 1] == '<') return dict(pos, out, depth);
    if (c == '<') return hex_string(pos, out);
    if (c == '(') return literal(pos, out);
    if (c == '[') return array(pos, out, depth);
    if (c == '/') {
      out.kind = Value::Kind::name;
      return name(pos, out.text);
    }
    if (is_digit(c) || c == '+' || c == '-' || c == '.') return number_or_ref(pos, out);
    return keyword(pos, out);
  }

 private:
  bool name(uint64_t& pos, std::string& text) {
    ++pos;  // '/'
    text.clear();
    while (pos < d_.size() && !is_whitespace(d_[pos]) && !is_delimiter(d_[pos])) {
      uint8_t c = d_[pos++];
      if (c == '#' && pos + 1 < d_.size() && hex_digit_value(d_[pos]) >= 0 && hex_digit_value(d_[pos + 1]) >= 0) {
        c = static_cast<uint8_t>(hex_digit_value(d_[pos]) * 16 + hex_digit_value(d_[pos + 1]));
        pos += 2;
      }
      if (text.size() >= 1024) return false;  // no real name is this long
      text.push_back(static_cast<char>(c));
    }
    return true;
  }

  bool dict(uint64_t& pos, Value& out, uint32_t depth) {
    out.kind = Value::Kind::dict;
    pos += 2;
    while (true) {
      skip_space(d_, pos);
      if (pos + 1 < d_.size() && d_[pos] == '>' && d_[pos + 1] == '>') {
        pos += 2;
        return true;
      }
      if (pos >= d_.size() || d_[pos] != '/') return false;
      if (out.items.size() >= limits_.max_entries) return false;
      std::string key;
      if (!name(pos, key)) return false;
      Value v;
      if (!value(pos, v, depth + 1)) return false;
      out.keys.push_back(std::move(key));
      out.items.push_back(std::move(v));
    }
  }

  bool array(uint64_t& pos, Value& out, uint32_t depth) {
    out.kind = Value::Kind::array;
    ++pos;
    while (true) {
      skip_space(d_, pos);
      if (pos < d_.size() && d_[pos] == ']') {
        ++pos;
        return true;
      }
      if (pos >= d_.size() || out.items.size() >= limits_.max_entries) return false;
      Value v;
      if (!value(pos, v, depth + 1)) return false;
      out.items.push_back(std::move(v));
    }
  }

  bool hex_string(uint64_t& pos, Value& out) {
    out.kind = Value::Kind::string;
    ++pos;
    out.text_offset = pos;
    int high = -1;
    while (pos < d_.size() && d_[pos] != '>') {
      const uint8_t c = d_[pos++];
      if (is_whitespace(c)) continue;
      const int h = hex_digit_value(c);
      if (h < 0) return false;
      if (high < 0) {
        high = h;
      } else {
        if (out.text.size() >= limits_.max_string) return false;
        out.text.push_back(static_cast<char>(high * 16 + h));
        high = -1;
      }
    }
    if (pos >= d_.size()) return false;
    ++pos;
    if (high >= 0) out.text.push_back(static_cast<char>(high * 16));  // odd digit count: final 0 implied
    return true;
  }

  bool literal(uint64_t& pos, Value& out) {
    out.kind = Value::Kind::string;
    ++pos;
    out.text_offset = pos;
    int nesting = 1;
    while (pos < d_.size()) {
      uint8_t c = d_[pos++];
      if (c == '(') {
        ++nesting;
      } else if (c == ')') {
        if (--nesting == 0) return true;
      } else if (c == '\\') {
        if (pos >= d_.size()) return false;
        c = d_[pos++];
        switch (c) {
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case '\r':  // line continuation
            if (pos < d_.size() && d_[pos] == '\n') ++pos;
            continue;
          case '\n': continue;
          default:
            if (c >= '0' && c <= '7') {
              unsigned v = c - '0';
              for (int k = 0; k < 2 && pos < d_.size() && d_[pos] >= '0' && d_[pos] <= '7'; ++k)
                v = v * 8 + (d_[pos++] - '0');
              c = static_cast<uint8_t>(v & 0xFF);
            }
            // any other escaped byte stands for itself
        }
      } else if (c == '\r') {
        // an end-of-line in a literal string reads as a single '\n'
        if (pos < d_.size() && d_[pos] == '\n') ++pos;
        c = '\n';
      }
      if (out.text.size() >= limits_.max_string) return false;
      out.text.push_back(static_cast<char>(c));
    }
    return false;
  }

  bool read_uint(uint64_t& pos, int64_t& v) {
    const uint64_t start = pos;
    v = 0;
    while (pos < d_.size() && is_digit(d_[pos]) && pos - start < 18) v = v * 10 + (d_[pos++] - '0');
    return pos > start && (pos >= d_.size() || !is_digit(d_[pos]));
  }

  bool number_or_ref(uint64_t& pos, Value& out) {
    const uint64_t start = pos;
    bool negative = false;
    if (d_[pos] == '+' || d_[pos] == '-') negative = d_[pos++] == '-';
    int64_t whole = 0;
    const uint64_t digits_start = pos;
    while (pos < d_.size() && is_digit(d_[pos])) {
      if (pos - digits_start < 18) whole = whole * 10 + (d_[pos] - '0');
      ++pos;
    }
    if (pos < d_.size() && d_[pos] == '.') {
      ++pos;
      double frac = 0, scale = 1;
      while (pos < d_.size() && is_digit(d_[pos])) {
        if (scale > 1e-15) {
          scale /= 10;
          frac += (d_[pos] - '0') * scale;
        }
        ++pos;
      }
      if (pos == start + 1 && !is_digit(d_[start])) return false;
      out.kind = Value::Kind::real;
      out.real = (static_cast<double>(whole) + frac) * (negative ? -1 : 1);
      return true;
    }
    if (pos == digits_start) return false;
    out.kind = Value::Kind::integer;
    out.integer = negative ? -whole : whole;
    // "N G R" is a reference; look ahead without committing.
    if (!negative && d_[start] != '+') {
      uint64_t p = pos;
      skip_space(d_, p);
      int64_t gen = 0;
      if (p > pos && p < d_.size() && read_uint(p, gen)) {
        uint64_t q = p;
        skip_space(d_, q);
        if (q > p && q < d_.size() && d_[q] == 'R' && (q + 1 >= d_.size() || is_whitespace(d_[q + 1]) ||
                                                        is_delimiter(d_[q + 1]))) {
          out.kind = Value::Kind::ref;
          out.generation = static_cast<uint32_t>(gen & 0xFFFF);
          pos = q + 1;
        }
      }
    }
    return true;
  }

  bool keyword(uint64_t& pos, Value& out) {
    const uint64_t start = pos;
    while (pos < d_.size() && !is_whitespace(d_[pos]) && !is_delimiter(d_[pos]) && pos - start < 8) ++pos;
    const std::string_view word(reinterpret_cast<const char*>(d_.data() + start), pos - start);
    if (word == "true" || word == "false") {
      out.kind = Value::Kind::boolean;
      out.boolean = word == "true";
      return true;
    }
    if (word == "null") {
      out.kind = Value::Kind::null;
      return true;
    }
    return false;
  }

  std::span<const uint8_t> d_;
  const ParseLimits& limits_;
};

}  // namespace

const Value* Value::get(std::string_view key) const {
  if (kind != Kind::dict) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

bool is_whitespace(uint8_t c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
bool is_delimiter(uint8_t c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' ||
         c == '/' || c == '%';
}

void skip_space(std::span<const uint8_t> data, uint64_t& pos) {
  while (pos < data.size()) {
    if (is_whitespace(data[pos])) {
      ++pos;
    } else if (data[pos] == '%') {
      while (pos < data.size() && data[pos] != '\n' && data[pos] != '\r') ++pos;
    } else {
      break;
    }
  }
}

bool parse_value(std::span<const uint8_t> data, uint64_t& pos, const ParseLimits& limits, Value& out) {
  out = Value{};
  Parser p(data, limits);
  uint64_t at = pos;
  if (!p.value(at, out, 0)) return false;
  pos = at;
  return true;
}

}  // namespace trawl::formats::pdf
