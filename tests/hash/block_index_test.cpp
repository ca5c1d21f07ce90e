#include "hash/block_index.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "hash/digest.hpp"
#include "hash/index_build.hpp"

namespace trawl::hash {
namespace {

/// A scratch directory removed at scope exit.
using test::TempDir;

using test::random_bytes;

std::span<const std::byte> bytes_of(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::vector<uint8_t> md5_of(std::string_view s) {
  MultiDigest d({Algorithm::md5});
  d.update(bytes_of(s));
  return *parse_hex(d.finish().front().second, 16);
}

std::string repeat(std::string_view pattern, size_t n) {
  std::string out;
  while (out.size() < n) out += pattern;
  out.resize(n);
  return out;
}

}  // namespace

TEST_CASE("BlockIndex: blocks without evidence") {
  CHECK_FALSE(block_has_evidence(bytes_of(std::string(4096, '\0'))));
  CHECK_FALSE(block_has_evidence(bytes_of(std::string(4096, '\xff'))));
  CHECK_FALSE(block_has_evidence(bytes_of(repeat("abc", 4096))));
  CHECK_FALSE(block_has_evidence(bytes_of(repeat("0123456789abcdef", 4096))));  // period 16
  CHECK_FALSE(block_has_evidence(bytes_of(repeat(random_bytes(16, 7), 4096))));
  CHECK_FALSE(block_has_evidence(bytes_of(repeat(std::string("\x00\x01", 2), 512))));
  CHECK_FALSE(block_has_evidence(bytes_of(random_bytes(16, 1))));  // too short to say anything
  CHECK_FALSE(block_has_evidence({}));

  CHECK(block_has_evidence(bytes_of(random_bytes(4096, 1))));
  CHECK(block_has_evidence(bytes_of(repeat(random_bytes(17, 7), 4096))));  // period 17 is content
  std::string almost = std::string(4096, '\0');
  almost[4000] = 'x';
  CHECK(block_has_evidence(bytes_of(almost)));
  std::string text = repeat("The quick brown fox jumps over the lazy dog. ", 4096);
  CHECK(block_has_evidence(bytes_of(text)));  // period 45
}

TEST_CASE("BlockIndex: block names, versions and sizes") {
  CHECK(block_name("dir/a.jpg", 12) == "dir/a.jpg#12");
  auto ref = parse_block_name("odd#name.jpg#7");
  REQUIRE(ref);
  CHECK(ref->file == "odd#name.jpg");
  CHECK(ref->block == 7);
  CHECK_FALSE(parse_block_name("a.jpg"));
  CHECK_FALSE(parse_block_name("a.jpg#"));
  CHECK_FALSE(parse_block_name("a.jpg#1x"));
  CHECK_FALSE(parse_block_name("a.jpg#-1"));

  CHECK(block_index_version(4096) == "blocks:4096");
  CHECK(parse_block_index_version("blocks:4096") == 4096u);
  CHECK(parse_block_index_version("blocks:512") == 512u);
  CHECK_FALSE(parse_block_index_version("blocks:1000"));
  CHECK_FALSE(parse_block_index_version("blocks:4096 "));
  CHECK_FALSE(parse_block_index_version("2023.12.1"));
  CHECK(check_block_size(512));
  CHECK(check_block_size(16u << 20));
  CHECK(check_block_size(0).error().code == Errc::invalid_argument);
  CHECK(check_block_size(4000).error().code == Errc::invalid_argument);
  CHECK(check_block_size(32u << 20).error().code == Errc::invalid_argument);
}

TEST_CASE("BlockIndex: keys are pinned (they are part of the filter format)") {
  const std::string zeros(512, '\0');
  const std::string counting = [] {
    std::string s(512, '\0');
    for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>(i);
    return s;
  }();
  CHECK(sector_key(bytes_of(zeros).data()) == 0x8bbf7f68e8c3b87cull);
  CHECK(sector_key(bytes_of(counting).data()) == 0x7b3bfcaac0348ac0ull);
  const std::string block = counting + zeros;
  const uint64_t keys[] = {sector_key(bytes_of(counting).data()), sector_key(bytes_of(zeros).data())};
  CHECK(block_key_of(bytes_of(block)) == block_key(keys));
  const uint64_t swapped[] = {keys[1], keys[0]};
  CHECK(block_key(keys) != block_key(swapped));
}

TEST_CASE("BlockIndex: the filter never misses and rarely lets through") {
  std::mt19937_64 rng(42);
  BlockFilter filter = BlockFilter::with_capacity(20000);
  std::vector<uint64_t> keys(20000);
  for (auto& k : keys) {
    k = rng();
    filter.add(k);
  }
  for (uint64_t k : keys) CHECK(filter.may_contain(k));
  size_t false_positives = 0;
  for (int i = 0; i < 200000; ++i) false_positives += filter.may_contain(rng()) ? 1 : 0;
  CHECK(false_positives < 200000 / 50);  // designed for ~0.5%; 2% is the alarm
  CHECK(filter.keys() == 20000);

  BlockFilter tiny = BlockFilter::with_capacity(0);
  tiny.add(1);
  CHECK(tiny.may_contain(1));
}

TEST_CASE("BlockIndex: build indexes the whole blocks that carry evidence") {
  TempDir dir;
  constexpr size_t kBlock = 4096;
  // a.bin: blocks 0, 1 data, 2 zeros, 3 "abc...", 4 data, then half a block.
  std::string a = random_bytes(2 * kBlock, 1) + std::string(kBlock, '\0') + repeat("abc", kBlock) + random_bytes(kBlock, 2) +
                  random_bytes(kBlock / 2, 3);
  const std::string a_path = dir.write("known/a.bin", a);
  const std::string b = random_bytes(3 * kBlock, 4);
  const std::string b_path = dir.write("known/sub/b.bin", b);
  const std::string small_path = dir.write("known/small.bin", random_bytes(kBlock - 1, 5));
  std::filesystem::create_symlink(a_path, dir / "known/link.bin");

  const std::string output = dir / "blocks.tidx";
  std::vector<std::string> problems;
  BuildOptions options;
  options.temp_dir = dir.path.string();
  auto meta = build_block_index({dir / "known"}, kBlock, output, options,
                                [&](const SetProblem& p) { problems.push_back(p.message); });
  REQUIRE_MESSAGE(meta, meta.error().detail);
  CHECK(problems.empty());
  CHECK(meta->version == "blocks:4096");
  CHECK(meta->name == "known");
  CHECK(meta->sources == std::vector<std::string>{dir / "known"});
  CHECK(meta->entries == 3 + 3);  // a: 0, 1, 4; b: 0, 1, 2; the link is not followed

  auto index = BlockIndex::open(output);
  REQUIRE_MESSAGE(index, index.error().detail);
  CHECK(index->block_size() == kBlock);
  REQUIRE(index->filter() != nullptr);
  CHECK(index->filter()->keys() == 6);

  auto block = [&](const std::string& s, size_t i) { return std::string_view(s).substr(i * kBlock, kBlock); };
  auto names = [&](std::string_view bytes) {
    std::vector<std::string> out;
    for (const auto& m : index->set().find(Algorithm::md5, md5_of(bytes))) out.push_back(m.provenance.name);
    return out;
  };
  CHECK(names(block(a, 0)) == std::vector<std::string>{a_path + "#0"});
  CHECK(names(block(a, 1)) == std::vector<std::string>{a_path + "#1"});
  CHECK(names(block(a, 2)).empty());
  CHECK(names(block(a, 3)).empty());
  CHECK(names(block(a, 4)) == std::vector<std::string>{a_path + "#4"});
  CHECK(names(std::string_view(a).substr(5 * kBlock)).empty());
  CHECK(names(block(b, 2)) == std::vector<std::string>{b_path + "#2"});
  for (size_t i : {0, 1, 4}) CHECK(index->filter()->may_contain(block_key_of(bytes_of(block(a, i)))));
  for (size_t i : {0, 1, 2}) CHECK(index->filter()->may_contain(block_key_of(bytes_of(block(b, i)))));
  (void)small_path;
}

TEST_CASE("BlockIndex: a block in two files has both provenances") {
  TempDir dir;
  const std::string shared = random_bytes(1024, 9);
  const std::string x = dir.write("x.bin", shared + random_bytes(1024, 10));
  const std::string y = dir.write("y.bin", random_bytes(1024, 11) + shared);
  auto meta = build_block_index({x, y}, 1024, dir / "i.tidx", {}, {});
  REQUIRE_MESSAGE(meta, meta.error().detail);
  CHECK(meta->name == "x.bin");
  auto index = BlockIndex::open(dir / "i.tidx");
  REQUIRE(index);
  std::vector<std::string> names;
  for (const auto& m : index->set().find(Algorithm::md5, md5_of(shared))) names.push_back(m.provenance.name);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{x + "#0", y + "#1"});
}

TEST_CASE("BlockIndex: errors") {
  TempDir dir;
  const std::string known = dir.write("k.bin", random_bytes(8192, 1));
  SUBCASE("bad block size") {
    auto meta = build_block_index({known}, 1000, dir / "i.tidx", {}, {});
    REQUIRE_FALSE(meta);
    CHECK(meta.error().code == Errc::invalid_argument);
    CHECK(meta.error().detail == "block size 1000 is not a multiple of 512 between 512 and 16777216");
  }
  SUBCASE("a missing file is a problem, or an error when strict") {
    std::vector<std::string> problems;
    auto meta = build_block_index({dir / "missing", known}, 4096, dir / "i.tidx", {},
                                  [&](const SetProblem& p) { problems.push_back(p.message); });
    REQUIRE(meta);
    CHECK(meta->entries == 2);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with(dir / "missing: "));
    BuildOptions strict;
    strict.strict = true;
    CHECK_FALSE(build_block_index({dir / "missing", known}, 4096, dir / "j.tidx", strict, {}));
  }
  SUBCASE("nothing with evidence: an empty index") {
    const std::string empty = dir.write("d/zeros.bin", std::string(16384, '\0'));
    auto meta = build_block_index({dir / "d/"}, 4096, dir / "e.tidx", {}, {});
    REQUIRE_MESSAGE(meta, meta.error().detail);
    CHECK(meta->entries == 0);
    CHECK(meta->name == "d");
    auto index = BlockIndex::open(dir / "e.tidx");
    REQUIRE_MESSAGE(index, index.error().detail);
    CHECK(index->filter()->keys() == 0);
  }
  SUBCASE("a set index that is not a block index") {
    const EntryStream one = [](const EntryVisitor& visit, IndexMeta&) -> Status {
      KnownEntry e;
      e.md5.emplace();
      visit(e);
      return ok_status();
    };
    BuildOptions options;
    options.meta.version = "2024.03.1";
    REQUIRE(build_index_from(one, dir / "set.tidx", options));
    auto index = BlockIndex::open(dir / "set.tidx");
    REQUIRE_FALSE(index);
    CHECK(index.error().code == Errc::invalid_argument);
    CHECK(index.error().detail.find("not a block index") != std::string::npos);
  }
  SUBCASE("filters: missing is fine, stale or damaged is not") {
    REQUIRE(build_block_index({known}, 4096, dir / "i.tidx", {}, {}));
    const std::string other = dir.write("other.bin", random_bytes(8192, 2));
    REQUIRE(build_block_index({other}, 4096, dir / "j.tidx", {}, {}));
    std::filesystem::copy_file(dir / "j.tidx.filter", dir / "i.tidx.filter", std::filesystem::copy_options::overwrite_existing);
    auto stale = BlockIndex::open(dir / "i.tidx");
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == Errc::invalid_argument);
    CHECK(stale.error().detail == "block filter " + (dir / "i.tidx.filter") + " belongs to another index (rebuild the index)");

    std::filesystem::resize_file(dir / "j.tidx.filter", 100);
    auto damaged = BlockIndex::open(dir / "j.tidx");
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().code == Errc::data_loss);

    std::filesystem::remove(dir / "i.tidx.filter");
    auto bare = BlockIndex::open(dir / "i.tidx");
    REQUIRE(bare);
    CHECK(bare->filter() == nullptr);
    CHECK(bare->set().meta().entries == 2);
  }
}

}  // namespace trawl::hash
