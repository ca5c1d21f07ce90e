#!/usr/bin/env bash
# scripts/trawl-case on the records of all four tools over the sample evidence: the bundle is JSON with an inline
# @context naming the CASE/UCO namespaces; it has exactly one observable per finding record (match, meta, hit,
# model); every relationship, action and bundle reference points at a node that exists; deleted files, byte
# ranges, GPS positions and the verified image hash are mapped; secrets stay redacted even from records made with
# --reveal-secrets; a second export is byte-identical; and rdflib (offline: the context is inline) parses it as
# JSON-LD into triples with one uco-observable:File per file node. trawl-case(1) renders without warnings.
#
# needs: python3 jq; python3-rdflib (Debian) for the JSON-LD part; groff
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need python3 jq groff
hash_match=$(oracle_tool hash-match) || exit $?
meta_extract=$(oracle_tool meta-extract) || exit $?
wallet_scan=$(oracle_tool wallet-scan) || exit $?
stl_detect=$(oracle_tool stl-detect) || exit $?
ev=$(oracle_evidence) || exit $?
case_tool="$TRAWL_SRC/scripts/trawl-case"
w="$TRAWL_WORK/runs"
rm -rf "$w" && mkdir -p "$w"
img=$ev/sample.img

echo "== the four tools on the sample evidence"
# A known-bad set of two files of the image, so that hash-match writes match records.
"$hash_match" --no-progress -c md5 "$img" >"$w/all.jsonl" 2>/dev/null
jq -r 'select(.type == "file" and ((.path | endswith("/report.txt")) or (.path | endswith("/letter.txt")))) |
  "\(.md5)  \(.path)"' "$w/all.jsonl" >"$w/bad.md5"
check_eq "known-bad set" 2 "$(wc -l <"$w/bad.md5")"
run_tool "$w/hash-match.jsonl" "$w/hm.err" "$hash_match" --no-progress --stats --verify-image --unallocated \
  --known-bad "$w/bad.md5" "$img" "$ev/tree"
run_tool "$w/meta-extract.jsonl" "$w/me.err" "$meta_extract" --no-progress --stats "$img" "$ev/tree"
run_tool "$w/wallet-scan.jsonl" "$w/ws.err" "$wallet_scan" --no-progress --stats --unallocated "$img"
run_tool "$w/stl-detect.jsonl" "$w/sd.err" "$stl_detect" --no-progress --stats --unallocated "$img"
inputs=("$w/hash-match.jsonl" "$w/meta-extract.jsonl" "$w/wallet-scan.jsonl" "$w/stl-detect.jsonl")
for t in match meta hit model; do
  n=$(cat "${inputs[@]}" | jq -r "select(.type == \"$t\") | .type" | wc -l)
  check_eq "the sample evidence has $t records" true "$([[ $n -gt 0 ]] && echo true || echo false)"
done
findings=$(cat "${inputs[@]}" | jq -r 'select(.type == "match" or .type == "meta" or .type == "hit" or .type == "model") | .type' | wc -l)

echo "== trawl-case"
rc=0
"$case_tool" --out "$w/bundle.jsonld" --evidence "$img" "${inputs[@]}" 2>"$w/case.err" || rc=$?
check_eq "exit status" 0 "$rc"
"$case_tool" --out "$w/again.jsonld" --evidence "$img" "${inputs[@]}" 2>/dev/null
cmp -s "$w/bundle.jsonld" "$w/again.jsonld" && pass || fail "a second export is not byte-identical (ids must be stable)"

python3 - "$w/bundle.jsonld" "$findings" "${inputs[@]}" >"$w/checks.txt" 2>&1 <<'PY'
import json, sys
bundle_path, findings = sys.argv[1], int(sys.argv[2])
records = [json.loads(l) for p in sys.argv[3:] for l in open(p) if l.strip()]
doc = json.load(open(bundle_path))
ok = lambda cond, what: print(("PASS " if cond else "FAIL ") + what)
ctx = doc.get("@context")
ok(isinstance(ctx, dict), "@context is inline (an object, no remote context)")
for prefix, iri in [("uco-core", "https://ontology.unifiedcyberontology.org/uco/core/"),
                    ("uco-observable", "https://ontology.unifiedcyberontology.org/uco/observable/"),
                    ("uco-action", "https://ontology.unifiedcyberontology.org/uco/action/"),
                    ("uco-tool", "https://ontology.unifiedcyberontology.org/uco/tool/"),
                    ("uco-types", "https://ontology.unifiedcyberontology.org/uco/types/"),
                    ("uco-location", "https://ontology.unifiedcyberontology.org/uco/location/"),
                    ("case-investigation", "https://ontology.caseontology.org/case/investigation/")]:
    ok(ctx.get(prefix) == iri, "@context maps " + prefix)
