#include "hash/digest.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

#include "core/hex.hpp"

namespace trawl::hash {

const char* algorithm_name(Algorithm a) {
  switch (a) {
    case Algorithm::md5: return "md5";
    case Algorithm::sha1: return "sha1";
    case Algorithm::sha256: return "sha256";
    case Algorithm::sha512: return "sha512";
  }
  return "md5";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
  for (Algorithm a : {Algorithm::md5, Algorithm::sha1, Algorithm::sha256, Algorithm::sha512})
    if (name == algorithm_name(a)) return a;
  return std::nullopt;
}

Result<std::vector<Algorithm>> parse_algorithm_list(std::string_view list) {
  std::vector<Algorithm> out;
  if (list == "none") return out;  // read every byte, hash nothing
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string_view name = list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto a = parse_algorithm(name);
    if (!a) return make_error(Errc::invalid_argument, "unknown digest '" + std::string(name) + "' (md5, sha1, sha256, sha512, or none)");
    if (std::find(out.begin(), out.end(), *a) == out.end()) out.push_back(*a);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string to_hex(std::span<const unsigned char> bytes) { return hex_lower(bytes); }

namespace {
const EVP_MD* evp_for(Algorithm a) {
  // Fetched once per process: an implicit fetch on every init costs a lock.
  static const EVP_MD* const kMd5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  static const EVP_MD* const kSha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  switch (a) {
    case Algorithm::md5: return kMd5;
    case Algorithm::sha1: return kSha1;
    case Algorithm::sha256: return kSha256;
    case Algorithm::sha512: return kSha512;
  }
  return kSha256;
}
}  // namespace

struct MultiDigest::State {
  std::vector<EVP_MD_CTX*> contexts;
  ~State() {
    for (auto* c : contexts) EVP_MD_CTX_free(c);
  }
};

MultiDigest::MultiDigest(const std::vector<Algorithm>& algorithms) : algorithms_(algorithms), state_(new State) {
  for (Algorithm a : algorithms_) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = evp_for(a);
    // Only a broken OpenSSL installation gets here; it is not an input error.
    if (ctx == nullptr || md == nullptr || EVP_DigestInit_ex(ctx, md, nullptr) != 1) {
      EVP_MD_CTX_free(ctx);
      throw std::runtime_error(std::string("OpenSSL cannot compute ") + algorithm_name(a));
    }
    state_->contexts.push_back(ctx);
  }
}

MultiDigest::~MultiDigest() = default;

void MultiDigest::update(std::span<const std::byte> bytes) {
  if (state_->contexts.size() == 1) {
    EVP_DigestUpdate(state_->contexts[0], bytes.data(), bytes.size());
    return;
  }
  // Feed every digest the same 32 KiB slice before moving on, so the second
  // and third digests read it from L1/L2 cache instead of memory.
  constexpr size_t kSlice = 32 * 1024;
  for (size_t done = 0; done < bytes.size(); done += kSlice) {
    const auto slice = bytes.subspan(done, std::min(kSlice, bytes.size() - done));
    for (auto* ctx : state_->contexts) EVP_DigestUpdate(ctx, slice.data(), slice.size());
  }
}

std::vector<std::pair<Algorithm, std::string>> MultiDigest::finish() {
  std::vector<std::pair<Algorithm, std::string>> out;
  for (size_t i = 0; i < algorithms_.size(); ++i) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX* ctx = state_->contexts[i];
    EVP_DigestFinal_ex(ctx, md, &len);
    out.emplace_back(algorithms_[i], to_hex(std::span<const unsigned char>(md, len)));
    EVP_DigestInit_ex(ctx, evp_for(algorithms_[i]), nullptr);
  }
  return out;
}

}  // namespace trawl::hash
