#!/usr/bin/env bash
# scripts/triage and scripts/trawl-report through the real binaries: the report for the sample evidence has every
# section, its counts equal the JSONL record counts, it references nothing outside itself and is valid UTF-8;
# headless Chromium renders it without console errors; hostile records are escaped and cannot pull in files; a
# corrupt image still yields a report that names the errors.
# needs: jq python3 coreutils chromium
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq python3
for t in hash-match meta-extract wallet-scan stl-detect; do oracle_tool "$t" >/dev/null || exit $?; done
triage=$TRAWL_SRC/scripts/triage
report=$TRAWL_SRC/scripts/trawl-report
ev=$(oracle_evidence) || exit $?
w=$TRAWL_WORK

check_html=$TRAWL_SRC/tests/cli/report_check.py

# count_in FILE ID: the data-count of the element with that id (a section, or an asset group of wallets).
count_in() { python3 "$check_html" --counts "$1" | awk -v id="$2" '$1 == id { print $2 }'; }
# occurrences PATTERN FILE: how often an extended regex occurs (the report is mostly one long line).
occurrences() { grep -Eo "$1" "$2" | wc -l; }
# jq_count JQ_FILTER FILE...: records selected by a filter.
jq_count() { local f=$1; shift; cat "$@" | jq -c "select($f)" | wc -l; }

# check_self_contained FILE WHAT: parsed as HTML, nothing that runs or loads anything, all images embedded
# PNGs, valid UTF-8 (tests/cli/report_check.py).
check_self_contained() {
  local problems
  problems=$(python3 "$check_html" "$1")
  check_eq "$2: self-contained, no script, no external reference" "" "$problems"
  check_eq "$2: every image is an embedded PNG" "$(occurrences '<img ' "$1")" \
    "$(occurrences '<img [^>]*src="data:image/png;base64,' "$1")"
}

# render FILE PNG: headless Chromium screenshot; fails on console errors.
render() {
  if ! command -v chromium >/dev/null; then
    # The issue asks for the rendering in CI: Makefile.dist's deps install chromium, so its absence is a failure.
    fail "chromium not installed (make -f Makefile.dist deps installs it): $1 not rendered"
    return
  fi
  rm -f "$2"
  timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions --disable-background-networking --disable-sync --disable-component-update \
    --user-data-dir="$w/chromium-profile" --enable-logging=stderr --v=1 --window-size=1280,4000 \
    --screenshot="$2" "file://$1" >"$w/chromium.log" 2>&1
  local size
  size=$(stat -c %s "$2" 2>/dev/null || echo 0)
  if ((size > 30000)); then pass; else fail "screenshot $2: $size bytes"; tail -5 "$w/chromium.log"; fi
  check_eq "no console errors or refused loads" "" \
    "$(grep -Ei 'CONSOLE|Uncaught|Refused to|Failed to load' "$w/chromium.log" | head -5)"
}

echo "== triage of the sample evidence, with a known-bad and a known-good set"
# The case list names the two deleted photos (one on FAT, one on ext4); the good set the plain documents.
(cd "$ev/tree" && md5sum photos/square-256x256.jpg photos/shrink-a-lot.jpg) >"$w/case-list.md5"
(cd "$ev/tree" && md5sum docs/report.txt docs/data.csv docs/index.html) >"$w/good.md5"
rm -rf "$w/out"
rc=0
"$triage" --bin "$TRAWL_BIN" --known-bad "$w/case-list.md5" --known-good "$w/good.md5" --out "$w/out" \
  "$ev/sample.E01" >"$w/triage.out" 2>"$w/triage.err" || rc=$?
check_eq "exit status" 0 "$rc"
check_eq "prints the report's path" "$w/out/report.html" "$(cat "$w/triage.out")"
check_eq "progress on stderr" 4 "$(grep -c '^triage: .* finished: exit status' "$w/triage.err")"
html=$w/out/report.html
for f in hashes meta wallets models; do
  check_jsonl "$w/out/$f.jsonl" "$f.jsonl"
done
for s in summary known-bad known-good map timeline wallets models metadata errors; do
  check_eq "section $s" 1 "$(occurrences "<section id=\"$s\" data-count=\"[0-9]+\"" "$html")"
done

o=$w/out
check_eq "known-bad count = match records" "$(jq_count '.type == "match"' "$o/hashes.jsonl")" "$(count_in "$html" known-bad)"
check_eq "both deleted photos matched" 2 "$(count_in "$html" known-bad)"
check_eq "known-good count = file records in a good set" "$(jq_count '.type == "file" and .known_good' "$o/hashes.jsonl")" \
  "$(count_in "$html" known-good)"
if (($(count_in "$html" known-good) >= 3)); then pass; else fail "known-good: fewer than the 3 listed documents"; fi
check_eq "map count = meta records with a position" \
  "$(jq_count '.type == "meta" and (."Composite:GPSLatitude" | type) == "number" and (."Composite:GPSLongitude" | type) == "number"' "$o/meta.jsonl")" \
  "$(count_in "$html" map)"
