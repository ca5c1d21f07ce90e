#!/usr/bin/env bash
# hash-match --format dfxml: the document validates against the DFXML 1.2.0 schema shipped in tests/data/dfxml
# (xmllint --schema, offline) on the sample image (deleted files, archive members, unallocated ranges, image
# verification), on a directory, with known-bad matches and on names that are not UTF-8; it has one fileobject
# per file/range/symlink record of the JSONL output of the same run, with the same digests; and fiwalk -X
# (The Sleuth Kit's DFXML producer) lists the same allocated files with the same sizes and SHA-1s.
#
# needs: xmllint (libxml2-utils) python3 jq; fiwalk (sleuthkit) for the oracle part
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need xmllint python3 jq
hash_match=$(oracle_tool hash-match) || exit $?
ev=$(oracle_evidence) || exit $?
xsd="$TRAWL_SRC/tests/data/dfxml/dfxml.xsd"
w="$TRAWL_WORK/runs"
rm -rf "$w" && mkdir -p "$w"

# validates FILE WHAT: xmllint must say "FILE validates" (it never fetches anything: --nonet).
validates() {
  if xmllint --noout --nonet --schema "$xsd" "$1" >"$1.lint" 2>&1 && grep -qx "$1 validates" "$1.lint"; then
    pass
  else
    fail "$2: not valid DFXML:"; head -20 "$1.lint" | sed 's/^/  /'
  fi
}

# dfxml_items FILE: one line per fileobject: "path<TAB>filesize<TAB>sha1<TAB>alloc" (path from trawl:item).
dfxml_items() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"d": "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML", "t": "urn:trawl:dfxml:1"}
for fo in ET.parse(sys.argv[1]).getroot().iter("{%s}fileobject" % ns["d"]):
    item = fo.find("t:item", ns)
    sha1 = [h.text for h in fo.findall("d:hashdigest", ns) if h.get("type") == "sha1"]
    size = fo.findtext("d:filesize", "", ns)
    print("\t".join([item.get("path") if item is not None else "?", size, sha1[0] if sha1 else "",
                     fo.findtext("d:alloc", "", ns)]))
PY
}
jsonl_items() {
  jq -r 'select(.type == "file" or .type == "range" or .type == "symlink" or .type == "special") |
    [.path, ((if .type == "range" then .length else .size end) // "" | tostring), (.sha1 // ""),
     (if .deleted == null then "" elif .deleted then "0" else "1" end)] | @tsv' "$1"
}

echo "== sample image: deleted files, archive members, unallocated ranges, --verify-image"
opts=(--no-progress --stats --verify-image --unallocated -j 2 -c md5,sha1,sha256)
run_tool "$w/img.xml" "$w/img.err" "$hash_match" "${opts[@]}" --format dfxml "$ev/sample.img"
run_tool "$w/img.jsonl" "$w/img.jsonl.err" "$hash_match" "${opts[@]}" "$ev/sample.img"
validates "$w/img.xml" "sample.img"
dfxml_items "$w/img.xml" >"$w/img.dfxml.items"
jsonl_items "$w/img.jsonl" >"$w/img.jsonl.items"
check_eq "fileobjects = file/range records" "$(wc -l <"$w/img.jsonl.items")" "$(wc -l <"$w/img.dfxml.items")"
compare_sets "sample.img: path, size, sha1, alloc of every fileobject" "$w/img.jsonl.items" "$w/img.dfxml.items"
check_eq "deleted files are alloc 0" true \
  "$([[ $(grep -c $'\t0$' "$w/img.dfxml.items") -ge 4 ]] && echo true || echo false)"
grep -q '<filename>docs/bundle.tar.gz!/inner.zip!/sub/x.txt</filename>' "$w/img.xml" && pass ||
  fail "the nested archive member is a fileobject named with its member path"
grep -q '<byte_run file_offset="0" img_offset="36700160"' "$w/img.xml" && pass ||
  fail "the unpartitioned gap has a byte run at its image offset"
check_eq "one volume per volume record" "$(jq -r 'select(.type == "volume")' "$w/img.jsonl" | jq -s length)" \
  "$(grep -c '<volume offset=' "$w/img.xml")"
check_eq "the image's MD5 is in its diskimageobject" \
  "$(jq -r 'select(.type == "image") | .md5' "$w/img.jsonl")" \
  "$(python3 -c 'import sys,re; print(re.search(r"<diskimageobject>.*?<hashdigest type=\"md5\">([0-9a-f]+)<", open(sys.argv[1]).read(), re.S).group(1))' "$w/img.xml")"
grep -q '<rusage>' "$w/img.xml" && pass || fail "rusage is written"
grep -q '<trawl:summary ' "$w/img.xml" && pass || fail "the --stats summary is kept"

echo "== an E01: the stored digests and whether they verified"
run_tool "$w/e01.xml" "$w/e01.err" "$hash_match" --no-progress --verify-image --format dfxml "$ev/sample.E01"
validates "$w/e01.xml" "sample.E01"
grep -q '<trawl:image [^>]*format="ewf" [^>]*verified="true"/>' "$w/e01.xml" && pass ||
  fail "the E01's stored digests are recorded as verified"
