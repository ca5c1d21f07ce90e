#pragma once
// Joining the windows of one long byte range carved in parallel so that the
// objects are those of one carver over the whole range.
//
// A window's carver starts one margin before its window, idle, which is a
// guess: an object that began further back and runs into the window is
// unknown to it, and it may find false starts inside that object (a binary
// STL's records every 12,800 bytes look like an STL header). Once the window
// before is final, its frontier says where the one carver is idle again: the
// end of its last object when that runs past the window, else the window's
// end. From a position where both carvers are idle, they read the same bytes
// after the same byte before, so they agree from there on.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "io/byte_stream.hpp"
#include "scan/model_carver.hpp"

namespace trawl::scan {

/// Where a carver was inside an object, [offset, end): every object it closed (CarveOptions::on_close),
/// those it reported and those it did not (a zip without a model), in stream order.
struct CarvedSpan {
  std::uint64_t offset = 0;
  std::uint64_t end = 0;
};

/// Where one carver over the whole stream is idle after a window [.., window_end) whose own objects are
/// `own` (its spans, in stream order): past its last object if that runs past window_end, never before
/// `frontier_before` (the previous window's frontier, when an object from before spans this window).
std::uint64_t window_frontier(const std::vector<CarvedSpan>& own, std::uint64_t frontier_before,
                              std::uint64_t window_end);

/// Makes `hits` and `spans` the objects a window owns as one carver over the stream finds them. In: what
/// the window's own carver reported and every span it closed (in stream order, those starting before the
/// window included), carving with `options` (options.start_before: the window's end). `frontier`: the
/// previous window's frontier, where the one carver is idle. Objects starting before the frontier are
/// dropped; when one of them runs past it, the speculative carver had not converged there and the stream
/// is carved again from the frontier (pages of `page_size`) until both carvers are idle at the same
/// position; those objects replace the speculative ones before it. Errors (`hits`, `spans` unchanged):
/// invalid_argument when that is needed and `stream` is not seekable, or page_size is 0; the stream's
/// read error.
Status resolve_window(std::vector<ModelHit>& hits, std::vector<CarvedSpan>& spans, std::uint64_t frontier,
                      io::ByteStream& stream, std::size_t page_size, const CarveOptions& options);

}  // namespace trawl::scan
