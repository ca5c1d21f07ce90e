#!/usr/bin/env bash
# hash-match keeps the conventions of hash-match(1) and trawl-records(5): exit statuses, --help/--version, a quiet
# stop on a closed pipe, NUL-separated source lists, TSV, --stats, thread-count independence, the --records round
# trip, read-only evidence and --verify-image.
#
# needs: jq coreutils findutils python3 (to flip a byte)
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq find sha256sum timeout
hash_match=$(oracle_tool hash-match) || exit $?
ev=$(oracle_evidence) || exit $?
w="$TRAWL_WORK/runs"
rm -rf "$w" && mkdir -p "$w"

# hm NAME ARGS...: run hash-match into $w/NAME.{out,err}; sets rc.
hm() {
  local name=$1
  shift
  rc=0
  timeout 120 "$hash_match" --no-progress "$@" >"$w/$name.out" 2>"$w/$name.err" || rc=$?
  if ((rc < 124)); then pass; else fail "$name: killed or timed out (status $rc)"; fi
}
check_rc() { check_eq "$1: exit status" "$2" "$rc"; }
check_quiet() { check_eq "$1: stderr" "" "$(cat "$w/$1.err")"; }

# --- Exit statuses
echo "== exit statuses"
mkdir -p "$w/empty-dir"
hm empty "$w/empty-dir"
check_rc empty 1
check_eq "empty: stdout" "" "$(cat "$w/empty.out")"
check_quiet empty

report="$ev/tree/docs/report.txt"
hm missing "$w/no-such-file" "$report"
check_rc missing 2
check_eq "missing: diagnostic" "hash-match: $w/no-such-file: not_found: stat: No such file or directory" "$(cat "$w/missing.err")"
check_eq "missing: error record" "not_found" \
  "$(jq -r --arg s "$w/no-such-file" 'select(.type == "error" and .source == $s) | .error' "$w/missing.out")"
check_eq "missing: the other source is still hashed" "$(sha256sum <"$report" | cut -d' ' -f1)" \
  "$(jq -r --arg p "$report" 'select(.type == "file" and .path == $p) | .sha256' "$w/missing.out")"

hm badopt --no-such-option "$report"
check_rc badopt 2
grep -q '^hash-match: .*no-such-option' "$w/badopt.err" && pass || fail "badopt: no diagnostic naming the option"
check_eq "badopt: stdout" "" "$(cat "$w/badopt.out")"

# --- --help lists every option of hash-match(1); --version
echo "== --help, --version"
hm help --help
check_rc help 0
check_quiet help
for opt in --digests --help --version --records --files0-from --format --no-header --line-buffered --threads \
  --progress --no-progress --quiet --stats --unallocated --raw --verify-image --no-archives --max-depth \
  --max-member-bytes --max-archive-bytes --max-ratio --max-entries --max-nested-buffer; do
  grep -q -- "$opt\b" "$w/help.out" && pass || fail "help: $opt not listed"
done
for short in '-c \[ --digests' '-h \[ --help' '-j \[ --threads' '-q \[ --quiet' '^ *-0 '; do
  grep -q -- "$short" "$w/help.out" && pass || fail "help: short option '$short' not listed"
done
hm version --version
check_rc version 0
check_quiet version
grep -qE '^hash-match \(trawl\) [0-9]+\.[0-9]+\.[0-9]+ [0-9a-z]+$' "$w/version.out" && pass ||
  fail "version: unexpected '$(cat "$w/version.out")'"

# --- | head -1: stops quietly, exit 0 (a closed pipe is not an error: SIGPIPE ignored, EPIPE ends the run).
echo "== | head -1"
big="$w/big-tree"
mkdir -p "$big"
for i in $(seq 1 400); do printf 'file %d\n' "$i" >"$big/f$i.txt"; done
cp -r "$ev/tree" "$big/tree"
rc=0
{ timeout 120 "$hash_match" --no-progress -c sha256 "$big" "$ev/sample.img" "$big" 2>"$w/head.err"; echo $? >"$w/head.rc"; } |
  head -1 >"$w/head.out"
check_eq "head: hash-match exit status" 0 "$(cat "$w/head.rc")"
check_quiet head
check_eq "head: one line" 1 "$(wc -l <"$w/head.out")"

