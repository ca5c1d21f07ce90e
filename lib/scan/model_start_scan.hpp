#pragma once
// Internal to the model carver: the start filter that skips the bytes of a
// window where no object can start. Random and compressed data are almost all
// of a disk image, so this loop is the carver's speed: it tests 32 positions
// at a time (AVX2 when the CPU has it; 64 with AVX-512 VBMI, which classifies
// a byte with one 128-entry table lookup and yields bit masks directly: about
// half the instructions) on two bytes per position, the byte
// before it, the IGES columns and the binary STL count, instead of calling a
// start function per byte. It is a superset test: every position where a
// start function can succeed passes; the carver then checks each survivor.
#include <cstddef>
#include <cstdint>

namespace trawl::scan::carve {

/// Bytes read after a position: the top byte of the 4th float of the first
/// STL record (84 + 12 * 4 - 1) is the farthest.
constexpr std::size_t kStartLookAhead = 84 + 48;

/// The reference test for one position p (reads d[p - 1] .. d[p + kStartLookAhead - 1]):
/// the first two bytes of <amf, <?xml, PK or GCDE anywhere; when 16 text bytes (or line ends)
/// follow, those of solid, ply or ISO-10303-21 anywhere; when 31 follow and the position is a
/// line start (the byte before is a control byte other than tab, or DEL), the G-code, OBJ and
/// IGES starts; with
/// `stl_every_byte` a binary STL triangle count below 2^26 whose
/// first record's leading floats could be plausible. Sector starts are the caller's: there
/// every offset is a line start and binary STL may start even when sector aligned.
bool may_start(const std::uint8_t* d, std::size_t p, bool stl_every_byte);

/// may_start's signature and text rules at a line start whatever the byte before (a sector start), binary
/// STL aside: false when no other format can start at p. Reads d[p] .. d[p + 79].
bool may_start_at_line_start(const std::uint8_t* d, std::size_t p);

/// The first position in [from, to) where may_start could hold (false positives
/// allowed, misses not), or `to`. Needs from >= 1 and d readable up to
/// to + kStartLookAhead + 32.
std::size_t next_start_candidate(const std::uint8_t* d, std::size_t from, std::size_t to, bool stl_every_byte);

/// The implementations of next_start_candidate, for the tests: each must give the same candidates.
enum class StartScanLevel { scalar, avx2, avx512 };
/// The best level this CPU runs (next_start_candidate uses it).
StartScanLevel best_start_scan_level();
std::size_t next_start_candidate(const std::uint8_t* d, std::size_t from, std::size_t to, bool stl_every_byte,
                                 StartScanLevel level);

}  // namespace trawl::scan::carve
