#pragma once
// Which JSON escapes can lie inside a wallet-scan hit. The JSON-escaped pass
// (wallet_scanner.cpp) decodes the text around escapes and keeps only the hits
// holding one; prose, code and roff hold many escapes (`\n` between sentences,
// `\fB`, `\\`) that no hit can hold. A hit's bytes are alphanumerics (addresses,
// keys), URI or descriptor bytes (printable, no space or quote), or list words
// and their separators (phrases), so an escape decoding to
//   - an alphanumeric, `:`, `-`, `#` or any non-ASCII character comes only
//     from `\uXXXX`: every `\u` escape may lie in a hit;
//   - `/` or `\`: only inside a URI (holds the `:` of its scheme) or a
//     descriptor (holds the `#` of its checksum): the run of URI/descriptor
//     bytes around the escape, read escaped, must hold `:` or `#`;
//   - a separator (`\n`, `\t`, `\r`, `\f`, `\"`): only between two words of a
//     phrase, which begins and ends with a word: the token before the escape
//     and the one after it (past separators and list numbers) must be list
//     words (or tokens the escaped bytes do not settle: `\u`, non-ASCII);
//   - a backspace (`\b`): in no hit.
// The test reads the escaped bytes, so it never decodes; where the escaped
// reading is ambiguous (a backslash run of unknown parity) it lets the escape
// through. Pure; never throws.
#include <cstddef>
#include <string_view>

namespace trawl::scan {

/// False when the JSON escape at text[at] (a backslash followed by a valid
/// escape) lies inside no hit of any decoding of the text around it; true
/// when it may. Reads at most 4 KiB on each side; when that does not settle
/// it, true.
bool json_escape_may_hit(std::string_view text, std::size_t at);

}  // namespace trawl::scan
