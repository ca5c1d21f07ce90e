#include "scan/leveldb_log.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "scan/wallet_files.hpp"
#include "test_support.hpp"

namespace trawl::scan {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

/// A LevelDB log file holding `records`, written as LevelDB's log writer
/// does (doc/log_format.md): a record that does not fit what is left of a
/// 32 KiB block is split into FIRST / MIDDLE / LAST fragments; a block tail
/// shorter than a header is zero-filled.
std::string log_file(const std::vector<std::string>& records) {
  std::string out;
  for (const std::string& record : records) {
    std::size_t done = 0;
    bool begin = true;
    do {
      std::size_t left = kLevelDbLogBlock - out.size() % kLevelDbLogBlock;
      if (left < kLevelDbLogHeader) {
        out.append(left, '\0');
        left = kLevelDbLogBlock;
      }
      const std::size_t n = std::min(record.size() - done, left - kLevelDbLogHeader);
      const bool end = done + n == record.size();
      const char type = begin && end ? 1 : begin ? 2 : end ? 4 : 3;
      const std::string payload = record.substr(done, n);
      const std::uint32_t crc =
          leveldb_mask_crc(crc32c(bytes_of(payload), crc32c(bytes_of(std::string_view(&type, 1)))));
      for (int k = 0; k < 4; ++k) out += static_cast<char>((crc >> (8 * k)) & 0xFF);
      out += static_cast<char>(n & 0xFF);
      out += static_cast<char>(n >> 8);
      out += type;
      out += payload;
      done += n;
      begin = false;
    } while (done < record.size());
  }
  return out;
}

std::string varint(std::size_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7F) | 0x80);
  out += static_cast<char>(v);
  return out;
}

/// A WriteBatch with one Put, as a log record's payload: sequence (8), count (4), then
/// tag 1, key and value with varint lengths.
std::string put_batch(std::string_view key, std::string_view value) {
  std::string out("\x01\0\0\0\0\0\0\0\x01\0\0\0\x01", 13);
  return out + varint(key.size()) + std::string(key) + varint(value.size()) + std::string(value);
}

/// A MetaMask vault whose ciphertext has `data_chars` base64 characters, as the
/// KeyringController state stores it: JSON-escaped inside a JSON string.
std::string escaped_vault(std::size_t data_chars) {
  return "{\\\"data\\\":\\\"" + std::string(data_chars, 'Q') +
         "\\\",\\\"iv\\\":\\\"aXZpdml2aXZpdml2aXZpdg==\\\",\\\"salt\\\":\\\"c2FsdHNhbHRzYWx0\\\"}";
}

std::string keyring_value(const std::string& vault, std::size_t tail = 0) {
  return "{\"KeyringController\":{\"vault\":\"" + vault + "\"},\"pad\":\"" + std::string(tail, 'p') + "\"}";
}

std::vector<WalletFileHit> find_in(std::string_view bytes, bool item_start, std::size_t page_end = SIZE_MAX) {
  WalletFileWindow w;
  w.data = bytes_of(bytes);
  w.page_end = std::min(page_end, bytes.size());
  w.item_start = item_start;
  return find_wallet_files(w);
}

/// The file scanned in pages of `page` bytes with the finder's margin, as
/// wallet-scan(1) does: "offset length kind details..." per hit.
std::vector<std::string> paged(const std::string& file, std::size_t page) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < file.size(); at += page) {
    const std::string_view window = std::string_view(file).substr(at, page + wallet_file_margin());
    for (const auto& hit : find_in(window, at == 0, page)) {
      std::string line = std::to_string(at + hit.offset) + " " + std::to_string(hit.length) + " " + hit.kind;
      for (const auto& [k, v] : hit.details) line += " " + k + "=" + v;
      out.push_back(line + (hit.partial ? " partial" : ""));
    }
  }
  return out;
}

TEST_CASE("LevelDbLog: CRC-32C check value and LevelDB's mask") {
  CHECK(crc32c(bytes_of("123456789")) == 0xE3069283u);
  CHECK(crc32c(bytes_of("")) == 0u);
  CHECK(crc32c(bytes_of(std::string(32, '\0'))) == 0x8A9136AAu);    // RFC 3720 B.4
  CHECK(crc32c(bytes_of(std::string(32, '\xff'))) == 0x62A8AB43u);
  CHECK(crc32c(bytes_of("6789"), crc32c(bytes_of("12345"))) == 0xE3069283u);  // continued
  CHECK(leveldb_mask_crc(0) == 0xa282ead8u);
}

