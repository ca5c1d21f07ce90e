#!/usr/bin/env bash
# Work units through the real binaries (LARGE CASES in each tool's page): for each of the four tools, the sample
# evidence is planned with unit sizes giving 1, 3 and 7 units (or the nearest count the layout allows), every unit
# is run with --out, and --merge must equal the unsharded run byte for byte (summary records stripped). The stream
# tools read a copy of sample.img with a Bitcoin address, a BIP39 phrase and a binary STL planted across 1 MiB
# boundaries in the unpartitioned tail, with --unallocated --raw, so byte-range units split them. Failure: a unit
# whose manifest is missing, or that failed, is named by merge (exit 2) and listed by --merge --failed; rerunning
# only that unit completes the merge.
# needs: jq coreutils (and the sample evidence tools, see scripts/make-sample-evidence)
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq cmp dd
for t in hash-match meta-extract wallet-scan stl-detect; do oracle_tool "$t" >/dev/null || exit $?; done
ev=$(oracle_evidence) || exit $?
w=$TRAWL_WORK/units
rm -rf "$w" && mkdir -p "$w"
MiB=1048576

# The planted copy: hits straddle the 1 MiB boundaries at 56, 58 and 60 MiB (in the tail, 52-64 MiB), so they
# straddle window boundaries of every unit size that is a power of two up to 4 MiB, for the tail range (which starts
# at 52 MiB) and for the --raw whole image alike.
img=$w/planted.img
cp "$ev/sample.img" "$img"
plant() { printf '%s' "$2" | dd of="$img" bs=1 seek="$1" conv=notrunc status=none; }
plant $((56 * MiB - 10)) ' 1BoatSLRHtKNngkdXEeobR76b53LETtpyT '
plant $((60 * MiB - 30)) ' legal winner thank year wave sausage worth useful legal winner thank yellow '
# A mesh at 55 MiB and, in another unit, the print job made from it at 61 MiB: linked by the merge too.
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$TRAWL_SRC/tests/cli" python3 - "$w" <<'PY'
import sys
from fixtures3d import box, ascii_stl, print_job
d = sys.argv[1]
ascii_stl(d + "/bracket.stl", "bracket", box(0, 0, 20, 10, 5))
open(d + "/bracket.gcode", "w").write(print_job("; printing object bracket id:0 copy 0", 20, 10, 5))
PY
dd if="$w/bracket.stl" of="$img" bs=1 seek=$((55 * MiB + 512)) conv=notrunc status=none
dd if="$w/bracket.gcode" of="$img" bs=1 seek=$((61 * MiB + 512)) conv=notrunc status=none
# A key at 54 MiB and, in another unit, the address it controls at 62 MiB: the merge links them as one run does.
plant $((54 * MiB + 100)) ' KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn '
plant $((62 * MiB + 100)) ' 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH '
# The STL starts on a sector, where stl-detect tries binary STL in an image (stl-detect(1)), and straddles 58 MiB.
dd if="$TRAWL_SRC/tests/data/mesh/anycubic_i3_mega_x_platform.stl" of="$img" bs=1 seek=$((58 * MiB - 1024)) \
  conv=notrunc status=none

# sharded TOOL SIZING DIR ARGS...: oracle_sharded with SIZING a unit size, or "N units"; sets oracle_units.
sharded() {
  local t=$1 s=$2 d=$3
  shift 3
  local -a sizing=(--unit-size "$s")
  [[ $s == *" units" ]] && sizing=(--units "${s% units}")
  oracle_sharded "$TRAWL_BIN/$t" "$d" "${sizing[@]}" "$@"
}

