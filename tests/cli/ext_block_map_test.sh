#!/usr/bin/env bash
# Large ext2/3 files with a block map are read along the map by trawl (lib/io/ext_block_map.hpp), not through
# libtsk, which visits the whole triple-indirect tree and appends each run to a list it walks from its head:
# icat spends more than a minute on a 4.2 GB sparse file of a 64 MiB ext3 image, and trawl used to wait as long.
# Checked against the files the images were made from (sha256sum) and, where The Sleuth Kit ends in time, icat:
#   ext2, 1 KiB blocks: a 5 MiB file (double indirect), a 70 MiB one (triple indirect from 64.3 MiB) and a
#     70 MiB sparse one with data in its middle and at its end;
#   ext3, 4 KiB blocks: a 4.2 GB sparse file with data at 1 GiB and 4.1 GB (triple indirect from 4 GiB).
# Each tool ends well within its timeout; wallet-scan finds an address planted past 4 GiB at its offset.
# needs: e2fsprogs (mkfs.ext2 mkfs.ext3) sleuthkit (icat) jq coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need mkfs.ext2 mkfs.ext3 icat jq sha256sum timeout
hm=$(oracle_tool hash-match) || exit $?
ws=$(oracle_tool wallet-scan) || exit $?
w=$TRAWL_WORK
rm -rf "$w/stage1" "$w/stage3" "$w"/*.img

# Deterministic content: the bytes of a counter's sha256 chain, MiB by MiB.
content() { # content MIB SEED
  local i
  for ((i = 0; i < $1; i++)); do
    printf '%s %d' "$2" "$i" | sha256sum | head -c 64 | awk '{ for (j = 0; j < 16384; j++) printf "%s", $0 }'
  done
}
mkdir -p "$w/stage1" "$w/stage3"
content 5 double >"$w/stage1/double.bin"
content 70 triple >"$w/stage1/triple.bin"
truncate -s 70M "$w/stage1/sparse.bin"
content 1 middle | dd of="$w/stage1/sparse.bin" bs=1M seek=20 conv=notrunc status=none
content 1 tail | dd of="$w/stage1/sparse.bin" bs=1M seek=69 conv=notrunc status=none
address=1BoatSLRHtKNngkdXEeobR76b53LETtpyT  # a Bitcoin address of the public examples
truncate -s 4200M "$w/stage3/big-sparse.bin"
content 1 gib | dd of="$w/stage3/big-sparse.bin" bs=1M seek=1024 conv=notrunc status=none
{ content 1 end; printf ' %s ' "$address"; } | dd of="$w/stage3/big-sparse.bin" bs=1M seek=4100 conv=notrunc status=none
truncate -s 160M "$w/ext2.img" && mkfs.ext2 -q -b 1024 -d "$w/stage1" "$w/ext2.img" || fail "cannot build ext2.img"
truncate -s 64M "$w/ext3.img" && mkfs.ext3 -q -b 4096 -d "$w/stage3" "$w/ext3.img" || fail "cannot build ext3.img"

# The oracle digest of a source file; OpenSSL's is three times faster than sha256sum on the 4.2 GB of zeros.
source_sha256() {
  if command -v openssl >/dev/null; then openssl dgst -sha256 -r <"$1" | cut -d' ' -f1; else sha256sum <"$1" | cut -d' ' -f1; fi
}

check_hashes() { # check_hashes IMAGE STAGE
  local img=$1 stage=$2 name rc=0 s e
  s=$(date +%s)
  timeout 120 "$hm" --no-progress -c sha256 "$img" >"$w/${img##*/}.jsonl" 2>"$w/${img##*/}.err" || rc=$?
  e=$(date +%s)
  check_eq "${img##*/}: hash-match exit status" 0 "$rc"
  check_eq "${img##*/}: hash-match ends in time" true "$( (($(($e - $s)) < 60)) && echo true || echo false)"
  for f in "$stage"/*; do
    name=${f##*/}
    check_eq "${img##*/}: $name" "$(source_sha256 "$f")" \
      "$(jq -r --arg p "$img/$name" 'select(.path == $p) | .sha256' "$w/${img##*/}.jsonl")"
  done
}
echo "== ext2, 1 KiB blocks"
check_hashes "$w/ext2.img" "$w/stage1"
# The Sleuth Kit reads the double-indirect file in time: the same bytes.
inode=$(jq -r --arg p "$w/ext2.img/double.bin" 'select(.path == $p) | .inode' "$w/ext2.img.jsonl")
check_eq "ext2.img: double.bin as icat reads it" "$(timeout 60 icat "$w/ext2.img" "$inode" | sha256sum | cut -d' ' -f1)" \
  "$(jq -r --arg p "$w/ext2.img/double.bin" 'select(.path == $p) | .sha256' "$w/ext2.img.jsonl")"

echo "== ext3, 4 KiB blocks, a 4.2 GB sparse file"
check_hashes "$w/ext3.img" "$w/stage3"
rc=0
timeout 120 "$ws" --no-progress "$w/ext3.img" >"$w/ws.jsonl" 2>"$w/ws.err" || rc=$?
check_eq "ext3.img: wallet-scan exit status" 0 "$rc"
check_eq "ext3.img: the address past 4 GiB, at its offset" "$((4100 * 1048576 + 1048576 + 1))" \
  "$(jq -r --arg a "$address" 'select(.value == $a) | .offset' "$w/ws.jsonl")"

oracle_finish
