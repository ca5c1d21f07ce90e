#pragma once
// ASCII case folding for word lists and identifiers: bytes beyond ASCII (UTF-8
// letters) are kept as they are, and no locale is consulted.
#include <string>
#include <string_view>

namespace trawl {

/// `text` with A-Z as a-z.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace trawl
