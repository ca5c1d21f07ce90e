#pragma once
// WalletScanner: finds validated cryptocurrency artifacts in raw bytes, the
// scanner behind wallet-scan(1). Pure: no I/O, no globals, never throws.
//
// Candidates are found cheaply with byte classes, then validated by the
// lib/scan validators:
//   - base58 runs of 25..35 characters delimited by non-base58 bytes whose
//     base58check payload is 21 bytes with a known version byte
//     (Bitcoin, Bitcoin testnet, Litecoin, Dogecoin P2PKH / P2SH);
//   - alphanumeric runs starting with bc1 / tb1 / ltc1 that decode as segwit;
//   - alphanumeric runs of exactly `0x` + 40 hex digits (EIP-55 checked);
//   - BIP39 phrases (checksum-valid) in the text of the window;
//   - keys (WIF, BIP32/SLIP-132 extended keys, BIP38), output descriptors
//     (BIP380 checksum), bitcoin: / ethereum: URIs, and more chains (CashAddr,
//     XRP, Tron, Zcash t-addresses, Monero, Cardano, Lightning, Litecoin MWEB,
//     Solana with a context keyword);
//   - the same artifacts in ASCII UTF-16LE/BE text and in JSON-escaped text
//     (`\"`, `\/`, `\uXXXX`: strings inside JSON, as LevelDB stores vaults),
//     also both at once (JSON-escaped text in UTF-16: decoded, then unescaped).
// The hot path samples every 14th byte for an alphanumeric character (no
// candidate is shorter), so random and text bytes are mostly skipped unread.
// Page + margin (style.md): a hit is reported only if it starts before
// `page_end`; the caller's margin must be at least wallet_scan_margin().
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "io/byte_stream.hpp"
#include "scan/wallet_seeds.hpp"

namespace trawl::scan {

struct WalletHit {
  std::string kind;        ///< btc.p2pkh, btc.p2wpkh, eth.address, bip39.phrase...
  std::string value;       ///< the text as found (phrases redacted unless revealed)
  std::string confidence;  ///< "checksum" (a checksum validated) or "structure" (EIP-55 without case checksum)
  std::size_t offset = 0;  ///< in the window (in the stream for scan_wallet_stream)
  std::size_t length = 0;  ///< bytes
  std::string language;    ///< bip39.phrase only
  std::size_t words = 0;   ///< bip39.phrase only
  bool secret = false;     ///< a private key or seed: `value` is redacted unless revealed
  /// Empty for plain bytes; "utf-16le" / "utf-16be" / "json-escaped", or JSON-escaped text
  /// stored as UTF-16: "utf-16le+json-escaped" / "utf-16be+json-escaped" (offset and length in those bytes).
  std::string encoding;
  std::string text;        ///< btc.uri / eth.uri: the whole URI (value holds the address)
};

struct WalletScanOptions {
  bool reveal_secrets = false;  ///< full seed phrases and keys instead of "first … last"
  /// Decode the text around every JSON escape, not only around those that
  /// json_escape_may_hit() lets through: the same hits, slower (tests compare both).
  bool decode_every_escape = false;
};

/// A page plus its margin.
struct WalletWindow {
  std::span<const std::byte> data;  ///< page followed by the margin
  std::size_t page_end = 0;         ///< hits must start before this offset
  /// The byte just before data[0] in the stream (nullopt at the stream start):
  /// a run that continues it started earlier and belongs to the previous page.
  std::optional<std::uint8_t> before;
  /// Phrases starting before this offset are not reported: they overlap a
  /// phrase the previous window already reported.
  std::size_t phrase_resume = 0;
  /// The same for JSON-escaped phrases (a phrase and a JSON-escaped one may
  /// share bytes; each kind resumes after its own).
  std::size_t json_phrase_resume = 0;
  /// Hits must start at or after this offset: the bytes before it are look-behind
  /// (the end of the previous page), context for runs, UTF-16 text and keywords.
  /// When it is above 0, data[page_begin - 1] is the byte before the page and
  /// `before` is the byte before the look-behind (nullopt: it starts the stream);
  /// only the phrase finder, reading the look-behind as context, uses it then.
  std::size_t page_begin = 0;
  /// data[0] is the first byte of the stream (its look-behind reaches back to
  /// the start): text at data[0] begins there, it is not cut off by the window.
  bool stream_start = false;
};

/// The longest hit any kind can produce (a 24-word phrase in the list with the
/// longest words, with room for separators and list numbers, or a bech32
/// address), hence the margin a caller needs.
std::size_t wallet_scan_margin();

/// Bytes of the previous page a WalletPageScanner reads as context (phrases
/// glued to the words before them): a chunker keeping this many bytes behind
/// each page (io::ChunkerOptions::look_behind) lets it scan the page in place.
std::size_t wallet_scan_look_behind();

/// Every validated hit starting in the page, ordered by offset.
std::vector<WalletHit> scan_wallets(const WalletWindow& window, const WalletScanOptions& options = {});

/// The state a stream scan carries from one page to the next (the bytes just
/// before the page, the end of the last phrase, an open UTF-16 region), for
/// callers that page through an item themselves and scan other things in the
/// same pages. Pages must come in order.
class WalletPageScanner {
 public:
  explicit WalletPageScanner(WalletScanOptions options);
  ~WalletPageScanner();
  WalletPageScanner(const WalletPageScanner&) = delete;
  WalletPageScanner& operator=(const WalletPageScanner&) = delete;
  /// `data` is a page of `page_size` bytes followed by its margin (at least
  /// wallet_scan_margin() unless the stream ends), starting at `page_offset`
  /// in the stream. Returns the hits starting in the page, offsets absolute.
  /// With `seeds`, sets it to the Electrum and Monero seeds starting in the page
  /// (find_wallet_seeds over `data`, offsets absolute), found in the BIP39
  /// finder's stretches: one pass over the page's text serves both.
  std::vector<WalletHit> scan(std::span<const std::byte> data, std::size_t page_size, std::uint64_t page_offset,
                              std::vector<SeedHit>* seeds = nullptr);
  /// The same, with `behind`: bytes right before `data` in memory (io::Chunk::behind()).
  /// When they end with the look-behind this scanner kept from the previous
  /// page, the page is scanned where it lies instead of copied after it.
  std::vector<WalletHit> scan(std::span<const std::byte> behind, std::span<const std::byte> data,
                              std::size_t page_size, std::uint64_t page_offset, std::vector<SeedHit>* seeds = nullptr);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Scans a whole stream in pages of `page_size` bytes with wallet_scan_margin()
/// of look-ahead, carrying the byte before each page and the end of the last
/// phrase from one page to the next, so that the hits do not depend on the page
/// size. Calls `visit` with each hit in order, its offset absolute in the stream,
/// until it returns false. Errors: invalid_argument (page_size 0), the stream's read error.
Status scan_wallet_stream(io::ByteStream& stream, std::size_t page_size, const WalletScanOptions& options,
                          const std::function<bool(const WalletHit&)>& visit);

}  // namespace trawl::scan
