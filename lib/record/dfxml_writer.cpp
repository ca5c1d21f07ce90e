#include "record/dfxml_writer.hpp"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

#include "core/utf8.hpp"
#include "record/xml_escape.hpp"

namespace trawl::record {
namespace {

/// Volumes, images and trailer elements are kept in memory; past this many
/// of one kind the rest are counted, not kept (a corrupt image can report an
/// error per block).
constexpr size_t kMaxKeptElements = 100000;

/// Fields of a match record that describe the set entry, not the item.
constexpr std::array<std::string_view, 22> kMatchFields = {
    "set",   "set_kind", "set_version", "matched",   "partial",     "entry",    "entry_name",
    "category", "category_profile", "category_label", "product", "media_id", "series",
    "victim_identified", "is_distributed", "score", "distance", "transform", "range_offset",
    "first_block", "block_count", "block_size"};

constexpr std::array<std::string_view, 6> kDigests = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};

std::string escaped(std::string_view text) {
  std::string out;
  append_xml_escaped(out, text);
  return out;
}

/// A record key that can be an XML attribute name as it is. Names starting
/// with "xml" are reserved (xmlns would declare a namespace).
bool plain_name(std::string_view key) {
  if (key.empty() || !(std::islower(static_cast<unsigned char>(key[0])) || key[0] == '_')) return false;
  if (key.substr(0, 3) == "xml") return false;
  for (char c : key)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

/// The text of a value (nested JSON as its text); nullopt for null and non-finite numbers.
std::optional<std::string> value_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<bool>(&v)) return std::string(*b ? "true" : "false");
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* u = std::get_if<uint64_t>(&v)) return std::to_string(*u);
  if (const auto* d = std::get_if<double>(&v)) {
    if (!std::isfinite(*d)) return std::nullopt;
    return fmt::format("{}", *d);
  }
  if (const auto* raw = std::get_if<RawJson>(&v)) return raw->text;
  return std::nullopt;
}

/// ` key="value"` for each named field of `r` (all when `keys` is empty),
/// skipping names that are not plain.
std::string attributes(const Record& r, const std::vector<std::string_view>& keys = {}) {
  std::string out;
  for (const auto& f : r.fields()) {
    if (!plain_name(f.key)) continue;
    if (!keys.empty() && std::find(keys.begin(), keys.end(), f.key) == keys.end()) continue;
    auto text = value_text(f.value);
    if (!text) continue;
    out += " " + f.key + "=\"";
    append_xml_escaped(out, *text);
    out += "\"";
  }
  return out;
}

/// `<name>text</name>` with the text escaped.
std::string element(std::string_view name, std::string_view text) {
  return fmt::format("<{0}>{1}</{0}>", name, escaped(text));
}

/// RFC 3339 as xs:dateTime takes it: YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm). Times
/// from upstream records are checked so a stray value cannot invalidate the document.
bool is_datetime(std::string_view t) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > t.size()) return false;
    for (size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
    return true;
  };
  if (!digits(0, 4) || t.size() < 20 || t[4] != '-' || !digits(5, 2) || t[7] != '-' || !digits(8, 2) || t[10] != 'T' ||
      !digits(11, 2) || t[13] != ':' || !digits(14, 2) || t[16] != ':' || !digits(17, 2))
    return false;
  size_t i = 19;
  if (t[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == start) return false;
  }
  if (i < t.size() && t[i] == 'Z') return i + 1 == t.size();
  return i + 6 == t.size() && (t[i] == '+' || t[i] == '-') && digits(i + 1, 2) && t[i + 3] == ':' && digits(i + 4, 2);
}

/// The leading metadata address of an inode string: "64-128-4" (an NTFS
/// stream) is entry 64; a string that does not start with digits has none.
std::optional<std::string> inode_number(std::string_view inode) {
  size_t n = 0;
  while (n < inode.size() && std::isdigit(static_cast<unsigned char>(inode[n]))) ++n;
  if (n == 0 || n > 20 || (n < inode.size() && inode[n] != '-')) return std::nullopt;
  return std::string(inode.substr(0, n));
}

