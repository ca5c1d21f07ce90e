#!/usr/bin/env bash
# stl-detect carves a long byte range in windows (256 MiB, at every -j) and in work units; a binary STL that
# crosses a window's or a unit's start is carved once, not followed by false "fragments" (its records look
# like STL headers every 12,800 bytes): the windows are joined where the object before ends, and --merge
# leaves out a later unit's models that start inside an earlier unit's last model. Small objects right after
# a crossing object are still found. A unit whose false fragment runs past the real object's end (slack that
# continues its records) gets an error record at --merge naming the unit and the offset; a window in one
# run carves that stretch again (the same records at -j1 and -j2). Sparse files,
# generated here: a 600 MiB FAT image (its free space is one range) and a 600 MiB raw file (--carve-files).
# needs: jq python3 dosfstools coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq python3 mkfs.vfat truncate
stl_detect=$(oracle_tool stl-detect) || exit $?
w=$TRAWL_WORK
MiB=1048576
cut=$((256 * MiB))  # the pipeline's window (tools/common/cli.cpp)

# put FILE OFFSET TRIANGLES SEED [HEADER|-]: writes a binary STL of random triangles with true unit normals
# (as CAD exports write them) at OFFSET; HEADER "-" writes the records only (slack of an older file).
put() {
  python3 - "$@" <<'PY'
import math, random, struct, sys
path, offset, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
header = sys.argv[5] if len(sys.argv) > 5 else "trawl windows test"
rnd = random.Random(seed)
out = bytearray() if header == "-" else bytearray(header.encode().ljust(80, b" ") + struct.pack("<I", count))
for _ in range(count):
    v = [[rnd.uniform(-50, 50) for _ in range(3)] for _ in range(3)]
    a = [v[1][i] - v[0][i] for i in range(3)]
    b = [v[2][i] - v[0][i] for i in range(3)]
    n = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    l = math.sqrt(sum(x * x for x in n)) or 1.0
    out += struct.pack("<12fH", *(x / l for x in n), *v[0], *v[1], *v[2], 0)
with open(path, "r+b") as f:
    f.seek(offset)
    f.write(out)
PY
}
sector_below() { echo $(($1 / 512 * 512)); }
models() { jq -r 'select(.type == "model") | "\(.offset) \(.length)"' "$1" | tr '\n' ' ' | sed 's/ $//'; }
big=100000  # triangles: 5,000,084 bytes, half of it past the boundary it crosses
big_len=$((84 + big * 50))

echo "== --carve-files: a 5 MB STL across the file's window boundary at 300 MiB"
raw=$w/raw.bin
rm -f "$raw" && truncate -s $((600 * MiB)) "$raw"
boundary=$((600 * MiB / 2))
at=$(sector_below $((boundary - big_len / 2)))
put "$raw" "$at" $big 1
"$stl_detect" --no-progress --carve-files --sector-aligned -j1 "$raw" >"$w/raw-j1.jsonl" 2>"$w/raw-j1.err"
"$stl_detect" --no-progress --carve-files --sector-aligned -j2 "$raw" >"$w/raw-j2.jsonl" 2>"$w/raw-j2.err"
check_eq "-j1: one model, the STL" "$at $big_len" "$(models "$w/raw-j1.jsonl")"
check_eq "-j2: the same records" "$(cat "$w/raw-j1.jsonl")" "$(cat "$w/raw-j2.jsonl")"

