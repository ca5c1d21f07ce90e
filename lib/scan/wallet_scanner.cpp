#include "scan/wallet_scanner.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "io/chunker.hpp"
#include "scan/base58.hpp"
#include "scan/bech32.hpp"
#include "scan/bip39.hpp"
#include "scan/byte_pair.hpp"
#include "scan/byte_span.hpp"
#include "scan/cashaddr.hpp"
#include "scan/descriptor_checksum.hpp"
#include "scan/eip55.hpp"
#include "scan/json_escape_gate.hpp"
#include "scan/json_escaped.hpp"
#include "scan/monero_address.hpp"
#include "scan/phrase_samples.hpp"
#include "scan/wallet_keys.hpp"
#include "scan/utf16_wide.hpp"
#include "scan/wallet_seeds.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kBase58MinRun = 25;   // P2PKH with leading zero bytes
constexpr std::size_t kBase58MaxRun = 112;  // BIP32 extended keys (111, 112 with a large version)
constexpr std::size_t kBech32MinRun = 14;   // hrp "bc" + "1" + version + 4 program chars + 6 checksum
/// No candidate is shorter than this many alphanumeric characters: the sampling stride.
constexpr std::size_t kMinRun = kBech32MinRun;
constexpr std::size_t kEthRun = 42;          // "0x" + 40 hex digits
constexpr std::size_t kCashAddrRun = 42;     // q/p + 160-bit hash + checksum
constexpr std::size_t kLongBech32Max = 1023; // Cardano, Lightning, MWEB: no BIP173 limit, but bounded here
constexpr std::size_t kDescriptorMax = 1000;
constexpr std::size_t kUriQueryMax = 256;
constexpr std::size_t kPrefixReach = 16;     // "ethereum:pay-", "bitcoincash:" before an address
constexpr std::size_t kContextReach = 64;    // Solana keywords must be this close
constexpr std::size_t kPhraseWords = 24;
/// Per word, room for separators, quotes and list numbers: `"24. ", ` and the like.
constexpr std::size_t kWordSeparatorAllowance = 16;
/// Bytes of the previous page a stream window shows: 24 words of context
/// before a phrase (the longest list word is 33 bytes), as the margin after it.
constexpr std::size_t kLookBehind = kPhraseWords * (40 + kWordSeparatorAllowance);
/// UTF-16 text shorter than this many characters holds no candidate.
constexpr std::size_t kUtf16MinChars = kMinRun;

enum : std::uint8_t { kAlnum = 1, kBase58 = 2, kHex = 4, kPrintable = 8 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kAlnum | kHex;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kAlnum;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kAlnum;
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] |= kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] |= kHex;
  constexpr std::string_view alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  for (char c : alphabet) t[static_cast<unsigned char>(c)] |= kBase58;
  for (int c = 0x20; c <= 0x7e; ++c) t[static_cast<std::size_t>(c)] |= kPrintable;
  for (int c : {'\t', '\n', '\r'}) t[static_cast<std::size_t>(c)] |= kPrintable;
  return t;
}
constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

bool has(std::uint8_t byte, std::uint8_t cls) { return (kClasses[byte] & cls) != 0; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(text[i]) != prefix[i]) return false;
  }
  return true;
}

/// True when `text` ends with `suffix` (lower-case ASCII), ignoring case.
bool ends_with_ci(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && starts_with_ci(text.substr(text.size() - suffix.size()), suffix);
}

/// "first … last": enough to recognise a secret, not to use it.
std::string redacted_key(std::string_view text) {
  if (text.size() <= 8) return std::string(text);
  return std::string(text.substr(0, 4)) + "\xE2\x80\xA6" + std::string(text.substr(text.size() - 4));
}

/// Kind of a base58check version byte (21-byte payloads only).
const char* base58_kind(std::uint8_t version) {
  switch (version) {
    case 0x00: return "btc.p2pkh";
    case 0x05: return "btc.p2sh";
    case 0x6f: return "btc-testnet.p2pkh";
    case 0xc4: return "btc-testnet.p2sh";
    case 0x30: return "ltc.p2pkh";
    case 0x32: return "ltc.p2sh";
    case 0x1e: return "doge.p2pkh";
    case 0x16: return "doge.p2sh";
    case 0x41: return "trx.address";
    default: return nullptr;
  }
}

/// Kind of a Zcash transparent address (22-byte payload, 2-byte version).
const char* zcash_kind(std::uint8_t v0, std::uint8_t v1) {
  const unsigned version = static_cast<unsigned>(v0) << 8 | v1;
  switch (version) {
    case 0x1CB8: return "zec.p2pkh";
    case 0x1CBD: return "zec.p2sh";
    case 0x1D25: return "zec-testnet.p2pkh";
    case 0x1CBA: return "zec-testnet.p2sh";
    default: return nullptr;
  }
}

std::string segwit_kind(const char* chain, const SegwitAddress& a) {
  std::string kind = chain;
  if (a.witness_version == 0 && a.program.size() == 20) return kind + ".p2wpkh";
  if (a.witness_version == 0 && a.program.size() == 32) return kind + ".p2wsh";
  if (a.witness_version == 1 && a.program.size() == 32) return kind + ".p2tr";
  return kind + ".witness-v" + std::to_string(a.witness_version);
}

/// Bytes of a URI after the address: up to white space, quotes, angle brackets or a control byte.
bool is_uri_byte(std::uint8_t c) {
  return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`';
}

/// Bytes of a descriptor: as a URI's, but `'` marks hardened derivation steps.
bool is_descriptor_byte(std::uint8_t c) { return c == '\'' || is_uri_byte(c); }

/// Bytes the BIP39 tokenizer treats as a word boundary when found just before
/// a phrase (0x80 ends U+3000, the ideographic space).
bool is_boundary_byte(std::uint8_t c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
    case ',': case ';': case '"': case '\'': case '[': case ']': case '(': case ')': case '{': case '}':
    case 0x80:
      return true;
    default:
      return false;
  }
}