std::string hex_bytes(std::string_view bytes) {
  std::string hex;
  for (unsigned char c : bytes) hex += fmt::format("{:02x}", c);
  return hex;
}

bool same_item(const Record& a, const Record& b) {
  return a.get_string("source") == b.get_string("source") && a.get_string("path") == b.get_string("path");
}

/// One fileobject for an item record and the match records that name it.
std::string fileobject(const Record& r, const std::vector<Record>& matches, uint64_t id) {
  const std::string type = r.type();
  const std::string path = r.get_string("path").value_or("");
  std::string x = "  <fileobject>\n";
  // The file name: the path inside the file system when the item is in an
  // image (as fiwalk names it), otherwise the record's path; archive members
  // keep their "!/" path.
  std::string name = path;
  if (auto fs_path = r.get_string("fs_path")) {
    name = *fs_path;
    if (auto member = r.get_string("member")) name += "!/" + *member;
  }
  x += "    " + element("filename", name) + "\n";
  if (auto error = r.get_string("pdq_error")) x += "    " + element("error", *error) + "\n";
  if (auto partition = r.get_uint("partition"); partition && *partition > 0)
    x += fmt::format("    <partition>{}</partition>\n", *partition);
  x += fmt::format("    <id>{}</id>\n", id);
  if (type == "file") x += "    <name_type>r</name_type>\n";
  else if (type == "symlink") x += "    <name_type>l</name_type>\n";
  else if (type == "special") x += "    <name_type>-</name_type>\n";
  std::optional<uint64_t> size = r.get_uint(type == "range" ? "length" : "size");
  if (size) x += fmt::format("    <filesize>{}</filesize>\n", *size);
  if (auto deleted = r.get_bool("deleted")) {
    // fiwalk writes unalloc; DFXML 1.2.0 prefers alloc. Both, for either reader.
    if (*deleted) x += "    <unalloc>1</unalloc>\n";
    x += fmt::format("    <alloc>{}</alloc>\n", *deleted ? 0 : 1);
  }
  // An archive member's record carries its container's inode, which is not its own.
  if (auto inode = r.get_string("inode"); inode && !r.has("member")) {
    if (auto number = inode_number(*inode)) x += "    <inode>" + *number + "</inode>\n";
  }
  for (const char* t : {"mtime", "ctime", "atime", "crtime", "dtime"}) {
    auto value = r.get_string(t);
    if (value && is_datetime(*value)) x += "    " + element(t, *value) + "\n";
  }
  if (auto target = r.get_string("link_target")) x += "    " + element("link_target", *target) + "\n";
  // Byte runs are known for byte ranges (and items re-read from one); a file
  // in a file system has no offset in its record.
  if (auto offset = r.get_uint("offset")) {
    std::string run = fmt::format("file_offset=\"0\" img_offset=\"{}\"", *offset);
    if (auto length = r.get_uint("length")) run += fmt::format(" len=\"{}\"", *length);
    x += "    <byte_runs>\n      <byte_run " + run + "/>\n    </byte_runs>\n";
  }
  for (auto digest : kDigests) {
    if (auto hex = r.get_string(digest)) x += fmt::format("    <hashdigest type=\"{}\">{}</hashdigest>\n", digest, escaped(*hex));
  }
  // The record's own address and what DFXML has no element for.
  x += "    <trawl:item" + attributes(r, {"type", "source", "path", "area", "image", "partition_offset", "fs_type",
                                          "inode", "host_path", "container", "member", "depth", "times_from",
                                          "known_good"}) +
       "/>\n";
  // A name that is not UTF-8 was shown with U+FFFD above; its exact bytes follow in hex.
  if (!is_valid_utf8(name)) x += "    " + element("trawl:filename_hex", hex_bytes(name)) + "\n";
  for (const char* fuzzy : {"ssdeep", "pdq"}) {
    if (auto value = r.get_string(fuzzy))
      x += fmt::format("    <trawl:fuzzy_digest type=\"{}\">{}</trawl:fuzzy_digest>\n", fuzzy, escaped(*value));
  }
  for (const auto& m : matches) {
    std::vector<std::string_view> keys(kMatchFields.begin(), kMatchFields.end());
    // A block match names its run inside the range with offset and length.
    for (const auto& f : m.fields()) {
      if (f.key == "type") continue;
      const Value* base = r.get(f.key);
      if (base != nullptr && !(*base == f.value)) keys.push_back(f.key);
    }
    x += "    <trawl:match" + attributes(m, keys) + "/>\n";
  }
  x += "  </fileobject>\n";
  return x;
}

