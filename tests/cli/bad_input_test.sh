#!/usr/bin/env bash
# hash-match on bad and edge inputs (scripts/make-test-fixtures): it must never crash or hang, write an error
# record plus a `hash-match: PATH: ERROR: DETAIL` diagnostic for what it cannot read, exit 0/1/2 as
# hash-match(1) says, and still process the rest of the evidence (a good file is passed after each bad input).
# Where the outcome is a choice rather than an obvious rule (limits, unrecognised bare images), the current
# behaviour is pinned and the comment says why.
#
# needs: jq coreutils setpriv (util-linux) base64 timeout, and what make-test-fixtures needs
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq sha256sum base64 timeout sfdisk mkfs.vfat mcopy mkfs.ext4 debugfs zip
hash_match=$(oracle_tool hash-match) || exit $?
fx="$TRAWL_WORK/fixtures"
# Made again when the generator changed since (a build tree keeps them between runs).
if [[ ! -f $fx/.made || $TRAWL_SRC/scripts/make-test-fixtures -nt $fx/.made ]]; then
  "$TRAWL_SRC/scripts/make-test-fixtures" "$fx" >"$TRAWL_WORK/make-test-fixtures.log" 2>&1 || {
    cat "$TRAWL_WORK/make-test-fixtures.log" >&2
    echo "$oracle_name: make-test-fixtures failed" >&2
    exit 2
  }
  touch "$fx/.made"
fi
w="$TRAWL_WORK/runs"
rm -rf "$w" && mkdir -p "$w"
good="$w/good.txt"
printf 'a good file next to the bad one\n' >"$good"
good_sha=$(sha256sum <"$good" | cut -d' ' -f1)

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# hm NAME ARGS...: run hash-match (at most 60 s) into $w/NAME.{out,err}; sets rc and elapsed. Checks that it
# was not killed (timeout or signal: status >= 124) and that stdout is JSON Lines.
hm() {
  local name=$1 start
  shift
  start=$SECONDS
  rc=0
  timeout 60 "$hash_match" --no-progress -c sha256 "$@" >"$w/$name.out" 2>"$w/$name.err" || rc=$?
  elapsed=$((SECONDS - start))
  if ((rc < 124)); then pass; else fail "$name: hash-match was killed or timed out (status $rc)"; fi
  if [[ -s $w/$name.out && " $* " != *" --format tsv "* ]]; then check_jsonl "$w/$name.out" "$name"; fi
}

# check_rc NAME EXPECTED
check_rc() { check_eq "$1: exit status" "$2" "$rc"; }

# check_diagnostics NAME: every stderr line is `hash-match: PATH: ERROR: DETAIL` and there is one per error record.
check_diagnostics() {
  local bad n_err n_rec
  bad=$(grep -v -E '^hash-match: .+: (invalid_argument|not_found|out_of_range|data_loss|unimplemented|resource_exhausted|io|internal): .+$' "$w/$1.err")
  if [[ -z $bad ]]; then pass; else fail "$1: stderr lines not shaped 'hash-match: PATH: ERROR: DETAIL':"; echo "$bad" | sed 's/^/  /'; fi
  n_err=$(wc -l <"$w/$1.err")
  n_rec=$(jq -c 'select(.type == "error")' "$w/$1.out" | wc -l)
  check_eq "$1: one diagnostic per error record" "$n_rec" "$n_err"
}

# check_stderr NAME LINE: stderr has exactly this line.
check_stderr() {
  if grep -qxF -- "$2" "$w/$1.err"; then pass; else fail "$1: stderr lacks '$2'; it has:"; sed 's/^/  /' "$w/$1.err"; fi
}

# check_error NAME PATH ERROR DETAIL_SUBSTRING: an error record for PATH (or, without a path, for source PATH).
check_error() {
  local n
  n=$(jq -c --arg p "$2" --arg e "$3" --arg d "$4" \
    'select(.type == "error" and (.path // .source) == $p and .error == $e and (.detail | contains($d)))' "$w/$1.out" | wc -l)
  if ((n == 1)); then pass; else fail "$1: expected one error record {path: $2, error: $3, detail ~ '$4'}, got $n; errors:"
    jq -c 'select(.type == "error")' "$w/$1.out" | sed 's/^/  /'; fi
}

