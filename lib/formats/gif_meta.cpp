#include "formats/gif_meta.hpp"

#include <string>

#include "core/hex.hpp"
#include "formats/meta_bytes.hpp"
#include "formats/meta_parser.hpp"

namespace trawl::formats {
namespace {

using meta::Bytes;
using meta::fits;

class GifParser : meta::ParserState {
 public:
  GifParser(Bytes data, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : ParserState(data, ctx, out, outcome, "GIF") {}

  void run() {
    if (!(meta::starts_with(data_, "GIF87a") || meta::starts_with(data_, "GIF89a")) || data_.size() < 13) {
      warn("no GIF header");
      return;
    }
    add("GIF", "ImageWidth", static_cast<int64_t>(meta::le16(data_, 6)), "Screen", 6);
    add("GIF", "ImageHeight", static_cast<int64_t>(meta::le16(data_, 8)), "Screen", 8);
    size_t at = 13;
    if (data_[10] & 0x80) at += 3u * (2u << (data_[10] & 7));
    uint32_t blocks = 0;
    while (at < data_.size()) {
      if (++blocks > limits_.max_entries * 10u) {
        warn("too many blocks");
        return;
      }
      const uint8_t introducer = data_[at];
      if (introducer == 0x3B) return;  // trailer
      if (introducer == 0x21) {
        if (!fits(data_.size(), at, 2)) break;
        const uint8_t label = data_[at + 1];
        const size_t start = at + 2;
        size_t end = 0;
        if (!skip_sub_blocks(start, end)) break;
        if (label == 0xFE) comment(start, end);
        if (label == 0xFF) application(start, end);
        at = end;
      } else if (introducer == 0x2C) {
        if (!fits(data_.size(), at, 10)) break;
        const uint8_t flags = data_[at + 9];
        at += 10;
        if (flags & 0x80) at += 3u * (2u << (flags & 7));
        at += 1;  // LZW minimum code size
        size_t end = 0;
        if (at > data_.size() || !skip_sub_blocks(at, end)) break;
        at = end;
      } else {
        warn("unknown block 0x" + hex_lower(data_.subspan(at, 1)) + " at offset " + std::to_string(ctx_.base + at));
        return;
      }
    }
    warn("truncated (no trailer)");
  }

 private:

  // Sub-blocks from `at`: size byte, data, ..., a zero size. `end` is past the terminator.
  bool skip_sub_blocks(size_t at, size_t& end) {
    while (at < data_.size()) {
      const uint8_t size = data_[at];
      if (size == 0) {
        end = at + 1;
        return true;
      }
      at += 1u + size;
    }
    return false;
  }

  void comment(size_t at, size_t end) {
    std::string text;
    const size_t first = at + 1;
    while (at < end && data_[at] != 0) {
      const size_t size = data_[at];
      if (text.size() < limits_.max_value_bytes) text.append(meta::as_text(data_.subspan(at + 1, size)));
      at += 1 + size;
    }
    add("File", "Comment", meta::utf8_or_latin1(text), "Comment", first);
  }

  // XMP application extension: the packet is stored raw, its bytes doubling
  // as sub-block sizes, followed by a 258-byte "magic trailer".
  void application(size_t at, size_t end) {
    if (end - at < 12 || data_[at] != 11) return;
    if (meta::as_text(data_.subspan(at + 1, 11)) != "XMP DataXMP") return;
    const size_t start = at + 12;
    size_t length = end - start;
    if (length >= 258 && data_[end - 2] == 0x00 && data_[end - 258] == 0x01) length -= 258;
    meta::add_xmp_block(outcome_, ctx_, "XMP DataXMP", start, length);
  }

};

}  // namespace

void parse_gif_meta(std::span<const uint8_t> gif, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  GifParser(gif, ctx, out, outcome).run();
}

}  // namespace trawl::formats
