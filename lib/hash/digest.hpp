#pragma once
// Message digests through OpenSSL's EVP interface (digest.cpp is the only
// file including OpenSSL). Several digests are fed from one read.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace trawl::hash {

enum class Algorithm { md5, sha1, sha256, sha512 };

/// Record field name and command-line name: md5, sha1, sha256, sha512.
const char* algorithm_name(Algorithm algorithm);
std::optional<Algorithm> parse_algorithm(std::string_view name);
/// Parses a comma-separated list ("md5,sha1"); duplicates are dropped.
Result<std::vector<Algorithm>> parse_algorithm_list(std::string_view list);

/// Computes every requested digest over the same bytes in one pass.
class MultiDigest {
 public:
  explicit MultiDigest(const std::vector<Algorithm>& algorithms);
  ~MultiDigest();
  MultiDigest(const MultiDigest&) = delete;
  MultiDigest& operator=(const MultiDigest&) = delete;

  void update(std::span<const std::byte> bytes);
  /// Lower-case hex digests in the order requested; resets for reuse.
  std::vector<std::pair<Algorithm, std::string>> finish();

 private:
  struct State;
  std::vector<Algorithm> algorithms_;
  std::unique_ptr<State> state_;
};

std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace trawl::hash
