// Provenance of PrusaSlicer binary G-code (.bgcode, libbgcode
// doc/specifications.md): the INI-encoded metadata blocks (stored plain or
// compressed with Deflate or heatshrink), and the thumbnails' format and size.
#include <algorithm>
#include <string>

#include "formats/bgcode_gcode.hpp"
#include "formats/model_meta.hpp"
#include "formats/model_meta_text.hpp"

namespace trawl::formats {
namespace {

constexpr std::uint64_t kMaxMetadata = std::uint64_t{16} << 20;  // a metadata block is a few KB of INI

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

const char* block_name(std::uint16_t type) {
  switch (type) {
    case 0: return "file";
    case 2: return "slicer";
    case 3: return "printer";
    case 4: return "print";
    default: return "";
  }
}

}  // namespace

ModelMeta bgcode_meta(std::span<const std::uint8_t> bytes) {
  ModelMeta out;
  if (bytes.size() < 10 || model_text::as_text(bytes.first(4)) != "GCDE") return out;
  const bool crc = le16(bytes.data() + 8) == 1;
  std::size_t pos = 10;
  for (int blocks = 0; blocks < 100000 && pos + 8 <= bytes.size(); ++blocks) {
    const std::uint16_t type = le16(bytes.data() + pos), compression = le16(bytes.data() + pos + 2);
    if (type > 5 || compression > 3) break;
    const std::size_t header = compression == 0 ? 8 : 12;
    const std::size_t params = type == 5 ? 6 : 2;
    if (bytes.size() - pos < header + params) break;
    const std::uint64_t size = compression == 0 ? le32(bytes.data() + pos + 4) : le32(bytes.data() + pos + 8);
    const std::size_t data = pos + header + params;
    if (size > bytes.size() - data) break;
    const auto body = model_text::as_text(bytes.subspan(data, static_cast<std::size_t>(size)));
    if (type == 5) {
      static constexpr const char* kFormats[] = {"png", "jpg", "qoi"};
      const std::uint16_t format = le16(bytes.data() + pos + header);
      const std::string f = format < 3 ? kFormats[format] : "format-" + std::to_string(format);
      out.push_back({"thumbnail",
                     f + " " + std::to_string(le16(bytes.data() + pos + header + 2)) + "x" +
                         std::to_string(le16(bytes.data() + pos + header + 4)) + " " + std::to_string(size),
                     pos});
    } else if (type != 1) {
      const std::string prefix = block_name(type);
      // Compressed blocks (PrusaSlicer deflates the slicer metadata by default) are decoded; their lines
      // carry the block's offset, as no byte of the file holds them.
      std::vector<std::uint8_t> plain;
      std::string_view text = body;
      if (compression != 0) {
        auto decoded = bgcode_decompress(compression, bytes.subspan(data, static_cast<std::size_t>(size)),
                                         std::min<std::uint64_t>(le32(bytes.data() + pos + 4), kMaxMetadata));
        if (!decoded) {
          out.push_back({prefix + ".compressed", std::to_string(size) + " bytes: " + decoded.error().detail, data});
          text = {};
        } else {
          plain = std::move(*decoded);
          text = model_text::as_text(plain);
        }
      }
      model_text::for_each_line(text, 0, text.size(), [&](std::string_view line, std::size_t offset) {
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos || eq == 0) return;
        out.push_back({prefix + "." + std::string(model_text::trim(line.substr(0, eq))),
                       std::string(model_text::trim(line.substr(eq + 1))), compression == 0 ? data + offset : data});
      });
    }
    pos = data + static_cast<std::size_t>(size) + (crc ? 4 : 0);
  }
  return out;
}

}  // namespace trawl::formats
