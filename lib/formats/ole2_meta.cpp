#include "formats/ole2_meta.hpp"

#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

#include "core/timestamp.hpp"
#include "core/utf8.hpp"
#include "formats/doc_meta_support.hpp"

namespace trawl::formats {
namespace {

using docmeta::FieldSink;
using docmeta::le16;
using docmeta::le32;
using docmeta::le64;

constexpr uint32_t kEnd = 0xFFFFFFFE;
constexpr uint32_t kFree = 0xFFFFFFFF;
constexpr uint32_t kNoStream = 0xFFFFFFFF;
const uint8_t kMagic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
const uint8_t kSummaryFmtid[16] = {0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10,
                                   0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9};
const uint8_t kDocSummaryFmtid[16] = {0x02, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10,
                                      0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE};
constexpr int64_t kFiletimeTo1970 = 11644473600;

enum class Vt : uint16_t { i2 = 2, i4 = 3, boolean = 11, ui2 = 18, ui4 = 19, lpstr = 30, lpwstr = 31, filetime = 64 };

const char* summary_name(uint32_t id) {
  switch (id) {
    case 1: return "CodePage";
    case 2: return "Title";
    case 3: return "Subject";
    case 4: return "Author";
    case 5: return "Keywords";
    case 6: return "Comments";
    case 7: return "Template";
    case 8: return "LastModifiedBy";
    case 9: return "RevisionNumber";
    case 10: return "TotalEditTime";
    case 11: return "LastPrinted";
    case 12: return "CreateDate";
    case 13: return "ModifyDate";
    case 14: return "Pages";
    case 15: return "Words";
    case 16: return "Characters";
    case 18: return "Software";
    case 19: return "Security";
    default: return nullptr;
  }
}

const char* doc_summary_name(uint32_t id) {
  switch (id) {
    case 1: return "CodePage";
    case 2: return "Category";
    case 3: return "PresentationTarget";
    case 4: return "Bytes";
    case 5: return "Lines";
    case 6: return "Paragraphs";
    case 7: return "Slides";
    case 8: return "Notes";
    case 9: return "HiddenSlides";
    case 10: return "MMClips";
    case 11: return "ScaleCrop";
    case 14: return "Manager";
    case 15: return "Company";
    case 16: return "LinksUpToDate";
    case 17: return "CharCountWithSpaces";
    case 19: return "SharedDoc";
    case 22: return "HyperlinksChanged";
    case 23: return "AppVersion";
    default: return nullptr;
  }
}

/// A stream read through its sector chain, with the item offset of each
/// chunk so a value's offset can be given.
struct StreamBytes {
  std::vector<uint8_t> data;
  std::vector<std::optional<uint64_t>> chunk_offsets;  ///< unknown when the mini stream is short
  uint64_t chunk = 512;