/// "first … last (N words)" of a phrase whose words are set apart by ASCII
/// white space, punctuation of lists or U+3000: enough to recognise a phrase,
/// not to use it.
std::string redacted_words(std::string_view phrase, std::size_t words) {
  auto separator_at = [&](std::size_t i) -> std::size_t {
    if (phrase.substr(i, 3) == "\xE3\x80\x80") return 3;
    const auto c = static_cast<std::uint8_t>(phrase[i]);
    return c != 0x80 && is_boundary_byte(c) ? 1 : 0;
  };
  std::size_t first_end = 0;
  while (first_end < phrase.size() && separator_at(first_end) == 0) ++first_end;
  std::size_t last_begin = first_end;
  for (std::size_t i = first_end; i < phrase.size();) {
    const std::size_t n = separator_at(i);
    i += n != 0 ? n : 1;
    if (n != 0) last_begin = i;
  }
  return std::string(phrase.substr(0, first_end)) + " \xE2\x80\xA6 " + std::string(phrase.substr(last_begin)) + " (" +
         std::to_string(words) + " words)";
}

/// The record of a checksum-valid phrase `phrase` at `offset` (`length` bytes where it lies, which UTF-16 doubles).
WalletHit phrase_hit(std::string_view phrase, const Bip39Phrase& found, std::size_t offset, std::size_t length,
                     const WalletScanOptions& options) {
  WalletHit hit;
  hit.kind = "bip39.phrase";
  hit.value = options.reveal_secrets ? std::string(phrase) : redacted_words(phrase, found.word_count);
  hit.confidence = "checksum";
  hit.offset = offset;
  hit.length = length;
  hit.language = bip39_language_name(found.language);
  hit.words = found.word_count;
  hit.secret = true;
  return hit;
}

/// One window being scanned: the bytes, the page bounds and the hits so far.
class WindowScan {
 public:
  WindowScan(std::string_view text, std::size_t page_begin, std::size_t page_end, std::optional<std::uint8_t> before,
             const WalletScanOptions& options, std::vector<WalletHit>& out)
      : text_(text), page_begin_(page_begin), page_end_(std::min(page_end, text.size())), before_(before),
        options_(options), out_(out) {}