echo "== an image's free space: an STL across a window boundary, another across a unit boundary"
img=$w/fat.img
rm -f "$img"
mkfs.vfat -C "$img" $((600 * 1024)) >/dev/null
"$stl_detect" --plan --units 4 --unallocated "$img" >"$w/plan.jsonl"
ranges=$(jq -r 'select(.kind == "range") | "\(.start) \(.end)"' "$w/plan.jsonl")
check_eq "the free space is cut into three units" 3 "$(printf '%s\n' "$ranges" | wc -l)"
read -r r0 unit_boundary <<<"$(printf '%s\n' "$ranges" | head -1)"
r1=$(printf '%s\n' "$ranges" | tail -1 | cut -d' ' -f2)
pieces=$(((r1 - r0) / cut))
check_eq "a run without units cuts it into two windows" 2 "$pieces"
window_boundary=$((r0 + (r1 - r0) / pieces))
a=$(sector_below $((window_boundary - big_len / 2)))
small=$(((a + big_len + 511) / 512 * 512))  # a small STL on the next sector after A's end
b=$(sector_below $((unit_boundary - big_len / 2)))
put "$img" "$a" $big 2
put "$img" "$small" 40 3 "small part"
put "$img" "$b" $big 4
put "$img" $((16 * MiB)) 40 5 "far from any boundary"
expected="$((16 * MiB)) 2084 $b $big_len $a $big_len $small 2084"
expected=$(printf '%s\n' $expected | paste -d' ' - - | sort -n | tr '\n' ' ' | sed 's/ $//')
"$stl_detect" --no-progress --unallocated -j1 "$img" >"$w/img-j1.jsonl" 2>"$w/img-j1.err"
"$stl_detect" --no-progress --unallocated -j2 "$img" >"$w/img-j2.jsonl" 2>"$w/img-j2.err"
check_eq "-j1: the four STLs, each once" "$expected" "$(models "$w/img-j1.jsonl")"
check_eq "-j2: the same records" "$(cat "$w/img-j1.jsonl")" "$(cat "$w/img-j2.jsonl")"

echo "== work units: --merge equals the run without units"
rm -rf "$w/units"
oracle_sharded "$stl_detect" "$w/units" --units 4 --unallocated "$img"
check_eq "four units" 4 "$oracle_units"
check_eq "a unit carved a false fragment inside B (what the merge leaves out)" 1 \
  "$(cat "$w/units"/unit-*.jsonl | jq -r "select(.type == \"model\" and .offset > $b and .offset < $b + $big_len) | 1" | head -1)"
check_eq "merged records equal the unsharded run's" "$(cat "$w/img-j1.jsonl")" "$(cat "$w/units/merged.jsonl")"

echo "== work units: a false fragment running past the real STL's end is reported, not silently kept"
# Slack after B continues its records (an older, longer file): the later unit's fragment inside B runs on
# past B's end, so that unit had not caught up with the run without units there.
put "$img" $((b + big_len)) 60000 6 -
rm -rf "$w/units2"
oracle_sharded "$stl_detect" "$w/units2" --units 4 --unallocated "$img"
check_eq "B kept once" 1 "$(jq -r "select(.type == \"model\" and .offset == $b) | 1" "$w/units2/merged.jsonl" | wc -l)"
check_eq "no model starts inside B" "" \
  "$(jq -r "select(.type == \"model\" and .offset > $b and .offset < $b + $big_len) | .offset" "$w/units2/merged.jsonl")"
check_eq "an error record names the unit and B's end" 1 \
  "$(jq -r "select(.type == \"error\" and (.detail | test(\"^unit 2: .*past its end at offset $((b + big_len)):\"))) | 1" \
    "$w/units2/merged.jsonl" | wc -l)"

echo "== a window whose own carver runs on past the real STL's end carves that stretch again"
# The same slack after A (over the small STL): the later window's fragment inside A runs past A's end, so
# that window carves again from A's end, as one carver over the range does; -j1 and -j2 agree.
put "$img" $((a + big_len)) 60000 7 -
"$stl_detect" --no-progress --unallocated -j1 "$img" >"$w/slack-j1.jsonl" 2>"$w/slack-j1.err"
"$stl_detect" --no-progress --unallocated -j2 "$img" >"$w/slack-j2.jsonl" 2>"$w/slack-j2.err"
check_eq "A carved once, whole" "$big_len" "$(jq -r "select(.type == \"model\" and .offset == $a) | .length" "$w/slack-j1.jsonl")"
check_eq "no model starts inside A" "" \
  "$(jq -r "select(.type == \"model\" and .offset > $a and .offset < $a + $big_len) | .offset" "$w/slack-j1.jsonl")"
check_eq "no error" "" "$(jq -r 'select(.type == "error") | .detail' "$w/slack-j1.jsonl")"
check_eq "-j2: the same records" "$(cat "$w/slack-j1.jsonl")" "$(cat "$w/slack-j2.jsonl")"

oracle_finish
