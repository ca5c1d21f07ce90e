#!/usr/bin/env bash
# Oracle: known-file matching against md5deep. On the sample tree (host files
# only: md5deep does not open archives, so hash-match runs with --no-archives):
#   hash-match --known-bad SET   reports exactly the files `md5deep -r -m SET` prints;
#   hash-match --known-good SET  drops exactly the files `md5deep -r -x SET` keeps out.
# md5deep follows symbolic links to files; hash-match reports them as links
# and never follows them, so links are left out of md5deep's answer.
# The set is a real md5sum listing of part of the tree plus digests of files
# that are not there; it is given both as a set file and as a compiled index.
# needs: hashdeep jq coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need md5deep jq md5sum
hash_match=$(oracle_tool hash-match) || exit $?
ev=$(oracle_evidence) || exit $?
regular_files() { while IFS= read -r p; do [[ -f $p && ! -L $p ]] && printf '%s\n' "$p"; done; }
tree="$ev/tree"
w=$TRAWL_WORK

# Every other file of the tree goes into the set, plus three digests of nothing here.
find "$tree" -type f | sort | awk 'NR % 2 == 1' | xargs -d '\n' md5sum > "$w/set.md5"
for s in absent-one absent-two absent-three; do printf '%s' "$s" | md5sum | sed "s|-\$|/elsewhere/$s|"; done >> "$w/set.md5"
run_tool "$w/index.out" "$w/index.err" "$hash_match" index "$w/set.md5" -o "$w/set.tidx" --name case-list --kind bad

for set in "$w/set.md5" "$w/set.tidx"; do
  name=${set##*/}
  # --known-bad vs md5deep -m
  md5deep -r -m "$w/set.md5" "$tree" 2>/dev/null | regular_files | sort > "$w/$name.bad.expected"
  run_tool "$w/$name.bad.jsonl" "$w/$name.bad.err" "$hash_match" --no-archives --known-bad "$set" --matches-only "$tree"
  jq -r 'select(.type == "match") | .path' "$w/$name.bad.jsonl" | sort > "$w/$name.bad.reported"
  compare_sets "$name: --known-bad vs md5deep -m" "$w/$name.bad.expected" "$w/$name.bad.reported"
  check_eq "$name: every match is by md5 and not partial" "" \
    "$(jq -r 'select(.type == "match" and (.matched != "md5" or .partial != false)) | .path' "$w/$name.bad.jsonl")"
  if [[ $name == set.tidx ]]; then
    check_eq "$name: matches carry the index label" "" \
      "$(jq -r 'select(.type == "match" and .set != "case-list") | .path' "$w/$name.bad.jsonl")"
  fi

  # --known-good vs md5deep -x (files NOT in the set)
  md5deep -r -x "$w/set.md5" "$tree" 2>/dev/null | regular_files | sort > "$w/$name.good.expected"
  run_tool "$w/$name.good.jsonl" "$w/$name.good.err" "$hash_match" --no-archives --known-good "$set" "$tree"
  jq -r 'select(.type == "file") | .path' "$w/$name.good.jsonl" | sort > "$w/$name.good.reported"
  compare_sets "$name: --known-good vs md5deep -x" "$w/$name.good.expected" "$w/$name.good.reported"
done

# Exit status with --known-bad: 0 when something matched, 1 when nothing did.
printf '%s  /nowhere\n' "$(printf 'nothing' | md5sum | cut -d' ' -f1)" > "$w/none.md5"
"$hash_match" --no-archives --known-bad "$w/none.md5" "$tree" > /dev/null 2>&1
check_eq "exit status with no match" 1 $?
"$hash_match" --no-archives --known-bad "$w/set.md5" "$tree" > /dev/null 2>&1
check_eq "exit status with a match" 0 $?

# Output as sets the classic tools read back: hashdeep audits it, md5sum -c checks it.
"$hash_match" --no-progress --no-archives -c md5,sha256 --format hashdeep "$tree" > "$w/tree.hashdeep" 2>/dev/null
check_eq "hashdeep header" "%%%% HASHDEEP-1.0" "$(head -1 "$w/tree.hashdeep")"
n_files=$(find "$tree" -type f | wc -l)
matched=$(cd / && hashdeep -r -a -v -k "$w/tree.hashdeep" "$tree" 2>/dev/null | sed -n 's/^ *Files matched: //p')
# hashdeep follows the link to a file that hash-match reports as a link: every real file must match.
check_eq "hashdeep -a matches every regular file" "$n_files" "$matched"
"$hash_match" --no-progress --no-archives --format sha256sum "$tree" > "$w/tree.sha256" 2>/dev/null
check_eq "sha256sum -c accepts the output" 0 "$(sha256sum -c --quiet "$w/tree.sha256" >/dev/null 2>&1; echo $?)"
check_eq "sha256sum lines, one per regular file" "$n_files" "$(wc -l < "$w/tree.sha256" | tr -d ' ')"

# ssdeep: signatures equal the ssdeep tool's, and matching a list finds what `ssdeep -m` finds.
if command -v ssdeep >/dev/null; then
  ssdeep -r "$tree" 2>/dev/null | tail -n +2 | sed 's/^\([^,]*\),"\(.*\)"$/\2\t\1/' |
    while IFS=$'\t' read -r p sig; do [[ -f $p && ! -L $p ]] && printf '%s\t%s\n' "$p" "$sig"; done | sort > "$w/ssdeep.expected"
  "$hash_match" --no-progress --no-archives -c ssdeep "$tree" 2>/dev/null |
    jq -r 'select(.type == "file" and .ssdeep) | "\(.path)\t\(.ssdeep)"' | sort > "$w/ssdeep.reported"
  compare_sets "ssdeep signatures vs ssdeep -r" "$w/ssdeep.expected" "$w/ssdeep.reported"
  # A list of two documents; edited copies of them must still match, an unrelated one must not.
  mkdir -p "$w/docs" "$w/similar"
  seq 1 3000 | sed 's/^/invoice line /' > "$w/docs/invoice.txt"
  seq 1 2500 | awk '{ printf "shipment %d to port %d via %d\n", $1, $1 * 7 % 113, $1 * 13 % 97 }' > "$w/docs/manifest.txt"
  ssdeep "$w/docs/invoice.txt" "$w/docs/manifest.txt" > "$w/list.ssdeep"
  { cat "$w/docs/invoice.txt"; echo "one more line"; } > "$w/similar/invoice-edited.txt"
  sed '100,140d' "$w/docs/manifest.txt" > "$w/similar/manifest-cut.txt"
  seq 1 3000 | awk '{ print $1 * $1 }' > "$w/similar/unrelated.txt"
  ssdeep -m "$w/list.ssdeep" -r "$w/similar" 2>/dev/null | sed -n 's/^\(.*\) matches .*$/\1/p' | sort -u > "$w/fuzzy.expected"
  "$hash_match" --no-progress --known-bad "$w/list.ssdeep" --matches-only "$w/similar" 2>/dev/null |
    jq -r 'select(.type == "match" and .matched == "ssdeep") | .path' | sort -u > "$w/fuzzy.reported"
  compare_sets "ssdeep matching vs ssdeep -m" "$w/fuzzy.expected" "$w/fuzzy.reported"
  check_eq "ssdeep -m finds both edited copies" 2 "$(wc -l < "$w/fuzzy.expected" | tr -d ' ')"
else
  echo "note: ssdeep not installed: ssdeep checks skipped"
fi

oracle_finish
