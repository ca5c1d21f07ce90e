#include "hash/known_set.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hash/digest.hpp"

namespace trawl::hash {
namespace {

// Digests of the fixture tree in scripts/make-set-fixtures.
constexpr const char* kAlphaMd5 = "9f9f90dbe3e5ee1218c86b8839db1995";
constexpr const char* kAlphaSha1 = "d046cd9b7ffb7661e449683313d41f6fc33e3130";
constexpr const char* kAlphaSha256 = "b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060";
constexpr const char* kBetaMd5 = "57a9abf56648bed40162ba3a384710ea";
constexpr const char* kBetaSha1 = "935afd0eb225fa8d80431d7535c3f937a8dcda63";
constexpr const char* kBetaSha256 = "77e4ae400f6bd4ea22d74a712cb25af0e1ef2d15fc06561817af047677afa7fc";
constexpr const char* kCommaMd5 = "1bbc21b867141f772a80b19630c7eefd";
constexpr const char* kCommaSha1 = "76e3d9710982899e7f8afe0354cd61d6cef550ee";
constexpr const char* kCommaSha256 = "0e5f57a992f1f5cee18a1df089d73762b794d0c4af0eabf5f6b98f2d5a22bfca";

std::string fixture(const std::string& name) { return std::string(TRAWL_SOURCE_DIR) + "/tests/data/sets/" + name; }

template <size_t N>
std::string hex(const std::optional<std::array<uint8_t, N>>& digest) {
  return digest ? to_hex(std::span<const unsigned char>(digest->data(), N)) : std::string("-");
}

struct Loaded {
  Result<SetInfo> result = make_error(Errc::internal, "not run");
  std::vector<KnownEntry> entries;
  std::vector<SetProblem> problems;
};

Loaded load(const std::string& path, bool strict = false) {
  Loaded out;
  out.result = read_known_set(
      path,
      [&](const KnownEntry& e) {
        out.entries.push_back(e);
        return true;
      },
      [&](const SetProblem& p) { out.problems.push_back(p); }, strict);
  return out;
}

Loaded load_fixture(const std::string& name, bool strict = false) {
  const std::string path = fixture(name);
  REQUIRE_MESSAGE(std::filesystem::exists(path), "missing fixture " << name << " (scripts/make-set-fixtures)");
  return load(path, strict);
}

/// A scratch directory removed at scope exit.
using test::TempDir;

void check_problem(const Loaded& loaded, size_t index, uint64_t line, const std::string& message) {
  REQUIRE(index < loaded.problems.size());
  CHECK(loaded.problems[index].line == line);
  CHECK(loaded.problems[index].message == message);
}

}  // namespace

TEST_CASE("KnownSet: format names are stable") {
  CHECK(std::string(set_format_name(SetFormat::hashdeep)) == "hashdeep");
  CHECK(std::string(set_format_name(SetFormat::md5sum)) == "md5sum");
  CHECK(std::string(set_format_name(SetFormat::plain)) == "plain");
  CHECK(std::string(set_format_name(SetFormat::nsrl_rds2)) == "nsrl-rds2");
  CHECK(std::string(set_format_name(SetFormat::nsrl_rds3)) == "nsrl-rds3");
  CHECK(std::string(set_format_name(SetFormat::vics)) == "vics");
  CHECK(std::string(set_format_name(SetFormat::pdq)) == "pdq");
}

TEST_CASE("KnownSet: hashdeep output of the real tool") {
  auto loaded = load_fixture("hashdeep.txt");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->format == SetFormat::hashdeep);
  CHECK(loaded.result->version == "HASHDEEP-1.0");
  CHECK(loaded.result->entries == 4);
  CHECK(loaded.result->problems == 0);
  REQUIRE(loaded.entries.size() == 4);
  const auto& empty = loaded.entries[0];
  CHECK(empty.name == "tree/empty.txt");
  CHECK(empty.size == 0);
  CHECK(hex(empty.md5) == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(hex(empty.sha256) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(!empty.sha1);
  CHECK(loaded.entries[2].name == "tree/sub/name, with comma.txt");  // extra commas belong to the name
  CHECK(hex(loaded.entries[2].md5) == kCommaMd5);
  CHECK(hex(loaded.entries[2].sha256) == kCommaSha256);
  CHECK(loaded.entries[3].name == "tree/alpha.txt");
  CHECK(loaded.entries[3].size == 6);
  CHECK(hex(loaded.entries[3].md5) == kAlphaMd5);
  CHECK(hex(loaded.entries[3].sha256) == kAlphaSha256);
}

TEST_CASE("KnownSet: hashdeep columns in any order and subset") {
  auto loaded = load_fixture("hashdeep-columns.txt");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 5);
  CHECK(loaded.entries[0].name == "alpha.txt");
  CHECK(hex(loaded.entries[0].sha256) == kAlphaSha256);
  CHECK(hex(loaded.entries[0].md5) == kAlphaMd5);
  CHECK(loaded.entries[0].size == 6);
  CHECK(loaded.entries[1].name == "sub/name, with comma.txt");
  CHECK(hex(loaded.entries[1].md5) == kCommaMd5);
  CHECK(!loaded.entries[1].size);
  // filename first: the commas left over after the last columns are the name's
  CHECK(loaded.entries[2].name == "sub/name, with comma.txt");
  CHECK(hex(loaded.entries[2].sha1) == kCommaSha1);
  CHECK(loaded.entries[2].size == 20);
  CHECK(hex(loaded.entries[3].sha1) == kBetaSha1);  // upper-case hex
  CHECK(hex(loaded.entries[4].sha1) == kBetaSha1);  // tiger column ignored
  CHECK(loaded.entries[4].name == "sub/beta.txt");
}

TEST_CASE("KnownSet: hashdeep malformed lines are skipped") {
  auto loaded = load_fixture("hashdeep-bad.txt");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->entries == 2);
  CHECK(loaded.result->problems == 6);
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[0].name == "alpha.txt");
  CHECK(loaded.entries[1].name == "sub/beta.txt");
  CHECK(hex(loaded.entries[1].md5) == kBetaMd5);
  check_problem(loaded, 0, 2, "entry before the %%%% column line");
  CHECK(loaded.problems[0].offset == 18);
  check_problem(loaded, 1, 5, "not a hex digit at position 32 of the digest");
  check_problem(loaded, 2, 6, "md5 digest of 30 hex digits, expected 32");
  check_problem(loaded, 3, 7, "size \"six\" is not a decimal number");
  check_problem(loaded, 4, 8, "expected 4 comma-separated fields");
  check_problem(loaded, 5, 9, "unknown column \"colour\" ignored");

  SUBCASE("strict stops at the first problem") {
    auto strict = load_fixture("hashdeep-bad.txt", true);
    REQUIRE(!strict.result.ok());
    CHECK(strict.result.error().code == Errc::data_loss);
    CHECK(strict.result.error().detail == "line 2: entry before the %%%% column line");
    CHECK(strict.entries.empty());
    CHECK(strict.problems.size() == 1);
  }
}

