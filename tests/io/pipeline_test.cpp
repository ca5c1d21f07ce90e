#include "io/pipeline.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "record/jsonl_writer.hpp"

namespace trawl::io {
namespace {

std::string read_fixture(const std::string& name) { return test::read_data_file("archives/" + name); }

/// A one-pass stream: no size, no random access, short reads.
struct OneWayStream final : test::OneWayStream {
  explicit OneWayStream(std::string bytes) : test::OneWayStream(std::move(bytes), 333) {}
};

/// Writes one record per item: its address, the bytes it read and their sum.
class SummingConsumer final : public ItemConsumer {
 public:
  void consume(const ItemInfo& info, ByteStream* data, record::RecordSink& out) override {
    record::Record r("seen", "test");
    r.set("path", info.path).set("depth", info.depth);
    if (data != nullptr) {
      uint64_t length = 0, sum = 0;
      std::byte block[1000];
      for (;;) {
        auto n = data->read(block);
        if (!n) {
          r.set("read_error", errc_name(n.error().code));
          break;
        }
        if (*n == 0) break;
        length += *n;
        for (size_t i = 0; i < *n; ++i) sum += static_cast<unsigned>(block[i]);
      }
      r.set("length", length).set("sum", sum);
    }
    ++calls;
    out.write(r);
  }
  std::atomic<uint64_t> calls{0};
};

/// An opener's result holding a new stream of type S.
template <typename S, typename... Args>
Result<std::unique_ptr<ByteStream>> opened(Args&&... args) {
  return std::unique_ptr<ByteStream>(std::make_unique<S>(std::forward<Args>(args)...));
}

enum class Content { text, zip, zip_one_way, open_error };

Content content_of(int i) {
  if (i % 37 == 5) return Content::open_error;
  if (i % 10 == 3) return Content::zip;
  if (i % 25 == 7) return Content::zip_one_way;
  return Content::text;
}

/// ~500 items; every so often a zip (seekable or one-way), an opener that fails, a walk error.
void fake_walk(WalkVisitor& visitor, int count, const std::string& zip) {
  for (int i = 0; i < count && !visitor.stopped(); ++i) {
    Item item;
    item.info.source = "/ev";
    item.info.path = "/ev/item" + std::to_string(i);
    item.info.host_path = item.info.path;
    switch (content_of(i)) {
      case Content::open_error:
        item.open = [i]() -> Result<std::unique_ptr<ByteStream>> {
          return make_error(Errc::io, "cannot open item " + std::to_string(i));
        };
        break;
      case Content::zip:
        item.open = [&zip]() -> Result<std::unique_ptr<ByteStream>> { return opened<MemoryStream>(zip); };
        break;
      case Content::zip_one_way:
        item.open = [&zip]() -> Result<std::unique_ptr<ByteStream>> { return opened<OneWayStream>(zip); };
        break;
      case Content::text:
        item.open = [i]() -> Result<std::unique_ptr<ByteStream>> {
          // Different lengths so slow and fast items interleave across workers.
          return opened<MemoryStream>(std::string(static_cast<size_t>(i % 7) * 5000 + 1, static_cast<char>('a' + i % 26)));
        };
    }
    if (!visitor.item(std::move(item))) break;
    if (i % 100 == 50) visitor.error(WalkError{"/ev", "/ev/dir" + std::to_string(i), make_error(Errc::io, "unreadable"), {}});
  }
}

std::vector<std::string> run(unsigned threads, int count = 500) {
  const std::string zip = read_fixture("basic.zip");
  SummingConsumer consumer;
  record::VectorSink sink;
  PipelineOptions options;
  options.tool = "test";
  options.threads = threads;
  PipelineCounters counters;
  run_pipeline([&](WalkVisitor& v) { fake_walk(v, count, zip); }, consumer, sink, options, counters);
  std::vector<std::string> lines;
  for (const auto& r : sink.records) {
    std::string line;
    record::append_json(line, r);
    lines.push_back(line);
  }
  return lines;
}

/// Records the sink saw, stopping after `limit`.
class StoppingSink final : public record::RecordSink {
 public:
  explicit StoppingSink(size_t limit) : limit_(limit) {}
  record::SinkStatus write(const record::Record&) override {
    ++writes;
    return writes >= limit_ ? record::SinkStatus::stop : record::SinkStatus::proceed;
  }
  size_t writes = 0;

