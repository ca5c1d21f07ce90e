#!/usr/bin/env bash
# stl-detect describes a carved object larger than what the carver keeps in memory (--keep-limit) by
# reading it again from the source: in the free space of a FAT image, a binary STL, an ASCII STL and a PLY
# over a 64 KiB keep bound get the same records as with everything kept, and the same description
# (counts, size, hashes, verdict) as the same mesh as a small file; so does a model at the start of a file
# over the 1 GiB whole-file bound (carved). Over --describe-limit, or in a source that cannot be read again
# (a .gz member), the record keeps its note with the right reason and what the object's head says. Peak
# memory stays bounded on a 1 GiB image holding a 300 MB STL (skipped with TRAWL_SKIP_LARGE=1).
# needs: jq python3 dosfstools coreutils openssl gzip time
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq python3 mkfs.vfat sha256sum openssl gzip
stl_detect=$(oracle_tool stl-detect) || exit $?
w=$TRAWL_WORK
rm -rf "$w/in" && mkdir -p "$w/in"
MiB=1048576

# Closed tori (shared vertices, so watertight and measured): a binary STL (240 KB), an ASCII STL (168 KB), a
# binary PLY (91 KB); all over the 64 KiB keep bound the test sets.
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$TRAWL_SRC/tests/cli" python3 - "$w/in" <<'PY'
import sys
from fixtures3d import torus, binary_stl_bytes, binary_ply_bytes, ascii_stl
d = sys.argv[1]
open(d + "/ring.stl", "wb").write(binary_stl_bytes(torus(60, 40), b"ring part"))
open(d + "/ring.ply", "wb").write(binary_ply_bytes(torus(60, 40)))
ascii_stl(d + "/ring_ascii.stl", "ring_solid", torus(30, 20))
PY
sha() { sha256sum "$1" | cut -d' ' -f1; }
# What a description is made of (the address and the item's fields aside).
described='{format, length, sha256, truncated, stl_header, solid_name, unit, triangles, vertices, size_x, size_y, size_z,
  volume, surface_area, watertight, components, exact_hash, pose_hash, shape_hash, verdict, score, cues}'
"$stl_detect" --no-progress -j1 "$w/in" >"$w/files.jsonl" 2>"$w/files.err"
as_file() { jq -c "select(.type == \"model\" and .sha256 == \"$1\") | $described" "$w/files.jsonl"; }

echo "== over the keep bound in an image's free space: read again and described as a small file"
img=$w/fat.img
rm -f "$img"
mkfs.vfat -C "$img" 16384 >/dev/null
stl_at=$((4 * MiB))
ascii_at=$((6 * MiB + 37))  # off the sectors: ASCII STL starts anywhere
ply_at=$((8 * MiB))
dd if="$w/in/ring.stl" of="$img" bs=1 seek=$stl_at conv=notrunc status=none
dd if="$w/in/ring_ascii.stl" of="$img" bs=1 seek=$ascii_at conv=notrunc status=none
dd if="$w/in/ring.ply" of="$img" bs=1 seek=$ply_at conv=notrunc status=none
"$stl_detect" --no-progress --unallocated "$img" >"$w/kept.jsonl" 2>"$w/kept.err"
"$stl_detect" --no-progress --unallocated --keep-limit 64K "$img" >"$w/again.jsonl" 2>"$w/again.err"
check_jsonl "$w/again.jsonl" "read-again output"
check_eq "the three objects carved at their offsets" "$stl_at $ascii_at $ply_at" \
  "$(jq -r 'select(.type == "model") | .offset' "$w/again.jsonl" | sort -n | tr '\n' ' ' | sed 's/ $//')"
check_eq "records equal those with every object kept" "$(cat "$w/kept.jsonl")" "$(cat "$w/again.jsonl")"
check_eq "no note" 0 "$(jq -r 'select(.note != null)' "$w/again.jsonl" | wc -l)"
for f in ring.stl ring_ascii.stl ring.ply; do
  digest=$(sha "$w/in/$f")
  check_eq "$f: described as the small file" "$(as_file "$digest")" \
    "$(jq -c "select(.type == \"model\" and .sha256 == \"$digest\") | $described" "$w/again.jsonl")"
done
check_eq "measured and fingerprinted" "4800 2400 true 1200 600 true 4800 2400 true" \
  "$(jq -r 'select(.type == "model") | "\(.triangles) \(.vertices) \(.watertight)"' "$w/again.jsonl" | tr '\n' ' ' | sed 's/ $//')"
check_eq "-j1 and -j2 agree" "$(cat "$w/again.jsonl")" \
  "$("$stl_detect" --no-progress -j1 --unallocated --keep-limit 64K "$img" 2>/dev/null)"
rm -rf "$w/extract" && mkdir -p "$w/extract"
"$stl_detect" --no-progress --unallocated --keep-limit 64K --extract "$w/extract" "$img" >"$w/extract.jsonl" 2>/dev/null
check_eq "extracted byte for byte" "$(jq -r 'select(.type == "model") | .sha256' "$w/extract.jsonl" | sort)" \
  "$(for f in "$w"/extract/*; do sha "$f"; done | sort)"

echo "== over --describe-limit: the note and what the head says"
"$stl_detect" --no-progress --unallocated --keep-limit 64K --describe-limit 64K "$img" >"$w/limit.jsonl" 2>/dev/null
check_eq "notes" "3" "$(jq -r 'select(.type == "model") | .note' "$w/limit.jsonl" | grep -c '^larger than --describe-limit: carved and hashed, not parsed or measured')"
check_eq "exact hashes still" "$(jq -r 'select(.type == "model") | "\(.offset) \(.length) \(.sha256)"' "$w/again.jsonl")" \
  "$(jq -r 'select(.type == "model") | "\(.offset) \(.length) \(.sha256)"' "$w/limit.jsonl")"