TEST_CASE("KnownSet: md5sum and sha*sum GNU output") {
  auto md5 = load_fixture("md5sum.txt");
  REQUIRE(md5.result.ok());
  CHECK(md5.result->format == SetFormat::md5sum);
  REQUIRE(md5.entries.size() == 4);
  CHECK(md5.entries[0].name == "alpha.txt");
  CHECK(hex(md5.entries[0].md5) == kAlphaMd5);
  CHECK(md5.entries[2].name == "sub/name, with comma.txt");
  CHECK(md5.entries[3].name == "empty.txt");

  auto sha1 = load_fixture("sha1sum.txt");  // binary mode: "hex *name"
  REQUIRE(sha1.result.ok());
  REQUIRE(sha1.entries.size() == 2);
  CHECK(sha1.entries[1].name == "sub/beta.txt");
  CHECK(hex(sha1.entries[1].sha1) == kBetaSha1);

  auto sha256 = load_fixture("sha256sum.txt");
  REQUIRE(sha256.result.ok());
  REQUIRE(sha256.entries.size() == 2);
  CHECK(hex(sha256.entries[1].sha256) == kBetaSha256);

  auto sha512 = load_fixture("sha512sum.txt");
  REQUIRE(sha512.result.ok());
  REQUIRE(sha512.entries.size() == 1);
  CHECK(sha512.entries[0].sha512.has_value());
  CHECK(sha512.entries[0].name == "alpha.txt");

  auto crlf = load_fixture("md5sum-crlf.txt");
  REQUIRE(crlf.result.ok());
  REQUIRE(crlf.entries.size() == 4);
  CHECK(crlf.entries[0].name == "alpha.txt");  // no trailing CR
}

