#include "io/work_unit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>

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

/// Records one source's walk as the places where units may start, then cuts
/// it into units. The events of one scope form a stretch, kept as segments of
/// consecutive events (about unit_size / kGranules of weight each; cuts fall
/// between them) and the byte ranges that may be split into windows, not as
/// events: planning a file system with millions of files holds no list of the
/// files. Cutting comes after the walk, so that the unit size may follow from
/// the total (PlanOptions::unit_count).
class Planner final : public WalkVisitor {
 public:
  Planner(const std::string& source, const PlanOptions& options)
      : source_(source), options_(options),
        granule_(options.unit_count ? 1 : std::max<uint64_t>(1, options.unit_size / kGranules)),
        max_segments_(std::max<uint64_t>(4096, kGranules * std::min<uint64_t>(options.unit_count.value_or(0), 1 << 20))) {}

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
  void orphans_skipped() override {
    if (in_scope_) stretches_.back().sealed = true;
  }
  bool stopped() const override { return false; }
  void scope(std::optional<uint64_t> volume_offset) override {
    if (in_scope_ && volume_offset == scope_) return;  // e.g. the gap after the last volume, then the raw image
    in_scope_ = true;
    scope_ = volume_offset;
    stretches_.push_back(Stretch{volume_offset, {}, 0, 0, 0, granule_});
  }

  /// What the source counts towards unit sizes.
  uint64_t weight() const { return weight_; }

  /// Whether the source is one unit: small, or not made of scopes. (Small by
  /// its bytes for a unit size, by its weight for a unit count, as the size
  /// was found from the weights.)
  bool whole(uint64_t unit_size) const {
    return !saw_scope_ || source_level_ || (options_.unit_count ? weight_ : total_) <= unit_size;
  }

  /// Consecutive segments of one stretch that units are cut from together, or
  /// one byte range longer than a unit (cut into windows).
  struct Piece {
    size_t stretch = 0;
    size_t from = 0;  ///< segments [from, to)
    size_t to = 0;
    bool range = false;
    uint64_t weight = 0;
  };

  /// The pieces in walk order when units are about `unit_size`.
  std::vector<Piece> pieces(uint64_t unit_size) const {
    std::vector<Piece> out;
    for (size_t k = 0; k < stretches_.size(); ++k) {
      const Stretch& s = stretches_[k];
      size_t from = 0;
      for (size_t i = 0; i < s.segments.size(); ++i) {
        if (s.segments[i].range_length <= unit_size) continue;
        if (from < i) out.push_back(Piece{k, from, i, false, s.segments[i].weight - s.segments[from].weight});
        out.push_back(Piece{k, i, i + 1, true, s.segments[i].range_length});
        from = i + 1;
      }
      if (from < s.segments.size()) out.push_back(Piece{k, from, s.segments.size(), false, s.weight - s.segments[from].weight});
    }
    return out;
  }

  /// Appends the units of `pieces`, counts[i] of them for pieces[i].
  void cut(const std::vector<Piece>& pieces, const std::vector<uint64_t>& counts, std::vector<WorkUnit>& out) const {
    size_t stretch_units = 0;
    for (size_t i = 0; i < pieces.size(); ++i) {
      const Piece& p = pieces[i];
      const size_t before = out.size();
      if (p.range) cut_range(p, counts[i], out);
      else cut_run(p, counts[i], out);
      stretch_units += out.size() - before;
      if (i + 1 == pieces.size() || pieces[i + 1].stretch != p.stretch) {
        close_stretch(stretches_[p.stretch], stretch_units, out);
        stretch_units = 0;
      }
    }
  }

  /// The source as one unit.
  void cut_whole(std::vector<WorkUnit>& out) const {
    WorkUnit u = blank();
    u.kind = UnitKind::source;
    u.selector = UnitSelector{};
    u.path = source_;
    u.start = whole_.first == kNoLast ? 0 : whole_.first;
    u.end = whole_.second;
    u.bytes = total_;
    out.push_back(std::move(u));
  }

 private:
  /// Segments per unit_size: cuts land within 1/kGranules of a unit of the
  /// balanced place (or at the next file boundary).
  static constexpr uint64_t kGranules = 256;
  /// PlanOptions::unit_count: every event starts a segment until a stretch
  /// holds more than max_segments_ (about kGranules per unit asked for); then
  /// its granule grows (coarsen).

  struct Event {
    uint64_t cost = 0;    ///< bytes of content
    std::optional<uint64_t> weight;  ///< what it counts when units are cut, when not `cost`
    const std::string* path = nullptr;
    bool range = false;
    std::optional<std::pair<uint64_t, uint64_t>> extent;
    std::optional<unsigned> partition;
  };

