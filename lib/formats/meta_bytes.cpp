#include "formats/meta_bytes.hpp"

#include <algorithm>
#include <cstdio>

#include "core/utf8.hpp"

namespace trawl::formats::meta {

namespace {
template <typename Unit>
std::string utf16_to_utf8(Bytes b, Unit unit) {
  std::string text;
  const size_t n = b.size() / 2;
  for (size_t i = 0; i < n; ++i) {
    uint32_t cp = unit(b, i * 2);
    if (cp == 0) break;
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n) {
      const uint32_t low = unit(b, (i + 1) * 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        ++i;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    append_utf8(text, cp);
  }
  return text;
}
}  // namespace

std::string latin1_to_utf8(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  for (char c : bytes) append_utf8(text, static_cast<unsigned char>(c));
  return text;
}

std::string utf8_or_latin1(std::string_view bytes) {
  return is_valid_utf8(bytes) ? std::string(bytes) : latin1_to_utf8(bytes);
}

std::string utf16le_to_utf8(Bytes b) { return utf16_to_utf8(b, [](Bytes s, size_t at) { return uint32_t{le16(s, at)}; }); }
std::string utf16be_to_utf8(Bytes b) { return utf16_to_utf8(b, [](Bytes s, size_t at) { return uint32_t{be16(s, at)}; }); }

std::string_view trim_c_string(std::string_view text) {
  if (auto nul = text.find('\0'); nul != std::string_view::npos) text = text.substr(0, nul);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

namespace {
bool digits(std::string_view text, size_t at, size_t n, int& value) {
  value = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

bool valid_date(int year, int month, int day) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

std::string two(int v) { return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }
}  // namespace

std::optional<std::string> exif_date_to_iso(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() != 19 || text[4] != ':' || text[7] != ':' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  if (!digits(text, 0, 4, y) || !digits(text, 5, 2, mo) || !digits(text, 8, 2, d) || !digits(text, 11, 2, h) ||
      !digits(text, 14, 2, mi) || !digits(text, 17, 2, s))
    return std::nullopt;
  if (!valid_date(y, mo, d) || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::string iso(text);
  iso[4] = '-';
  iso[7] = '-';
  iso[10] = 'T';
  return iso;
}

std::optional<std::string> date_only_to_iso(std::string_view text) {
  int y = 0, mo = 0, d = 0;
  if (text.size() == 10 && (text[4] == ':' || text[4] == '-') && text[7] == text[4]) {
    if (!digits(text, 0, 4, y) || !digits(text, 5, 2, mo) || !digits(text, 8, 2, d)) return std::nullopt;
  } else if (text.size() == 8) {
    if (!digits(text, 0, 4, y) || !digits(text, 4, 2, mo) || !digits(text, 6, 2, d)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!valid_date(y, mo, d)) return std::nullopt;
  return std::string(text.substr(0, 4)) + "-" + two(mo) + "-" + two(d);
}

bool is_utc_offset(std::string_view text) {
  if (text == "Z") return true;
  int h = 0, m = 0;
  return text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':' && digits(text, 1, 2, h) &&
         digits(text, 4, 2, m) && h <= 14 && m <= 59;
}

const MetaLimits& limits_of(const MetaContext& ctx) {
  static const MetaLimits kDefaults;
  return ctx.limits ? *ctx.limits : kDefaults;
}

void add_field(MetaFields& out, MetaOutcome& outcome, const MetaContext& ctx, MetaField field) {
  const uint32_t max = limits_of(ctx).max_fields;
  if (out.size() < max) {
    out.push_back(std::move(field));
  } else if (out.size() == max) {
    static constexpr const char* kWarning = "field limit reached; further fields dropped";
    if (std::find(outcome.warnings.begin(), outcome.warnings.end(), kWarning) == outcome.warnings.end())
      outcome.warnings.emplace_back(kWarning);
  }
}

EmbeddedBlock& add_xmp_block(MetaOutcome& outcome, const MetaContext& ctx, const std::string& segment,
                             uint64_t offset_in_span, uint64_t length) {
  EmbeddedBlock block;
  block.kind = "xmp";
  block.offset = ctx.base + offset_in_span;
  block.length = length;
  block.path = ctx.path_of(segment);
  block.revision = ctx.revision;
  outcome.embedded.push_back(std::move(block));
  return outcome.embedded.back();
}

MetaField make_field(const MetaContext& ctx, std::string group, std::string tag, MetaValue value,
                     const std::string& segment, uint64_t offset_in_span) {
  MetaField field;
  field.group = std::move(group);
  field.tag = std::move(tag);
  field.value = std::move(value);
  field.path = ctx.path_of(segment);
  field.offset = ctx.base + offset_in_span;
  field.revision = ctx.revision;
  return field;
}

std::string number_text(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

}  // namespace trawl::formats::meta