  /// Every maximal alphanumeric run of kMinRun or more bytes starting before
  /// page_end_ + kPrefixReach (runs just past the page still matter: their URI
  /// scheme or CashAddr prefix may start in it), and the phrase stretches of
  /// the window starting before page_end_ (for phrases()): one pass over the
  /// bytes finds both, 64 positions at a time (text is mostly short runs).
  void alnum_runs() {
    static const ByteSpanSet alnum = [] {
      std::array<bool, 256> members{};
      for (std::size_t c = 0; c < 256; ++c) members[c] = (kClasses[c] & kAlnum) != 0;
      return ByteSpanSet(members);
    }();
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text_.data());
    const std::size_t size = text_.size();
    const std::size_t stop = std::min(size, page_end_ + kPrefixReach);
    std::vector<ByteSpanSet::Span> runs;
    ByteSpanSet::long_spans_of_two(bytes, size, alnum, kMinRun, stop, runs, phrase_byte_set(),
                                   kMinPhraseSampleStride, page_end_, phrase_spans_);
    for (const ByteSpanSet::Span& run : runs) alnum_run(run.begin, run.end);
  }

  void descriptors() {
    const char* data = text_.data();
    // A descriptor starts at most kDescriptorMax bytes before its '#', and in the page.
    const std::size_t stop = std::min(text_.size(), page_end_ + kDescriptorMax + 1);
    // Only a '#' right after ')' can end one: the pair is rarer than '#' alone.
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
    for (std::size_t at = std::max<std::size_t>(page_begin_, 1); at < stop; ++at) {
      at = next_byte_pair(bytes, at, stop, ')', '#');
      if (at == stop) break;
      descriptor_at(at);
    }
  }

  /// BIP39 phrases, and with `seeds` the Electrum and Monero seeds starting in
  /// the page (offsets from the page start): one stretch pass serves both
  /// (alnum_runs() found the stretches: it runs first).
  void phrases(std::size_t phrase_resume, std::vector<SeedHit>* seeds) {
    // A phrase is decided by the words around it too (a list word just before
    // it glues it to prose, a copy of a word list is no phrase: up to 24 words
    // back), so the look-behind is read as context from its first word
    // boundary (it may begin inside a word), and windows are tried only from
    // the page start or after the last phrase the previous page reported:
    // the earlier ones were decided there. Reading from the page start
    // instead cut the run there and found phrases the whole text has not.
    std::size_t context = page_begin_;
    if (page_begin_ > 0 && !before_) context = 0;  // the look-behind starts the stream
    for (std::size_t i = 0; i < page_begin_ && context == page_begin_; ++i) {
      const auto c = static_cast<std::uint8_t>(text_[i]);
      if (c != 0x80 && is_boundary_byte(c)) {
        context = i;
        break;
      }
    }
    const std::string_view text = text_.substr(context);
    std::optional<std::uint8_t> before = before_;
    if (context > 0) before = static_cast<std::uint8_t>(text_[context - 1]);
    const std::size_t try_from = std::max(page_begin_, phrase_resume) - context;
    const std::size_t report_end = page_end_ - std::min(page_end_, context);
    // The window's stretches (alnum_runs() found them) cut at the context start:
    // those of `text`, as phrase_stretches(text, report_end) finds them.
    std::vector<PhraseStretch> stretches;
    stretches.reserve(phrase_spans_.size());  // text has thousands a page: no regrowth
    for (const ByteSpanSet::Span& span : phrase_spans_) {
      if (span.end <= context) continue;
      const std::size_t begin = std::max(span.begin, context);
      if (span.end - begin >= kMinPhraseSampleStride) stretches.push_back({begin - context, span.end - context});
    }
    // One look-up per sample tells both finders where to read.
    const std::size_t seeds_from = seeds != nullptr ? page_begin_ - context : text.size();
    PhraseSamples samples;
    phrase_samples(text, stretches, seeds_from, samples);
    if (seeds != nullptr) {
      // The seed finders read the page and its margin, not the look-behind:
      // the stretches and samples in page offsets, cut at the page start.
      std::vector<PhraseStretch> in_page;
      in_page.reserve(stretches.size());
      for (const PhraseStretch& s : stretches)
        if (s.end > seeds_from)
          in_page.push_back(PhraseStretch{std::max(s.begin, seeds_from) - seeds_from, s.end - seeds_from});
      for (std::size_t& q : samples.seeds) q -= seeds_from;
      for (std::size_t& q : samples.monero) q -= seeds_from;
      const std::string_view page = text_.substr(page_begin_);
      *seeds = find_wallet_seeds({reinterpret_cast<const std::byte*>(page.data()), page.size()},
                                 page_end_ - page_begin_, in_page, samples.seeds, samples.monero);
    }
    for (const auto& m : find_bip39_phrases(text, report_end, try_from, stretches, samples.bip39)) {
      const std::size_t offset = m.offset + context;
      if (offset >= page_end_ || offset < page_begin_ || offset < phrase_resume) continue;
      // A phrase at the window start glued to bytes before it is not one the
      // tokenizer would have seen from the real start of the text.
      if (m.offset == 0 && before && !is_boundary_byte(*before)) continue;
      out_.push_back(phrase_hit(text.substr(m.offset, m.length), m.phrase, offset, m.length, options_));
    }
  }

 private:
  bool in_page(std::size_t offset) const { return offset >= page_begin_ && offset < page_end_; }

  /// A run of class `cls` starting at `start` is whole (not the tail of a longer one cut by the window start).
  bool starts_fresh(std::size_t start, std::uint8_t cls) const {
    if (start > 0) return true;
    return page_begin_ == 0 && !(before_ && has(*before_, cls));
  }

  void add(const char* kind, std::size_t start, std::size_t length, const char* confidence, bool secret = false) {
    if (!in_page(start)) return;
    const std::string_view text = text_.substr(start, length);
    WalletHit hit;
    hit.kind = kind;
    hit.value = secret && !options_.reveal_secrets ? redacted_key(text) : std::string(text);
    hit.confidence = confidence;
    hit.offset = start;
    hit.length = length;
    hit.secret = secret;
    out_.push_back(std::move(hit));
  }

  /// A `scheme:` URI ending at `start` (the address) reported as `kind` with the URI text.
  void add_uri(std::string_view scheme, const char* kind, std::size_t start, std::size_t length) {
    if (start < scheme.size() || !ends_with_ci(text_.substr(0, start), scheme)) return;
    const std::size_t uri_start = start - scheme.size();
    if (!in_page(uri_start)) return;
    std::size_t end = start + length;
    const std::size_t limit = std::min(text_.size(), end + kUriQueryMax);
    while (end < limit && is_uri_byte(static_cast<std::uint8_t>(text_[end]))) ++end;
    WalletHit hit;
    hit.kind = kind;
    hit.value = std::string(text_.substr(start, length));
    hit.confidence = "checksum";
    hit.offset = uri_start;
    hit.length = end - uri_start;
    hit.text = std::string(text_.substr(uri_start, end - uri_start));
    out_.push_back(std::move(hit));
  }

  void alnum_run(std::size_t start, std::size_t end) {
    const std::size_t length = end - start;
    if (length >= kBase58MinRun) base58_runs(start, end);
    if (!starts_fresh(start, kAlnum)) return;
    const std::string_view text = text_.substr(start, length);
    if (length == kEthRun && text[0] == '0' && text[1] == 'x') {
      const Eip55Status status = eip55_check(text);
      const char* confidence = status == Eip55Status::checksum_valid ? "checksum"
                               : status == Eip55Status::all_lower || status == Eip55Status::all_upper
                                   ? "structure"
                                   : nullptr;
      if (confidence == nullptr) return;
      add("eth.address", start, length, confidence);
      add_uri("ethereum:", "eth.uri", start, length);
      add_uri("ethereum:pay-", "eth.uri", start, length);
      return;
    }
    if (length == kCashAddrRun) cash_address(start, length);
    if (length <= kBech32MaxLength) {
      static constexpr std::array<std::pair<std::string_view, const char*>, 3> kPrefixes = {
          {{"bc1", "btc"}, {"tb1", "btc-testnet"}, {"ltc1", "ltc"}}};
      for (const auto& [prefix, chain] : kPrefixes) {
        if (!starts_with_ci(text, prefix)) continue;
        const std::string_view hrp = prefix.substr(0, prefix.size() - 1);
        auto address = segwit_decode(text, hrp);  // rejects mixed case
        if (!address) return;
        if (in_page(start)) {
          WalletHit hit{segwit_kind(chain, *address), std::string(text), "checksum", start, length, {}, 0, false, {}, {}};
          out_.push_back(std::move(hit));
        }
        add_uri("bitcoin:", "btc.uri", start, length);
        return;
      }
    }
    if (length <= kLongBech32Max) long_bech32(start, text);
  }

  /// CashAddr q…/p… with or without its `bitcoincash:` / `bchtest:` prefix.
  void cash_address(std::size_t start, std::size_t length) {
    const char first = lower(text_[start]);
    if (first != 'q' && first != 'p') return;
    for (std::string_view prefix : {std::string_view("bitcoincash:"), std::string_view("bchtest:")}) {
      if (start < prefix.size() || !ends_with_ci(text_.substr(0, start), prefix)) continue;
      const std::size_t from = start - prefix.size();
      if (from > 0 && has(static_cast<std::uint8_t>(text_[from - 1]), kAlnum)) continue;
      if (!in_page(from)) return;
      auto address = cashaddr_decode(text_.substr(from, prefix.size() + length));
      if (!address || address->hash.size() != 20 || address->type > 1) return;
      const bool test = address->prefix == "bchtest";
      add(address->type == 0 ? (test ? "bch-testnet.p2pkh" : "bch.p2pkh") : (test ? "bch-testnet.p2sh" : "bch.p2sh"),
          from, prefix.size() + length, "checksum");
      return;
    }
    if (!in_page(start) || (start > 0 && text_[start - 1] == ':')) return;
    auto address = cashaddr_decode(text_.substr(start, length));
    if (!address || address->hash.size() != 20 || address->type > 1) return;
    add(address->type == 0 ? "bch.p2pkh" : "bch.p2sh", start, length, "checksum");
  }

  /// Bech32 strings beyond the BIP173 90-character limit: Cardano, Lightning, MWEB.
  void long_bech32(std::size_t start, std::string_view text) {
    const char* kind = nullptr;
    if (starts_with_ci(text, "addr1")) kind = "ada.address";
    else if (starts_with_ci(text, "stake1")) kind = "ada.stake";
    else if (starts_with_ci(text, "lnbc") || starts_with_ci(text, "lntb")) kind = "btc.lightning";
    else if (starts_with_ci(text, "ltcmweb1")) kind = "ltc.mweb";
    if (kind == nullptr) return;
    auto decoded = bech32_decode(text, kBech32NoLengthLimit);
    if (!decoded || decoded->encoding != Bech32Encoding::bech32) return;
    if (kind[0] == 'a') {
      auto bytes = convert_bits(decoded->data, 5, 8, false);
      if (!bytes || bytes->empty()) return;
      const unsigned type = (*bytes)[0] >> 4;
      const unsigned network = (*bytes)[0] & 0x0f;
      if (network != 1) return;
      const std::size_t size = bytes->size();
      const bool stake = decoded->hrp == "stake";
      if (stake && !((type == 14 || type == 15) && size == 29)) return;
      if (!stake && decoded->hrp != "addr") return;
      if (!stake && !((type <= 3 && size == 57) || ((type == 4 || type == 5) && size > 29) ||
                      ((type == 6 || type == 7) && size == 29)))
        return;
    } else if (kind[0] == 'b') {
      if (decoded->hrp.size() < 4 || decoded->hrp.compare(0, 2, "ln") != 0) return;
      // timestamp (7 groups) and a 520-bit signature (104 groups) at least
      if (decoded->data.size() < 7 + 104) return;
    } else if (decoded->hrp != "ltcmweb") {
      return;
    }
    add(kind, start, text.size(), "checksum");
  }

  /// Base58 runs inside an alphanumeric run (split at 0, O, I, l).
  void base58_runs(std::size_t start, std::size_t end) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text_.data());
    std::size_t i = start;
    while (i < end) {
      if (!has(bytes[i], kBase58)) {
        ++i;
        continue;
      }
      const std::size_t run = i;
      while (i < end && has(bytes[i], kBase58)) ++i;
      if (i - run >= kBase58MinRun && run >= page_begin_ && run < page_end_ + kPrefixReach && starts_fresh(run, kBase58))
        base58_run(run, i - run);
    }
  }

  void base58_run(std::size_t start, std::size_t length) {
    const std::string_view text = text_.substr(start, length);
    if (length == 95 || length == 106) {
      if (const char* kind = classify_monero_address(text)) add(kind, start, length, "checksum");
      return;
    }
    if (length > kBase58MaxRun) return;
    const bool checked_length = length <= 35 || length == 51 || length == 52 || length == 58 || length >= 111;
    bool found = false;
    if (checked_length) {
      // Every payload below has 21 bytes or more (and 4 of checksum): a run of
      // 25 to 32 characters without leading zeros (most in text) decodes to
      // fewer, so it is not decoded.
      constexpr std::size_t kShortestDecoded = 21 + 4;
      if (base58_decoded_size_bound(text) >= kShortestDecoded)
        if (auto payload = base58check_decode(text)) found = base58_payload(start, length, *payload);
      if (!found && text[0] == 'r' && length <= 35 &&
          base58_decoded_size_bound(text, Base58Alphabet::xrp) >= kShortestDecoded) {
        auto xrp = base58check_decode(text, Base58Alphabet::xrp);
        if (xrp && xrp->size() == 21 && (*xrp)[0] == 0x00) {
          add("xrp.address", start, length, "checksum");
          found = true;
        }
      }
    }
    if (!found && length >= 32 && length <= 44) solana(start, length);
  }

  bool base58_payload(std::size_t start, std::size_t length, const std::vector<std::uint8_t>& payload) {
    if (payload.size() == 21) {
      const char* kind = base58_kind(payload[0]);
      if (kind == nullptr) return false;
      add(kind, start, length, "checksum");
      if (kind[0] == 'b') add_uri("bitcoin:", "btc.uri", start, length);
      return true;
    }
    if (payload.size() == 22) {
      const char* kind = zcash_kind(payload[0], payload[1]);
      if (kind != nullptr) add(kind, start, length, "checksum");
      return kind != nullptr;
    }
    KeyKind key = classify_wif(payload);
    if (key.kind == nullptr) key = classify_bip38(payload);
    if (key.kind == nullptr) key = classify_extended_key(payload);
    if (key.kind == nullptr) return false;
    add(key.kind, start, length, "checksum", key.secret);
    return true;
  }

  /// A base58 string of 32 bytes carries no checksum: reported only near a Solana keyword.
  void solana(std::size_t start, std::size_t length) {
    const std::size_t from = start >= kContextReach ? start - kContextReach : 0;
    const std::size_t to = std::min(text_.size(), start + length + kContextReach);
    auto is_letter = [](char c) { return lower(c) >= 'a' && lower(c) <= 'z'; };
    bool context = false;
    // Whole words only: "sol" inside "resolve" or "console" is no context. A
    // keyword lies before or after the run, starts with s, p or w after a byte
    // that is no letter: only those positions are compared (text has a
    // candidate run every few KiB, each with 128 positions around it).
    for (std::size_t i = from; i < to && !context; i = i + 1 == start ? start + length : i + 1) {
      const char first = lower(text_[i]);
      if ((first != 's' && first != 'p' && first != 'w') || (i > 0 && is_letter(text_[i - 1]))) continue;
      for (std::string_view keyword : {"solana", "sol", "phantom", "wallet"}) {
        const std::size_t end = i + keyword.size();
        if (end <= to && (end <= start || i >= start + length) && starts_with_ci(text_.substr(i), keyword) &&
            (end >= text_.size() || !is_letter(text_[end]))) {
          context = true;
          break;
        }
      }
    }
    if (!context) return;
    auto bytes = base58_decode(text_.substr(start, length));
    if (bytes && bytes->size() == 32) add("sol.address", start, length, "context");
  }

  /// A `#` followed by 8 checksum characters and preceded by `)`: find the descriptor start.
  void descriptor_at(std::size_t hash) {
    if (hash == 0 || text_[hash - 1] != ')' || hash + 9 > text_.size()) return;
    const std::size_t end = hash + 9;
    if (end < text_.size() && has(static_cast<std::uint8_t>(text_[end]), kAlnum)) return;
    std::size_t from = hash;
    const std::size_t floor = hash > kDescriptorMax ? hash - kDescriptorMax : 0;
    while (from > floor && is_descriptor_byte(static_cast<std::uint8_t>(text_[from - 1]))) --from;
    static constexpr std::array<std::string_view, 12> kFunctions = {
        "sh(", "wsh(", "pkh(", "wpkh(", "tr(", "combo(", "addr(", "raw(", "rawtr(", "pk(", "multi(", "sortedmulti("};
    for (std::size_t at = from; at < hash; ++at) {
      if (at > 0 && has(static_cast<std::uint8_t>(text_[at - 1]), kAlnum)) continue;
      bool function = false;
      for (std::string_view f : kFunctions) function = function || text_.substr(at, f.size()) == f;
      if (!function) continue;
      const std::string_view text = text_.substr(at, end - at);
      if (!descriptor_checksum_valid(text)) continue;
      if (in_page(at)) {
        const bool secret = text.find("prv") != std::string_view::npos;
        add("btc.descriptor", at, end - at, "checksum", secret);
      }
      return;
    }
  }

  std::string_view text_;
  std::vector<ByteSpanSet::Span> phrase_spans_;  ///< the window's phrase stretches, from alnum_runs()
  std::size_t page_begin_;
  std::size_t page_end_;
  std::optional<std::uint8_t> before_;
  const WalletScanOptions& options_;
  std::vector<WalletHit>& out_;
};

