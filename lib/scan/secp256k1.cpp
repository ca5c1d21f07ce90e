#include "scan/secp256k1.hpp"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include <string_view>

namespace trawl::scan {
namespace {

const secp256k1_context* context() {
  // Created once; read-only afterwards, so safe to share between threads.
  static const secp256k1_context* const kContext = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return kContext;
}

std::optional<secp256k1_pubkey> parse(std::span<const std::uint8_t> key) {
  if (key.size() != 33 && key.size() != 65) return std::nullopt;
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_parse(context(), &point, key.data(), key.size()) != 1) return std::nullopt;
  return point;
}

template <std::size_t N>
std::array<std::uint8_t, N> serialize(const secp256k1_pubkey& point) {
  std::array<std::uint8_t, N> out{};
  std::size_t length = N;
  secp256k1_ec_pubkey_serialize(context(), out.data(), &length, &point,
                                N == 33 ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
  return out;
}

std::optional<secp256k1_pubkey> from_private(std::span<const std::uint8_t, 32> key) {
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_create(context(), &point, key.data()) != 1) return std::nullopt;
  return point;
}

}  // namespace

bool is_valid_private_key(std::span<const std::uint8_t, 32> key) {
  return secp256k1_ec_seckey_verify(context(), key.data()) == 1;
}

bool is_valid_public_key(std::span<const std::uint8_t> key) { return parse(key).has_value(); }

std::optional<CompressedPublicKey> public_key_compressed(std::span<const std::uint8_t, 32> private_key) {
  const auto point = from_private(private_key);
  if (!point) return std::nullopt;
  return serialize<33>(*point);
}

std::optional<UncompressedPublicKey> public_key_uncompressed(std::span<const std::uint8_t, 32> private_key) {
  const auto point = from_private(private_key);
  if (!point) return std::nullopt;
  return serialize<65>(*point);
}

std::optional<CompressedPublicKey> compress_public_key(std::span<const std::uint8_t> key) {
  const auto point = parse(key);
  if (!point) return std::nullopt;
  return serialize<33>(*point);
}

std::optional<UncompressedPublicKey> decompress_public_key(std::span<const std::uint8_t> key) {
  const auto point = parse(key);
  if (!point) return std::nullopt;
  return serialize<65>(*point);
}

std::optional<PrivateKey> private_key_tweak_add(std::span<const std::uint8_t, 32> key,
                                                std::span<const std::uint8_t, 32> tweak) {
  PrivateKey out{};
  std::copy(key.begin(), key.end(), out.begin());
  if (secp256k1_ec_seckey_tweak_add(context(), out.data(), tweak.data()) != 1) return std::nullopt;
  return out;
}

std::optional<CompressedPublicKey> public_key_tweak_add(std::span<const std::uint8_t> key,
                                                        std::span<const std::uint8_t, 32> tweak) {
  auto point = parse(key);
  if (!point) return std::nullopt;
  if (secp256k1_ec_pubkey_tweak_add(context(), &*point, tweak.data()) != 1) return std::nullopt;
  return serialize<33>(*point);
}

std::optional<TaprootKeys> taproot_keys(std::span<const std::uint8_t, 32> private_key) {
  const auto point = from_private(private_key);
  if (!point) return std::nullopt;
  // The internal key is the point with its y made even: only x is committed to.
  secp256k1_xonly_pubkey internal;
  if (secp256k1_xonly_pubkey_from_pubkey(context(), &internal, nullptr, &*point) != 1) return std::nullopt;
  TaprootKeys out;
  secp256k1_xonly_pubkey_serialize(context(), out.internal.data(), &internal);
  static constexpr std::string_view kTag = "TapTweak";
  std::array<std::uint8_t, 32> tweak{};
  if (secp256k1_tagged_sha256(context(), tweak.data(), reinterpret_cast<const unsigned char*>(kTag.data()),
                              kTag.size(), out.internal.data(), out.internal.size()) != 1)
    return std::nullopt;
  secp256k1_pubkey tweaked;
  if (secp256k1_xonly_pubkey_tweak_add(context(), &tweaked, &internal, tweak.data()) != 1) return std::nullopt;
  secp256k1_xonly_pubkey output;
  if (secp256k1_xonly_pubkey_from_pubkey(context(), &output, nullptr, &tweaked) != 1) return std::nullopt;
  secp256k1_xonly_pubkey_serialize(context(), out.output.data(), &output);
  return out;
}

}  // namespace trawl::scan
