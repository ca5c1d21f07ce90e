#include "scan/wallet_scanner.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "io/chunker.hpp"
#include "scan/base58.hpp"
#include "scan/bech32.hpp"
#include "scan/bip39.hpp"
#include "scan/eip55.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kBase58MinRun = 25;  // P2PKH with leading zero bytes
constexpr std::size_t kBase58MaxRun = 35;  // 21-byte payload + 4-byte checksum
constexpr std::size_t kBech32MinRun = 14;  // hrp "bc" + "1" + version + 4 program chars + 6 checksum
constexpr std::size_t kEthRun = 42;        // "0x" + 40 hex digits
constexpr std::size_t kPhraseWords = 24;
/// Per word, room for separators, quotes and list numbers: `"24. ", ` and the like.
constexpr std::size_t kWordSeparatorAllowance = 16;

enum : std::uint8_t { kAlnum = 1, kBase58 = 2, kHex = 4 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kAlnum | kHex;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kAlnum;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kAlnum;
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] |= kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] |= kHex;
  constexpr std::string_view alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  for (char c : alphabet) t[static_cast<unsigned char>(c)] |= kBase58;
  return t;
}
constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

bool has(std::uint8_t byte, std::uint8_t cls) { return (kClasses[byte] & cls) != 0; }

std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// Kind prefix and suffix of a base58check version byte (21-byte payloads only).
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
    default: return nullptr;
  }
}

/// Visits every maximal run of bytes of class `cls` that starts in the page.
template <typename Visit>
void for_each_run(const WalletWindow& w, std::uint8_t cls, std::size_t min_length, Visit&& visit) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(w.data.data());
  const std::size_t size = w.data.size();
  const std::size_t page_end = std::min(w.page_end, size);
  std::size_t i = 0;
  // A run touching the window start began before it unless the byte before is outside the class.
  if (w.before && has(*w.before, cls)) {
    while (i < size && has(bytes[i], cls)) ++i;
  }
  while (i < page_end) {
    if (!has(bytes[i], cls)) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < size && has(bytes[i], cls)) ++i;
    if (i - start >= min_length) visit(start, i - start);
  }
}