std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

void scan_plain(std::string_view text, const WalletWindow& w, const WalletScanOptions& options,
                std::vector<WalletHit>& out, std::vector<SeedHit>* seeds = nullptr) {
  WindowScan scan(text, w.page_begin, w.page_end, w.before, options, out);
  scan.alnum_runs();
  scan.descriptors();
  scan.phrases(w.phrase_resume, seeds);
}

/// ASCII text stored as UTF-16: regions where printable bytes and zero bytes
/// alternate. A region starting with the printable byte is read as UTF-16LE,
/// one starting with the zero byte as UTF-16BE (a region cut by the window start
/// is read by its end instead). Each region is narrowed to ASCII and scanned
/// like plain text; hits map back to the UTF-16 bytes.
///
/// A region cut by the window start has no visible first pair, so its reading
/// comes from `carry_in` (set by the previous window for the region crossing
/// `carry_at`; `phase` is the parity of its pair starts in this window) and is
/// handed on through `carry_out` for the region holding bytes carry_at - 1, carry_at.
struct Utf16Carry {
  bool valid = false;
  bool le = true;
  std::uint64_t pair_start = 0;  ///< absolute offset of one pair start of the region
};

/// The first 8-byte unit (units start at multiples of 8) starting at or after
/// `from` and before `stop` whose zero bytes alternate with non-zero ones
/// (zero mask 0x55 or 0xAA), else `stop`. A UTF-16 region of ASCII text long
/// enough to scan (kUtf16MinChars characters, 28 bytes) holds such units
/// whole, while random bytes almost never do: the regions are looked for only
/// there, instead of at every zero byte.
std::size_t next_alternating_unit(const std::uint8_t* bytes, std::size_t size, std::size_t from, std::size_t stop) {
  static_assert(2 * kUtf16MinChars >= 8 + 7 + 8);
  auto alternating = [](unsigned mask) { return mask == 0x55 || mask == 0xAA; };
  std::size_t unit = (from + 7) / 8 * 8;
  stop = std::min(stop, size);
#if defined(__SSE2__)
  for (; unit + 16 <= size && unit < stop; unit += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + unit));
    const auto zeros = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
    if (alternating(zeros & 0xFFu)) return unit;
    if (alternating(zeros >> 8)) return unit + 8 < stop ? unit + 8 : stop;
  }