# --- -0 and --files0-from with spaces and newlines in names
echo "== -0, --files0-from"
odd="$w/odd names"
mkdir -p "$odd"
printf 'one\n' >"$odd/with space.txt"
printf 'two\n' >"$odd/"$'with\nnewline.txt'
printf 'three\n' >"$odd/plain.txt"
find "$odd" -type f -print0 | sort -z >"$w/list0"
(cd "$odd" && find . -type f -printf '%P\0') | sort -z >/dev/null
hm nul0 -0 -c sha256 <"$w/list0"
check_rc nul0 0
hm files0 --files0-from "$w/list0" -c sha256
check_rc files0 0
for f in "$odd/with space.txt" "$odd/"$'with\nnewline.txt' "$odd/plain.txt"; do
  want=$(sha256sum <"$f" | cut -d' ' -f1)
  for run in nul0 files0; do
    check_eq "$run: sha256 of '$f'" "$want" \
      "$(jq -r --arg p "$f" 'select(.type == "file" and .path == $p and .source == $p) | .sha256' "$w/$run.out")"
  done
done
check_eq "nul0: records" 3 "$(wc -l <"$w/nul0.out")"
cmp -s "$w/nul0.out" "$w/files0.out" && pass || fail "-0 and --files0-from give different output"

# --- TSV: header and columns
echo "== --format tsv"
hm tsv --format tsv -c md5,sha256 "$ev/sample.img"
check_rc tsv 0
check_eq "tsv: header" $'#type\tsource\tpath\tsize\tdeleted\tpartition_offset\tinode\toffset\tlength\tmd5\tsha256\terror\tdetail' \
  "$(head -1 "$w/tsv.out")"
bad=$(grep -v '^#' "$w/tsv.out" | awk -F '\t' 'NF != 13' | head -3)
check_eq "tsv: every row has 13 columns" "" "$bad"
hm json -c md5,sha256 "$ev/sample.img"
jq -r 'select(.type == "file" or .type == "range") | . as $r
  | ["type", "source", "path", "size", "deleted", "partition_offset", "inode", "offset", "length", "md5", "sha256",
     "error", "detail"] | map(. as $k | if $r | has($k) then $r[$k] | tostring else "" end) | join("\t")' "$w/json.out" \
  >"$w/tsv.expected"
grep -v '^#' "$w/tsv.out" >"$w/tsv.rows"
cmp -s "$w/tsv.expected" "$w/tsv.rows" && pass || { fail "tsv rows differ from the JSON records:"; diff "$w/tsv.expected" "$w/tsv.rows" | head -10; }
check_eq "tsv: other records as ## JSON" "$(jq -c 'select(.type == "volume")' "$w/json.out")" \
  "$(sed -n 's/^## //p' "$w/tsv.out")"
hm tsvnh --format tsv --no-header -c md5,sha256 "$ev/sample.img"
cmp -s "$w/tsvnh.out" <(tail -n +2 "$w/tsv.out") && pass || fail "--no-header: output is not the TSV without its header"

# --- --stats: the summary record comes last and has its fields
echo "== --stats"
hm stats --stats -c md5 "$ev/tree" "$w/no-such-file"
check_rc stats 2
last=$(tail -1 "$w/stats.out")
check_eq "stats: last record is the summary" "summary" "$(jq -r .type <<<"$last")"
check_eq "stats: one summary" 1 "$(jq -c 'select(.type == "summary")' "$w/stats.out" | wc -l)"
check_eq "stats: fields" "true" "$(jq 'has("version") and has("commit") and has("command_line") and has("start_time")
  and has("end_time") and has("elapsed_s") and has("threads") and has("items") and has("bytes") and has("records")
  and has("errors")' <<<"$last")"
check_eq "stats: version" "$(cut -d' ' -f3 "$w/version.out")" "$(jq -r .version <<<"$last")"
check_eq "stats: errors" 1 "$(jq -r .errors <<<"$last")"
check_eq "stats: records" "$(jq -c 'select(.type == "file")' "$w/stats.out" | wc -l)" "$(jq -r .records <<<"$last")"
check_eq "stats: bytes" "$(jq -s 'map(select(.type == "file") | .size) | add' "$w/stats.out")" "$(jq -r .bytes <<<"$last")"
check_eq "stats: command line" "$hash_match --no-progress --stats -c md5 $ev/tree $w/no-such-file" \
  "$(jq -r .command_line <<<"$last")"
