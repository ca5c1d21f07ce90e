#include "io/work_unit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

#include "io/source_walk.hpp"
#include "record/jsonl_reader.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::io {
namespace {

constexpr uint64_t kNoLast = std::numeric_limits<uint64_t>::max();
__extension__ using u128 = unsigned __int128;  // weight * k / n without overflow

const char* scope_name(UnitSelector::Scope scope) {
  switch (scope) {
    case UnitSelector::Scope::source: return "source";
    case UnitSelector::Scope::volume: return "volume";
    case UnitSelector::Scope::outside: return "outside";
  }
  return "source";
}

/// Cuts one source's walk into units. A run of one scope's events is cut
/// when it ends, into ceil(weight / unit_size) units of equal weight, so that
/// no unit is a small remainder that leaves a CPU idle at the end of a job
/// array. Only segments of the run are kept (about unit_size / kGranules of
/// weight each, cuts fall between them), not its events: planning a file
/// system with millions of files holds no list of the files.
class Planner final : public WalkVisitor {
 public:
  Planner(const std::string& source, const PlanOptions& options, std::vector<WorkUnit>& out)
      : source_(source), options_(options), out_(out), first_unit_(out.size()),
        granule_(std::max<uint64_t>(1, options.unit_size / kGranules)) {}

  bool item(Item item) override {
    const ItemInfo& info = item.info;
    Event e;
    e.cost = info.kind == ItemKind::range ? info.length.value_or(0) : info.size.value_or(0);
    if (!info.has_content || info.kind == ItemKind::symlink || info.kind == ItemKind::special) e.cost = 0;
    else if (info.kind != ItemKind::range) e.weight = std::max(e.cost, options_.min_item_cost);
    e.path = &info.path;
    if (info.kind == ItemKind::range) {
      e.range = true;
      e.extent = {info.offset.value_or(0), info.offset.value_or(0) + info.length.value_or(0)};
    }
    add(e);
    return true;
  }
  void volume(const VolumeInfo& volume) override {
    Event e;
    e.path = &volume.path;
    e.extent = {volume.offset, volume.offset + volume.length};
    e.partition = volume.partition;
    add(e);
  }
  void image_check(const ImageCheck&) override {}
  void error(const WalkError&) override { add(Event{}); }
  bool stopped() const override { return false; }
  void scope(std::optional<uint64_t> volume_offset) override {
    if (in_scope_ && volume_offset == scope_) return;  // e.g. the gap after the last volume, then the raw image
    close_run();
    in_scope_ = true;
    scope_ = volume_offset;
  }

  /// The source's walk is over: keep its units, or make it one unit when it
  /// is small or not made of scopes.
  void finish() {
    close_run();
    if (!saw_scope_ || source_level_ || total_ <= options_.unit_size || out_.size() == first_unit_) {
      out_.resize(first_unit_);
      WorkUnit u = blank();
      u.kind = UnitKind::source;
      u.selector = UnitSelector{};
      u.path = source_;
      u.start = whole_.first == kNoLast ? 0 : whole_.first;
      u.end = whole_.second;
      u.bytes = total_;
      out_.push_back(std::move(u));
    }
  }

 private:
  /// Segments per unit_size: cuts land within 1/kGranules of a unit of the
  /// balanced place (or at the next file boundary).
  static constexpr uint64_t kGranules = 256;

  struct Event {
    uint64_t cost = 0;    ///< bytes of content
    std::optional<uint64_t> weight;  ///< what it counts when units are cut, when not `cost`
    const std::string* path = nullptr;
    bool range = false;
    std::optional<std::pair<uint64_t, uint64_t>> extent;
    std::optional<unsigned> partition;
  };

  /// Consecutive events of a run; a unit starts only at a segment's first event.
  struct Segment {
    uint64_t first = 0;   ///< ordinal of its first event in the scope
    uint64_t weight = 0;  ///< the run's weight before it
    uint64_t bytes = 0;   ///< the run's content bytes before it
    std::string path;     ///< the first path among its events
    std::optional<unsigned> partition;
    std::optional<std::pair<uint64_t, uint64_t>> extent;
  };

  WorkUnit blank() const {
    WorkUnit u;
    u.tool = options_.tool;
    u.plan = options_.plan;
    u.source = source_;
    u.args = options_.args;
    return u;
  }

