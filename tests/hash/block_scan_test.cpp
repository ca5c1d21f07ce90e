#include "hash/block_scan.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/source_walk.hpp"
#include "test_support.hpp"

namespace trawl::hash {

std::ostream& operator<<(std::ostream& os, const BlockRun& r) {
  return os << "{" << r.offset << " +" << r.length << " " << r.file << " #" << r.first_block << " x" << r.block_count << "}";
}

namespace {

constexpr size_t kBlock = 4096;

using test::TempDir;

using test::random_bytes;

/// A known file of 16 blocks, indexed, with and without its filter.
struct Known {
  TempDir dir;
  std::string bytes = random_bytes(16 * kBlock, 1);
  std::string path = dir.write("known.bin", bytes);
  BlockIndex index = open(true);
  BlockIndex bare = open(false);

  BlockIndex open(bool with_filter) {
    if (!std::filesystem::exists(dir / "known.tidx")) {
      auto meta = build_block_index({path}, kBlock, dir / "known.tidx", {}, {});
      REQUIRE_MESSAGE(meta, meta.error().detail);
    }
    auto set = SetIndex::open(dir / "known.tidx");
    REQUIRE(set);
    std::optional<BlockFilter> filter;
    if (with_filter) {
      auto opened = BlockIndex::open(dir / "known.tidx");
      REQUIRE(opened);
      REQUIRE(opened->filter() != nullptr);
      filter = *opened->filter();
    }
    auto wrapped = BlockIndex::wrap(std::move(*set), std::move(filter));
    REQUIRE(wrapped);
    return std::move(*wrapped);
  }
  std::string block(size_t i) const { return bytes.substr(i * kBlock, kBlock); }
  BlockRun run(uint64_t offset, uint64_t first, uint64_t count) const { return {offset, count * kBlock, path, first, count}; }
};

struct Scanned {
  std::vector<BlockRun> runs;
  BlockScanStats stats;
  Status status = ok_status();
};

Scanned scan(const BlockIndex& index, io::ByteStream& stream, uint64_t offset, BlockScanOptions options = {}) {
  Scanned out;
  BlockScanner scanner(index, options);
  out.status = scanner.scan(stream, offset, [&](const BlockRun& r) {
    out.runs.push_back(r);
    return true;
  });
  out.stats = scanner.stats();
  return out;
}

Scanned scan(const BlockIndex& index, const std::string& bytes, uint64_t offset, BlockScanOptions options = {}) {
  io::MemoryStream stream(bytes);
  return scan(index, stream, offset, options);
}

void place(std::string& image, size_t at, const std::string& bytes) { image.replace(at, bytes.size(), bytes); }

}  // namespace

TEST_CASE("BlockScan: runs of known blocks, overwritten and out of order") {
  Known known;
  std::string image = random_bytes(40 * kBlock, 99);
  place(image, 8 * kBlock, std::string(4 * kBlock, '\0'));  // empty sectors: no evidence
  // Blocks 0-5 from sector 3 on, block 2 overwritten.
  const size_t p1 = 3 * 512;
  for (size_t b = 0; b < 6; ++b) place(image, p1 + b * kBlock, known.block(b));
  place(image, p1 + 2 * kBlock, random_bytes(kBlock, 5));
  // Blocks 9 then 8: neighbours on disk, not in the file.
  const size_t p2 = 13 * kBlock + 7 * 512;
  place(image, p2, known.block(9));
  place(image, p2 + kBlock, known.block(8));
  // Blocks 10-12 ending exactly at the end of the range.
  const size_t p3 = image.size() - 3 * kBlock;
  for (size_t b = 0; b < 3; ++b) place(image, p3 + b * kBlock, known.block(10 + b));
  // Block 14 twice, one sector apart: the later copy overwrote the first but one sector.
  const size_t p4 = 20 * kBlock;
  place(image, p4, known.block(14));
  place(image, p4 + 512, known.block(14));

  const uint64_t base = 1000 * 512;  // the range starts at sector 1000 of the image
  const std::vector<BlockRun> expected = {
      known.run(base + p1, 0, 2),          known.run(base + p1 + 3 * kBlock, 3, 3), known.run(base + p2, 9, 1),
      known.run(base + p2 + kBlock, 8, 1), known.run(base + p4 + 512, 14, 1),       known.run(base + p3, 10, 3),
  };
  auto filtered = scan(known.index, image, base);
  REQUIRE(filtered.status);
  CHECK(filtered.runs == expected);
  auto bare = scan(known.bare, image, base);
  REQUIRE(bare.status);
  CHECK(bare.runs == expected);

  const uint64_t windows = (image.size() - kBlock) / 512 + 1;
  CHECK(filtered.stats.windows == windows);
  CHECK(bare.stats.windows == windows);
  CHECK(filtered.stats.matched == 11);
  CHECK(bare.stats.matched == 11);
  CHECK(filtered.stats.runs == 6);
  CHECK(filtered.stats.bytes == image.size());
  CHECK(bare.stats.filtered == windows);
  CHECK(bare.stats.no_evidence >= 4 * 8 - 7);  // windows wholly inside the empty sectors
  CHECK(filtered.stats.hashed < 20);         // the filter let little more than the matches through

  SUBCASE("min_blocks drops short runs") {
    BlockScanOptions options;
    options.min_blocks = 2;
    auto longer = scan(known.index, image, base, options);
    CHECK(longer.runs == std::vector<BlockRun>{expected[0], expected[1], expected[5]});
  }
  SUBCASE("a range that does not start on a sector") {
    // The same bytes at image offset 100: nothing they hold is sector-aligned any more...
    CHECK(scan(known.index, image, 100).runs.empty());
    // ...unless the range is cut so that the blocks are.
    const std::string tail = image.substr(412);
    auto shifted = scan(known.index, tail, base + 412);
    REQUIRE(shifted.runs.size() == expected.size());
    CHECK(shifted.runs == expected);
  }
}

TEST_CASE("BlockScan: a block straddling pages is found once, whatever the page size") {
  Known known;
  std::string image = random_bytes((1u << 20) + 64 * 1024, 7);
  // Straddling the 4096-byte page boundary, the 4097-byte one, and the 1 MiB one.
  const size_t at[] = {5 * 512, 7 * 512, (1u << 20) - 3 * 512, (1u << 20) + 512};
  place(image, at[0], known.block(0));
  place(image, at[1] + kBlock, known.block(1));  // at[1] + kBlock = 11 * 512, across 8193
  place(image, at[2], known.block(2));
  place(image, at[3] + kBlock, known.block(3) + known.block(4));
  const std::vector<BlockRun> expected = {known.run(at[0], 0, 1), known.run(at[1] + kBlock, 1, 1), known.run(at[2], 2, 1),
                                          known.run(at[3] + kBlock, 3, 2)};
  for (size_t page : {size_t{4096}, size_t{4097}, size_t{1} << 20, image.size()}) {
    CAPTURE(page);
    BlockScanOptions options;
    options.page_size = page;
    auto got = scan(known.index, image, 0, options);
    REQUIRE(got.status);
    CHECK(got.runs == expected);
    CHECK(got.stats.matched == 5);
    auto bare = scan(known.bare, image, 0, options);
    CHECK(bare.runs == expected);
    // A stream that hands out its bytes a little at a time gives the same runs.
    test::OneWayStream trickle(image, 777);
    CHECK(scan(known.index, trickle, 0, options).runs == expected);
  }
  // Tiny pages on a shorter range.
  const std::string short_range = image.substr(0, 64 * 1024);
  const std::vector<BlockRun> short_expected = {expected[0], expected[1]};
  for (size_t page : {size_t{1}, size_t{17}, size_t{512}}) {
    CAPTURE(page);
    BlockScanOptions options;
    options.page_size = page;
    CHECK(scan(known.index, short_range, 0, options).runs == short_expected);
  }
}

TEST_CASE("BlockScan: misaligned blocks are not reported") {
  Known known;
  std::string image = random_bytes(32 * kBlock, 3);
  place(image, 100, known.block(0));
  place(image, 4 * kBlock + 256, known.block(1));
  place(image, 8 * kBlock + 511, known.block(2));
  place(image, 12 * kBlock + 1024, known.block(3));  // on a sector, not on a 4 KiB boundary
  auto got = scan(known.index, image, 0);
  CHECK(got.runs == std::vector<BlockRun>{known.run(12 * kBlock + 1024, 3, 1)});
  auto bare = scan(known.bare, image, 0);
  CHECK(bare.runs == got.runs);

  SUBCASE("a coarser step finds only blocks on it") {
    BlockScanOptions options;
    options.step = 4096;
    CHECK(scan(known.index, image, 0, options).runs.empty());
    CHECK(scan(known.index, image, 1024, options).runs.empty());
    CHECK(scan(known.index, image, 3 * 1024, options).runs == std::vector<BlockRun>{known.run(13 * kBlock, 3, 1)});
  }
  SUBCASE("a step that is not a multiple of 512") {
    BlockScanOptions options;
    options.step = 100;
    auto bad = scan(known.index, image, 0, options);
    REQUIRE_FALSE(bad.status);
    CHECK(bad.status.error().code == Errc::invalid_argument);
  }
}

TEST_CASE("BlockScan: empty and patterned space is skipped") {
  Known known;
  std::string image(64 * kBlock, '\0');
  for (size_t i = 16 * kBlock; i < 32 * kBlock; ++i) image[i] = "abcdefgh"[i % 8];
  auto bare = scan(known.bare, image, 0);
  CHECK(bare.runs.empty());
  CHECK(bare.stats.windows == 63 * 8 + 1);
  CHECK(bare.stats.no_evidence == bare.stats.windows - 14);  // only windows across the two zeros/pattern edges carry evidence
  CHECK(bare.stats.hashed == 14);
  auto filtered = scan(known.index, image, 0);
  CHECK(filtered.runs.empty());
  CHECK(filtered.stats.hashed <= 14);

  // Ranges shorter than a block hold no window.
  CHECK(scan(known.index, known.bytes.substr(0, kBlock - 1), 0).stats.windows == 0);
  CHECK(scan(known.index, std::string(), 0).runs.empty());
}

TEST_CASE("BlockScan: a block shared by two known files gives a run for each") {
  TempDir dir;
  const std::string shared = random_bytes(kBlock, 5);
  const std::string a = dir.write("a.bin", random_bytes(kBlock, 6) + shared);
  const std::string b = dir.write("b.bin", shared + random_bytes(kBlock, 7));
  REQUIRE(build_block_index({a, b}, kBlock, dir / "i.tidx", {}, {}));
  auto index = BlockIndex::open(dir / "i.tidx");
  REQUIRE(index);
  std::string image = random_bytes(8 * kBlock, 8);
  place(image, 2 * kBlock, shared + random_bytes(kBlock, 7));  // b.bin whole: continues b's run only
  auto got = scan(*index, image, 0);
  CHECK(got.runs == std::vector<BlockRun>{{2 * kBlock, kBlock, a, 1, 1}, {2 * kBlock, 2 * kBlock, b, 0, 2}});
  BlockScanOptions one;
  one.max_matches = 1;
  auto capped = scan(*index, image, 0, one);
  CHECK(capped.stats.truncated == 1);
}

TEST_CASE("BlockScan: the visitor stops the scan; read errors end it") {
  Known known;
  std::string image = random_bytes(64 * kBlock, 4);
  for (size_t i = 0; i < 4; ++i) place(image, (4 + 10 * i) * kBlock, known.block(i));
  {
    BlockScanner scanner(known.index);
    std::vector<BlockRun> runs;
    io::MemoryStream stream(image);
    REQUIRE(scanner.scan(stream, 0, [&](const BlockRun& r) {
      runs.push_back(r);
      return false;
    }));
    CHECK(runs == std::vector<BlockRun>{known.run(4 * kBlock, 0, 1)});
  }
  {
    // Fails once 30 blocks were read.
    class Failing : public io::ByteStream {
     public:
      explicit Failing(std::string bytes) : inner_(std::move(bytes)) {}
      Result<size_t> read(std::span<std::byte> buffer) override {
        if (done_ >= 30 * kBlock) return make_error(Errc::io, "read error at " + std::to_string(done_));
        auto n = inner_.read(buffer.first(std::min(buffer.size(), 30 * kBlock - done_)));
        if (n) done_ += *n;
        return n;
      }

     private:
      io::MemoryStream inner_;
      size_t done_ = 0;
    } failing(image);
    auto got = scan(known.index, failing, 0);
    REQUIRE_FALSE(got.status);
    CHECK(got.status.error().detail == "read error at 122880");
    CHECK(got.runs == std::vector<BlockRun>{known.run(4 * kBlock, 0, 1), known.run(14 * kBlock, 1, 1), known.run(24 * kBlock, 2, 1)});
  }
}

namespace {

/// Collects the byte ranges a walk reports.
class RangeCollector final : public io::WalkVisitor {
 public:
  bool item(io::Item item) override {
    if (item.info.kind == io::ItemKind::range) ranges.push_back(std::move(item));
    return true;
  }
  void volume(const io::VolumeInfo&) override {}
  void image_check(const io::ImageCheck&) override {}
  void error(const io::WalkError& e) override { errors.push_back(e.error.detail); }
  bool stopped() const override { return false; }
  std::vector<io::Item> ranges;
  std::vector<std::string> errors;
};

std::vector<BlockRun> scan_walk(const BlockIndex& index, const std::string& image, io::WalkOptions options,
                                const std::string& area) {
  RangeCollector walk;
  io::walk_source(image, options, walk);
  CHECK(walk.errors.empty());
  std::vector<BlockRun> runs;
  size_t ranges = 0;
  for (auto& item : walk.ranges) {
    if (item.info.area != area) continue;
    ++ranges;
    auto stream = item.open();
    REQUIRE(stream);
    BlockScanner scanner(index);
    REQUIRE(scanner.scan(**stream, item.info.offset.value(), [&](const BlockRun& r) {
      runs.push_back(r);
      return true;
    }));
  }
  CHECK(ranges > 0);
  std::sort(runs.begin(), runs.end(), [](const BlockRun& a, const BlockRun& b) { return a.offset < b.offset; });
  return runs;
}

}  // namespace

TEST_CASE("BlockScan: fragments of a deleted, partly overwritten file in a FAT image") {
  if (std::system("command -v mkfs.vfat mcopy mdel openssl >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: mkfs.vfat, mtools or openssl missing (scripts/make-block-fixture)");
    return;
  }
  TempDir dir;
  const std::string script = std::string(TRAWL_SOURCE_DIR) + "/scripts/make-block-fixture";
  REQUIRE(std::system(("'" + script + "' '" + dir.path.string() + "' >/dev/null").c_str()) == 0);
  const std::string image = dir / "block-fixture.img";
  const std::string known = dir / "known.jpg";
  REQUIRE(build_block_index({known}, kBlock, dir / "known.tidx", {}, {}));
  auto index = BlockIndex::open(dir / "known.tidx");
  REQUIRE(index);

  // Written by the script's history: blocks 0-2 overwritten by over.bin, 3-7 left in b.bin's hole (sector 141),
  // 8-11 in e.bin's (sector 205), 12-87 after f.bin (sector 253); 88 is the partial last block.
  const std::vector<BlockRun> expected = {{141 * 512, 5 * kBlock, known, 3, 5},
                                          {205 * 512, 4 * kBlock, known, 8, 4},
                                          {253 * 512, 76 * kBlock, known, 12, 76}};
  io::WalkOptions unallocated;
  unallocated.unallocated = true;
  CHECK(scan_walk(*index, image, unallocated, "unallocated") == expected);
  io::WalkOptions raw;
  raw.raw = true;
  CHECK(scan_walk(*index, image, raw, "image") == expected);

  // Oracle: every sector-aligned place in the image compared byte for byte with every block of the file.
  std::ifstream in_known(known, std::ios::binary), in_image(image, std::ios::binary);
  std::stringstream k, i;
  k << in_known.rdbuf();
  i << in_image.rdbuf();
  const std::string known_bytes = k.str(), image_bytes = i.str();
  std::unordered_map<std::string_view, uint64_t> blocks;
  for (uint64_t b = 0; (b + 1) * kBlock <= known_bytes.size(); ++b) blocks.emplace(std::string_view(known_bytes).substr(b * kBlock, kBlock), b);
  std::map<uint64_t, uint64_t> found;  // offset -> block
  for (uint64_t at = 0; at + kBlock <= image_bytes.size(); at += 512)
    if (auto it = blocks.find(std::string_view(image_bytes).substr(at, kBlock)); it != blocks.end()) found.emplace(at, it->second);
  std::map<uint64_t, uint64_t> reported;
  for (const auto& r : expected)
    for (uint64_t b = 0; b < r.block_count; ++b) reported.emplace(r.offset + b * kBlock, r.first_block + b);
  CHECK(found == reported);
}

namespace {

/// The range `image` (at absolute `base`) scanned as work units of `unit`
/// bytes: each window reads from one block before its start to the range's
/// end, as hash-match's units do, and the runs of all windows are concatenated.
Scanned windowed(const BlockIndex& index, const std::string& image, uint64_t base, size_t unit, BlockScanOptions options = {}) {
  Scanned out;
  for (size_t start = 0; start < image.size(); start += unit) {
    const size_t from = start > index.block_size() ? start - index.block_size() : 0;
    options.own_from = base + start;
    options.own_until = base + std::min(image.size(), start + unit);
    auto part = scan(index, image.substr(from), base + from, options);
    if (!part.status) out.status = part.status;
    out.runs.insert(out.runs.end(), part.runs.begin(), part.runs.end());
    out.stats.bytes += part.stats.bytes;
  }
  return out;
}

/// Checks that every unit size in `units` gives the runs of one scan over the whole range.
void check_windows(const BlockIndex& index, const std::string& image, uint64_t base, const std::vector<size_t>& units,
                   BlockScanOptions options = {}) {
  auto whole = scan(index, image, base, options);
  REQUIRE(whole.status);
  for (size_t unit : units) {
    for (size_t page : {size_t{512}, size_t{3 * kBlock + 512}, size_t{1} << 20}) {
      CAPTURE(unit);
      CAPTURE(page);
      options.page_size = page;
      auto parts = windowed(index, image, base, unit, options);
      REQUIRE(parts.status);
      CHECK(parts.runs == whole.runs);
    }
  }
}

}  // namespace

TEST_CASE("BlockScan: a run straddling window boundaries is reported once, whole, by the window it starts in") {
  Known known;
  std::string image = random_bytes(48 * kBlock, 31);
  const size_t p1 = 3 * kBlock + 2 * 512;  // blocks 0-11: across many windows
  for (size_t b = 0; b < 12; ++b) place(image, p1 + b * kBlock, known.block(b));
  const size_t p2 = 20 * kBlock;  // blocks 12-15, starting exactly on a window boundary of the units below
  for (size_t b = 0; b < 4; ++b) place(image, p2 + b * kBlock, known.block(12 + b));
  const size_t p3 = 30 * kBlock - 512;  // blocks 4-5 ending one sector after a boundary
  for (size_t b = 0; b < 2; ++b) place(image, p3 + b * kBlock, known.block(4 + b));
  const uint64_t base = 1000 * 512;
  const std::vector<BlockRun> expected = {known.run(base + p1, 0, 12), known.run(base + p2, 12, 4), known.run(base + p3, 4, 2)};
  CHECK(scan(known.index, image, base).runs == expected);
  check_windows(known.index, image, base, {512, 1536, kBlock, kBlock + 512, 5 * kBlock, 7 * kBlock + 1024, 10 * kBlock, 20 * kBlock, 64 * kBlock});
  check_windows(known.bare, image, base, {kBlock, 5 * kBlock, 10 * kBlock});

  SUBCASE("the run at the window's start is that window's, not the one before") {
    BlockScanOptions before;
    before.own_from = base;
    before.own_until = base + p2;
    auto first = scan(known.index, image, base, before);
    CHECK(first.runs == std::vector<BlockRun>{known.run(base + p1, 0, 12)});
    BlockScanOptions after;
    after.own_from = base + p2;
    after.own_until = base + p2 + kBlock;
    auto second = scan(known.index, image.substr(p2 - kBlock), base + p2 - kBlock, after);
    CHECK(second.runs == std::vector<BlockRun>{known.run(base + p2, 12, 4)});
  }
  SUBCASE("a window inside a run reports nothing; its owner reads on to the run's end, then stops") {
    BlockScanOptions inside;
    inside.own_from = base + p1 + 2 * kBlock;
    inside.own_until = base + p1 + 4 * kBlock;
    CHECK(scan(known.index, image.substr(p1 + kBlock), base + p1 + kBlock, inside).runs.empty());
    BlockScanOptions owner;
    owner.own_from = base;
    owner.own_until = base + p1 + 512;
    owner.page_size = kBlock;
    auto got = scan(known.index, image, base, owner);
    CHECK(got.runs == std::vector<BlockRun>{known.run(base + p1, 0, 12)});
    CHECK(got.stats.bytes < p1 + 16 * kBlock);  // not the rest of the range
  }
}

TEST_CASE("BlockScan: windows give the runs of one scan with two files' runs interleaved and capped matches") {
  TempDir dir;
  const std::string shared = random_bytes(kBlock, 41);
  const std::string a_bytes = random_bytes(kBlock, 42) + shared + random_bytes(2 * kBlock, 43);
  const std::string b_bytes = shared + random_bytes(3 * kBlock, 44);
  const std::string a = dir.write("a.bin", a_bytes);
  const std::string b = dir.write("b.bin", b_bytes);
  REQUIRE(build_block_index({a, b}, kBlock, dir / "i.tidx", {}, {}));
  auto index = BlockIndex::open(dir / "i.tidx");
  REQUIRE(index);
  std::string image = random_bytes(40 * kBlock, 45);
  // a's first two blocks, then b on from the shared one: a's run and b's overlap in the shared window.
  place(image, 2 * kBlock + 512, a_bytes.substr(0, 2 * kBlock) + b_bytes.substr(kBlock, 3 * kBlock));
  // a whole, then b whole right after it.
  place(image, 10 * kBlock, a_bytes + b_bytes);
  // Blocks of a and b alternating, one sector off the blocks: runs of one block each.
  for (size_t i = 0; i < 4; ++i) place(image, 20 * kBlock + 1024 + i * kBlock, (i % 2 ? b_bytes : a_bytes).substr(3 * kBlock, kBlock));
  const std::vector<size_t> units = {512, kBlock, 2 * kBlock + 512, 3 * kBlock, 9 * kBlock};
  check_windows(*index, image, 0, units);
  check_windows(*index, image, 7 * 512, units);
  BlockScanOptions capped;
  capped.max_matches = 1;
  check_windows(*index, image, 0, units, capped);
  BlockScanOptions longer;
  longer.min_blocks = 2;
  check_windows(*index, image, 0, units, longer);
}

TEST_CASE("BlockScan: random fragments, any window size, the same runs as one scan") {
  Known known;
  std::mt19937_64 rng(77);
  for (int round = 0; round < 6; ++round) {
    std::string image = random_bytes(64 * kBlock, 100 + static_cast<uint64_t>(round));
    for (int f = 0; f < 8; ++f) {
      const size_t first = rng() % 16, count = 1 + rng() % (16 - first);
      const size_t at = (rng() % (image.size() / 512 - count * 8)) * 512;
      for (size_t b = 0; b < count; ++b) place(image, at + b * kBlock, known.block(first + b));
    }
    CAPTURE(round);
    check_windows(known.index, image, (rng() % 64) * 512, {3 * 512, kBlock, 5 * kBlock - 1536, 13 * kBlock});
  }
}

}  // namespace trawl::hash
