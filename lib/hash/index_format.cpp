#include "hash/index_format.hpp"

#include <bit>

namespace trawl::hash::index_format {

unsigned prefix_bits_for(uint64_t count) {
  const unsigned bits = static_cast<unsigned>(std::bit_width(count / 8));
  return bits < 4 ? 4 : bits > kMaxPrefixBits ? kMaxPrefixBits : bits;
}

std::array<uint8_t, 32> header_checksum(std::span<const uint8_t> bytes, size_t table_bytes) {
  MultiDigest digest({Algorithm::sha256});
  digest.update(std::as_bytes(bytes.first(kChecksumOffset)));
  digest.update(std::as_bytes(bytes.subspan(kHeaderSize, table_bytes)));
  std::array<uint8_t, 32> out{};
  const auto hex = digest.finish().front().second;
  const auto raw = parse_hex(hex, 32);
  if (raw) std::copy(raw->begin(), raw->end(), out.begin());
  return out;
}

std::vector<uint8_t> encode_header(const Header& h) {
  std::vector<uint8_t> out(header_bytes(h.sections.size()), 0);
  std::memcpy(out.data(), kMagic, 8);
  put_u32(&out[8], h.version);
  put_u32(&out[12], h.flags);
  put_u64(&out[16], h.file_size);
  put_u64(&out[24], h.entries);
  put_u32(&out[32], static_cast<uint32_t>(h.sections.size()));
  put_u32(&out[36], h.common_digests);
  for (size_t i = 0; i < h.sections.size(); ++i) {
    uint8_t* p = &out[kHeaderSize + i * kSectionEntrySize];
    const Section& s = h.sections[i];
    put_u32(p, static_cast<uint32_t>(s.kind));
    put_u32(p + 4, s.param);
    put_u64(p + 8, s.offset);
    put_u64(p + 16, s.length);
    put_u64(p + 24, s.count);
  }
  const auto sum = header_checksum(out, h.sections.size() * kSectionEntrySize);
  std::memcpy(&out[kChecksumOffset], sum.data(), sum.size());
  return out;
}

Result<Header> decode_header(std::span<const uint8_t> file) {
  const uint64_t size = file.size();
  if (size < 8 || std::memcmp(file.data(), kMagic, 8) != 0) return make_error(Errc::data_loss, "not a trawl index (bad magic)");
  if (size < 24)
    return make_error(Errc::data_loss, "index truncated: " + std::to_string(size) + " bytes, shorter than its header (" +
                                           std::to_string(kHeaderSize) + ")");
  Header h;
  h.file_size = get_u64(&file[16]);
  if (size != h.file_size) {
    if (size < h.file_size)
      return make_error(Errc::data_loss,
                        "index truncated: " + std::to_string(size) + " bytes, header says " + std::to_string(h.file_size));
    return make_error(Errc::data_loss, "index has " + std::to_string(size) + " bytes, header says " + std::to_string(h.file_size));
  }
  if (size < kHeaderSize)
    return make_error(Errc::data_loss, "index truncated: " + std::to_string(size) + " bytes, shorter than its header (" +
                                           std::to_string(kHeaderSize) + ")");
  const uint32_t sections = get_u32(&file[32]);
  if (sections > kMaxSections || header_bytes(sections) > size)
    return make_error(Errc::data_loss, "index header checksum mismatch");  // the count itself is damaged
  const auto sum = header_checksum(file, sections * kSectionEntrySize);
  if (std::memcmp(sum.data(), &file[kChecksumOffset], sum.size()) != 0)
    return make_error(Errc::data_loss, "index header checksum mismatch");
  h.version = get_u32(&file[8]);
  if (h.version != kVersion)
    return make_error(Errc::unimplemented, "index format version " + std::to_string(h.version) + " is not supported (this trawl reads " +
                                               std::to_string(kVersion) + ")");
  h.flags = get_u32(&file[12]);
  if ((h.flags & ~kKnownFlags) != 0) return make_error(Errc::unimplemented, "index uses unknown flags " + std::to_string(h.flags));
  h.entries = get_u64(&file[24]);
  h.common_digests = get_u32(&file[36]);
  for (uint32_t i = 0; i < sections; ++i) {
    const uint8_t* p = &file[kHeaderSize + i * kSectionEntrySize];
    Section s;
    s.kind = static_cast<SectionKind>(get_u32(p));
    s.param = get_u32(p + 4);
    s.offset = get_u64(p + 8);
    s.length = get_u64(p + 16);
    s.count = get_u64(p + 24);
    if (s.offset < header_bytes(sections) || s.offset > size || s.length > size - s.offset)
      return make_error(Errc::data_loss, "index section " + std::to_string(i) + " lies outside the file");
    h.sections.push_back(s);
  }
  return h;
}

namespace {

void put_string(std::vector<uint8_t>& out, std::string_view s) {
  uint8_t n[4];
  put_u32(n, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), n, n + 4);
  out.insert(out.end(), s.begin(), s.end());
}

/// Reads checked fields from a byte span.
struct Reader {
  std::span<const uint8_t> bytes;
  size_t pos = 0;
  bool ok = true;

