#include "scan/sha256_adapter.hpp"

#include <openssl/sha.h>

namespace trawl::scan {

Sha256Digest sha256(std::span<const std::uint8_t> bytes) {
  // SHA256() cannot fail for in-memory input; an empty span may carry a null pointer.
  static constexpr std::uint8_t kEmpty = 0;
  Sha256Digest out{};
  SHA256(bytes.empty() ? &kEmpty : bytes.data(), bytes.size(), out.data());
  return out;
}

Sha256Digest sha256d(std::span<const std::uint8_t> bytes) {
  const Sha256Digest first = sha256(bytes);
  return sha256(first);
}

}  // namespace trawl::scan