graph = doc["@graph"]
nodes = {n["@id"]: n for n in graph}
ok(len(nodes) == len(graph), "node ids are unique")
ok(all(n["@id"].startswith("kb:") and n["@id"].count("-") >= 5 for n in graph), "ids are kb:<type>-<uuid>")
types = lambda n: n["@type"] if isinstance(n["@type"], list) else [n["@type"]]
tagged = [n for n in graph if "trawl-finding" in n.get("uco-core:tag", [])]
ok(len(tagged) == findings, "one observable per finding record: %d nodes for %d records" % (len(tagged), findings))
for t in ("match", "meta", "hit", "model"):
    want = sum(1 for r in records if r.get("type") == t)
    got = sum(1 for n in tagged if "trawl-" + t in n["uco-core:tag"])
    ok(got == want, "%s: %d observables for %d records" % (t, got, want))
def refs(value):
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield value["@id"]
        for v in value.values():
            yield from refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs(v)
dangling = sorted({i for n in graph for i in refs(n) if i not in nodes})
ok(not dangling, "every reference resolves (%d dangling: %s)" % (len(dangling), dangling[:3]))
rels = [n for n in graph if set(types(n)) & {"uco-observable:ObservableRelationship", "uco-core:Relationship"}]
ok(all(n["uco-core:source"]["@id"] in nodes and all(t["@id"] in nodes for t in n["uco-core:target"]) for n in rels),
   "every relationship's source and target exist (%d relationships)" % len(rels))
linked = {n["uco-core:source"]["@id"] for n in rels}
ok(all(n["@id"] in linked for n in tagged), "every finding is linked to the item it was found in")
actions = [n for n in graph if "case-investigation:InvestigativeAction" in types(n)]
ok(len(actions) == 4, "one investigative action per tool run (%d)" % len(actions))
ok(all("uco-action:startTime" in a and "uco-action:endTime" in a for a in actions), "actions carry the run's times")
ok(sum(1 for n in graph if "uco-tool:ConfiguredTool" in types(n)) == 4, "one configured tool (command line) per run")
image = [n for n in graph if "uco-observable:Image" in types(n)]
md5 = [r["md5"] for r in records if r.get("type") == "image"]
ok(len(image) == 1 and md5 and md5[0] in json.dumps(image[0]), "the image carries its verified MD5")
deleted = {r["path"] for r in records if r.get("type") == "file" and r.get("deleted") is True}
status = {f["uco-observable:filePath"]: f.get("uco-observable:allocationStatus") for n in graph
          for f in n.get("uco-core:hasFacet", []) if f.get("@type") == "uco-observable:FileFacet"}
ok(deleted and all(status.get(p) == "Unallocated" for p in deleted), "deleted files are Unallocated (%d)" % len(deleted))
gps = sum(1 for r in records if r.get("type") == "meta" and isinstance(r.get("Composite:GPSLatitude"), (int, float)))
locations = [n for n in graph if "uco-location:Location" in types(n)]
ok(len(locations) == gps, "one Location per photo with GPS (%d for %d)" % (len(locations), gps))
ranges = [f for n in rels for f in n.get("uco-core:hasFacet", []) if f["@type"] == "uco-observable:DataRangeFacet"]
ok(len(ranges) > 0, "DataRangeFacets give offsets in the image or item (%d)" % len(ranges))
path_of = {n["@id"]: f["uco-observable:filePath"] for n in graph for f in n.get("uco-core:hasFacet", [])
           if f.get("@type") == "uco-observable:FileFacet"}
within = {(path_of.get(n["uco-core:source"]["@id"]), path_of.get(n["uco-core:target"][0]["@id"])) for n in rels
          if n["uco-core:kindOfRelationship"] == "Contained_Within"}
members = {r["path"] for r in records if r.get("type") == "file" and r.get("member")}
ok(members and all((m, m.rsplit("!/", 1)[0]) in within for m in members),
   "archive members are Contained_Within the archive one level up (%d)" % len(members))
