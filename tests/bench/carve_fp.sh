#!/usr/bin/env bash
# carve_fp.sh [BUILD_DIR] [USR_MIB] [RANDOM_MIB] [WORK_DIR]: false carves of the
# model carver on data that holds no 3D design files (run by hand, never by ctest).
# Writes USR_MIB (default 1536) of concatenated regular files from /usr
# (binaries, libraries, fonts, docs; files with 3D extensions skipped) and
# RANDOM_MIB (default 512) of /dev/urandom to WORK_DIR, runs
# `stl-detect --carve-files` on each and asserts that no `model` record comes
# out. Prints the carver's throughput next to `cat > /dev/null`.
set -euo pipefail
bin=$(cd "${1:-build}" && pwd)
usr_mib=${2:-1536}
random_mib=${3:-512}
work=${4:-${TMPDIR:-/tmp}/trawl-carve-fp}
sd=$bin/stl-detect
mkdir -p "$work"

set +o pipefail  # head ends the producers early
find /usr -xdev -type f -size +0 ! \( -iname '*.stl' -o -iname '*.obj' -o -iname '*.ply' -o -iname '*.gcode' \
    -o -iname '*.3mf' -o -iname '*.step' -o -iname '*.stp' -o -iname '*.igs' -o -iname '*.iges' -o -iname '*.amf' \
    -o -iname '*.scad' -o -iname '*.bgcode' \) -print0 2>/dev/null | sort -z |
  xargs -0 cat 2>/dev/null | head -c $((usr_mib << 20)) > "$work/usr.bin"
head -c $((random_mib << 20)) /dev/urandom > "$work/random.bin"
set -o pipefail

status=0
for f in usr random; do
  file=$work/$f.bin
  mib=$(( $(stat -c %s "$file") >> 20 ))
  cat "$file" > /dev/null  # page cache
  t0=$(date +%s.%N); cat "$file" > /dev/null; t1=$(date +%s.%N)
  out=$work/$f.jsonl
  s0=$(date +%s.%N)
  "$sd" --carve-files --no-progress -q -j1 "$file" > "$out" || [[ $? -eq 1 ]]
  s1=$(date +%s.%N)
  n=$(grep -c '"type":"model"' "$out" || true)
  echo "$f: $mib MiB, $n carves; stl-detect $(echo "scale=1; $mib * 1.048576 / ($s1 - $s0)" | bc -l) MB/s," \
       "cat $(echo "scale=1; $mib * 1.048576 / ($t1 - $t0)" | bc -l) MB/s"
  if [[ $n -ne 0 ]]; then
    grep '"type":"model"' "$out" | head -20
    status=1
  fi
done
rm -f "$work/usr.bin" "$work/random.bin"
[[ $status -eq 0 ]] && echo "PASS: zero carves" || echo "FAIL: false carves above"
exit $status
