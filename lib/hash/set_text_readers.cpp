// Line-oriented hash lists: hashdeep files, md5sum/sha*sum output (GNU and
// BSD --tag styles) and plain digest lists.
#include <cctype>
#include <string>
#include <vector>

#include "hash/set_readers.hpp"

namespace trawl::hash {
namespace {

enum class Column { size, md5, sha1, sha256, sha512, filename, ignored };

constexpr size_t kMaxColumns = 32;


std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// Printable excerpt of input for a message.
std::string excerpt(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  if (text.size() > 40) out += "...";
  return out;
}

/// `%%%% size,md5,sha256,filename`: names from hashdeep's FILEFORMAT, any
/// order. Unknown names are ignored columns and a problem.
std::vector<Column> parse_columns(std::string_view list, std::string& unknown) {
  std::vector<Column> columns;
  while (columns.size() <= kMaxColumns) {
    const size_t comma = list.find(',');
    const std::string name = lower(trim(list.substr(0, comma)));
    if (name == "size") columns.push_back(Column::size);
    else if (name == "md5") columns.push_back(Column::md5);
    else if (name == "sha1" || name == "sha-1") columns.push_back(Column::sha1);
    else if (name == "sha256" || name == "sha-256") columns.push_back(Column::sha256);
    else if (name == "sha512" || name == "sha-512") columns.push_back(Column::sha512);
    else if (name == "filename") columns.push_back(Column::filename);
    else {
      if (name != "tiger" && name != "whirlpool" && unknown.empty()) unknown = excerpt(name);
      columns.push_back(Column::ignored);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return columns;
}

/// Splits a hashdeep line into one field per column. The file name takes
/// the commas left over, wherever its column is.
bool split_fields(std::string_view text, const std::vector<Column>& columns, std::vector<std::string_view>& fields) {
  const size_t n = columns.size();
  fields.assign(n, {});
  size_t name = n;
  for (size_t i = 0; i < n; ++i) {
    if (columns[i] == Column::filename) {
      name = i;
      break;
    }
  }
  const size_t left = name == n ? n - 1 : name;  // fields cut from the left; without a name the last takes the rest
  for (size_t i = 0; i < left; ++i) {
    const size_t comma = text.find(',');
    if (comma == std::string_view::npos) return false;
    fields[i] = text.substr(0, comma);
    text.remove_prefix(comma + 1);
  }
  if (name == n) {
    if (text.find(',') != std::string_view::npos) return false;
    fields[n - 1] = text;
    return true;
  }
  for (size_t i = n - 1; i > name; --i) {
    const size_t comma = text.rfind(',');
    if (comma == std::string_view::npos) return false;
    fields[i] = text.substr(comma + 1);
    text = text.substr(0, comma);
  }
  fields[name] = text;
  return true;
}

/// md5sum's escaped names: a leading `\` on the line means `\\`, `\n` and
/// `\r` stand for themselves in the name.
std::string unescape_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 1 < name.size()) {
      const char next = name[i + 1];
      if (next == '\\' || next == 'n' || next == 'r') {
        out += next == '\\' ? '\\' : next == 'n' ? '\n' : '\r';
        ++i;
        continue;
      }
    }
    out += name[i];
  }
  return out;
}

/// `MD5 (name) = hex` (BSD, `md5sum --tag`); false when the line is not one.
bool parse_bsd_tag(std::string_view line, KnownEntry& entry, std::string& problem) {
  const bool escaped = line.starts_with("\\");
  if (escaped) line.remove_prefix(1);
  size_t n = 0;
  while (n < line.size() && n <= 16 && (std::isalnum(static_cast<unsigned char>(line[n])) || line[n] == '-')) ++n;
  if (n < 2 || n > 16 || line.substr(n, 2) != " (") return false;
  const size_t close = line.rfind(") = ");
  if (close == std::string_view::npos || close < n + 2) return false;
  const std::string_view algorithm = line.substr(0, n);
  const std::string_view name = line.substr(n + 2, close - n - 2);
  problem = set_digest_named(entry, algorithm, line.substr(close + 4));
  entry.name = escaped ? unescape_name(name) : std::string(name);
  return true;
}

/// `hex  name`, `hex *name`, `\hex  name` (GNU) or `hex`, `hex<blanks>name`.
std::string parse_hex_line(std::string_view line, KnownEntry& entry) {
  const bool escaped = line.starts_with("\\");
  if (escaped) line.remove_prefix(1);
  size_t n = 0;
  while (n < line.size() && is_hex_digit(line[n])) ++n;
  std::string_view name;
  if (n < line.size()) {
    if (line[n] != ' ' && line[n] != '\t') {
      if (n == 0) return "not a digest line: \"" + excerpt(line) + "\"";
      return "not a hex digit at position " + std::to_string(n + 1) + " of the digest";
    }
    if (line[n] == ' ' && n + 1 < line.size() && (line[n + 1] == ' ' || line[n + 1] == '*')) {
      name = line.substr(n + 2);
    } else {
      name = line.substr(n);
      name.remove_prefix(std::min(name.size(), name.find_first_not_of(" \t")));
    }
  }
  if (std::string problem = set_digest_by_length(entry, line.substr(0, n)); !problem.empty()) return problem;
  entry.name = escaped ? unescape_name(name) : std::string(name);
  return "";
}

}  // namespace