TEST_CASE("KnownSet: BSD tag lines and escaped names") {
  auto md5 = load_fixture("md5sum-tag.txt");
  REQUIRE(md5.result.ok());
  CHECK(md5.result->format == SetFormat::md5sum);
  REQUIRE(md5.entries.size() == 2);
  CHECK(md5.entries[0].name == "alpha.txt");
  CHECK(hex(md5.entries[0].md5) == kAlphaMd5);

  auto sha256 = load_fixture("sha256sum-tag.txt");
  REQUIRE(sha256.result.ok());
  REQUIRE(sha256.entries.size() == 2);
  CHECK(sha256.entries[1].name == "sub/beta.txt");
  CHECK(hex(sha256.entries[1].sha256) == kBetaSha256);

  auto escaped = load_fixture("md5sum-escaped.txt");
  REQUIRE(escaped.result.ok());
  CHECK(escaped.problems.empty());
  REQUIRE(escaped.entries.size() == 4);
  CHECK(escaped.entries[0].name == "back\\slash.txt");
  CHECK(escaped.entries[1].name == "new\nline.txt");
  CHECK(escaped.entries[2].name == "back\\slash.txt");
  CHECK(escaped.entries[3].name == "new\nline.txt");
  CHECK(hex(escaped.entries[0].md5) == hex(escaped.entries[2].md5));
}

TEST_CASE("KnownSet: plain lists pick the algorithm by length") {
  auto loaded = load_fixture("plain.txt");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->format == SetFormat::plain);
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 4);
  CHECK(hex(loaded.entries[0].md5) == kAlphaMd5);
  CHECK(loaded.entries[0].name.empty());
  CHECK(hex(loaded.entries[1].sha1) == kBetaSha1);
  CHECK(loaded.entries[1].name == "sub/beta.txt");
  CHECK(hex(loaded.entries[2].sha256) == kCommaSha256);
  CHECK(loaded.entries[2].name == "sub/name, with comma.txt");
  CHECK(loaded.entries[3].sha512.has_value());
}

TEST_CASE("KnownSet: malformed digest lines are skipped") {
  auto loaded = load_fixture("digest-lines-bad.txt");
  REQUIRE(loaded.result.ok());
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[1].name == "sub/beta.txt");
  REQUIRE(loaded.problems.size() == 5);
  check_problem(loaded, 0, 2, "not a hex digit at position 29 of the digest");
  check_problem(loaded, 1, 3, "digest of 56 hex digits is none of MD5 (32), SHA-1 (40), SHA-256 (64), SHA-512 (128)");
  check_problem(loaded, 2, 4, "unsupported algorithm SHA384");
  check_problem(loaded, 3, 5, "MD5 digest of 40 hex digits, expected 32");
  check_problem(loaded, 4, 6, "not a digest line: \"just some words\"");

  auto strict = load_fixture("digest-lines-bad.txt", true);
  REQUIRE(!strict.result.ok());
  CHECK(strict.result.error().detail == "line 2: not a hex digit at position 29 of the digest");
  CHECK(strict.entries.size() == 1);
}

TEST_CASE("KnownSet: NSRL RDS 2.x NSRLFile.txt with NSRLProd.txt") {
  auto loaded = load_fixture("rds2/NSRLFile.txt");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->format == SetFormat::nsrl_rds2);
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 3);
  CHECK(hex(loaded.entries[0].sha1) == "00d10345a9c1b6e1a4d4be5a6a1a35a6c2e452ec");
  CHECK(hex(loaded.entries[0].md5) == "2193697c5e3d4f1f0a6be5d6a0c9fcde");
  CHECK(loaded.entries[0].name == "INFODESK.IC$");
  CHECK(loaded.entries[0].size == 503);
  CHECK(loaded.entries[0].product == "Info Desk 1.0");
  CHECK(hex(loaded.entries[1].md5) == kAlphaMd5);
  CHECK(loaded.entries[1].product == "Trawl Fixture Suite 2.5");
  CHECK(loaded.entries[2].name == "name, with \"comma\".txt");  // quoted comma and doubled quotes
  CHECK(loaded.entries[2].product == "ProductCode 77");            // not in NSRLProd.txt
  CHECK(!loaded.entries[2].sha256);
}