 private:
  size_t limit_;
};

}  // namespace

TEST_CASE("Pipeline: output is identical for 1, 2 and 8 threads") {
  const auto one = run(1);
  const auto two = run(2);
  const auto eight = run(8);
  CHECK(one.size() > 500);
  CHECK(one == two);
  CHECK(one == eight);
}

TEST_CASE("Pipeline: records follow walk order and archive members follow their container") {
  const auto lines = run(4);
  const std::string zip_length = std::to_string(read_fixture("basic.zip").size());
  size_t at = 0;
  auto expect = [&](const std::string& prefix) {
    REQUIRE(at < lines.size());
    INFO("line " << at << ": " << lines[at]);
    CHECK(lines[at].rfind(prefix, 0) == 0);
    ++at;
  };
  for (int i = 0; i < 500; ++i) {
    const std::string path = "/ev/item" + std::to_string(i);
    switch (content_of(i)) {
      case Content::open_error:
        expect("{\"type\":\"error\",\"tool\":\"test\",\"schema\":1,\"source\":\"/ev\",\"path\":\"" + path +
               "\",\"error\":\"io\",\"detail\":\"cannot open item " + std::to_string(i) + "\"}");
        break;
      case Content::zip:
      case Content::zip_one_way:
        expect("{\"type\":\"seen\",\"tool\":\"test\",\"schema\":1,\"path\":\"" + path + "\",\"depth\":0,\"length\":" + zip_length + ",");
        expect("{\"type\":\"seen\",\"tool\":\"test\",\"schema\":1,\"path\":\"" + path + "!/docs/readme.txt\",\"depth\":1,\"length\":116,");
        expect("{\"type\":\"seen\",\"tool\":\"test\",\"schema\":1,\"path\":\"" + path + "!/docs/empty.txt\",\"depth\":1,\"length\":0,");
        expect("{\"type\":\"seen\",\"tool\":\"test\",\"schema\":1,\"path\":\"" + path + "!/data/numbers.bin\",\"depth\":1,\"length\":1000,");
        break;
      case Content::text:
        expect("{\"type\":\"seen\",\"tool\":\"test\",\"schema\":1,\"path\":\"" + path + "\",\"depth\":0,\"length\":" +
               std::to_string((i % 7) * 5000 + 1) + ",");
    }
    if (i % 100 == 50) expect("{\"type\":\"error\",\"tool\":\"test\",\"schema\":1,\"source\":\"/ev\",\"path\":\"/ev/dir" + std::to_string(i) + "\"");
  }
  CHECK(at == lines.size());
}

TEST_CASE("Pipeline: counters count items, members, bytes and errors") {
  const std::string zip = read_fixture("basic.zip");
  SummingConsumer consumer;
  record::VectorSink sink;
  PipelineOptions options;
  options.tool = "test";
  options.threads = 2;
  PipelineCounters counters;
  run_pipeline([&](WalkVisitor& v) { fake_walk(v, 100, zip); }, consumer, sink, options, counters);
  int zips = 0, open_errors = 0;
  for (int i = 0; i < 100; ++i) {
    zips += content_of(i) == Content::zip || content_of(i) == Content::zip_one_way;
    open_errors += content_of(i) == Content::open_error;
  }
  CHECK(counters.items == static_cast<uint64_t>(100 + 3 * zips));
  CHECK(counters.errors == static_cast<uint64_t>(open_errors + 1));  // + the walk error at 50
  CHECK(consumer.calls == static_cast<uint64_t>(100 - open_errors + 3 * zips));
  CHECK(counters.bytes > 0);
}

TEST_CASE("Pipeline: a sink that stops ends the run promptly, whatever the thread count") {
  const std::string zip = read_fixture("basic.zip");
  for (unsigned threads : {1u, 2u, 8u}) {
    INFO("threads " << threads);
    SummingConsumer consumer;
    StoppingSink sink(10);
    PipelineOptions options;
    options.tool = "test";
    options.threads = threads;
    PipelineCounters counters;
    const auto start = std::chrono::steady_clock::now();
    run_pipeline([&](WalkVisitor& v) { fake_walk(v, 1000000, zip); }, consumer, sink, options, counters);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(sink.writes == 10);
    CHECK(took < std::chrono::seconds(20));
    // The walk stopped within its look-ahead window, not after a million items.
    CHECK(counters.items < 20000);
  }
}

TEST_CASE("Pipeline: a producer that ignores stop still ends without deadlock") {
  SummingConsumer consumer;
  StoppingSink sink(3);
  PipelineOptions options;
  options.tool = "test";
  options.threads = 4;
  PipelineCounters counters;
  int offered = 0;
  run_pipeline(
      [&](WalkVisitor& v) {
        for (int i = 0; i < 10000; ++i, ++offered) {
          Item item;
          item.info.source = "/ev";
          item.info.path = "/ev/" + std::to_string(i);
          item.open = []() -> Result<std::unique_ptr<ByteStream>> { return opened<MemoryStream>("x"); };
          (void)v.item(std::move(item));
        }
      },
      consumer, sink, options, counters);
  CHECK(offered == 10000);
  CHECK(sink.writes == 3);
}

/// Writes the window each call was given, and the letters a window owns: the
/// bytes it would report when hits are owned by the window they start in.
class WindowConsumer final : public ItemConsumer {
 public:
  void consume(const ItemInfo& info, ByteStream* data, record::RecordSink& out) override {
    record::Record r("window", "test");
    r.set("path", info.path);
    const ByteWindow w = info.window.value_or(ByteWindow{0, info.size.value_or(0)});
    r.set("start", w.start).set("end", w.end).set("after_window", info.after_window);
    std::string owned(static_cast<size_t>(w.end - w.start), '\0');
    auto n = read_full_at(*data, w.start, std::as_writable_bytes(std::span(owned)));
    r.set("owned", n ? owned.substr(0, *n) : std::string("read error"));
    out.write(r);
  }
};

namespace {

/// Pipeline options that cut byte ranges over 1000 bytes into windows, for `threads` workers.
PipelineOptions cutting_options(unsigned threads) {
  PipelineOptions options;
  options.tool = "test";
  options.threads = threads;
  options.split_ranges_over = 1000;
  return options;
}

/// An item of source "/ev" at `path`, of `kind` and `size`, opened by `open`.
Item ev_item(std::string path, ItemKind kind, uint64_t size, std::function<Result<std::unique_ptr<ByteStream>>()> open) {
  Item item;
  item.info.source = "/ev";
  item.info.path = std::move(path);
  item.info.kind = kind;
  item.info.size = size;
  item.open = std::move(open);
  return item;
}

}  // namespace

TEST_CASE("Pipeline: a long byte range is cut into windows for the workers, in order, counted once") {
  std::string bytes;
  for (int i = 0; i < 10007; ++i) bytes += static_cast<char>('a' + i % 26);
  for (unsigned threads : {1u, 2u, 4u}) {
    for (std::optional<ByteWindow> unit : {std::optional<ByteWindow>{}, std::optional<ByteWindow>{ByteWindow{1234, 9001}}}) {
      CAPTURE(threads);
      WindowConsumer consumer;
      record::VectorSink sink;
      PipelineOptions options = cutting_options(threads);
      PipelineCounters counters;
      run_pipeline(
          [&](WalkVisitor& v) {
            for (const ItemKind kind : {ItemKind::range, ItemKind::file}) {
              Item item = ev_item("/ev/range", kind, bytes.size(),
                                  [&bytes]() -> Result<std::unique_ptr<ByteStream>> { return opened<MemoryStream>(bytes); });
              item.info.window = unit;
              (void)v.item(std::move(item));
            }
          },
          consumer, sink, options, counters);
      const ByteWindow whole = unit.value_or(ByteWindow{0, bytes.size()});
      // Cut at every thread count (the records must not depend on -j); a file is not cut without split_files.
      const size_t pieces = (whole.end - whole.start) / 1000;
      REQUIRE(sink.records.size() == pieces + 1);
      std::string owned;
      uint64_t at = whole.start;
      for (size_t k = 0; k < pieces; ++k) {
        const auto& r = sink.records[k];
        CHECK(r.get_uint("start") == at);
        // Only the pipeline's own later windows follow one this process consumes (a unit's first does not).
        CHECK(r.get_bool("after_window") == (k > 0));
        at = r.get_uint("end").value_or(0);
        owned += r.get_string("owned").value_or("");
      }
      CHECK(at == whole.end);
      CHECK(owned == bytes.substr(whole.start, whole.end - whole.start));
      CHECK(counters.items == 2);
    }
  }
}

/// Counts the items it consumes and the ones it is told were skipped.
class SkipCountingConsumer final : public ItemConsumer {
 public:
  void consume(const ItemInfo&, ByteStream*, record::RecordSink&) override { ++consumed; }
  void skipped(const ItemInfo& info) override {
    ++skips;
    skipped_start = info.window ? info.window->start : 0;
  }
  std::atomic<int> consumed{0};
  std::atomic<int> skips{0};
  std::atomic<uint64_t> skipped_start{0};
};

TEST_CASE("Pipeline: a window that cannot be opened is reported to the consumer as skipped") {
  for (unsigned threads : {1u, 2u}) {
    CAPTURE(threads);
    SkipCountingConsumer consumer;
    record::VectorSink sink;
    PipelineOptions options = cutting_options(threads);
    PipelineCounters counters;
    auto opens = std::make_shared<std::atomic<int>>(0);
    run_pipeline(
        [&](WalkVisitor& v) {
          (void)v.item(ev_item("/ev/range", ItemKind::range, 3000, [opens]() -> Result<std::unique_ptr<ByteStream>> {
            if (++*opens == 2) return make_error(Errc::io, "second window unreadable");
            return opened<MemoryStream>(std::string(3000, 'x'));
          }));
        },
        consumer, sink, options, counters);
    CHECK(consumer.consumed == 2);
    CHECK(consumer.skips == 1);
    if (threads == 1) CHECK(consumer.skipped_start == 1000);  // with workers, which window opens second varies
  }
}

TEST_CASE("Pipeline: with split_files a long file is cut too, and only its first window opens it as an archive") {
  const std::string bytes = read_fixture("basic.zip") + std::string(5000, 'z');
  auto run_cut = [&](bool split_files, PipelineCounters& counters) {
    WindowConsumer consumer;
    record::VectorSink sink;
    PipelineOptions options = cutting_options(2);
    options.split_files = split_files;
    run_pipeline(
        [&](WalkVisitor& v) {
          (void)v.item(ev_item("/ev/big.zip", ItemKind::file, bytes.size(),
                               [&bytes]() -> Result<std::unique_ptr<ByteStream>> { return opened<MemoryStream>(bytes); }));
        },
        consumer, sink, options, counters);
    return std::move(sink.records);
  };
  PipelineCounters uncut_counters, cut_counters;
  const auto uncut = run_cut(false, uncut_counters);
  const auto cut = run_cut(true, cut_counters);
  std::vector<std::string> uncut_members, cut_members;
  std::string owned;
  size_t windows = 0;
  for (const auto& r : uncut)
    if (r.get_string("path") != "/ev/big.zip") uncut_members.push_back(r.get_string("owned").value_or(""));
  for (const auto& r : cut) {
    if (r.get_string("path") == "/ev/big.zip") {
      ++windows;
      owned += r.get_string("owned").value_or("");
    } else {
      cut_members.push_back(r.get_string("owned").value_or(""));
    }
  }
  REQUIRE(uncut.size() == 1 + uncut_members.size());
  CHECK(!uncut_members.empty());
  CHECK(windows == bytes.size() / 1000);
  CHECK(owned == bytes);
  CHECK(cut_members == uncut_members);  // opened once, not once per window
  CHECK(cut_counters.items == uncut_counters.items);
}

TEST_CASE("Pipeline: an empty walk writes nothing") {
  SummingConsumer consumer;
  record::VectorSink sink;
  PipelineOptions options;
  options.threads = 8;
  PipelineCounters counters;
  run_pipeline([](WalkVisitor&) {}, consumer, sink, options, counters);
  CHECK(sink.records.empty());
  CHECK(counters.items == 0);
}

}  // namespace trawl::io
