#include "io/pipeline.hpp"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "io/archive_walk.hpp"
#include "io/detect.hpp"
#include "io/item_record.hpp"
#include "io/source_walk.hpp"

namespace trawl::io {
namespace {

/// How many items may be walked ahead of the output. Bounds memory when one
/// item (a large archive) holds up the ones behind it.
constexpr uint64_t kWindow = 4096;

/// Writes finished jobs to the sink strictly in sequence order.
class OrderedEmitter {
 public:
  OrderedEmitter(record::RecordSink& sink, PipelineCounters& counters) : sink_(sink), counters_(counters) {}

  void complete(uint64_t seq, std::vector<record::Record> records) {
    std::lock_guard lock(mutex_);
    done_.emplace(seq, std::move(records));
    for (auto it = done_.find(next_); it != done_.end(); it = done_.find(next_)) {
      for (const auto& r : it->second) {
        if (r.type() == "error") ++counters_.errors;
        if (!stopped_ && sink_.write(r) == record::SinkStatus::stop) stopped_ = true;
      }
      done_.erase(it);
      ++next_;
    }
    room_.notify_all();
  }

  /// Blocks the producer until `seq` is within the window of the output.
  void wait_for_room(uint64_t seq) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return stopped_ || seq < next_ + kWindow; });
  }

  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

 private:
  record::RecordSink& sink_;
  PipelineCounters& counters_;
  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::map<uint64_t, std::vector<record::Record>> done_;
  uint64_t next_ = 0;
  bool stopped_ = false;
};

/// Counts the bytes a consumer reads, for progress and the summary, and
/// keeps the first bytes of a front-to-back read for content detection.
class CountingStream final : public ByteStream {
 public:
  CountingStream(ByteStream& inner, std::atomic<uint64_t>& bytes) : inner_(inner), bytes_(bytes) {}
  Result<size_t> read(std::span<std::byte> buffer) override {
    auto n = inner_.read(buffer);
    if (!n) return n;
    bytes_ += *n;
    if (*n == 0) at_end_ = true;
    keep_head(position_, buffer.first(*n));
    position_ += *n;
    return n;
  }
  bool viewable() const override { return inner_.viewable(); }
  Result<std::span<const std::byte>> view_at(uint64_t offset, size_t length) override {
    auto v = inner_.view_at(offset, length);
    if (!v) return v;
    // The chunker's views overlap by its margin: count each byte once, as its copying reads do.
    const uint64_t end = offset + v->size();
    if (end > viewed_end_) {
      bytes_ += end - std::max(offset, viewed_end_);
      viewed_end_ = end;
    }
    if (v->size() < length) at_end_ = true;
    keep_head(offset, *v);
    return v;
  }
  /// The first bytes read in order (up to kDetectHeadBytes).
  std::string take_head() { return std::move(head_); }
  /// True when the consumer read to the end, so a short head is the whole item.
  bool reached_end() const { return at_end_; }
  std::optional<uint64_t> size() const override { return inner_.size(); }
  bool seekable() const override { return inner_.seekable(); }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override {
    auto n = inner_.read_at(offset, buffer);
    if (n) bytes_ += *n;
    return n;
  }
  std::optional<uint64_t> image_offset(uint64_t item_offset) const override {
    return inner_.image_offset(item_offset);
  }

 private:
  /// Extends the head with `bytes` (at `offset`) when they continue it.
  void keep_head(uint64_t offset, std::span<const std::byte> bytes) {
    const uint64_t have = head_.size();
    if (have >= kDetectHeadBytes || offset > have || offset + bytes.size() <= have) return;
    const auto from = static_cast<size_t>(have - offset);
    const size_t keep = std::min<size_t>(bytes.size() - from, kDetectHeadBytes - head_.size());
    head_.append(reinterpret_cast<const char*>(bytes.data()) + from, keep);
  }

  ByteStream& inner_;
  std::atomic<uint64_t>& bytes_;
  std::string head_;
  uint64_t position_ = 0;
  uint64_t viewed_end_ = 0;  ///< end of the furthest view, for counting
  bool at_end_ = false;
};