TEST_CASE("KnownSet: NSRL RDS 2.x malformed rows are skipped") {
  auto loaded = load_fixture("rds2-bad/NSRLFile.txt");
  REQUIRE(loaded.result.ok());
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[1].name == "sub/beta.txt");
  CHECK(loaded.entries[1].product == "ProductCode 9");  // no NSRLProd.txt next to it
  REQUIRE(loaded.problems.size() == 5);
  check_problem(loaded, 0, 3, "unterminated quoted field at column 90");
  check_problem(loaded, 1, 4, "text after a closing quote at column 97");
  check_problem(loaded, 2, 5, "5 fields, the header has 8");
  check_problem(loaded, 3, 6, "not a hex digit at position 1 of the digest");
  check_problem(loaded, 4, 7, "FileSize is not a decimal number");

  auto strict = load_fixture("rds2-bad/NSRLFile.txt", true);
  REQUIRE(!strict.result.ok());
  CHECK(strict.result.error().detail == "line 3: unterminated quoted field at column 90");
}

TEST_CASE("KnownSet: NSRL RDSv3 minimal schema") {
  auto loaded = load_fixture("rds3-minimal.db");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->format == SetFormat::nsrl_rds3);
  CHECK(loaded.result->version == "2024.03.1 modern_minimal");
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 3);
  CHECK(hex(loaded.entries[0].sha256) == kAlphaSha256);
  CHECK(hex(loaded.entries[0].sha1) == kAlphaSha1);
  CHECK(hex(loaded.entries[0].md5) == kAlphaMd5);
  CHECK(loaded.entries[0].name == "alpha.txt");
  CHECK(loaded.entries[0].size == 6);
  CHECK(loaded.entries[0].product == "Trawl Fixture Suite 2.5");
  CHECK(loaded.entries[1].product == "Other Package 1.0");
  CHECK(loaded.entries[2].name == "name, with comma.txt");
  CHECK(loaded.entries[2].product == "package 999");

  auto old = load_fixture("rds3-minimal-old.db");  // FILE without crc32
  REQUIRE(old.result.ok());
  CHECK(old.result->version == "2022.03.1 legacy_minimal");
  REQUIRE(old.entries.size() == 2);
  CHECK(hex(old.entries[1].sha256) == kBetaSha256);
  CHECK(old.entries[1].size == 10);
}

TEST_CASE("KnownSet: NSRL RDSv3 full schema reads the FILE and PKG views") {
  auto loaded = load_fixture("rds3-full.db");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->version == "2024.03.1 modern");
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[0].name == "alpha.txt");
  CHECK(hex(loaded.entries[0].md5) == kAlphaMd5);
  CHECK(hex(loaded.entries[0].sha256) == kAlphaSha256);
  CHECK(loaded.entries[0].product == "Full Suite 3.0");
  CHECK(loaded.entries[1].size == 10);
}

TEST_CASE("KnownSet: NSRL RDSv3 is opened read-only and leaves its directory alone") {
  TempDir dir;
  const auto db = dir.path / "set.db";
  std::filesystem::copy_file(fixture("rds3-minimal.db"), db);
  struct stat before {};
  REQUIRE(::stat(db.c_str(), &before) == 0);
  auto loaded = load(db.string());
  REQUIRE(loaded.result.ok());
  CHECK(loaded.entries.size() == 3);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path)) ++files;
  CHECK(files == 1);  // no -journal, -wal or -shm
  struct stat after {};
  REQUIRE(::stat(db.c_str(), &after) == 0);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(after.st_size == before.st_size);

  SUBCASE("a path with URI characters") {
    const auto odd = dir.path / "odd ?#%name.db";
    std::filesystem::copy_file(fixture("rds3-minimal.db"), odd);
    auto again = load(odd.string());
    REQUIRE(again.result.ok());
    CHECK(again.entries.size() == 3);
  }
}

