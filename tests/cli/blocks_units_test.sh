#!/usr/bin/env bash
# Block matching in work units (hash-match(1) LARGE CASES): with a block index among --known-bad, a long byte range
# is cut into windows. The unit of the first window writes the range's record, its digests and exact matches; every
# window reports the runs of known blocks that start in it, followed to their end. On the block fixture
# (scripts/make-block-fixture) with more runs planted across and exactly on unit boundaries, 1, 3 and 7 units and
# small unit sizes must merge to the unsharded output byte for byte, for --raw (one 20 MiB range) and --unallocated.
# needs: jq mtools dosfstools openssl coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq mcopy mkfs.vfat openssl md5sum
hash_match=$(oracle_tool hash-match) || exit $?
w=$TRAWL_WORK
rm -rf "$w/units" && mkdir -p "$w/units"
"$TRAWL_SRC/scripts/make-block-fixture" "$w/fx" >"$w/fixture.log" 2>&1 || { cat "$w/fixture.log"; exit 2; }
known=$w/fx/known.jpg
img=$w/planted.img
cp "$w/fx/block-fixture.img" "$img"
MiB=1048576
# plant AT FIRST COUNT: the known file's blocks FIRST.. at byte AT of the image.
plant() { dd if="$known" bs=4096 skip="$2" count="$3" status=none | dd of="$img" bs=512 seek=$(($1 / 512)) conv=notrunc status=none; }
plant $((1 * MiB)) 20 4                    # starts exactly on a boundary of every unit size up to 1 MiB
plant $((2 * MiB - 3 * 4096 + 512)) 30 5   # across 2 MiB, one sector off the blocks
plant $((6 * MiB - 4096)) 40 2             # ends exactly on 6 MiB
plant $((7 * MiB - 512)) 50 3              # starts one sector before 7 MiB
plant $((9 * MiB - 4096)) 60 20            # a long run over 9 MiB and 9 MiB + 64 KiB
"$hash_match" index --blocks --block-size 4096 "$known" -o "$w/blocks.tidx" --name contraband >/dev/null 2>&1 ||
  fail "index --blocks failed"
# A second block index (8 KiB blocks of the same file): its runs interleave with the first one's in offset order.
"$hash_match" index --blocks --block-size 8192 "$known" -o "$w/blocks8k.tidx" --name contraband8k >/dev/null 2>&1 ||
  fail "index --blocks --block-size 8192 failed"
# The whole image's MD5 as a known-bad set too: the range's exact match sits between its record and its runs.
md5sum "$img" | sed 's|  .*|  planted.img|' >"$w/image.md5"

# equivalent NAME SIZES ARGS...: the unsharded run against every unit size in SIZES (space-separated).
equivalent() {
  local name=$1 sizes=$2 s n d
  shift 2
  "$hash_match" --no-progress "$@" >"$w/$name.expected" 2>"$w/$name.err"
  check_eq "$name: unsharded run found runs" true \
    "$([[ $(grep -c '"matched":"blocks"' "$w/$name.expected") -gt 5 ]] && echo true || echo false)"
  for s in $sizes; do
    d=$w/units/$name-$s
    oracle_sharded "$hash_match" "$d" --unit-size "$s" --no-progress "$@"
    n=$oracle_units
    echo "   $name --unit-size $s: $n units"
    if cmp -s "$w/$name.expected" "$d/merged.jsonl"; then
      pass
    else
      fail "$name: $n units (--unit-size $s) merge differently from the unsharded run"
      diff <(jq -c '[.type, .matched, .offset, .length]' "$w/$name.expected") \
        <(jq -c '[.type, .matched, .offset, .length]' "$d/merged.jsonl") | head -10
    fi
  done
}

echo "== plan: range units for block matching only when a block index is given"
"$hash_match" --plan --unit-size 1M --raw "$img" >"$w/plain.plan"
check_eq "no block index: the raw range is not cut" 0 "$(jq -s 'map(select(.kind == "range")) | length' "$w/plain.plan")"
"$hash_match" --plan --unit-size 1M --raw --known-bad "$w/blocks.tidx" "$img" >"$w/blocks.plan"
check_eq "block index: the raw range in 20 range units of 1 MiB" 20 "$(jq -s 'map(select(.kind == "range")) | length' "$w/blocks.plan")"
check_eq "each range unit looks back one block (margin)" 4096 "$(jq -r 'select(.kind == "range") | .margin' "$w/blocks.plan" | sort -u)"
check_eq "the first range unit starts at the range (the unit that hashes it)" "0 0" \
  "$(jq -r 'select(.kind == "range")| "\(.range_offset) \(.start)"' "$w/blocks.plan" | head -1)"

