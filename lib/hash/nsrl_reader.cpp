// NIST NSRL Reference Data Sets: RDS 2.x `NSRLFile.txt` (quoted CSV) and
// RDSv3 (SQLite; the only file including <sqlite3.h>). RDSv3 comes in a
// "minimal" schema (FILE table, with or without crc32) and a "full" one
// (FILE is a view over METADATA): columns are looked up, never assumed.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "hash/set_readers.hpp"

namespace trawl::hash {
namespace {

constexpr size_t kMaxCsvFields = 64;
constexpr size_t kMaxProducts = 1'000'000;  ///< product names kept in memory (real sets: ~10^5)
constexpr size_t kMaxProductName = 256;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ---- RDS 2.x ---------------------------------------------------------------

/// One CSV record on one line: `"a","b""c",12,""`. Problem text or empty.
std::string parse_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  size_t i = 0;
  for (;;) {
    if (fields.size() == kMaxCsvFields) return "more than " + std::to_string(kMaxCsvFields) + " fields";
    std::string field;
    if (i < line.size() && line[i] == '"') {
      const size_t open = i++;
      for (;;) {
        if (i >= line.size()) return "unterminated quoted field at column " + std::to_string(open + 1);
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') return "text after a closing quote at column " + std::to_string(i + 1);
    } else {
      const size_t comma = line.find(',', i);
      const size_t stop = comma == std::string_view::npos ? line.size() : comma;
      field.assign(line.substr(i, stop - i));
      if (field.find('"') != std::string::npos) return "quote inside an unquoted field at column " + std::to_string(i + 1);
      i = stop;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return "";
    ++i;  // the comma
  }
}

struct Rds2Columns {
  int sha1 = -1, md5 = -1, sha256 = -1, name = -1, size = -1, product = -1;
  size_t count = 0;
  bool any_digest() const { return sha1 >= 0 || md5 >= 0 || sha256 >= 0; }
};

Rds2Columns map_rds2_header(const std::vector<std::string>& names) {
  Rds2Columns c;
  c.count = names.size();
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string name = lower(names[i]);
    const int at = static_cast<int>(i);
    if (name == "sha-1" || name == "sha1") c.sha1 = at;
    else if (name == "md5") c.md5 = at;
    else if (name == "sha-256" || name == "sha256") c.sha256 = at;
    else if (name == "filename") c.name = at;
    else if (name == "filesize") c.size = at;
    else if (name == "productcode") c.product = at;
  }
  return c;
}

/// NSRLProd.txt next to NSRLFile.txt, when there: ProductCode -> "name version".
std::unordered_map<uint64_t, std::string> load_rds2_products(const std::string& set_path) {
  std::unordered_map<uint64_t, std::string> products;
  const size_t slash = set_path.rfind('/');
  const std::string path = (slash == std::string::npos ? std::string() : set_path.substr(0, slash + 1)) + "NSRLProd.txt";
  auto source = SetSource::open(path);
  if (!source) return products;
  LineReader lines(*source, 64 * 1024);
  std::vector<std::string> fields;
  SetLine line;
  int code = -1, name = -1, version = -1;
  for (;;) {
    auto more = lines.next(line);
    if (!more || !*more) break;
    if (line.too_long || !parse_csv(line.text, fields).empty()) continue;
    if (code < 0) {  // the header names the columns
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string n = lower(fields[i]);
        if (n == "productcode") code = static_cast<int>(i);
        if (n == "productname") name = static_cast<int>(i);
        if (n == "productversion") version = static_cast<int>(i);
      }
      if (code < 0 || name < 0) break;
      continue;
    }
    if (fields.size() <= static_cast<size_t>(std::max({code, name, version}))) continue;
    const auto key = parse_decimal(fields[code]);
    if (!key || products.count(*key) != 0) continue;
    std::string value = fields[name];
    if (version >= 0 && !fields[version].empty()) value += " " + fields[version];
    value.resize(std::min(value.size(), kMaxProductName));
    products.emplace(*key, std::move(value));
    if (products.size() >= kMaxProducts) break;
  }
  return products;
}

// ---- RDSv3 -------------------------------------------------------------------

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

/// Bounds the work a hostile database (a recursive view, say) can demand
/// between two rows; a real set gets a budget proportional to its size.
struct StepBudget {
  uint64_t ticks = 0;  ///< progress callbacks since the last row
  uint64_t limit = 0;
};

int on_progress(void* data) {
  auto* budget = static_cast<StepBudget*>(data);
  return ++budget->ticks > budget->limit ? 1 : 0;
}

/// `file:` URI for a path: read-only and immutable, so SQLite never writes
/// or locks anything next to the set (it may sit on evidence media).
std::string readonly_uri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + "?mode=ro&immutable=1";
}

Errc sqlite_errc(int code) {
  switch (code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
    case SQLITE_ERROR: return Errc::data_loss;
    case SQLITE_NOMEM: return Errc::resource_exhausted;
    case SQLITE_CANTOPEN: return Errc::not_found;
    default: return Errc::io;
  }
}