TEST_CASE("KnownSet: NSRL RDSv3 bad rows and bad databases") {
  auto loaded = load_fixture("rds3-bad.db");
  REQUIRE(loaded.result.ok());
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[1].name == "beta.txt");
  REQUIRE(loaded.problems.size() == 3);
  check_problem(loaded, 0, 2, "not a hex digit at position 1 of the digest");
  check_problem(loaded, 1, 3, "file_size is not a non-negative integer");
  check_problem(loaded, 2, 4, "no digest");

  auto strict = load_fixture("rds3-bad.db", true);
  REQUIRE(!strict.result.ok());
  CHECK(strict.result.error().code == Errc::data_loss);
  CHECK(strict.result.error().detail == "row 2: not a hex digit at position 1 of the digest");

  auto other = load_fixture("rds3-not-nsrl.db");
  REQUIRE(!other.result.ok());
  CHECK(other.result.error().code == Errc::data_loss);
  CHECK(other.result.error().detail.find("without an NSRL FILE table") != std::string::npos);

  auto truncated = load_fixture("rds3-truncated.db");
  CHECK(truncated.entries.empty());
  if (truncated.result.ok()) {
    REQUIRE(truncated.problems.size() == 1);
    CHECK(truncated.problems[0].message.starts_with("database: "));
  } else {
    CHECK(truncated.result.error().code == Errc::data_loss);
  }
}

namespace {

void check_vics_media(const std::string& name, const std::string& version) {
  CAPTURE(name);
  auto loaded = load_fixture(name);
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->format == SetFormat::vics);
  CHECK(loaded.result->version == version);
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 3);
  const auto& a = loaded.entries[0];
  CHECK(hex(a.md5) == kAlphaMd5);
  CHECK(hex(a.sha1) == kAlphaSha1);
  CHECK(a.category == "0");
  CHECK(a.media_id == "0");
  CHECK(a.size == 6);  // "MediaSize":"6"
  CHECK(a.victim_identified == false);
  CHECK(a.is_distributed == true);
  CHECK(a.series == "S-1");
  CHECK(a.photodna == std::string(288, 'a'));
  CHECK(a.name == "alpha.txt");  // the first MediaFiles name
  const auto& b = loaded.entries[1];
  CHECK(hex(b.md5) == kBetaMd5);  // upper-case in the file
  CHECK(!b.sha1);                 // "SHA1":null
  CHECK(b.category.empty());      // "Category":null
  CHECK(b.size == 10);            // "MediaSize":10
  CHECK(b.name == "beta.txt");    // Name before RelativeFilePath
  CHECK(b.media_id == "17");
  const auto& c = loaded.entries[2];
  CHECK(!c.md5);  // "MD5":""
  CHECK(hex(c.sha1) == kCommaSha1);
  CHECK(c.category == "2");
  CHECK(c.media_id.empty());
  CHECK(!c.size);
  CHECK(c.victim_identified == true);  // "true" as a string
  CHECK(c.series == "42");
}

void check_vics_cases(const std::string& name, const std::string& version) {
  CAPTURE(name);
  auto loaded = load_fixture(name);
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->version == version);
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 3);
  CHECK(hex(loaded.entries[0].md5) == kAlphaMd5);
  CHECK(hex(loaded.entries[0].sha1) == kAlphaSha1);
  CHECK(loaded.entries[0].category == "1");
  CHECK(loaded.entries[0].name == "alpha.txt");
  CHECK(loaded.entries[0].size == 6);
  CHECK(hex(loaded.entries[1].md5) == kBetaMd5);
  CHECK(loaded.entries[1].media_id == "2");
  CHECK(loaded.entries[1].category == "3");
  CHECK(loaded.entries[1].size == 10);
  CHECK(loaded.entries[1].is_distributed == false);  // 0
  CHECK(hex(loaded.entries[2].sha1) == kCommaSha1);
  CHECK(loaded.entries[2].category == "4");
  CHECK(loaded.entries[2].name == "name, with comma.txt");
}

}  // namespace

TEST_CASE("KnownSet: VICS Media lists, versions 1.1 to 2.0") {
  check_vics_media("vics-1.1-media.json", "http://github.com/ICMEC/ProjectVic/DataModels/1.1.xml#Media");
  check_vics_media("vics-1.2-media.json", "http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media");
  check_vics_media("vics-1.3-media.json", "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media");
  check_vics_media("vics-2.0-media.json",
                   "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media");
}

