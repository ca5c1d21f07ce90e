#include "formats/photoshop_meta.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "core/hex.hpp"
#include "formats/meta_bytes.hpp"

namespace trawl::formats {
namespace {

using meta::Bytes;
using meta::fits;

enum class IptcKind { text, date, time, number };

struct IptcTag {
  uint8_t record;
  uint8_t dataset;
  const char* name;
  IptcKind kind;
};

// ExifTool IPTC.pm names of the records examiners read.
constexpr IptcTag kIptcTags[] = {
    {1, 90, "CodedCharacterSet", IptcKind::text},
    {2, 0, "ApplicationRecordVersion", IptcKind::number},
    {2, 5, "ObjectName", IptcKind::text},
    {2, 15, "Category", IptcKind::text},
    {2, 20, "SupplementalCategories", IptcKind::text},
    {2, 25, "Keywords", IptcKind::text},
    {2, 40, "SpecialInstructions", IptcKind::text},
    {2, 55, "DateCreated", IptcKind::date},
    {2, 60, "TimeCreated", IptcKind::time},
    {2, 62, "DigitalCreationDate", IptcKind::date},
    {2, 63, "DigitalCreationTime", IptcKind::time},
    {2, 65, "OriginatingProgram", IptcKind::text},
    {2, 70, "ProgramVersion", IptcKind::text},
    {2, 80, "By-line", IptcKind::text},
    {2, 85, "By-lineTitle", IptcKind::text},
    {2, 90, "City", IptcKind::text},
    {2, 92, "Sub-location", IptcKind::text},
    {2, 95, "Province-State", IptcKind::text},
    {2, 100, "Country-PrimaryLocationCode", IptcKind::text},
    {2, 101, "Country-PrimaryLocationName", IptcKind::text},
    {2, 103, "OriginalTransmissionReference", IptcKind::text},
    {2, 105, "Headline", IptcKind::text},
    {2, 110, "Credit", IptcKind::text},
    {2, 115, "Source", IptcKind::text},
    {2, 116, "CopyrightNotice", IptcKind::text},
    {2, 118, "Contact", IptcKind::text},
    {2, 120, "Caption-Abstract", IptcKind::text},
    {2, 122, "Writer-Editor", IptcKind::text},
};

const IptcTag* find_iptc(uint8_t record, uint8_t dataset) {
  for (const auto& t : kIptcTags)
    if (t.record == record && t.dataset == dataset) return &t;
  return nullptr;
}

// "101007+0100" -> "10:10:07+01:00"; nullopt when malformed.
std::optional<std::string> iptc_time(std::string_view t) {
  auto digits = [&](size_t from, size_t n) {
    if (t.size() < from + n) return false;
    for (size_t i = from; i < from + n; ++i)
      if (t[i] < '0' || t[i] > '9') return false;
    return true;
  };
  if (!digits(0, 6)) return std::nullopt;
  const int h = (t[0] - '0') * 10 + t[1] - '0', m = (t[2] - '0') * 10 + t[3] - '0', s = (t[4] - '0') * 10 + t[5] - '0';
  if (h > 23 || m > 59 || s > 60) return std::nullopt;
  std::string text = std::string(t.substr(0, 2)) + ":" + std::string(t.substr(2, 2)) + ":" + std::string(t.substr(4, 2));
  if (t.size() == 6) return text;
  if (t.size() == 11 && (t[6] == '+' || t[6] == '-') && digits(7, 4)) {
    std::string zone = std::string(1, t[6]) + std::string(t.substr(7, 2)) + ":" + std::string(t.substr(9, 2));
    if (!meta::is_utc_offset(zone)) return std::nullopt;
    return text + zone;
  }
  return std::nullopt;
}

}  // namespace

void parse_iptc_iim(std::span<const uint8_t> iim, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  const MetaLimits& limits = meta::limits_of(ctx);
  bool utf8 = false;
  size_t at = 0;
  uint32_t entries = 0;
  while (at < iim.size()) {
    if (iim[at] != 0x1C) {
      // Padding after the last dataset is common; anything else is noted.
      bool zeros = true;
      for (size_t i = at; i < iim.size(); ++i) zeros = zeros && iim[i] == 0;
      if (!zeros) outcome.warnings.push_back(ctx.path_of("IPTC") + ": bad dataset tag at offset " + std::to_string(ctx.base + at));
      return;
    }
    if (!fits(iim.size(), at, 5)) {
      outcome.warnings.push_back(ctx.path_of("IPTC") + ": truncated dataset header");
      return;
    }
    if (++entries > limits.max_entries) {
      outcome.warnings.push_back(ctx.path_of("IPTC") + ": more than " + std::to_string(limits.max_entries) + " datasets");
      return;
    }
    const uint8_t record = iim[at + 1], dataset = iim[at + 2];
    uint64_t length = meta::be16(iim, at + 3);
    size_t data_at = at + 5;
    if (length & 0x8000) {
      // Extended dataset: the low bits give how many bytes hold the length.
      const size_t n = length & 0x7FFF;
      if (n == 0 || n > 8 || !fits(iim.size(), data_at, n)) {
        outcome.warnings.push_back(ctx.path_of("IPTC") + ": bad extended dataset length");
        return;
      }
      length = 0;
      for (size_t i = 0; i < n; ++i) length = length << 8 | iim[data_at + i];
      data_at += n;
    }
    if (!fits(iim.size(), data_at, length)) {
      outcome.warnings.push_back(ctx.path_of("IPTC") + ": dataset " + std::to_string(record) + ":" +
                                 std::to_string(dataset) + " of " + std::to_string(length) + " bytes runs past the end");
      return;
    }
    const Bytes data = iim.subspan(data_at, length);
    at = data_at + length;
    if (record == 1 && dataset == 90) utf8 = meta::as_text(data) == "\x1b%G";
    const IptcTag* tag = find_iptc(record, dataset);
    if (!tag) continue;
    const std::string segment = "IPTC/" + std::to_string(record) + ":" + std::to_string(dataset);
    const Bytes shown = data.first(std::min<uint64_t>(data.size(), limits.max_value_bytes));
    const std::string text = utf8 ? meta::utf8_or_latin1(meta::as_text(shown)) : meta::latin1_to_utf8(meta::as_text(shown));
    MetaField f = meta::make_field(ctx, "IPTC", tag->name, text, segment, data_at);
    switch (tag->kind) {
      case IptcKind::text:
        break;
      case IptcKind::number:
        if (data.size() == 2) f.value = static_cast<int64_t>(meta::be16(data, 0));
        else if (data.size() == 1) f.value = static_cast<int64_t>(data[0]);
        break;
      case IptcKind::date:
        f.raw = text;
        if (auto iso = meta::date_only_to_iso(text)) {
          f.value = *iso;
        } else {
          f.value = std::string("invalid date");
          f.invalid = true;
          f.raw_hex = hex_lower(data);
        }
        break;
      case IptcKind::time:
        f.raw = text;
        if (auto t = iptc_time(text)) {
          f.value = *t;
        } else {
          f.value = std::string("invalid time");
          f.invalid = true;
          f.raw_hex = hex_lower(data);
        }
        break;
    }
    meta::add_field(out, outcome, ctx, std::move(f));
  }
}

void parse_photoshop_irb(std::span<const uint8_t> irb, const MetaContext& ctx, MetaFields& out,
                         MetaOutcome& outcome) {
  const MetaLimits& limits = meta::limits_of(ctx);
  size_t at = 0;
  uint32_t entries = 0;
  while (at + 12 <= irb.size()) {
    if (!meta::starts_with(irb.subspan(at), "8BIM")) {
      outcome.warnings.push_back(ctx.path_of("Photoshop") + ": resource without 8BIM signature at offset " +
                                 std::to_string(ctx.base + at));
      return;
    }
    if (++entries > limits.max_entries) {
      outcome.warnings.push_back(ctx.path_of("Photoshop") + ": too many resources");
      return;
    }
    const uint16_t id = meta::be16(irb, at + 4);
    // Pascal name, padded so name length byte + name is even.
    const size_t name_len = irb[at + 6];
    const size_t name_total = (name_len + 2) & ~size_t{1};
    const size_t size_at = at + 6 + name_total;
    if (!fits(irb.size(), size_at, 4)) break;
    const uint32_t size = meta::be32(irb, size_at);
    const size_t data_at = size_at + 4;
    if (!fits(irb.size(), data_at, size)) {
      outcome.warnings.push_back(ctx.path_of("Photoshop") + ": resource " + std::to_string(id) + " of " +
                                 std::to_string(size) + " bytes runs past the end");
      return;
    }
    const Bytes data = irb.subspan(data_at, size);
    char hex_id[8];
    std::snprintf(hex_id, sizeof hex_id, "0x%04x", id);
    if (id == 0x0404) {
      parse_iptc_iim(data, ctx.nested(std::string("Photoshop/") + hex_id, data_at), out, outcome);
    } else if (id == 0x0425 && size == 16) {
      meta::add_field(out, outcome, ctx,
                      meta::make_field(ctx, "Photoshop", "IPTCDigest", hex_lower(data),
                                       std::string("Photoshop/") + hex_id, data_at));
    }
    at = data_at + size + (size & 1);
  }
}

}  // namespace trawl::formats
