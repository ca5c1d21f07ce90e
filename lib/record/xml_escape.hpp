#pragma once
// Text as XML 1.0 can carry it. Names and values found in evidence are
// arbitrary bytes; XML has no escape for most control characters, so those
// (and bytes that are not UTF-8) are replaced, never emitted.
#include <string>
#include <string_view>

namespace trawl::record {

/// Appends `text` escaped for XML 1.0 element content and attribute values
/// (& < > " ' as entities; tab, LF and CR as character references so
/// attribute values keep them). Bytes that are not valid UTF-8 and
/// characters XML 1.0 cannot carry at all (other C0 controls, U+FFFE,
/// U+FFFF) become U+FFFD. Returns false when anything was replaced.
bool append_xml_escaped(std::string& out, std::string_view text);

}  // namespace trawl::record