check_eq "stats: times are RFC 3339 UTC" "true" \
  "$(jq '([.start_time, .end_time] | all(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"))) and .start_time <= .end_time' \
    <<<"$last")"

# --- -j1, -j2, -j8: identical output
echo "== -j"
for j in 1 2 8; do
  hm "j$j" -j "$j" --unallocated -c md5,sha256 "$ev/sample.img"
  check_rc "j$j" 0
done
cmp -s "$w/j1.out" "$w/j2.out" && pass || fail "-j1 and -j2 outputs differ"
cmp -s "$w/j1.out" "$w/j8.out" && pass || fail "-j1 and -j8 outputs differ"

# --- --records round trip: file and range records (deleted files, archive members, unallocated ranges) re-read
# with -c sha256 give the same digests; an upstream field passes through.
echo "== --records"
in="$w/j1.out"
check_eq "records: input has deleted files" true "$(jq -s 'any(.[]; .deleted == true)' "$in")"
check_eq "records: input has archive members" true "$(jq -s 'any(.[]; .member != null)' "$in")"
check_eq "records: input has unallocated ranges" true "$(jq -s 'any(.[]; .area == "unallocated")' "$in")"
jq -c 'select(.type == "file" or .type == "range") | . + {case_note: "upstream \(.path)"} | del(.sha256)' "$in" \
  >"$w/records.in"
{ echo '{"type":"summary","tool":"other"}'; echo; cat "$w/records.in"; } >"$w/records.stdin"
hm rt --records -c sha256 <"$w/records.stdin"
check_rc rt 0
check_quiet rt
# Every input record comes back once, in order, with its upstream field and the same sha256 as the first run.
jq -r 'select(.type == "file" or .type == "range") | [.path, (.offset // ""), .sha256, "upstream \(.path)", .md5] | @tsv' \
  "$in" >"$w/rt.expected"
jq -r 'select(.case_note != null) | [.path, (.offset // ""), .sha256, .case_note, .md5] | @tsv' "$w/rt.out" >"$w/rt.got"
cmp -s "$w/rt.expected" "$w/rt.got" && pass || { fail "records: round trip differs (< first run, > --records):"; diff "$w/rt.expected" "$w/rt.got" | head -10; }
# Records re-opened as archives are walked again (pinned): their members come back without the upstream field,
# with the same digests.
jq -r 'select(.case_note == null) | [.path, .sha256] | @tsv' "$w/rt.out" | sort -u >"$w/rt.extra"
jq -r 'select(.member != null) | [.path, .sha256] | @tsv' "$in" | sort -u >"$w/rt.members"
check_eq "records: extra records are archive members of the first run" "" "$(comm -23 "$w/rt.extra" "$w/rt.members")"

# --- Evidence is opened read-only: a 0444 copy keeps its mtime and digest, and nothing appears next to it.
echo "== read-only evidence"
ro="$w/ro"
mkdir -p "$ro"
cp "$ev/sample.img" "$ro/sample.img"
chmod 0444 "$ro/sample.img"
touch -d '2020-01-01 00:00:00' "$ro/sample.img"
before=$(stat -c '%Y %s %a' "$ro/sample.img")
sum_before=$(sha256sum <"$ro/sample.img" | cut -d' ' -f1)
ls -A "$ro" >"$w/ro.ls.before"
hm ro --unallocated --raw --verify-image --stats "$ro/sample.img"
check_rc ro 0
check_eq "ro: mtime, size and mode" "$before" "$(stat -c '%Y %s %a' "$ro/sample.img")"
check_eq "ro: sha256" "$sum_before" "$(sha256sum <"$ro/sample.img" | cut -d' ' -f1)"
check_eq "ro: directory listing" "$(cat "$w/ro.ls.before")" "$(ls -A "$ro")"
check_eq "ro: --raw range has the image's sha256" "$sum_before" \
  "$(jq -r 'select(.type == "range" and .area == "image") | .sha256' "$w/ro.out")"

