#pragma once
// Base64 (RFC 4648, with padding): how records carry bytes that are not UTF-8.
#include <optional>
#include <string>
#include <string_view>

namespace trawl {

std::string base64_encode(std::string_view bytes);
/// nullopt when `text` is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace trawl
