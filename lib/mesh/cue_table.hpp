#pragma once
// The one place that holds every keyword, weight and threshold of the
// firearm-likeness cues (values in cue_table.cpp, explained in
// man/stl-detect-cues.roff.part). Changing a number here changes the tool.
#include <span>
#include <string_view>

namespace trawl::mesh::cue_table {

/// How a keyword may score.
enum class KeywordKind {
  strong,   ///< a design, publisher or unambiguous term: scores alone
  generic,  ///< a common part word (frame, slide, barrel): scores low alone
  trap,     ///< a documented false-positive trap ("switch", "1911", "hive"):
            ///< scores only when another non-trap keyword is present
};

struct Keyword {
  std::string_view phrase;  ///< lower case, words separated by single spaces
  double weight;
  KeywordKind kind;
  std::string_view note;    ///< why it is listed / why it is weighted so
};

std::span<const Keyword> keywords();

// Verdict.
inline constexpr double kThreshold = 1.0;
// Geometry weights.
inline constexpr double kFrameEnvelopeWeight = 0.4;
inline constexpr double kPinHolesWeight = 0.6;  ///< only together with the frame envelope
inline constexpr double kTubeBoreWeight = 0.7;
inline constexpr double kDiscStackWeight = 1.0;
inline constexpr double kRailSlotsWeight = 0.3;
// Frame-sized envelope: sorted extents (mm), the research note's handgun-frame
// example ≈150–200 × 100–140 × 25–35 widened by ~10 %.
inline constexpr double kFrameLong[2] = {135, 215};
inline constexpr double kFrameMid[2] = {90, 155};
inline constexpr double kFrameShort[2] = {20, 40};
// Transverse pin holes: through-holes across the shortest axis, equivalent
// diameter range (mm) and how many make the cue.
inline constexpr double kPinDiameter[2] = {2.5, 6.0};
inline constexpr int kPinMinCount = 2;
// Long tube: length / outer diameter and bore / outer diameter.
inline constexpr double kTubeMinRatio = 3.0;
inline constexpr double kTubeMaxBoreFraction = 0.85;
inline constexpr double kTubeMinLength = 40;
// Disc stack: how many bore-sized constrictions along a through-axis, and the
// outer diameter range (mm) of the stack.
inline constexpr int kDiscMinCount = 4;
inline constexpr double kDiscDiameter[2] = {15, 80};
// Rail: number of periodic slots, pitch range (mm) around MIL-STD-1913's
// 10.0 mm, allowed relative spread of the pitch.
inline constexpr int kRailMinSlots = 4;
inline constexpr double kRailPitch[2] = {5, 20};
inline constexpr double kRailPitchSpread = 0.15;
// Work budget: ray/triangle tests per geometry cue when a mesh defeats the
// ray grid (slivers covering many cells); the sampling step then grows so
// the cost stays O(n).
inline constexpr double kMaxRayTriangleTests = 3e8;

}  // namespace trawl::mesh::cue_table