std::string volume_element(const Record& r) {
  std::string x = "  <volume";
  if (auto offset = r.get_uint("offset")) x += fmt::format(" offset=\"{}\"", *offset);
  x += ">\n    <trawl:volume" + attributes(r, {"source", "path", "partition", "scheme", "description"}) + "/>\n";
  auto offset = r.get_uint("offset");
  auto length = r.get_uint("length");
  if (offset && length)
    x += fmt::format("    <byte_runs>\n      <byte_run img_offset=\"{}\" len=\"{}\"/>\n    </byte_runs>\n", *offset, *length);
  if (offset) x += fmt::format("    <partition_offset>{}</partition_offset>\n", *offset);
  if (auto fs = r.get_string("fs_type"); fs && !fs->empty()) x += "    " + element("ftype_str", *fs) + "\n";
  x += "  </volume>\n";
  return x;
}

std::string image_element(const Record& r) {
  std::string x = "  <diskimageobject>\n    <trawl:image" +
                  attributes(r, {"source", "format", "stored_md5", "stored_sha1", "verified", "detail"}) + "/>\n";
  std::string digests;
  for (auto digest : kDigests) {
    if (auto hex = r.get_string(digest))
      digests += fmt::format("        <hashdigest type=\"{}\">{}</hashdigest>\n", digest, escaped(*hex));
  }
  x += fmt::format("    <byte_runs>\n      <byte_run img_offset=\"0\" len=\"{}\">\n{}      </byte_run>\n    </byte_runs>\n",
                   r.get_uint("length").value_or(0), digests);
  x += "  </diskimageobject>\n";
  return x;
}

}  // namespace

void fill_host_environment(DfxmlRun& run) {
  struct utsname u {};
  if (::uname(&u) == 0) {
    run.os_sysname = u.sysname;
    run.os_release = u.release;
    run.os_version = u.version;
    run.host = u.nodename;
    run.arch = u.machine;
  }
  run.uid = std::to_string(::getuid());
}

DfxmlWriter::DfxmlWriter(FdOutput& out, DfxmlRun run)
    : out_(out), run_(std::move(run)), started_(std::chrono::steady_clock::now()), spill_(std::tmpfile()) {}

DfxmlWriter::~DfxmlWriter() {
  finish();
  if (spill_ != nullptr) std::fclose(spill_);
}

void DfxmlWriter::spill(const std::string& text) {
  if (spill_ != nullptr && std::fwrite(text.data(), 1, text.size(), spill_) == text.size()) return;
  if (spill_ != nullptr) {
    // The temporary file filled up: keep the rest in memory rather than lose it.
    spill_memory_ += "<!-- trawl: temporary file full; the following fileobjects were kept in memory -->\n";
  }
  spill_memory_ += text;
}

void DfxmlWriter::close_pending() {
  if (!pending_) return;
  spill(fileobject(*pending_, pending_matches_, next_id_++));
  pending_.reset();
  pending_matches_.clear();
}