text = open(bundle_path, encoding="utf-8").read()
leaks = [r for r in records if r.get("type") == "hit" and r.get("secret") and r.get("value") and
         "\u2026" not in r["value"] and r["value"] in text]
ok(not leaks, "no secret value in the bundle")
PY
grep -q . "$w/checks.txt" || fail "checks did not run"
while IFS= read -r line; do
  case $line in
    PASS*) pass ;;
    FAIL*) fail "${line#FAIL }" ;;
    *) fail "checker: $line" ;;
  esac
done <"$w/checks.txt"

echo "== secrets stay redacted from --reveal-secrets records"
"$wallet_scan" --no-progress --reveal-secrets "$img" >"$w/revealed.jsonl" 2>/dev/null
secrets=$(jq -r 'select(.type == "hit" and .secret == true) | .value' "$w/revealed.jsonl" | grep -c ' ')
check_eq "revealed seed phrases in the records" true "$([[ $secrets -gt 0 ]] && echo true || echo false)"
"$case_tool" --out "$w/revealed.jsonld" "$w/revealed.jsonl" 2>/dev/null
leaked=0
while IFS= read -r phrase; do
  grep -qF -- "$phrase" "$w/revealed.jsonld" && leaked=$((leaked + 1))
done < <(jq -r 'select(.type == "hit" and .secret == true) | .value' "$w/revealed.jsonl")
check_eq "revealed secrets written to the bundle" 0 "$leaked"

echo "== JSON-LD: rdflib parses the bundle offline"
# Debian's python3-rdflib lives in the system interpreter, which may not be the first python3 on PATH.
py=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import rdflib' 2>/dev/null; then py=$candidate; break; fi
done
if [[ -n $py ]]; then
  "$py" - "$w/bundle.jsonld" >"$w/rdf.txt" 2>&1 <<'PY'
import json, socket, sys
import rdflib
# Offline: any attempt to open a connection fails the parse.
def no_network(*args, **kwargs):
    raise RuntimeError("network access attempted")
socket.socket.connect = no_network
g = rdflib.Graph().parse(sys.argv[1], format="json-ld")
obs = "https://ontology.unifiedcyberontology.org/uco/observable/"
files = set(g.subjects(rdflib.RDF.type, rdflib.URIRef(obs + "File")))
doc = json.load(open(sys.argv[1]))
want = sum(1 for n in doc["@graph"] if "uco-observable:File" in (n["@type"] if isinstance(n["@type"], list) else [n["@type"]]))
print(len(g), len(files), want)
PY
  read -r triples files want <"$w/rdf.txt" || true
  check_eq "rdflib parsed triples" true "$([[ ${triples:-0} -gt 1000 ]] && echo true || echo false)"
  check_eq "rdflib: one uco-observable:File per File node" "$want" "${files:-?}"
  hm_files=$(jq -r 'select(.type == "file") | .path' "$w/hash-match.jsonl" | sort -u | wc -l)
  check_eq "File nodes cover every file hash-match saw" true \
    "$([[ ${files:-0} -gt $hm_files ]] && echo true || echo false)"
  [[ ${triples:-0} -gt 0 ]] || sed 's/^/  /' "$w/rdf.txt"
else
  echo "note: rdflib (python3-rdflib) not installed: JSON-LD parse skipped"
fi

echo "== trawl-case(1)"
page="$TRAWL_SRC/man/trawl-case.1"
if groff -man -Tutf8 -ww -z "$page" >"$w/man.groff" 2>&1 && [[ ! -s $w/man.groff ]]; then pass; else
  fail "trawl-case.1: groff warnings:"; sed 's/^/  /' "$w/man.groff"; fi
"$case_tool" --help >"$w/help.txt" 2>&1 || fail "--help exited with $?"
while IFS= read -r opt; do
  grep -q -- "${opt//-/\\\\-}" "$page" && pass || fail "trawl-case(1) does not document $opt"
done < <(grep -o -E -- '--[a-z][a-z-]*' "$w/help.txt" | grep -vx -- '--help' | sort -u)
rc=0
"$case_tool" --out "$w/x.jsonld" "$w/no-such.jsonl" 2>/dev/null || rc=$?
check_eq "a missing input: exit status 2" 2 "$rc"

oracle_finish
