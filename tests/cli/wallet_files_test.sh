#!/usr/bin/env bash
# wallet-scan on wallet files through the real binary: the fixtures of tests/data/wallet_files found as files,
# as zip members and carved from the unallocated space of a FAT image after deletion (exact offset and length);
# --secrets-out gets the crackable lines with mode 0600 while stdout stays redacted, and refuses a path inside
# the evidence; --summary counts; stop and watch lists mark hits without dropping them; --format csv-chain.
# needs: jq zip mtools (mformat mcopy mdel) coreutils
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq zip mformat mcopy mdel
wallet_scan=$(oracle_tool wallet-scan) || exit $?
w=$TRAWL_WORK
data=$TRAWL_SRC/tests/data/wallet_files
rm -rf "$w/in" && mkdir -p "$w/in" "$w/out"
cp "$data"/wallet.dat "$data"/keystore-scrypt.json "$data"/seed.seco "$data"/metamask-000003.log "$w/in/"

kinds() { jq -r 'select(.type == "hit" and (.kind | startswith("wallet."))) | "\(.path | sub(".*/"; "")) \(.kind) \(.offset) \(.length)"' "$1" | sort; }
cat >"$w/expected" <<END
keystore-scrypt.json wallet.keystore-v3 0 $(stat -c %s "$data/keystore-scrypt.json")
metamask-000003.log wallet.metamask-vault 58 247
seed.seco wallet.exodus-seco 0 $(stat -c %s "$data/seed.seco")
wallet.dat wallet.bitcoin-core 0 $(stat -c %s "$data/wallet.dat")
END

echo "== files"
rc=0
"$wallet_scan" --no-progress --secrets-out "$w/out/secrets.jsonl" "$w/in" >"$w/files.jsonl" 2>"$w/files.err" || rc=$?
check_eq "exit status" 0 "$rc"
check_jsonl "$w/files.jsonl" "files output"
check_eq "wallet files found" "$(cat "$w/expected")" "$(kinds "$w/files.jsonl")"
check_eq "crackable lines redacted on stdout" redacted \
  "$(jq -r 'select(.crackable != null) | .crackable' "$w/files.jsonl" | sort -u)"
check_eq "bdb details" "yes 3 1" \
  "$(jq -r 'select(.kind == "wallet.bitcoin-core") | "\(.encrypted) \(."records.name") \(.deleted_items)"' "$w/files.jsonl")"
check_eq "seco checksum" intact "$(jq -r 'select(.kind == "wallet.exodus-seco") | .checksum' "$w/files.jsonl")"

echo "== --secrets-out"
check_eq "secrets file mode" 600 "$(stat -c %a "$w/out/secrets.jsonl")"
check_eq "secret formats" "hashcat 11300
hashcat 15700
hashcat 28200
metamask vault json" "$(jq -r .crack_format "$w/out/secrets.jsonl" | sort)"
check_eq "mkey line" '$bitcoin$96$' "$(jq -r 'select(.kind == "wallet.bitcoin-core") | .secret[0:12]' "$w/out/secrets.jsonl")"
rc=0
"$wallet_scan" --no-progress --secrets-out "$w/in/secrets.jsonl" "$w/in" >/dev/null 2>"$w/inside.err" || rc=$?
check_eq "refused inside the evidence" "2 no" "$rc $([[ -e $w/in/secrets.jsonl ]] && echo yes || echo no)"

echo "== zip members"
(cd "$w/in" && zip -q -r "$w/out/wallets.zip" .)
"$wallet_scan" --no-progress "$w/out/wallets.zip" >"$w/zip.jsonl" 2>"$w/zip.err"
check_eq "found in the zip" "$(cat "$w/expected")" "$(kinds "$w/zip.jsonl")"
check_eq "member paths" 1 "$(jq -r 'select(.kind == "wallet.bitcoin-core") | .path' "$w/zip.jsonl" | grep -c 'wallets.zip!/')"

echo "== carved from unallocated space"
img=$w/out/fat.img
rm -f "$img"
mformat -C -i "$img" -T 8192 -h 2 -s 16 ::
mcopy -i "$img" "$data/wallet.dat" ::/wallet.dat
mcopy -i "$img" "$data/seed.seco" ::/seed.seco
mdel -i "$img" ::/wallet.dat ::/seed.seco
# Where the bytes are in the image, found independently of the tool.
bdb_at=$(grep -obUaP '\x62\x31\x05\x00\x09\x00\x00\x00' "$img" | head -1 | cut -d: -f1)
seco_at=$(grep -obUa 'SECO' "$img" | head -1 | cut -d: -f1)
"$wallet_scan" --no-progress --unallocated "$img" >"$w/unalloc.jsonl" 2>"$w/unalloc.err"
check_eq "carved wallet.dat" "$((bdb_at - 12)) $(stat -c %s "$data/wallet.dat") unallocated" \
  "$(jq -r 'select(.kind == "wallet.bitcoin-core" and .area == "unallocated") | "\(.offset) \(.length) \(.area)"' "$w/unalloc.jsonl")"
