#!/usr/bin/env bash
# pdq_bench.sh [BUILD_DIR] [N]: PDQ throughput (run by hand, never by ctest).
# Compiles pdq_bench.cpp against BUILD_DIR/libtrawl.a (no CMake target), then:
#   1. decodes and hashes the reference JPEGs of tests/data/pdq/dih (1600x1004)
#      and bridge-mods plus the small photos, 5 rounds, one thread: ms per
#      image for decode, pdq_hash and pdq_hash_dihedral, and images/s;
#   2. indexes N random PDQ hashes (default 1,000,000) and times 2,000 queries
#      each at distances 15, 31 and 47, near a stored hash and random.
# Goal (brief): a distance-31 query over 1M hashes in well under 1 ms.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)
n=${2:-1000000}
work=${TMPDIR:-/tmp}/trawl-pdq-bench
mkdir -p "$work"
exe=$work/pdq_bench

g++ -std=c++20 -O2 -I"$root/lib" -I"$bin/generated" "$root/tests/bench/pdq_bench.cpp" -o "$exe" \
  "$bin/libtrawl.a" -lfmt -lcrypto -lsqlite3 -larchive -ltsk -lewf -ljpeg -lpng -lgif -lwebp -pthread

echo "# trawl PDQ benchmark, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "\$ pdq_bench hash 5 tests/data/pdq/dih/*.jpg"
"$exe" hash 5 "$root"/tests/data/pdq/dih/*.jpg
echo "\$ pdq_bench hash 20 tests/data/photos/*.jpg tests/data/pdq/bridge-mods/*.jpg"
"$exe" hash 20 "$root"/tests/data/photos/*.jpg "$root"/tests/data/pdq/bridge-mods/*.jpg
echo "\$ pdq_bench query $n 2000"
/usr/bin/time -v "$exe" query "$n" 2000 2> "$work/time.txt"
grep -E 'Maximum resident' "$work/time.txt"
