#!/usr/bin/env bash
# meta_bench.sh [BUILD_DIR] [N_JPEG]: meta-extract files per second against ExifTool and exiv2 (run by hand).
# Corpus: scripts/make-meta-corpus with N_JPEG camera-style JPEGs (default 2000; enough that process start-up does not dominate) plus its PNG, PDF, DOCX and ODT
# files. Warm page cache, best of 3 wall times, one thread for meta-extract (-j1) and the default (all cores).
#   jpeg:  meta-extract -j1 / -j N   vs  exiftool -j -fast2 -r   vs  exiv2 -pa (all JPEGs in one process)
#   mixed: meta-extract -j1          vs  exiftool -j -fast2 -r
# Goal (issue 4): >= 30x exiftool's files/s; faster than exiv2 on the JPEGs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)
n=${2:-2000}
work=${TMPDIR:-/tmp}/trawl-meta-bench
corpus=$work/corpus
if [[ ! -d $corpus/jpeg || $(find "$corpus/jpeg" -name '*.jpg' | wc -l) -ne $n ]]; then
  "$root/scripts/make-meta-corpus" "$corpus" "$n" >/dev/null
fi
jpegs=$(find "$corpus/jpeg" -name '*.jpg' | wc -l)
all=$(find "$corpus" -type f | wc -l)

# best_of CMD...: the lowest wall time in seconds of three runs (output discarded).
best_of() {
  local best= t
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [[ -z $best ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  printf '%s' "$best"
}
rate() { printf '%.0f' "$(echo "$1 / $2" | bc -l)"; }

cat "$corpus"/*/* >/dev/null  # warm the page cache
echo "# trawl meta-extract benchmark, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# corpus: $jpegs JPEG, $all files in all ($(du -sh "$corpus" | cut -f1))"
t_me1=$(best_of "$bin/meta-extract" -j1 --no-progress "$corpus/jpeg")
t_men=$(best_of "$bin/meta-extract" --no-progress "$corpus/jpeg")
t_et=$(best_of exiftool -j -fast2 -r "$corpus/jpeg")
t_ev=$(best_of sh -c "exiv2 -pa \"$corpus\"/jpeg/*.jpg")
echo "jpeg   meta-extract -j1:        $(rate "$jpegs" "$t_me1") files/s ($t_me1 s)"
echo "jpeg   meta-extract -j$(nproc):        $(rate "$jpegs" "$t_men") files/s ($t_men s)"
echo "jpeg   exiftool -j -fast2 -r:   $(rate "$jpegs" "$t_et") files/s ($t_et s)"
echo "jpeg   exiv2 -pa:               $(rate "$jpegs" "$t_ev") files/s ($t_ev s)"
echo "jpeg   ratio vs exiftool (-j1): $(printf '%.1f' "$(echo "$t_et / $t_me1" | bc -l)")x; vs exiv2 (-j1): $(printf '%.1f' "$(echo "$t_ev / $t_me1" | bc -l)")x"
t_mm=$(best_of "$bin/meta-extract" -j1 --no-progress "$corpus")
t_em=$(best_of exiftool -j -fast2 -r "$corpus")
echo "mixed  meta-extract -j1:        $(rate "$all" "$t_mm") files/s ($t_mm s)"
echo "mixed  exiftool -j -fast2 -r:   $(rate "$all" "$t_em") files/s ($t_em s)"
echo "mixed  ratio vs exiftool (-j1): $(printf '%.1f' "$(echo "$t_em / $t_mm" | bc -l)")x"
