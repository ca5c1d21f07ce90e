// Bitcoin Core wallets: legacy Berkeley DB btree files and SQLite descriptor
// wallets. Only the records a forensic report needs are decoded; the layouts
// are in the research note (wallet-scan.md §3.1) and Bitcoin Core's walletdb.cpp.
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/byte_read.hpp"
#include "scan/wallet_files.hpp"

namespace trawl::scan {
namespace {

using namespace bytes;

constexpr std::uint32_t kBtreeMagic = 0x00053162;
constexpr std::uint8_t kPageLeaf = 5;        // P_LBTREE
constexpr std::uint8_t kPageMeta = 9;        // P_BTREEMETA
constexpr std::size_t kPageHeader = 26;      // SIZEOF_PAGE
constexpr std::uint8_t kKeyData = 1;         // B_KEYDATA
constexpr std::uint8_t kDeleted = 0x80;      // B_DELETE: the item stays on the page
constexpr std::size_t kMaxListed = 200;      // addresses listed in one hit

/// What the records of one wallet add up to.
struct WalletRecords {
  std::map<std::string, std::uint64_t> counts;  // record type -> items
  std::vector<std::string> addresses;           // from `name` records
  std::uint64_t deleted = 0;
  std::uint64_t remnants = 0;
  std::string mkey_line;
  std::string version;
};

bool printable(std::span<const std::byte> s) {
  if (s.empty()) return false;
  for (std::byte b : s) {
    const auto c = static_cast<unsigned char>(b);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/// Decodes one key/value pair; `value` may be empty (value item lost).
void add_record(std::span<const std::byte> key, std::span<const std::byte> value, WalletRecords& out) {
  std::size_t off = 0;
  std::span<const std::byte> type;
  if (!compact_string(key, off, type) || !printable(type) || type.size() > 32) return;
  const std::string name(text(type));
  ++out.counts[name];
  if (name == "name") {
    std::span<const std::byte> address;
    if (compact_string(key, off, address) && printable(address) && out.addresses.size() < kMaxListed)
      out.addresses.emplace_back(text(address));
  } else if (name == "mkey" && out.mkey_line.empty()) {
    out.mkey_line = bitcoin_core_mkey_line(value);
  } else if (name == "version" && value.size() >= 4) {
    out.version = std::to_string(u32le(value, 0));
  }
}

/// Known record-type prefixes, for items left in a page's free space.
bool looks_like_record_key(std::span<const std::byte> data) {
  static constexpr std::array<std::string_view, 6> kTypes = {"\x04name", "\x04ckey", "\x03key", "\x04mkey",
                                                            "\x07keymeta", "\x07purpose"};
  for (auto t : kTypes)
    if (data.size() > t.size() && text(data).substr(0, t.size()) == t) return true;
  return false;
}

/// One leaf page: indexed items (live and deleted) and, cheaply, key items in
/// the free space between the index and the lowest item.
void walk_leaf(std::span<const std::byte> page, WalletRecords& out) {
  const std::size_t entries = u16le(page, 20);
  const std::size_t high_free = u16le(page, 22);
  if (kPageHeader + 2 * entries > page.size()) return;
  auto item = [&](std::size_t index, bool& deleted) -> std::span<const std::byte> {
    const std::size_t at = u16le(page, kPageHeader + 2 * index);
    if (!fits(page, at, 3)) return {};
    const std::size_t len = u16le(page, at);
    const std::uint8_t type = u8(page, at + 2);
    deleted = (type & kDeleted) != 0;
    if ((type & 0x7f) != kKeyData || !fits(page, at + 3, len)) return {};
    return page.subspan(at + 3, len);
  };
  for (std::size_t i = 0; i + 1 < entries; i += 2) {
    bool key_deleted = false;
    bool value_deleted = false;
    auto key = item(i, key_deleted);
    auto value = item(i + 1, value_deleted);
    if (key_deleted || value_deleted) ++out.deleted;
    if (!key.empty()) add_record(key, value, out);
  }
  // Free space: items are 4-byte aligned, so remnants are looked for there.
  const std::size_t free_begin = (kPageHeader + 2 * entries + 3) & ~std::size_t{3};
  const std::size_t free_end = std::min(high_free, page.size());
  for (std::size_t at = free_begin; at + 3 < free_end; at += 4) {
    const std::size_t len = u16le(page, at);
    if ((u8(page, at + 2) & 0x7f) != kKeyData || len < 5 || !fits(page, at + 3, len) || at + 3 + len > free_end)
      continue;
    auto data = page.subspan(at + 3, len);
    if (!looks_like_record_key(data)) continue;
    ++out.remnants;
    const std::size_t next = (at + 3 + len + 3) & ~std::size_t{3};
    std::span<const std::byte> value;
    if (fits(page, next, 3) && (u8(page, next + 2) & 0x7f) == kKeyData && fits(page, next + 3, u16le(page, next)))
      value = page.subspan(next + 3, u16le(page, next));
    add_record(data, value, out);
    at = next - 4;
  }
}

void report(const WalletRecords& records, WalletFileHit& hit) {
  for (const auto& [type, n] : records.counts) {
    hit.add("records." + type, std::to_string(n));
  }
  hit.add("encrypted", records.counts.count("mkey") || records.counts.count("ckey") ||
                               records.counts.count("walletdescriptorckey")
                           ? "yes"
                           : "no");
  if (!records.version.empty()) hit.add("wallet_version", records.version);
  if (records.deleted) hit.add("deleted_items", std::to_string(records.deleted));
  if (records.remnants) hit.add("free_space_items", std::to_string(records.remnants));
  if (!records.addresses.empty()) {
    std::string joined;
    for (const auto& a : records.addresses) joined += (joined.empty() ? "" : " ") + a;
    hit.add("addresses", joined);
  }
  if (!records.mkey_line.empty()) {
    hit.crackable = records.mkey_line;
    hit.crack_format = "hashcat 11300";
  }
}

std::string network_of_magic(std::uint32_t magic) {
  switch (magic) {
    case 0xF9BEB4D9: return "mainnet";
    case 0x0B110907: return "testnet3";
    case 0x1C163F28: return "testnet4";
    case 0x0A03CF40: return "signet";
    case 0xFABFB5DA: return "regtest";
    default: return {};
  }
}

}  // namespace

std::string bitcoin_core_mkey_line(std::span<const std::byte> value) {
  // CMasterKey: vchCryptedKey, vchSalt, nDerivationMethod, nDeriveIterations.
  std::size_t off = 0;
  std::span<const std::byte> crypted;
  std::span<const std::byte> salt;
  if (!compact_string(value, off, crypted) || !compact_string(value, off, salt) || !fits(value, off, 8)) return {};
  const std::uint32_t method = u32le(value, off);
  const std::uint32_t iterations = u32le(value, off + 4);
  if (crypted.size() != 48 || salt.size() != 8 || method != 0 || iterations == 0) return {};
  // hashcat 11300 / bitcoin2john: lengths are in hex digits; the trailing
  // "$2$00$2$00" stands for the empty ckey and public-key fields.
  return "$bitcoin$" + std::to_string(crypted.size() * 2) + "$" + hex(crypted) + "$" + std::to_string(salt.size() * 2) +
         "$" + hex(salt) + "$" + std::to_string(iterations) + "$2$00$2$00";
}

bool parse_bdb_wallet(std::span<const std::byte> bytes, WalletFileHit& hit) {
  if (!fits(bytes, 0, 72) || u32le(bytes, 12) != kBtreeMagic || u32le(bytes, 16) != 9 ||
      u8(bytes, 25) != kPageMeta)
    return false;
  const std::uint32_t page_size = u32le(bytes, 20);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) return false;
  const std::uint64_t last_page = u32le(bytes, 32);
  const std::uint64_t declared = (last_page + 1) * page_size;
  hit.kind = "wallet.bitcoin-core";
  hit.length = static_cast<std::size_t>(std::min<std::uint64_t>(declared, bytes.size()));
  hit.partial = declared > bytes.size();
  hit.add("format", "berkeley-db");
  hit.add("page_size", std::to_string(page_size));
  hit.add("pages", std::to_string(last_page + 1));
  if (u8(bytes, 24) != 0) hit.add("db_encrypted", "yes");
  WalletRecords records;
  for (std::size_t at = page_size; at + kPageHeader <= hit.length; at += page_size) {
    // The last page of a truncated file is read as far as it goes.
    auto page = bytes.subspan(at, std::min<std::size_t>(page_size, hit.length - at));
    if (u8(page, 25) == kPageLeaf) walk_leaf(page, records);
  }
  // Other programs use Berkeley DB btrees too (RPM, old browser stores): a
  // wallet has at least one of Bitcoin Core's record types.
  static constexpr std::string_view kWalletTypes[] = {"name", "purpose", "key", "ckey", "mkey", "keymeta", "version",
                                                      "minversion", "hdchain", "bestblock", "pool", "tx",
                                                      "defaultkey", "orderposnext", "wkey"};
  bool wallet = false;
  for (auto type : kWalletTypes) wallet = wallet || records.counts.count(std::string(type)) > 0;
  if (!wallet) return false;
  report(records, hit);
  return true;
}

bool parse_sqlite_wallet(std::span<const std::byte> bytes, WalletFileHit& hit) {
  static constexpr std::string_view kMagic("SQLite format 3\0", 16);
  if (!fits(bytes, 0, 100) || text(bytes).substr(0, 16) != kMagic) return false;
  const std::string network = network_of_magic(u32be(bytes, 68));
  if (network.empty()) return false;
  std::uint32_t page_size = u16be(bytes, 16);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) return false;
  const std::uint64_t declared = std::uint64_t{page_size} * u32be(bytes, 28);
  hit.kind = "wallet.bitcoin-core-descriptor";
  hit.length = declared == 0 ? bytes.size() : static_cast<std::size_t>(std::min<std::uint64_t>(declared, bytes.size()));
  hit.partial = declared == 0 || declared > bytes.size();
  hit.add("format", "sqlite");
  hit.add("network", network);
  const auto file = bytes.first(hit.length);
  const std::string_view t = text(file);
  WalletRecords records;
  std::vector<std::string> descriptors;
  // Each key is stored twice (the table and its primary-key index): count distinct keys.
  std::set<std::string> seen;
  auto first_time = [&](std::size_t at, std::size_t n) {
    return fits(file, at, n) && seen.insert(std::string(t.substr(at, n))).second;
  };
  // Record payloads hold the key blob then the value blob, so a value is read
  // right after its key (records split over overflow pages are missed).
  for (std::size_t at = t.find("walletdescriptor"); at != std::string_view::npos;
       at = t.find("walletdescriptor", at + 1)) {
    if (at == 0) continue;
    const auto prefix = u8(file, at - 1);
    if (!first_time(at - 1, 1 + std::size_t{prefix} + 32)) continue;  // type string + id
    if (prefix == 0x13) ++records.counts["walletdescriptorkey"];
    if (prefix == 0x14) ++records.counts["walletdescriptorckey"];
    if (prefix == 0x15) ++records.counts["walletdescriptorcache"];
    if (prefix != 0x10) continue;
    ++records.counts["walletdescriptor"];
    std::size_t off = at + 16 + 32;  // type string, descriptor id
    std::span<const std::byte> descriptor;
    if (compact_string(file, off, descriptor) && printable(descriptor) && descriptors.size() < kMaxListed)
      descriptors.emplace_back(text(descriptor));
  }
  for (std::size_t at = t.find("\x04mkey"); at != std::string_view::npos; at = t.find("\x04mkey", at + 1)) {
    if (!first_time(at, 9)) continue;
    ++records.counts["mkey"];
    if (records.mkey_line.empty() && fits(file, at + 9, 1)) records.mkey_line = bitcoin_core_mkey_line(file.subspan(at + 9));
  }
  for (std::size_t at = t.find("\x04name"); at != std::string_view::npos; at = t.find("\x04name", at + 1)) {
    std::size_t off = at + 5;
    std::span<const std::byte> address;
    if (!compact_string(file, off, address) || !printable(address) || !first_time(at, off - at)) continue;
    ++records.counts["name"];
    if (records.addresses.size() < kMaxListed)
      records.addresses.emplace_back(text(address));
  }
  report(records, hit);
  if (!descriptors.empty()) {
    std::string joined;
    for (const auto& d : descriptors) joined += (joined.empty() ? "" : " ") + d;
    hit.add("descriptors", joined);
  }
  return true;
}

}  // namespace trawl::scan