check_eq "two photos on the map" 2 "$(count_in "$html" map)"
check_eq "map has a point per photo" 2 "$(grep -o '<title>[0-9]*: [^<]*</title></circle>' "$html" | sort -u | wc -l)"
check_eq "serial number in the photo table" 1 "$(occurrences '<td>083024001234</td>' "$html")"
check_eq "wallets count = hit records" "$(jq_count '.type == "hit"' "$o/wallets.jsonl")" "$(count_in "$html" wallets)"
check_eq "per-kind counts add up to the hits" "$(count_in "$html" wallets)" \
  "$(grep -o '<tr data-kind="[^"]*" data-count="[0-9]*"' "$html" | grep -o '[0-9]*"$' | tr -d '"' | jq -s add)"
check_eq "seed phrase redacted" 0 "$(occurrences 'legal winner thank' "$html")"
check_eq "models count = model records" "$(jq_count '.type == "model"' "$o/models.jsonl")" "$(count_in "$html" models)"
check_eq "previews embedded" "$(ls "$o/previews" | wc -l)" "$(grep -o 'src="data:image/png;base64,[^"]*"' "$html" | sort -u | wc -l)"
check_eq "firearm-suspect verdict shown" 1 "$(occurrences 'data-verdict="firearm-suspect"' "$html")"
check_eq "metadata count = meta records" "$(jq_count '.type == "meta"' "$o/meta.jsonl")" "$(count_in "$html" metadata)"
check_eq "errors count = error records" "$(jq_count '.type == "error"' "$o"/*.jsonl)" "$(count_in "$html" errors)"
check_eq "timeline drawn" 1 "$(occurrences '<svg class="timeline"' "$html")"
for t in hash-match meta-extract wallet-scan stl-detect; do
  f=$(jq -r --arg t "$t" '.tools[] | select(.tool == $t) | .output' "$o/triage.json")
  check_eq "$t: records in the summary = lines of $f" "$(grep -c . "$o/$f")" \
    "$(grep -o "<tr data-tool=\"$t\" data-records=\"[0-9]*\"" "$html" | grep -o '[0-9]*"$' | tr -d '"')"
done
check_eq "image verified" 1 "$(occurrences '>verified<' "$html")"
check_eq "both partitions listed" 2 "$(occurrences '<td>(fat32|ext4)</td>' "$html")"
check_eq "every row's record can be re-opened: file:line of each known-bad row" 2 \
  "$(grep -o '<summary>hashes.jsonl:[0-9]*</summary>' "$html" | sort -u | while read -r s; do
       n=$(grep -o '[0-9]*' <<<"$s"); sed -n "${n}p" "$o/hashes.jsonl" | jq -r 'select(.type == "match") | .type'; done | wc -l)"
check_eq "no URL at all in the sample's report" 0 "$(occurrences 'https?://' "$html")"
check_self_contained "$html" "sample report"
render "$html" "$w/sample.png"

echo "== a matched photo's address re-opens the same bytes (hash-match --records)"
line=$(grep -o '<summary>hashes.jsonl:[0-9]*</summary>' "$html" | head -1 | grep -o '[0-9]*')
check_eq "re-read digest" "$(sed -n "${line}p" "$o/hashes.jsonl" | jq -r .md5)" \
  "$(sed -n "${line}p" "$o/hashes.jsonl" | "$TRAWL_BIN/hash-match" --no-progress --records -c md5 | jq -r .md5)"

echo "== trawl-report alone, on existing JSONL"
"$report" "$o" >"$w/again.html"
check_eq "same counts when re-generated" "$(python3 "$check_html" --counts "$html")" \
  "$(python3 "$check_html" --counts "$w/again.html")"
rc=0
"$report" "$w/does-not-exist" >/dev/null 2>&1 || rc=$?
check_eq "missing DIR: exit status 2" 2 "$rc"

echo "== hostile records are text, never markup or a way to read files"
h=$w/hostile
rm -rf "$h" && mkdir -p "$h/previews"
printf 'secret-of-the-examiner\n' >"$w/outside.png"
cat >"$h/x.jsonl" <<'END'
{"type":"meta","tool":"meta-extract","source":"e","path":"e/<script>alert(1)</script>.jpg","format":"jpeg","IFD0:Make":"<img src=https://evil.example/x>","Composite:GPSLatitude":91,"Composite:GPSLongitude":"x","XMP:CreateDate":"2019-01-01T00:00:00Z\"><b>"}
{"type":"model","tool":"stl-detect","source":"e","path":"e/m.stl\" onmouseover=\"x","format":"stl-binary","verdict":"<i>model</i>","cues":[{"id":"</td></tr></table><iframe>","weight":"x","evidence":"https://evil.example/"}],"preview":"../outside.png","sha256":"../../etc/passwd"}
{"type":"hit","tool":"wallet-scan","source":"e","path":"e/w","kind":"bip39.phrase","secret":true,"value":"legal winner thank year wave sausage worth useful legal winner thank yellow","offset":"NaN"}
{"type":"error","tool":"hash-match","source":"e","error":"io","detail":"url(https://evil.example/) <style>"}
not json at all
[1,2,3]
{"type":"file","tool":"hash-match","path":"e/f","mtime":"1601-01-01T00:00:00Z","known_good":{"a":1}}
END
rc=0
"$report" "$h" -o "$h/report.html" 2>"$w/hostile.err" || rc=$?
check_eq "hostile: exit status" 0 "$rc"
check_eq "hostile: escaped text kept" 1 "$(( $(occurrences '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$h/report.html") > 0 ))"
check_eq "hostile: file outside DIR not embedded" 0 "$(occurrences 'src="data:' "$h/report.html")"
check_eq "hostile: secret redacted" 0 "$(occurrences 'winner thank year' "$h/report.html")"
check_eq "hostile: bad lines reported" 2 "$(occurrences '<td>not a JSON object</td>' "$h/report.html")"
check_eq "hostile: invalid position not on the map" 0 "$(count_in "$h/report.html" map)"
check_self_contained "$h/report.html" "hostile report"

