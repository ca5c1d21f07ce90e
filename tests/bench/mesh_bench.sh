#!/usr/bin/env bash
# mesh_bench.sh [BUILD_DIR] [N]: mesh parse + measure + hash time (run by hand, never by ctest).
# Compiles mesh_bench.cpp against BUILD_DIR/libtrawl.a (Release; no CMake target), then times a
# ~N-triangle (default 1,000,000) binary STL of a lumpy blob, and the same size of a plain sphere
# (symmetric: the pose hash tries every candidate frame, its worst case).
# Goal (brief): parsing + measuring + hashing 1M triangles in < 1 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)
n=${2:-1000000}
work=${TMPDIR:-/tmp}/trawl-mesh-bench
mkdir -p "$work"
exe=$work/mesh_bench

g++ -std=c++20 -O2 -I"$root/lib" -I"$bin/generated" "$root/tests/bench/mesh_bench.cpp" -o "$exe" \
  "$bin/libtrawl.a" -lfmt -lcrypto -lsqlite3 -larchive -ltsk -lewf -ljpeg -lpng -lgif -lwebp -lexpat -lz -lsecp256k1 -pthread

echo "# trawl mesh benchmark, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "\$ mesh_bench $n"
"$exe" "$n"
echo "\$ mesh_bench $n symmetric"
"$exe" "$n" symmetric