#endif
  for (; unit + 8 <= size && unit < stop; unit += 8) {
    unsigned zeros = 0;
    for (unsigned k = 0; k < 8; ++k) zeros |= bytes[unit + k] == 0 ? 1u << k : 0u;
    if (alternating(zeros)) return unit;
  }
  return stop;
}

void scan_json_escaped(std::string_view text, const WalletWindow& w, const WalletScanOptions& options,
                       JsonUnescaped& decoded, std::vector<WalletHit>& out);

/// Returns whether the window holds ASCII UTF-16 text (a region long enough to read).
bool scan_utf16(std::string_view text, const WalletWindow& w, const WalletScanOptions& options,
                std::vector<WalletHit>& out, std::uint64_t base, const Utf16Carry& carry_in, std::size_t carry_at,
                Utf16Carry& carry_out, std::vector<SeedHit>* seeds) {
  bool met = false;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t size = text.size();
  const std::size_t page_end = std::min(w.page_end, size);
  auto printable = [&](std::size_t i) { return bytes[i] != 0 && has(bytes[i], kPrintable); };
  // Bytes i-1 and i continue a region: exactly one is zero and the other printable.
  auto pairs_up = [&](std::size_t i) { return (bytes[i - 1] == 0) != (bytes[i] == 0) && (printable(i - 1) || printable(i)); };
  std::string narrow;
  std::vector<WalletHit> found;
  JsonUnescaped json_scratch;
  // Regions are read whose first zero byte lies before zero_stop: a region
  // starting in the page has it at page_end at the latest. Regions start at
  // or after `at` (the end of the last one). Only regions of 28 bytes or more
  // matter (shorter ones hold no hit, and carry_out matters only for a region
  // going on well past carry_at), and each of those holds an alternating unit
  // starting within 8 bytes after its first zero.
  const std::size_t zero_stop = std::min(size, page_end + 1);
  // Text has no zero byte: one memchr over the bytes the alternating units
  // below can come from (units start before zero_stop + 8) settles it.
  if (std::memchr(bytes, 0, std::min(size, zero_stop + 16)) == nullptr) return false;
  std::size_t at = 0;
  while (at < zero_stop) {
    const std::size_t unit = next_alternating_unit(bytes, size, at, zero_stop + 8);
    if (unit >= std::min(size, zero_stop + 8)) break;
    const std::size_t z = bytes[unit] == 0 ? unit : unit + 1;
    if (!(z > 0 && printable(z - 1)) && !(z + 1 < size && printable(z + 1))) {
      at = z + 1;
      continue;
    }
    std::size_t start = z;
    while (start > 0 && pairs_up(start)) --start;
    std::size_t end = z + 1;
    while (end < size && pairs_up(end)) ++end;
    at = end;
    if ((bytes[start] == 0 ? start : start + 1) >= zero_stop) continue;
    const bool cut = start == 0 && !w.stream_start && (w.page_begin > 0 || w.before.has_value());
    bool le = bytes[start] != 0;
    if (cut && end < size) le = bytes[end - 1] == 0;
    // LE pairs start with the printable byte, BE pairs with the zero.
    std::size_t first = start;
    if (cut && carry_in.valid && carry_in.pair_start <= base) {
      le = carry_in.le;
      if (((base - carry_in.pair_start) & 1) != 0) ++first;
    } else if ((bytes[first] != 0) != le) {
      ++first;
    }
    if (carry_at > start && carry_at < end) carry_out = Utf16Carry{true, le, base + first};
    met = met || (end - start) / 2 >= kUtf16MinChars;
    if ((end - start) / 2 < kUtf16MinChars || start >= page_end) continue;
    const std::size_t count = (end - first) / 2;
    narrow.resize(count);
    for (std::size_t i = 0; i < count; ++i) narrow[i] = static_cast<char>(bytes[first + 2 * i + (le ? 0 : 1)]);
    WalletWindow sub;
    sub.data = {reinterpret_cast<const std::byte*>(narrow.data()), narrow.size()};
    sub.page_end = narrow.size();
    if (cut) sub.before = static_cast<std::uint8_t>('x');  // the region may have begun earlier
    found.clear();
    scan_plain(narrow, sub, options, found);
    const std::size_t plain_found = found.size();
    // JSON-escaped text stored as UTF-16 (a vault or seed in a JSON string in a
    // Windows file or in memory): the narrowed text gets the JSON-escaped pass
    // too, whose hits (each holding an escape) the plain pass does not report.
    if (has_json_escape(narrow)) scan_json_escaped(narrow, sub, options, json_scratch, found);
    for (std::size_t k = 0; k < found.size(); ++k) {
      WalletHit& hit = found[k];
      hit.offset = first + 2 * hit.offset;
      hit.length *= 2;
      if (hit.offset < w.page_begin || hit.offset >= page_end) continue;
      hit.encoding = k < plain_found ? (le ? "utf-16le" : "utf-16be")
                                     : (le ? "utf-16le+json-escaped" : "utf-16be+json-escaped");
      out.push_back(std::move(hit));
    }
    // Electrum and Monero seeds (the BIP39 phrases came with the plain pass),
    // page-relative as the plain seeds; a region cut at the window start may
    // have begun with more words: its first word starts no seed here.
    if (seeds != nullptr) {
      const std::span<const std::byte> narrow_bytes(reinterpret_cast<const std::byte*>(narrow.data()), narrow.size());
      for (SeedHit& seed : find_wallet_seeds(narrow_bytes, narrow.size())) {
        const std::size_t seed_at = first + 2 * seed.offset;
        if (seed_at < w.page_begin || seed_at >= page_end || (cut && seed.offset == 0)) continue;
        seed.offset = seed_at - w.page_begin;
        seed.length *= 2;
        seed.encoding = le ? "utf-16le" : "utf-16be";
        seeds->push_back(std::move(seed));
      }
    }
  }
  return met;
}