  /// Consecutive events of a stretch; a unit starts only at a segment's first event.
  struct Segment {
    uint64_t first = 0;   ///< ordinal of its first event in the scope
    uint64_t weight = 0;  ///< the stretch's weight before it
    uint64_t bytes = 0;   ///< the stretch's content bytes before it
    /// A byte range alone in its segment, long enough that it may be cut
    /// into windows: its length (0 for other segments).
    uint64_t range_length = 0;
    std::string path;     ///< the first path among its events
    std::optional<unsigned> partition;
    std::optional<std::pair<uint64_t, uint64_t>> extent;
  };

  /// The events of one scope between two scope changes.
  struct Stretch {
    std::optional<uint64_t> scope;
    std::vector<Segment> segments;
    uint64_t weight = 0;  ///< its events' weight, each file counted at least min_item_cost
    uint64_t bytes = 0;
    uint64_t end = 0;     ///< one past the ordinal of its last event
    uint64_t granule = 1;
    /// Past the orphans the plan left out: the events that follow join the
    /// last segment, as their ordinals in a unit's walk are not these.
    bool sealed = false;
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
    weight_ += e.weight.value_or(e.cost);
    if (e.extent) {
      whole_.first = std::min(whole_.first, e.extent->first);
      whole_.second = std::max(whole_.second, e.extent->second);
    }
    if (!in_scope_) {
      source_level_ = true;
      return;
    }
    saw_scope_ = true;
    Stretch& s = stretches_.back();
    const uint64_t n = ordinal_[scope_]++;
    s.end = n + 1;
    const uint64_t length = e.extent ? e.extent->second - e.extent->first : 0;
    // With a fixed unit size only ranges longer than a unit are cut; with a
    // unit count the size is known after the walk, and it is not below the
    // granule (a stretch keeps about kGranules segments per unit).
    const bool windows = e.range && options_.range_margin &&
                         length > (options_.unit_count ? s.granule : options_.unit_size);
    // A zero-weight event (a volume, an error) starts a segment only when the one before is full.
    if (s.segments.empty() || (!s.sealed && (windows || s.segments.back().range_length != 0 ||
                                             s.weight - s.segments.back().weight >= s.granule))) {
      Segment seg;
      seg.first = n;
      seg.weight = s.weight;
      seg.bytes = s.bytes;
      if (windows) seg.range_length = length;
      s.segments.push_back(std::move(seg));
    }
    Segment& seg = s.segments.back();
    s.weight += e.weight.value_or(e.cost);
    s.bytes += e.cost;
    if (seg.path.empty() && e.path != nullptr) seg.path = *e.path;
    if (e.partition && !seg.partition) seg.partition = e.partition;
    if (e.extent) widen(seg.extent, *e.extent);
    if (options_.unit_count && s.segments.size() > max_segments_) coarsen(s);
  }

  static void widen(std::optional<std::pair<uint64_t, uint64_t>>& extent, const std::pair<uint64_t, uint64_t>& by) {
    if (!extent) extent = by;
    extent->first = std::min(extent->first, by.first);
    extent->second = std::max(extent->second, by.second);
  }

  /// Merges the segments of a stretch into about half as many of at least a
  /// larger granule each (ranges kept for windows stay alone while longer
  /// than it): memory stays bounded when the unit size is not known during
  /// the walk. The granule follows the stretch's weight, not only doubles:
  /// while events outweigh it, doubling alone would merge the old segments
  /// again and again and leave them far heavier than the new ones.
  void coarsen(Stretch& s) const {
    s.granule = std::max(s.granule * 2, s.weight / std::max<uint64_t>(1, max_segments_ / 2) + 1);
    std::vector<Segment> kept;
    kept.reserve(max_segments_ / 2 + 1);
    for (auto& seg : s.segments) {
      if (seg.range_length <= s.granule) seg.range_length = 0;
      if (!kept.empty() && seg.range_length == 0 && kept.back().range_length == 0 &&
          seg.weight - kept.back().weight < s.granule) {
        Segment& into = kept.back();
        if (into.path.empty()) into.path = std::move(seg.path);
        if (!into.partition) into.partition = seg.partition;
        if (seg.extent) widen(into.extent, *seg.extent);
        continue;
      }
      kept.push_back(std::move(seg));
    }
    s.segments = std::move(kept);
  }

