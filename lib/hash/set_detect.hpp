#pragma once
// Which known-set format a file holds, from its first bytes only (never its
// name): the SQLite header, a JSON document, the hashdeep or NSRL header
// line, or the shape of the first lines that look like entries.
#include <optional>
#include <string_view>

#include "hash/known_set.hpp"

namespace trawl::hash {

/// `head` is the start of the file (up to kSetHeadBytes). nullopt: not a set.
std::optional<SetFormat> detect_set_format(std::string_view head);

}  // namespace trawl::hash