/// Seed phrases in UTF-16 text holding letters beyond ASCII (utf16_wide.hpp),
/// read where the window holds UTF-16 text (scan_utf16 met some, or the stream
/// starts with a byte order mark): each region decoded to UTF-8 and read by the
/// BIP39 and seed finders; only phrases holding such a letter are reported
/// (the ASCII pass finds the others), with their UTF-16 offsets.
void scan_utf16_wide(std::string_view text, const WalletWindow& w, const WalletScanOptions& options,
                     std::vector<WalletHit>& out, std::vector<SeedHit>* seeds) {
  const std::size_t page_end = std::min(w.page_end, text.size());
  if (w.page_begin >= page_end) return;
  std::vector<WideUtf16Region> regions;
  wide_utf16_regions(text, page_end, 11, regions);  // 12 words: 11 spaces
  WideUtf16Text decoded;
  std::vector<PhraseStretch> stretches;
  PhraseSamples samples;
  for (const WideUtf16Region& region : regions) {
    decode_wide_utf16(text, region, decoded);
    // A region cut at the window start may have begun with more words: its first word starts nothing here.
    const bool cut = region.begin < 2 && !w.stream_start;
    const char* encoding = region.le ? "utf-16le" : "utf-16be";
    // Where UTF-8 bytes [begin, begin + length) lie in the window; whether they start in the page and hold a
    // letter beyond ASCII.
    auto place = [&](std::size_t begin, std::size_t length, std::size_t& at, std::size_t& bytes) {
      const std::uint32_t first = decoded.unit_of[begin];
      const std::uint32_t last = decoded.unit_of[begin + length];
      at = region.begin + 2 * std::size_t{first};
      bytes = 2 * std::size_t{last - first};
      if (at < w.page_begin || at >= page_end || (cut && begin == 0)) return false;
      for (std::uint32_t u = first; u < last; ++u)
        if (decoded.wide[u]) return true;
      return false;
    };
    // One stretch and sampling pass serves both finders, as on a page of plain text.
    const std::string_view utf8 = decoded.utf8;
    phrase_stretches(utf8, utf8.size(), stretches);
    phrase_samples(utf8, stretches, 0, samples);
    for (const Bip39Match& m : find_bip39_phrases(utf8, utf8.size(), 0, stretches, samples.bip39)) {
      std::size_t at = 0;
      std::size_t bytes = 0;
      if (!place(m.offset, m.length, at, bytes)) continue;
      WalletHit hit = phrase_hit(utf8.substr(m.offset, m.length), m.phrase, at, bytes, options);
      hit.encoding = encoding;
      out.push_back(std::move(hit));
    }
    if (seeds == nullptr) continue;
    const std::span<const std::byte> utf8_bytes(reinterpret_cast<const std::byte*>(utf8.data()), utf8.size());
    for (SeedHit& seed : find_wallet_seeds(utf8_bytes, utf8.size(), stretches, samples.seeds, samples.monero)) {
      std::size_t at = 0;
      std::size_t bytes = 0;
      if (!place(seed.offset, seed.length, at, bytes)) continue;
      seed.offset = at - w.page_begin;  // page-relative, as the plain seeds
      seed.length = bytes;
      seed.encoding = encoding;
      seeds->push_back(std::move(seed));
    }
  }
}