TEST_CASE("LevelDbLog: records split over blocks are put back together") {
  const std::string big = put_batch("data", std::string(70000, 'v'));
  const std::string file = log_file({put_batch("a", "small"), big, put_batch("b", "after")});
  const auto records = leveldb_log_records(bytes_of(file), 1 << 20);
  REQUIRE(records.size() == 1);  // the FULL records are left out
  const LevelDbLogRecord& rec = records[0];
  CHECK(rec.payload == big);
  CHECK(rec.fragments == 3);
  CHECK(rec.complete);
  CHECK(rec.crc_ok);
  CHECK(rec.pieces.size() == 3);
  // Payload offsets map to the file: after each header.
  CHECK(rec.input_offset(0) == rec.offset + kLevelDbLogHeader);
  CHECK(rec.input_offset(rec.pieces[1].payload) == kLevelDbLogBlock + kLevelDbLogHeader);
  CHECK(rec.input_end(rec.payload.size()) == rec.end);
  CHECK(rec.pieces_spanned(0, rec.payload.size()) == 3);
  // Cut at max_payload: incomplete.
  const auto cut = leveldb_log_records(bytes_of(file), 1000);
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].payload.size() == 1000);
  CHECK_FALSE(cut[0].complete);
  // Not a log: no records.
  CHECK(leveldb_log_records(bytes_of(std::string(100, 'x')), 1 << 20).empty());
  CHECK(leveldb_log_records(bytes_of(""), 1 << 20).empty());
  CHECK(leveldb_log_records(bytes_of(file.substr(0, 6)), 1 << 20).empty());
}

TEST_CASE("LevelDbLog: damaged chains: bad CRC, wrong length, truncation, orphan fragments") {
  const std::string big = put_batch("data", std::string(40000, 'v'));
  const std::string file = log_file({put_batch("a", std::string(100, 's')), big});
  const std::size_t second = kLevelDbLogBlock;  // the LAST fragment's header
  std::string bad_crc = file;
  bad_crc[second + 100] ^= 1;
  auto records = leveldb_log_records(bytes_of(bad_crc), 1 << 20);
  REQUIRE(records.size() == 1);
  CHECK(records[0].complete);
  CHECK_FALSE(records[0].crc_ok);
  std::string wrong_length = file;
  wrong_length[second + 5] = '\x80';  // 0x80xx: more than a block holds
  records = leveldb_log_records(bytes_of(wrong_length), 1 << 20);
  REQUIRE(records.size() == 1);
  CHECK_FALSE(records[0].complete);
  CHECK(records[0].fragments == 1);
  records = leveldb_log_records(bytes_of(file.substr(0, second + 50)), 1 << 20);
  REQUIRE(records.size() == 1);
  CHECK_FALSE(records[0].complete);
  CHECK(records[0].crc_ok);  // a cut fragment has no CRC to check
  CHECK(records[0].end == second + 50);
  // A file of the LAST fragment alone (its FIRST lost): no record.
  std::string orphan = file.substr(second);
  CHECK(leveldb_log_records(bytes_of(orphan), 1 << 20).empty());
  // Carving finds no header in bytes without one, and does not crash on garbage.
  LevelDbLogRecord spliced;
  CHECK_FALSE(splice_leveldb_fragments(bytes_of(std::string(50000, '\x03')), 0, 1 << 20, spliced));  // MIDDLE: wrong length
  CHECK_FALSE(splice_leveldb_fragments(bytes_of(std::string(50000, '\x04')), 0, 1 << 20, spliced));  // LAST: bad CRCs
  CHECK_FALSE(splice_leveldb_fragments(bytes_of("abc"), 5, 1 << 20, spliced));
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::string noise = test::random_bytes(3000, seed) + file.substr(0, static_cast<std::size_t>(seed * 4000));
    (void)leveldb_log_records(bytes_of(noise), 1 << 20);
    (void)splice_leveldb_fragments(bytes_of(noise), 0, 1 << 20, spliced);
    (void)find_in(noise, true);
    (void)find_in(noise, false);
  }
}

