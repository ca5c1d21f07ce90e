#include "formats/meta_extract.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "formats/meta_parsers.hpp"
#include "formats/xmp_meta.hpp"

namespace trawl::formats {
namespace {

bool starts_with(std::span<const uint8_t> bytes, std::string_view prefix, std::size_t at = 0) {
  if (bytes.size() < at + prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; });
}

bool contains(std::span<const uint8_t> bytes, std::string_view needle) {
  const auto* begin = reinterpret_cast<const char*>(bytes.data());
  return std::string_view(begin, bytes.size()).find(needle) != std::string_view::npos;
}

std::string text_of(const MetaField& f) {
  if (const auto* s = std::get_if<std::string>(&f.value)) return *s;
  if (const auto* i = std::get_if<int64_t>(&f.value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&f.value)) return std::to_string(*d);
  return std::get<bool>(f.value) ? "true" : "false";
}

/// Runs the parser of each embedded block; blocks found inside blocks (XMP in
/// Exif is not a thing, but a parser may hand back anything) are followed to a
/// small depth.
void parse_embedded(std::span<const uint8_t> item, MetaOutcome& outcome, const MetaLimits& limits, MetaFields& out,
                    std::vector<std::string>& warnings) {
  std::vector<EmbeddedBlock> pending = std::move(outcome.embedded);
  outcome.embedded.clear();
  for (unsigned round = 0; round < 4 && !pending.empty(); ++round) {
    std::vector<EmbeddedBlock> next;
    for (EmbeddedBlock& block : pending) {
      std::span<const uint8_t> bytes;
      if (block.decoded) {
        bytes = block.bytes;
      } else if (block.offset <= item.size() && block.length <= item.size() - block.offset) {
        bytes = item.subspan(block.offset, block.length);
      } else {
        warnings.push_back(block.path + ": embedded " + block.kind + " block past the end of the item");
        continue;
      }
      MetaContext ctx;
      ctx.path = block.path;
      ctx.base = block.offset;
      ctx.revision = block.revision;
      ctx.limits = &limits;
      MetaOutcome inner;
      const std::size_t first_new = out.size();
      if (block.kind == "xmp") {
        parse_xmp(bytes, ctx, out, inner);
      } else if (block.kind == "exif") {
        parse_tiff_meta(bytes, ctx, out, inner);
      } else {
        warnings.push_back(block.path + ": embedded block of unknown kind " + block.kind);
      }
      // Offsets inside inflated or reassembled bytes do not address the item.
      if (block.decoded)
        for (std::size_t i = first_new; i < out.size(); ++i) out[i].offset.reset();
      for (auto& w : inner.warnings) warnings.push_back(std::move(w));
      for (auto& e : inner.embedded) next.push_back(std::move(e));
    }
    pending = std::move(next);
  }
}

const MetaField* find(const MetaFields& fields, std::string_view group, std::string_view tag) {
  for (const auto& f : fields)
    if (f.group == group && f.tag == tag && !f.invalid) return &f;
  return nullptr;
}

/// EXIF dates are "YYYY:MM:DD HH:MM:SS" raw and ISO once converted; XMP writes
/// ISO with or without seconds and zone. Compare on the first 19 ISO characters.
std::string comparable_time(const MetaField& f) {
  std::string t = text_of(f);
  if (t.size() >= 19 && t[4] == ':' && t[7] == ':') {
    t[4] = '-';
    t[7] = '-';
    t[10] = 'T';
  }
  return t.substr(0, std::min<std::size_t>(t.size(), 19));
}

void compute_indicators(MetaDocument& doc) {
  // Editing software in the chain: every distinct writer named anywhere.
  static const std::pair<std::string_view, std::string_view> kSoftware[] = {
      {"IFD0", "Software"},        {"XMP-xmp", "CreatorTool"},  {"XMP-xmpMM", "HistorySoftwareAgent"},
      {"PDF", "Producer"},         {"PDF", "Creator"},          {"XMP-pdf", "Producer"},
      {"XML", "Application"},      {"FlashPix", "Software"},    {"PNG", "Software"},
      {"Keys", "Software"},        {"UserData", "Software"},    {"ItemList", "Encoder"},
      {"XMP-photoshop", "History"}};
  std::vector<std::string> seen;
  for (const auto& f : doc.fields) {
    for (const auto& [group, tag] : kSoftware) {
      if (f.group != group || f.tag != tag || f.invalid) continue;
      // History agents are a joined list.
      std::string all = text_of(f);
      std::size_t start = 0;
      while (start <= all.size()) {
        const auto comma = tag == "HistorySoftwareAgent" ? all.find(", ", start) : std::string::npos;
        std::string one = all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!one.empty() && std::find(seen.begin(), seen.end(), one) == seen.end()) seen.push_back(one);
        if (comma == std::string::npos) break;
        start = comma + 2;
      }
    }
  }
  for (const auto& s : seen) doc.indicators.push_back("software: " + s);

