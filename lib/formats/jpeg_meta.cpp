#include "formats/jpeg_meta.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "formats/meta_bytes.hpp"
#include "formats/meta_parser.hpp"
#include "formats/photoshop_meta.hpp"
#include "formats/tiff_meta.hpp"

namespace trawl::formats {
namespace {

using meta::Bytes;
using meta::fits;

constexpr std::string_view kExif("Exif\0", 5);
constexpr std::string_view kXmp("http://ns.adobe.com/xap/1.0/\0", 29);
constexpr std::string_view kExtendedXmp("http://ns.adobe.com/xmp/extension/\0", 35);
constexpr std::string_view kPhotoshop("Photoshop 3.0\0", 14);
constexpr std::string_view kJfif("JFIF\0", 5);
constexpr std::string_view kMpf("MPF\0", 4);

bool is_sof(uint8_t marker) { return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC; }

// Extended XMP arrives in chunks keyed by a GUID; reassembled here.
struct ExtendedXmp {
  uint64_t first_offset = 0;
  std::vector<uint8_t> bytes;
  std::vector<bool> have;
  uint64_t received = 0;
};

class JpegParser : meta::ParserState {
 public:
  JpegParser(Bytes data, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : ParserState(data, ctx, out, outcome, "JPEG") {}

  void run() {
    const size_t first_field = out_.size();
    if (data_.size() < 2 || data_[0] != 0xFF || data_[1] != 0xD8) {
      warn("no JPEG start-of-image marker");
      return;
    }
    size_t at = 2;
    bool scan = false;
    uint32_t segments = 0;
    while (at < data_.size()) {
      if (data_[at] != 0xFF) {
        warn("marker expected at offset " + std::to_string(ctx_.base + at));
        break;
      }
      while (at < data_.size() && data_[at] == 0xFF) ++at;
      if (at >= data_.size()) break;
      const uint8_t marker = data_[at++];
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
      if (marker == 0xD9) {
        eoi_end_ = at;
        break;
      }
      if (++segments > limits_.max_entries) {
        warn("more than " + std::to_string(limits_.max_entries) + " segments");
        break;
      }
      if (!fits(data_.size(), at, 2)) {
        warn("JPEG format error: truncated segment length at offset " + std::to_string(ctx_.base + at));
        break;
      }
      const uint16_t length = meta::be16(data_, at);
      if (length < 2) {
        warn("JPEG format error: segment length " + std::to_string(length) + " at offset " + std::to_string(ctx_.base + at));
        break;
      }
      const size_t start = at + 2;
      size_t size = length - 2u;
      const bool truncated = !fits(data_.size(), start, size);
      if (truncated) {
        warn("JPEG format error: segment " + marker_name(marker) + " at offset " + std::to_string(ctx_.base + at) +
             " runs past the end; reading what is there");
        size = data_.size() - start;
      }
      segment(marker, data_.subspan(start, size), start);
      if (truncated) break;
      at = start + size;
      if (marker == 0xDA) {
        scan = true;
        break;
      }
    }
    if (scan) find_eoi(at);
    finish_extended_xmp();
    aspect_check(first_field);
  }

 private:

  static std::string marker_name(uint8_t marker) {
    char text[12];
    if (marker >= 0xE0 && marker <= 0xEF) std::snprintf(text, sizeof text, "APP%d", marker - 0xE0);
    else if (is_sof(marker)) std::snprintf(text, sizeof text, "SOF%d", marker - 0xC0);
    else if (marker == 0xFE) std::snprintf(text, sizeof text, "COM");
    else std::snprintf(text, sizeof text, "0xFF%02X", marker);
    return text;
  }


  void segment(uint8_t marker, Bytes seg, size_t start) {
    const std::string name = marker_name(marker);
    if (is_sof(marker)) {
      if (have_size_ || seg.size() < 5) return;
      have_size_ = true;
      height_ = meta::be16(seg, 1);
      width_ = meta::be16(seg, 3);
      add("File", "ImageWidth", static_cast<int64_t>(width_), name, start + 3);
      add("File", "ImageHeight", static_cast<int64_t>(height_), name, start + 1);
      return;
    }
    switch (marker) {
      case 0xE0:
        if (meta::starts_with(seg, kJfif) && seg.size() >= 14) {
          add("JFIF", "JFIFVersion", std::to_string(seg[5]) + " " + std::to_string(seg[6]), name, start + 5);
          add("JFIF", "ResolutionUnit", static_cast<int64_t>(seg[7]), name, start + 7);
          add("JFIF", "XResolution", static_cast<int64_t>(meta::be16(seg, 8)), name, start + 8);
          add("JFIF", "YResolution", static_cast<int64_t>(meta::be16(seg, 10)), name, start + 10);
        }
        return;
      case 0xE1:
        if (meta::starts_with(seg, kExif) && seg.size() >= 6) {
          parse_tiff_meta(seg.subspan(6), ctx_.nested(name, start + 6), out_, outcome_);
        } else if (meta::starts_with(seg, kXmp)) {
          meta::add_xmp_block(outcome_, ctx_, name, start + kXmp.size(), seg.size() - kXmp.size());
        } else if (meta::starts_with(seg, kExtendedXmp)) {
          extended_xmp(seg, start);
        }
        return;
      case 0xE2:
        if (meta::starts_with(seg, kMpf)) mpf(seg.subspan(4), start + 4);
        return;
      case 0xED:
        if (meta::starts_with(seg, kPhotoshop))
          parse_photoshop_irb(seg.subspan(kPhotoshop.size()), ctx_.nested(name, start + kPhotoshop.size()), out_, outcome_);
        return;
      case 0xFE: {
        std::string_view text = meta::as_text(seg.first(std::min<uint64_t>(seg.size(), limits_.max_value_bytes)));
        while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
        add("File", "Comment", meta::utf8_or_latin1(text), name, start);
        return;
      }
      default:
        return;
    }
  }

  void extended_xmp(Bytes seg, size_t start) {
    const size_t header = kExtendedXmp.size() + 32 + 8;
    if (seg.size() < header) {
      warn("extended XMP segment too short");
      return;
    }
    const std::string guid(meta::as_text(seg.subspan(kExtendedXmp.size(), 32)));
    const uint32_t full = meta::be32(seg, kExtendedXmp.size() + 32);
    const uint32_t offset = meta::be32(seg, kExtendedXmp.size() + 36);
    const Bytes chunk = seg.subspan(header);
    // The whole packet cannot be larger than the file that carries it.
    if (full > data_.size() || !fits(full, offset, chunk.size())) {
      warn("extended XMP chunk (full length " + std::to_string(full) + ", offset " + std::to_string(offset) +
           ") does not fit; ignored");
      return;
    }
    auto [it, fresh] = extended_.try_emplace(guid);
    ExtendedXmp& x = it->second;
    if (fresh) {
      if (extended_bytes_ + full > data_.size()) {
        warn("extended XMP packets larger than the file; ignored");
        extended_.erase(it);
        return;
      }
      extended_bytes_ += full;
      x.bytes.assign(full, 0);
      x.have.assign(full, false);
      x.first_offset = ctx_.base + start + header;
    } else if (x.bytes.size() != full) {
      warn("extended XMP chunks of GUID " + guid + " disagree on the full length");
      return;
    }
    for (size_t i = 0; i < chunk.size(); ++i) {
      x.bytes[offset + i] = chunk[i];
      if (!x.have[offset + i]) {
        x.have[offset + i] = true;
        ++x.received;
      }
    }
  }

  void finish_extended_xmp() {
    for (auto& [guid, x] : extended_) {
      if (x.received != x.bytes.size())
        warn("extended XMP " + guid + " incomplete: " + std::to_string(x.received) + " of " +
             std::to_string(x.bytes.size()) + " bytes");
      EmbeddedBlock block;
      block.kind = "xmp";
      block.offset = x.first_offset;
      block.length = x.bytes.size();
      block.path = ctx_.path_of("APP1/ExtendedXMP/" + guid);
      block.revision = ctx_.revision;
      block.bytes = std::move(x.bytes);
      block.decoded = true;
      outcome_.embedded.push_back(std::move(block));
    }
  }

  // MPF index: a TIFF-like header, IFD with NumberOfImages and MPEntry.
  void mpf(Bytes mp, size_t start) {
    auto header = tiff_detail::read_tiff_header(mp);
    if (!header) {
      warn("MPF segment without a TIFF header");
      return;
    }
    const bool big = header->big_endian;
    if (auto n = tiff_detail::find_tiff_entry(mp, big, header->ifd0, 0xB001); n && n->type == 4 && n->count == 1) {
      const uint32_t count = big ? meta::be32(mp, n->value_at) : meta::le32(mp, n->value_at);
      add("MPF", "NumberOfImages", static_cast<int64_t>(count), "APP2/MPF/0xb001", start + n->value_at);
    }
    auto e = tiff_detail::find_tiff_entry(mp, big, header->ifd0, 0xB002);
    if (!e || e->type != 7) return;
    const uint32_t images = std::min<uint32_t>(e->count / 16, 64);
    for (uint32_t i = 0; i < images; ++i) {
      const size_t at = e->value_at + 16 * i;
      const uint32_t size = big ? meta::be32(mp, at + 4) : meta::le32(mp, at + 4);
      const uint32_t offset = big ? meta::be32(mp, at + 8) : meta::le32(mp, at + 8);
      const std::string group = "MPImage" + std::to_string(i + 1);
      // Offsets count from the MP header, except the first image's (0).
      const int64_t item_start = offset == 0 ? 0 : static_cast<int64_t>(ctx_.base + start + offset);
      MetaField f = meta::make_field(ctx_, group, "MPImageStart", item_start, "APP2/MPF/0xb002", start + at + 8);
      f.raw = std::to_string(offset);
      meta::add_field(out_, outcome_, ctx_, std::move(f));
      add(group, "MPImageLength", static_cast<int64_t>(size), "APP2/MPF/0xb002", start + at + 4);
    }
  }

  void find_eoi(size_t at) {
    for (size_t i = at; i + 1 < data_.size(); ++i) {
      if (data_[i] == 0xFF && data_[i + 1] == 0xD9) {
        eoi_end_ = i + 2;
        break;
      }
    }
    if (!eoi_end_) {
      warn("no EOI marker after the image data (truncated?)");
      return;
    }
    if (*eoi_end_ < data_.size())
      warn(std::to_string(data_.size() - *eoi_end_) + " bytes of trailing data after EOI at offset " +
           std::to_string(ctx_.base + *eoi_end_));
  }

  // Composite:ThumbnailAspectMismatch: the EXIF thumbnail's shape against the frame's.
  void aspect_check(size_t first_field) {
    if (!have_size_ || width_ == 0 || height_ == 0) return;
    uint32_t tw = 0, th = 0;
    int64_t orientation = 1;
    const MetaField* thumb = nullptr;
    for (size_t i = first_field; i < out_.size(); ++i) {
      const MetaField& f = out_[i];
      if (f.group == "Composite" && f.tag == "ThumbnailImageSize" && std::holds_alternative<std::string>(f.value)) {
        if (std::sscanf(std::get<std::string>(f.value).c_str(), "%ux%u", &tw, &th) == 2) thumb = &f;
      } else if (f.group == "IFD0" && f.tag == "Orientation" && std::holds_alternative<int64_t>(f.value)) {
        orientation = std::get<int64_t>(f.value);
      }
    }
    if (!thumb || tw == 0 || th == 0) return;
    auto differs = [](double a, double b) { return std::fabs(a - b) / a > 0.05; };
    const double main_ratio = double(width_) / height_;
    bool mismatch = differs(main_ratio, double(tw) / th);
    if (mismatch && orientation >= 5 && orientation <= 8) mismatch = differs(main_ratio, double(th) / tw);
    MetaField f = meta::make_field(ctx_, "Composite", "ThumbnailAspectMismatch", mismatch, "", 0);
    f.path = thumb->path;
    f.offset = thumb->offset;
    f.raw = std::to_string(width_) + "x" + std::to_string(height_) + " vs " + std::to_string(tw) + "x" +
            std::to_string(th) + " orientation " + std::to_string(orientation);
    meta::add_field(out_, outcome_, ctx_, std::move(f));
  }

  bool have_size_ = false;
  uint32_t width_ = 0, height_ = 0;
  std::optional<size_t> eoi_end_;
  std::map<std::string, ExtendedXmp> extended_;
  uint64_t extended_bytes_ = 0;
};

}  // namespace

void parse_jpeg_meta(std::span<const uint8_t> jpeg, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  JpegParser(jpeg, ctx, out, outcome).run();
}

std::optional<std::pair<uint32_t, uint32_t>> jpeg_image_size(std::span<const uint8_t> jpeg) {
  if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return std::nullopt;
  size_t at = 2;
  for (int segments = 0; segments < 1000 && at + 4 <= jpeg.size(); ++segments) {
    if (jpeg[at] != 0xFF) return std::nullopt;
    while (at < jpeg.size() && jpeg[at] == 0xFF) ++at;
    if (at + 3 > jpeg.size()) return std::nullopt;
    const uint8_t marker = jpeg[at++];
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;
    const uint16_t length = meta::be16(jpeg, at);
    if (length < 2 || !fits(jpeg.size(), at, length)) return std::nullopt;
    if (is_sof(marker) && length >= 7)
      return std::make_pair(uint32_t{meta::be16(jpeg, at + 5)}, uint32_t{meta::be16(jpeg, at + 3)});
    at += length;
  }
  return std::nullopt;
}

}  // namespace trawl::formats
