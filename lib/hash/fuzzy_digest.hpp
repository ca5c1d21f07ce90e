#pragma once
// ssdeep (context-triggered piecewise hashing) through Debian's libfuzzy:
// similarity of documents and executables that are not byte-identical.
// fuzzy_digest.cpp is the only file including <fuzzy.h>.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

struct fuzzy_state;  // libfuzzy's, named here without its header

namespace trawl::hash {

class FuzzyDigest {
 public:
  FuzzyDigest();
  ~FuzzyDigest();
  FuzzyDigest(const FuzzyDigest&) = delete;
  FuzzyDigest& operator=(const FuzzyDigest&) = delete;
  void update(std::span<const std::byte> bytes);
  /// The ssdeep signature, "blocksize:hash:hash"; empty if libfuzzy failed.
  std::string finish();

 private:
  ::fuzzy_state* state_;
};

/// ssdeep's match score of two signatures, 0 (unrelated) to 100.
int fuzzy_similarity(std::string_view a, std::string_view b);

/// A list written by `ssdeep` (header `ssdeep,1.1--blocksize:hash:hash,filename`).
struct FuzzyEntry {
  std::string signature;
  std::string name;
};

/// True when `head` starts with the ssdeep list header.
bool looks_like_ssdeep_list(std::string_view head);

/// Reads an ssdeep list; malformed lines are counted in `problems` and skipped.
Result<std::vector<FuzzyEntry>> read_ssdeep_list(const std::string& path, uint64_t& problems);

}  // namespace trawl::hash