SinkStatus DfxmlWriter::write(const Record& r) {
  if (finished_) return SinkStatus::proceed;
  const std::string type = r.type();
  auto keep = [&](std::vector<std::string>& list, std::string text) {
    if (list.size() < kMaxKeptElements) list.push_back(std::move(text));
    else ++omitted_;
  };
  if (type == "file" || type == "range" || type == "symlink" || type == "special") {
    close_pending();
    pending_ = r;
  } else if (type == "match") {
    // hash-match writes an item's matches right after it; with
    // --matches-only the first match stands for the item.
    if (!pending_ || !same_item(*pending_, r)) {
      close_pending();
      pending_ = r;
    }
    pending_matches_.push_back(r);
  } else if (type == "volume") {
    keep(volumes_, volume_element(r));
  } else if (type == "image") {
    keep(images_, image_element(r));
  } else if (type == "error" || type == "summary") {
    keep(trailer_, fmt::format("  <trawl:{}{}/>\n", type, attributes(r)));
  }
  return out_.broken() ? SinkStatus::stop : SinkStatus::proceed;
}

void DfxmlWriter::finish() {
  if (finished_) return;
  finished_ = true;
  close_pending();
  std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  head += fmt::format(
      "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML\"\n"
      "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n  xmlns:trawl=\"{}\"\n  version=\"1.2.0\">\n",
      kDfxmlTrawlNamespace);
  head += "  <metadata>\n    <dc:type>Hash List</dc:type>\n  </metadata>\n";
  head += "  <creator>\n    " + element("program", run_.program) + "\n    " + element("version", run_.version) + "\n";
  head += "    <execution_environment>\n";
  const std::pair<const char*, const std::string*> env[] = {
      {"os_sysname", &run_.os_sysname}, {"os_release", &run_.os_release}, {"os_version", &run_.os_version},
      {"host", &run_.host},             {"arch", &run_.arch},             {"command_line", &run_.command_line},
      {"uid", &run_.uid}};
  for (const auto& [name, value] : env)
    if (!value->empty()) head += "      " + element(name, *value) + "\n";
  if (is_datetime(run_.start_time)) head += "      " + element("start_time", run_.start_time) + "\n";
  head += "    </execution_environment>\n  </creator>\n  <source>\n";
  for (const auto& s : run_.sources) head += "    " + element("image_filename", s) + "\n";
  head += "  </source>\n";
  for (const auto& i : images_) head += i;
  for (const auto& v : volumes_) head += v;
  out_.write(head);

  // The fileobjects, copied from the temporary file.
  if (spill_ != nullptr && std::fflush(spill_) == 0 && std::fseek(spill_, 0, SEEK_SET) == 0) {
    char block[65536];
    for (size_t n; (n = std::fread(block, 1, sizeof block, spill_)) > 0;) {
      if (!out_.write(std::string_view(block, n))) break;
    }
  }
  out_.write(spill_memory_);

  std::string tail;
  struct rusage usage {};
  if (run_.rusage && ::getrusage(RUSAGE_SELF, &usage) == 0) {
    const double clock = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    tail += fmt::format(
        "  <rusage>\n    <utime>{:.6f}</utime>\n    <stime>{:.6f}</stime>\n    <maxrss>{}</maxrss>\n"
        "    <minflt>{}</minflt>\n    <majflt>{}</majflt>\n    <nswap>{}</nswap>\n    <inblock>{}</inblock>\n"
        "    <oublock>{}</oublock>\n    <clocktime>{:.6f}</clocktime>\n  </rusage>\n",
        static_cast<double>(usage.ru_utime.tv_sec) + usage.ru_utime.tv_usec / 1e6,
        static_cast<double>(usage.ru_stime.tv_sec) + usage.ru_stime.tv_usec / 1e6, usage.ru_maxrss, usage.ru_minflt,
        usage.ru_majflt, usage.ru_nswap, usage.ru_inblock, usage.ru_oublock, clock);
  }
  for (const auto& t : trailer_) tail += t;
  if (omitted_ > 0) tail += fmt::format("  <trawl:omitted elements=\"{}\"/>\n", omitted_);
  tail += "</dfxml>\n";
  out_.write(tail);
  out_.end_record();
  out_.flush();
}

}  // namespace trawl::record