/// Text inside JSON strings, escaped (`\"`, `\/`, `\n`, `\uXXXX`): a MetaMask
/// vault in a LevelDB value, Chromium preferences, exported JSON. Only bytes
/// near a valid escape that may lie in a hit (json_escape_may_hit: not the
/// `\n` between sentences of prose or the `\fB` of roff) are decoded;
/// the decoded text is scanned like plain text and a hit is kept only when its
/// bytes hold an escape (the plain scan finds the others), mapped back to the
/// escaped bytes. A hit containing an escape starts less than the longest hit
/// before it, so each cluster of escapes is decoded with that much around it.
/// `decoded` is scratch kept by the caller from one window to the next: decoding
/// a text-heavy page needs buffers of its size, allocated once, not per page.
void scan_json_escaped(std::string_view text, const WalletWindow& w, const WalletScanOptions& options,
                       JsonUnescaped& decoded, std::vector<WalletHit>& out) {
  const std::size_t size = text.size();
  const std::size_t page_end = std::min(w.page_end, size);
  const std::size_t reach = wallet_scan_margin() / 2;  // the longest plain hit
  // Escapes starting reach bytes past the page or later are never decoded:
  // the gate reads up to there (and the 6 bytes of a \uXXXX starting there),
  // not to the end of a long margin.
  if (w.page_begin >= page_end) return;
  const std::size_t gate_end = std::min(size, page_end + reach + 6);
  if (!has_json_escape(text.substr(w.page_begin, gate_end - w.page_begin))) return;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  auto text_byte = [&](std::size_t i) { return bytes[i] >= 0x20 ? bytes[i] != 0x7f : has(bytes[i], kPrintable); };
  auto next_escape = [&](std::size_t from, std::size_t to) -> std::size_t {
    while (from < to) {
      const void* found = std::memchr(text.data() + from, '\\', to - from);
      if (found == nullptr) return to;
      const auto b = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
      // Prose, code and roff escapes (`\n` between sentences, `\fB`) lie in no hit: no cluster around them.
      if (options.decode_every_escape ? has_json_escape(text.substr(b, std::min<std::size_t>(6, size - b)))
                                      : json_escape_may_hit(text, b))
        return b;
      from = b + 1;
    }
    return to;
  };
  std::vector<WalletHit> found;
  std::vector<WalletHit> kept;
  std::size_t at = w.page_begin;
  while (at < size) {
    const std::size_t first = next_escape(at, size);
    if (first >= size || first >= page_end + reach) break;
    // The run of text bytes around the escape, clipped to `reach` around its escapes.
    std::size_t run_start = first;
    while (run_start > 0 && first - run_start < reach && text_byte(run_start - 1)) --run_start;
    std::size_t last = first;
    std::size_t end = first + 1;
    for (;;) {
      while (end < size && end - last < reach && text_byte(end)) ++end;
      if (end >= size || end - last < reach) break;
      const std::size_t more = next_escape(last + 1, end);
      if (more >= end) break;
      last = more;
    }
    at = end;
    // Cut by the window start or by the clipping: the text may have begun earlier.
    const bool cut = (run_start == 0 && !w.stream_start && (w.page_begin > 0 || w.before.has_value())) ||
                     (run_start > 0 && text_byte(run_start - 1));
    if (cut && text[run_start] == '\\') {
      // A backslash run cut off has an unknown parity (is `\\\\u0041` "\\" "A" or "\\" "\\" "u0041"?):
      // skip it and what it may escape. Bytes before the first backslash decode as themselves.
      while (run_start < end && text[run_start] == '\\') ++run_start;
      if (run_start < end) run_start = std::min(end, run_start + (text[run_start] == 'u' ? 5 : 1));
    }
    if (run_start >= page_end) break;
    json_unescape(text.substr(run_start, end - run_start), 2 * (end - run_start), decoded);
    if (decoded.escapes == 0) continue;
    WalletWindow sub;
    sub.data = {reinterpret_cast<const std::byte*>(decoded.text.data()), decoded.text.size()};
    sub.page_end = decoded.text.size();
    if (cut) sub.before = static_cast<std::uint8_t>('x');
    found.clear();
    scan_plain(decoded.text, sub, options, found);
    for (WalletHit& hit : found) {
      if (hit.length == 0) continue;
      const std::size_t begin = run_start + decoded.input_offset(hit.offset);
      const std::size_t stop = run_start + decoded.input_end(hit.offset, hit.length);
      if (stop - begin == hit.length) continue;  // no escape inside: a plain hit
      if (begin < w.page_begin || begin >= page_end) continue;
      if (hit.kind == "bip39.phrase" && begin < w.json_phrase_resume) continue;
      hit.offset = begin;
      hit.length = stop - begin;
      hit.encoding = "json-escaped";
      kept.push_back(std::move(hit));
    }
  }
  // Clipped clusters may overlap by a byte: a hit seen from both is kept once.
  std::stable_sort(kept.begin(), kept.end(), [](const WalletHit& a, const WalletHit& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.kind < b.kind;
  });
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (i == 0 || kept[i].offset != kept[i - 1].offset || kept[i].kind != kept[i - 1].kind)
      out.push_back(std::move(kept[i]));
}

}  // namespace

std::size_t wallet_scan_margin() {
  static const std::size_t margin = [] {
    std::size_t longest_word = 0;
    for (std::size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
      const auto language = static_cast<Bip39Language>(lang);
      for (const auto& list : {bip39_wordlist(language), bip39_wordlist_composed(language)})
        for (std::string_view word : list) longest_word = std::max(longest_word, word.size());
    }
    const std::size_t phrase = kPhraseWords * (longest_word + kWordSeparatorAllowance) + kBech32MaxLength;
    const std::size_t longest = std::max({phrase, kLongBech32Max, kDescriptorMax, kBase58MaxRun + kUriQueryMax + 16});
    return 2 * longest;  // UTF-16 doubles every length
  }();
  return margin;
}