# check_hashed NAME PATH SHA256: one file record for PATH with that sha256.
check_hashed() {
  local got
  got=$(jq -r --arg p "$2" 'select(.type == "file" and .path == $p) | .sha256' "$w/$1.out")
  check_eq "$1: sha256 of $2" "$3" "$got"
}

# check_absent NAME JQ_FILTER WHAT: no record matches.
check_absent() {
  local n
  n=$(jq -c "select($2)" "$w/$1.out" | wc -l)
  check_eq "$1: $3" 0 "$n"
}

check_good() { check_hashed "$1" "$good" "$good_sha"; }

# --- Truncated image: p2 (ext4) is cut 4 MiB in; files past the cut are io errors, p1 (FAT16) is intact.
echo "== truncated.img"
img="$fx/truncated.img"
hm trunc "$img" "$good"
check_rc trunc 2
check_diagnostics trunc
check_error trunc "$img/p2/filler.txt" io "Offset missing in partial image"
check_error trunc "$img/p2/zz-after.txt" io "read at file offset 0"
check_stderr trunc "$(jq -r 'select(.type == "error" and (.path | endswith("/zz-after.txt"))) | "hash-match: \(.path): \(.error): \(.detail)"' "$w/trunc.out")"
check_hashed trunc "$img/p1/docs/readme.txt" "$(sha 'FAT side of a small fixture disk.
')"
check_hashed trunc "$img/p2/docs/readme.txt" "$(sha 'ext side of a small fixture disk.
')"
check_good trunc

# --- Corrupt partition table: p1 good; p2 overlaps p1 (no file system there); one entry starts past the end, one
# runs 1 TiB past it. The walk reports each bad partition and still reads p1.
echo "== bad-ptable.img"
img="$fx/bad-ptable.img"
hm ptable "$img" "$good"
check_rc ptable 2
check_diagnostics ptable
check_hashed ptable "$img/p1/ok.txt" "$(sha 'ok
')"
check_error ptable "$img/p2" data_loss "no file system recognised"
n=$(jq -c 'select(.type == "error" and .error == "data_loss" and .detail == "partition starts past the end of the image")' "$w/ptable.out" | wc -l)
check_eq "ptable: one 'starts past the end' error record" 1 "$n"
n=$(jq -c 'select(.type == "volume")' "$w/ptable.out" | wc -l)
check_eq "ptable: volume records (all four entries)" 4 "$n"
check_good ptable

# --- Corrupt file system in a bare image (garbage FAT BPB): nothing recognises it as an image, so it is what it
# looks like, a file, and is hashed as one; no error (pinned: a bare image cannot be told from any other file).
echo "== corrupt-fs.img"
img="$fx/corrupt-fs.img"
hm corruptfs "$img" "$good"
check_rc corruptfs 0
check_eq "corruptfs: stderr" "" "$(cat "$w/corruptfs.err")"
check_hashed corruptfs "$img" "$(sha256sum <"$img" | cut -d' ' -f1)"
check_good corruptfs

# --- ext4 whose root and /docs directory blocks are garbage: libtsk finds no names, as `fls -r` shows nothing
# either (pinned): a volume record, no file records, no error.
echo "== corrupt-dir.img"
img="$fx/corrupt-dir.img"
hm corruptdir "$img"
check_rc corruptdir 1
check_eq "corruptdir: records" "volume" "$(jq -r .type "$w/corruptdir.out" | sort -u | tr '\n' ' ' | sed 's/ $//')"
hm corruptdir2 "$img" "$good"
check_rc corruptdir2 0
check_good corruptdir2

# --- An inode size past what the format allows (ext2: one flipped byte, 576 PB; ext4 extents: 4 TiB + 1 with
# 1 KiB blocks). libtsk would serve the missing bytes as sparse zeros, so reading would never end (found by
# mutating the fs-zoo images): an error record for that file, the others hashed, well within hm's 60 s.
for f in huge-size huge-size4; do
  echo "== $f.img"
  img="$fx/$f.img"
  hm "$f" "$img" "$good"
  check_rc "$f" 2
  check_diagnostics "$f"
  check_error "$f" "$img/docs/readme.txt" data_loss "corrupt metadata, content not read"
  check_hashed "$f" "$img/docs/gone.txt" "$(sha 'Deleted from ext: TRAWL-FIXTURE-DELETED-EXT