  // The same fact stated twice with different values.
  static const std::tuple<std::string_view, std::string_view, std::string_view, std::string_view, bool> kPairs[] = {
      {"IFD0", "Make", "XMP-tiff", "Make", false},
      {"IFD0", "Model", "XMP-tiff", "Model", false},
      {"ExifIFD", "DateTimeOriginal", "XMP-exif", "DateTimeOriginal", true},
      {"ExifIFD", "DateTimeOriginal", "XMP-photoshop", "DateCreated", true},
      {"IFD0", "Artist", "XMP-dc", "Creator", false},
      {"ExifIFD", "SerialNumber", "XMP-aux", "SerialNumber", false},
      {"PDF", "Author", "XMP-dc", "Creator", false},
      {"PDF", "Producer", "XMP-pdf", "Producer", false},
  };
  for (const auto& [g1, t1, g2, t2, is_time] : kPairs) {
    const MetaField* a = find(doc.fields, g1, t1);
    const MetaField* b = find(doc.fields, g2, t2);
    if (a == nullptr || b == nullptr) continue;
    const std::string va = is_time ? comparable_time(*a) : text_of(*a);
    const std::string vb = is_time ? comparable_time(*b) : text_of(*b);
    if (va != vb)
      doc.indicators.push_back(std::string(g1) + ":" + std::string(t1) + " and " + std::string(g2) + ":" +
                               std::string(t2) + " disagree: " + text_of(*a) + " / " + text_of(*b));
  }
  const MetaField* exif_lat = find(doc.fields, "Composite", "GPSLatitude");
  const MetaField* xmp_lat = find(doc.fields, "XMP-exif", "GPSLatitude");
  if (exif_lat != nullptr && xmp_lat != nullptr) {
    const auto* a = std::get_if<double>(&exif_lat->value);
    const auto* b = std::get_if<double>(&xmp_lat->value);
    if (a != nullptr && b != nullptr && std::fabs(*a - *b) > 1e-4)
      doc.indicators.push_back("EXIF and XMP positions disagree");
  }

  // PDF: a producer that changes between revisions means another program
  // saved the document after its creator.
  std::map<unsigned, std::string> producers;
  for (const auto& f : doc.fields)
    if (f.group == "PDF" && f.tag == "Producer" && f.revision != 0) producers[f.revision] = text_of(f);
  std::string previous;
  for (const auto& [revision, producer] : producers) {
    if (!previous.empty() && producer != previous)
      doc.indicators.push_back("PDF producer changed in revision " + std::to_string(revision) + ": " + previous +
                               " -> " + producer);
    previous = producer;
  }
  if (const MetaField* t = find(doc.fields, "Composite", "ThumbnailAspectMismatch"))
    if (const auto* b = std::get_if<bool>(&t->value); b != nullptr && *b)
      doc.indicators.push_back("thumbnail aspect ratio differs from the image");
}

}  // namespace