  void add(const Event& e) {
    total_ += e.cost;
    if (e.extent) {
      whole_.first = std::min(whole_.first, e.extent->first);
      whole_.second = std::max(whole_.second, e.extent->second);
    }
    if (!in_scope_) {
      source_level_ = true;
      return;
    }
    saw_scope_ = true;
    const uint64_t n = ordinal_[scope_]++;
    const uint64_t length = e.extent ? e.extent->second - e.extent->first : 0;
    if (e.range && options_.range_margin && length > options_.unit_size) {
      cut_run();
      // A long byte range: windows of unit_size, each read with the margin.
      for (uint64_t at = 0; at < length; at += options_.unit_size) {
        WorkUnit u = scoped(n);
        u.kind = UnitKind::range;
        u.selector.last = n + 1;
        u.selector.window = ByteWindow{at, std::min(length, at + options_.unit_size)};
        u.range_offset = e.extent->first;
        u.start = e.extent->first + at;
        u.end = e.extent->first + u.selector.window->end;
        u.margin = *options_.range_margin;
        u.bytes = u.end - u.start;
        u.path = *e.path;
        out_.push_back(std::move(u));
        ++run_units_;
      }
      return;
    }
    // A zero-weight event (a volume, an error) never starts a segment: it goes with what follows.
    if (segments_.empty() || run_weight_ - segments_.back().weight >= granule_) {
      Segment s;
      s.first = n;
      s.weight = run_weight_;
      s.bytes = run_bytes_;
      segments_.push_back(std::move(s));
    }
    Segment& s = segments_.back();
    run_weight_ += e.weight.value_or(e.cost);
    run_bytes_ += e.cost;
    run_end_ = n + 1;
    if (s.path.empty() && e.path != nullptr) s.path = *e.path;
    if (e.partition && !s.partition) s.partition = e.partition;
    if (e.extent) {
      if (!s.extent) s.extent = e.extent;
      s.extent->first = std::min(s.extent->first, e.extent->first);
      s.extent->second = std::max(s.extent->second, e.extent->second);
    }
  }

  WorkUnit scoped(uint64_t first) const {
    WorkUnit u = blank();
    u.selector.scope = scope_ ? UnitSelector::Scope::volume : UnitSelector::Scope::outside;
    u.selector.volume_offset = scope_.value_or(0);
    u.selector.first = first;
    u.selector.head = false;
    return u;
  }

  /// The segments where the units of the run start: the first, then for
  /// each of the other n - 1 balanced places the segment start nearest to it.
  std::vector<size_t> cut_points() const {
    const uint64_t size = options_.unit_size;
    const uint64_t n = std::max<uint64_t>(1, run_weight_ / size + (run_weight_ % size != 0));
    std::vector<size_t> starts{0};
    for (uint64_t k = 1; k < n; ++k) {
      const size_t after = starts.back() + 1;
      if (after >= segments_.size()) break;
      const auto target = static_cast<uint64_t>(u128{run_weight_} * k / n);
      auto it = std::lower_bound(segments_.begin() + static_cast<ptrdiff_t>(after), segments_.end(), target,
                                 [](const Segment& s, uint64_t t) { return s.weight < t; });
      size_t i = static_cast<size_t>(it - segments_.begin());
      if (i == segments_.size() || (i > after && target - segments_[i - 1].weight < segments_[i].weight - target)) --i;
      starts.push_back(i);
    }
    return starts;
  }

  /// Turns the run's segments into `files` units.
  void cut_run() {
    if (segments_.empty()) return;
    const std::vector<size_t> starts = cut_points();
    for (size_t k = 0; k < starts.size(); ++k) {
      const size_t from = starts[k];
      const size_t to = k + 1 < starts.size() ? starts[k + 1] : segments_.size();
      WorkUnit u = scoped(segments_[from].first);
      u.kind = UnitKind::files;  // whole range items too: `range` is a window of one
      u.selector.last = to < segments_.size() ? segments_[to].first : run_end_;
      u.bytes = (to < segments_.size() ? segments_[to].bytes : run_bytes_) - segments_[from].bytes;
      std::optional<std::pair<uint64_t, uint64_t>> extent;
      for (size_t i = from; i < to; ++i) {
        const Segment& s = segments_[i];
        if (u.path.empty()) u.path = s.path;
        if (!u.partition) u.partition = s.partition;
        if (!s.extent) continue;
        if (!extent) extent = s.extent;
        extent->first = std::min(extent->first, s.extent->first);
        extent->second = std::max(extent->second, s.extent->second);
      }
      if (extent) {
        u.start = extent->first;
        u.end = extent->second;
      }
      out_.push_back(std::move(u));
      ++run_units_;
    }
    segments_.clear();
    run_weight_ = 0;
    run_bytes_ = 0;
  }