')"
  check_good "$f"
  # The other tools read the same files; wallet-scan cuts a large file into windows, and once cut a 576 PB
  # claim into billions of them, each an error record.
  for tool in wallet-scan meta-extract stl-detect; do
    args=(--unallocated)
    [[ $tool == wallet-scan ]] && args+=(--raw)
    rc=0
    timeout 60 "$TRAWL_BIN/$tool" --no-progress "${args[@]}" "$img" >"$w/$f.$tool.out" 2>"$w/$f.$tool.err" || rc=$?
    check_eq "$f: $tool exit status" 2 "$rc"
    check_eq "$f: $tool error records" 1 "$(jq -c 'select(.type == "error")' "$w/$f.$tool.out" | wc -l)"
    check_error "$f.$tool" "$img/docs/readme.txt" data_loss "corrupt metadata, content not read"
  done
  # Work units number the walk's error events as the unsharded run does: the units merge to its output.
  u="$w/$f.units"
  rm -rf "$u" && mkdir -p "$u"
  "$hash_match" --no-progress -c sha256 "$img" >"$u/unsharded.jsonl" 2>/dev/null
  "$hash_match" --plan --units 3 --no-progress -c sha256 "$img" >"$u/plan.jsonl"
  check_eq "$f: several units" true "$( (($(wc -l <"$u/plan.jsonl") >= 2)) && echo true || echo false)"
  for ((i = 0; i < $(wc -l <"$u/plan.jsonl"); i++)); do
    "$hash_match" --unit-file "$u/plan.jsonl" --unit-index "$i" --out "$u" 2>/dev/null
  done
  "$hash_match" --merge "$u" >"$u/merged.jsonl" 2>/dev/null
  if cmp -s "$u/unsharded.jsonl" "$u/merged.jsonl"; then pass; else fail "$f: units merged differ from the unsharded run"; fi
done

# --- An ext2 directory claiming 4 GB on a 2 MiB image, its block pointers leading to more pointers: libtsk maps
# them all before listing it (fls -r runs for minutes), and its orphan search lists every directory again. The
# directory is an error record and is not listed, the orphan search is left out with an error record saying why,
# the rest is walked; every tool ends at once, and work units merge to the unsharded output.
echo "== huge-dir.img"
img="$fx/huge-dir.img"
for tool in hash-match wallet-scan meta-extract stl-detect; do
  rc=0
  timeout 30 "$TRAWL_BIN/$tool" --no-progress "$img" >"$w/hugedir.$tool.out" 2>"$w/hugedir.$tool.err" || rc=$?
  check_eq "huge-dir: $tool exit status" 2 "$rc"
  check_eq "huge-dir: $tool error records" "$img/docs $img/\$OrphanFiles" \
    "$(jq -r 'select(.type == "error") | .path' "$w/hugedir.$tool.out" | tr '\n' ' ' | sed 's/ $//')"
done
check_eq "huge-dir: the directory is refused" true \
  "$(grep -q 'claims 4000000000 bytes, more than the image holds of its file system' "$w/hugedir.hash-match.err" && echo true || echo false)"
check_eq "huge-dir: the rest is walked" true \
  "$(jq -s --arg p "$img/photos/square-256x256.jpg" 'any(.[]; .type == "file" and .path == $p)' "$w/hugedir.hash-match.out")"
u="$w/hugedir.units"
rm -rf "$u" && mkdir -p "$u"
"$hash_match" --no-progress -c sha256 --unallocated "$img" >"$u/unsharded.jsonl" 2>/dev/null
timeout 30 "$hash_match" --plan --unit-size 1 --no-progress -c sha256 --unallocated "$img" >"$u/plan.jsonl"
check_eq "huge-dir: several units" true "$( (($(wc -l <"$u/plan.jsonl") >= 2)) && echo true || echo false)"
for ((i = 0; i < $(wc -l <"$u/plan.jsonl"); i++)); do
  timeout 30 "$hash_match" --unit-file "$u/plan.jsonl" --unit-index "$i" --out "$u" 2>/dev/null
