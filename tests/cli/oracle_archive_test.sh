#!/usr/bin/env bash
# Oracle: hash-match inside nested archives against bsdtar.
#
# tree/docs/bundle.tar.gz (scripts/make-sample-evidence) is tar.gz { manifest.txt, inner.zip { hello.txt,
# sub/x.txt } }. `hash-match -c sha256 TREE` must report each member file as a "file" record with path
# "ARCHIVE!/member" (one "!/" per level: ".../bundle.tar.gz!/inner.zip!/sub/x.txt") and the sha256 of
# `bsdtar -xOf ARCHIVE member`; the second level is read from inner.zip extracted by bsdtar.
#
# needs: jq libarchive-tools
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq bsdtar sha256sum
hash_match=$(oracle_tool hash-match) || exit $?
ev=$(oracle_evidence) || exit $?
tree="$ev/tree"
archive="$tree/docs/bundle.tar.gz"
w="$TRAWL_WORK/archive"
rm -rf "$w" && mkdir -p "$w/x"

echo "== $archive"
run_tool "$w/out.jsonl" "$w/stderr" "$hash_match" -c sha256 "$tree"
check_jsonl "$w/out.jsonl" "tree"
show_errors "$w/out.jsonl" "tree"

# expand_members ARCHIVE DISPLAY DEPTH: "DISPLAY!/member<TAB>sha256" for every member file, recursing into
# members that are archives themselves (by name: .zip, .tar, .tar.gz, .tgz) up to 4 levels.
expand_members() {
  local arc=$1 display=$2 depth=$3 m sub
  bsdtar -tf "$arc" | while IFS= read -r m; do
    [[ $m == */ ]] && continue
    printf '%s!/%s\t%s\n' "$display" "$m" "$(bsdtar -xOf "$arc" "$m" | sha256sum | cut -d' ' -f1)"
    if [[ $m =~ \.(zip|tar|tar\.gz|tgz)$ ]] && ((depth < 4)); then
      sub="$w/x/$depth"
      rm -rf "$sub" && mkdir -p "$sub"
      bsdtar -xf "$arc" -C "$sub" "$m"
      expand_members "$sub/$m" "$display!/$m" $((depth + 1))
    fi
  done
}
expand_members "$archive" "$archive" 1 | sort >"$w/expected.tsv"

# Sanity of the oracle itself: the nested member must be there.
if grep -qF "$archive!/inner.zip!/sub/x.txt"$'\t' "$w/expected.tsv"; then pass; else
  fail "oracle: bsdtar did not find inner.zip!/sub/x.txt in $archive"; fi

jq -R -r --arg pre "$archive!/" 'fromjson? | select(type == "object" and .type == "file")
  | select((.path // "") | startswith($pre)) | [.path, (.sha256 // "-")] | @tsv' "$w/out.jsonl" >"$w/reported.tsv"

cut -f1 "$w/expected.tsv" >"$w/expected-paths"
cut -f1 "$w/reported.tsv" >"$w/reported-paths"
dups=$(sort "$w/reported-paths" | uniq -d)
if [[ -z $dups ]]; then pass; else fail "members reported more than once:"; echo "$dups" | sed 's/^/  /'; fi
compare_sets "archive members" "$w/expected-paths" "$w/reported-paths"

while IFS=$'\t' read -r path sha; do
  got=$(awk -F '\t' -v p="$path" '$1 == p { print $2; exit }' "$w/reported.tsv")
  [[ -n $got ]] || continue
  check_eq "$path: sha256" "$sha" "$got"
done <"$w/expected.tsv"

oracle_finish
