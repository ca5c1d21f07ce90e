#pragma once
// ModelCarver: finds 3D design objects (meshes, G-code, CAD exchange files,
// 3MF/FCStd packages) in raw bytes, the carver behind stl-detect(1) --raw.
// Pure: no I/O, no globals, never throws.
//
// The carver is a state machine over the stream. Between objects it looks
// for a start at every byte of the page (format signatures, or the structural
// binary-STL rule, research/stl-detect.md §2.3) and confirms it with at most
// model_carve_margin() bytes of look-ahead. Once confirmed, a format tracker
// consumes the object in whole units (a line, a record, a zip entry header,
// a run of binary records), each unit starting in the current page and
// decided from bytes it can see, so objects longer than a page simply
// continue into the next window and the result does not depend on the page
// size. The object ends where its format says (endsolid, the PLY element
// counts, the zip end record, the IGES terminate record...) or at the first
// unit that does not validate (then `truncated` for formats with a declared
// end); bytes inside a carved object are never searched for other starts.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "io/byte_stream.hpp"

namespace trawl::scan {

enum class ModelFormat { stl_binary, stl_ascii, obj, ply, gcode, bgcode, threemf, fcstd, step, iges, amf };

/// Record value: stl-binary, stl-ascii, obj, ply, gcode, bgcode, 3mf, fcstd, step, iges, amf.
const char* model_format_name(ModelFormat format);

struct ModelHit {
  ModelFormat format = ModelFormat::stl_binary;
  std::uint64_t offset = 0;  ///< absolute in the stream
  std::uint64_t length = 0;  ///< exact bytes of the object as carved
  bool truncated = false;    ///< the declared end was not reached (stream end or garbage)
  std::string confidence;    ///< "structure" (validated units) or "signature+structure"
  std::string sha256;        ///< over exactly [offset, offset + length)
  /// The object's bytes when length <= CarveOptions::keep_bytes, else empty.
  std::vector<std::byte> bytes;
  /// When `bytes` is empty: the object's first kModelHeadBytes bytes (fewer if it is shorter), so that
  /// what a header says (an STL header or solid name, PLY element counts) is known without them.
  std::vector<std::byte> head;
};

/// Bytes of ModelHit::head.
inline constexpr std::size_t kModelHeadBytes = 4096;

struct CarveOptions {
  std::uint64_t max_object = std::uint64_t{4} << 30;  ///< an object is cut (truncated) at this length
  std::size_t keep_bytes = std::size_t{64} << 20;     ///< objects up to this size keep their bytes
  std::uint32_t max_stl_triangles = 50'000'000;       ///< binary STL count limit (research §2.3), at most 2^26 - 1
  /// Binary STL starts only at multiples of 512 bytes from the stream start: the rule for disk images
  /// (research §2.3, files start on sectors). Off, every byte is tried (memory dumps, containers).
  bool stl_sector_aligned = false;
  /// A work unit's window: no object starts at or after this stream offset;
  /// one that started before it is still carved whole, however far it runs.
  std::optional<std::uint64_t> start_before;
  /// carve_model_stream: the stream offset reading starts at (before a
  /// unit's window, so the carver's state is that of the unsharded run there).
  std::uint64_t read_from = 0;
  /// carve_model_stream: read a stream that can show its bytes in place without copying them
  /// (io::ChunkerOptions::zero_copy: a mapped host file; see host_file.hpp for the SIGBUS caveat).
  bool zero_copy = false;
  /// When set: called with the offset and length of every object the carver closes, whether `visit` is
  /// given it or not (a zip that holds no model, a tracker that accepted nothing): no start is tried
  /// inside one, which is what joining windows must know (model_frontier.hpp).
  std::function<void(std::uint64_t offset, std::uint64_t length)> on_close;
};

/// Look-ahead a caller must give (page + margin): the longest unit or start
/// decision any tracker needs.
std::size_t model_carve_margin();

/// Called with each object once its end is known, in stream order; return
/// false to stop.
using ModelVisit = std::function<bool(ModelHit&&)>;

class ModelCarver {
 public:
  explicit ModelCarver(CarveOptions options = {});
  ~ModelCarver();
  ModelCarver(const ModelCarver&) = delete;
  ModelCarver& operator=(const ModelCarver&) = delete;

  /// One window: `data` is the page followed by its margin, starting at the
  /// absolute `offset`; `page_end` bytes are the page; `at_end` when nothing
  /// follows data. Windows must be consecutive. Returns false once `visit` did.
  bool feed(std::span<const std::byte> data, std::size_t page_end, std::uint64_t offset, bool at_end,
            const ModelVisit& visit);
  /// The stream ended: closes an object still open.
  bool finish(const ModelVisit& visit);
  /// True while an object is open (its end not yet seen).
  bool open() const;
  /// Starts this carver idle at the absolute `offset` instead of at the stream start, in the state of a
  /// carver that read the bytes before it and had no object open there: `before` is the byte at offset - 1
  /// (none when offset is 0). Call before the first feed, whose data then starts at `offset`.
  void resume_at(std::uint64_t offset, std::optional<std::uint8_t> before);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Carves a whole stream in pages of `page_size` bytes with the carver's
/// margin; with options.start_before, from options.read_from until no object
/// is open at start_before. Errors: invalid_argument (page_size 0), the stream's read error.
Status carve_model_stream(io::ByteStream& stream, std::size_t page_size, const CarveOptions& options,
                          const ModelVisit& visit);

}  // namespace trawl::scan
