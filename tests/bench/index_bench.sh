#!/usr/bin/env bash
# index_bench.sh [BUILD_DIR] [WORK_DIR] [N] [BUDGET_MIB]: the `.tidx` known-set
# index at scale (run by hand, never by ctest). Compiles index_bench.cpp
# against BUILD_DIR/libtrawl.a (no CMake target), then:
#   1. builds an index of N random SHA-1 digests (default 50,000,000) through
#      the internal entry stream: no set file is written, so the figure is the
#      index build itself (external sort, merge, write), not hex parsing;
#   2. reports build time, peak RSS (/usr/bin/time -v), file size against the
#      raw key bytes (N x 20);
#   3. times contains() on random keys (misses) and inserted keys (hits),
#      after a warm-up pass, one thread; then the same keys through
#      contains_many(), which overlaps the memory reads of many keys.
# Goals (issue: index): size <= 1.3 x raw keys; >= 5 M lookups/s per core.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/trawl-index-bench}
n=${3:-50000000}
budget=${4:-2048}
mkdir -p "$work"
exe=$work/index_bench

g++ -std=c++20 -O2 -march=native -I"$root/lib" -I"$bin/generated" "$root/tests/bench/index_bench.cpp" -o "$exe" \
  "$bin/libtrawl.a" -lfmt -lcrypto -lsqlite3 -larchive -ltsk -lewf -pthread

echo "# trawl index benchmark, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# $n random SHA-1, memory budget $budget MiB, work dir $work"
rm -f "$work/bench.tidx"
echo "\$ $exe build $n $work/bench.tidx $work $budget"
/usr/bin/time -v "$exe" build "$n" "$work/bench.tidx" "$work" "$budget" 2> "$work/time.txt"
grep -E 'Elapsed|Maximum resident|User time|System time' "$work/time.txt"
ls -l "$work/bench.tidx"
lookups=$(( n < 10000000 ? n : 10000000 ))
echo "\$ $exe lookup $n $work/bench.tidx $lookups"
/usr/bin/time -v "$exe" lookup "$n" "$work/bench.tidx" "$lookups" 2> "$work/time-lookup.txt"
grep -E 'Maximum resident' "$work/time-lookup.txt"