Error db_error(sqlite3* db, int code, const std::string& what) {
  return make_error(sqlite_errc(code), what + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
}

Result<Stmt> prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return db_error(db, rc, "not an NSRL RDSv3 database");
  return stmt;
}

std::string column_text(sqlite3_stmt* stmt, int column) {
  const auto* text = sqlite3_column_text(stmt, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

/// Lower-case column names of a table or view; empty when there is none.
Result<std::vector<std::string>> table_columns(sqlite3* db, StepBudget& budget, const char* table) {
  auto stmt = prepare(db, std::string("PRAGMA table_info(\"") + table + "\")");
  if (!stmt) return stmt.error();
  std::vector<std::string> names;
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(stmt->get())) == SQLITE_ROW && names.size() < 4096) {
    budget.ticks = 0;
    names.push_back(lower(column_text(stmt->get(), 1)));
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db, rc, std::string("reading the columns of ") + table);
  return names;
}

bool has(const std::vector<std::string>& names, const char* name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// VERSION rows as "version build_set", joined with "; ".
std::string read_rds3_version(sqlite3* db, StepBudget& budget) {
  auto columns = table_columns(db, budget, "VERSION");
  if (!columns || !has(*columns, "version")) return {};
  const bool build_set = has(*columns, "build_set");
  auto stmt = prepare(db, build_set ? "SELECT version, build_set FROM VERSION" : "SELECT version FROM VERSION");
  if (!stmt) return {};
  std::string out;
  for (int rows = 0; rows < 16 && sqlite3_step(stmt->get()) == SQLITE_ROW; ++rows) {
    budget.ticks = 0;
    std::string one = column_text(stmt->get(), 0);
    if (build_set) {
      const std::string set = column_text(stmt->get(), 1);
      if (!set.empty()) one += " " + set;
    }
    if (one.empty()) continue;
    if (!out.empty()) out += "; ";
    out += one.substr(0, 128);
  }
  return out;
}

/// PKG (a table in minimal sets, a view in full ones): package_id -> "name version".
std::unordered_map<int64_t, std::string> read_rds3_packages(sqlite3* db, StepBudget& budget) {
  std::unordered_map<int64_t, std::string> packages;
  auto columns = table_columns(db, budget, "PKG");
  if (!columns || !has(*columns, "package_id") || !has(*columns, "name")) return packages;
  const bool version = has(*columns, "version");
  auto stmt = prepare(db, version ? "SELECT package_id, name, version FROM PKG" : "SELECT package_id, name FROM PKG");
  if (!stmt) return packages;
  while (sqlite3_step(stmt->get()) == SQLITE_ROW) {
    budget.ticks = 0;
    if (packages.size() >= kMaxProducts) {  // too many to keep: ids only
      packages.clear();
      break;
    }
    const int64_t id = sqlite3_column_int64(stmt->get(), 0);
    if (packages.count(id) != 0) continue;  // one row per OS/language/type: keep the first
    std::string value = column_text(stmt->get(), 1);
    if (version) {
      const std::string v = column_text(stmt->get(), 2);
      if (!v.empty()) value += " " + v;
    }
    value.resize(std::min(value.size(), kMaxProductName));
    packages.emplace(id, std::move(value));
  }
  return packages;
}

}  // namespace

