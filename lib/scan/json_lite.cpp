#include "scan/json_lite.hpp"

#include <cstdint>

namespace trawl::scan {
namespace {

constexpr int kMaxDepth = 32;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Result<JsonValue> value(int depth) {
    if (depth > kMaxDepth) return fail("nesting too deep");
    skip_space();
    if (pos_ >= text_.size()) return fail("truncated");
    const char c = text_[pos_];
    JsonValue v;
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      auto s = string();
      if (!s) return s.error();
      v.type = JsonType::string;
      v.text = std::move(*s);
      return v;
    }
    if (literal("true")) {
      v.type = JsonType::boolean;
      v.boolean = true;
      return v;
    }
    if (literal("false")) {
      v.type = JsonType::boolean;
      return v;
    }
    if (literal("null")) return v;
    if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = pos_;
      ++pos_;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if ((d >= '0' && d <= '9') || d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') {
          ++pos_;
        } else {
          break;
        }
      }
      v.type = JsonType::number;
      v.text = std::string(text_.substr(start, pos_ - start));
      return v;
    }
    return fail("unexpected character");
  }

  std::size_t pos() const { return pos_; }

 private:
  static Error fail(const char* what) { return make_error(Errc::data_loss, std::string("json: ") + what); }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Result<std::string> string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (text_.size() - pos_ < 4) return fail("truncated escape");
          std::uint32_t cp = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = text_[pos_++];
            cp <<= 4;
            if (h >= '0' && h <= '9') cp |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') cp |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') cp |= static_cast<std::uint32_t>(h - 'A' + 10);
            else return fail("bad \\u escape");
          }
          append_utf8(out, cp);  // surrogate pairs are kept as two code points: wallets use ASCII
          break;
        }
        default: return fail("bad escape");
      }
    }
    return fail("truncated string");
  }

  Result<JsonValue> array(int depth) {
    ++pos_;
    JsonValue v;
    v.type = JsonType::array;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return v;
    }
    for (;;) {
      auto item = value(depth + 1);
      if (!item) return item.error();
      v.items.push_back(std::move(*item));
      skip_space();
      if (pos_ >= text_.size()) return fail("truncated array");
      const char c = text_[pos_++];
      if (c == ']') return v;
      if (c != ',') return fail("expected , or ]");
    }
  }

  Result<JsonValue> object(int depth) {
    ++pos_;
    JsonValue v;
    v.type = JsonType::object;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return v;
    }
    for (;;) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected member name");
      auto key = string();
      if (!key) return key.error();
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected :");
      ++pos_;
      auto item = value(depth + 1);
      if (!item) return item.error();
      v.members.push_back(JsonMember{std::move(*key), std::move(*item)});
      skip_space();
      if (pos_ >= text_.size()) return fail("truncated object");
      const char c = text_[pos_++];
      if (c == '}') return v;
      if (c != ',') return fail("expected , or }");
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& [name, member] : members)
    if (name == key) return &member;
  return nullptr;
}

std::string JsonValue::string_of(std::string_view key) const {
  const JsonValue* v = find(key);
  return v != nullptr && v->type == JsonType::string ? v->text : std::string();
}

Result<JsonParse> parse_json_prefix(std::string_view text) {
  Reader reader(text);
  auto v = reader.value(0);
  if (!v) return v.error();
  return JsonParse{std::move(*v), reader.pos()};
}

}  // namespace trawl::scan