  /// End of a stretch of one scope's events: one unit for a whole volume is a
  /// `volume` unit. When the walk left the orphans out (they come last in a
  /// volume's walk), the volume's last unit runs to the end of its scope.
  void close_run() {
    cut_run();
    if (scope_ && in_scope_ && run_units_ > 0) {
      WorkUnit& u = out_.back();
      if (run_units_ == 1 && u.kind == UnitKind::files && u.selector.first == 0) {
        u.kind = UnitKind::volume;
        u.selector.last = kNoLast;
      } else if (!options_.walk.orphans && u.kind == UnitKind::files) {
        u.selector.last = kNoLast;
      }
    }
    run_units_ = 0;
  }

  const std::string& source_;
  const PlanOptions& options_;
  std::vector<WorkUnit>& out_;
  const size_t first_unit_;
  const uint64_t granule_;
  bool in_scope_ = false;
  bool saw_scope_ = false;
  bool source_level_ = false;
  std::optional<uint64_t> scope_;
  std::map<std::optional<uint64_t>, uint64_t> ordinal_;
  std::vector<Segment> segments_;  ///< of the current run
  uint64_t run_weight_ = 0;        ///< the run's bytes, each file counted at least min_item_cost
  uint64_t run_bytes_ = 0;
  uint64_t run_end_ = 0;  ///< one past the ordinal of the run's last event
  size_t run_units_ = 0;
  uint64_t total_ = 0;
  std::pair<uint64_t, uint64_t> whole_{kNoLast, 0};
};

std::string args_json(const std::vector<std::string>& args) {
  std::string out = "[";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ',';
    record::append_json_string(out, args[i]);
  }
  return out + "]";
}

}  // namespace

const char* unit_kind_name(UnitKind kind) {
  switch (kind) {
    case UnitKind::source: return "source";
    case UnitKind::volume: return "volume";
    case UnitKind::files: return "files";
    case UnitKind::range: return "range";
  }
  return "source";
}

std::string WorkUnit::id() const { return fmt::format("unit-{:05}", index); }

record::Record unit_record(const WorkUnit& u) {
  record::Record r("unit", u.tool);
  r.set("plan", u.plan);
  r.set("index", u.index);
  r.set("count", u.count);
  r.set("id", u.id());
  r.set("source", u.source);
  r.set("kind", unit_kind_name(u.kind));
  r.set("scope", scope_name(u.selector.scope));
  if (u.selector.scope == UnitSelector::Scope::volume) r.set("volume_offset", u.selector.volume_offset);
  if (u.partition) r.set("partition", *u.partition);
  if (!u.path.empty()) r.set("path", u.path);
  r.set("first", u.selector.first);
  if (u.selector.last != kNoLast) r.set("last", u.selector.last);
  r.set("head", u.selector.head);
  if (u.kind == UnitKind::range) r.set("range_offset", u.range_offset);
  r.set("start", u.start);
  r.set("end", u.end);
  r.set("margin", u.margin);
  r.set("bytes", u.bytes);
  r.set("args", record::Value(record::RawJson{args_json(u.args)}));
  return r;
}