void find_base58(const WalletWindow& w, std::vector<WalletHit>& out) {
  for_each_run(w, kBase58, kBase58MinRun, [&](std::size_t start, std::size_t length) {
    if (length > kBase58MaxRun) return;
    const std::string_view text = as_text(w.data.subspan(start, length));
    auto payload = base58check_decode(text);
    if (!payload || payload->size() != 21) return;
    const char* kind = base58_kind((*payload)[0]);
    if (kind == nullptr) return;
    out.push_back(WalletHit{kind, std::string(text), "checksum", start, length, {}, 0});
  });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::string segwit_kind(const char* chain, const SegwitAddress& a) {
  std::string kind = chain;
  if (a.witness_version == 0 && a.program.size() == 20) return kind + ".p2wpkh";
  if (a.witness_version == 0 && a.program.size() == 32) return kind + ".p2wsh";
  if (a.witness_version == 1 && a.program.size() == 32) return kind + ".p2tr";
  return kind + ".witness-v" + std::to_string(a.witness_version);
}

void find_alnum(const WalletWindow& w, std::vector<WalletHit>& out) {
  static constexpr std::array<std::pair<std::string_view, const char*>, 3> kPrefixes = {
      {{"bc1", "btc"}, {"tb1", "btc-testnet"}, {"ltc1", "ltc"}}};
  for_each_run(w, kAlnum, kBech32MinRun, [&](std::size_t start, std::size_t length) {
    const std::string_view text = as_text(w.data.subspan(start, length));
    if (length == kEthRun && text[0] == '0' && text[1] == 'x') {
      const Eip55Status status = eip55_check(text);
      if (status == Eip55Status::checksum_valid)
        out.push_back(WalletHit{"eth.address", std::string(text), "checksum", start, length, {}, 0});
      else if (status == Eip55Status::all_lower || status == Eip55Status::all_upper)
        out.push_back(WalletHit{"eth.address", std::string(text), "structure", start, length, {}, 0});
      return;
    }
    if (length > kBech32MaxLength) return;
    for (const auto& [prefix, chain] : kPrefixes) {
      if (!starts_with_ci(text, prefix)) continue;
      const std::string_view hrp = prefix.substr(0, prefix.size() - 1);
      auto address = segwit_decode(text, hrp);  // rejects mixed case
      if (address) out.push_back(WalletHit{segwit_kind(chain, *address), std::string(text), "checksum", start, length, {}, 0});
      return;
    }
  });
}

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

std::size_t separator_length(std::string_view text, std::size_t at) {
  if (is_boundary_byte(static_cast<std::uint8_t>(text[at])) && text[at] != '\x80') return 1;
  if (text.substr(at, 3) == "\xE3\x80\x80") return 3;
  return 0;
}

/// "first … last (N words)": enough to recognise a phrase, not to use it.
std::string redacted_phrase(std::string_view phrase, std::size_t words) {
  std::size_t first_end = 0;
  while (first_end < phrase.size() && separator_length(phrase, first_end) == 0) ++first_end;
  std::size_t last_begin = phrase.size();
  while (last_begin > 0) {
    const unsigned char c = static_cast<unsigned char>(phrase[last_begin - 1]);
    if (is_boundary_byte(c) && (c != 0x80 || (last_begin >= 3 && phrase.substr(last_begin - 3, 3) == "\xE3\x80\x80")))
      break;
    --last_begin;
  }
  return std::string(phrase.substr(0, first_end)) + " \xE2\x80\xA6 " + std::string(phrase.substr(last_begin)) + " (" +
         std::to_string(words) + " words)";
}

void find_phrases(const WalletWindow& w, const WalletScanOptions& options, std::vector<WalletHit>& out) {
  const std::string_view text = as_text(w.data);
  for (const auto& m : find_bip39_phrases(text)) {
    if (m.offset >= w.page_end || m.offset < w.phrase_resume) continue;
    // A phrase at the window start glued to bytes before it is not one the
    // tokenizer would have seen from the real start of the text.
    if (m.offset == 0 && w.before && !is_boundary_byte(*w.before)) continue;
    const std::string_view phrase = text.substr(m.offset, m.length);
    WalletHit hit{"bip39.phrase",
                  options.reveal_secrets ? std::string(phrase) : redacted_phrase(phrase, m.phrase.word_count),
                  "checksum",
                  m.offset,
                  m.length,
                  bip39_language_name(m.phrase.language),
                  m.phrase.word_count};
    out.push_back(std::move(hit));
  }
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
    const std::size_t phrase = kPhraseWords * (longest_word + kWordSeparatorAllowance);
    return phrase + kBech32MaxLength;
  }();
  return margin;
}

std::vector<WalletHit> scan_wallets(const WalletWindow& window, const WalletScanOptions& options) {
  std::vector<WalletHit> out;
  if (window.data.empty() || window.page_end == 0) return out;
  find_base58(window, out);
  find_alnum(window, out);
  find_phrases(window, options, out);
  std::stable_sort(out.begin(), out.end(), [](const WalletHit& a, const WalletHit& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.kind < b.kind;
  });
  return out;
}

Status scan_wallet_stream(io::ByteStream& stream, std::size_t page_size, const WalletScanOptions& options,
                          const std::function<bool(const WalletHit&)>& visit) {
  io::Chunker chunker(stream, io::ChunkerOptions{page_size, wallet_scan_margin()});
  std::optional<std::uint8_t> before;
  std::uint64_t phrase_end = 0;  // end of the last phrase reported, in the stream
  for (;;) {
    auto more = chunker.next();
    if (!more) return more.error();
    if (!*more) return ok_status();
    const io::Chunk& chunk = chunker.chunk();
    WalletWindow window;
    window.data = chunk.data();
    window.page_end = chunk.page().size();
    window.before = before;
    window.phrase_resume = phrase_end > chunk.offset() ? static_cast<std::size_t>(phrase_end - chunk.offset()) : 0;
    for (WalletHit& hit : scan_wallets(window, options)) {
      hit.offset += static_cast<std::size_t>(chunk.offset());
      if (hit.kind == "bip39.phrase") phrase_end = hit.offset + hit.length;
      if (!visit(hit)) return ok_status();
    }
    before = static_cast<std::uint8_t>(chunk.page().back());
  }
}

}  // namespace trawl::scan
