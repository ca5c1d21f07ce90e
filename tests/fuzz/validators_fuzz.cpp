// Feeds arbitrary bytes to every wallet-scan validator in lib/scan (base58,
// base58check in both alphabets, bech32/bech32m, segwit, CashAddr, EIP-55,
// Keccak, WIF / BIP32 / BIP38 key classifiers, Monero base58, BIP380
// descriptor checksums). Properties checked:
//  - nothing crashes, hangs or reads out of bounds, whatever the input;
//  - whatever decodes re-encodes to the same text (lower-cased where the
//    format is case-insensitive), and encode-then-decode gives the input back.
// Base58 is quadratic, so it sees at most a bounded prefix of the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scan/base58.hpp"
#include "scan/bech32.hpp"
#include "scan/cashaddr.hpp"
#include "scan/descriptor_checksum.hpp"
#include "scan/monero_address.hpp"
#include "scan/wallet_keys.hpp"
#include "scan/eip55.hpp"
#include "scan/keccak.hpp"

namespace {

using namespace trawl::scan;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void fuzz_base58(std::string_view text, std::span<const std::uint8_t> bytes) {
  constexpr std::size_t kLongLimit = 512;
  for (auto alphabet : {Base58Alphabet::bitcoin, Base58Alphabet::xrp}) {
    if (auto decoded = base58_decode(text, alphabet, kLongLimit)) require(base58_encode(*decoded, alphabet) == text);
    if (auto payload = base58check_decode(text, alphabet)) require(base58check_encode(*payload, alphabet) == text);
    const auto prefix = bytes.first(std::min<std::size_t>(bytes.size(), 96));
    const std::string encoded = base58_encode(prefix, alphabet);
    auto back = base58_decode(encoded, alphabet, kLongLimit);
    require(back.ok() && std::equal(back->begin(), back->end(), prefix.begin(), prefix.end()));
    const std::string checked = base58check_encode(prefix, alphabet);
    auto payload = base58check_decode(checked, alphabet, kLongLimit);
    if (!prefix.empty())
      require(payload.ok() && std::equal(payload->begin(), payload->end(), prefix.begin(), prefix.end()));
  }
}

void fuzz_bech32(std::string_view text, std::span<const std::uint8_t> bytes) {
  if (auto decoded = bech32_decode(text, kBech32NoLengthLimit)) {
    auto encoded = bech32_encode(decoded->hrp, decoded->data, decoded->encoding);
    require(encoded.ok() && *encoded == lower(text));
    if (text.size() > kBech32MaxLength) require(!bech32_decode(text).ok());
  }
  if (auto address = segwit_decode(text)) {
    auto encoded = segwit_encode(address->hrp, address->witness_version, address->program);
    require(encoded.ok() && *encoded == lower(text));
    require(segwit_script_pubkey(*address).size() == address->program.size() + 2);
  }
  auto five = convert_bits(bytes, 8, 5, true);
  require(five.ok());
  auto eight = convert_bits(*five, 5, 8, false);
  require(eight.ok() && std::equal(eight->begin(), eight->end(), bytes.begin(), bytes.end()));
  // Bytes as witness programs: encode, then decode back.
  if (!bytes.empty()) {
    const int version = bytes[0] % 17;
    const auto program = bytes.subspan(1, std::min<std::size_t>(bytes.size() - 1, 40));
    if (auto address = segwit_encode("bc", version, program)) {
      auto back = segwit_decode(*address, "bc");
      require(back.ok() && back->witness_version == version &&
              std::equal(back->program.begin(), back->program.end(), program.begin(), program.end()));
    }
  }
}

void fuzz_cashaddr(std::string_view text, std::span<const std::uint8_t> bytes) {
  const bool has_prefix = text.find(':') != std::string_view::npos;
  const std::string expected = has_prefix ? lower(text) : std::string(kCashAddrDefaultPrefix) + ":" + lower(text);
  if (auto raw = cashaddr_decode_raw(text, kCashAddrDefaultPrefix, 1024)) {
    auto encoded = cashaddr_encode_raw(raw->prefix, raw->data);
    require(encoded.ok() && *encoded == expected);
  }
  if (auto address = cashaddr_decode(text, kCashAddrDefaultPrefix, 1024)) {
    if (auto encoded = cashaddr_encode(address->prefix, address->type, address->hash)) {
      // Same text unless an undefined type's size bits disagree with its length.
      if (*encoded != expected) require(address->type > 3);
    }
  }
  if (bytes.size() >= 21) {
    const auto hash = bytes.subspan(1, 20);
    auto encoded = cashaddr_encode("bitcoincash", bytes[0] & 15, hash);
    require(encoded.ok());
    auto back = cashaddr_decode(*encoded);
    require(back.ok() && back->type == (bytes[0] & 15) &&
            std::equal(back->hash.begin(), back->hash.end(), hash.begin(), hash.end()));
  }
}

void fuzz_eip55(std::string_view text) {
  const auto status = eip55_check(text);
  auto encoded = eip55_encode(text);
  require(encoded.has_value() == (status != Eip55Status::malformed));
  if (!encoded) return;
  require(lower(*encoded) == lower(text));
  const auto again = eip55_check(*encoded);
  require(again == Eip55Status::checksum_valid || again == Eip55Status::all_lower || again == Eip55Status::all_upper);
  if (status == Eip55Status::checksum_valid) require(*encoded == text);
}

}  // namespace

/// Key classifiers, Monero block base58 and BIP380 checksums: no crash, and a
/// checksum this code adds always verifies.
void fuzz_keys_and_descriptors(std::string_view text, std::span<const std::uint8_t> bytes) {
  (void)classify_wif(bytes);
  (void)classify_bip38(bytes);
  (void)classify_extended_key(bytes);
  const std::string_view bounded = text.substr(0, 256);
  if (auto decoded = monero_base58_decode(bounded)) require(decoded->size() <= bounded.size());
  (void)classify_monero_address(bounded);
  (void)descriptor_checksum_valid(text);
  if (auto with_checksum = descriptor_add_checksum(text)) require(descriptor_checksum_valid(*with_checksum));
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_base58(text, bytes);
  fuzz_bech32(text, bytes);
  fuzz_cashaddr(text, bytes);
  fuzz_eip55(text);
  fuzz_keys_and_descriptors(text, bytes);
  require(keccak256(bytes) == keccak256(text));
  // An input of 40 hex-ish bytes becomes an address candidate, so EIP-55 sees real hex too.
  if (size >= 20) {
    static constexpr char kHex[] = "0123456789abcdefABCDEF";
    std::string address = "0x";
    for (std::size_t i = 0; i < 40; ++i) address.push_back(kHex[data[i % size] % 22]);
    fuzz_eip55(address);
  }
  return 0;
}
