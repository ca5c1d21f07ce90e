#!/usr/bin/env bash
# PDQ through the real binary, against Meta's reference hashes
# (tests/data/pdq, facebook/ThreatExchange): a PDQ list of the original
# bridge photo finds its edited copies, and with --pdq-dihedral its 8
# rotations and flips, each with the transform that matched; images are
# never copied into the output, only their hash and address.
# needs: jq
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq
hash_match=$(oracle_tool hash-match) || exit $?
data="$TRAWL_SRC/tests/data/pdq"
w=$TRAWL_WORK
mkdir -p "$w"

# The Java reference's hash of the original, as a one-line PDQ list.
grep 'bridge-1-original' "$data/java-readme-expected.csv" | cut -d, -f1,2 | sed 's/$/,bridge original/' > "$w/bridge.pdq"

run_tool "$w/plain.jsonl" "$w/plain.err" "$hash_match" --no-progress --known-bad "$w/bridge.pdq" --matches-only "$data/dih"
check_eq "without --pdq-dihedral only the original matches" "bridge-1-original.jpg" \
  "$(jq -r 'select(.type == "match") | .path | split("/") | last' "$w/plain.jsonl")"

run_tool "$w/dih.jsonl" "$w/dih.err" "$hash_match" --no-progress --known-bad "$w/bridge.pdq" --pdq-dihedral --matches-only "$data/dih"
check_eq "with --pdq-dihedral all 8 transforms match" 8 "$(jq -r 'select(.type == "match") | .path' "$w/dih.jsonl" | sort -u | wc -l | tr -d ' ')"
check_eq "every match within 31 bits" "" "$(jq -r 'select(.type == "match" and .distance > 31) | .path' "$w/dih.jsonl")"
check_eq "the transform is named" "flip-plus-1" \
  "$(jq -r 'select(.type == "match" and (.path | endswith("bridge-7-flip-plus-1.jpg"))) | .transform' "$w/dih.jsonl")"
check_eq "entry name from the list" "bridge original" "$(jq -r 'select(.type == "match") | .entry_name' "$w/dih.jsonl" | sort -u)"

run_tool "$w/mods.jsonl" "$w/mods.err" "$hash_match" --no-progress -c pdq "$data/bridge-mods"
n_mods=$(find "$data/bridge-mods" -name '*.jpg' | wc -l)
check_eq "-c pdq hashes every JPEG" "$n_mods" "$(jq -r 'select(.type == "file" and .pdq) | .path' "$w/mods.jsonl" | wc -l | tr -d ' ')"
# The Python reference's hashes of the same edits, within a few bits.
while IFS=, read -r ref _ path; do
  name=${path##*/}
  got=$(jq -r --arg n "$name" 'select(.type == "file" and (.path | endswith("/" + $n))) | .pdq' "$w/mods.jsonl")
  [[ -n $got ]] || continue
  d=$(python3 -c "print(bin(int('$ref',16) ^ int('$got',16)).count('1'))" 2>/dev/null || echo 999)
  if ((d <= 16)); then pass; else fail "$name: $d bits from the Python reference"; fi
done < <(grep -v '^hash' "$data/python-readme-expected.csv")
check_eq "no image bytes in the records" "" "$(jq -r 'select(.data or .content or .thumbnail) | .path' "$w/mods.jsonl")"

oracle_finish