Result<WorkUnit> unit_from_record(const record::Record& r) {
  if (r.type() != "unit") return make_error(Errc::invalid_argument, "not a unit record (type is not \"unit\")");
  WorkUnit u;
  auto text = [&](const char* key, std::string& to) -> Status {
    auto v = r.get_string(key);
    if (!v) return make_error(Errc::invalid_argument, std::string("unit record: missing or bad \"") + key + "\"");
    to = *v;
    return ok_status();
  };
  auto number = [&](const char* key, uint64_t& to, bool required = true) -> Status {
    auto v = r.get_uint(key);
    if (!v) {
      if (!required && !r.has(key)) return ok_status();
      return make_error(Errc::invalid_argument, std::string("unit record: missing or bad \"") + key + "\"");
    }
    to = *v;
    return ok_status();
  };
  std::string kind, scope;
  for (Status s : {text("tool", u.tool), text("plan", u.plan), text("source", u.source), text("kind", kind),
                   text("scope", scope), number("index", u.index), number("count", u.count),
                   number("first", u.selector.first), number("start", u.start), number("end", u.end),
                   number("margin", u.margin), number("bytes", u.bytes, false)})
    if (!s) return s.error();
  if (kind == "source") u.kind = UnitKind::source;
  else if (kind == "volume") u.kind = UnitKind::volume;
  else if (kind == "files") u.kind = UnitKind::files;
  else if (kind == "range") u.kind = UnitKind::range;
  else return make_error(Errc::invalid_argument, "unit record: unknown kind \"" + kind + "\"");
  if (scope == "source") u.selector.scope = UnitSelector::Scope::source;
  else if (scope == "volume") u.selector.scope = UnitSelector::Scope::volume;
  else if (scope == "outside") u.selector.scope = UnitSelector::Scope::outside;
  else return make_error(Errc::invalid_argument, "unit record: unknown scope \"" + scope + "\"");
  if (u.selector.scope == UnitSelector::Scope::volume)
    if (auto s = number("volume_offset", u.selector.volume_offset); !s) return s.error();
  u.selector.last = kNoLast;
  if (auto s = number("last", u.selector.last, false); !s) return s.error();
  if (u.selector.last < u.selector.first) return make_error(Errc::invalid_argument, "unit record: last before first");
  u.selector.head = r.get_bool("head").value_or(false);
  if (u.selector.scope == UnitSelector::Scope::source) {
    u.selector.first = 0;
    u.selector.last = kNoLast;
    u.selector.head = true;
  }
  if (auto p = r.get_uint("partition"); p && *p <= std::numeric_limits<unsigned>::max()) u.partition = static_cast<unsigned>(*p);
  u.path = r.get_string("path").value_or("");
  if (u.kind == UnitKind::range && u.selector.scope != UnitSelector::Scope::source) {
    if (auto s = number("range_offset", u.range_offset); !s) return s.error();
    if (u.start < u.range_offset || u.end < u.start)
      return make_error(Errc::invalid_argument, "unit record: range window outside its range");
    if (u.selector.last != u.selector.first + 1)
      return make_error(Errc::invalid_argument, "unit record: a range unit selects exactly one event");
    u.selector.window = ByteWindow{u.start - u.range_offset, u.end - u.range_offset};
  }
  const record::Value* args = r.get("args");
  if (args == nullptr) return make_error(Errc::invalid_argument, "unit record: missing \"args\"");
  if (const auto* raw = std::get_if<record::RawJson>(args)) {
    auto parsed = parse_string_array(raw->text);
    if (!parsed) return parsed.error();
    u.args = std::move(*parsed);
  } else {
    return make_error(Errc::invalid_argument, "unit record: \"args\" is not an array");
  }
  return u;
}

Result<std::vector<std::string>> parse_string_array(std::string_view json) {
  std::vector<std::string> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
  };
  auto bad = [&] { return make_error(Errc::invalid_argument, fmt::format("not a JSON array of strings at byte {}", i)); };
  skip_space();
  if (i >= json.size() || json[i] != '[') return bad();
  ++i;
  skip_space();
  if (i < json.size() && json[i] == ']') return out;
  for (;;) {
    skip_space();
    if (i >= json.size() || json[i] != '"') return bad();
    // Find the closing quote, then let the record parser decode the escapes.
    size_t j = i + 1;
    while (j < json.size() && json[j] != '"') j += json[j] == '\\' ? 2 : 1;
    if (j >= json.size()) return bad();
    std::string object = "{\"v\":";
    object.append(json.substr(i, j + 1 - i));
    object += '}';
    auto parsed = record::parse_json_record(object);
    if (!parsed) return bad();
    auto value = parsed->get_string("v");
    if (!value) return bad();
    out.push_back(std::move(*value));
    i = j + 1;
    skip_space();
    if (i < json.size() && json[i] == ',') {
      ++i;
      continue;
    }
    if (i < json.size() && json[i] == ']') return out;
    return bad();
  }
}

void plan_walk(const std::string& source, const PlanOptions& options,
               const std::function<void(WalkVisitor&)>& walk, std::vector<WorkUnit>& units) {
  PlanOptions opts = options;
  if (opts.unit_size == 0) opts.unit_size = 1;
  const size_t begin = units.size();
  Planner planner(source, opts, units);
  walk(planner);
  planner.finish();
  // The first unit of a source also does what comes before its walk.
  if (begin < units.size()) units[begin].selector.head = true;
}

std::vector<WorkUnit> plan_units(const std::vector<std::string>& sources, const PlanOptions& options) {
  PlanOptions opts = options;
  WalkOptions& walk = opts.walk;
  walk.verify_image = false;  // planning reads metadata only
  walk.unit.reset();
  // The orphan search reads every inode (most of a plan's time). Orphans are
  // the last events of a volume's walk unless unallocated runs follow them:
  // then the plan leaves them out and the volume's last unit takes them.
  walk.orphans = walk.unallocated;
  std::vector<WorkUnit> units;
  for (const auto& source : sources)
    plan_walk(source, opts, [&](WalkVisitor& visitor) { walk_source(source, walk, visitor); }, units);
  for (size_t i = 0; i < units.size(); ++i) {
    units[i].index = i;
    units[i].count = units.size();
  }
  return units;
}

}  // namespace trawl::io