done
"$hash_match" --merge "$u" >"$u/merged.jsonl" 2>/dev/null
if cmp -s "$u/unsharded.jsonl" "$u/merged.jsonl"; then pass; else fail "huge-dir: units merged differ from the unsharded run"; fi
check_eq "huge-dir: a plan without the orphans ends at once" 0 \
  "$(timeout 30 "$hash_match" --plan --units 2 "$img" >/dev/null 2>&1; echo $?)"

# --- exFAT whose boot sector claims 3.6e18 sectors (one mutated byte): the unallocated space is read up to the
# image's end, not block by block to the claimed one.
if [[ -f $fx/huge-exfat.img ]]; then
  echo "== huge-exfat.img"
  img="$fx/huge-exfat.img"
  hm hugeexfat --unallocated "$img" "$good"
  check_rc hugeexfat 0
  check_eq "hugeexfat: unallocated space up to the image's end" 8388608 \
    "$(jq -s '[.[] | select(.type == "range" and .area == "unallocated") | .offset + .length] | max // 0' "$w/hugeexfat.out")"
  check_good hugeexfat
fi

# --- Corrupt zip: a stored member with a bad CRC, then a good member.
echo "== corrupt.zip"
z="$fx/corrupt.zip"
hm crc "$z" "$good"
check_rc crc 2
check_diagnostics crc
check_error crc "$z!/bad-crc.txt" data_loss "bad CRC"
check_hashed crc "$z!/good.txt" "$(sha 'a good member after the bad one
')"
check_hashed crc "$z" "$(sha256sum <"$z" | cut -d' ' -f1)"
check_good crc
# TSV: an error record is a row filling the error and detail columns (trawl-records(5)), not a ## comment.
hm crctsv --format tsv "$z"
check_rc crctsv 2
n=$(awk -F '\t' -v p="$z!/bad-crc.txt" '$1 == "error" && $3 == p && $(NF - 1) == "data_loss" && $NF ~ /bad CRC/' \
  "$w/crctsv.out" | wc -l)
check_eq "crctsv: error row with error and detail columns" 1 "$n"

# --- Truncated zip (cut before its central directory, in the third member).
echo "== truncated.zip"
z="$fx/truncated.zip"
hm tzip "$z" "$good"
check_rc tzip 2
check_diagnostics tzip
check_error tzip "$z!/part-3.txt" data_loss "member data"
for i in 1 2; do
  check_hashed tzip "$z!/part-$i.txt" "$({ yes "truncated member $i" || true; } | head -c 20000 | sha256sum | cut -d' ' -f1)"
done
check_good tzip

# --- Encrypted zip: each member is an "unimplemented" error; the zip itself is still hashed.
echo "== encrypted.zip"
z="$fx/encrypted.zip"
hm enc "$z" "$good"
check_rc enc 2
check_diagnostics enc
check_error enc "$z!/one.txt" unimplemented "encrypted"
check_error enc "$z!/two.txt" unimplemented "encrypted"
check_stderr enc "hash-match: $z!/one.txt: unimplemented: encrypted member: not decrypted"
check_hashed enc "$z" "$(sha256sum <"$z" | cut -d' ' -f1)"
check_good enc

# --- Zip bomb: 200 MiB of zeros (deflated 1029:1), then a small member. Pinned: a limit stops the walk of that
# archive (skipping the rest of a member may cost as much as the bomb), so after.txt is not reached; the zip
# itself and the sources after it still are.
echo "== bomb.zip"
z="$fx/bomb.zip"
hm bomb10m --max-member-bytes 10M "$z" "$good"
check_rc bomb10m 2
check_diagnostics bomb10m
check_error bomb10m "$z!/zeros.bin" resource_exhausted "--max-member-bytes (10485760)"
check_absent bomb10m '.type == "file" and (.path | endswith("!/zeros.bin"))' "no file record for the bomb"
check_absent bomb10m '.type == "file" and (.path | endswith("!/after.txt"))' "after.txt not reached (pinned)"
check_hashed bomb10m "$z" "$(sha256sum <"$z" | cut -d' ' -f1)"
check_good bomb10m
if ((elapsed <= 10)); then pass; else fail "bomb10m: took ${elapsed}s"; fi