namespace {

std::vector<WalletHit> scan_window(const WalletWindow& window, const WalletScanOptions& options, std::uint64_t base,
                                   const Utf16Carry& carry_in, std::size_t carry_at, Utf16Carry& carry_out,
                                   JsonUnescaped& scratch, std::vector<SeedHit>* seeds) {
  std::vector<WalletHit> out;
  if (window.data.empty() || window.page_end == 0 || window.page_begin >= window.page_end) return out;
  const std::string_view text = as_text(window.data);
  scan_plain(text, window, options, out, seeds);
  const bool utf16 = scan_utf16(text, window, options, out, base, carry_in, carry_at, carry_out, seeds);
  const bool bom = window.stream_start && text.size() >= 2 &&
                   ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'));
  if (utf16 || bom) scan_utf16_wide(text, window, options, out, seeds);
  scan_json_escaped(text, window, options, scratch, out);
  std::stable_sort(out.begin(), out.end(), [](const WalletHit& a, const WalletHit& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.encoding < b.encoding;
  });
  return out;
}

}  // namespace

std::vector<WalletHit> scan_wallets(const WalletWindow& window, const WalletScanOptions& options) {
  Utf16Carry unused;
  JsonUnescaped scratch;
  return scan_window(window, options, 0, Utf16Carry{}, 0, unused, scratch, nullptr);
}

struct WalletPageScanner::State {
  WalletScanOptions options;
  std::vector<std::byte> behind;  // the last kLookBehind bytes before the current page
  std::optional<std::uint8_t> before_behind;  // the byte before those (nullopt: they start the stream)
  std::vector<std::byte> joined;
  std::uint64_t phrase_end = 0;   // end of the last phrase reported, in the stream
  std::uint64_t json_phrase_end = 0;  // the same for JSON-escaped phrases
  JsonUnescaped json_scratch;
  Utf16Carry carry;
};

WalletPageScanner::WalletPageScanner(WalletScanOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
}

WalletPageScanner::~WalletPageScanner() = default;

std::size_t wallet_scan_look_behind() { return kLookBehind; }

std::vector<WalletHit> WalletPageScanner::scan(std::span<const std::byte> data, std::size_t page_size,
                                               std::uint64_t page_offset, std::vector<SeedHit>* seeds) {
  return scan({}, data, page_size, page_offset, seeds);
}

std::vector<WalletHit> WalletPageScanner::scan(std::span<const std::byte> behind, std::span<const std::byte> data,
                                               std::size_t page_size, std::uint64_t page_offset,
                                               std::vector<SeedHit>* seeds) {
  State& s = *state_;
  // Past the page the scanners read only to the end of the run or UTF-16
  // region a hit in the page lies in, and at most wallet_scan_margin() bytes
  // for fixed reaches (URI queries, context keywords, descriptors). Two zero
  // bytes end every run and region, so the bytes after the first such pair
  // beyond that reach are never read and not copied: most of a long margin of
  // binary data.
  const std::size_t reach = page_size + wallet_scan_margin();
  for (std::size_t at = reach; at + 1 < data.size();) {
    const void* zero = std::memchr(data.data() + at, 0, data.size() - at - 1);
    if (zero == nullptr) break;
    const auto z = static_cast<std::size_t>(static_cast<const std::byte*>(zero) - data.data());
    if (data[z + 1] == std::byte{0}) {
      data = data.first(z + 2);
      break;
    }
    at = z + 1;
  }
  // The window is the look-behind and the page with its margin, contiguous:
  // where the caller keeps the same look-behind in front of the page, in
  // place (the page and a margin as long as it are not copied), else joined.
  const std::size_t held = s.behind.size();
  WalletWindow window;
  if (behind.size() >= held && behind.data() + behind.size() == data.data() &&
      std::equal(s.behind.begin(), s.behind.end(), behind.end() - static_cast<std::ptrdiff_t>(held))) {
    window.data = std::span<const std::byte>(behind.data() + (behind.size() - held), held + data.size());
  } else {
    s.joined.assign(s.behind.begin(), s.behind.end());
    s.joined.insert(s.joined.end(), data.begin(), data.end());
    window.data = s.joined;
  }
  window.page_begin = s.behind.size();
  window.page_end = s.behind.size() + page_size;
  window.before = s.before_behind;
  const std::uint64_t base = page_offset - s.behind.size();
  window.stream_start = base == 0;
  window.phrase_resume = s.phrase_end > base ? static_cast<std::size_t>(s.phrase_end - base) : 0;
  window.json_phrase_resume = s.json_phrase_end > base ? static_cast<std::size_t>(s.json_phrase_end - base) : 0;
  const std::size_t keep = std::min(kLookBehind, window.page_end);
  Utf16Carry carry_out;
  auto hits = scan_window(window, s.options, base, s.carry, window.page_end - keep, carry_out, s.json_scratch, seeds);
  if (seeds != nullptr)
    for (SeedHit& seed : *seeds) seed.offset += static_cast<std::size_t>(page_offset);
  s.carry = carry_out;
  for (WalletHit& hit : hits) {
    hit.offset += static_cast<std::size_t>(base);
    if (hit.kind == "bip39.phrase" && hit.encoding.empty()) s.phrase_end = hit.offset + hit.length;
    if (hit.kind == "bip39.phrase" && hit.encoding == "json-escaped") s.json_phrase_end = hit.offset + hit.length;
  }
  if (window.page_end > keep) s.before_behind = static_cast<std::uint8_t>(window.data[window.page_end - keep - 1]);
  s.behind.assign(window.data.begin() + static_cast<std::ptrdiff_t>(window.page_end - keep),
                  window.data.begin() + static_cast<std::ptrdiff_t>(window.page_end));
  return hits;
}

Status scan_wallet_stream(io::ByteStream& stream, std::size_t page_size, const WalletScanOptions& options,
                          const std::function<bool(const WalletHit&)>& visit) {
  io::ChunkerOptions chunking{page_size, wallet_scan_margin()};
  chunking.look_behind = kLookBehind;
  io::Chunker chunker(stream, chunking);
  WalletPageScanner scanner(options);
  for (;;) {
    auto more = chunker.next();
    if (!more) return more.error();
    if (!*more) return ok_status();
    const io::Chunk& chunk = chunker.chunk();
    for (const WalletHit& hit : scanner.scan(chunk.behind(), chunk.data(), chunk.page().size(), chunk.offset()))
      if (!visit(hit)) return ok_status();
  }
}

}  // namespace trawl::scan