  WorkUnit scoped(const Stretch& s, uint64_t first) const {
    WorkUnit u = blank();
    u.selector.scope = s.scope ? UnitSelector::Scope::volume : UnitSelector::Scope::outside;
    u.selector.volume_offset = s.scope.value_or(0);
    u.selector.first = first;
    u.selector.head = false;
    return u;
  }

  /// A long byte range: `n` windows of equal size, each read with the margin.
  void cut_range(const Piece& p, uint64_t n, std::vector<WorkUnit>& out) const {
    const Stretch& s = stretches_[p.stretch];
    const Segment& seg = s.segments[p.from];
    const uint64_t length = seg.range_length;
    n = std::clamp<uint64_t>(n, 1, length);
    for (uint64_t k = 0; k < n; ++k) {
      const auto at = static_cast<uint64_t>(u128{length} * k / n);
      const auto to = static_cast<uint64_t>(u128{length} * (k + 1) / n);
      WorkUnit u = scoped(s, seg.first);
      u.kind = UnitKind::range;
      u.selector.last = seg.first + 1;
      u.selector.window = ByteWindow{at, to};
      u.range_offset = seg.extent->first;
      u.start = seg.extent->first + at;
      u.end = seg.extent->first + to;
      u.margin = *options_.range_margin;
      u.bytes = to - at;
      u.path = seg.path;
      out.push_back(std::move(u));
    }
  }

  /// The segments where the `n` units of a run start: the first, then for
  /// each of the other n - 1 balanced places the segment start nearest to it.
  std::vector<size_t> cut_points(const Piece& p, uint64_t n) const {
    const std::vector<Segment>& segs = stretches_[p.stretch].segments;
    const uint64_t base = segs[p.from].weight;
    std::vector<size_t> starts{p.from};
    for (uint64_t k = 1; k < n; ++k) {
      const size_t after = starts.back() + 1;
      if (after >= p.to) break;
      const auto target = base + static_cast<uint64_t>(u128{p.weight} * k / n);
      auto it = std::lower_bound(segs.begin() + static_cast<ptrdiff_t>(after), segs.begin() + static_cast<ptrdiff_t>(p.to),
                                 target, [](const Segment& s, uint64_t t) { return s.weight < t; });
      size_t i = static_cast<size_t>(it - segs.begin());
      if (i == p.to || (i > after && target - segs[i - 1].weight < segs[i].weight - target)) --i;
      starts.push_back(i);
    }
    return starts;
  }

  /// A run of segments as `n` `files` units of about equal weight (fewer when it has fewer segments).
  void cut_run(const Piece& p, uint64_t n, std::vector<WorkUnit>& out) const {
    const Stretch& s = stretches_[p.stretch];
    const std::vector<Segment>& segs = s.segments;
    const uint64_t end_ordinal = p.to < segs.size() ? segs[p.to].first : s.end;
    const uint64_t end_bytes = p.to < segs.size() ? segs[p.to].bytes : s.bytes;
    const std::vector<size_t> starts = cut_points(p, std::max<uint64_t>(1, n));
    for (size_t k = 0; k < starts.size(); ++k) {
      const size_t from = starts[k];
      const size_t to = k + 1 < starts.size() ? starts[k + 1] : p.to;
      WorkUnit u = scoped(s, segs[from].first);
      u.kind = UnitKind::files;  // whole range items too: `range` is a window of one
      u.selector.last = to < p.to ? segs[to].first : end_ordinal;
      u.bytes = (to < p.to ? segs[to].bytes : end_bytes) - segs[from].bytes;
      std::optional<std::pair<uint64_t, uint64_t>> extent;
      for (size_t i = from; i < to; ++i) {
        if (u.path.empty()) u.path = segs[i].path;
        if (!u.partition) u.partition = segs[i].partition;
        if (segs[i].extent) widen(extent, *segs[i].extent);
      }
      if (extent) {
        u.start = extent->first;
        u.end = extent->second;
      }
      out.push_back(std::move(u));
    }
  }

  /// After a stretch's `units` units: one unit for a whole volume is a
  /// `volume` unit. When the walk left the orphans out (they come last in a
  /// volume's walk), the volume's last unit runs to the end of its scope.
  void close_stretch(const Stretch& s, size_t units, std::vector<WorkUnit>& out) const {
    if (!s.scope || units == 0) return;
    WorkUnit& u = out.back();
    if (units == 1 && u.kind == UnitKind::files && u.selector.first == 0) {
      u.kind = UnitKind::volume;
      u.selector.last = kNoLast;
    } else if (!options_.walk.orphans && u.kind == UnitKind::files) {
      u.selector.last = kNoLast;
    }
  }

