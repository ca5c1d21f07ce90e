#pragma once
// Wallet files found in bytes: whole files or carved from raw bytes
// (unallocated space, memory). Pure: no I/O, no globals, never throws.
//
// Each format has a signature that marks where a wallet starts (research note
// wallet-scan.md §3): the Berkeley DB btree meta page of a Bitcoin Core
// wallet.dat, the SQLite header with a Bitcoin network magic as application_id,
// JSON objects with the members of Electrum, keystore v3, MetaMask and
// Blockchain.com wallets (also JSON-escaped, as MetaMask stores its vault in
// LevelDB, and in UTF-16 text), Electrum's BIE1 and BIE2 base64, Exodus SECO,
// Armory and bitcoinj headers. LevelDB log records split over 32 KiB blocks are
// put back together (scan/leveldb_log.hpp), Snappy table blocks decompressed.
// A hit is reported only if it starts in the page (page + margin, style.md);
// its length is the exact extent of the structure when it is known, else what
// the window holds of it (then `partial` is set).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace trawl::scan {

struct WalletFileHit {
  std::string kind;        ///< wallet.bitcoin-core, wallet.bitcoin-core-descriptor, wallet.electrum, ...
  std::size_t offset = 0;  ///< in the window
  std::size_t length = 0;  ///< bytes
  bool partial = false;    ///< the structure runs past the window or failed its checksum
  /// Findings in order: counts, addresses, encrypted yes/no, network...
  std::vector<std::pair<std::string, std::string>> details;
  /// Material a password cracker takes (hashcat/btcrecover line); a secret
  /// the caller redacts unless revealed. Empty when the wallet has none.
  std::string crackable;
  std::string crack_format;  ///< e.g. "hashcat 11300"

  void add(std::string key, std::string value) { details.emplace_back(std::move(key), std::move(value)); }
  /// The first detail named `key`, or empty.
  std::string detail(const std::string& key) const;
};

struct WalletFileWindow {
  std::span<const std::byte> data;  ///< page followed by the margin
  std::size_t page_end = 0;         ///< hits must start before this offset
  /// data[0] is the first byte of the item: formats whose inner offsets are
  /// relative to the file start (LevelDB tables) are parsed only then.
  bool item_start = false;
};

/// The look-ahead a caller should give: wallet files larger than this are
/// reported as partial when carved.
std::size_t wallet_file_margin();

/// Every wallet structure starting in the page, ordered by offset.
std::vector<WalletFileHit> find_wallet_files(const WalletFileWindow& window);

/// The look-ahead wallet_files_possible() reads past the page (a JSON member
/// name may lie this far after its object's start), less than wallet_file_margin().
std::size_t wallet_file_gate_margin();

/// False only when find_wallet_files() finds nothing starting in the page,
/// whatever the window holds past page_end + wallet_file_gate_margin(): no
/// signature or member name in reach (the same search, stopped at the first).
/// Most pages of text and random bytes hold none, so a caller gives the
/// page a window of wallet_file_margin() only when this says so. Always true
/// at the item start (LevelDB tables and logs are read from there).
bool wallet_files_possible(const WalletFileWindow& window);

/// The first i in [from, stop) where a needle's anchor pair (the two bytes
/// the needle search looks for first) may start: every i with
/// is_wallet_anchor_pair(bytes[i], bytes[i + 1]) (i + 1 < size) and maybe a few
/// more (the vector tests let a few other second bytes through); `stop` if none.
/// Exposed for tests, as is the exact test.
std::size_t next_wallet_anchor_pair(const std::uint8_t* bytes, std::size_t size, std::size_t from, std::size_t stop);
bool is_wallet_anchor_pair(std::uint8_t first, std::uint8_t second);

// Format parsers, each over bytes starting at the candidate (exposed for tests).
// They return false when the bytes are not that format.
bool parse_bdb_wallet(std::span<const std::byte> bytes, WalletFileHit& hit);
bool parse_sqlite_wallet(std::span<const std::byte> bytes, WalletFileHit& hit);
bool parse_seco(std::span<const std::byte> bytes, WalletFileHit& hit);
/// A JSON object (already unescaped) that is one of the JSON wallet kinds.
bool classify_json_wallet(std::string_view json, WalletFileHit& hit);
/// hashcat 11300 line from a Bitcoin Core `mkey` value; empty when malformed.
std::string bitcoin_core_mkey_line(std::span<const std::byte> value);
/// hashcat 28200 line of an Exodus SECO file (bytes from its "SECO"):
/// EXODUS:N:r:p:salt:iv:key:tag, the scrypt parameters and the encrypted blob
/// key in base64. Needs the metadata only (not the blob); empty when it is not there.
std::string exodus_seco_line(std::span<const std::byte> seco);
/// hashcat line of Electrum storage encryption, from the base64-decoded bytes
/// "BIE1" || ephemeral public key (33) || AES-128-CBC ciphertext || HMAC (32):
/// `$electrum$4*pubkey*data*mac` with data = all the bytes the MAC covers ("BIE1",
/// key, ciphertext; -m 21700, at most 16384 bytes) or `$electrum$5*pubkey*first
/// 1024 ciphertext bytes*mac` (-m 21800, longer). Sets `format`
/// ("hashcat 21700" / "hashcat 21800"); empty when malformed.
std::string electrum_bie1_line(std::span<const std::byte> decoded, std::string& format);

}  // namespace trawl::scan