check_eq "binary STL: triangles and header; ASCII STL: solid name; PLY: declared counts" \
  "stl-binary 4800 ring part
stl-ascii ring_solid
ply 2400 4800" \
  "$(jq -r 'select(.type == "model") | [.format, .triangles, .stl_header, .solid_name, .declared_vertices, .declared_faces] | map(select(. != null)) | join(" ")' "$w/limit.jsonl")"
check_eq "not measured, verdict from names" "null model null model null model" \
  "$(jq -r 'select(.type == "model") | "\(.exact_hash) \(.verdict)"' "$w/limit.jsonl" | tr '\n' ' ' | sed 's/ $//')"
rc=0
"$stl_detect" --no-progress --describe-limit lots "$img" >/dev/null 2>"$w/bad.err" || rc=$?
check_eq "a bad size is refused" "2 1" "$rc $(grep -c 'describe-limit' "$w/bad.err")"

echo "== a compressed archive member cannot be read again: the note says so"
head -c $((2 * MiB)) /dev/zero | openssl enc -aes-128-ctr -K 0f0e0d0c0b0a09080706050403020100 \
  -iv 00000000000000000000000000000000 -nosalt >"$w/dump.bin"
dd if="$w/in/ring.stl" of="$w/dump.bin" bs=512 seek=1024 conv=notrunc status=none
rm -f "$w/dump.bin.gz" && gzip -k "$w/dump.bin"
rm -rf "$w/gzx" && mkdir -p "$w/gzx"
"$stl_detect" --no-progress --carve-files --sector-aligned --keep-limit 64K --extract "$w/gzx" "$w/dump.bin.gz" \
  >"$w/gz.jsonl" 2>/dev/null
check_eq "gz member: offset, sha256, the reason, header fields" \
  "$((1024 * 512)) $(sha "$w/in/ring.stl") 4800 ring part
larger than --keep-limit in a source that cannot be read again: carved and hashed, not parsed or measured (verdict from names only)
not kept in memory (over --keep-limit) in a source that cannot be read again" \
  "$(jq -r 'select(.type == "model") | "\(.offset) \(.sha256) \(.triangles) \(.stl_header)\n\(.note)\n\(.extract_error)"' "$w/gz.jsonl")"
"$stl_detect" --no-progress --carve-files --sector-aligned --keep-limit 64K "$w/dump.bin" >"$w/dump.jsonl" 2>/dev/null
check_eq "the same bytes as a file are read again and described" "$(as_file "$(sha "$w/in/ring.stl")")" \
  "$(jq -c "select(.type == \"model\") | $described" "$w/dump.jsonl")"

echo "== a file over the whole-file bound (1 GiB) is carved and described fully"
rm -f "$w/huge.stl" && cp "$w/in/ring.stl" "$w/huge.stl" && truncate -s $((1024 * MiB + MiB)) "$w/huge.stl"
"$stl_detect" --no-progress "$w/huge.stl" >"$w/huge.jsonl" 2>/dev/null
check_eq "carved at 0, the same description as the small file" "true 0 $(as_file "$(sha "$w/in/ring.stl")")" \
  "$(jq -r "select(.type == \"model\") | \"\(.carved) \(.item_offset) \($described | tojson)\"" "$w/huge.jsonl")"
"$stl_detect" --no-progress --keep-limit 64K "$w/huge.stl" >"$w/huge-again.jsonl" 2>/dev/null
check_eq "also read again over the keep bound" "$(cat "$w/huge.jsonl")" "$(cat "$w/huge-again.jsonl")"
rm -f "$w/huge.stl"

if [ "${TRAWL_SKIP_LARGE:-0}" != 1 ] && [ -x /usr/bin/time ]; then
  echo "== peak memory: a 1 GiB image holding a 300 MB binary STL (6 M triangles)"
  big=$w/big.img
  rm -f "$big" && mkfs.vfat -C "$big" $((1024 * 1024)) >/dev/null
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$TRAWL_SRC/tests/cli" python3 - "$big" $((400 * MiB)) <<'PY'
import sys
from fixtures3d import torus, binary_stl_bytes
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    f.write(binary_stl_bytes(torus(200, 250), b"large part", repeat=60))
PY
  peak() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
  /usr/bin/time -v "$stl_detect" --no-progress -j1 --unallocated --describe-limit 64M "$big" >"$w/big-note.jsonl" 2>"$w/big-note.time"
  check_eq "over --describe-limit: carved and hashed while streaming" "6000000 300000084" \
    "$(jq -r "select(.type == \"model\" and .offset == $((400 * MiB))) | \"\(.triangles) \(.length)\"" "$w/big-note.jsonl")"
  kb=$(peak "$w/big-note.time")
  [ "${kb:-999999999}" -lt $((200 * 1024)) ] && pass || fail "streaming a 300 MB object took ${kb} KiB (over 200 MiB)"
  /usr/bin/time -v "$stl_detect" --no-progress -j1 --unallocated "$big" >"$w/big.jsonl" 2>"$w/big.time"
  check_eq "described: triangles, welded vertices, no note" "6000000 50000 null" \
    "$(jq -r "select(.type == \"model\" and .offset == $((400 * MiB))) | \"\(.triangles) \(.vertices) \(.note)\"" "$w/big.jsonl")"
  kb=$(peak "$w/big.time")
  # The object (300 MB) and its parse: about 3.5 times its size, never the image's.
  [ "${kb:-999999999}" -lt $((1400 * 1024)) ] && pass || fail "describing a 300 MB object took ${kb} KiB (over 1400 MiB)"
  echo "peak KiB: streaming $(peak "$w/big-note.time"), described $(peak "$w/big.time")"
  rm -f "$big"
fi

oracle_finish