  std::optional<uint64_t> offset_of(uint64_t pos) const {
    const uint64_t k = pos / chunk;
    if (k >= chunk_offsets.size() || !chunk_offsets[k]) return std::nullopt;
    return *chunk_offsets[k] + pos % chunk;
  }
};

struct DirEntry {
  std::string name;  ///< UTF-8
  uint8_t type = 0;  ///< 1 storage, 2 stream, 5 root
  uint32_t left = kNoStream, right = kNoStream, child = kNoStream;
  uint32_t start = 0;
  uint64_t size = 0;
};

class Ole2Reader {
 public:
  Ole2Reader(std::span<const uint8_t> d, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : d_(d), limits_(docmeta::limits_of(ctx)), sink_(ctx, out, outcome) {}

  void run() {
    if (!header() || !load_fat() || !load_directory()) return;
    load_mini();
    std::vector<bool> seen(dir_.size(), false);
    seen[0] = true;
    walk_tree(dir_[0].child, "", 0, seen);
  }

 private:
  void warn(std::string w) {
    if (sink_.outcome().warnings.size() < 100) sink_.outcome().warnings.push_back("ole2: " + std::move(w));
  }

  uint64_t sector_offset(uint32_t sector) const { return (uint64_t{sector} + 1) << shift_; }
  bool sector_ok(uint32_t sector) const { return sector_offset(sector) + sector_size_ <= d_.size(); }

  bool header() {
    if (d_.size() < 512 || std::memcmp(d_.data(), kMagic, 8) != 0) {
      warn("not a compound file (no D0CF11E0 signature)");
      return false;
    }
    shift_ = le16(d_.data() + 30);
    mini_shift_ = le16(d_.data() + 32);
    if ((shift_ != 9 && shift_ != 12) || mini_shift_ != 6) {
      warn("unsupported sector sizes (shift " + std::to_string(shift_) + "/" + std::to_string(mini_shift_) + ")");
      return false;
    }
    sector_size_ = uint64_t{1} << shift_;
    mini_cutoff_ = le32(d_.data() + 56);
    return true;
  }

  // Chains the FAT sectors named by the header's 109 DIFAT slots and the DIFAT chain.
  bool load_fat() {
    const uint32_t fat_sectors = le32(d_.data() + 44);
    const uint64_t max_sectors = d_.size() / sector_size_ + 1;
    if (fat_sectors > max_sectors) {
      warn("FAT sector count " + std::to_string(fat_sectors) + " larger than the file");
      return false;
    }
    std::vector<uint32_t> fat_list;
    for (uint32_t i = 0; i < 109 && fat_list.size() < fat_sectors; ++i) fat_list.push_back(le32(d_.data() + 76 + 4 * i));
    uint32_t difat = le32(d_.data() + 68);
    const uint64_t per_difat = sector_size_ / 4 - 1;
    for (uint64_t steps = 0; fat_list.size() < fat_sectors && difat != kEnd && difat != kFree; ++steps) {
      if (steps > max_sectors || !sector_ok(difat)) {
        warn("DIFAT chain broken or looping");
        break;
      }
      const uint8_t* p = d_.data() + sector_offset(difat);
      for (uint64_t i = 0; i < per_difat && fat_list.size() < fat_sectors; ++i) fat_list.push_back(le32(p + 4 * i));
      difat = le32(p + 4 * per_difat);
    }
    for (uint32_t s : fat_list) {
      if (!sector_ok(s)) {
        warn("FAT sector " + std::to_string(s) + " outside the file");
        break;
      }
      const uint8_t* p = d_.data() + sector_offset(s);
      for (uint64_t i = 0; i < sector_size_ / 4; ++i) fat_.push_back(le32(p + 4 * i));
    }
    if (fat_.empty()) {
      warn("empty FAT");
      return false;
    }
    return true;
  }

  // The sectors of a chain, bounded by the table size (a loop cannot run forever).
  std::vector<uint32_t> chain(const std::vector<uint32_t>& table, uint32_t start, uint64_t max_links) {
    std::vector<uint32_t> out;
    std::unordered_set<uint32_t> seen;  // proportional to the chain, not to the table
    for (uint32_t s = start; s != kEnd && s != kFree && out.size() < max_links; s = table[s]) {
      if (s >= table.size()) {
        warn("sector chain leaves the allocation table");
        break;
      }
      if (!seen.insert(s).second) {
        warn("sector chain loops back to sector " + std::to_string(s));
        break;
      }
      out.push_back(s);
    }
    return out;
  }

  StreamBytes read_regular(uint32_t start, uint64_t size, bool exact = true) {
    StreamBytes s;
    s.chunk = sector_size_;
    const uint64_t want = (size + sector_size_ - 1) / sector_size_;
    for (uint32_t sector : chain(fat_, start, want)) {
      if (!sector_ok(sector)) {
        warn("stream sector outside the file");
        break;
      }
      const uint64_t at = sector_offset(sector);
      const uint64_t n = std::min<uint64_t>(sector_size_, size - s.data.size());
      s.data.insert(s.data.end(), d_.begin() + at, d_.begin() + at + n);
      s.chunk_offsets.push_back(at);
    }
    if (exact && s.data.size() < size) warn("stream shorter than its directory size");
    return s;
  }

  StreamBytes read_mini(uint32_t start, uint64_t size) {
    StreamBytes s;
    s.chunk = 64;
    const uint64_t want = (size + 63) / 64;
    for (uint32_t mini : chain(mini_fat_, start, want)) {
      const uint64_t at = uint64_t{mini} * 64;
      if (at + 64 > mini_stream_.data.size()) {
        warn("mini sector outside the mini stream");
        break;
      }
      const uint64_t n = std::min<uint64_t>(64, size - s.data.size());
      s.data.insert(s.data.end(), mini_stream_.data.begin() + at, mini_stream_.data.begin() + at + n);
      s.chunk_offsets.push_back(mini_stream_.offset_of(at));
    }
    if (s.data.size() < size) warn("mini stream shorter than its directory size");
    return s;
  }

  bool load_directory() {
    const uint32_t first = le32(d_.data() + 48);
    const StreamBytes dir = read_regular(first, uint64_t{limits_.max_entries} * 128, false);
    for (uint64_t at = 0; at + 128 <= dir.data.size(); at += 128) {
      const uint8_t* p = dir.data.data() + at;
      DirEntry e;
      const uint16_t name_len = std::min<uint16_t>(le16(p + 64), 64);
      if (!docmeta::utf16_to_utf8(std::span<const uint8_t>(p, name_len), true, e.name)) e.name = "?";
      e.type = p[66];
      e.left = le32(p + 68);
      e.right = le32(p + 72);
      e.child = le32(p + 76);
      e.start = le32(p + 116);
      e.size = shift_ == 9 ? le32(p + 120) : le64(p + 120);  // v3 ignores the high half
      dir_.push_back(std::move(e));
    }
    if (dir_.empty() || dir_[0].type != 5) {
      warn("no root directory entry");
      return false;
    }
    return true;
  }

  void load_mini() {
    const uint32_t first = le32(d_.data() + 60);
    const uint32_t count = le32(d_.data() + 64);
    if (count == 0 || first == kEnd) return;
    const StreamBytes table = read_regular(first, std::min<uint64_t>(uint64_t{count} * sector_size_, d_.size()));
    for (uint64_t at = 0; at + 4 <= table.data.size(); at += 4) mini_fat_.push_back(le32(table.data.data() + at));
    mini_stream_ = read_regular(dir_[0].start, std::min<uint64_t>(dir_[0].size, d_.size()));
  }

  void walk_tree(uint32_t id, const std::string& path, uint32_t depth, std::vector<bool>& seen) {
    // siblings form a binary tree; storages nest. Each entry is visited once.
    std::vector<uint32_t> stack{id};
    while (!stack.empty()) {
      const uint32_t cur = stack.back();
      stack.pop_back();
      if (cur == kNoStream) continue;
      if (cur >= dir_.size() || seen[cur]) {
        warn("directory tree points outside itself or loops");
        continue;
      }
      seen[cur] = true;
      const DirEntry& e = dir_[cur];
      stack.push_back(e.left);
      stack.push_back(e.right);
      const std::string here = path.empty() ? e.name : path + "/" + e.name;
      if (e.type == 1) {
        if (depth + 1 > limits_.max_depth)
          warn("storages nested too deep at " + here);
        else
          walk_tree(e.child, here, depth + 1, seen);
      } else if (e.type == 2 && (e.name == "\x05SummaryInformation" || e.name == "\x05" "DocumentSummaryInformation")) {
        const uint64_t cap = limits_.max_value_bytes * 4;
        if (e.size > cap) warn(here.substr(1) + " larger than the limit; read in part");
        const uint64_t size = std::min(e.size, cap);
        const StreamBytes s = e.size < mini_cutoff_ ? read_mini(e.start, size) : read_regular(e.start, size);
        // "\005" is not printable: paths carry the name without it
        std::string shown = path.empty() ? e.name.substr(1) : path + "/" + e.name.substr(1);
        property_set(s, shown);
      }
    }
  }

  void property_set(const StreamBytes& s, const std::string& path) {
    const auto& b = s.data;
    if (b.size() < 48 || le16(b.data()) != 0xFFFE) return warn(path + ": not a property set");
    const uint32_t sets = std::min<uint32_t>(le32(b.data() + 24), 16);
    for (uint32_t k = 0; k < sets; ++k) {
      const uint64_t at = 28 + 20 * uint64_t{k};
      if (at + 20 > b.size()) return warn(path + ": property set list truncated");
      const bool summary = std::memcmp(b.data() + at, kSummaryFmtid, 16) == 0;
      const bool doc = std::memcmp(b.data() + at, kDocSummaryFmtid, 16) == 0;
      if (!summary && !doc) continue;  // user-defined sections are not parsed
      section(s, le32(b.data() + at + 16), summary, path);
    }
  }

  void section(const StreamBytes& s, uint64_t start, bool summary, const std::string& path) {
    const auto& b = s.data;
    if (start > b.size() || b.size() - start < 8) return warn(path + ": section offset outside the stream");
    const uint64_t size = std::min<uint64_t>(le32(b.data() + start), b.size() - start);
    const uint32_t count = le32(b.data() + start + 4);
    if (count > limits_.max_entries || 8 + uint64_t{count} * 8 > size) return warn(path + ": bad property count");
    // the code page decides how VT_LPSTR bytes read; find it first
    code_page_ = 1252;
    for (uint32_t i = 0; i < count; ++i) {
      const uint8_t* e = b.data() + start + 8 + 8 * i;
      const uint64_t off = le32(e + 4);
      if (le32(e) == 1 && off + 8 <= size) code_page_ = le16(b.data() + start + off + 4);
    }
    for (uint32_t i = 0; i < count; ++i) {
      const uint8_t* e = b.data() + start + 8 + 8 * i;
      const uint32_t id = le32(e);
      const uint64_t off = le32(e + 4);
      const char* name = summary ? summary_name(id) : doc_summary_name(id);
      if (name == nullptr) continue;
      const std::string seg = path + "/" + name;
      if (off > size || size - off < 4) {
        sink_.add_invalid("FlashPix", name, "property offset outside its section", {}, seg, std::nullopt);
        continue;
      }
      value(s, start + off, start + size, summary, id, name, seg);
    }
  }

  void value(const StreamBytes& s, uint64_t at, uint64_t end, bool summary, uint32_t id, const char* name,
             const std::string& seg) {
    const auto& b = s.data;
    const auto vt = static_cast<Vt>(le16(b.data() + at));
    const uint64_t v = at + 4;
    const uint64_t left = end - v;
    const std::optional<uint64_t> where = s.offset_of(v);
    auto add = [&](MetaValue value) { return sink_.add("FlashPix", name, std::move(value), seg, where); };
    auto bad = [&](const char* why, uint64_t n) {
      sink_.add_invalid("FlashPix", name, why, std::span<const uint8_t>(b.data() + v, std::min(n, left)), seg,
                        where);
    };
    switch (vt) {
      case Vt::i2:
      case Vt::ui2:
      case Vt::boolean: {
        if (left < 2) return bad("truncated", left);
        const uint16_t raw = le16(b.data() + v);
        if (vt == Vt::boolean)
          add(raw != 0);
        else
          add(vt == Vt::i2 ? int64_t{static_cast<int16_t>(raw)} : int64_t{raw});
        return;
      }
      case Vt::i4:
      case Vt::ui4: {
        if (left < 4) return bad("truncated", left);
        const uint32_t raw = le32(b.data() + v);
        if (!summary && id == 23) {  // AppVersion: major.minor in the two halves
          char text[24];
          std::snprintf(text, sizeof text, "%u.%04u", raw >> 16, raw & 0xFFFF);
          if (MetaField* f = add(std::string(text))) f->raw = std::to_string(raw);
          return;
        }
        add(vt == Vt::i4 ? int64_t{static_cast<int32_t>(raw)} : int64_t{raw});
        return;
      }
      case Vt::filetime: {
        if (left < 8) return bad("truncated", left);
        const uint64_t ticks = le64(b.data() + v);
        if (summary && id == 10) {  // TotalEditTime is a duration, not a date
          if (MetaField* f = add(static_cast<int64_t>(ticks / 10'000'000))) f->raw = std::to_string(ticks);
          return;
        }
        if (ticks == 0) return;  // never set
        const int64_t seconds = static_cast<int64_t>(ticks / 10'000'000) - kFiletimeTo1970;
        if (MetaField* f = add(format_rfc3339(seconds, static_cast<uint32_t>(ticks % 10'000'000) * 100)))
          f->raw = std::to_string(ticks);
        return;
      }
      case Vt::lpstr:
      case Vt::lpwstr: {
        if (left < 4) return bad("truncated", left);
        const uint64_t count = le32(b.data() + v);
        // VT_LPWSTR counts characters; VT_LPSTR counts bytes, even in code page 1200
        const uint64_t n = vt == Vt::lpwstr ? count * 2 : count;
        if (count > limits_.max_value_bytes || n > left - 4) return bad("string length past its section", left);
        const std::span<const uint8_t> text(b.data() + v + 4, n);
        const std::optional<uint64_t> text_at = s.offset_of(v + 4);
        std::string utf8;
        if (vt == Vt::lpwstr || code_page_ == 1200) {
          if (!docmeta::utf16_to_utf8(text, true, utf8)) {
            sink_.add_invalid("FlashPix", name, "malformed UTF-16", text, seg, text_at);
            return;
          }
        } else {
          std::string_view raw(reinterpret_cast<const char*>(text.data()), text.size());
          if (const size_t nul = raw.find('\0'); nul != std::string_view::npos) raw = raw.substr(0, nul);
          bool ascii = true;
          for (char c : raw) ascii = ascii && static_cast<uint8_t>(c) < 0x80;
          if (ascii || (code_page_ == 65001 && is_valid_utf8(raw))) {
            utf8.assign(raw);
          } else if (code_page_ == 1252 || code_page_ == 28591) {
            utf8 = docmeta::cp1252_to_utf8(text);
          } else {
            sink_.add_invalid("FlashPix", name, "text in code page " + std::to_string(code_page_) + " not converted",
                              text, seg, text_at);
            return;
          }
        }
        sink_.add("FlashPix", name, utf8, seg, text_at);
        return;
      }
      default:
        return;  // thumbnails (VT_CF), vectors: not metadata text
    }
  }

  std::span<const uint8_t> d_;
  const MetaLimits& limits_;
  FieldSink sink_;
  unsigned shift_ = 9, mini_shift_ = 6;
  uint64_t sector_size_ = 512;
  uint64_t mini_cutoff_ = 4096;
  std::vector<uint32_t> fat_, mini_fat_;
  StreamBytes mini_stream_;
  std::vector<DirEntry> dir_;
  uint16_t code_page_ = 1252;
};

}  // namespace

void parse_ole2_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                     MetaOutcome& outcome) {
  Ole2Reader reader(bytes, ctx, out, outcome);
  reader.run();
}

}  // namespace trawl::formats
