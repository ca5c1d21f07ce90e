#include "hash/set_index.hpp"

#include <dirent.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "hash/index_build.hpp"
#include "hash/index_format.hpp"

namespace trawl::hash {
namespace {

/// A fresh directory under $TMPDIR, removed with its files at the end.
struct TempDir {
  std::string path;
  TempDir() {
    path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/set-index-test-XXXXXX";
    REQUIRE(mkdtemp(path.data()) != nullptr);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    if (DIR* d = opendir(path.c_str())) {
      while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') out.emplace_back(e->d_name);
      closedir(d);
    }
    return out;
  }
};

template <size_t N>
std::array<uint8_t, N> random_digest(std::mt19937_64& rng) {
  std::array<uint8_t, N> d{};
  for (auto& b : d) b = static_cast<uint8_t>(rng());
  return d;
}

/// An entry carrying a random digest of `a` only.
KnownEntry entry_with(Algorithm a, std::mt19937_64& rng) {
  KnownEntry e;
  switch (a) {
    case Algorithm::md5: e.md5 = random_digest<16>(rng); break;
    case Algorithm::sha1: e.sha1 = random_digest<20>(rng); break;
    case Algorithm::sha256: e.sha256 = random_digest<32>(rng); break;
    case Algorithm::sha512: e.sha512 = random_digest<64>(rng); break;
  }
  return e;
}

std::vector<uint8_t> digest_of(const KnownEntry& e, Algorithm a) {
  switch (a) {
    case Algorithm::md5: return e.md5 ? std::vector<uint8_t>(e.md5->begin(), e.md5->end()) : std::vector<uint8_t>{};
    case Algorithm::sha1: return e.sha1 ? std::vector<uint8_t>(e.sha1->begin(), e.sha1->end()) : std::vector<uint8_t>{};
    case Algorithm::sha256: return e.sha256 ? std::vector<uint8_t>(e.sha256->begin(), e.sha256->end()) : std::vector<uint8_t>{};
    case Algorithm::sha512: return e.sha512 ? std::vector<uint8_t>(e.sha512->begin(), e.sha512->end()) : std::vector<uint8_t>{};
  }
  return {};
}

EntryStream stream_of(const std::vector<KnownEntry>& entries) {
  return [&entries](const EntryVisitor& visit, IndexMeta&) -> Status {
    for (const auto& e : entries)
      if (!visit(e)) break;
    return ok_status();
  };
}

BuildOptions options_for(const TempDir& dir, uint64_t budget = 64ull << 20) {
  BuildOptions o;
  o.meta.name = "test set";
  o.meta.kind = SetKind::bad;
  o.meta.version = "v1; v2";
  o.meta.sources = {"a.txt", "b.hsh"};
  o.temp_dir = dir.path;
  o.memory_budget = budget;
  return o;
}

SetIndex build_and_open(const std::vector<KnownEntry>& entries, const TempDir& dir, BuildStats* stats = nullptr) {
  const std::string path = dir.path + "/set.tidx";
  auto built = build_index_from(stream_of(entries), path, options_for(dir));
  REQUIRE_MESSAGE(built.ok(), built.error().detail);
  if (stats != nullptr) *stats = *built;
  auto index = SetIndex::open(path);
  REQUIRE_MESSAGE(index.ok(), index.error().detail);
  return std::move(*index);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string open_error(const std::string& path) {
  auto index = SetIndex::open(path);
  return index.ok() ? std::string("opened") : index.error().detail;
}

}  // namespace

TEST_CASE("SetIndex: every inserted key is found and random keys are not, for each algorithm") {
  for (Algorithm a : {Algorithm::md5, Algorithm::sha1, Algorithm::sha256, Algorithm::sha512}) {
    CAPTURE(algorithm_name(a));
    TempDir dir;
    std::mt19937_64 rng(static_cast<uint64_t>(a) + 1);
    std::vector<KnownEntry> entries;
    for (int i = 0; i < 5000; ++i) entries.push_back(entry_with(a, rng));
    BuildStats stats;
    SetIndex index = build_and_open(entries, dir, &stats);
    CHECK(stats.meta.entries == 5000);
    CHECK(index.meta().entries == 5000);
    CHECK(index.meta().name == "test set");
    CHECK(index.meta().version == "v1; v2");
    CHECK(index.meta().sources == std::vector<std::string>{"a.txt", "b.hsh"});
    CHECK(index.algorithms() == std::vector<Algorithm>{a});
    std::set<uint64_t> ids;
    for (const auto& e : entries) {
      const auto d = digest_of(e, a);
      REQUIRE(index.contains(a, d));
      const auto found = index.find(a, d);
      REQUIRE(found.size() == 1);
      ids.insert(found[0].entry);
      CHECK(found[0].provenance.name.empty());
    }
    CHECK(ids.size() == 5000);
    CHECK(*ids.rbegin() == 4999);
    int misses = 0;
    for (int i = 0; i < 5000; ++i) {
      const auto d = digest_of(entry_with(a, rng), a);
      misses += !index.contains(a, d) && index.find(a, d).empty();
    }
    CHECK(misses == 5000);
    // Other algorithms and wrong lengths find nothing.
    const auto d = digest_of(entries[0], a);
    for (Algorithm other : {Algorithm::md5, Algorithm::sha1, Algorithm::sha256, Algorithm::sha512})
      if (other != a) CHECK_FALSE(index.contains(other, std::vector<uint8_t>(digest_size(other), d[0])));
    CHECK_FALSE(index.contains(a, std::span<const uint8_t>(d).first(d.size() - 1)));
    CHECK(index.find(a, std::span<const uint8_t>()).empty());
    CHECK(dir.files() == std::vector<std::string>{"set.tidx"});  // no .partial, no runs left
  }
}

TEST_CASE("SetIndex: contains_many answers exactly as contains, in any batch size") {
  for (Algorithm a : {Algorithm::md5, Algorithm::sha1, Algorithm::sha256}) {
    CAPTURE(algorithm_name(a));
    TempDir dir;
    std::mt19937_64 rng(static_cast<uint64_t>(a) + 40);
    std::vector<KnownEntry> entries;
    for (int i = 0; i < 3000; ++i) entries.push_back(entry_with(a, rng));
    SetIndex index = build_and_open(entries, dir);
    // Interleave inserted and random keys so hits and misses share the pipeline.
    std::vector<uint8_t> keys;
    std::vector<uint8_t> expected;
    for (int i = 0; i < 3000; ++i) {
      const auto d = digest_of(i % 3 == 0 ? entry_with(a, rng) : entries[static_cast<size_t>(i)], a);
      keys.insert(keys.end(), d.begin(), d.end());
      expected.push_back(index.contains(a, d) ? 1 : 0);
    }
    const size_t width = digest_size(a);
    for (size_t batch : {size_t{1}, size_t{5}, size_t{12}, size_t{25}, size_t{3000}}) {
      CAPTURE(batch);
      std::vector<uint8_t> found(expected.size(), 7);
      size_t hits = 0;
      for (size_t at = 0; at < expected.size(); at += batch) {
        const size_t n = std::min(batch, expected.size() - at);
        hits += index.contains_many(a, std::span<const uint8_t>(keys).subspan(at * width, n * width),
                                    std::span<uint8_t>(found).subspan(at, n));
      }
      CHECK(found == expected);
      CHECK(hits == 2000);
    }
    // Another algorithm: nothing found, every flag cleared.
    const Algorithm other = a == Algorithm::md5 ? Algorithm::sha1 : Algorithm::md5;
    std::vector<uint8_t> other_keys(digest_size(other) * 4, 0xAB), flags(4, 9);
    CHECK(index.contains_many(other, other_keys, flags) == 0);
    CHECK(flags == std::vector<uint8_t>(4, 0));
  }
}

TEST_CASE("SetIndex: duplicates collapse; the same digest with different provenance keeps every entry") {
  TempDir dir;
  std::mt19937_64 rng(7);
  KnownEntry x = entry_with(Algorithm::sha1, rng), y = entry_with(Algorithm::sha1, rng);
  KnownEntry xa = x, xb = x;
  xa.name = "a.exe";
  xb.name = "b.exe";
  const std::vector<KnownEntry> entries = {xa, y, xa, xb, y, xa, y};
  BuildStats stats;
  SetIndex index = build_and_open(entries, dir, &stats);
  CHECK(stats.entries_read == 7);
  CHECK(index.meta().entries == 3);
  auto found = index.find(Algorithm::sha1, *x.sha1);
  REQUIRE(found.size() == 2);
  std::set<std::string> names{found[0].provenance.name, found[1].provenance.name};
  CHECK(names == std::set<std::string>{"a.exe", "b.exe"});
  CHECK(found[0].entry != found[1].entry);
  found = index.find(Algorithm::sha1, *y.sha1);
  REQUIRE(found.size() == 1);
  CHECK(found[0].provenance.name.empty());
}

TEST_CASE("SetIndex: multi-algorithm entries carry flags and shared entry numbers") {
  TempDir dir;
  std::mt19937_64 rng(11);
  KnownEntry both = entry_with(Algorithm::md5, rng);
  both.sha1 = random_digest<20>(rng);
  KnownEntry collision = both;  // same MD5, another SHA-1: a partial match
  collision.sha1 = random_digest<20>(rng);
  KnownEntry md5_only = entry_with(Algorithm::md5, rng);
  KnownEntry all = entry_with(Algorithm::sha256, rng);
  all.md5 = random_digest<16>(rng);
  all.sha1 = random_digest<20>(rng);
  all.sha512 = random_digest<64>(rng);
  SetIndex index = build_and_open({both, collision, md5_only, all}, dir);
  CHECK(index.algorithms() == std::vector<Algorithm>{Algorithm::md5, Algorithm::sha1, Algorithm::sha256, Algorithm::sha512});
  CHECK(index.meta().entries == 4);

  auto by_md5 = index.find(Algorithm::md5, *both.md5);
  REQUIRE(by_md5.size() == 2);
  for (const auto& m : by_md5) {
    CHECK(m.has_md5);
    CHECK(m.has_sha1);
    CHECK_FALSE(m.has_sha256);
  }
  auto by_sha1 = index.find(Algorithm::sha1, *both.sha1);
  REQUIRE(by_sha1.size() == 1);
  CHECK((by_sha1[0].entry == by_md5[0].entry || by_sha1[0].entry == by_md5[1].entry));
  auto other = index.find(Algorithm::sha1, *collision.sha1);
  REQUIRE(other.size() == 1);
  CHECK(other[0].entry != by_sha1[0].entry);

  auto lone = index.find(Algorithm::md5, *md5_only.md5);
  REQUIRE(lone.size() == 1);
  CHECK(lone[0].has_md5);
  CHECK_FALSE(lone[0].has_sha1);

  auto full = index.find(Algorithm::sha512, *all.sha512);
  REQUIRE(full.size() == 1);
  CHECK((full[0].has_md5 && full[0].has_sha1 && full[0].has_sha256 && full[0].has_sha512));
  CHECK(index.find(Algorithm::md5, *all.md5).at(0).entry == full[0].entry);
  CHECK(index.find(Algorithm::sha256, *all.sha256).at(0).entry == full[0].entry);
}

TEST_CASE("SetIndex: provenance round trip, stored once per distinct provenance") {
  TempDir dir;
  std::mt19937_64 rng(13);
  std::vector<KnownEntry> entries;
  for (int i = 0; i < 300; ++i) {
    KnownEntry e = entry_with(Algorithm::md5, rng);
    e.name = "image " + std::to_string(i % 3) + ".jpg";
    e.category = std::to_string(i % 3);
    e.product = i % 3 == 0 ? "" : "Product \xc3\xa9";
    e.media_id = "M-" + std::to_string(i % 3);
    e.series = i % 3 == 2 ? "series" : "";
    if (i % 3 == 1) e.victim_identified = true;
    if (i % 3 == 2) e.victim_identified = false;
    if (i % 3 != 0) e.is_distributed = i % 3 == 1;
    e.size = 1234;  // not stored
    entries.push_back(e);
  }
  const std::string path = dir.path + "/p.tidx";
  REQUIRE(build_index_from(stream_of(entries), path, options_for(dir)).ok());
  auto index = SetIndex::open(path);
  REQUIRE(index.ok());
  for (int i = 0; i < 300; ++i) {
    const auto& e = entries[i];
    auto found = index->find(Algorithm::md5, *e.md5);
    REQUIRE(found.size() == 1);
    const Provenance& p = found[0].provenance;
    CHECK(p.name == e.name);
    CHECK(p.category == e.category);
    CHECK(p.product == e.product);
    CHECK(p.media_id == e.media_id);
    CHECK(p.series == e.series);
    CHECK(p.victim_identified == e.victim_identified);
    CHECK(p.is_distributed == e.is_distributed);
  }
  // Three distinct provenances: the string table holds each once.
  const auto bytes = read_file(path);
  const std::string text(bytes.begin(), bytes.end());
  size_t hits = 0;
  for (size_t at = text.find("image 1.jpg"); at != std::string::npos; at = text.find("image 1.jpg", at + 1)) ++hits;
  CHECK(hits == 1);
}

TEST_CASE("SetIndex: a tiny memory budget spills many runs and builds the same bytes as in memory") {
  TempDir dir;
  std::mt19937_64 rng(17);
  std::vector<KnownEntry> entries;
  for (int i = 0; i < 30000; ++i) {
    KnownEntry e = entry_with(i % 3 == 0 ? Algorithm::md5 : Algorithm::sha1, rng);
    if (i % 5 == 0) e.sha256 = random_digest<32>(rng);
    if (i % 7 == 0) e.name = "n" + std::to_string(i % 50);
    entries.push_back(e);
    if (i % 11 == 0) entries.push_back(e);  // duplicates across runs
  }
  BuildStats spilled_stats, memory_stats;
  auto spilled = build_index_bytes(stream_of(entries), options_for(dir, 64 << 10), &spilled_stats);
  auto in_memory = build_index_bytes(stream_of(entries), options_for(dir, 1ull << 30), &memory_stats);
  REQUIRE(spilled.ok());
  REQUIRE(in_memory.ok());
  CHECK(spilled_stats.runs_spilled > 64);  // more than one merge pass
  CHECK(memory_stats.runs_spilled == 0);
  CHECK(spilled_stats.meta.entries == 30000);
  CHECK(*spilled == *in_memory);
  // The file build writes the same bytes, and leaves no run behind.
  const std::string path = dir.path + "/s.tidx";
  REQUIRE(build_index_from(stream_of(entries), path, options_for(dir, 64 << 10)).ok());
  CHECK(read_file(path) == *in_memory);
  CHECK(dir.files() == std::vector<std::string>{"s.tidx"});
  auto index = SetIndex::open(path);
  REQUIRE(index.ok());
  for (const auto& e : entries) {
    if (e.md5) REQUIRE(index->contains(Algorithm::md5, *e.md5));
    if (e.sha1) REQUIRE(index->contains(Algorithm::sha1, *e.sha1));
    if (e.sha256) REQUIRE(index->contains(Algorithm::sha256, *e.sha256));
  }
}

TEST_CASE("SetIndex: a plain SHA-1 list costs little more than its raw keys") {
  TempDir dir;
  std::mt19937_64 rng(19);
  std::vector<KnownEntry> entries;
  for (int i = 0; i < 200000; ++i) entries.push_back(entry_with(Algorithm::sha1, rng));
  BuildStats stats;
  build_and_open(entries, dir, &stats);
  CHECK(stats.file_size <= 200000 * 20 * 13 / 10);
  CHECK(stats.file_size < 200000 * 20 + 200000 * 20 / 20);  // within 5 %: no ids, flags or provenance
}

TEST_CASE("SetIndex: a truncated file is rejected with both sizes") {
  TempDir dir;
  std::mt19937_64 rng(23);
  std::vector<KnownEntry> entries;
  for (int i = 0; i < 100; ++i) entries.push_back(entry_with(Algorithm::sha256, rng));
  build_and_open(entries, dir);
  auto bytes = read_file(dir.path + "/set.tidx");
  const size_t size = bytes.size();
  bytes.resize(size - 1);
  write_file(dir.path + "/cut.tidx", bytes);
  CHECK(open_error(dir.path + "/cut.tidx") == "index truncated: " + std::to_string(size - 1) + " bytes, header says " + std::to_string(size));
  auto error = SetIndex::open(dir.path + "/cut.tidx");
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().code == Errc::data_loss);
  bytes.resize(40);
  write_file(dir.path + "/cut.tidx", bytes);
  CHECK(open_error(dir.path + "/cut.tidx") == "index truncated: 40 bytes, header says " + std::to_string(size));
  bytes.resize(12);
  write_file(dir.path + "/cut.tidx", bytes);
  CHECK(open_error(dir.path + "/cut.tidx") == "index truncated: 12 bytes, shorter than its header (72)");
}

TEST_CASE("SetIndex: a flipped header byte is a checksum mismatch; no flip anywhere crashes a lookup") {
  TempDir dir;
  std::mt19937_64 rng(29);
  std::vector<KnownEntry> entries;
  for (int i = 0; i < 64; ++i) {
    KnownEntry e = entry_with(Algorithm::md5, rng);
    e.sha1 = random_digest<20>(rng);
    if (i % 2) e.name = "f" + std::to_string(i);
    entries.push_back(e);
  }
  build_and_open(entries, dir);
  const auto good = read_file(dir.path + "/set.tidx");
  const std::string path = dir.path + "/flip.tidx";
  auto flipped = good;
  flipped[24] ^= 1;  // entry count
  write_file(path, flipped);
  CHECK(open_error(path) == "index header checksum mismatch");
  flipped = good;
  flipped[index_format::kHeaderSize + 8] ^= 0x10;  // first section's offset
  write_file(path, flipped);
  CHECK(open_error(path) == "index header checksum mismatch");

  const uint32_t sections = index_format::get_u32(&good[32]);
  const size_t table_end = index_format::header_bytes(sections);
  for (size_t at = 0; at < good.size(); ++at) {
    flipped = good;
    flipped[at] ^= 0x41;
    write_file(path, flipped);
    auto index = SetIndex::open(path);
    if (at < table_end && !(at >= 16 && at < 24)) {  // magic, table, checksum: refused
      CHECK_MESSAGE(!index.ok(), "byte " << at);
      continue;
    }
    if (!index.ok()) continue;
    for (const auto& e : entries) {  // damaged data may answer wrongly, never crash
      (void)index->find(Algorithm::md5, *e.md5);
      (void)index->contains(Algorithm::sha1, *e.sha1);
    }
  }
}

TEST_CASE("SetIndex: a foreign file is not an index") {
  TempDir dir;
  write_file(dir.path + "/foreign", {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(open_error(dir.path + "/foreign") == "not a trawl index (bad magic)");
  write_file(dir.path + "/empty", {});
  CHECK(open_error(dir.path + "/empty") == "not a trawl index (bad magic)");
  auto missing = SetIndex::open(dir.path + "/missing");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);
  auto directory = SetIndex::open(dir.path);
  CHECK_FALSE(directory.ok());
}

TEST_CASE("SetIndex: an empty set builds an index that matches nothing") {
  TempDir dir;
  KnownEntry pdq_only;  // nothing this index holds
  pdq_only.pdq = std::array<uint8_t, 32>{};
  BuildStats stats;
  SetIndex index = build_and_open({pdq_only}, dir, &stats);
  CHECK(stats.skipped == 1);
  CHECK(index.meta().entries == 0);
  CHECK(index.meta().name == "test set");
  CHECK(index.algorithms().empty());
  CHECK_FALSE(index.contains(Algorithm::md5, std::vector<uint8_t>(16, 0)));
  CHECK(index.find(Algorithm::sha1, std::vector<uint8_t>(20, 0)).empty());
  auto bytes = build_index_bytes(stream_of({}), options_for(dir));
  REQUIRE(bytes.ok());
  CHECK(*bytes == read_file(dir.path + "/set.tidx"));
}

TEST_CASE("SetIndex: an error from the entry stream removes the partial output") {
  TempDir dir;
  const std::string path = dir.path + "/x.tidx";
  EntryStream failing = [](const EntryVisitor& visit, IndexMeta&) -> Status {
    std::mt19937_64 rng(31);
    for (int i = 0; i < 10; ++i) visit(entry_with(Algorithm::md5, rng));
    return make_error(Errc::data_loss, "set.txt: line 11: bad");
  };
  auto built = build_index_from(failing, path, options_for(dir, 64 << 10));
  REQUIRE_FALSE(built.ok());
  CHECK(built.error().detail == "set.txt: line 11: bad");
  CHECK(dir.files().empty());
}

TEST_CASE("SetIndex: load compiles a set file in memory and opens a .tidx; build_index reads sets") {
  TempDir dir;
  std::mt19937_64 rng(37);
  std::string text;
  std::vector<std::array<uint8_t, 20>> keys;
  for (int i = 0; i < 50; ++i) {
    keys.push_back(random_digest<20>(rng));
    text += to_hex(keys.back()) + "\n";
  }
  const std::string list = dir.path + "/list.txt";
  write_file(list, std::vector<uint8_t>(text.begin(), text.end()));
  IndexMeta meta;
  meta.kind = SetKind::good;
  std::vector<std::string> problems;
  auto on_problem = [&](const SetProblem& p) { problems.push_back(p.message); };
  auto compiled = SetIndex::load(list, meta, on_problem);
  REQUIRE_MESSAGE(compiled.ok(), compiled.error().detail);
  CHECK(compiled->meta().entries == 50);
  CHECK(compiled->meta().name == "list.txt");
  CHECK(compiled->meta().kind == SetKind::good);
  CHECK(compiled->meta().sources == std::vector<std::string>{list});
  for (const auto& k : keys) CHECK(compiled->contains(Algorithm::sha1, k));

  BuildOptions options;
  options.meta.name = "named";
  options.temp_dir = dir.path;
  auto built = build_index({list}, dir.path + "/list.tidx", options, on_problem);
  REQUIRE_MESSAGE(built.ok(), built.error().detail);
  CHECK(built->entries == 50);
  auto opened = SetIndex::load(dir.path + "/list.tidx", meta, on_problem);
  REQUIRE(opened.ok());
  CHECK(opened->meta().name == "named");
  for (const auto& k : keys) CHECK(opened->contains(Algorithm::sha1, k));
  CHECK(problems.empty());

  auto missing = build_index({dir.path + "/nope.txt"}, dir.path + "/nope.tidx", options, on_problem);
  CHECK_FALSE(missing.ok());
  CHECK_FALSE(SetIndex::open(dir.path + "/nope.tidx").ok());
  CHECK_FALSE(SetIndex::open(dir.path + "/nope.tidx.partial").ok());
}

TEST_CASE("SetIndex: kind names and hex parsing") {
  CHECK(std::string(set_kind_name(SetKind::good)) == "good");
  CHECK(std::string(set_kind_name(SetKind::bad)) == "bad");
  CHECK(digest_size(Algorithm::md5) == 16);
  CHECK(digest_size(Algorithm::sha512) == 64);
  CHECK(parse_hex("00fFaB", 3) == std::vector<uint8_t>{0x00, 0xff, 0xab});
  CHECK_FALSE(parse_hex("00fFa", 3));
  CHECK_FALSE(parse_hex("00fFaG", 3));
}

}  // namespace trawl::hash
