#include "formats/pdf_meta.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.hpp"
#include "formats/doc_meta_support.hpp"
#include "formats/inflate.hpp"
#include "formats/pdf_object.hpp"

namespace trawl::formats {
namespace {

using docmeta::FieldSink;
using pdf::Value;
using Kind = pdf::Value::Kind;

std::string_view view_of(std::span<const uint8_t> d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}
std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/// One definition of an object: either at a file offset, or inside a
/// decoded object stream (then `position` is the container's offset, which
/// decides the revision, and the value offset is unknown).
struct ObjectSite {
  uint64_t position = 0;  ///< file offset of "N G obj" (or of the container)
  uint64_t body = 0;      ///< offset just past "obj" (file) or of the object (decoded buffer)
  int stream = -1;        ///< index into decoded object streams, -1 = in the file
};

struct Trailer {
  uint64_t position = 0;
  Value dict;
};

struct Revision {
  uint64_t end = 0;  ///< offset just past %%EOF (or the file size)
  std::optional<uint64_t> eof_offset;
  std::optional<Value> root, info, encrypt;  ///< merged from the revision's trailers
};

class PdfReader {
 public:
  PdfReader(std::span<const uint8_t> d, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : d_(d), text_(view_of(d)), limits_(docmeta::limits_of(ctx)), sink_(ctx, out, outcome) {
    plimits_.max_depth = limits_.max_depth * 4;
    plimits_.max_entries = limits_.max_entries;
    plimits_.max_string = limits_.max_value_bytes;
    inflate_budget_ = limits_.max_value_bytes * 64;
  }

  void run() {
    header();
    index_objects();
    index_object_streams();
    find_trailers();
    build_revisions();
    report_revisions();
    report_xmp();
  }

 private:
  void warn(std::string w) {
    if (sink_.outcome().warnings.size() < 100) sink_.outcome().warnings.push_back("pdf: " + std::move(w));
  }

  void header() {
    const size_t at = text_.substr(0, std::min<size_t>(text_.size(), 1024)).find("%PDF-");
    if (at == std::string_view::npos) {
      warn("no %PDF- header in the first 1024 bytes");
      return;
    }
    size_t end = at + 5;
    while (end < text_.size() && end - at < 12 && (is_digit(d_[end]) || d_[end] == '.')) ++end;
    if (end == at + 5) return;
    sink_.add("PDF", "PDFVersion", std::string(text_.substr(at + 5, end - at - 5)), "header", at + 5);
  }

  // Every "N G obj" in the file, found by scanning: the xref table is not trusted.
  void index_objects() {
    for (size_t at = text_.find("obj"); at != std::string_view::npos; at = text_.find("obj", at + 3)) {
      const size_t after = at + 3;
      if (after < d_.size() && !pdf::is_whitespace(d_[after]) && !pdf::is_delimiter(d_[after])) continue;
      size_t p = at;
      if (p == 0 || !pdf::is_whitespace(d_[p - 1])) continue;
      while (p > 0 && pdf::is_whitespace(d_[p - 1])) --p;
      size_t gen_end = p;
      while (p > 0 && is_digit(d_[p - 1]) && gen_end - p < 6) --p;
      if (p == gen_end || p == 0 || !pdf::is_whitespace(d_[p - 1])) continue;
      while (p > 0 && pdf::is_whitespace(d_[p - 1])) --p;
      size_t num_end = p;
      while (p > 0 && is_digit(d_[p - 1]) && num_end - p < 11) --p;
      if (p == num_end || (p > 0 && !pdf::is_whitespace(d_[p - 1]) && !pdf::is_delimiter(d_[p - 1]))) continue;
      uint64_t num = 0;
      for (size_t k = p; k < num_end; ++k) num = num * 10 + (d_[k] - '0');
      if (num > 0xFFFFFFFFu) continue;
      objects_[static_cast<uint32_t>(num)].push_back(ObjectSite{p, after, -1});
      order_.push_back(ObjectSite{p, after, -1});
      if (first_object_ == std::nullopt) first_object_ = ObjectSite{p, after, -1};
    }
  }

  // The stream data following the dictionary that ends at `pos`, if any.
  std::optional<std::span<const uint8_t>> stream_after(const Value& dict, uint64_t pos) {
    pdf::skip_space(d_, pos);
    if (text_.substr(pos, 6) != "stream") return std::nullopt;
    pos += 6;
    if (pos < d_.size() && d_[pos] == '\r') ++pos;
    if (pos < d_.size() && d_[pos] == '\n') ++pos;
    const Value* length = dict.get("Length");
    if (length != nullptr && length->kind == Kind::ref) length = resolve_direct(*length, d_.size());
    if (length != nullptr && length->kind == Kind::integer && length->integer >= 0 &&
        static_cast<uint64_t>(length->integer) <= d_.size() - pos) {
      uint64_t end = pos + static_cast<uint64_t>(length->integer);
      uint64_t check = end;
      pdf::skip_space(d_, check);
      if (text_.substr(check, 9) == "endstream") return d_.subspan(pos, end - pos);
    }
    // A wrong /Length is common in damaged files: fall back to the keyword.
    const size_t end = text_.find("endstream", pos);
    if (end == std::string_view::npos) return d_.subspan(pos);
    size_t stop = end;
    if (stop > pos && d_[stop - 1] == '\n') --stop;
    if (stop > pos && d_[stop - 1] == '\r') --stop;
    return d_.subspan(pos, stop - pos);
  }

  // The stream's bytes with its filters undone: nullopt when a filter is not
  // supported or the budget is spent.
  std::optional<std::vector<uint8_t>> decode(const Value& dict, std::span<const uint8_t> raw, bool& truncated) {
    truncated = false;
    const Value* filter = dict.get("Filter");
    if (filter == nullptr) return std::vector<uint8_t>(raw.begin(), raw.end());
    const Value* only = filter;
    if (filter->kind == Kind::array) {
      if (filter->items.size() != 1) return std::nullopt;
      only = &filter->items[0];
    }
    if (!only->is_name("FlateDecode") && !only->is_name("Fl")) return std::nullopt;
    if (const Value* parms = dict.get("DecodeParms")) {
      const Value* predictor = parms->get("Predictor");
      if (predictor != nullptr && predictor->kind == Kind::integer && predictor->integer > 1) return std::nullopt;
    }
    if (inflate_budget_ == 0) return std::nullopt;
    auto inflated = inflate_bytes(raw, InflateFormat::zlib, std::min(inflate_budget_, limits_.max_value_bytes * 8));
    if (!inflated.ok()) return std::nullopt;
    inflate_budget_ -= std::min(inflate_budget_, static_cast<uint64_t>(inflated->bytes.size()));
    truncated = inflated->truncated;
    return std::move(inflated->bytes);
  }

  bool parse_at(const ObjectSite& site, Value& v, uint64_t* end = nullptr) {
    std::span<const uint8_t> data = site.stream < 0 ? d_ : std::span<const uint8_t>(streams_[site.stream]);
    uint64_t pos = site.body;
    if (!pdf::parse_value(data, pos, plimits_, v)) return false;
    if (end != nullptr) *end = pos;
    return true;
  }

  // The last definition of object `num` at or before `limit`.
  const ObjectSite* find(int64_t num, uint64_t limit) const {
    if (num < 0 || num > 0xFFFFFFFF) return nullptr;
    auto it = objects_.find(static_cast<uint32_t>(num));
    if (it == objects_.end()) return nullptr;
    const ObjectSite* best = nullptr;
    for (const auto& s : it->second)
      if (s.position < limit && (best == nullptr || s.position >= best->position)) best = &s;
    return best;
  }

  // A referenced object's value (one level; a ref to a ref is not followed).
  const Value* resolve_direct(const Value& v, uint64_t limit) {
    if (v.kind != Kind::ref) return &v;
    const ObjectSite* site = find(v.integer, limit);
    if (site == nullptr) return nullptr;
    resolved_.emplace_back();
    if (!parse_at(*site, resolved_.back())) return nullptr;
    return &resolved_.back();
  }

  void index_object_streams() {
    uint32_t count = 0;
    for (const auto& site : order_) {
      if (text_.substr(site.body, 512).find("ObjStm") == std::string_view::npos) continue;
      Value dict;
      uint64_t end = 0;
      if (!parse_at(site, dict, &end) || !dict.get("Type") || !dict.get("Type")->is_name("ObjStm")) continue;
      const Value* n = dict.get("N");
      const Value* first = dict.get("First");
      if (n == nullptr || first == nullptr || n->kind != Kind::integer || first->kind != Kind::integer) continue;
      if (++count > limits_.max_entries) {
        warn("too many object streams; the rest are ignored");
        break;
      }
      auto raw = stream_after(dict, end);
      if (!raw) continue;
      bool truncated = false;
      auto decoded = decode(dict, *raw, truncated);
      if (!decoded) {
        warn("object stream at " + std::to_string(site.position) + " could not be decoded");
        continue;
      }
      if (n->integer < 0 || first->integer < 0 || static_cast<uint64_t>(first->integer) > decoded->size() ||
          static_cast<uint64_t>(n->integer) > limits_.max_entries) {
        warn("object stream at " + std::to_string(site.position) + " has a bad /N or /First");
        continue;
      }
      streams_.push_back(std::move(*decoded));
      const int index = static_cast<int>(streams_.size() - 1);
      const std::span<const uint8_t> body(streams_.back());
      uint64_t pos = 0;
      for (int64_t k = 0; k < n->integer; ++k) {
        Value num, off;
        if (!pdf::parse_value(body, pos, plimits_, num) || !pdf::parse_value(body, pos, plimits_, off)) break;
        if (num.kind != Kind::integer || off.kind != Kind::integer || num.integer < 0 || off.integer < 0 ||
            num.integer > 0xFFFFFFFF || static_cast<uint64_t>(off.integer) > body.size() - first->integer)
          break;
        objects_[static_cast<uint32_t>(num.integer)].push_back(
            ObjectSite{site.position, static_cast<uint64_t>(first->integer + off.integer), index});
      }
    }
  }

  void find_trailers() {
    for (size_t at = text_.find("trailer"); at != std::string_view::npos; at = text_.find("trailer", at + 7)) {
      uint64_t pos = at + 7;
      Value dict;
      if (pdf::parse_value(d_, pos, plimits_, dict) && dict.kind == Kind::dict) trailers_.push_back({at, dict});
    }
    // PDF 1.5 cross-reference streams carry the trailer keys in their dictionary.
    for (const auto& site : order_) {
      if (text_.substr(site.body, 512).find("XRef") == std::string_view::npos) continue;
      Value dict;
      if (parse_at(site, dict) && dict.get("Type") && dict.get("Type")->is_name("XRef"))
        trailers_.push_back({site.position, dict});
    }
    std::sort(trailers_.begin(), trailers_.end(),
              [](const Trailer& a, const Trailer& b) { return a.position < b.position; });
  }

  void build_revisions() {
    std::vector<uint64_t> eofs;
    for (size_t at = text_.find("%%EOF"); at != std::string_view::npos; at = text_.find("%%EOF", at + 5))
      eofs.push_back(at);
    if (first_object_) {
      Value first;
      if (parse_at(*first_object_, first) && first.get("Linearized") != nullptr) linearized_ = true;
    }
    // A linearised file's first-page xref and trailer end with their own
    // %%EOF; together with the main xref they make up revision 1.
    if (linearized_ && eofs.size() >= 2) {
      const uint64_t first_eof = eofs[0];
      bool trailer_before = std::any_of(trailers_.begin(), trailers_.end(),
                                        [&](const Trailer& t) { return t.position < first_eof; });
      if (trailer_before) eofs.erase(eofs.begin());
    }
    for (uint64_t eof : eofs) {
      if (revisions_.size() >= limits_.max_pdf_revisions) {
        warn("revision limit reached");
        break;
      }
      Revision r;
      r.end = eof + 5;
      r.eof_offset = eof;
      revisions_.push_back(r);
    }
    const uint64_t last_end = revisions_.empty() ? 0 : revisions_.back().end;
    const bool trailing_trailer = std::any_of(trailers_.begin(), trailers_.end(),
                                              [&](const Trailer& t) { return t.position >= last_end; });
    if (revisions_.empty() || (trailing_trailer && revisions_.size() < limits_.max_pdf_revisions)) {
      if (!revisions_.empty()) warn("an update after the last %%EOF has no %%EOF (truncated file?)");
      Revision r;
      r.end = d_.size();
      revisions_.push_back(r);
    }
    size_t next = 0;  // trailers_ is sorted by position: one pass over both lists
    for (size_t i = 0; i < revisions_.size(); ++i) {
      Revision& r = revisions_[i];
      if (i > 0) {  // an update that does not repeat a key keeps the previous one
        r.root = revisions_[i - 1].root;
        r.info = revisions_[i - 1].info;
        r.encrypt = revisions_[i - 1].encrypt;
      }
      for (; next < trailers_.size() && trailers_[next].position < r.end; ++next) {
        const Value& t = trailers_[next].dict;
        if (const Value* v = t.get("Root")) r.root = *v;
        if (const Value* v = t.get("Info")) r.info = *v;
        if (const Value* v = t.get("Encrypt")) r.encrypt = *v;
      }
    }
  }

  unsigned revision_of(uint64_t position) const {
    for (size_t i = 0; i < revisions_.size(); ++i)
      if (position < revisions_[i].end) return static_cast<unsigned>(i + 1);
    return static_cast<unsigned>(revisions_.size());
  }

  void report_revisions() {
    sink_.add("PDF", "Linearized", linearized_, "", std::nullopt);
    sink_.add("PDF", "Revisions", static_cast<int64_t>(revisions_.size()), "", std::nullopt);
    std::set<std::pair<uint64_t, uint64_t>> reported;  // (position, body) of Info dicts already given
    std::set<std::string> producers;
    for (size_t i = 0; i < revisions_.size(); ++i) {
      const Revision& r = revisions_[i];
      const auto rev = static_cast<unsigned>(i + 1);
      const std::string prefix = "trailer[" + std::to_string(rev) + "]";
      if (r.eof_offset)
        sink_.add("PDF", "EOFOffset", static_cast<int64_t>(sink_.ctx().base + *r.eof_offset), prefix + "/%%EOF",
                  *r.eof_offset, rev);
      if (!r.info) continue;
      Value info;
      bool in_file = true;
      if (r.info->kind == Kind::ref) {
        const ObjectSite* site = find(r.info->integer, r.end);
        if (site == nullptr) {
          warn("Info object " + std::to_string(r.info->integer) + " of revision " + std::to_string(rev) +
               " not found");
          continue;
        }
        if (!reported.insert({site->position, site->body}).second) continue;
        if (!parse_at(*site, info) || info.kind != Kind::dict) {
          warn("Info object " + std::to_string(r.info->integer) + " is not a dictionary");
          continue;
        }
        in_file = site->stream < 0;
      } else if (r.info->kind == Kind::dict) {
        if (!reported.insert({r.info->offset, 0}).second) continue;
        info = *r.info;
      } else {
        continue;
      }
      report_info(info, in_file, prefix + "/Info", rev, r.encrypt.has_value(), producers);
    }
    if (producers.size() > 1) sink_.add("PDF", "ProducerChanged", true, "", std::nullopt);
    if (revisions_.empty()) return;
    const Revision& latest = revisions_.back();
    const auto rev = static_cast<unsigned>(revisions_.size());
    if (latest.encrypt) {
      sink_.add("PDF", "Encrypted", true, "trailer[" + std::to_string(rev) + "]/Encrypt", std::nullopt, rev);
      const Value* enc = resolve_direct(*latest.encrypt, latest.end);
      if (enc != nullptr && enc->get("Filter") && enc->get("Filter")->kind == Kind::name)
        sink_.add("PDF", "Encryption", enc->get("Filter")->text, "trailer[" + std::to_string(rev) + "]/Encrypt/Filter",
                  std::nullopt, rev);
    }
    for (const Revision& r : revisions_) {
      const Value* root = r.root ? resolve_direct(*r.root, r.end) : nullptr;
      const Value* meta = root != nullptr ? root->get("Metadata") : nullptr;
      if (meta != nullptr && meta->kind == Kind::ref) catalog_metadata_.insert(meta->integer);
    }
    if (latest.root) {
      const Value* root = resolve_direct(*latest.root, latest.end);
      const Value* pages = root != nullptr ? root->get("Pages") : nullptr;
      if (pages != nullptr) pages = resolve_direct(*pages, latest.end);
      const Value* count = pages != nullptr ? pages->get("Count") : nullptr;
      if (count != nullptr && count->kind == Kind::integer)
        sink_.add("PDF", "PageCount", count->integer, "Root/Pages/Count", std::nullopt, rev);
    }
  }

  static std::string tag_of(const std::string& key) {
    if (key == "CreationDate") return "CreateDate";
    if (key == "ModDate") return "ModifyDate";
    // custom keys: ExifTool keeps the key, minus characters a tag name cannot hold
    std::string tag;
    for (char c : key)
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        tag.push_back(c);
    if (tag.empty()) tag = "Unknown";
    return tag;
  }

  void report_info(const Value& info, bool in_file, const std::string& path, unsigned rev, bool encrypted,
                   std::set<std::string>& producers) {
    for (size_t k = 0; k < info.keys.size(); ++k) {
      const std::string& key = info.keys[k];
      const Value& v = info.items[k];
      const std::string tag = tag_of(key);
      const std::string seg = path + "/" + key;
      const std::optional<uint64_t> where =
          in_file ? std::optional<uint64_t>(v.kind == Kind::string ? v.text_offset : v.offset) : std::nullopt;
      if (v.kind == Kind::string) {
        if (encrypted) {
          // Info strings are encrypted with the document key; not decrypted here.
          sink_.add_invalid("PDF", tag, "encrypted", bytes_of(v.text), seg, where, rev);
          continue;
        }
        std::string text;
        if (!pdf_text_to_utf8(bytes_of(v.text), text)) {
          sink_.add_invalid("PDF", tag, "malformed UTF-16 text string", bytes_of(v.text), seg, where, rev);
          continue;
        }
        if (key == "CreationDate" || key == "ModDate") {
          std::string iso;
          if (pdf_date_to_iso(text, iso)) {
            if (MetaField* f = sink_.add("PDF", tag, iso, seg, where, rev)) f->raw = text;
          } else {
            sink_.add_invalid("PDF", tag, "malformed PDF date", bytes_of(v.text), seg, where, rev);
          }
          continue;
        }
        if (key == "Producer") producers.insert(text);
        sink_.add("PDF", tag, text, seg, where, rev);
      } else if (v.kind == Kind::name) {
        sink_.add("PDF", tag, v.text, seg, where, rev);
      } else if (v.kind == Kind::integer) {
        sink_.add("PDF", tag, v.integer, seg, where, rev);
      } else if (v.kind == Kind::real) {
        sink_.add("PDF", tag, v.real, seg, where, rev);
      } else if (v.kind == Kind::boolean) {
        sink_.add("PDF", tag, v.boolean, seg, where, rev);
      }
    }
  }

  // Every XMP stream: the catalog's /Metadata and any stream with /Subtype /XML.
  void report_xmp() {
    uint32_t count = 0;
    for (const auto& site : order_) {
      uint64_t p = site.position;
      int64_t number = 0;
      while (p < d_.size() && is_digit(d_[p]) && number < 0xFFFFFFFFLL) number = number * 10 + (d_[p++] - '0');
      const bool named = catalog_metadata_.count(number) != 0;
      if (!named && text_.substr(site.body, 1024).find("XML") == std::string_view::npos) continue;
      Value dict;
      uint64_t end = 0;
      if (!parse_at(site, dict, &end) || dict.kind != Kind::dict) continue;
      const Value* subtype = dict.get("Subtype");
      if (!named && (subtype == nullptr || !subtype->is_name("XML"))) continue;
      auto raw = stream_after(dict, end);
      if (!raw) continue;
      if (++count > limits_.max_entries) {
        warn("too many XMP streams; the rest are ignored");
        return;
      }
      EmbeddedBlock block;
      block.kind = "xmp";
      block.offset = sink_.ctx().base + static_cast<uint64_t>(raw->data() - d_.data());
      block.length = raw->size();
      const std::string num = std::to_string(number);
      block.path = sink_.ctx().path_of("obj " + num + "/stream");
      block.revision = revision_of(site.position);
      if (dict.get("Filter") != nullptr) {
        bool truncated = false;
        auto decoded = decode(dict, *raw, truncated);
        if (!decoded) {
          warn("XMP stream obj " + num + " has an unsupported filter or exceeds the budget");
          continue;
        }
        if (truncated) warn("XMP stream obj " + num + " is truncated");
        block.bytes = std::move(*decoded);
        block.decoded = true;
      } else if (raw->size() > limits_.max_value_bytes) {
        warn("XMP stream obj " + num + " is larger than the value limit");
        continue;
      }
      sink_.outcome().embedded.push_back(std::move(block));
    }
  }

  std::span<const uint8_t> d_;
  std::string_view text_;
  const MetaLimits& limits_;
  FieldSink sink_;
  pdf::ParseLimits plimits_;
  uint64_t inflate_budget_ = 0;
  std::map<uint32_t, std::vector<ObjectSite>> objects_;
  std::vector<ObjectSite> order_;
  std::optional<ObjectSite> first_object_;
  std::deque<std::vector<uint8_t>> streams_;
  std::deque<Value> resolved_;
  std::vector<Trailer> trailers_;
  std::vector<Revision> revisions_;
  std::set<int64_t> catalog_metadata_;
  bool linearized_ = false;
};

// PDFDocEncoding 0x18..0x1F and 0x80..0xA0 where they differ from Latin-1 (0 = undefined).
const uint16_t kDocLow[8] = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
const uint16_t kDocHigh[33] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039,
                               0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A,
                               0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131,
                               0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC};

bool two_digits(std::string_view s, size_t at, int& v) {
  if (at + 2 > s.size() || !is_digit(static_cast<uint8_t>(s[at])) || !is_digit(static_cast<uint8_t>(s[at + 1])))
    return false;
  v = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

}  // namespace

bool pdf_text_to_utf8(std::span<const uint8_t> bytes, std::string& out) {
  out.clear();
  if (bytes.size() >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
    return docmeta::utf16_to_utf8(bytes.subspan(2), false, out);
  if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
    const std::string_view rest(reinterpret_cast<const char*>(bytes.data() + 3), bytes.size() - 3);
    out.assign(rest);
    return true;
  }
  for (uint8_t b : bytes) {
    if (b >= 0x18 && b <= 0x1F)
      append_utf8(out, kDocLow[b - 0x18]);
    else if (b >= 0x80 && b <= 0xA0)
      append_utf8(out, kDocHigh[b - 0x80]);
    else
      append_utf8(out, b);
  }
  return true;
}

bool pdf_date_to_iso(std::string_view s, std::string& iso) {
  iso.clear();
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  if (s.substr(0, 2) == "D:") s.remove_prefix(2);
  size_t i = 0;
  while (i < s.size() && i < 14 && is_digit(static_cast<uint8_t>(s[i]))) ++i;
  const size_t digits = i;
  if (digits < 4 || digits % 2 != 0) return false;
  int year = 0, v = 0;
  for (size_t k = 0; k < 4; ++k) year = year * 10 + (s[k] - '0');
  int parts[5] = {1, 1, 0, 0, 0};
  for (size_t k = 0; 4 + 2 * k < digits; ++k) {
    two_digits(s, 4 + 2 * k, v);
    parts[k] = v;
  }
  if (parts[0] < 1 || parts[0] > 12 || parts[1] < 1 || parts[1] > 31 || parts[2] > 23 || parts[3] > 59 ||
      parts[4] > 60)
    return false;
  char buf[96];
  if (digits == 4) {
    std::snprintf(buf, sizeof buf, "%04d", year);
  } else if (digits == 6) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, parts[0]);
  } else if (digits == 8) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, parts[0], parts[1]);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, parts[0], parts[1], parts[2], parts[3],
                  parts[4]);
  }
  iso = buf;
  std::string_view zone = s.substr(digits);
  if (zone.empty()) return true;
  if (digits < 10) return false;  // a zone needs a time
  if (zone[0] == 'Z') {
    zone.remove_prefix(1);
    // "Z00'00'" is written by some producers
    while (!zone.empty() && (zone[0] == '\'' || is_digit(static_cast<uint8_t>(zone[0])))) zone.remove_prefix(1);
    if (!zone.empty()) return false;
    iso += "Z";
    return true;
  }
  if (zone[0] != '+' && zone[0] != '-') return false;
  int hh = 0, mm = 0;
  if (!two_digits(zone, 1, hh) || hh > 23) return false;
  size_t p = 3;
  if (p < zone.size() && zone[p] == '\'') ++p;
  if (p < zone.size()) {
    if (!two_digits(zone, p, mm) || mm > 59) return false;
    p += 2;
    if (p < zone.size() && zone[p] == '\'') ++p;
  }
  if (p != zone.size()) return false;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", zone[0], hh, mm);
  iso += buf;
  return true;
}

void parse_pdf_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                    MetaOutcome& outcome) {
  PdfReader reader(bytes, ctx, out, outcome);
  reader.run();
}

}  // namespace trawl::formats
