#!/usr/bin/env bash
# Oracle: hash-match on a plain directory against md5sum, sha1sum, sha256sum and find.
#
# On tree/ from scripts/make-sample-evidence, `hash-match -c md5,sha1,sha256 TREE` must report every regular
# file (`find TREE -type f`) once as a "file" record whose path is the host path and whose digests equal the
# coreutils ones; symlinks (one to a file, one dangling) must be "symlink" records and never be followed.
# Archive members (paths "HOSTFILE!/member") are left to oracle_archive_test.sh.
#
# needs: jq coreutils findutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq find md5sum sha1sum sha256sum
hash_match=$(oracle_tool hash-match) || exit $?
ev=$(oracle_evidence) || exit $?
tree="$ev/tree"
w="$TRAWL_WORK/tree"
mkdir -p "$w"

echo "== $tree"
run_tool "$w/out.jsonl" "$w/stderr" "$hash_match" -c md5,sha1,sha256 "$tree"
check_jsonl "$w/out.jsonl" "tree"
show_errors "$w/out.jsonl" "tree"

# Expected: path<TAB>md5<TAB>sha1<TAB>sha256 for each regular file (the sample tree has no tab/newline names).
find "$tree" -type f | sort >"$w/files"
while IFS= read -r f; do
  printf '%s\t%s\t%s\t%s\n' "$f" "$(md5sum <"$f" | cut -d' ' -f1)" "$(sha1sum <"$f" | cut -d' ' -f1)" \
    "$(sha256sum <"$f" | cut -d' ' -f1)"
done <"$w/files" >"$w/expected.tsv"
find "$tree" -type l | sort >"$w/expected-symlinks"

jq -R -r 'fromjson? | select(type == "object" and .type == "file")
  | [(.path // "-"), (.md5 // "-"), (.sha1 // "-"), (.sha256 // "-")] | @tsv' "$w/out.jsonl" >"$w/file-records.tsv"
jq -R -r 'fromjson? | select(type == "object" and .type == "symlink") | .path' "$w/out.jsonl" \
  >"$w/reported-symlinks"

# Drop archive members: "P!/..." where P is a regular file of the tree.
awk -F '\t' 'NR == FNR { file[$0] = 1; next }
             { i = index($1, "!/"); if (i > 0 && (substr($1, 1, i - 1) in file)) next; print }' \
  "$w/files" "$w/file-records.tsv" >"$w/reported.tsv"

cut -f1 "$w/expected.tsv" >"$w/expected-paths"
cut -f1 "$w/reported.tsv" >"$w/reported-paths"
dups=$(sort "$w/reported-paths" | uniq -d)
if [[ -z $dups ]]; then pass; else fail "tree: files reported more than once:"; echo "$dups" | sed 's/^/  /'; fi
compare_sets "tree: regular files (find -type f)" "$w/expected-paths" "$w/reported-paths"

# Digests, one check per file and algorithm.
while IFS=$'\t' read -r path md5 sha1 sha256; do
  rec=$(awk -F '\t' -v p="$path" '$1 == p { print; exit }' "$w/reported.tsv")
  [[ -n $rec ]] || continue
  IFS=$'\t' read -r _ got_md5 got_sha1 got_sha256 <<<"$rec"
  check_eq "$path: md5" "$md5" "$got_md5"
  check_eq "$path: sha1" "$sha1" "$got_sha1"
  check_eq "$path: sha256" "$sha256" "$got_sha256"
done <"$w/expected.tsv"

compare_sets "tree: symlinks (find -type l) as symlink records" "$w/expected-symlinks" "$w/reported-symlinks"
# Not followed: no symlink path may also appear as a file record.
followed=$(comm -12 "$w/expected-symlinks" <(sort -u "$w/reported-paths"))
if [[ -z $followed ]]; then pass; else fail "tree: symlinks reported as files (followed):"; echo "$followed" | sed 's/^/  /'; fi

oracle_finish
