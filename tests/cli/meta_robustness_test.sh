#!/usr/bin/env bash
# meta-extract survives a mutated corpus: every metadata fixture in tests/data/meta, cut at 40 points and with
# seeded bit flips, 4-byte "huge counts" (0xFFFFFFFF) and offsets pointing past the end written over random
# places (the exiv2 CVE classes). No crash, no hang (60 s for all), memory bounded (ulimit -v 2 GiB), every
# record valid JSON, exit status 0, 1 or 2.
# needs: python3 jq coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need python3 jq timeout
meta_extract=$(oracle_tool meta-extract) || exit $?
w=$TRAWL_WORK
rm -rf "$w/mutants" && mkdir -p "$w/mutants"
python3 - "$TRAWL_SRC/tests/data/meta" "$w/mutants" <<'PY'
import os, random, sys
src, out = sys.argv[1], sys.argv[2]
rng = random.Random(20261128)
n = 0
for name in sorted(os.listdir(src)):
    if name.endswith((".json", ".py")):
        continue
    data = open(os.path.join(src, name), "rb").read()
    if not data:
        continue
    for k in range(40):  # truncations
        cut = rng.randrange(len(data))
        open(os.path.join(out, "%s.cut%02d" % (name, k)), "wb").write(data[:cut])
        n += 1
    for k in range(40):  # bit flips, huge counts, wild offsets
        b = bytearray(data)
        for _ in range(rng.randrange(1, 9)):
            at = rng.randrange(len(b))
            kind = rng.randrange(3)
            if kind == 0:
                b[at] ^= 1 << rng.randrange(8)
            else:
                word = b"\xff\xff\xff\xff" if kind == 1 else (len(b) + rng.randrange(1 << 20)).to_bytes(4, "big")
                b[at:at + 4] = word[:max(0, len(b) - at)]
        open(os.path.join(out, "%s.mut%02d" % (name, k)), "wb").write(bytes(b))
        n += 1
print(n)
PY
count=$(find "$w/mutants" -type f | wc -l)
check_eq "mutants written" true "$([[ $count -ge 1000 ]] && echo true || echo false)"
rc=0
(ulimit -v $((2 * 1024 * 1024)); timeout 60 "$meta_extract" -j2 --no-progress "$w/mutants" >"$w/out.jsonl" 2>"$w/err.txt") || rc=$?
case $rc in 0|1|2) pass ;; *) fail "meta-extract exit status $rc on the mutated corpus (crash, hang or memory)"; tail -5 "$w/err.txt" ;; esac
check_jsonl "$w/out.jsonl" "records on the mutated corpus"
echo "   $count mutants, $(wc -l <"$w/out.jsonl") records, $(jq -s '[.[] | select(.warnings)] | length' "$w/out.jsonl") with warnings"
oracle_finish
