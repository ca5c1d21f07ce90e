#include "scan/model_carver.hpp"

#include <algorithm>
#include <array>

#include "hash/digest.hpp"
#include "io/chunker.hpp"
#include "scan/model_start_scan.hpp"
#include "scan/model_tracker.hpp"

namespace trawl::scan {

const char* model_format_name(ModelFormat format) {
  switch (format) {
    case ModelFormat::stl_binary: return "stl-binary";
    case ModelFormat::stl_ascii: return "stl-ascii";
    case ModelFormat::obj: return "obj";
    case ModelFormat::ply: return "ply";
    case ModelFormat::gcode: return "gcode";
    case ModelFormat::bgcode: return "bgcode";
    case ModelFormat::threemf: return "3mf";
    case ModelFormat::fcstd: return "fcstd";
    case ModelFormat::step: return "step";
    case ModelFormat::iges: return "iges";
    case ModelFormat::amf: return "amf";
  }
  return "unknown";
}

std::size_t model_carve_margin() { return carve::kConfirmLimit + carve::kMaxUnit + 64; }

namespace {

using carve::Bytes;
using carve::Step;
using carve::StepKind;
using carve::Tracker;

/// A text object may start here: the byte before ends a line, is not text
/// (slack, another file's binary tail), or the offset starts a sector.
bool line_start(std::optional<std::uint8_t> before, std::uint64_t absolute) {
  if (!before || absolute % 512 == 0) return true;
  const std::uint8_t c = *before;
  return c == '\n' || c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f;
}

/// First bytes of the signature-based starts (see try_start).
constexpr std::array<bool, 256> make_first_bytes() {
  std::array<bool, 256> t{};
  for (char c : std::string_view("spI<PG;M#ovm")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kFirstBytes = make_first_bytes();

/// The first sector start in [from, to) of a window at `offset` where an object may start, or `to`: every
/// sector start is a line start and may begin a binary STL, so the start filter (which takes the byte before
/// as it is) leaves them to the carver. Testing them in one loop, instead of a turn of the carver's loop each,
/// halved the mispredicted branches of carving random data. Needs d readable up to to + 84 + 50.
std::size_t next_sector_candidate(const std::uint8_t* d, std::size_t from, std::size_t to, std::uint64_t offset,
                                  std::uint32_t max_stl_triangles) {
  for (std::size_t p = from + static_cast<std::size_t>((512 - (offset + from) % 512) % 512); p < to; p += 512) {
    if ((kFirstBytes[d[p]] || (d[p + 72] == 'S' && d[p + 79] == '1')) && carve::may_start_at_line_start(d, p)) return p;
    const std::uint32_t n = carve::le32(d + p + 80);
    if (n >= 4 && n <= max_stl_triangles && carve::stl_first_record_ok(d + p + 84)) return p;
  }
  return to;
}

}  // namespace

struct ModelCarver::State {
  CarveOptions options;
  std::uint64_t pos = 0;                ///< absolute offset of the next byte to decide
  std::optional<std::uint8_t> before;   ///< the byte before the current window
  std::unique_ptr<Tracker> active;      ///< the object being consumed, if any
  ModelHit hit;
  hash::MultiDigest digest{{hash::Algorithm::sha256}};
  bool kept = true;                     ///< hit.bytes holds every byte so far
  std::uint64_t opened_at = 0;          ///< absolute offset where the last object was opened
  bool stopped = false;
  /// Per format: no start before this absolute offset can be confirmed (Tracker::rejects_suffixes).
  std::array<std::uint64_t, carve::kFormatCount> no_start_before{};

  bool stl_allowed(std::uint64_t absolute) const { return !options.stl_sector_aligned || absolute % 512 == 0; }

  /// Adds consumed bytes to the open object; false when max_object cut it.
  bool absorb(Bytes bytes) {
    bool whole = true;
    if (bytes.size() > options.max_object - hit.length) {
      bytes = bytes.first(static_cast<std::size_t>(options.max_object - hit.length));
      whole = false;
    }
    const auto* b = reinterpret_cast<const std::byte*>(bytes.data());
    digest.update({b, bytes.size()});
    hit.length += bytes.size();
    if (kept && hit.length <= options.keep_bytes) {
      hit.bytes.insert(hit.bytes.end(), b, b + bytes.size());
      return whole;
    }
    if (kept) {
      // The bytes so far become the head; only its first kModelHeadBytes are kept from now on.
      kept = false;
      hit.head = std::move(hit.bytes);
      hit.bytes = {};
      if (hit.head.size() > kModelHeadBytes) {
        hit.head.resize(kModelHeadBytes);
        hit.head.shrink_to_fit();
      }
    }
    if (hit.head.size() < kModelHeadBytes) {
      const std::size_t n = std::min(kModelHeadBytes - hit.head.size(), bytes.size());
      hit.head.insert(hit.head.end(), b, b + n);
    }
    return whole;
  }

  void open(std::unique_ptr<Tracker> tracker, std::uint64_t offset) {
    opened_at = offset;
    active = std::move(tracker);
    hit = ModelHit{};
    hit.offset = offset;
    kept = true;
  }

  void close(bool truncated, const ModelVisit& visit) {
    if (options.on_close) options.on_close(hit.offset, hit.length);
    auto digests = digest.finish();
    if (active->acceptable() && hit.length > 0) {
      hit.format = active->format();
      hit.truncated = truncated;
      hit.confidence = hit.format == ModelFormat::stl_binary || hit.format == ModelFormat::obj ||
                               hit.format == ModelFormat::gcode
                           ? "structure"
                           : "signature+structure";
      hit.sha256 = digests.front().second;
      if (!visit(std::move(hit))) stopped = true;
    }
    active.reset();
    hit = ModelHit{};
  }

  /// Applies a step of the active tracker at window position p; returns the new p.
  std::size_t apply(const Step& s, Bytes view, std::size_t p, const ModelVisit& visit) {
    const std::size_t n = std::min(s.n, view.size());
    const bool whole = absorb(view.first(n));
    if (!whole) {
      close(true, visit);
      return p + n;
    }
    switch (s.kind) {
      case StepKind::consumed:
        if (n == 0) close(true, visit);  // a tracker that cannot progress ends the object
        break;
      case StepKind::end: close(s.truncated, visit); break;
      case StepKind::need_more: close(true, visit); break;  // ruled out by the margin inside a page
    }
    return p + n;
  }

  /// Tries every format whose signature fits at window position p and
  /// confirms the first that validates; returns the bytes it took, nullopt
  /// when no object starts here.
  std::optional<std::size_t> try_start(Bytes data, std::size_t p, std::uint64_t offset, bool at_end, const ModelVisit& visit) {
    const Bytes view = data.subspan(p);
    carve::StartContext c;
    c.view = view;
    c.at_end = at_end;
    c.line_start = line_start(p == 0 ? before : std::optional<std::uint8_t>(data[p - 1]), offset + p);
    c.options = &options;
    using Factory = std::unique_ptr<Tracker> (*)(const carve::StartContext&);
    struct Candidate {
      Factory start;
      ModelFormat format;
    };
    std::array<Candidate, 4> candidates{};
    std::size_t count = 0;
    auto add = [&](Factory f, ModelFormat format) {
      if (offset + p >= no_start_before[static_cast<std::size_t>(format)]) candidates[count++] = {f, format};
    };
    switch (view[0]) {
      case 's': add(carve::start_stl_ascii, ModelFormat::stl_ascii); break;
      case 'p': add(carve::start_ply, ModelFormat::ply); break;
      case 'I': add(carve::start_step, ModelFormat::step); break;
      case '<': add(carve::start_amf, ModelFormat::amf); break;
      case 'P': add(carve::start_zip, ModelFormat::threemf); break;
      case 'G':
        add(carve::start_bgcode, ModelFormat::bgcode);
        add(carve::start_gcode, ModelFormat::gcode);
        break;
      case ';':
      case 'M': add(carve::start_gcode, ModelFormat::gcode); break;
      case '#':
      case 'o':
      case 'v':
      case 'm': add(carve::start_obj, ModelFormat::obj); break;
      default: break;
    }
    if (c.line_start && view.size() > 80 && view[72] == 'S' && view[79] == '1')
      add(carve::start_iges, ModelFormat::iges);
    if (view.size() >= 84 && stl_allowed(offset + p)) {
      const std::uint32_t n = carve::le32(view.data() + 80);
      if (n >= 4 && n <= options.max_stl_triangles) add(carve::start_stl_binary, ModelFormat::stl_binary);
    }
    for (std::size_t i = 0; i < count; ++i) {
      std::unique_ptr<Tracker> tracker = candidates[i].start(c);
      if (!tracker) continue;
      // Confirm within kConfirmLimit bytes; hash only once confirmed.
      std::size_t q = 0;
      bool ended = false, truncated = false;
      while (!tracker->confirmed() && q < carve::kConfirmLimit) {
        const Step s = tracker->step(view.subspan(q), at_end);
        if (s.kind == StepKind::need_more || s.n > view.size() - q) break;
        q += s.n;
        if (s.kind == StepKind::end) {
          ended = true;
          truncated = s.truncated;
          break;
        }
        if (s.n == 0) break;
      }
      if (!tracker->confirmed()) {
        if (ended && tracker->rejects_suffixes())
          no_start_before[static_cast<std::size_t>(candidates[i].format)] = offset + p + q;
        continue;
      }
      open(std::move(tracker), offset + p);
      if (!absorb(view.first(q))) {
        close(true, visit);
      } else if (ended) {
        close(truncated, visit);
      }
      return q;
    }
    return std::nullopt;
  }
};

ModelCarver::ModelCarver(CarveOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
  if (state_->options.max_object == 0) state_->options.max_object = 1;
  // The start filter in feed() assumes counts below 2^26 (67 M triangles, a 3.3 GB file).
  state_->options.max_stl_triangles = std::min<std::uint32_t>(state_->options.max_stl_triangles, 0x03ffffffu);
}

ModelCarver::~ModelCarver() = default;

bool ModelCarver::feed(std::span<const std::byte> bytes, std::size_t page_end, std::uint64_t offset, bool at_end,
                       const ModelVisit& visit) {
  State& s = *state_;
  if (s.stopped) return false;
  const Bytes data(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  page_end = std::min(page_end, data.size());
  std::size_t p = s.pos > offset ? static_cast<std::size_t>(std::min<std::uint64_t>(s.pos - offset, data.size())) : 0;
  // The filter's next candidate and the next sector start that may hold a start, each at or after p (valid
  // while >= p): one call covers many sectors.
  std::size_t candidate = 0;
  std::size_t sector = 0;
  while (p < page_end && !s.stopped) {
    if (s.active) {
      const Bytes view = data.subspan(p);
      p = s.apply(s.active->step(view, at_end), view, p, visit);
      // An object that ended where it started (confirmed on its signature, then nothing validated)
      // must not be retried at the same byte.
      if (!s.active && offset + p == s.opened_at) ++p;
      continue;
    }
    // Cheap filters first (model_start_scan.hpp, next_sector_candidate), up to the next position where an
    // object may start or the window's last bytes, which take the careful path below with the first
    // position of a window (its byte before is in the previous window).
    const std::uint8_t* d = data.data();
    const std::size_t size = data.size();
    constexpr std::size_t kTail = 84 + 4 * 50 + carve::kStartLookAhead + 32;
    const std::size_t fast_end = size > kTail ? std::min(page_end, size - kTail) : 0;
    if (p > 0 && p < fast_end) {
      if (candidate < p) candidate = carve::next_start_candidate(d, p, fast_end, !s.options.stl_sector_aligned);
      if (sector < p) sector = next_sector_candidate(d, p, fast_end, offset, s.options.max_stl_triangles);
      p = std::min(candidate, sector);
    }
    if (p >= page_end) break;
    const std::size_t left = size - p;
    if (!kFirstBytes[d[p]] && !(left > 80 && d[p + 72] == 'S' && d[p + 79] == '1')) {
      const std::uint32_t n = left >= 84 + 4 * 50 ? carve::le32(d + p + 80) : 0;
      if (n < 4 || n > s.options.max_stl_triangles || !s.stl_allowed(offset + p) ||
          !carve::stl_first_record_ok(d + p + 84)) {
        ++p;
        continue;
      }
    }
    if (s.options.start_before && offset + p >= *s.options.start_before) {
      p = page_end;  // past a unit's window: nothing new starts here
      break;
    }
    const std::optional<std::size_t> taken = s.try_start(data, p, offset, at_end, visit);
    p += taken && (*taken > 0 || s.active) ? *taken : 1;
  }
  s.pos = offset + std::max(p, page_end);
  if (page_end > 0) s.before = data[page_end - 1];
  return !s.stopped;
}

bool ModelCarver::open() const { return state_->active != nullptr; }

void ModelCarver::resume_at(std::uint64_t offset, std::optional<std::uint8_t> before) {
  state_->pos = offset;
  state_->before = offset == 0 ? std::nullopt : before;
}

bool ModelCarver::finish(const ModelVisit& visit) {
  State& s = *state_;
  while (s.active && !s.stopped) s.apply(s.active->step({}, true), {}, 0, visit);
  return !s.stopped;
}

Status carve_model_stream(io::ByteStream& stream, std::size_t page_size, const CarveOptions& options,
                          const ModelVisit& visit) {
  io::ChunkWindow window;
  window.start = options.read_from;
  io::Chunker chunker(stream, io::ChunkerOptions{page_size, model_carve_margin(), options.zero_copy}, window);
  ModelCarver carver(options);
  for (;;) {
    auto more = chunker.next();
    if (!more) return more.error();
    if (!*more) break;
    const io::Chunk& chunk = chunker.chunk();
    // A unit's window is done once it is passed and no object from it is open.
    if (options.start_before && chunk.offset() >= *options.start_before && !carver.open()) return ok_status();
    if (!carver.feed(chunk.data(), chunk.page().size(), chunk.offset(), chunk.at_end(), visit)) return ok_status();
  }
  carver.finish(visit);
  return ok_status();
}

}  // namespace trawl::scan