echo "== equivalence: --raw (one range) and --unallocated (files and unallocated runs)"
# 21M: 1 unit; 7M: 3; 3M: 7; and small sizes whose boundaries cut the fixture's runs and the planted ones.
equivalent raw "21M 7M 3M 1M 256K" --raw --known-bad "$w/blocks.tidx" --known-bad "$w/image.md5" "$img"
equivalent two-indexes "3M 1M" --raw --known-bad "$w/blocks.tidx" --known-bad "$w/blocks8k.tidx" --matches-only "$img"
check_eq "two indexes: runs of both, in offset order" "contraband contraband8k sorted" \
  "$(jq -r .set "$w/two-indexes.expected" | sort -u | tr '\n' ' ')$(jq -r .offset "$w/two-indexes.expected" | sort -n -c && echo sorted)"
equivalent unalloc "7M 3M 256K" --unallocated --known-bad "$w/blocks.tidx" --matches-only "$img"
check_eq "raw: range record, its exact match, then the runs in offset order" "range match:md5 match:blocks" \
  "$(jq -r 'select(.type != "volume" and .type != "file") | if .type == "match" then "match:\(.matched)" else .type end' \
    "$w/raw.expected" | uniq | tr '\n' ' ' | sed 's/ $//')"
check_eq "raw: runs in offset order, each once" "$(jq -r 'select(.matched == "blocks") | .offset' "$w/raw.expected" | sort -n -u)" \
  "$(jq -r 'select(.matched == "blocks") | .offset' "$w/raw.expected")"
check_eq "raw: planted runs found whole" \
  "$((1 * MiB)) 20 4
$((2 * MiB - 3 * 4096 + 512)) 30 5
$((6 * MiB - 4096)) 40 2
$((7 * MiB - 512)) 50 3
$((9 * MiB - 4096)) 60 20" \
  "$(jq -r "select(.matched == \"blocks\" and .offset >= $MiB) | \"\\(.offset) \\(.first_block) \\(.block_count)\"" "$w/raw.expected")"
first=$(jq -r 'select(.kind == "range") | .id' "$w/units/raw-256K/plan.jsonl" | head -1)
check_eq "raw, 256K units: only the first range unit writes the range's record" "$first.jsonl" \
  "$(cd "$w/units/raw-256K" && grep -l '"type":"range"' unit-*.jsonl)"

echo "== threads: one run shares a long range's block matching in windows, the records unchanged"
# The fixture grown to 600 MiB (sparse): the run cuts the raw range in two windows (at 300 MiB) for its workers,
# with -j1 too.
big=$w/big.img
cp "$w/fx/block-fixture.img" "$big" && truncate -s 600M "$big"
plant_big() { dd if="$known" bs=4096 skip="$2" count="$3" status=none | dd of="$big" bs=512 seek=$(($1 / 512)) conv=notrunc status=none; }
plant_big $((300 * MiB - 2 * 4096 + 1024)) 10 6
plant_big $((100 * MiB)) 30 3
plant_big $((300 * MiB + 8 * 4096)) 40 2
for j in 1 2; do
  "$hash_match" --no-progress -j "$j" --raw --matches-only --known-bad "$w/blocks.tidx" "$big" >"$w/big-j$j.jsonl" 2>"$w/big-j$j.err"
  check_eq "-j $j: runs before and across the window boundary, whole and once" \
    "72192 3 5
104960 8 4
129536 12 76
$((100 * MiB)) 30 3
$((300 * MiB - 2 * 4096 + 1024)) 10 6
$((300 * MiB + 8 * 4096)) 40 2" \
    "$(jq -r '"\(.offset) \(.first_block) \(.block_count)"' "$w/big-j$j.jsonl")"
done
rm -f "$big"

oracle_finish
