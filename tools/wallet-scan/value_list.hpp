#pragma once
// Stop and watch lists for wallet-scan: values compared after normalisation
// (Ethereum and other hex forms without case, phrases by their words only),
// so that "0xABC…" and "0xabc…" or a numbered phrase and a plain one match.
#include <string>
#include <string_view>
#include <unordered_set>

namespace trawl::tools {

class ValueList {
 public:
  /// Public example values: BIP/EIP test vectors, the genesis address, burn
  /// addresses, the "abandon … about" phrase. Hits on them are marked, not dropped.
  static ValueList builtin_stop_list();
  /// One value per line; blank lines and lines starting with '#' are skipped.
  /// Throws cli::SetupError when the file cannot be read.
  void add_file(const std::string& path);

  void add(std::string_view value);
  bool contains(std::string_view value) const;
  bool empty() const { return values_.empty(); }

  /// The comparison form of a value.
  static std::string normalise(std::string_view value);

 private:
  std::unordered_set<std::string> values_;
};

}  // namespace trawl::tools