void check_vault_hit(const WalletFileHit& hit, const std::string& file, const std::string& vault, std::size_t base,
                     const std::string& fragments) {
  CHECK(hit.kind == "wallet.metamask-vault");
  CHECK(hit.detail("container") == "leveldb-log");
  CHECK(hit.detail("fragments") == fragments);
  CHECK(hit.detail("chain") == "complete");
  CHECK(hit.detail("crc") == "ok");
  CHECK(hit.detail("encoding") == "json-escaped");
  CHECK_FALSE(hit.partial);
  CHECK(hit.crack_format == "hashcat 26600");
  CHECK(hit.crackable.rfind("$metamask$c2FsdHNhbHRzYWx0$aXZpdml2aXZpdml2aXZpdg==$QQQQ", 0) == 0);
  CHECK(hit.crackable.size() == 52 + vault.size() - escaped_vault(0).size());
  // Offset and length: from the vault's '{' to its '}' in the file, headers included.
  CHECK(hit.offset == base + file.find("{\\\"data"));
  CHECK(file.substr(hit.offset + hit.length - 1, 1) == "}");
  CHECK(hit.offset + hit.length == base + file.find("\"},\"pad\"") - 0);
}

TEST_CASE("WalletFiles: a MetaMask vault split over two and three LevelDB log blocks is found") {
  for (std::size_t data_chars : {10000, 50000}) {
    CAPTURE(data_chars);
    const std::string vault = escaped_vault(data_chars);
    // A first record fills most of block 0, so the vault record starts near its end.
    const std::string file =
        log_file({put_batch("filler", std::string(30000, 'f')), put_batch("data", keyring_value(vault))});
    const std::string fragments = data_chars == 10000 ? "2" : "3";
    // Whole file: read as a log from its start.
    const auto hits = find_in(file, true);
    REQUIRE(hits.size() == 1);
    check_vault_hit(hits[0], file, vault, 0, fragments);
    // Carved from raw bytes (block boundaries unknown): the header chain is followed.
    const std::string raw = test::random_bytes(1000, 3) + file + std::string(100, '\0');
    const auto carved = find_in(raw, false);
    REQUIRE(carved.size() == 1);
    check_vault_hit(carved[0], raw, vault, 0, fragments);
    // The same records at any page size.
    const auto whole = paged(file, file.size());
    REQUIRE(whole.size() == 1);
    for (std::size_t page : {17, 4096, 4097}) {
      CAPTURE(page);
      CHECK(paged(file, page) == whole);
    }
  }
}

TEST_CASE("WalletFiles: a split vault in a damaged LevelDB log: partial, or not found, never a crash") {
  const std::string vault = escaped_vault(20000);
  const std::string value = keyring_value(vault, 40000);  // the record goes on after the vault
  const std::string file = log_file({put_batch("filler", std::string(30000, 'f')), put_batch("data", value)});
  const std::size_t vault_end = file.find("\"},\"pad\"");
  REQUIRE(vault_end > kLevelDbLogBlock);
  REQUIRE(vault_end < 2 * kLevelDbLogBlock);
  // A bad CRC in the fragment after the vault's: found from the file start, partial.
  std::string bad_crc = file;
  bad_crc[2 * kLevelDbLogBlock + 500] ^= 1;
  auto hits = find_in(bad_crc, true);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].detail("crc") == "mismatch");
  CHECK(hits[0].partial);
  // The chain cut after the vault (the LAST fragment lost): found, partial, both ways.
  const std::string cut = file.substr(0, 2 * kLevelDbLogBlock + 100);
  for (bool item_start : {true, false}) {
    CAPTURE(item_start);
    hits = find_in(cut, item_start);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].detail("chain") == "truncated");
    CHECK(hits[0].detail("fragments") == "2");
    CHECK(hits[0].partial);
  }
  // Cut inside the vault, or a wrong length in the header inside it: the vault cannot be read.
  CHECK(find_in(file.substr(0, kLevelDbLogBlock + 100), true).empty());
  CHECK(find_in(file.substr(0, kLevelDbLogBlock + 100), false).empty());
  std::string wrong_length = file;
  wrong_length[kLevelDbLogBlock + 5] = '\x80';
  CHECK(find_in(wrong_length, true).empty());
  CHECK(find_in(wrong_length, false).empty());
}

}  // namespace
}  // namespace trawl::scan