check_eq "E01 and raw image: the same fileobjects" "$(grep -c '<fileobject>' "$w/img.xml")" \
  "$(($(grep -c '<fileobject>' "$w/e01.xml") + $(jq -r 'select(.type == "range")' "$w/img.jsonl" | jq -s length)))"

echo "== a directory (symlinks, a tar.gz, photos)"
run_tool "$w/tree.xml" "$w/tree.err" "$hash_match" --no-progress --format dfxml "$ev/tree"
run_tool "$w/tree.jsonl" "$w/tree.jsonl.err" "$hash_match" --no-progress "$ev/tree"
validates "$w/tree.xml" "tree/"
dfxml_items "$w/tree.xml" >"$w/tree.dfxml.items"
jsonl_items "$w/tree.jsonl" >"$w/tree.jsonl.items"
compare_sets "tree/: every item" "$w/tree.jsonl.items" "$w/tree.dfxml.items"
grep -q '<name_type>l</name_type>' "$w/tree.xml" && pass || fail "symlinks are fileobjects with name_type l"

echo "== known-bad matches annotate their fileobject; --matches-only"
jq -r 'select(.type == "file" and (.path | endswith("report.txt"))) | "\(.md5)  \(.path)"' "$w/img.jsonl" | head -1 >"$w/bad.md5"
run_tool "$w/bad.xml" "$w/bad.err" "$hash_match" --no-progress --known-bad "$w/bad.md5" --format dfxml "$ev/sample.img" "$ev/tree"
validates "$w/bad.xml" "--known-bad"
check_eq "one trawl:match per matching file (FAT and tree copies)" 2 "$(grep -c '<trawl:match ' "$w/bad.xml")"
run_tool "$w/only.xml" "$w/only.err" "$hash_match" --no-progress --known-bad "$w/bad.md5" --matches-only --format dfxml "$ev/sample.img" "$ev/tree"
validates "$w/only.xml" "--matches-only"
check_eq "--matches-only: a fileobject per matched item" 2 "$(grep -c '<fileobject>' "$w/only.xml")"

echo "== names XML cannot carry"
mkdir -p "$w/odd"
printf 'x' >"$w/odd/$(printf 'bad\xff\x01name')"
printf 'y' >"$w/odd/a&b<c>\"d'.txt"
run_tool "$w/odd.xml" "$w/odd.err" "$hash_match" --no-progress --format dfxml "$w/odd"
validates "$w/odd.xml" "odd names"
grep -q '<trawl:filename_hex>' "$w/odd.xml" && pass || fail "a name that is not UTF-8 keeps its bytes in hex"
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$w/odd.xml" && pass || fail "output is UTF-8"

echo "== fiwalk -X: the same allocated files, sizes and SHA-1s"
if command -v fiwalk >/dev/null; then
  fiwalk -X "$w/fiwalk.xml" "$ev/sample.img" >/dev/null 2>&1
  validates "$w/fiwalk.xml" "fiwalk's own output"
  # Allocated regular files with content, as "partition<TAB>name<TAB>size<TAB>sha1"; fiwalk also lists the FAT
  # volume label and the virtual $MBR/$FAT files, which are not files.
  python3 - "$w/fiwalk.xml" >"$w/fiwalk.files" <<'PY'
import sys, xml.etree.ElementTree as ET
d = "{http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML}"
for fo in ET.parse(sys.argv[1]).getroot().iter(d + "fileobject"):
    name = fo.findtext(d + "filename", "")
    if fo.findtext(d + "name_type") != "r" or fo.findtext(d + "alloc") != "1" or "(Volume Label Entry)" in name:
        continue
    if name.startswith("$") or "/$" in name or name.startswith("lost+found"):
        continue
    sha1 = [h.text for h in fo.iter(d + "hashdigest") if h.get("type") == "sha1"]
    print("\t".join([fo.findtext(d + "partition", ""), name, fo.findtext(d + "filesize", ""), sha1[0] if sha1 else ""]))
PY
  python3 - "$w/img.xml" >"$w/ours.files" <<'PY'
import sys, xml.etree.ElementTree as ET
d = "{http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML}"
for fo in ET.parse(sys.argv[1]).getroot().iter(d + "fileobject"):
    name = fo.findtext(d + "filename", "")
    if fo.findtext(d + "name_type") != "r" or fo.findtext(d + "alloc") != "1" or "!/" in name or "(Volume Label Entry)" in name:
        continue
    if name.startswith("$") or "/$" in name:
        continue
    sha1 = [h.text for h in fo.iter(d + "hashdigest") if h.get("type") == "sha1"]
    print("\t".join([fo.findtext(d + "partition", ""), name, fo.findtext(d + "filesize", ""), sha1[0] if sha1 else ""]))
PY
  check_eq "fiwalk found allocated files" true "$([[ $(wc -l <"$w/fiwalk.files") -ge 8 ]] && echo true || echo false)"
  compare_sets "allocated files: hash-match dfxml vs fiwalk -X" "$w/fiwalk.files" "$w/ours.files"
else
  echo "note: fiwalk not installed: oracle part skipped"
fi

oracle_finish