  uint32_t u32() {
    if (!ok || bytes.size() - pos < 4) return ok = false, 0;
    pos += 4;
    return get_u32(&bytes[pos - 4]);
  }
  uint8_t u8() {
    if (!ok || pos >= bytes.size()) return ok = false, 0;
    return bytes[pos++];
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      const uint8_t b = u8();
      if (!ok) return 0;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return ok = false, 0;
  }
  std::string text(uint64_t n) {
    if (!ok || n > bytes.size() - pos) return ok = false, std::string();
    std::string s(reinterpret_cast<const char*>(&bytes[pos]), n);
    pos += n;
    return s;
  }
};

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint8_t tri(const std::optional<bool>& b) { return b ? (*b ? 2 : 1) : 0; }
std::optional<bool> untri(unsigned v) {
  if (v == 1) return false;
  if (v == 2) return true;
  return std::nullopt;
}

}  // namespace

std::vector<uint8_t> encode_meta(const IndexMeta& meta) {
  std::vector<uint8_t> out;
  put_string(out, meta.name);
  out.push_back(meta.kind == SetKind::good ? 0 : 1);
  put_string(out, meta.version);
  uint8_t n[4];
  put_u32(n, static_cast<uint32_t>(meta.sources.size()));
  out.insert(out.end(), n, n + 4);
  for (const auto& s : meta.sources) put_string(out, s);
  return out;
}

Result<IndexMeta> decode_meta(std::span<const uint8_t> bytes) {
  Reader r{bytes};
  IndexMeta meta;
  meta.name = r.text(r.u32());
  const uint8_t kind = r.u8();
  meta.kind = kind == 0 ? SetKind::good : SetKind::bad;
  meta.version = r.text(r.u32());
  const uint32_t sources = r.u32();
  for (uint32_t i = 0; r.ok && i < sources; ++i) meta.sources.push_back(r.text(r.u32()));
  if (!r.ok || kind > 1) return make_error(Errc::data_loss, "index meta section is damaged");
  return meta;
}

void encode_provenance(const Provenance& p, std::string& out) {
  const std::string* fields[] = {&p.name, &p.category, &p.product, &p.media_id, &p.series};
  uint8_t mask = 0;
  for (int i = 0; i < 5; ++i)
    if (!fields[i]->empty()) mask |= static_cast<uint8_t>(1u << i);
  const uint8_t bools = static_cast<uint8_t>(tri(p.victim_identified) | tri(p.is_distributed) << 2);
  if (mask == 0 && bools == 0) return;
  out.push_back(static_cast<char>(mask));
  out.push_back(static_cast<char>(bools));
  for (int i = 0; i < 5; ++i) {
    if (fields[i]->empty()) continue;
    put_varint(out, fields[i]->size());
    out += *fields[i];
  }
}

Provenance decode_provenance(std::span<const uint8_t> blob) {
  Provenance p;
  if (blob.empty()) return p;
  Reader r{blob};
  const uint8_t mask = r.u8();
  const uint8_t bools = r.u8();
  p.victim_identified = untri(bools & 3);
  p.is_distributed = untri((bools >> 2) & 3);
  std::string* fields[] = {&p.name, &p.category, &p.product, &p.media_id, &p.series};
  for (int i = 0; i < 5 && r.ok; ++i)
    if (mask & (1u << i)) *fields[i] = r.text(r.varint());
  return p;
}

}  // namespace trawl::hash::index_format