/// A one-pass stream whose first bytes are read ahead for detection, and
/// whose bytes are kept (up to a limit) so a nested archive can be opened
/// after the consumer has read them.
class BufferedMember final : public ByteStream {
 public:
  BufferedMember(ByteStream& inner, uint64_t keep_limit) : inner_(inner), keep_limit_(keep_limit) {}

  Result<std::string> peek(size_t n) {
    while (kept_.size() < n && !eof_) {
      std::byte block[16 * 1024];
      auto got = inner_.read(std::span(block, std::min(sizeof block, n - kept_.size())));
      if (!got) return got.error();
      if (*got == 0) eof_ = true;
      kept_.append(reinterpret_cast<const char*>(block), *got);
    }
    return kept_.substr(0, std::min(n, kept_.size()));
  }

  Result<size_t> read(std::span<std::byte> buffer) override {
    if (served_ < kept_.size()) {
      const size_t n = std::min(buffer.size(), kept_.size() - served_);
      std::memcpy(buffer.data(), kept_.data() + served_, n);
      served_ += n;
      return n;
    }
    if (eof_) return size_t{0};
    auto n = inner_.read(buffer);
    if (!n) return n;
    if (*n == 0) eof_ = true;
    if (keeping_) {
      if (kept_.size() + *n > keep_limit_) {
        keeping_ = false;
        kept_.clear();
        kept_.shrink_to_fit();
        served_ = 0;
      } else {
        kept_.append(reinterpret_cast<const char*>(buffer.data()), *n);
        served_ = kept_.size();
      }
    }
    return n;
  }
  std::optional<uint64_t> size() const override { return inner_.size(); }

  void keep(bool on) { keeping_ = on; }
  /// Reads what the consumer left unread, so the kept copy is complete.
  Status drain() {
    std::byte block[64 * 1024];
    for (;;) {
      auto n = read(block);
      if (!n) return n.error();
      if (*n == 0) return ok_status();
      if (!keeping_) return ok_status();
    }
  }
  bool complete_copy() const { return keeping_ && eof_; }
  std::string take() { return std::move(kept_); }

 private:
  ByteStream& inner_;
  uint64_t keep_limit_;
  std::string kept_;
  size_t served_ = 0;
  bool eof_ = false;
  bool keeping_ = false;
};

class Engine {
 public:
  Engine(ItemConsumer& consumer, const PipelineOptions& options, PipelineCounters& counters)
      : consumer_(consumer), options_(options), counters_(counters) {}

  /// Processes one item the walk produced, members and nested images included.
  void process(const Item& item, record::RecordSink& out) {
    if (!item.continuation) ++counters_.items;
    const ItemInfo& info = item.info;
    if (!info.has_content || info.kind == ItemKind::symlink || info.kind == ItemKind::special) {
      consumer_.consume(info, nullptr, out);
      return;
    }
    auto opened = item.open();
    if (!opened) {
      out.write(error_record(options_.tool, info.source, info.path, opened.error(), info.offset));
      consumer_.skipped(info);
      return;
    }
    ArchiveBudget budget;
    if (item.continuation) {
      // A later window of a cut item: its archives and images are opened with the first.
      CountingStream counted(**opened, counters_.bytes);
      consumer_.consume(info, &counted, out);
      return;
    }
    process_stream(info, **opened, out, budget);
  }

 private:
  void process_stream(const ItemInfo& info, ByteStream& stream, record::RecordSink& out, ArchiveBudget& budget) {
    if (stream.seekable()) {
      CountingStream counted(stream, counters_.bytes);
      consumer_.consume(info, &counted, out);
      // Most consumers read from the start, so the head is already known;
      // otherwise it costs one more read.
      std::string head = counted.take_head();
      if (head.size() < kDetectHeadBytes && !counted.reached_end()) {
        head.assign(kDetectHeadBytes, '\0');
        auto n = read_full_at(stream, 0, std::as_writable_bytes(std::span(head)));
        head.resize(n ? *n : 0);
      }
      descend(info, head, stream, out, budget);
      return;
    }
    BufferedMember member(stream, options_.walk.limits.max_nested_buffer);
    auto head = member.peek(kDetectHeadBytes);
    const bool archive = head && wants_archive(info, *head);
    member.keep(archive);
    CountingStream counted(member, counters_.bytes);
    consumer_.consume(info, &counted, out);
    if (!archive) return;
    if (auto drained = member.drain(); !drained) return;  // the consumer already reported the read error
    if (!member.complete_copy()) {
      out.write(error_record(options_.tool, info.source, info.path,
                             make_error(Errc::resource_exhausted, "nested archive larger than --max-nested-buffer (" +
                                                                      std::to_string(options_.walk.limits.max_nested_buffer) +
                                                                      " bytes): not opened")));
      return;
    }
    MemoryStream copy(member.take());
    descend(info, *head, copy, out, budget);
  }

