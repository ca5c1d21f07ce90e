#include "hash/fuzzy_digest.hpp"

#include <fuzzy.h>

#include <fstream>

namespace trawl::hash {

FuzzyDigest::FuzzyDigest() : state_(fuzzy_new()) {}
FuzzyDigest::~FuzzyDigest() {
  if (state_ != nullptr) fuzzy_free(state_);
}

void FuzzyDigest::update(std::span<const std::byte> bytes) {
  if (state_ != nullptr) fuzzy_update(state_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string FuzzyDigest::finish() {
  if (state_ == nullptr) return "";
  char result[FUZZY_MAX_RESULT] = {0};
  if (fuzzy_digest(state_, result, 0) != 0) return "";
  return result;
}

int fuzzy_similarity(std::string_view a, std::string_view b) {
  // fuzzy_compare wants NUL-terminated text and rejects malformed input with -1.
  const std::string sa(a), sb(b);
  const int score = fuzzy_compare(sa.c_str(), sb.c_str());
  return score < 0 ? 0 : score;
}

bool looks_like_ssdeep_list(std::string_view head) { return head.substr(0, 13) == "ssdeep,1.1--b"; }

Result<std::vector<FuzzyEntry>> read_ssdeep_list(const std::string& path, uint64_t& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, "cannot open " + path);
  std::vector<FuzzyEntry> out;
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!header) {
      if (!looks_like_ssdeep_list(line)) return make_error(Errc::data_loss, path + ": not an ssdeep list");
      header = true;
      continue;
    }
    // blocksize:hash:hash,"file name"  (the name is quoted; quotes inside are doubled)
    const size_t comma = line.find(',');
    const size_t colon1 = line.find(':');
    const size_t colon2 = colon1 == std::string::npos ? std::string::npos : line.find(':', colon1 + 1);
    if (comma == std::string::npos || colon2 == std::string::npos || colon2 > comma || line.size() > 4096) {
      ++problems;
      continue;
    }
    FuzzyEntry e;
    e.signature = line.substr(0, comma);
    std::string name = line.substr(comma + 1);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    e.name = std::move(name);
    out.push_back(std::move(e));
  }
  if (!header) return make_error(Errc::data_loss, path + ": empty ssdeep list");
  return out;
}

}  // namespace trawl::hash
