#!/usr/bin/env bash
# Block matching through the real binary: a known file was copied to a FAT
# image, deleted and partly overwritten (scripts/make-block-fixture). Its
# surviving fragments are found in unallocated space as runs of 4 KiB blocks
# at sector-aligned offsets, each re-openable by address: the bytes at the
# run's offset equal the known file's blocks.
# needs: jq mtools dosfstools openssl
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq mcopy mkfs.vfat openssl
hash_match=$(oracle_tool hash-match) || exit $?
w=$TRAWL_WORK
mkdir -p "$w"
"$TRAWL_SRC/scripts/make-block-fixture" "$w/fx" > "$w/fixture.log" 2>&1 || { cat "$w/fixture.log"; exit 2; }
img=$w/fx/block-fixture.img
known=$w/fx/known.jpg

run_tool "$w/index.out" "$w/index.err" "$hash_match" index --blocks --block-size 4096 "$known" -o "$w/blocks.tidx" --name contraband
check_eq "index records the block size" "blocks:4096" "$(jq -r .version "$w/index.out")"

run_tool "$w/scan.jsonl" "$w/scan.err" "$hash_match" --no-progress --unallocated --known-bad "$w/blocks.tidx" --matches-only "$img"
jq -r 'select(.type == "match" and .matched == "blocks") | "\(.offset) \(.length) \(.first_block) \(.block_count)"' "$w/scan.jsonl" > "$w/runs"
printf '%s\n' "72192 20480 3 5" "104960 16384 8 4" "129536 311296 12 76" > "$w/runs.expected"
compare_sets "fragment runs (offset, length, first block, count)" "$w/runs.expected" "$w/runs"
check_eq "runs name the set and the known file" "contraband known.jpg" \
  "$(jq -r 'select(.type == "match") | "\(.set) \(.entry_name | split("/") | last)"' "$w/scan.jsonl" | sort -u)"

# Every run's bytes, read from the image at its offset, are the known file's blocks.
while read -r offset length first count; do
  a=$(dd if="$img" bs=512 skip=$((offset / 512)) count=$((length / 512)) status=none | sha256sum | cut -d' ' -f1)
  b=$(dd if="$known" bs=4096 skip="$first" count="$count" status=none | sha256sum | cut -d' ' -f1)
  check_eq "run at $offset holds blocks $first..$((first + count - 1))" "$b" "$a"
done < "$w/runs"

# The same runs are found in the whole image as one range (--raw), and not in allocated files.
run_tool "$w/raw.jsonl" "$w/raw.err" "$hash_match" --no-progress --raw --known-bad "$w/blocks.tidx" --matches-only "$img"
jq -r 'select(.type == "match" and .matched == "blocks") | "\(.offset) \(.length) \(.first_block) \(.block_count)"' "$w/raw.jsonl" > "$w/runs.raw"
compare_sets "runs in the whole image (--raw)" "$w/runs.expected" "$w/runs.raw"

# A match record is an address: --records re-opens exactly the fragment.
jq -c 'select(.type == "match") | {type: "range", tool: .tool, source: .source, offset: .offset, length: .length}' \
  "$w/scan.jsonl" | "$hash_match" --no-progress --records -c sha256 > "$w/reopen.jsonl" 2> "$w/reopen.err"
first_run_sha=$(dd if="$known" bs=4096 skip=3 count=5 status=none | sha256sum | cut -d' ' -f1)
check_eq "--records re-reads the first fragment" "$first_run_sha" "$(jq -r 'select(.offset == 72192) | .sha256' "$w/reopen.jsonl")"

oracle_finish