  bool wants_archive(const ItemInfo& info, const std::string& head) const {
    return options_.walk.archives && info.kind == ItemKind::file && looks_like_archive(head);
  }

  void descend(const ItemInfo& info, const std::string& head, ByteStream& stream, record::RecordSink& out,
               ArchiveBudget& budget) {
    const ContentKind kind = detect_content(head);
    const bool image = kind == ContentKind::ewf || kind == ContentKind::volume || kind == ContentKind::filesystem;
    if (image && info.kind == ItemKind::file && !info.host_path.empty() && info.members.empty()) {
      walk_nested_image(info, out);
      return;
    }
    if (!wants_archive(info, head)) return;
    if (info.depth >= options_.walk.limits.max_depth) {
      out.write(error_record(options_.tool, info.source, info.path,
                             make_error(Errc::resource_exhausted, "archive nested deeper than --max-depth (" +
                                                                      std::to_string(options_.walk.limits.max_depth) +
                                                                      "): not opened")));
      return;
    }
    auto on_member = [&](ItemInfo& member, ByteStream& data) {
      ++counters_.items;
      if (member.kind == ItemKind::symlink) {
        consumer_.consume(member, nullptr, out);
      } else {
        process_stream(member, data, out, budget);
      }
      return !stopped_();
    };
    auto on_error = [&](const std::string& path, const Error& error) {
      out.write(error_record(options_.tool, info.source, path, error));
    };
    auto status = walk_archive(stream, info, options_.walk.limits, budget, on_member, on_error);
    if (!status) out.write(error_record(options_.tool, info.source, info.path, status.error()));
  }

  /// A disk image found as a file in a directory tree: walked in this worker.
  void walk_nested_image(const ItemInfo& info, record::RecordSink& out);

 public:
  /// An item not processed because output stopped.
  void skip(const Item& item) {
    if (item.info.has_content) consumer_.skipped(item.info);
  }

  std::function<bool()> stopped_ = [] { return false; };

 private:
  ItemConsumer& consumer_;
  const PipelineOptions& options_;
  PipelineCounters& counters_;
};

/// Reports what a nested image walk finds straight into one job's records.
class InlineVisitor final : public WalkVisitor {
 public:
  InlineVisitor(Engine& engine, record::RecordSink& out, const PipelineOptions& options, std::function<bool()> stopped)
      : engine_(engine), out_(out), options_(options), stopped_(std::move(stopped)) {}
  bool item(Item item) override {
    engine_.process(item, out_);
    return !stopped();
  }
  void volume(const VolumeInfo& v) override { out_.write(volume_record(options_.tool, v)); }
  void image_check(const ImageCheck& c) override {
    for (const auto& r : image_check_records(options_.tool, c)) out_.write(r);
  }
  void error(const WalkError& e) override { out_.write(error_record(options_.tool, e.source, e.path, e.error, e.offset)); }
  bool stopped() const override { return stopped_(); }

 private:
  Engine& engine_;
  record::RecordSink& out_;
  const PipelineOptions& options_;
  std::function<bool()> stopped_;
};

void Engine::walk_nested_image(const ItemInfo& info, record::RecordSink& out) {
  InlineVisitor visitor(*this, out, options_, stopped_);
  // A work unit selects within its source's own walk, not within images nested in it.
  WalkOptions nested = options_.walk;
  nested.unit.reset();
  walk_host_image(info.source, info.host_path, info.path, nested, visitor);
}

