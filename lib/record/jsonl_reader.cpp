#include "record/jsonl_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <functional>
#include <limits>
#include <queue>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/base64.hpp"
#include "core/hex.hpp"
#include "core/utf8.hpp"

namespace trawl::record {
namespace {

// Record::set is linear in the number of fields, so a hostile line with
// millions of keys would take quadratic time; real records have dozens.
constexpr size_t kMaxFields = 10'000;
// Below this many fields a linear key search beats hashing.
constexpr size_t kLinearLookup = 32;
constexpr std::string_view kB64Suffix = "_b64";
// One read(2): what a pipe hands over at a time, and large enough for files.
constexpr size_t kReadBlock = 64u << 10;

enum CharClass : uint8_t { kPlain = 0, kQuote, kBackslash, kControl, kHigh };

constexpr std::array<uint8_t, 256> make_string_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<size_t>(c)] = kControl;
  for (int c = 0x80; c < 0x100; ++c) t[static_cast<size_t>(c)] = kHigh;
  t['"'] = kQuote;
  t['\\'] = kBackslash;
  return t;
}
constexpr auto kStringClass = make_string_classes();

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool ends_with_b64(std::string_view key) { return key.ends_with(kB64Suffix); }

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
};

/// The fields of one object in source order, with last-wins duplicates and a
/// key index that only exists once the object is large enough to need it.
class FieldTable {
 public:
  size_t size() const { return fields_.size(); }
  std::vector<Field>& fields() { return fields_; }

  /// Index of the live field named `key`, or npos.
  size_t find(std::string_view key) const {
    if (index_.empty()) {
      for (size_t i = 0; i < fields_.size(); ++i)
        if (!dead_[i] && fields_[i].key == key) return i;
      return kNpos;
    }
    const auto it = index_.find(key);
    return it == index_.end() ? kNpos : it->second;
  }
  void append(std::string key, Value value) {
    fields_.push_back(Field{std::move(key), std::move(value)});
    dead_.push_back(false);
    if (!index_.empty()) {
      index_.emplace(fields_.back().key, fields_.size() - 1);
    } else if (fields_.size() > kLinearLookup) {
      for (size_t i = 0; i < fields_.size(); ++i)
        if (!dead_[i]) index_.emplace(fields_[i].key, i);
    }
  }
  void kill(size_t i) {
    if (!index_.empty()) index_.erase(fields_[i].key);
    dead_[i] = true;
  }
  void rename(size_t i, std::string key) {
    if (!index_.empty()) {
      index_.erase(fields_[i].key);
      index_.emplace(key, i);
    }
    fields_[i].key = std::move(key);
  }
  bool dead(size_t i) const { return dead_[i]; }

  static constexpr size_t kNpos = static_cast<size_t>(-1);

 private:
  std::vector<Field> fields_;
  std::vector<bool> dead_;
  std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>> index_;
};

/// Applies the `key_b64` rule of jsonl_reader.hpp. Longer keys go first, so
/// `k_b64_b64` settles the value of `k_b64` before `k_b64` itself is looked
/// at; that order makes the result a fixed point of write-then-read (no
/// decodable `_b64` string and no bytes-plus-companion pair is left over).
void restore_b64(FieldTable& table) {
  // (key length, -index): the largest length first, then source order.
  using Item = std::pair<size_t, std::ptrdiff_t>;
  std::priority_queue<Item> queue;
  auto consider = [&](size_t i) {
    const Field& f = table.fields()[i];
    if (ends_with_b64(f.key) && std::holds_alternative<std::string>(f.value))
      queue.emplace(f.key.size(), -static_cast<std::ptrdiff_t>(i));
  };
  for (size_t i = 0; i < table.size(); ++i) consider(i);
  while (!queue.empty()) {
    const auto [length, neg_index] = queue.top();
    queue.pop();
    const auto i = static_cast<size_t>(-neg_index);
    if (table.dead(i)) continue;
    Field& field = table.fields()[i];
    if (field.key.size() != length) continue;  // renamed since it was queued
    const auto* text = std::get_if<std::string>(&field.value);
    if (text == nullptr) continue;
    auto bytes = base64_decode(*text);
    if (!bytes) continue;
    std::string base = field.key.substr(0, field.key.size() - kB64Suffix.size());
    const size_t j = table.find(base);
    if (j != FieldTable::kNpos) {
      table.fields()[j].value = std::move(*bytes);
      table.kill(i);
      consider(j);
    } else {
      field.value = std::move(*bytes);
      table.rename(i, std::move(base));
      consider(i);
    }
  }
}

