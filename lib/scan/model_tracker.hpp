#pragma once
// Internal to the model carver: the per-format trackers. A tracker is created
// at a candidate start and then fed the bytes from its current position to the
// end of the window; each step consumes one or more whole units it could
// validate, ends the object, or asks for more bytes (only possible when fewer
// than kMaxUnit bytes remain and the stream has not ended, which the carver's
// margin rules out inside a page).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "scan/model_carver.hpp"

namespace trawl::scan::carve {

using Bytes = std::span<const std::uint8_t>;

/// The longest unit a tracker decides at once (a text line, a PLY header, a
/// binary STL header with its 16 look-ahead records, a zip header).
constexpr std::size_t kMaxUnit = std::size_t{16} << 10;
/// A start must be confirmed within this many bytes, so that confirming
/// never needs more than kConfirmLimit + kMaxUnit bytes of look-ahead.
constexpr std::size_t kConfirmLimit = std::size_t{16} << 10;

enum class StepKind { consumed, end, need_more };

struct Step {
  StepKind kind = StepKind::end;
  std::size_t n = 0;       ///< bytes consumed (also with `end`: consumed, then the object ends)
  bool truncated = false;  ///< with `end`: the declared end was not reached
};

inline Step consumed(std::size_t n) { return {StepKind::consumed, n, false}; }
inline Step ended(std::size_t n, bool truncated) { return {StepKind::end, n, truncated}; }
inline Step need_more() { return {StepKind::need_more, 0, false}; }

class Tracker {
 public:
  virtual ~Tracker() = default;
  /// `view` runs from the tracker's position to the end of the window.
  virtual Step step(Bytes view, bool at_end) = 0;
  /// Enough structure was seen to call this a model.
  virtual bool confirmed() const = 0;
  /// At the end: whether the object is reported (a zip without a 3D model is not).
  virtual bool acceptable() const { return true; }
  virtual ModelFormat format() const = 0;
  /// After ending unconfirmed: no start of this format between the start and
  /// the point where it stopped can be confirmed either (each would see a
  /// subset of the same lines), so the carver skips them. Keeps text-heavy
  /// data (long comment blocks) linear.
  virtual bool rejects_suffixes() const { return false; }
};

constexpr std::size_t kFormatCount = static_cast<std::size_t>(ModelFormat::amf) + 1;

struct StartContext {
  Bytes view;              ///< from the candidate start to the end of the window
  bool at_end = false;     ///< nothing follows view
  bool line_start = true;  ///< the byte before is a line end (or there is none)
  const CarveOptions* options = nullptr;
};

// Each returns a tracker when view[0..] carries the format's start signature, else nullptr.
std::unique_ptr<Tracker> start_stl_binary(const StartContext& c);
std::unique_ptr<Tracker> start_stl_ascii(const StartContext& c);
std::unique_ptr<Tracker> start_obj(const StartContext& c);
std::unique_ptr<Tracker> start_ply(const StartContext& c);
std::unique_ptr<Tracker> start_gcode(const StartContext& c);
std::unique_ptr<Tracker> start_bgcode(const StartContext& c);
std::unique_ptr<Tracker> start_zip(const StartContext& c);
std::unique_ptr<Tracker> start_step(const StartContext& c);
std::unique_ptr<Tracker> start_iges(const StartContext& c);
std::unique_ptr<Tracker> start_amf(const StartContext& c);

/// The cheap part of the binary STL start rule on the first 50-byte record.
bool stl_first_record_ok(const std::uint8_t* record);

// Shared helpers.
inline std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
inline std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::uint64_t le64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}
inline bool has_prefix(Bytes view, std::string_view prefix) {
  return view.size() >= prefix.size() &&
         std::string_view(reinterpret_cast<const char*>(view.data()), prefix.size()) == prefix;
}

}  // namespace trawl::scan::carve