check_eq "carved seco, intact" "$seco_at intact" \
  "$(jq -r 'select(.kind == "wallet.exodus-seco" and .area == "unallocated") | "\(.offset) \(.checksum)"' "$w/unalloc.jsonl")"
check_eq "the deleted files themselves" "_allet.dat seed.seco" \
  "$(jq -r 'select((.kind | startswith("wallet.")) and .deleted == true) | .path | sub(".*/"; "")' "$w/unalloc.jsonl" | sort | tr '\n' ' ' | sed 's/ $//')"

echo "== --summary, stop and watch lists"
printf 'legal winner thank year wave sausage worth useful legal winner thank yellow\n1BoatSLRHtKNngkdXEeobR76b53LETtpyT x 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy 0x00000000219ab540356cbb839cbe05303d7705fa\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n' >"$w/in/notes.txt"
printf '# ours\n1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n' >"$w/out/stop.txt"
printf '0x00000000219AB540356CBB839CBE05303D7705FA\n' >"$w/out/watch.txt"
"$wallet_scan" --no-progress --summary --stop-list "$w/out/stop.txt" --watch-list "$w/out/watch.txt" \
  "$w/in/notes.txt" >"$w/notes.jsonl" 2>"$w/notes.err"
check_eq "stop-list marks" "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa builtin
1BoatSLRHtKNngkdXEeobR76b53LETtpyT user
1BoatSLRHtKNngkdXEeobR76b53LETtpyT user
3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy builtin
legal … yellow (12 words) builtin" \
  "$(jq -r 'select(.type == "hit" and .stop_list != null) | "\(.value) \(.stop_list)"' "$w/notes.jsonl" | sort)"
check_eq "watch alert" "0x00000000219ab540356cbb839cbe05303d7705fa" \
  "$(jq -r 'select(.type == "hit" and .watch == true) | .value' "$w/notes.jsonl")"
check_eq "summary first row: most frequent" "btc.p2pkh 1BoatSLRHtKNngkdXEeobR76b53LETtpyT 2" \
  "$(jq -r 'select(.type == "summary") | "\(.kind) \(.value) \(.count)"' "$w/notes.jsonl" | head -1)"
check_eq "summary rows" 5 "$(jq -r 'select(.type == "summary")' "$w/notes.jsonl" | jq -s length)"
check_eq "summary after the hits" summary "$(tail -1 "$w/notes.jsonl" | jq -r .type)"

echo "== --format csv-chain"
"$wallet_scan" --no-progress --format csv-chain --chunk 1 "$w/in/notes.txt" >"$w/chain.csv" 2>"$w/chain.err"
check_eq "csv rows (stop-listed public examples left out)" "group,address,asset,network,count,first_offset,source
1,1BoatSLRHtKNngkdXEeobR76b53LETtpyT,BTC,mainnet,2,76,$w/in/notes.txt
2,0x00000000219ab540356cbb839cbe05303d7705fa,ETH,mainnet,1,183,$w/in/notes.txt" "$(cat "$w/chain.csv")"

echo "== --derive: addresses controlled by a seed in the same item"
printf 'seed: abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\npaid bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g 0x9858effd232b4033e47d90003d41ec34ecaeda94 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n' >"$w/out/seed.txt"
"$wallet_scan" --no-progress "$w/out/seed.txt" >"$w/seed.jsonl" 2>"$w/seed.err"
check_eq "controlled addresses" "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g bip39.phrase@6 m/84'/0'/0'/0/1
0x9858effd232b4033e47d90003d41ec34ecaeda94 bip39.phrase@6 m/44'/60'/0'/0/0" \
  "$(jq -r 'select(.controlled_by != null) | "\(.value) \(.controlled_by) \(.derivation_path)"' "$w/seed.jsonl")"
"$wallet_scan" --no-progress --derive 1 "$w/out/seed.txt" >"$w/seed1.jsonl" 2>"$w/seed1.err"
check_eq "--derive 1 stops at index 0" 1 "$(jq -r 'select(.controlled_by != null) | .value' "$w/seed1.jsonl" | wc -l)"

echo "== hashcat lines of wallets encrypted with the password \"hashcat\""
mkdir -p "$w/crack"
cp "$data"/seed-hashcat.seco "$data"/electrum-bie1-hashcat "$w/crack/"
"$wallet_scan" --no-progress --secrets-out "$w/out/crack.jsonl" "$w/crack" >"$w/crack.jsonl" 2>"$w/crack.err"
check_eq "hashcat 21700 and 28200 lines" "$(cat "$data"/electrum-bie1-hashcat.line "$data"/seed-hashcat.seco.line)" \
  "$(jq -s -r 'map(select(.crack_format != null)) | sort_by(.path) | .[] | .secret' "$w/out/crack.jsonl")"
check_eq "their formats" "hashcat 21700 hashcat 28200" \
  "$(jq -s -r 'map(select(.crack_format != null)) | sort_by(.path) | .[] | .crack_format' "$w/crack.jsonl" | tr '\n' ' ' | sed 's/ $//')"

oracle_finish