echo "== corrupt image: the report names the errors"
c=$w/corrupt
rm -rf "$c" && mkdir -p "$c"
# A copy of sample.img cut inside the ext4 partition (40 of 64 MiB), with the FAT32 boot sector and its backup
# overwritten: the image is short and p1 no longer has a file system.
head -c $((40 * 1048576)) "$ev/sample.img" >"$c/broken.img"
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$c/broken.img" bs=512 seek=2048 conv=notrunc status=none
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$c/broken.img" bs=512 seek=2054 conv=notrunc status=none
rc=0
"$triage" --bin "$TRAWL_BIN" --out "$c/out" "$c/broken.img" >"$c/triage.out" 2>"$c/triage.err" || rc=$?
check_eq "corrupt: exit status" 0 "$rc"
ch=$c/out/report.html
n_err=$(jq_count '.type == "error"' "$c/out"/*.jsonl)
check_eq "corrupt: errors count = error records" "$n_err" "$(count_in "$ch" errors)"
check_eq "corrupt: errors found" true "$([[ $n_err -gt 0 ]] && echo true || echo false)"
first=$(jq -r 'select(.type == "error") | .detail' "$c/out"/*.jsonl | head -1)
check_eq "corrupt: the report names an error's detail" true \
  "$(python3 -c 'import html,sys; print(str(html.escape(sys.argv[1]) in open(sys.argv[2], encoding="utf-8").read()).lower())' "$first" "$ch")"
check_self_contained "$ch" "corrupt report"
render "$ch" "$w/corrupt.png"

echo "== --case"
rc=0
"$triage" --bin "$TRAWL_BIN" --case "$w/case.jsonld" --out "$w/case-out" "$ev/tree" >"$w/case.out" 2>"$w/case.err" || rc=$?
if [[ -x $TRAWL_SRC/scripts/trawl-case ]]; then
  check_eq "--case: exit status" 0 "$rc"
  check_eq "--case: bundle is JSON" object "$(jq -r type "$w/case.jsonld" 2>/dev/null)"
else
  check_eq "--case without scripts/trawl-case: exit status" 2 "$rc"
  check_eq "--case without scripts/trawl-case: says so" 1 "$(grep -c 'trawl-case' "$w/case.err")"
fi

echo "== a tool that dies: the report still comes, and names it"
# Stand-in binaries (--bin): three write one summary record, wallet-scan is killed by a signal.
fake=$w/fake-bin
rm -rf "$fake" && mkdir -p "$fake"
for t in hash-match meta-extract stl-detect; do
  printf '#!/bin/sh\necho '"'"'{"type":"summary","tool":"%s","schema":1,"version":"0.0.0"}'"'"'\n' "$t" >"$fake/$t"
done
printf '#!/bin/sh\necho "wallet-scan: about to die" >&2\nkill -KILL $$\n' >"$fake/wallet-scan"
chmod +x "$fake"/*
rc=0
"$triage" --bin "$fake" --out "$w/killed" "$ev/tree" >/dev/null 2>"$w/killed.err" || rc=$?
check_eq "killed tool: exit status" 0 "$rc"
check_eq "killed tool: named on stderr" 1 "$(grep -c 'wallet-scan finished: exit status -9 (killed by signal 9)' "$w/killed.err")"
check_eq "killed tool: in the report's errors" 1 "$(occurrences 'data-failed-tool="wallet-scan"' "$w/killed/report.html")"
check_eq "killed tool: its last words" 1 "$(occurrences 'wallet-scan: about to die' "$w/killed/report.html")"
check_self_contained "$w/killed/report.html" "report with a killed tool"

echo "== bad arguments"
rc=0
"$triage" --bin "$TRAWL_BIN" "$w/no-such-image" >/dev/null 2>&1 || rc=$?
check_eq "missing evidence: exit status 2" 2 "$rc"
rc=0
"$triage" --bin "$w/no-such-dir" "$ev/tree" >/dev/null 2>&1 || rc=$?
check_eq "missing binaries: exit status 2" 2 "$rc"

oracle_finish
