#!/usr/bin/env bash
# A plan lists ext2/3/4 file systems with trawl's own reader of directory names (lib/io/ext_dir_block.hpp), not
# libtsk's directory loading; the units walk with libtsk. The plan only balances the units (a listing that
# differed would still merge to the unsharded output), but it is meant to find libtsk's events in libtsk's
# order. Checked here with a plan of one file per unit (--unit-size 1): every unit's first file is the file the
# plan names for it, on file systems built to hold what the reader must get right: an indexed (htree) directory
# with deleted names in its blocks' slack, a deleted directory with a deleted file in it, hard links in one
# directory, a symlink and a FIFO, the root's order (home before the rest, Windows late, pagefile.sys and
# hiberfil.sys last), ext2 without the filetype feature (two-byte name lengths), and ext4 inline-data
# directories. The merged units equal the unsharded run too.
# needs: e2fsprogs (mkfs.ext2 mkfs.ext4 e2fsck debugfs) sleuthkit (fls) jq coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need mkfs.ext4 mkfs.ext2 e2fsck debugfs fls jq
hm=$(oracle_tool hash-match) || exit $?
w=$TRAWL_WORK
rm -rf "$w/stage" "$w"/*.img "$w/units"

# The tree: 150 names in /big make a directory of several 1 KiB blocks, which e2fsck -D indexes.
stage=$w/stage
mkdir -p "$stage"/{home/alice,Windows/System32,big,docs/sub,links,trash/keep}
for i in $(seq 1 150); do echo "file $i" >"$stage/big/entry-with-a-longish-name-$i.txt"; done
for i in 1 2 3 4 5 6; do head -c $((i * 3000)) /dev/zero | tr '\0' "$i" >"$stage/docs/d$i.bin"; done
echo a >"$stage/home/alice/notes.txt"
echo w >"$stage/Windows/System32/x.dll"
echo p >"$stage/pagefile.sys"
echo h >"$stage/hiberfil.sys"
echo r >"$stage/readme"
echo s >"$stage/docs/sub/s.txt"
echo t >"$stage/trash/keep/t.txt"
echo u >"$stage/trash/u.txt"
ln "$stage/docs/d1.bin" "$stage/docs/hard-d1.bin"
ln -s ../docs/d2.bin "$stage/links/sym"
mkfifo "$stage/links/fifo"
# Deleting with debugfs leaves the names in the slack of the entries before them, as the kernel does.
deletions=(
  "rm /big/entry-with-a-longish-name-1.txt" "rm /big/entry-with-a-longish-name-2.txt"
  "rm /big/entry-with-a-longish-name-75.txt" "rm /big/entry-with-a-longish-name-76.txt"
  "rm /big/entry-with-a-longish-name-150.txt" "rm /docs/d3.bin" "rm /docs/d6.bin" "rm /readme"
)
deleted_dir=("rm /trash/keep/t.txt" "rmdir /trash/keep")

# make_fs IMAGE MKFS-COMMAND... : a 16 MiB file system of the tree, indexed, then the deletions.
make_fs() {
  local img=$1
  shift
  truncate -s 16M "$img" && "$@" -q -d "$stage" "$img" && { e2fsck -fyD "$img" >/dev/null 2>&1 || (($? <= 2)); } ||
    { fail "cannot build $img"; return 1; }
}
make_fs "$w/ext4.img" mkfs.ext4 -b 1024 &&
  printf '%s\n' "${deletions[@]}" "${deleted_dir[@]}" | debugfs -w -f - "$w/ext4.img" >/dev/null 2>&1
make_fs "$w/ext2-nofiletype.img" mkfs.ext2 -b 1024 -O ^filetype &&
  printf '%s\n' "${deletions[@]}" "${deleted_dir[@]}" | debugfs -w -f - "$w/ext2-nofiletype.img" >/dev/null 2>&1
# Inline data: the small directories live in their inodes. (Its deleted directory becomes an orphan, which
# libtsk walks before pagefile.sys: left out, so that the plan's ordinals stay the walk's.)
make_fs "$w/ext4-inline.img" mkfs.ext4 -O inline_data &&
  printf '%s\n' "${deletions[@]}" | debugfs -w -f - "$w/ext4-inline.img" >/dev/null 2>&1

check_eq "the indexed directory is indexed" true \
  "$(debugfs -R 'htree /big' "$w/ext4.img" 2>/dev/null | grep -q 'Root node dump' && echo true || echo false)"
# (How many of the ten deletions keep their names depends on where the index hashed them: at least some.)
check_eq "deleted names are in the slack" true "$( (($(fls -rd "$w/ext4.img" 2>/dev/null | wc -l) >= 5)) && echo true || echo false)"
check_eq "inline-data directories" true \
  "$(debugfs -R 'stat /docs/sub' "$w/ext4-inline.img" 2>/dev/null | grep -q 'Size of inline data' && echo true || echo false)"

for img in "$w/ext4.img" "$w/ext2-nofiletype.img" "$w/ext4-inline.img"; do
  name=${img##*/}
  echo "== $name"
  units=$w/units/$name
  mkdir -p "$units"
  "$hm" --plan --unit-size 1 "$img" >"$units/plan.jsonl"
  count=$(wc -l <"$units/plan.jsonl")
  check_eq "$name: one unit per file" true "$( ((count > 150)) && echo true || echo false)"
  mapfile -t kinds < <(jq -r .kind "$units/plan.jsonl")
  mapfile -t paths < <(jq -r .path "$units/plan.jsonl")
  differ=0
  for ((i = 0; i < count; i++)); do
    "$hm" --unit-file "$units/plan.jsonl" --unit-index "$i" --out "$units" >/dev/null 2>&1
    [[ ${kinds[i]} == files && ${paths[i]} == "$img"/* ]] || continue  # not the unit that starts at the volume
    first=$(jq -r 'select(.type == "file") | .path' "$units/$(printf 'unit-%05d' "$i").jsonl" | head -1)
    if [[ $first != "${paths[i]}" ]]; then
      ((differ++ < 5)) && echo "unit $i: the plan names ${paths[i]}, the unit starts at $first"
    fi
  done
  check_eq "$name: every unit starts at the file the plan names" 0 "$differ"
  "$hm" --merge "$units" >"$units/merged.jsonl" 2>/dev/null
  "$hm" "$img" >"$units/unsharded.jsonl" 2>/dev/null
  if cmp -s "$units/unsharded.jsonl" "$units/merged.jsonl"; then pass; else fail "$name: merged units differ from the unsharded run"; fi
done

oracle_finish
