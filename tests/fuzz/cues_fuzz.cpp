// Fuzzes the stl-detect cues and the preview renderer. Input layout: up to the
// first NUL, text lines (a line with '=' is a metadata key=value, any other
// line a name); after it, a tiny mesh: a byte of vertex count (≤ 32), that many
// float32 triples, then uint16 index triples (indices may be out of range on
// purpose). Properties checked:
//  - nothing crashes, hangs or leaks, whatever the names and coordinates
//    (NaN, Inf, huge, degenerate);
//  - the score is the sum of the cue weights, the verdict agrees with the
//    threshold, every cue has a known channel and non-empty evidence;
//  - the preview of any mesh is a PNG of the requested size.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "mesh/cues.hpp"
#include "mesh/preview.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trawl::mesh;
  size_t text_end = 0;
  while (text_end < size && data[text_end] != 0) ++text_end;
  CueInput input;
  std::string line;
  for (size_t i = 0; i <= text_end; ++i) {
    if (i == text_end || data[i] == '\n') {
      const auto eq = line.find('=');
      if (eq != std::string::npos)
        input.metadata.emplace_back(line.substr(0, eq), line.substr(eq + 1));
      else
        input.names.push_back(line);
      line.clear();
    } else {
      line.push_back(static_cast<char>(data[i]));
    }
  }
  Mesh mesh;
  size_t at = text_end + 1;
  if (at < size) {
    const size_t count = data[at++] % 33;
    for (size_t v = 0; v < count && at + 12 <= size; ++v, at += 12) {
      float f[3];
      std::memcpy(f, data + at, sizeof f);
      mesh.vertices.push_back({f[0], f[1], f[2]});
    }
    for (; at + 6 <= size && mesh.triangles.size() < 64; at += 6) {
      uint16_t idx[3];
      std::memcpy(idx, data + at, sizeof idx);
      mesh.triangles.push_back({idx[0], idx[1], idx[2]});
    }
    input.mesh = &mesh;
  }
  const Verdict v = assess(input);
  double sum = 0;
  for (const auto& c : v.cues) {
    if (c.evidence.empty() || c.id.empty()) __builtin_trap();
    if (c.channel != "name" && c.channel != "geometry" && c.channel != "metadata") __builtin_trap();
    sum += c.weight;
  }
  if (sum != v.score) __builtin_trap();
  if ((v.verdict == "firearm-suspect") != (v.score >= CueConfig().threshold)) __builtin_trap();
  PreviewOptions options;
  options.width = 64;
  options.height = 48;
  const auto image = render_preview(mesh, options);
  if (!image.ok() || image->width != 64 || image->height != 48 || image->rgb.size() != 64 * 48 * 3) __builtin_trap();
  return 0;
}
