#!/usr/bin/env bash
# hash_bench.sh [BUILD_DIR] [WORK_DIR]: hash-match against its peers and the
# hardware, measured in the same run (run by hand, never by ctest).
#
#   1. a >= 2 GB tree of mixed file sizes: hash-match vs hashdeep, md5+sha1+sha256
#   2. hash-match -c sha256 -j1 vs `openssl speed -evp sha256` (one core)
#   3. an ext4 image of that tree: walking it and reading every file
#      (hash-match -c none) vs `cat image > /dev/null`, all from page cache
#
# Goals (issue: foundation): (1) >= 2.5x hashdeep, (2) >= 80 %, (3) >= 80 %.
set -euo pipefail
bin=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/trawl-bench}
hm=$bin/hash-match
mkdir -p "$work"
tree=$work/tree
image=$work/tree.img

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
best_of() { local best=999999 t; for _ in 1 2 3; do t=$(seconds "$@"); best=$(echo "if ($t < $best) $t else $best" | bc -l); done; echo "$best"; }
mb() { echo "scale=1; $1 / 1000000" | bc -l; }

if [[ ! -d $tree ]]; then
  echo "making the tree in $tree ..." >&2
  mkdir -p "$tree"/{small,medium,large}
  RANDOM=42
  for i in $(seq 1 3000); do head -c $(( (RANDOM % 64 + 1) * 1024 )) /dev/urandom > "$tree/small/f$i"; done
  for i in $(seq 1 300); do head -c $(( (RANDOM % 4096 + 256) * 1024 )) /dev/urandom > "$tree/medium/f$i"; done
  for i in $(seq 1 12); do head -c $(( (RANDOM % 96 + 64) * 1048576 )) /dev/urandom > "$tree/large/f$i"; done
fi
bytes=$(du -sb "$tree" | cut -f1)
if [[ ! -f $image ]]; then
  echo "making the ext4 image $image ..." >&2
  mkfs.ext4 -q -F -d "$tree" "$image" "$(( bytes / 1048576 * 115 / 100 + 64 ))M"
fi
image_bytes=$(stat -c %s "$image")
cores=$(nproc)

echo "# trawl hash-match benchmark, $(date -u +%FT%TZ), $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# tree: $(find "$tree" -type f | wc -l) files, $(mb "$bytes") MB; image: $(mb "$image_bytes") MB"
find "$tree" -type f -exec cat {} + > /dev/null   # warm the page cache
cat "$image" > /dev/null

t_hashdeep=$(best_of hashdeep -r -c md5,sha1,sha256 "$tree")
t_hm3=$(best_of "$hm" --no-progress -c md5,sha1,sha256 "$tree")
echo
echo "## 1. md5+sha1+sha256 of the tree"
echo "hashdeep -r -c md5,sha1,sha256 TREE          $t_hashdeep s  $(mb "$(echo "$bytes / $t_hashdeep" | bc -l)") MB/s"
echo "hash-match -c md5,sha1,sha256 TREE           $t_hm3 s  $(mb "$(echo "$bytes / $t_hm3" | bc -l)") MB/s"
echo "ratio hash-match / hashdeep throughput:      $(echo "scale=2; $t_hashdeep / $t_hm3" | bc -l)  (goal >= 2.5)"

openssl_kbs=$(openssl speed -evp sha256 -bytes 1048576 -seconds 3 2>/dev/null | awk '/^sha256/ {sub(/k$/, "", $2); print $2}')
openssl_bps=$(echo "$openssl_kbs * 1000" | bc -l)
t_hm1=$(best_of "$hm" --no-progress -j1 -c sha256 "$tree")
hm1_bps=$(echo "$bytes / $t_hm1" | bc -l)
echo
echo "## 2. sha256 on one core"
echo "openssl speed -evp sha256 -bytes 1048576     $(mb "$openssl_bps") MB/s"
echo "hash-match -j1 -c sha256 TREE                $t_hm1 s  $(mb "$hm1_bps") MB/s"
echo "ratio hash-match / openssl:                  $(echo "scale=2; $hm1_bps / $openssl_bps" | bc -l)  (goal >= 0.80)"

t_cat=$(best_of cat "$image")
t_walk=$(best_of "$hm" --no-progress -c none "$image")
t_walk1=$(best_of "$hm" --no-progress -j1 -c none "$image")
echo
echo "## 3. walk the ext4 image and read every file"
echo "cat IMAGE > /dev/null                        $t_cat s  $(mb "$(echo "$image_bytes / $t_cat" | bc -l)") MB/s"
echo "hash-match -c none IMAGE (-j$cores)               $t_walk s  $(mb "$(echo "$image_bytes / $t_walk" | bc -l)") MB/s of image"
echo "hash-match -j1 -c none IMAGE                 $t_walk1 s"
echo "ratio hash-match / cat:                      $(echo "scale=2; $t_cat / $t_walk" | bc -l)  (goal >= 0.80)"