Status read_hashdeep(SetSource& source, SetReadContext& context) {
  LineReader lines(source);
  std::vector<Column> columns;
  std::vector<std::string_view> fields;
  SetLine line;
  while (!context.stopped()) {
    auto more = next_set_line(lines, line, context);
    if (!more) return more.error();
    if (!*more) break;
    const std::string_view text = line.text;
    if (trim(text).empty()) continue;
    if (text.starts_with("%%%%")) {
      const std::string_view rest = trim(text.substr(4));
      if (rest.starts_with("HASHDEEP-")) {
        if (context.info.version.empty()) context.info.version = excerpt(rest);
        continue;
      }
      std::string unknown;
      columns = parse_columns(rest, unknown);
      if (columns.size() > kMaxColumns) {
        columns.clear();
        context.problem(line.number, line.offset, "more than " + std::to_string(kMaxColumns) + " columns");
      } else if (!unknown.empty()) {
        context.problem(line.number, line.offset, "unknown column \"" + unknown + "\" ignored");
      }
      continue;
    }
    if (text.starts_with("#")) continue;
    if (columns.empty()) {
      context.problem(line.number, line.offset, "entry before the %%%% column line");
      continue;
    }
    if (!split_fields(text, columns, fields)) {
      context.problem(line.number, line.offset,
                      "expected " + std::to_string(columns.size()) + " comma-separated fields");
      continue;
    }
    KnownEntry entry;
    std::string problem;
    for (size_t i = 0; i < columns.size() && problem.empty(); ++i) {
      const std::string_view value = fields[i];
      switch (columns[i]) {
        case Column::size:
          if (auto size = parse_decimal(value)) entry.size = size;
          else problem = "size \"" + excerpt(value) + "\" is not a decimal number";
          break;
        case Column::filename: entry.name = std::string(value); break;
        case Column::ignored: break;
        case Column::md5:
        case Column::sha1:
        case Column::sha256:
        case Column::sha512: {
          if (value.empty()) break;
          static constexpr const char* kNames[] = {"", "md5", "sha1", "sha256", "sha512"};
          problem = set_digest_named(entry, kNames[static_cast<int>(columns[i])], value);
          break;
        }
      }
    }
    if (problem.empty() && !has_digest(entry)) problem = "no digest";
    if (!problem.empty()) {
      context.problem(line.number, line.offset, problem);
      continue;
    }
    context.entry(entry);
  }
  return ok_status();
}

Status read_digest_lines(SetSource& source, SetReadContext& context) {
  LineReader lines(source);
  SetLine line;
  while (!context.stopped()) {
    auto more = next_set_line(lines, line, context);
    if (!more) return more.error();
    if (!*more) break;
    if (trim(line.text).empty() || line.text.starts_with("#")) continue;
    KnownEntry entry;
    std::string problem;
    if (!parse_bsd_tag(line.text, entry, problem)) problem = parse_hex_line(line.text, entry);
    if (!problem.empty()) {
      context.problem(line.number, line.offset, problem);
      continue;
    }
    context.entry(entry);
  }
  return ok_status();
}

}  // namespace trawl::hash
