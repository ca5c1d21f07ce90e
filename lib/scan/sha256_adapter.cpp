#include "scan/sha256_adapter.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace trawl::scan {
namespace {

/// One digest context per thread, on the algorithm fetched once per process:
/// the one-shot SHA256() fetches it on every call, behind a lock, and text
/// gives a base58check candidate every few KiB (most fail their checksum).
EVP_MD_CTX* context() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local const std::unique_ptr<EVP_MD_CTX, Free> ctx = [] {
    std::unique_ptr<EVP_MD_CTX, Free> c(EVP_MD_CTX_new());
    // Only a broken OpenSSL installation gets here; it is not an input error.
    if (md == nullptr || c == nullptr || EVP_DigestInit_ex2(c.get(), md, nullptr) != 1)
      throw std::runtime_error("OpenSSL cannot compute sha256");
    return c;
  }();
  return ctx.get();
}

}  // namespace

Sha256Digest sha256(std::span<const std::uint8_t> bytes) {
  // In-memory input cannot fail once the context exists; an empty span may carry a null pointer.
  static constexpr std::uint8_t kEmpty = 0;
  EVP_MD_CTX* ctx = context();
  Sha256Digest out{};
  unsigned int length = 0;
  EVP_DigestInit_ex2(ctx, nullptr, nullptr);  // the same algorithm again
  EVP_DigestUpdate(ctx, bytes.empty() ? &kEmpty : bytes.data(), bytes.size());
  EVP_DigestFinal_ex(ctx, out.data(), &length);
  return out;
}

Sha256Digest sha256d(std::span<const std::uint8_t> bytes) {
  const Sha256Digest first = sha256(bytes);
  return sha256(first);
}

}  // namespace trawl::scan