TEST_CASE("KnownSet: VICS Case documents, versions 1.1 to 2.0") {
  check_vics_cases("vics-1.1-cases.json", "http://github.com/ICMEC/ProjectVic/DataModels/1.1.xml#Cases");
  check_vics_cases("vics-1.2-cases.json", "http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Cases");
  check_vics_cases("vics-1.3-cases.json", "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases");
  check_vics_cases("vics-2.0-cases.json",
                   "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Cases");
}

TEST_CASE("KnownSet: VICS malformed media elements are skipped") {
  auto loaded = load_fixture("vics-bad.json");
  REQUIRE(loaded.result.ok());
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[0].media_id == "1");
  CHECK(loaded.entries[1].media_id == "7");
  CHECK(loaded.entries[1].category == "5");
  REQUIRE(loaded.problems.size() == 7);
  check_problem(loaded, 0, 3, "not a hex digit at position 32 of the digest");
  check_problem(loaded, 1, 4, "MD5 digest of 30 hex digits, expected 32");
  check_problem(loaded, 2, 5, "media element without MD5 or SHA1");
  check_problem(loaded, 3, 6, "media element is not an object");
  check_problem(loaded, 4, 7, "MD5 is not a string");
  check_problem(loaded, 5, 8, "MediaSize is not a byte count");
  check_problem(loaded, 6, 9, "media element is an array, not an object");
  CHECK(loaded.problems[0].offset == 161);  // the element's '{'

  auto strict = load_fixture("vics-bad.json", true);
  REQUIRE(!strict.result.ok());
  CHECK(strict.result.error().detail == "line 3: not a hex digit at position 32 of the digest");
  CHECK(strict.entries.size() == 1);
}

TEST_CASE("KnownSet: VICS truncated and non-VICS JSON") {
  auto truncated = load_fixture("vics-truncated.json");
  REQUIRE(truncated.result.ok());
  CHECK(truncated.entries.empty());
  REQUIRE(truncated.problems.size() == 1);
  CHECK(truncated.problems[0].message.starts_with("JSON: "));
  CHECK(truncated.problems[0].offset == 300);
  auto strict = load_fixture("vics-truncated.json", true);
  REQUIRE(!strict.result.ok());
  CHECK(strict.result.error().code == Errc::data_loss);
  CHECK(strict.result.error().detail.starts_with("line 3: JSON: "));

  auto other = load_fixture("not-vics.json");
  REQUIRE(!other.result.ok());
  CHECK(other.result.error().code == Errc::data_loss);
}

TEST_CASE("KnownSet: VICS limits on tokens and nesting") {
  TempDir dir;
  const std::string odata = R"({"odata.metadata":"x#Media","value":[)";
  const std::string good = R"({"MD5":")" + std::string(kAlphaMd5) + R"("})";
  auto long_string = load(dir.write("long.json", odata + good + R"(,{"Name":")" + std::string(2 << 20, 'n') + "\"}]}"));
  REQUIRE(long_string.result.ok());
  CHECK(long_string.entries.size() == 1);
  REQUIRE(long_string.problems.size() == 1);
  CHECK(long_string.problems[0].message == "a string or number longer than 1048576 bytes");

  std::string deep = odata + good + R"(,{"MD5":")" + kBetaMd5 + R"(","Tags":)";
  for (int i = 0; i < 1000; ++i) deep += "[";
  auto nested = load(dir.write("deep.json", deep));
  REQUIRE(nested.result.ok());
  CHECK(nested.entries.size() == 1);
  REQUIRE(nested.problems.size() == 1);
  CHECK(nested.problems[0].message == "nesting deeper than 256");
}

TEST_CASE("KnownSet: PDQ lists") {
  auto loaded = load_fixture("pdq.txt");
  REQUIRE(loaded.result.ok());
  CHECK(loaded.result->format == SetFormat::pdq);
  CHECK(loaded.problems.empty());
  REQUIRE(loaded.entries.size() == 4);
  CHECK(hex(loaded.entries[0].pdq) == "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22");
  CHECK(loaded.entries[0].pdq_quality == 100);
  CHECK(loaded.entries[0].name == "bridge-1-original.jpg");
  CHECK(loaded.entries[1].pdq_quality == 47);
  CHECK(hex(loaded.entries[2].pdq) == hex(loaded.entries[0].pdq));  // upper case
  CHECK(loaded.entries[2].name.empty());
  CHECK(!loaded.entries[3].pdq_quality);  // hash,filename
  CHECK(loaded.entries[3].name == "name, with comma.jpg");
  CHECK(!loaded.entries[0].md5);
}

