#!/usr/bin/env bash
# The man pages keep up with the binary: every long option `hash-match --help` prints appears in hash-match(1),
# every record field hash-match writes on the sample evidence and the test fixtures (except the *_b64 twins) is
# named in trawl-records(5), and both pages render without groff warnings; no merge conflict markers are left.
#
# needs: jq groff (groff-base)
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq groff
hash_match=$(oracle_tool hash-match) || exit $?
ev=$(oracle_evidence) || exit $?
page1="$TRAWL_SRC/man/hash-match.1"
page5="$TRAWL_SRC/man/trawl-records.5"
w="$TRAWL_WORK/runs"
rm -rf "$w" && mkdir -p "$w"

# Page text with font escapes dropped and roff's \- turned back into -.
plain() { sed -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\-/-/g' -e 's/\\(em/-/g' "$1"; }

echo "== options in hash-match(1)"
"$hash_match" --help >"$w/help.txt" 2>&1 || fail "--help exited with $?"
grep -o -E -- '--[a-z0-9][a-z0-9-]*' "$w/help.txt" | sort -u >"$w/options"
check_eq "help: some long options found" true "$([[ $(wc -l <"$w/options") -ge 20 ]] && echo true || echo false)"
plain "$page1" >"$w/page1.txt"
while IFS= read -r opt; do
  if grep -qE -- "(^|[^a-z0-9-])${opt}([^a-z0-9-]|$)" "$w/page1.txt"; then pass; else fail "hash-match(1) does not document $opt"; fi
done <"$w/options"

echo "== record fields in trawl-records(5)"
# Records of every type: files, deleted files, members, ranges, volumes, image, summary, symlinks, errors.
"$hash_match" --no-progress --unallocated --raw --verify-image --stats -c md5,sha1,sha256,sha512 \
  "$ev/sample.img" "$ev/sample.E01" "$ev/tree" "$w/no-such-file" >"$w/records.jsonl" 2>"$w/records.err"
rc=$?
check_eq "records run: exit status (the missing source is an error)" 2 "$rc"
jq -r 'keys[]' "$w/records.jsonl" | grep -v '_b64$' | sort -u >"$w/fields"
jq -r '.type' "$w/records.jsonl" | sort -u | tr '\n' ' ' >"$w/types"
check_eq "record types seen" "error file image range summary symlink volume " "$(cat "$w/types")"
plain "$page5" >"$w/page5.txt"
while IFS= read -r field; do
  if grep -qxE "\.B ${field}" "$page5" || grep -qE "(^|[^a-z0-9_])${field}([^a-z0-9_]|$)" "$w/page5.txt"; then
    pass
  else
    fail "trawl-records(5) does not document the field '$field'"
  fi
done <"$w/fields"
# Every record type hash-match wrote is named in both pages.
for t in $(cat "$w/types"); do
  grep -qE "\\\\fB${t}\\\\fR|^\.B ${t}$" "$page5" && pass || fail "trawl-records(5) does not name the type $t"
  grep -qE "\\\\fB${t}\\\\fR" "$page1" && pass || fail "hash-match(1) does not name the type $t"
done

echo "== the other tools: options in their pages, record fields in trawl-records(5)"
for tool in meta-extract wallet-scan stl-detect; do
  [[ -x $TRAWL_BIN/$tool ]] || { fail "$tool not built"; continue; }
  plain "$TRAWL_SRC/man/$tool.1" >"$w/$tool.page.txt"
  "$TRAWL_BIN/$tool" --help 2>&1 | grep -o -E -- '--[a-z0-9][a-z0-9-]*' | sort -u >"$w/$tool.options"
  while IFS= read -r opt; do
    grep -qE -- "(^|[^a-z0-9-])${opt}([^a-z0-9-]|$)" "$w/$tool.page.txt" && pass || fail "$tool(1) does not document $opt"
  done <"$w/$tool.options"
done
# Fields of meta and hit records on the sample evidence (Group:Tag metadata names and wallet-file details are
# documented as patterns, not one by one).
"$TRAWL_BIN/meta-extract" --no-progress "$ev/sample.img" "$TRAWL_SRC/tests/data/meta" >"$w/meta.jsonl" 2>/dev/null
"$TRAWL_BIN/wallet-scan" --no-progress --unallocated "$ev/sample.img" >"$w/hits.jsonl" 2>/dev/null
{ jq -r 'select(.type == "meta") | keys[]' "$w/meta.jsonl"
  jq -r 'select(.type == "hit" and (.kind | startswith("wallet.") | not)) | keys[]' "$w/hits.jsonl"; } |
  grep -v ':' | grep -v '_b64$' | sort -u >"$w/other-fields"
check_eq "meta and hit records seen" true "$([[ -s $w/meta.jsonl && -s $w/hits.jsonl ]] && echo true || echo false)"
while IFS= read -r field; do
  if grep -qxE "\.B ${field}" "$page5" || grep -qE "(^|[^a-z0-9_])${field}([^a-z0-9_]|$)" "$w/page5.txt"; then
    pass
  else
    fail "trawl-records(5) does not document the field '$field'"
  fi
done <"$w/other-fields"

echo "== rendering"
for page in "$page1" "$page5" "$TRAWL_SRC/man/meta-extract.1" "$TRAWL_SRC/man/wallet-scan.1" "$TRAWL_SRC/man/stl-detect.1" \
  "$TRAWL_SRC/man/trawl-scaleout.7"; do
  name=${page##*/}
  if groff -man -Tutf8 -ww -z "$page" >"$w/$name.groff" 2>&1 && [[ ! -s $w/$name.groff ]]; then
    pass
  else
    fail "$name: groff warnings:"; sed 's/^/  /' "$w/$name.groff"
  fi
  if command -v man >/dev/null; then
    if MANWIDTH=80 man --warnings -l "$page" >"$w/$name.txt" 2>"$w/$name.man.err" && [[ ! -s $w/$name.man.err ]]; then
      pass
    else
      fail "$name: man -l warnings:"; sed 's/^/  /' "$w/$name.man.err"
    fi
    [[ -s $w/$name.txt ]] && pass || fail "$name: man -l rendered nothing"
  fi
done

echo "== no merge conflict markers left in the sources, pages and scripts"
markers=$(grep -rIlE '^(<<<<<<< |>>>>>>> )' "$TRAWL_SRC/lib" "$TRAWL_SRC/tools" "$TRAWL_SRC/man" "$TRAWL_SRC/scripts" \
  "$TRAWL_SRC/tests" "$TRAWL_SRC/README.md" "$TRAWL_SRC/CMakeLists.txt" "$TRAWL_SRC/Makefile.dist" 2>/dev/null | grep -v '/tests/data/')
check_eq "files with conflict markers" "" "$markers"

oracle_finish