# --- --verify-image: sample.E01 verifies; a copy with one byte flipped in the compressed sectors does not.
echo "== --verify-image"
hm e01 --verify-image -c md5 "$ev/sample.E01"
check_rc e01 0
check_quiet e01
img=$(jq -c 'select(.type == "image")' "$w/e01.out")
check_eq "e01: image record verified" "true" "$(jq -r .verified <<<"$img")"
check_eq "e01: md5 equals stored md5" "$(jq -r .stored_md5 <<<"$img")" "$(jq -r .md5 <<<"$img")"
check_eq "e01: md5 of the media" "$(md5sum <"$ev/sample.img" | cut -d' ' -f1)" "$(jq -r .md5 <<<"$img")"
check_eq "e01: length" "$(stat -c %s "$ev/sample.img")" "$(jq -r .length <<<"$img")"

if command -v python3 >/dev/null; then
  cp "$ev/sample.E01" "$w/flipped.E01"
  # Flip one byte 300000 bytes into the "sectors" section (compressed chunk data), found by walking the section
  # descriptors (type[16], next u64, size u64) that follow the 13-byte EWF signature.
  python3 - "$w/flipped.E01" <<'EOF'
import struct, sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
off = 13
while True:
    kind = bytes(d[off:off + 16]).rstrip(b'\0')
    nxt, size = struct.unpack('<QQ', d[off + 16:off + 32])
    if kind == b'sectors':
        d[off + 76 + 300000] ^= 0xff
        break
    if nxt <= off:
        sys.exit('no sectors section')
    off = nxt
open(p, 'wb').write(d)
EOF
  hm flipped --verify-image -c md5 "$w/flipped.E01"
  n_err=$(jq -c 'select(.type == "error")' "$w/flipped.out" | wc -l)
  img=$(jq -c 'select(.type == "image")' "$w/flipped.out")
  # libewf reads the damaged chunk without failing; the image record says verified false, and a data_loss error
  # record (and diagnostic) says so, so the exit status is 2.
  check_eq "flipped: verified" "false" "$(jq -r .verified <<<"$img")"
  check_eq "flipped: stored md5 kept" "$(md5sum <"$ev/sample.img" | cut -d' ' -f1)" "$(jq -r .stored_md5 <<<"$img")"
  [[ $(jq -r .md5 <<<"$img") != "$(jq -r .stored_md5 <<<"$img")" ]] && pass || fail "flipped: md5 equals the stored md5"
  check_eq "flipped: error records" 1 "$n_err"
  check_eq "flipped: error kind" "data_loss" "$(jq -r 'select(.type == "error") | .error' "$w/flipped.out")"
  check_rc flipped 2
else
  echo "note: python3 missing: flipped-E01 checks skipped"
fi

# --- `-` reads standard input as one item; an archive on stdin is opened as a stream.
echo "== standard input"
photo=$(find "$ev/tree" -name '*.jpg' | head -1)
rc=0
timeout 60 "$hash_match" --no-progress -c sha256 - <"$photo" >"$w/stdin.out" 2>"$w/stdin.err" || rc=$?
check_rc stdin 0
check_quiet stdin
check_eq "stdin: one file record for -" "-" "$(jq -r 'select(.type == "file") | .path' "$w/stdin.out")"
check_eq "stdin: sha256 of the bytes" "$(sha256sum <"$photo" | cut -d' ' -f1)" "$(jq -r 'select(.type == "file") | .sha256' "$w/stdin.out")"
bundle=$(find "$ev/tree" -name 'bundle.tar.gz' | head -1)
rc=0
timeout 60 "$hash_match" --no-progress -c sha256 - <"$bundle" >"$w/stdin-archive.out" 2>"$w/stdin-archive.err" || rc=$?
check_rc stdin-archive 0
check_eq "stdin: members of an archive on stdin" "$(tar -tzf "$bundle" | grep -vc '/$')" \
  "$(jq -r 'select(.type == "file" and .depth == 1) | .path' "$w/stdin-archive.out" | wc -l | tr -d ' ')"

oracle_finish
