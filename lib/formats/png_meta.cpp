#include "formats/png_meta.hpp"

#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/hex.hpp"
#include "formats/deflate.hpp"
#include "formats/inflate.hpp"
#include "formats/meta_bytes.hpp"
#include "formats/meta_parser.hpp"
#include "formats/photoshop_meta.hpp"
#include "formats/tiff_meta.hpp"

namespace trawl::formats {
namespace {

using meta::Bytes;
using meta::fits;

constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);

// ExifTool's PNG TextualData names for the registered keywords; other
// keywords become tag names the way ExifTool makes them (drop characters
// other than letters, digits, '-' and '_', upper-case the first letter).
std::string tag_name(std::string_view keyword) {
  if (keyword == "Creation Time") return "CreationTime";
  if (keyword == "Raw profile type exif" || keyword == "Raw profile type APP1") return "";
  std::string name;
  for (char c : keyword)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') name += c;
  if (name.empty()) return "Unknown";
  if (name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// ImageMagick raw profile: "\n<name>\n<spaces><decimal length>\n<hex...>".
std::optional<std::vector<uint8_t>> raw_profile(std::string_view text, uint64_t max) {
  size_t at = 0;
  while (at < text.size() && (text[at] == '\n' || text[at] == ' ')) ++at;
  const size_t name_end = text.find('\n', at);
  if (name_end == std::string_view::npos) return std::nullopt;
  at = name_end + 1;
  while (at < text.size() && text[at] == ' ') ++at;
  uint64_t length = 0;
  bool any = false;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9' && length < (uint64_t{1} << 40)) {
    length = length * 10 + static_cast<uint64_t>(text[at++] - '0');
    any = true;
  }
  if (!any || length > max || length > text.size() / 2) return std::nullopt;
  std::vector<uint8_t> bytes;
  bytes.reserve(length);
  int high = -1;
  for (; at < text.size() && bytes.size() < length; ++at) {
    const char c = text[at];
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else if (c == '\n' || c == ' ' || c == '\r' || c == '\t') continue;
    else return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      bytes.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (bytes.size() != length) return std::nullopt;
  return bytes;
}

class PngParser : meta::ParserState {
 public:
  PngParser(Bytes data, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : ParserState(data, ctx, out, outcome, "PNG") {}

  void run() {
    if (!meta::starts_with(data_, kSignature)) {
      warn("no PNG signature");
      return;
    }
    size_t at = kSignature.size();
    uint32_t chunks = 0;
    bool after_idat = false, late_text = false, ended = false;
    while (at < data_.size()) {
      if (!fits(data_.size(), at, 8)) {
        warn("truncated chunk header at offset " + std::to_string(ctx_.base + at));
        break;
      }
      if (++chunks > limits_.max_entries * 10u) {
        warn("too many chunks");
        break;
      }
      const uint32_t length = meta::be32(data_, at);
      const std::string type(meta::as_text(data_.subspan(at + 4, 4)));
      const size_t data_at = at + 8;
      if (!fits(data_.size(), data_at, uint64_t{length} + 4)) {
        warn("chunk " + type + " of " + std::to_string(length) + " bytes at offset " + std::to_string(ctx_.base + at) +
             " runs past the end");
        break;
      }
      const Bytes body = data_.subspan(data_at, length);
      if (crc32_of(body, crc32_of(data_.subspan(at + 4, 4))) != meta::be32(data_, data_at + length))
        warn("CRC mismatch in chunk " + type + " at offset " + std::to_string(ctx_.base + at));
      if (type == "IDAT") after_idat = true;
      const bool text = type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "eXIf";
      if (text && after_idat) late_text = true;
      chunk(type, body, data_at);
      at = data_at + length + 4;
      if (type == "IEND") {
        ended = true;
        break;
      }
    }
    if (late_text) warn("text/EXIF chunk(s) found after IDAT");
    if (ended && at < data_.size())
      warn(std::to_string(data_.size() - at) + " bytes of trailing data after IEND at offset " +
           std::to_string(ctx_.base + at));
  }

 private:

  void chunk(const std::string& type, Bytes body, size_t at) {
    if (type == "IHDR" && body.size() >= 8) {
      add(meta::make_field(ctx_, "PNG", "ImageWidth", static_cast<int64_t>(meta::be32(body, 0)), "IHDR", at));
      add(meta::make_field(ctx_, "PNG", "ImageHeight", static_cast<int64_t>(meta::be32(body, 4)), "IHDR", at + 4));
    } else if (type == "tIME" && body.size() >= 7) {
      char text[32];
      std::snprintf(text, sizeof text, "%04u:%02u:%02u %02u:%02u:%02u", meta::be16(body, 0), body[2], body[3], body[4],
                    body[5], body[6]);
      MetaField f = meta::make_field(ctx_, "PNG", "ModifyDate", std::string(), "tIME", at);
      f.raw = text;
      if (auto iso = meta::exif_date_to_iso(text)) {
        f.value = *iso;
      } else {
        f.value = std::string("invalid date");
        f.invalid = true;
        f.raw_hex = hex_lower(body.first(7));
      }
      add(std::move(f));
    } else if (type == "eXIf") {
      size_t skip = meta::starts_with(body, std::string_view("Exif\0\0", 6)) ? 6 : 0;
      parse_tiff_meta(body.subspan(skip), ctx_.nested("eXIf", at + skip), out_, outcome_);
    } else if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
      text_chunk(type, body, at);
    }
  }

  void text_chunk(const std::string& type, Bytes body, size_t at) {
    const std::string_view all = meta::as_text(body);
    const size_t nul = all.find('\0');
    if (nul == std::string_view::npos || nul == 0 || nul > 79) {
      warn(type + " chunk at offset " + std::to_string(ctx_.base + at) + " has no valid keyword");
      return;
    }
    const std::string keyword = meta::latin1_to_utf8(all.substr(0, nul));
    size_t text_at = nul + 1;
    bool compressed = false, utf8 = false;
    std::string language;  // ExifTool names iTXt text with a language Tag-lang
    if (type == "zTXt") {
      if (text_at >= body.size()) return;
      compressed = true;
      ++text_at;  // compression method (0 = zlib)
    } else if (type == "iTXt") {
      utf8 = true;
      if (!fits(body.size(), text_at, 2)) return;
      compressed = body[text_at] != 0;
      text_at += 2;
      for (int field = 0; field < 2; ++field) {  // language tag, translated keyword
        const size_t end = all.find('\0', text_at);
        if (end == std::string_view::npos) {
          warn("iTXt chunk " + keyword + " truncated");
          return;
        }
        if (field == 0) language = meta::utf8_or_latin1(all.substr(text_at, end - text_at));
        text_at = end + 1;
      }
    }
    Bytes text = body.subspan(std::min(text_at, body.size()));
    std::vector<uint8_t> inflated;
    if (compressed) {
      auto result = inflate_bytes(text, InflateFormat::zlib, limits_.max_value_bytes);
      if (!result.ok()) {
        std::string name = tag_name(keyword);
    if (!language.empty()) name += "-" + language;
    MetaField f = meta::make_field(ctx_, "PNG", name, std::string("undecompressable text"),
                                       type + "/" + keyword, at + text_at);
        f.invalid = true;
        f.raw_hex = hex_lower(text, 256);
        add(std::move(f));
        warn(type + " " + keyword + ": " + result.error().detail);
        return;
      }
      if (result->truncated) warn(type + " " + keyword + ": compressed text truncated");
      inflated = std::move(result->bytes);
      text = Bytes(inflated);
    }
    const std::string_view raw_text = meta::as_text(text.first(std::min<uint64_t>(text.size(), limits_.max_value_bytes)));
    if (keyword == "XML:com.adobe.xmp") {
      EmbeddedBlock& block = meta::add_xmp_block(outcome_, ctx_, type + "/" + keyword, at + text_at, text.size());
      if (compressed) {
        block.bytes = std::move(inflated);
        block.decoded = true;
      }
      return;
    }
    if (keyword.rfind("Raw profile type ", 0) == 0) {
      raw_profile_chunk(type, keyword, raw_text, at + text_at);
      return;
    }
    std::string name = tag_name(keyword);
    if (!language.empty()) name += "-" + language;
    MetaField f = meta::make_field(ctx_, "PNG", name,
                                   utf8 ? meta::utf8_or_latin1(raw_text) : meta::latin1_to_utf8(raw_text),
                                   type + "/" + keyword, at + text_at);
    if (compressed) f.offset.reset();
    add(std::move(f));
  }

  // Hex dumps decode to bytes that are not a slice of the item: parse them
  // into a side list and drop the (meaningless) offsets.
  void raw_profile_chunk(const std::string& type, const std::string& keyword, std::string_view text, uint64_t at) {
    std::string kind = keyword.substr(17);
    auto bytes = raw_profile(text, limits_.max_value_bytes);
    if (!bytes) {
      warn(type + " " + keyword + ": undecodable raw profile");
      return;
    }
    const std::string path = type + "/" + keyword;
    // "APP1" profiles hold either Exif or an XMP packet behind its JPEG signature.
    static constexpr std::string_view kXmpSignature("http://ns.adobe.com/xap/1.0/\0", 29);
    if (kind == "APP1" && meta::starts_with(Bytes(*bytes), kXmpSignature)) {
      bytes->erase(bytes->begin(), bytes->begin() + kXmpSignature.size());
      kind = "xmp";
    }
    if (kind == "xmp") {
      EmbeddedBlock& block = meta::add_xmp_block(outcome_, ctx_, path, at, bytes->size());
      block.bytes = std::move(*bytes);
      block.decoded = true;
      return;
    }
    MetaFields side;
    const MetaContext child = ctx_.nested(path, 0);
    Bytes b(*bytes);
    if (kind == "exif" || kind == "APP1") {
      if (meta::starts_with(b, std::string_view("Exif\0\0", 6))) b = b.subspan(6);
      parse_tiff_meta(b, child, side, outcome_);
    } else if (kind == "iptc" || kind == "8bim") {
      if (meta::starts_with(b, "8BIM")) parse_photoshop_irb(b, child, side, outcome_);
      else parse_iptc_iim(b, child, side, outcome_);
    } else {
      return;
    }
    for (auto& f : side) {
      f.offset.reset();
      add(std::move(f));
    }
  }

};

}  // namespace

void parse_png_meta(std::span<const uint8_t> png, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  PngParser(png, ctx, out, outcome).run();
}

}  // namespace trawl::formats