TEST_CASE("KnownSet: PDQ malformed lines are skipped") {
  auto loaded = load_fixture("pdq-bad.txt");
  REQUIRE(loaded.result.ok());
  REQUIRE(loaded.entries.size() == 2);
  CHECK(loaded.entries[1].name == "small.jpg");
  REQUIRE(loaded.problems.size() == 4);
  check_problem(loaded, 0, 2, "PDQ hash of 63 hex digits, expected 64");
  check_problem(loaded, 1, 3, "not a hex digit at position 63 of the PDQ hash");
  check_problem(loaded, 2, 4, "quality is not an integer from 0 to 100");
  check_problem(loaded, 3, 5, "quality is not an integer from 0 to 100");
  CHECK(loaded.problems[0].offset == 78);
}

TEST_CASE("KnownSet: files that are no set") {
  for (const char* name : {"not-a-set.txt", "empty.txt", "binary.bin"}) {
    CAPTURE(name);
    auto loaded = load_fixture(name);
    REQUIRE(!loaded.result.ok());
    CHECK(loaded.result.error().code == Errc::data_loss);
    CHECK(loaded.result.error().detail.find("not a known set format") != std::string::npos);
  }
  auto missing = load(fixture("no-such-set.txt"));
  REQUIRE(!missing.result.ok());
  CHECK(missing.result.error().code == Errc::not_found);
  auto directory = load(fixture(""));
  REQUIRE(!directory.result.ok());
  CHECK(directory.result.error().code == Errc::io);
}

TEST_CASE("KnownSet: the entry visitor can stop the read") {
  size_t seen = 0;
  auto result = read_known_set(
      fixture("hashdeep.txt"), [&](const KnownEntry&) { return ++seen < 2; }, nullptr);
  REQUIRE(result.ok());
  CHECK(seen == 2);
  CHECK(result->entries == 2);

  seen = 0;
  auto vics = read_known_set(
      fixture("vics-2.0-cases.json"), [&](const KnownEntry&) { return ++seen < 1; }, nullptr);
  REQUIRE(vics.ok());
  CHECK(seen == 1);
}

TEST_CASE("KnownSet: long inputs, over-long lines and pipes") {
  TempDir dir;
  SUBCASE("many lines cross every buffer boundary") {
    std::string text;
    for (int i = 0; i < 100000; ++i) {
      char line[64];
      std::snprintf(line, sizeof line, "%032x  file-%d\n", i, i);
      text += line;
    }
    auto loaded = load(dir.write("many.txt", text));
    REQUIRE(loaded.result.ok());
    CHECK(loaded.problems.empty());
    REQUIRE(loaded.entries.size() == 100000);
    CHECK(loaded.entries[99999].name == "file-99999");
    CHECK(hex(loaded.entries[99999].md5) == "0000000000000000000000000001869f");
  }
  SUBCASE("an over-long line is one problem") {
    const std::string first = std::string(kAlphaMd5) + "  a\n";
    auto loaded = load(dir.write("long.txt", first + std::string(3 << 20, 'x') + "\n" + kBetaMd5 + "  b"));
    REQUIRE(loaded.result.ok());
    REQUIRE(loaded.entries.size() == 2);
    CHECK(loaded.entries[1].name == "b");
    REQUIRE(loaded.problems.size() == 1);
    check_problem(loaded, 0, 2, "line longer than 1048576 bytes");
    CHECK(loaded.problems[0].offset == first.size());
  }
  SUBCASE("a pipe reads like a file") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string text = std::string(kAlphaMd5) + "  alpha.txt\n";
    REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fds[1]);
    auto loaded = load("/proc/self/fd/" + std::to_string(fds[0]));
    ::close(fds[0]);
    REQUIRE(loaded.result.ok());
    REQUIRE(loaded.entries.size() == 1);
    CHECK(loaded.entries[0].name == "alpha.txt");
  }
}

}  // namespace trawl::hash