Status read_nsrl_rds2(SetSource& source, SetReadContext& context) {
  const auto products = load_rds2_products(source.path());
  LineReader lines(source);
  std::vector<std::string> fields;
  Rds2Columns columns;
  SetLine line;
  while (!context.stopped()) {
    auto more = next_set_line(lines, line, context);
    if (!more) return more.error();
    if (!*more) break;
    if (line.text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (std::string problem = parse_csv(line.text, fields); !problem.empty()) {
      context.problem(line.number, line.offset, problem);
      continue;
    }
    if (lower(fields[0]) == "sha-1") {  // the header, also where sets were concatenated
      columns = map_rds2_header(fields);
      if (!columns.any_digest()) context.problem(line.number, line.offset, "header names no SHA-1, MD5 or SHA-256 column");
      continue;
    }
    if (!columns.any_digest()) {
      context.problem(line.number, line.offset, "row before the \"SHA-1\",\"MD5\",... header");
      continue;
    }
    if (fields.size() != columns.count) {
      context.problem(line.number, line.offset,
                      std::to_string(fields.size()) + " fields, the header has " + std::to_string(columns.count));
      continue;
    }
    KnownEntry entry;
    std::string problem;
    if (columns.sha1 >= 0) problem = set_digest_named(entry, "SHA-1", fields[columns.sha1]);
    if (problem.empty() && columns.md5 >= 0) problem = set_digest_named(entry, "MD5", fields[columns.md5]);
    if (problem.empty() && columns.sha256 >= 0 && !fields[columns.sha256].empty()) {
      problem = set_digest_named(entry, "SHA-256", fields[columns.sha256]);
    }
    if (problem.empty() && columns.size >= 0) {
      entry.size = parse_decimal(fields[columns.size]);
      if (!entry.size) problem = "FileSize is not a decimal number";
    }
    if (!problem.empty()) {
      context.problem(line.number, line.offset, problem);
      continue;
    }
    if (columns.name >= 0) entry.name = std::move(fields[columns.name]);
    if (columns.product >= 0 && !fields[columns.product].empty()) {
      const auto code = parse_decimal(fields[columns.product]);
      const auto found = code ? products.find(*code) : products.end();
      entry.product = found != products.end() ? found->second : "ProductCode " + fields[columns.product].substr(0, 32);
    }
    context.entry(entry);
  }
  return ok_status();
}

Status read_nsrl_rds3(SetSource& source, SetReadContext& context) {
  context.set_unit("row");
  sqlite3* raw = nullptr;
  const int open_rc = sqlite3_open_v2(readonly_uri(source.path()).c_str(), &raw,
                                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (open_rc != SQLITE_OK) return db_error(raw, open_rc, source.path() + ": cannot open as SQLite");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, 16 << 20);  // no single value larger than 16 MiB in memory
  sqlite3_exec(db.get(), "PRAGMA query_only=1; PRAGMA cell_size_check=1", nullptr, nullptr, nullptr);

  StepBudget budget;
  struct stat st {};
  const uint64_t size = ::stat(source.path().c_str(), &st) == 0 && st.st_size > 0 ? static_cast<uint64_t>(st.st_size) : 0;
  budget.limit = 100'000 + size / 16;  // one tick is 1000 VM instructions
  sqlite3_progress_handler(db.get(), 1000, on_progress, &budget);

  auto columns = table_columns(db.get(), budget, "FILE");
  if (!columns) return make_error(columns.error().code, source.path() + ": " + columns.error().detail);
  static constexpr const char* kWanted[] = {"sha256", "sha1", "md5", "file_name", "file_size", "package_id"};
  std::string select;
  int at[6];
  int count = 0;
  for (int i = 0; i < 6; ++i) {
    at[i] = has(*columns, kWanted[i]) ? count++ : -1;
    if (at[i] >= 0) select += std::string(select.empty() ? "" : ", ") + kWanted[i];
  }
  if (at[0] < 0 && at[1] < 0 && at[2] < 0) {
    return make_error(Errc::data_loss, source.path() + ": SQLite database without an NSRL FILE table (not RDSv3)");
  }
  context.info.version = read_rds3_version(db.get(), budget);
  const auto packages = at[5] >= 0 ? read_rds3_packages(db.get(), budget) : std::unordered_map<int64_t, std::string>{};

  auto stmt = prepare(db.get(), "SELECT " + select + " FROM FILE");
  if (!stmt) return make_error(stmt.error().code, source.path() + ": " + stmt.error().detail);
  uint64_t row = 0;
  budget.ticks = 0;
  while (!context.stopped()) {
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) break;
    ++row;
    if (rc != SQLITE_ROW) {  // a damaged b-tree cannot be read past
      context.problem(row, 0, (rc & 0xff) == SQLITE_INTERRUPT ? std::string("gave up: too much work for one row")
                                                               : std::string("database: ") + sqlite3_errmsg(db.get()));
      break;
    }
    budget.ticks = 0;
    KnownEntry entry;
    std::string problem;
    static constexpr const char* kAlgorithms[] = {"SHA-256", "SHA-1", "MD5"};
    for (int i = 0; i < 3 && problem.empty(); ++i) {
      if (at[i] < 0 || sqlite3_column_type(stmt->get(), at[i]) == SQLITE_NULL) continue;
      const std::string hex = column_text(stmt->get(), at[i]);
      if (!hex.empty()) problem = set_digest_named(entry, kAlgorithms[i], hex);
    }
    if (problem.empty() && at[4] >= 0 && sqlite3_column_type(stmt->get(), at[4]) != SQLITE_NULL) {
      if (sqlite3_column_type(stmt->get(), at[4]) == SQLITE_INTEGER) {
        const int64_t bytes = sqlite3_column_int64(stmt->get(), at[4]);
        if (bytes >= 0) entry.size = static_cast<uint64_t>(bytes);
      } else {
        entry.size = parse_decimal(column_text(stmt->get(), at[4]));
      }
      if (!entry.size) problem = "file_size is not a non-negative integer";
    }
    if (problem.empty() && !has_digest(entry)) problem = "no digest";
    if (!problem.empty()) {
      context.problem(row, 0, problem);
      continue;
    }
    if (at[3] >= 0) entry.name = column_text(stmt->get(), at[3]);
    if (at[5] >= 0 && sqlite3_column_type(stmt->get(), at[5]) != SQLITE_NULL) {
      const int64_t id = sqlite3_column_int64(stmt->get(), at[5]);
      const auto found = packages.find(id);
      entry.product = found != packages.end() ? found->second : "package " + std::to_string(id);
    }
    context.entry(entry);
  }
  return ok_status();
}

}  // namespace trawl::hash