# equivalent TOOL ARGS...: unsharded vs 1, 3 and 7 units (--units), plus fixed SIZES in $extra_sizes.
equivalent() {
  local t=$1 target s n d rc_whole
  shift
  "$TRAWL_BIN/$t" --no-progress --stats "$@" >"$w/$t.whole.jsonl" 2>"$w/$t.whole.err"
  rc_whole=$?
  jq -c 'select(.type != "summary")' "$w/$t.whole.jsonl" >/dev/null || fail "$t: unsharded output is not JSON Lines"
  grep -v '^{"type":"summary"' "$w/$t.whole.jsonl" >"$w/$t.expected"
  check_eq "$t: unsharded run wrote records" true "$([[ -s $w/$t.expected ]] && echo true || echo false)"
  local -a sizings=("1 units" "3 units" "7 units")
  # shellcheck disable=SC2154
  for s in ${extra_sizes:-}; do sizings+=("$s"); done
  for s in "${sizings[@]}"; do
    d=$w/$t-${s// /-}
    sharded "$t" "$s" "$d" --no-progress --stats "$@"
    n=$oracle_units
    echo "   $t $s: $n units"
    # At least N: each source, and each scope's run of events or split byte range, takes one unit or more.
    [[ $s == *" units" ]] && check_eq "$t: --units ${s% units} plans at least that many units" true \
      "$( ((n >= ${s% units})) && echo true || echo false)"
    if cmp -s "$w/$t.expected" <(grep -v '^{"type":"summary"' "$d/merged.jsonl"); then
      pass
    else
      fail "$t: $n units ($s) merge differently from the unsharded run"
      diff <(jq -c '[.type, .path, .offset, .kind]' "$w/$t.expected") \
        <(grep -v '^{"type":"summary"' "$d/merged.jsonl" | jq -c '[.type, .path, .offset, .kind]') | head -10
    fi
    check_eq "$t: $n units: one summary from merge (--stats)" 1 "$(grep -c '^{"type":"summary"' "$d/merged.jsonl")"
    check_eq "$t: $n units: merge exits as the unsharded run" "$rc_whole" \
      "$("$TRAWL_BIN/$t" --merge "$d" >/dev/null 2>&1; echo $?)"
  done
}

echo "== plans are stable and self-describing"
"$TRAWL_BIN/wallet-scan" --plan --unit-size 4M --unallocated --raw "$img" >"$w/plan1.jsonl"
"$TRAWL_BIN/wallet-scan" --plan --unit-size 4M --unallocated --raw "$img" >"$w/plan2.jsonl"
check_eq "same input, same plan" "$(sha256sum <"$w/plan1.jsonl")" "$(sha256sum <"$w/plan2.jsonl")"
check_jsonl "$w/plan1.jsonl" "plan"
check_eq "one plan id" 1 "$(jq -r .plan "$w/plan1.jsonl" | sort -u | wc -l)"
check_eq "indices 0..N-1 and ids" "$(seq -f 'unit-%05g' 0 $(($(wc -l <"$w/plan1.jsonl") - 1)))" "$(jq -r .id "$w/plan1.jsonl")"
check_eq "args without sources or --plan/--unit-size" '["--unallocated","--raw"]' \
  "$(jq -c .args "$w/plan1.jsonl" | sort -u)"
check_eq "range units carry the margin" true "$(jq -s 'map(select(.kind == "range")) | length > 0 and all(.margin > 0)' "$w/plan1.jsonl")"
other=$("$TRAWL_BIN/wallet-scan" --plan --unit-size 2M --unallocated --raw "$img" | jq -r .plan | head -1)
check_eq "another unit size, another plan id" true "$([[ $other != $(jq -r .plan "$w/plan1.jsonl" | head -1) ]] && echo true || echo false)"
rc=0; "$TRAWL_BIN/wallet-scan" --plan --secrets-out "$w/secrets.jsonl" "$img" >/dev/null 2>"$w/refused.err" || rc=$?
check_eq "--plan refuses --secrets-out" 2 "$rc"
check_eq "refusal says why" 1 "$(grep -c 'secrets-out needs the whole run' "$w/refused.err")"
rc=0; "$TRAWL_BIN/meta-extract" --plan --geojson "$w/x.geojson" "$img" >/dev/null 2>&1 || rc=$?
check_eq "--plan refuses --geojson" 2 "$rc"

echo "== one unit from the command line, to stdout"
line=$(sed -n 2p "$w/plan1.jsonl")
"$TRAWL_BIN/wallet-scan" --unit "$line" >"$w/one.jsonl" 2>/dev/null
d=$w/one-dir
"$TRAWL_BIN/wallet-scan" --unit "$line" --out "$d" 2>/dev/null
check_eq "--unit to stdout equals --out" "$(cat "$w/one.jsonl")" "$(cat "$d/unit-00001.jsonl")"
check_jsonl "$d/unit-00001.manifest.json" "manifest"
check_eq "manifest fields" "unit-00001 1 wallet-scan ok" \
  "$(jq -r '"\(.unit) \(.index) \(.tool) \(.status)"' "$d/unit-00001.manifest.json")"
check_eq "manifest has times, host, counts" true \
  "$(jq '[.start_time, .end_time, .host, .records, .primary, .errors, .exit_status, .plan, .version] | all(. != null)' "$d/unit-00001.manifest.json")"

echo "== equivalence: hash-match and meta-extract (files, volumes)"
# (Not the host tree: reading a symbolic link updates its atime, so two runs over it differ anyway.)
extra_sizes="" equivalent hash-match "$ev/sample.img" "$ev/sample.E01"
extra_sizes="" equivalent meta-extract "$ev/sample.img"
echo "== equivalence: wallet-scan and stl-detect (byte ranges, hits straddling unit boundaries)"
extra_sizes="1M" equivalent wallet-scan --unallocated --raw "$img"
extra_sizes="1M" equivalent stl-detect --unallocated --raw "$img"
# The planted hits are there, once per range that holds them (the tail and the raw image), in 1 MiB units too.
check_eq "planted address found in the tail and the raw image" 2 \
  "$(jq -r "select(.type == \"hit\" and .offset == $((56 * MiB - 9)))" -c "$w/wallet-scan-1M/merged.jsonl" | wc -l)"
check_eq "planted phrase found in the tail and the raw image" 2 \
  "$(jq -r "select(.type == \"hit\" and .kind == \"bip39.phrase\" and .offset == $((60 * MiB - 29)))" -c "$w/wallet-scan-1M/merged.jsonl" | wc -l)"
check_eq "key and address in different units: linked, in the tail and in the raw image" \
  "$((62 * MiB + 101)) $((54 * MiB + 101))
$((62 * MiB + 101)) $((54 * MiB + 101))" \
  "$(jq -r "select(.type == \"link\" and .offset == $((62 * MiB + 101))) | \"\\(.offset) \\(.key_offset)\"" "$w/wallet-scan-1M/merged.jsonl")"
check_eq "mesh and print job in different units: linked (tail and raw image, each with each)" \
  "$((61 * MiB + 512)) $((55 * MiB + 512)) bracket name+extent
$((61 * MiB + 512)) $((55 * MiB + 512)) bracket name+extent
$((61 * MiB + 512)) $((55 * MiB + 512)) bracket name+extent
$((61 * MiB + 512)) $((55 * MiB + 512)) bracket name+extent" \
  "$(jq -r "select(.type == \"model_link\" and .project_offset == $((61 * MiB + 512))) | \"\\(.project_offset) \\(.mesh_offset) \\(.mesh_name) \\(.reason)\"" "$w/stl-detect-1M/merged.jsonl")"
check_eq "planted STL found whole in the tail and the raw image" "1484 1484" \
  "$(jq -r "select(.type == \"model\" and .offset == $((58 * MiB - 1024))) | .length" "$w/stl-detect-1M/merged.jsonl" | tr '\n' ' ' | sed 's/ $//')"

echo "== wallet-scan --summary over units: the histogram is summed by the merge"
"$TRAWL_BIN/wallet-scan" --no-progress --summary --unallocated --raw "$img" >"$w/summary.whole.jsonl" 2>/dev/null
sharded wallet-scan 4M "$w/summary-4M" --no-progress --summary --unallocated --raw "$img"
n=$oracle_units
check_eq "histogram rows written" true "$([[ $(grep -c '"type":"summary"' "$w/summary.whole.jsonl") -gt 3 ]] && echo true || echo false)"
if cmp -s "$w/summary.whole.jsonl" "$w/summary-4M/merged.jsonl"; then pass; else fail "--summary: $n units merge differently"; fi

echo "== failure: a missing manifest, a failed unit; rerun only those"
d=$w/wallet-scan-1M
rm -f "$d/unit-00002.manifest.json"
rm -f "$d/unit-00004.jsonl" "$d/unit-00004.manifest.json"
# A unit that cannot start (a list it needs is missing) leaves a manifest saying so.
jq -c 'select(.index == 5) | .args += ["--stop-list", "/nonexistent/list"]' "$d/plan.jsonl" >"$w/bad-unit.json"
rc=0; "$TRAWL_BIN/wallet-scan" --unit "$(cat "$w/bad-unit.json")" --out "$d" 2>/dev/null || rc=$?
check_eq "failing unit exits 2" 2 "$rc"
rc=0; "$TRAWL_BIN/wallet-scan" --merge "$d" >"$w/partial.jsonl" 2>"$w/partial.err" || rc=$?
check_eq "merge with missing units exits 2" 2 "$rc"
check_eq "merge writes nothing then" 0 "$(wc -c <"$w/partial.jsonl")"
check_eq "each unit named" "wallet-scan: $d: unit-00002: incomplete
wallet-scan: $d: unit-00004: missing
wallet-scan: $d: unit-00005: failed (exit 2)" "$(grep ': unit-' "$w/partial.err")"
check_eq "--merge --failed lists them for sbatch --array" "2,4,5" "$("$TRAWL_BIN/wallet-scan" --merge --failed "$d")"
for i in $("$TRAWL_BIN/wallet-scan" --merge --failed "$d" | tr ',' ' '); do
  "$TRAWL_BIN/wallet-scan" --unit-file "$d/plan.jsonl" --unit-index "$i" --out "$d" 2>/dev/null
done
check_eq "nothing left to rerun" "" "$("$TRAWL_BIN/wallet-scan" --merge --failed "$d")"
"$TRAWL_BIN/wallet-scan" --merge "$d" >"$d/merged2.jsonl" 2>/dev/null
if cmp -s "$w/wallet-scan.expected" <(grep -v '^{"type":"summary"' "$d/merged2.jsonl"); then pass; else fail "rerun merge differs"; fi

oracle_finish
