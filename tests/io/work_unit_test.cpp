#include "io/work_unit.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "io/chunker.hpp"
#include "io/unit_filter.hpp"
#include "record/jsonl_reader.hpp"
#include "record/jsonl_writer.hpp"
#include "test_support.hpp"

namespace trawl::io {
namespace {

constexpr std::string_view kToken = "<<TRAWL-UNIT-TOKEN-0123456789abcdef-->>";

/// A stream that can only be read front to back.
class OnePass final : public ByteStream {
 public:
  explicit OnePass(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> read(std::span<std::byte> buffer) override {
    const size_t n = std::min(buffer.size(), bytes_.size() - at_);
    std::memcpy(buffer.data(), bytes_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t at_ = 0;
};

/// Token starts owned by the window (the toy scanner of chunker_test.cpp, with a window).
std::vector<uint64_t> scan_window(ByteStream& stream, size_t page_size, ChunkWindow window) {
  std::vector<uint64_t> hits;
  Chunker chunker(stream, ChunkerOptions{page_size, kToken.size() - 1}, window);
  for (;;) {
    auto more = chunker.next();
    REQUIRE(more);
    if (!*more) break;
    const Chunk& chunk = chunker.chunk();
    const std::string_view data(reinterpret_cast<const char*>(chunk.data().data()), chunk.data().size());
    CHECK(chunk.offset() >= window.start);
    if (window.stop) CHECK(chunk.offset() + chunk.page().size() <= *window.stop);
    for (size_t at = 0; at < chunk.page().size(); ++at)
      if (data.substr(at, kToken.size()) == kToken) hits.push_back(chunk.offset() + at);
  }
  return hits;
}

std::string planted(size_t size, const std::vector<size_t>& at) {
  std::string bytes(size, '.');
  for (size_t a : at) bytes.replace(a, kToken.size(), kToken);
  return bytes;
}

TEST_CASE("ChunkWindow: a hit straddling stop is reported once, a hit starting in the margin is not") {
  const size_t stop = 1000;
  // One token straddles stop, one starts just after it (in the margin), one lies inside.
  const std::string bytes = planted(3000, {100, stop - 10, stop + 5 + kToken.size()});
  for (size_t page : {size_t{1}, size_t{17}, size_t{64}, size_t{4096}}) {
    CAPTURE(page);
    MemoryStream a(bytes);
    CHECK(scan_window(a, page, ChunkWindow{0, stop}) == std::vector<uint64_t>{100, stop - 10});
    MemoryStream b(bytes);
    CHECK(scan_window(b, page, ChunkWindow{stop, std::nullopt}) == std::vector<uint64_t>{stop + 5 + kToken.size()});
    OnePass c(bytes);  // the same by reading and dropping the bytes before start
    CHECK(scan_window(c, page, ChunkWindow{stop, 2000}) == std::vector<uint64_t>{stop + 5 + kToken.size()});
  }
}

TEST_CASE("ChunkWindow: windows that tile the stream find every hit exactly once") {
  const std::string bytes = planted(5000, {0, 333, 999, 1000 - 20, 2047, 4096 - 39, 5000 - 40});
  MemoryStream whole(bytes);
  const auto expected = scan_window(whole, 4096, ChunkWindow{});
  for (uint64_t step : {uint64_t{1000}, uint64_t{777}, uint64_t{41}}) {
    std::vector<uint64_t> joined;
    for (uint64_t start = 0; start < bytes.size(); start += step) {
      MemoryStream s(bytes);
      auto part = scan_window(s, 97, ChunkWindow{start, std::min<uint64_t>(start + step, bytes.size())});
      joined.insert(joined.end(), part.begin(), part.end());
    }
    CHECK(joined == expected);
  }
}

TEST_CASE("ChunkWindow: errors and edges") {
  MemoryStream s(std::string(100, 'x'));
  Chunker bad(s, ChunkerOptions{10, 0}, ChunkWindow{50, 40});
  CHECK_FALSE(bad.next());
  MemoryStream t(std::string(100, 'x'));
  Chunker empty(t, ChunkerOptions{10, 0}, ChunkWindow{50, 50});
  auto more = empty.next();
  REQUIRE(more);
  CHECK_FALSE(*more);
  MemoryStream u(std::string(100, 'x'));
  Chunker past(u, ChunkerOptions{10, 5}, ChunkWindow{200, std::nullopt});  // starts past the end
  more = past.next();
  REQUIRE(more);
  CHECK_FALSE(*more);
}

// ---------------------------------------------------------------------------
// A made-up image walk: p1 at 1 MiB (volume, 5 files, an unallocated run), a
// gap outside every volume, p2 at 8 MiB (volume, an error, 2 files), the raw image.

struct Event {
  std::string what;  // "volume p1", "file p1/a", "error", "range r1"...
  std::optional<ByteWindow> window;
  bool operator==(const Event& o) const {
    return what == o.what && window.has_value() == o.window.has_value() &&
           (!window || (window->start == o.window->start && window->end == o.window->end));
  }
};

void fake_walk(WalkVisitor& v, const std::optional<UnitSelector>& unit) {
  auto wants = [&](std::optional<uint64_t> scope) {
    if (!unit || unit->scope == UnitSelector::Scope::source) return true;
    if (!scope) return unit->scope == UnitSelector::Scope::outside;
    return unit->scope == UnitSelector::Scope::volume && unit->volume_offset == *scope;
  };
  auto file = [&](const std::string& path, uint64_t size) {
    Item item;
    item.info.path = path;
    item.info.size = size;
    return v.item(std::move(item));
  };
  auto range = [&](const std::string& path, uint64_t offset, uint64_t length) {
    Item item;
    item.info.path = path;
    item.info.kind = ItemKind::range;
    item.info.offset = offset;
    item.info.length = length;
    item.info.size = length;
    return v.item(std::move(item));
  };
  if (wants(1u << 20)) {
    v.scope(1u << 20);
    v.volume(VolumeInfo{"s", "p1", 1u, 1u << 20, 6u << 20, "dos", "", "fat32"});
    for (int i = 0; i < 5 && !v.stopped(); ++i) file("p1/f" + std::to_string(i), 300);
    if (!v.stopped()) range("p1/$Unallocated", 2u << 20, 2500);
  }
  if (wants(std::nullopt) && !v.stopped()) {
    v.scope(std::nullopt);
    range("$Unpartitioned", 7u << 20, 100);
  }
  if (wants(8u << 20) && !v.stopped()) {
    v.scope(8u << 20);
    v.volume(VolumeInfo{"s", "p2", 2u, 8u << 20, 1u << 20, "dos", "", "ext4"});
    v.error(WalkError{"s", "p2", make_error(Errc::data_loss, "bad"), std::nullopt});
    file("p2/a", 10);
    if (!v.stopped()) file("p2/b", 1200);
  }
  if (wants(std::nullopt) && !v.stopped()) {
    v.scope(std::nullopt);
    range("s", 0, 3000);
  }
}

class Recorder final : public WalkVisitor {
 public:
  bool item(Item item) override {
    events.push_back({(item.info.kind == ItemKind::range ? "range " : "file ") + item.info.path, item.info.window});
    return true;
  }
  void volume(const VolumeInfo& v) override { events.push_back({"volume " + v.path, std::nullopt}); }
  void image_check(const ImageCheck&) override {}
  void error(const WalkError& e) override { events.push_back({"error " + e.path, std::nullopt}); }
  bool stopped() const override { return false; }
  std::vector<Event> events;
};

std::vector<WorkUnit> plan_fake(uint64_t unit_size, std::optional<uint64_t> margin, uint64_t min_item_cost = 0,
                                std::optional<uint64_t> unit_count = std::nullopt) {
  PlanOptions options;
  options.tool = "t";
  options.plan = "0123456789abcdef";
  options.unit_size = unit_size;
  options.unit_count = unit_count;
  options.range_margin = margin;
  options.min_item_cost = min_item_cost;
  std::vector<WorkUnit> units;
  plan_walk("s", options, [](WalkVisitor& v) { fake_walk(v, std::nullopt); }, units);
  return units;
}

/// Runs every unit through UnitFilter and joins what each one saw, windows merged back.
std::vector<Event> run_units(const std::vector<WorkUnit>& units) {
  std::vector<Event> joined;
  for (const auto& u : units) {
    Recorder r;
    UnitFilter filter(u.selector, r);
    fake_walk(filter, u.selector);
    for (auto& e : r.events) {
      if (e.window) {
        // The pieces of one range item: each window starts where the last one ended.
        if (e.window->start > 0) {
          REQUIRE(!joined.empty());
          REQUIRE(joined.back().what == e.what);
          CHECK(joined.back().window->end == e.window->start);
          joined.back().window->end = e.window->end;
          continue;
        }
      }
      joined.push_back(e);
    }
  }
  for (auto& e : joined) e.window.reset();
  return joined;
}

TEST_CASE("Planner: units follow walk order and together see every event once") {
  Recorder whole;
  fake_walk(whole, std::nullopt);
  for (uint64_t size : {uint64_t{1}, uint64_t{250}, uint64_t{700}, uint64_t{1000}, uint64_t{5000}, uint64_t{1} << 30}) {
    for (std::optional<uint64_t> margin : {std::optional<uint64_t>{}, std::optional<uint64_t>{64}}) {
      CAPTURE(size);
      CAPTURE(margin.has_value());
      const auto units = plan_fake(size, margin);
      REQUIRE(!units.empty());
      CHECK(units.front().selector.head);
      CHECK(run_units(units) == whole.events);
    }
  }
}

TEST_CASE("Planner: a small source is one unit; a large one is cut by scope, size and window") {
  const auto one = plan_fake(uint64_t{1} << 30, 64);
  REQUIRE(one.size() == 1);
  CHECK(one[0].kind == UnitKind::source);
  CHECK(one[0].selector.scope == UnitSelector::Scope::source);

  const auto units = plan_fake(1000, 64);
  std::vector<std::string> kinds;
  for (const auto& u : units) kinds.push_back(unit_kind_name(u.kind));
  // p1: volume + 5 files (1500 bytes) in two units, its 2500-byte run in three windows; the gap;
  // p2 (1210 bytes) in two; the raw image in three windows.
  CHECK(kinds == std::vector<std::string>{"files", "files", "range", "range", "range", "files", "files", "files",
                                          "range", "range", "range"});
  // A volume that fits one unit is a `volume` unit.
  const auto p2_whole = plan_fake(2000, 64);
  CHECK(std::count_if(p2_whole.begin(), p2_whole.end(), [](const WorkUnit& u) { return u.kind == UnitKind::volume; }) == 1);
  const WorkUnit& w = units[3];
  CHECK(w.selector.scope == UnitSelector::Scope::volume);
  CHECK(w.selector.volume_offset == (1u << 20));
  CHECK(w.range_offset == (2u << 20));
  // Three equal windows of the 2500 bytes, not two full ones and a remainder.
  CHECK(w.start == (2u << 20) + 833);
  CHECK(w.end == (2u << 20) + 1666);
  CHECK(w.margin == 64);
  REQUIRE(w.selector.window);
  CHECK(w.selector.window->start == 833);

  // Without a margin the tool does not split ranges: the run is one unit.
  const auto whole_ranges = plan_fake(1000, std::nullopt);
  for (const auto& u : whole_ranges) CHECK(u.kind != UnitKind::range);
}

TEST_CASE("Planner: small files count at least min_item_cost; bytes stay the content") {
  auto p1_files = [](const std::vector<WorkUnit>& units) {
    std::vector<uint64_t> bytes;  // of p1's `files` units, in plan order
    for (const auto& u : units)
      if (u.kind == UnitKind::files && u.selector.scope == UnitSelector::Scope::volume && u.selector.volume_offset == (1u << 20))
        bytes.push_back(u.bytes);
    return bytes;
  };
  // p1: 5 files of 300 bytes. By content alone, 1000-byte units take three files, then two.
  CHECK(p1_files(plan_fake(1000, 64)) == std::vector<uint64_t>{900, 600});
  // Each counting 500 (2500 in all): three units, cut nearest to a third and two thirds of the weight.
  const auto costed = plan_fake(1000, 64, 500);
  CHECK(p1_files(costed) == std::vector<uint64_t>{600, 300, 600});
  Recorder whole;
  fake_walk(whole, std::nullopt);
  CHECK(run_units(costed) == whole.events);
  // Files above the minimum count their size: p2's 1200-byte file is cut as before.
  const auto plain = plan_fake(1000, 64);
  CHECK(costed.back().bytes == plain.back().bytes);
  // Byte ranges are read, not opened: their windows do not change.
  auto ranges = [](const std::vector<WorkUnit>& units) {
    return std::count_if(units.begin(), units.end(), [](const WorkUnit& u) { return u.kind == UnitKind::range; });
  };
  CHECK(ranges(costed) == ranges(plain));
}

TEST_CASE("Planner: a run is cut into equal units, not full ones and a small remainder") {
  // p1's volume and 5 files of 300 bytes (1500) with 1400-byte units: two units of 900 and 600 (a file
  // boundary nearest to 750), not 1200 and 300.
  const auto units = plan_fake(1400, 64);
  std::vector<uint64_t> p1;
  for (const auto& u : units)
    if (u.kind == UnitKind::files && u.selector.scope == UnitSelector::Scope::volume && u.selector.volume_offset == (1u << 20))
      p1.push_back(u.bytes);
  CHECK(p1 == std::vector<uint64_t>{900, 600});
  Recorder whole;
  fake_walk(whole, std::nullopt);
  CHECK(run_units(units) == whole.events);
}

TEST_CASE("Planner: --units N cuts into N units of about equal weight") {
  Recorder whole;
  fake_walk(whole, std::nullopt);
  // The fake walk has five parts that units cannot share: p1's files, p1's long range, the gap, p2, the raw image.
  for (uint64_t n : {1, 2, 4, 5, 8, 13, 40}) {
    CAPTURE(n);
    const auto units = plan_fake(0, 64, 0, n);
    REQUIRE(!units.empty());
    CHECK(units.front().selector.head);
    CHECK(run_units(units) == whole.events);
    // Fewer parts than units: exactly N (40 is more than the fake walk's files and bytes allow).
    if (n >= 5 && n <= 13) CHECK(units.size() == n);
  }
  // One unit: the source whole.
  const auto one = plan_fake(0, 64, 0, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0].kind == UnitKind::source);
  // Eight units of 8310 bytes in all (shares 1.4, 2.4, 0.1, 1.2, 2.9): at least one each, two for p1's
  // range and the raw image, and the one left goes to the largest remainder, the raw image's.
  const auto eight = plan_fake(0, 64, 0, 8);
  std::vector<std::string> kinds;
  std::vector<uint64_t> bytes;
  for (const auto& u : eight) {
    kinds.push_back(unit_kind_name(u.kind));
    bytes.push_back(u.bytes);
  }
  CHECK(fmt::format("{}", fmt::join(kinds, " ")) == "files range range files volume range range range");
  CHECK(bytes == std::vector<uint64_t>{1500, 1250, 1250, 100, 1210, 1000, 1000, 1000});
}

TEST_CASE("Planner: --units keeps memory bounded on a long walk and still balances it") {
  // Like /usr in an ext4 image: a few large files, then many small ones that count min_item_cost each, more
  // than the segments a stretch keeps (the granule grows while the walk goes on).
  constexpr uint64_t kMin = 32 << 10;
  std::vector<uint64_t> sizes;
  for (int i = 0; i < 10; ++i) sizes.push_back(uint64_t{256} << 20);
  for (int i = 0; i < 60000; ++i) sizes.push_back(i % 50 == 0 ? uint64_t{3} << 20 : 1000 + (i % 7) * 3000);
  for (int i = 0; i < 3; ++i) sizes.push_back(uint64_t{40} << 20);
  for (uint64_t n : {8, 3, 64}) {
    CAPTURE(n);
    PlanOptions options;
    options.tool = "t";
    options.plan = "0123456789abcdef";
    options.unit_count = n;
    options.min_item_cost = kMin;
    std::vector<WorkUnit> units;
    plan_walk("s", options, [&](WalkVisitor& v) {
      v.scope(1u << 20);
      v.volume(VolumeInfo{"s", "p1", 1u, 1u << 20, 6u << 20, "dos", "", "ext4"});
      for (size_t i = 0; i < sizes.size(); ++i) {
        Item item;
        item.info.path = "p1/f" + std::to_string(i);
        item.info.size = sizes[i];
        v.item(std::move(item));
      }
    }, units);
    REQUIRE(units.size() == n);
    // Ordinal 0 is the volume; file i is ordinal i + 1.
    auto weight = [&](const WorkUnit& u) {
      uint64_t w = 0;
      const uint64_t last = std::min<uint64_t>(u.selector.last, sizes.size() + 1);
      for (uint64_t o = std::max<uint64_t>(u.selector.first, 1); o < last; ++o) w += std::max(sizes[o - 1], kMin);
      return w;
    };
    uint64_t total = 0;
    for (uint64_t s : sizes) total += std::max(s, kMin);
    const uint64_t share = total / n;
    for (const auto& u : units) {
      CAPTURE(u.index);
      CAPTURE(u.selector.first);
      // A unit is its share give or take the largest file and 1 % of a share (where the cut can fall).
      const uint64_t w = weight(u);
      CHECK(w + (uint64_t{256} << 20) + share / 100 >= share);
      CHECK(w <= share + (uint64_t{256} << 20) + share / 100);
    }
    CHECK(units.front().selector.first == 0);
    for (size_t i = 1; i < units.size(); ++i) CHECK(units[i].selector.first == units[i - 1].selector.last);
  }
}

/// Reports a file of `size` bytes at `path` to the walk's visitor.
void walk_file(WalkVisitor& v, std::string path, uint64_t size) {
  Item item;
  item.info.path = std::move(path);
  item.info.size = size;
  v.item(std::move(item));
}

/// Units of 1000 bytes from a walk without the orphan search, as plan_units makes it, of one volume p1 (its
/// file system `fs_type`, `length` bytes at 1 MiB) whose events after the volume `files` reports.
std::vector<WorkUnit> plan_without_orphans(const char* fs_type, uint64_t length,
                                           const std::function<void(WalkVisitor&)>& files) {
  PlanOptions options;
  options.tool = "t";
  options.plan = "0123456789abcdef";
  options.unit_size = 1000;
  options.walk.orphans = false;
  std::vector<WorkUnit> units;
  plan_walk("s", options, [&](WalkVisitor& v) {
    v.scope(1u << 20);
    v.volume(VolumeInfo{"s", "p1", 1u, 1u << 20, length, "dos", "", fs_type});
    files(v);
  }, units);
  return units;
}

TEST_CASE("Planner: without the orphan search, a volume's last unit runs to the end of its scope") {
  // The plan's walk leaves out p1's last file and p2's, as a walk without orphans would.
  const auto units = plan_without_orphans("fat32", 6u << 20, [](WalkVisitor& v) {
    for (int i = 0; i < 4; ++i) walk_file(v, "p1/f" + std::to_string(i), 300);
  });
  REQUIRE(units.size() == 2);
  CHECK(units[0].selector.last == 3);
  CHECK(units[1].selector.first == 3);
  CHECK(units[1].selector.last == UINT64_MAX);
  // Run against the whole walk, the units see all of p1: its fifth file and unallocated run too.
  std::vector<Event> seen;
  for (const auto& u : units) {
    Recorder r;
    UnitFilter filter(u.selector, r);
    fake_walk(filter, u.selector);
    seen.insert(seen.end(), r.events.begin(), r.events.end());
  }
  REQUIRE(seen.size() == 7);
  CHECK(seen[5].what == "file p1/f4");
  CHECK(seen[6].what == "range p1/$Unallocated");
}

TEST_CASE("Planner: no unit starts past the orphans a plan left out") {
  // libtsk walks the root's $OrphanFiles before pagefile.sys and hiberfil.sys: a unit's walk numbers those
  // two after the orphans, so the plan must not start a unit at them, however heavy they are.
  const auto units = plan_without_orphans("ntfs", 64u << 20, [](WalkVisitor& v) {
    for (const char* name : {"Users/a", "Users/b", "Windows/c", "Windows/d"}) walk_file(v, std::string("p1/") + name, 600);
    v.orphans_skipped();
    for (const char* name : {"pagefile.sys", "hiberfil.sys"}) walk_file(v, std::string("p1/") + name, 5000);
  });
  REQUIRE(units.size() >= 2);
  CHECK(units.back().selector.first <= 4);  // ordinal 4: the last file before the orphans
  CHECK(units.back().selector.last == UINT64_MAX);
  for (const auto& u : units) CHECK(u.path.find(".sys") == std::string::npos);
}

TEST_CASE("WorkUnit: the unit record reads back as written") {
  auto units = plan_fake(1000, 64);
  for (size_t i = 0; i < units.size(); ++i) {
    units[i].index = i;
    units[i].count = units.size();
    units[i].args = {"--unallocated", "-c", "md5", "a \"quoted\" \xC3\xA9 arg"};
  }
  for (const auto& u : units) {
    std::string line;
    record::append_json(line, unit_record(u));
    auto parsed = record::parse_json_record(line);
    REQUIRE(parsed);
    auto back = unit_from_record(*parsed);
    REQUIRE(back);
    std::string again;
    record::append_json(again, unit_record(*back));
    CHECK(again == line);
    CHECK(back->args == u.args);
    CHECK(back->selector.first == u.selector.first);
    CHECK(back->selector.last == u.selector.last);
    CHECK(back->selector.window.has_value() == u.selector.window.has_value());
  }
  CHECK(units[0].id() == "unit-00000");
}

TEST_CASE("WorkUnit: bad unit records are errors, not crashes") {
  for (const char* line : {R"({"type":"file"})", R"({"type":"unit","tool":"t"})",
                           R"({"type":"unit","tool":"t","plan":"p","source":"s","kind":"nope","scope":"source","index":0,"count":1,"first":0,"start":0,"end":0,"margin":0,"args":[]})",
                           R"({"type":"unit","tool":"t","plan":"p","source":"s","kind":"files","scope":"volume","index":0,"count":1,"first":5,"last":2,"volume_offset":0,"start":0,"end":0,"margin":0,"args":[]})",
                           R"({"type":"unit","tool":"t","plan":"p","source":"s","kind":"range","scope":"outside","index":0,"count":1,"first":0,"last":1,"range_offset":10,"start":5,"end":20,"margin":0,"args":[]})",
                           R"({"type":"unit","tool":"t","plan":"p","source":"s","kind":"source","scope":"source","index":0,"count":1,"first":0,"start":0,"end":0,"margin":0,"args":"x"})"}) {
    CAPTURE(line);
    auto r = record::parse_json_record(line);
    REQUIRE(r);
    CHECK_FALSE(unit_from_record(*r));
  }
  CHECK(parse_string_array(R"([])")->empty());
  CHECK(*parse_string_array(R"( ["a", "b\"c" ] )") == std::vector<std::string>{"a", "b\"c"});
  for (const char* bad : {"", "[", "[\"a\"", "[\"a\",]", "[1]", "{\"a\":1}", "[\"a\\"})
    CHECK_FALSE(parse_string_array(bad));
}

TEST_CASE("UnitFilter: a window on an item that is not a byte range is an error") {
  UnitSelector selector;
  selector.scope = UnitSelector::Scope::volume;
  selector.volume_offset = 1u << 20;
  selector.first = 1;  // p1's first file, but planned as a window
  selector.last = 2;
  selector.window = ByteWindow{0, 10};
  Recorder r;
  UnitFilter filter(selector, r);
  fake_walk(filter, selector);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].what == "error p1/f0");
  CHECK(filter.stopped());
}

}  // namespace
}  // namespace trawl::io