const char* meta_format_name(MetaFormat format) {
  switch (format) {
    case MetaFormat::jpeg: return "jpeg";
    case MetaFormat::tiff: return "tiff";
    case MetaFormat::png: return "png";
    case MetaFormat::gif: return "gif";
    case MetaFormat::webp: return "webp";
    case MetaFormat::bmff: return "iso-bmff";
    case MetaFormat::pdf: return "pdf";
    case MetaFormat::ooxml: return "ooxml";
    case MetaFormat::odf: return "odf";
    case MetaFormat::ole2: return "ole2";
    case MetaFormat::xmp: return "xmp";
    case MetaFormat::unknown: break;
  }
  return "unknown";
}

MetaFormat detect_meta_format(std::span<const uint8_t> head) {
  if (starts_with(head, "\xFF\xD8\xFF")) return MetaFormat::jpeg;
  if (starts_with(head, std::string_view("II*\0", 4)) || starts_with(head, std::string_view("MM\0*", 4))) return MetaFormat::tiff;
  if (starts_with(head, "\x89PNG\r\n\x1A\n")) return MetaFormat::png;
  if (starts_with(head, "GIF87a") || starts_with(head, "GIF89a")) return MetaFormat::gif;
  if (starts_with(head, "RIFF") && starts_with(head, "WEBP", 8)) return MetaFormat::webp;
  if (starts_with(head, "ftyp", 4) || starts_with(head, "moov", 4) || starts_with(head, "wide", 4) ||
      starts_with(head, "mdat", 4))
    return MetaFormat::bmff;
  if (starts_with(head, std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) return MetaFormat::ole2;
  if (starts_with(head, std::string_view("PK\x03\x04", 4))) {
    if (starts_with(head, "mimetypeapplication/vnd.oasis.opendocument", 30)) return MetaFormat::odf;
    return MetaFormat::ooxml;  // the parser reads docProps/ only; other zips give no fields
  }
  // PDF allows up to 1 KiB of junk before the header.
  if (contains(head.first(std::min<std::size_t>(head.size(), 1024)), "%PDF-")) return MetaFormat::pdf;
  const auto lead = head.first(std::min<std::size_t>(head.size(), 512));
  if (contains(lead, "<?xpacket") || contains(lead, "<x:xmpmeta") || contains(lead, "<x:xapmeta"))
    return MetaFormat::xmp;
  return MetaFormat::unknown;
}

MetaDocument extract_metadata(std::span<const uint8_t> bytes, const MetaLimits& limits) {
  MetaDocument doc;
  doc.format = detect_meta_format(bytes.first(std::min<std::size_t>(bytes.size(), 4096)));
  MetaContext ctx;
  ctx.limits = &limits;
  MetaOutcome outcome;
  switch (doc.format) {
    case MetaFormat::jpeg: parse_jpeg_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::tiff: parse_tiff_file_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::png: parse_png_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::gif: parse_gif_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::webp: parse_webp_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::bmff: parse_bmff_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::pdf: parse_pdf_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::ooxml: parse_ooxml_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::odf: parse_odf_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::ole2: parse_ole2_meta(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::xmp: parse_xmp(bytes, ctx, doc.fields, outcome); break;
    case MetaFormat::unknown: return doc;
  }
  doc.warnings = std::move(outcome.warnings);
  parse_embedded(bytes, outcome, limits, doc.fields, doc.warnings);
  if (doc.format == MetaFormat::pdf) {
    // The latest revision is what a reader shows, and what ExifTool names
    // plainly; earlier revisions follow as copies (Key#2...). Fields of no
    // revision (version, page count) stay first.
    auto rank = [](const MetaField& f) { return f.revision == 0 ? ~0u : f.revision; };
    std::stable_sort(doc.fields.begin(), doc.fields.end(),
                     [&](const MetaField& a, const MetaField& b) { return rank(a) > rank(b); });
  }
  if (doc.fields.size() > limits.max_fields) {
    doc.fields.resize(limits.max_fields);
    doc.warnings.push_back("more than " + std::to_string(limits.max_fields) + " fields; the rest were dropped");
  }
  compute_indicators(doc);
  return doc;
}

}  // namespace trawl::formats