hm bombdefault "$z" "$good"
check_rc bombdefault 2
check_diagnostics bombdefault
check_error bombdefault "$z!/zeros.bin" resource_exhausted "--max-ratio (1000:1)"
check_absent bombdefault '.type == "file" and (.path | contains("!/"))' "no member records (pinned)"
check_good bombdefault
if ((elapsed <= 20)); then pass; else fail "bombdefault: took ${elapsed}s"; fi

# --- 11 nested zips with --max-depth 3: members down to depth 3 are hashed, the depth-3 zip is not opened.
echo "== nested-deep.zip"
z="$fx/nested-deep.zip"
hm deep --max-depth 3 "$z" "$good"
check_rc deep 2
check_diagnostics deep
l8="$z!/level-10.zip!/level-09.zip!/level-08.zip"
check_error deep "$l8" resource_exhausted "--max-depth (3)"
n=$(jq -r --arg z "$z!/" 'select(.type == "file" and (.path | startswith($z))) | .depth' "$w/deep.out" | sort -n | tr '\n' ' ')
check_eq "deep: depths of member records" "1 2 3 " "$n"
check_good deep

# --- Odd names and a FIFO (as root: locked/ is readable). The FIFO must be reported and never opened: opening
# it would block, so `timeout` turns a regression into a failure instead of a hang.
echo "== tree-odd"
t="$fx/tree-odd"
hm odd "$t"
check_rc odd 0
check_eq "odd: stderr" "" "$(cat "$w/odd.err")"
check_eq "odd: FIFO as a special record" "special" "$(jq -r --arg p "$t/fifo" 'select(.path == $p) | .type' "$w/odd.out")"
check_hashed odd "$t/normal.txt" "$(sha256sum <"$t/normal.txt" | cut -d' ' -f1)"
# Non-UTF-8 name: display path with U+FFFD, exact bytes in path_b64.
bad_name="$t/"$'bad\xff.txt'
rec=$(jq -c 'select(.path_b64 != null)' "$w/odd.out")
check_eq "odd: display path with U+FFFD" "$t/bad"$'\xef\xbf\xbd'".txt" "$(jq -j .path <<<"$rec")"
jq -j .path_b64 <<<"$rec" | base64 -d >"$w/odd.name"
printf '%s' "$bad_name" >"$w/odd.name.expected"
if cmp -s "$w/odd.name" "$w/odd.name.expected"; then pass; else fail "odd: path_b64 does not decode to the real name bytes"; fi
check_eq "odd: sha256 of the non-UTF-8 name" "$(sha256sum <"$bad_name" | cut -d' ' -f1)" "$(jq -r .sha256 <<<"$rec")"
# Newline in a name: JSON escapes it; the decoded path is the real name.
nl_name="$t/"$'new\nline.txt'
n=$(jq -c --arg p "$nl_name" 'select(.type == "file" and .path == $p and .path_b64 == null)' "$w/odd.out" | wc -l)
check_eq "odd: newline name as one record with the exact path" 1 "$n"
grep -qF 'new\nline.txt' "$w/odd.out" && pass || fail "odd: newline not escaped as \\n in JSON"
# TSV escapes the newline and the 0xff byte.
hm oddtsv --format tsv "$t"
check_rc oddtsv 0
grep -qF "$t/new\\nline.txt"$'\t' "$w/oddtsv.out" && pass || fail "oddtsv: no row with new\\nline.txt"
grep -qF "$t/bad\\xff.txt"$'\t' "$w/oddtsv.out" && pass || fail "oddtsv: no row with bad\\xff.txt"
check_eq "oddtsv: lines (header + one per record)" $(($(wc -l <"$w/odd.out") + 1)) "$(wc -l <"$w/oddtsv.out")"

