// LevelDB tables (.ldb) built by hand (google/leveldb doc/table_format.md,
// google/snappy format_description.txt): a MetaMask vault only readable
// after Snappy decompression, in the second data block.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "scan/snappy.hpp"
#include "scan/wallet_files.hpp"
#include "test_support.hpp"

namespace trawl::scan {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::string varint(std::size_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7F) | 0x80);
  out += static_cast<char>(v);
  return out;
}

/// Snappy: runs of one repeated byte become copies at offset 1 (so the text is
/// not in the compressed bytes), everything else literals.
std::string snappy(std::string_view data) {
  std::string out = varint(data.size());
  std::size_t i = 0;
  std::string literal;
  auto flush = [&] {
    for (std::size_t at = 0; at < literal.size(); at += 60) {
      const std::size_t n = std::min<std::size_t>(60, literal.size() - at);
      out += static_cast<char>((n - 1) << 2);
      out += literal.substr(at, n);
    }
    literal.clear();
  };
  while (i < data.size()) {
    std::size_t run = 1;
    while (i + run < data.size() && data[i + run] == data[i] && run < 64) ++run;
    if (i > 0 && run >= 4 && data[i - 1] == data[i]) {  // the byte before is the same: copy it
      flush();
      out += static_cast<char>(((run - 1) << 2) | 2);  // copy-2: length run, offset 1
      out += '\x01';
      out += '\0';
      i += run;
      continue;
    }
    literal += data[i++];
  }
  flush();
  return out;
}

std::string block(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  for (const auto& [k, v] : entries) out += varint(0) + varint(k.size()) + varint(v.size()) + k + v;
  return out + std::string("\0\0\0\0\x01\0\0\0", 8);  // one restart at 0
}

std::string vault_value() {
  return "{\"vault\":\"{\\\"data\\\":\\\"" + std::string(3000, 'Q') +
         "\\\",\\\"iv\\\":\\\"aXZpdml2aXZpdml2aXZpdg==\\\",\\\"salt\\\":\\\"c2FsdHNhbHRzYWx0\\\"}\"}";
}

/// Block 0 uncompressed (a filler entry), block 1 Snappy (the vault), then
/// meta and index blocks and the 48-byte footer.
std::string table(std::size_t* vault_block = nullptr) {
  std::string out;
  const std::string plain = block({{"a", "filler value"}});
  out += plain + std::string("\0\0\0\0\0", 5);  // type 0, CRC (not checked)
  const std::size_t second = out.size();
  if (vault_block != nullptr) *vault_block = second;
  const std::string compressed = snappy(block({{"KeyringController", vault_value()}}));
  out += compressed + std::string("\x01\0\0\0\0", 5);
  const std::size_t meta_at = out.size();
  const std::string meta = block({});
  out += meta + std::string(5, '\0');
  const std::size_t index_at = out.size();
  const std::string index = block({{"a", varint(0) + varint(plain.size())}, {"b", varint(second) + varint(compressed.size())}});
  out += index + std::string(5, '\0');
  std::string footer = varint(meta_at) + varint(meta.size()) + varint(index_at) + varint(index.size());
  footer.resize(40, '\0');
  return out + footer + std::string("\x57\xfb\x80\x8b\x24\x75\x47\xdb", 8);
}

std::vector<WalletFileHit> find_in(std::string_view bytes, bool item_start) {
  WalletFileWindow w;
  w.data = bytes_of(bytes);
  w.page_end = bytes.size();
  w.item_start = item_start;
  return find_wallet_files(w);
}

TEST_CASE("WalletFiles: a MetaMask vault in the second, Snappy-compressed block of a hand-built .ldb") {
  std::size_t second = 0;
  const std::string ldb = table(&second);
  // The encoder really hid the vault: its ciphertext is copies, not bytes.
  REQUIRE(ldb.find(std::string(100, 'Q')) == std::string::npos);
  auto plain = snappy_decompress(bytes_of(snappy(vault_value())), 1 << 20);
  REQUIRE(plain.ok());
  CHECK(*plain == vault_value());

  const auto hits = find_in(ldb, true);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == "wallet.metamask-vault");
  CHECK(hits[0].detail("container") == "leveldb-table");
  CHECK(hits[0].detail("block_offset") == std::to_string(second));
  CHECK(hits[0].offset == second);
  CHECK(hits[0].crack_format == "hashcat 26600");
  CHECK(hits[0].crackable == "$metamask$c2FsdHNhbHRzYWx0$aXZpdml2aXZpdml2aXZpdg==$" + std::string(3000, 'Q'));
  // Table offsets count from the file start: carved, the compressed vault is not seen.
  CHECK(find_in(ldb, false).empty());
}

TEST_CASE("WalletFiles: damaged .ldb tables give no vault and no crash") {
  std::size_t second = 0;
  const std::string ldb = table(&second);
  // The compressed block's declared length larger than the block.
  std::string bad_length = ldb;
  bad_length[second] = '\x7f';
  CHECK(find_in(bad_length, true).empty());
  // A compressed block cut short (its bytes zeroed from the middle).
  std::string cut = ldb;
  for (std::size_t at = second + 40; at < second + 80; ++at) cut[at] = '\0';
  (void)find_in(cut, true);
  // The index pointing past the end of the file, or the footer cut.
  std::string bad_index = ldb;
  bad_index[ldb.size() - 48] = '\x7f';
  (void)find_in(bad_index, true);
  CHECK(find_in(ldb.substr(0, ldb.size() - 1), true).empty());
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::string noisy = ldb;
    const std::string noise = test::random_bytes(8, seed);
    noisy.replace(static_cast<std::size_t>(seed * 37) % (ldb.size() - 8), 8, noise);
    (void)find_in(noisy, true);
  }
}

}  // namespace
}  // namespace trawl::scan
