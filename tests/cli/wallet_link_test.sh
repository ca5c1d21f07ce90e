#!/usr/bin/env bash
# wallet-scan links across items through the real binary: an address in one file controlled by a WIF key or a
# seed phrase in another (found before or after it) gets one `link` record at the end of the run naming both
# hits by source, path and offset; an address whose key is in its own file carries controlled_by and gets no
# link; --derive 0 turns linking off; the output is the same with one thread or several; --format tsv writes
# links as rows.
# needs: jq coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq
wallet_scan=$(oracle_tool wallet-scan) || exit $?
w=$TRAWL_WORK
rm -rf "$w/in" && mkdir -p "$w/in/a-keys" "$w/in/b-notes" "$w/in/c-later"
wif=KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn  # private key 1, compressed
seed="abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
printf 'backup %s\n' "$wif" >"$w/in/a-keys/wif.txt"
printf '%s\n' "$seed" >"$w/in/c-later/seed.txt"
# Key 1's P2PKH and P2WPKH (BIP173's example), an unrelated address, then BIP86's and BIP84's first receive
# addresses of the seed, which is in a file scanned after this one.
printf 'paid 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH\nand bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 not 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n' \
  >"$w/in/b-notes/paid.txt"
printf 'tr bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr wpkh bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu\n' \
  >>"$w/in/b-notes/paid.txt"
# Key and address in one file: linked to the key in the same file (the other file's key comes first).
printf '%s 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH\n' "$wif" >"$w/in/c-later/same.txt"

links() { jq -r 'select(.type == "link") | "\(.path | sub(".*/in/"; "")) \(.offset) \(.length) \(.kind) \(.value) \(.key_kind) \(.key_path | sub(".*/in/"; "")) \(.key_offset) \(.derivation_path)"' "$1"; }

echo "== links across files"
rc=0
"$wallet_scan" --no-progress "$w/in" >"$w/run.jsonl" 2>"$w/run.err" || rc=$?
check_eq "exit status" 0 "$rc"
check_jsonl "$w/run.jsonl" "output"
cat >"$w/expected" <<END
b-notes/paid.txt 5 34 btc.p2pkh 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH btc.wif a-keys/wif.txt 7 key
c-later/same.txt 53 34 btc.p2pkh 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH btc.wif c-later/same.txt 0 key
b-notes/paid.txt 129 62 btc.p2tr bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr bip39.phrase c-later/seed.txt 0 m/86'/0'/0'/0/0
b-notes/paid.txt 197 42 btc.p2wpkh bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu bip39.phrase c-later/seed.txt 0 m/84'/0'/0'/0/0
b-notes/paid.txt 44 42 btc.p2wpkh bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 btc.wif a-keys/wif.txt 7 key
END
check_eq "link records, sorted by address" "$(cat "$w/expected")" "$(links "$w/run.jsonl")"
check_eq "links come after every hit" "link link link link link" \
  "$(jq -r .type "$w/run.jsonl" | tail -5 | tr '\n' ' ' | sed 's/ $//')"
# The link names the address hit exactly: its bytes at its offset.
while read -r path offset length _ value _; do
  check_eq "bytes at $path:$offset" "$value" "$(dd if="$w/in/$path" bs=1 skip="$offset" count="$length" status=none)"
done < <(links "$w/run.jsonl")
check_eq "no link for the unrelated address" 0 \
  "$(jq -c 'select(.type == "link" and (.value | startswith("1Boat")))' "$w/run.jsonl" | wc -l)"
check_eq "hits carry no link fields: links are run-level records" 0 \
  "$(jq -c 'select(.type == "hit" and (has("controlled_by") or has("derivation_path")))' "$w/run.jsonl" | wc -l)"

echo "== --format tsv: links are rows, their key in the key_* columns"
"$wallet_scan" --no-progress --format tsv "$w/in" >"$w/run.tsv" 2>/dev/null
check_eq "tsv header" "#type	source	path	offset	length	kind	value	confidence	error	detail	key_kind	key_path	key_offset	derivation_path" \
  "$(head -1 "$w/run.tsv")"
check_eq "tsv link rows" "$(cat "$w/expected")" \
  "$(awk -F '\t' '$1 == "link" { sub(".*/in/", "", $3); sub(".*/in/", "", $12); print $3, $4, $5, $6, $7, $11, $12, $13, $14 }' "$w/run.tsv")"

echo "== thread order does not matter"
for threads in 1 4; do
  "$wallet_scan" --no-progress --threads "$threads" "$w/in" >"$w/t$threads.jsonl" 2>/dev/null
  check_eq "links with $threads thread(s)" "$(cat "$w/expected")" "$(links "$w/t$threads.jsonl")"
done

echo "== --derive 0"
"$wallet_scan" --no-progress --derive 0 "$w/in" >"$w/off.jsonl" 2>/dev/null
check_eq "no links" 0 "$(jq -r 'select(.type == "link")' "$w/off.jsonl" | wc -l)"

echo "== a file of 512 MiB or more (a memory dump) is scanned in windows, the same at every -j"
# Sparse: 520 MiB of zeros read in two windows of 260 MiB. The key sits in the first window, its address in
# the second, and another address straddles the window boundary (found once, by the window it starts in).
rm -rf "$w/big" && mkdir -p "$w/big"
dump=$w/big/memory.dmp
truncate -s 520M "$dump"
half=$((520 * 1048576 / 2))
printf '%s' "$wif" | dd of="$dump" bs=1 seek=1000 conv=notrunc status=none
printf ' 1BoatSLRHtKNngkdXEeobR76b53LETtpyT ' | dd of="$dump" bs=1 seek=$((half - 17)) conv=notrunc status=none
printf ' 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH ' | dd of="$dump" bs=1 seek=$((half + 4096)) conv=notrunc status=none
for threads in 1 2; do
  "$wallet_scan" --no-progress --threads "$threads" "$dump" >"$w/big$threads.jsonl" 2>"$w/big$threads.err"
done
check_eq "-j1 and -j2 write the same records" "" "$(cmp "$w/big1.jsonl" "$w/big2.jsonl" 2>&1)"
check_eq "hits, each once, at their offsets" "1000 btc.wif
$((half - 16)) btc.p2pkh
$((half + 4097)) btc.p2pkh" \
  "$(jq -r 'select(.type == "hit") | "\(.offset) \(.kind)"' "$w/big2.jsonl")"
check_eq "the key in the first window controls the address in the second: a link" \
  "$((half + 4097)) btc.wif 1000" \
  "$(jq -r 'select(.type == "link") | "\(.offset) \(.key_kind) \(.key_offset)"' "$w/big2.jsonl")"
rm -rf "$w/big"

oracle_finish