class Parser {
 public:
  Parser(std::string_view text, unsigned max_depth) : s_(text), max_depth_(max_depth) {}

  Result<Record> parse_record() {
    if (!parse_object()) return std::move(error_);
    if (has_b64_) restore_b64(table_);
    Record record;
    auto& fields = table_.fields();
    for (size_t i = 0; i < fields.size(); ++i)
      if (!table_.dead(i)) record.set(fields[i].key, std::move(fields[i].value));
    return record;
  }

 private:
  // Every message starts with the 0-based offset in the line of the byte
  // that is wrong.
  bool fail(size_t at, std::string_view what, Errc code = Errc::data_loss) {
    error_ = make_error(code, fmt::format("at byte {}: {}", at, what));
    return false;
  }
  /// A token was expected at pos_; says "end of input" when that is why.
  bool expected(std::string_view what) {
    return fail(pos_, pos_ >= s_.size() ? std::string_view("unexpected end of input") : what);
  }
  bool too_deep() {
    return fail(pos_, fmt::format("nesting deeper than {} levels", max_depth_), Errc::resource_exhausted);
  }
  void skip_ws() {
    while (pos_ < s_.size() && is_ws(s_[pos_])) ++pos_;
  }
  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }

  bool parse_object() {
    skip_ws();
    if (!at('{')) return expected("expected an object");
    if (max_depth_ < 1) return too_deep();
    ++pos_;
    skip_ws();
    if (at('}')) {
      ++pos_;
    } else {
      for (;;) {
        if (!at('"')) return expected("expected a string key");
        const size_t key_at = pos_;
        key_.clear();
        if (!parse_string(&key_)) return false;
        skip_ws();
        if (!at(':')) return expected("expected ':'");
        ++pos_;
        skip_ws();
        Value value;
        if (!parse_value(value)) return false;
        if (const size_t i = table_.find(key_); i != FieldTable::kNpos) {
          table_.fields()[i].value = std::move(value);
        } else {
          if (table_.size() >= kMaxFields)
            return fail(key_at, fmt::format("more than {} fields", kMaxFields), Errc::resource_exhausted);
          has_b64_ = has_b64_ || ends_with_b64(key_);
          table_.append(key_, std::move(value));
        }
        skip_ws();
        if (at(',')) {
          ++pos_;
          skip_ws();
          continue;
        }
        if (at('}')) {
          ++pos_;
          break;
        }
        return expected("expected ',' or '}'");
      }
    }
    skip_ws();
    if (pos_ != s_.size()) return fail(pos_, "trailing characters after the object");
    return true;
  }

  /// A value of the top-level object: scalars are converted, containers are
  /// validated and kept as their source text.
  bool parse_value(Value& out) {
    if (pos_ >= s_.size()) return expected("");
    const char c = s_[pos_];
    if (c == '"') {
      std::string text;
      if (!parse_string(&text)) return false;
      out = std::move(text);
      return true;
    }
    if (c == '-' || is_digit(c)) return parse_number(&out);
    if (c == '[' || c == '{') {
      const size_t start = pos_;
      if (!skip_container()) return false;
      out = RawJson{std::string(s_.substr(start, pos_ - start))};
      return true;
    }
    return parse_literal(&out);
  }

  bool parse_literal(Value* out) {
    const std::string_view rest = s_.substr(pos_);
    if (rest.starts_with("true")) {
      if (out) *out = true;
      pos_ += 4;
    } else if (rest.starts_with("false")) {
      if (out) *out = false;
      pos_ += 5;
    } else if (rest.starts_with("null")) {
      if (out) *out = std::monostate{};
      pos_ += 4;
    } else {
      return expected("expected a value");
    }
    return true;
  }

  /// Checks the RFC 8259 number grammar at pos_; converts it when `out` is set.
  bool parse_number(Value* out) {
    const size_t start = pos_;
    const size_t n = s_.size();
    size_t i = pos_;
    const bool negative = s_[i] == '-';
    if (negative) ++i;
    if (i >= n || !is_digit(s_[i])) return fail(start, "invalid number");
    if (s_[i] == '0') {
      ++i;
      if (i < n && is_digit(s_[i])) return fail(start, "invalid number");
    } else {
      while (i < n && is_digit(s_[i])) ++i;
    }
    const size_t int_end = i;
    bool integral = true;
    if (i < n && s_[i] == '.') {
      integral = false;
      ++i;
      if (i >= n || !is_digit(s_[i])) return fail(start, "invalid number");
      while (i < n && is_digit(s_[i])) ++i;
    }
    if (i < n && (s_[i] == 'e' || s_[i] == 'E')) {
      integral = false;
      ++i;
      if (i < n && (s_[i] == '+' || s_[i] == '-')) ++i;
      if (i >= n || !is_digit(s_[i])) return fail(start, "invalid number");
      while (i < n && is_digit(s_[i])) ++i;
    }
    pos_ = i;
    if (out == nullptr) return true;

    const std::string_view text = s_.substr(start, i - start);
    if (integral) {
      // At most 20 digits can fit; longer ones fall through to double.
      const std::string_view digits = s_.substr(negative ? start + 1 : start, int_end - (negative ? start + 1 : start));
      uint64_t magnitude = 0;
      bool fits = digits.size() <= 20;
      for (size_t k = 0; fits && k < digits.size(); ++k) {
        const auto d = static_cast<uint64_t>(digits[k] - '0');
        if (magnitude > (std::numeric_limits<uint64_t>::max() - d) / 10) fits = false;
        else magnitude = magnitude * 10 + d;
      }
      if (fits && !negative) {
        *out = magnitude;
        return true;
      }
      // "-0" stays a double so that its sign survives a round trip.
      constexpr uint64_t kMinMagnitude = uint64_t{1} << 63;
      if (fits && negative && magnitude != 0 && magnitude <= kMinMagnitude) {
        *out = magnitude == kMinMagnitude ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(magnitude);
        return true;
      }
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
      // Beyond double: pass the literal through unchanged rather than invent
      // an infinity or a zero.
      *out = RawJson{std::string(text)};
      return true;
    }
    if (ec != std::errc() || end != text.data() + text.size())
      return fail(start, "invalid number", Errc::internal);  // the grammar check above should prevent this
    *out = d;
    return true;
  }

  /// A string literal at pos_ (which holds the opening quote); the decoded
  /// bytes go to `out` unless it is null.
  bool parse_string(std::string* out) {
    const size_t open = pos_;
    const size_t n = s_.size();
    size_t i = pos_ + 1;
    for (;;) {
      size_t run = i;
      while (run < n && kStringClass[static_cast<unsigned char>(s_[run])] == kPlain) ++run;
      if (out) out->append(s_.data() + i, run - i);
      i = run;
      if (i >= n) return fail(open, "unterminated string");
      switch (kStringClass[static_cast<unsigned char>(s_[i])]) {
        case kQuote:
          pos_ = i + 1;
          return true;
        case kControl:
          return fail(i, "raw control character in string");
        case kHigh: {
          const size_t len = utf8_sequence_length(s_, i);
          if (len == 0) return fail(i, "invalid UTF-8 in string");
          if (out) out->append(s_.data() + i, len);
          i += len;
          break;
        }
        default:  // kBackslash
          if (!parse_escape(i, out)) return false;
      }
    }
  }

  /// The escape at s_[i] == '\\'; advances `i` past it.
  bool parse_escape(size_t& i, std::string* out) {
    const size_t n = s_.size();
    if (i + 1 >= n) return fail(i, "invalid escape");
    char plain = 0;
    switch (s_[i + 1]) {
      case '"': plain = '"'; break;
      case '\\': plain = '\\'; break;
      case '/': plain = '/'; break;
      case 'b': plain = '\b'; break;
      case 'f': plain = '\f'; break;
      case 'n': plain = '\n'; break;
      case 'r': plain = '\r'; break;
      case 't': plain = '\t'; break;
      case 'u': break;
      default: return fail(i, "invalid escape");
    }
    if (plain != 0) {
      if (out) *out += plain;
      i += 2;
      return true;
    }
    auto hex4 = [&](size_t at) -> int32_t {
      if (at > n || n - at < 4) return -1;
      int32_t v = 0;
      for (size_t k = 0; k < 4; ++k) {
        const int h = hex_digit_value(s_[at + k]);
        if (h < 0) return -1;
        v = v << 4 | h;
      }
      return v;
    };
    const int32_t high = hex4(i + 2);
    if (high < 0) return fail(i, "invalid \\u escape");
    auto cp = static_cast<uint32_t>(high);
    size_t len = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(i, "lone surrogate escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const bool escape_follows = i + 7 < n && s_[i + 6] == '\\' && s_[i + 7] == 'u';
      const int32_t low = escape_follows ? hex4(i + 8) : -1;
      if (low < 0xDC00 || low > 0xDFFF) return fail(i, "lone surrogate escape");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
      len = 12;
    }
    if (out) append_utf8(*out, cp);
    i += len;
    return true;
  }

  /// Validates the array or object at pos_ (a value of the top-level object,
  /// so depth 2) without recursion: `stack` holds the open brackets.
  bool skip_container() {
    std::string stack;
    auto open = [&]() {
      if (stack.size() + 2 > max_depth_) return too_deep();
      stack += s_[pos_];
      ++pos_;
      return true;
    };
    if (!open()) return false;
    // After an opening bracket: an immediate close, or the first member.
    bool first = true;
    for (;;) {
      skip_ws();
      const char top = stack.back();
      const char close = top == '{' ? '}' : ']';
      if (first && at(close)) {
        ++pos_;
        stack.pop_back();
      } else {
        if (top == '{') {
          if (!at('"')) return expected("expected a string key");
          if (!parse_string(nullptr)) return false;
          skip_ws();
          if (!at(':')) return expected("expected ':'");
          ++pos_;
          skip_ws();
        }
        if (at('[') || at('{')) {
          if (!open()) return false;
          first = true;
          continue;
        }
        if (at('"')) {
          if (!parse_string(nullptr)) return false;
        } else if (at('-') || (pos_ < s_.size() && is_digit(s_[pos_]))) {
          if (!parse_number(nullptr)) return false;
        } else if (!parse_literal(nullptr)) {
          return false;
        }
      }
      // After a complete value: close as many containers as the input does.
      for (;;) {
        if (stack.empty()) return true;
        skip_ws();
        const char c = stack.back() == '{' ? '}' : ']';
        if (at(c)) {
          ++pos_;
          stack.pop_back();
          continue;
        }
        if (at(',')) {
          ++pos_;
          first = false;
          break;
        }
        return expected(c == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  }

  std::string_view s_;
  unsigned max_depth_;
  size_t pos_ = 0;
  std::string key_;
  FieldTable table_;
  bool has_b64_ = false;
  Error error_;
};

bool is_blank(std::string_view line) {
  for (const char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

Result<Record> parse_json_record(std::string_view line, unsigned max_depth) {
  return Parser(line, max_depth).parse_record();
}

// Reads one block after compacting the buffer. False at end of input or on a
// read error; errno is 0 for the former and the error code for the latter.
bool JsonlReader::fill() {
  if (eof_) {
    errno = 0;
    return false;
  }
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  const size_t old = buffer_.size();
  buffer_.resize(old + kReadBlock);
  for (;;) {
    const ssize_t got = ::read(fd_, buffer_.data() + old, kReadBlock);
    if (got > 0) {
      buffer_.resize(old + static_cast<size_t>(got));
      return true;
    }
    if (got == 0) {
      buffer_.resize(old);
      eof_ = true;
      errno = 0;
      return false;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking fd: wait instead of spinning
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    const int saved = errno;
    buffer_.resize(old);
    eof_ = true;
    errno = saved;
    return false;
  }
}

Result<std::optional<Record>> JsonlReader::next() {
  auto read_error = [](int code) {
    return make_error(Errc::io, "read: " + std::generic_category().message(code));
  };
  size_t scanned = 0;  // bytes after start_ known to hold no newline
  for (;;) {
    const char* base = buffer_.data() + start_;
    const size_t avail = buffer_.size() - start_;
    const void* newline = std::memchr(base + scanned, '\n', avail - scanned);
    std::string_view line;
    if (newline != nullptr) {
      const auto length = static_cast<size_t>(static_cast<const char*>(newline) - base);
      line = std::string_view(base, length);
      start_ += length + 1;
    } else if (avail > max_line_ && avail - max_line_ > 1) {
      // Longer than allowed even if it ends in "\r\n": drop it up to the next
      // newline without keeping it.
      const bool comment = base[0] == '#';
      buffer_.clear();
      start_ = 0;
      for (;;) {
        if (!fill()) {
          if (errno != 0) return read_error(errno);
          break;
        }
        const size_t at = buffer_.find('\n');
        if (at != std::string::npos) {
          start_ = at + 1;
          break;
        }
        buffer_.clear();
      }
      ++line_number_;
      scanned = 0;
      if (comment) continue;
      return make_error(Errc::data_loss, fmt::format("line longer than {} bytes", max_line_));
    } else if (!eof_) {
      scanned = avail;
      if (!fill() && errno != 0) return read_error(errno);
      continue;
    } else if (avail > 0) {
      line = std::string_view(base, avail);  // the last line has no newline
      start_ = buffer_.size();
    } else {
      return std::optional<Record>();
    }
    ++line_number_;
    scanned = 0;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line) || line.front() == '#') continue;
    if (line.size() > max_line_) return make_error(Errc::data_loss, fmt::format("line longer than {} bytes", max_line_));
    auto record = parse_json_record(line);
    if (!record) return record.error();
    return std::optional<Record>(std::move(record).value());
  }
}

}  // namespace trawl::record