/// The producer side: turns walk events into numbered jobs.
class QueueVisitor final : public WalkVisitor {
 public:
  QueueVisitor(Engine& engine, OrderedEmitter& emitter, const PipelineOptions& options)
      : engine_(engine), emitter_(emitter), options_(options) {
    // With one thread everything runs on the caller; otherwise the caller
    // only walks, which is light, and `threads` workers do the reading.
    if (options_.threads > 1)
      for (unsigned i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~QueueVisitor() override { finish(); }

  void finish() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  bool item(Item item) override {
    const uint64_t seq = next_seq_++;
    if (const uint64_t pieces = range_pieces(item.info); pieces > 1) {
      // One long byte range would keep one worker busy while the others idle: its
      // windows are jobs of their own, emitted in order like separate items. Cut
      // with one thread too, so that -j never changes the records (a key and an
      // address in different windows are linked the same way at every -j).
      const ByteWindow whole = item.info.window.value_or(ByteWindow{0, *item.info.size});
      const uint64_t length = whole.end - whole.start;
      for (uint64_t k = 0; k < pieces && !stopped(); ++k) {
        Item piece = item;
        piece.info.window = ByteWindow{whole.start + length / pieces * k,
                                       k + 1 == pieces ? whole.end : whole.start + length / pieces * (k + 1)};
        piece.continuation = k > 0;
        piece.info.after_window = k > 0;
        run(k == 0 ? seq : next_seq_++, std::move(piece));
      }
      return !stopped();
    }
    run(seq, std::move(item));
    return !stopped();
  }
  void volume(const VolumeInfo& v) override { emitter_.complete(next_seq_++, {volume_record(options_.tool, v)}); }
  void image_check(const ImageCheck& c) override { emitter_.complete(next_seq_++, image_check_records(options_.tool, c)); }
  void error(const WalkError& e) override {
    emitter_.complete(next_seq_++, {error_record(options_.tool, e.source, e.path, e.error, e.offset)});
  }
  bool stopped() const override { return emitter_.stopped(); }

 private:
  /// How many windows a byte range is cut into (1: not cut).
  uint64_t range_pieces(const ItemInfo& info) const {
    const uint64_t cut = options_.split_ranges_over;
    const bool cuttable = info.kind == ItemKind::range || (options_.split_files && info.kind == ItemKind::file);
    if (cut == 0 || !cuttable || !info.size) return 1;
    const ByteWindow whole = info.window.value_or(ByteWindow{0, *info.size});
    if (whole.end <= whole.start) return 1;
    return std::max<uint64_t>(1, (whole.end - whole.start) / cut);
  }

  /// Processes the job here with one thread, else hands it to the workers.
  void run(uint64_t seq, Item item) {
    if (workers_.empty()) {
      record::VectorSink out;
      engine_.process(item, out);
      emitter_.complete(seq, std::move(out.records));
      return;
    }
    enqueue(seq, std::move(item));
  }

  void enqueue(uint64_t seq, Item item) {
    emitter_.wait_for_room(seq);
    {
      std::lock_guard lock(mutex_);
      jobs_.emplace_back(seq, std::move(item));
    }
    ready_.notify_one();
  }

  void work() {
    for (;;) {
      std::pair<uint64_t, Item> job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return closed_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      record::VectorSink out;
      if (!emitter_.stopped()) engine_.process(job.second, out);
      else engine_.skip(job.second);
      emitter_.complete(job.first, std::move(out.records));
    }
  }

  Engine& engine_;
  OrderedEmitter& emitter_;
  const PipelineOptions& options_;
  uint64_t next_seq_ = 0;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::pair<uint64_t, Item>> jobs_;
  bool closed_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

void run_pipeline(const Producer& producer, ItemConsumer& consumer, record::RecordSink& sink,
                  const PipelineOptions& options, PipelineCounters& counters) {
  OrderedEmitter emitter(sink, counters);
  Engine engine(consumer, options, counters);
  engine.stopped_ = [&emitter] { return emitter.stopped(); };
  QueueVisitor visitor(engine, emitter, options);
  producer(visitor);
  visitor.finish();
  sink.flush();
}

}  // namespace trawl::io