  const std::string& source_;
  const PlanOptions& options_;
  const uint64_t granule_;
  const uint64_t max_segments_;
  bool in_scope_ = false;
  bool saw_scope_ = false;
  bool source_level_ = false;
  std::optional<uint64_t> scope_;
  std::map<std::optional<uint64_t>, uint64_t> ordinal_;
  std::vector<Stretch> stretches_;
  uint64_t total_ = 0;   ///< content bytes
  uint64_t weight_ = 0;  ///< total_ with each file counted at least min_item_cost
  std::pair<uint64_t, uint64_t> whole_{kNoLast, 0};
};

/// How many units each piece gets when the plan asks for `wanted` units in
/// all: in proportion to its weight (largest remainders), at least one each.
std::vector<uint64_t> share_units(const std::vector<uint64_t>& weights, uint64_t wanted) {
  std::vector<uint64_t> counts(weights.size(), 1);
  u128 total = 0;
  for (uint64_t w : weights) total += w;
  if (total == 0 || wanted <= weights.size()) return counts;
  std::vector<std::pair<u128, size_t>> remainders;  // largest first, then walk order
  uint64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const u128 quota = u128{weights[i]} * wanted;
    counts[i] = static_cast<uint64_t>(quota / total);
    // A piece below one unit gets one and has no remainder left to claim more.
    if (counts[i] == 0) counts[i] = 1;
    else remainders.emplace_back(quota % total, i);
    given += counts[i];
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < wanted && k < remainders.size(); ++k, ++given) ++counts[remainders[k].second];
  return counts;
}

/// Cuts the walked sources into units, in source order.
void cut_sources(const std::vector<std::unique_ptr<Planner>>& planners, const PlanOptions& options,
                 std::vector<WorkUnit>& units) {
  uint64_t size = std::max<uint64_t>(1, options.unit_size);
  if (options.unit_count) {
    u128 weight = 0;
    for (const auto& p : planners) weight += p->weight();
    const uint64_t n = std::max<uint64_t>(1, *options.unit_count);
    size = std::max<uint64_t>(1, static_cast<uint64_t>((weight + n - 1) / n));
  }
  std::vector<std::vector<Planner::Piece>> pieces(planners.size());
  std::vector<uint64_t> weights;  // of every piece of the sources that are cut
  uint64_t wholes = 0;
  for (size_t i = 0; i < planners.size(); ++i) {
    if (!planners[i]->whole(size)) pieces[i] = planners[i]->pieces(size);
    if (pieces[i].empty()) ++wholes;
    for (const auto& p : pieces[i]) weights.push_back(p.weight);
  }
  std::vector<uint64_t> counts;
  if (options.unit_count) {
    counts = share_units(weights, *options.unit_count > wholes ? *options.unit_count - wholes : 0);
  } else {
    // A run in ceil(weight / size) units; a range in ceil(length / size) windows.
    for (uint64_t w : weights) counts.push_back(std::max<uint64_t>(1, w / size + (w % size != 0)));
  }
  size_t next = 0;
  for (size_t i = 0; i < planners.size(); ++i) {
    const size_t begin = units.size();
    if (pieces[i].empty()) {
      planners[i]->cut_whole(units);
    } else {
      const std::vector<uint64_t> mine(counts.begin() + static_cast<ptrdiff_t>(next),
                                       counts.begin() + static_cast<ptrdiff_t>(next + pieces[i].size()));
      next += pieces[i].size();
      planners[i]->cut(pieces[i], mine, units);
    }
    // The first unit of a source also does what comes before its walk.
    if (begin < units.size()) units[begin].selector.head = true;
  }
}

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
  std::vector<std::unique_ptr<Planner>> planners;
  planners.push_back(std::make_unique<Planner>(source, options));
  walk(*planners.back());
  cut_sources(planners, options, units);
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
  // Without orphans no unit is addressed by an ordinal after the files (the
  // volume's last unit runs to the end of its scope): a listing that differed
  // from libtsk's could only shift where units are cut, so the walk may list
  // ext file systems its own faster way (WalkOptions::planning).
  walk.planning = true;
  // Every source is walked before any is cut: a unit count divides the total.
  std::vector<std::unique_ptr<Planner>> planners;
  for (const auto& source : sources) {
    planners.push_back(std::make_unique<Planner>(source, opts));
    walk_source(source, walk, *planners.back());
  }
  std::vector<WorkUnit> units;
  cut_sources(planners, opts, units);
  for (size_t i = 0; i < units.size(); ++i) {
    units[i].index = i;
    units[i].count = units.size();
  }
  return units;
}

}  // namespace trawl::io