# --- The Sleuth Kit cannot be loaded (it is opened on first use, not linked): each image is an io error record
# naming the library, is still hashed as a file, and the rest of the evidence is read. Simulated in a private mount
# namespace where the library file is an empty file.
echo "== libtsk missing"
tsk_files=$(ldconfig -p | awk '$1 ~ /^libtsk\.so\./ {print $NF}' | xargs -r readlink -f | sort -u)
if [[ $(id -u) -ne 0 || -z $tsk_files ]] || ! unshare -m true 2>/dev/null; then
  echo "note: not root, no unshare or libtsk not in the loader cache: libtsk-missing checks skipped"
else
  img="$fx/truncated.img"
  rc=0
  # shellcheck disable=SC2016
  timeout 60 unshare -m bash -c 'for f in $1; do mount --bind /dev/null "$f" || exit 99; done; shift
    exec "$@"' sh "$tsk_files" "$hash_match" --no-progress -c sha256 "$img" "$good" >"$w/notsk.out" 2>"$w/notsk.err" || rc=$?
  check_rc notsk 2
  check_diagnostics notsk
  check_error notsk "$img" io "cannot load The Sleuth Kit"
  check_hashed notsk "$img" "$(sha256sum <"$img" | cut -d' ' -f1)"
  check_good notsk
fi

# --- Unreadable file and directory, as user nobody (root reads everything). The copy lives in a world-traversable
# temp dir so that only the locked items are out of reach.
echo "== unreadable (as nobody)"
if [[ $(id -u) -ne 0 ]] || ! command -v setpriv >/dev/null; then
  echo "note: not root or no setpriv: unreadable-file checks skipped"
else
  u=$(mktemp -d /tmp/trawl-bad-input.XXXXXX)
  trap 'chmod -R u+rwx "$u" 2>/dev/null; rm -rf "$u"' EXIT
  chmod 755 "$u"
  cp -a "$t" "$u/tree"                # keeps locked/ at mode 000
  printf 'secret\n' >"$u/tree/secret.txt" && chmod 000 "$u/tree/secret.txt"
  cp "$good" "$u/good.txt" && chmod 644 "$u/good.txt"
  cp "$hash_match" "$u/hash-match" && chmod 755 "$u/hash-match"
  rc=0
  timeout 60 setpriv --reuid=nobody --regid=nogroup --clear-groups "$u/hash-match" --no-progress -c sha256 \
    "$u/tree" "$u/tree/secret.txt" "$u/good.txt" >"$w/nobody.out" 2>"$w/nobody.err" || rc=$?
  ((rc < 124)) && pass || fail "nobody: killed or timed out (status $rc)"
  check_rc nobody 2
  check_diagnostics nobody
  n=$(jq -c --arg s "$u/tree" --arg p "$u/tree/secret.txt" \
    'select(.type == "error" and .source == $s and .path == $p and .error == "io" and .detail == "open: Permission denied")' \
    "$w/nobody.out" | wc -l)
  check_eq "nobody: error record for the unreadable file in the tree" 1 "$n"
  check_stderr nobody "hash-match: $u/tree/secret.txt: io: open: Permission denied"
  n=$(jq -c --arg s "$u/tree/secret.txt" 'select(.type == "error" and .source == $s and .path == null and .error == "io")' \
    "$w/nobody.out" | wc -l)
  check_eq "nobody: error record for the unreadable file as a source" 1 "$n"
  check_error nobody "$u/tree/locked" io "Permission denied"
  check_stderr nobody "hash-match: $u/tree/locked: io: open directory: Permission denied"
  check_hashed nobody "$u/tree/normal.txt" "$(sha256sum <"$t/normal.txt" | cut -d' ' -f1)"
  check_hashed nobody "$u/tree/sub/nested.txt" "$(sha256sum <"$t/sub/nested.txt" | cut -d' ' -f1)"
  check_hashed nobody "$u/good.txt" "$good_sha"
  check_absent nobody '.type == "file" and (.path | contains("locked/"))' "nothing under locked/ hashed"
  check_eq "nobody: FIFO still a special record" "special" \
    "$(jq -r --arg p "$u/tree/fifo" 'select(.path == $p) | .type' "$w/nobody.out")"
fi

oracle_finish
