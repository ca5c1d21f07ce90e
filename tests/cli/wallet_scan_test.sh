#!/usr/bin/env bash
# wallet-scan through the real binary: values planted in a file at offsets that straddle the 1 MiB page
# boundaries are each found exactly once at the right offset, in the file and in a tar.gz member; a file
# without any gives exit status 1.
# needs: jq tar gzip coreutils openssl iconv
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq tar gzip dd openssl iconv
wallet_scan=$(oracle_tool wallet-scan) || exit $?
w=$TRAWL_WORK
rm -rf "$w/in" && mkdir -p "$w/in"
f=$w/in/planted.bin
MiB=1048576
phrase="legal winner thank year wave sausage worth useful legal winner thank yellow"

# plant OFFSET TEXT: TEXT at OFFSET, with a space before and a newline after (word boundaries).
plant() { printf ' %s\n' "$2" | dd of="$f" bs=1 seek=$(($1 - 1)) conv=notrunc status=none; }
head -c $((5 * MiB)) /dev/zero >"$f"
plant 1000 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy
plant $((MiB - 10)) 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
plant $((2 * MiB - 1)) 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
plant $((3 * MiB)) bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
plant $((4 * MiB - 30)) "$phrase"
cat >"$w/expected" <<END
1000 34 btc.p2sh checksum 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy
$((MiB - 10)) 34 btc.p2pkh checksum 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
$((2 * MiB - 1)) 42 eth.address checksum 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
$((3 * MiB)) 42 btc.p2wpkh checksum bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
$((4 * MiB - 30)) ${#phrase} bip39.phrase checksum legal … yellow (12 words)
END

hits() { jq -r 'select(.type == "hit") | "\(.offset) \(.length) \(.kind) \(.confidence) \(.value)"' "$1"; }

echo "== planted file"
rc=0
"$wallet_scan" --no-progress "$f" >"$w/file.jsonl" 2>"$w/file.err" || rc=$?
check_eq "exit status with hits" 0 "$rc"
check_jsonl "$w/file.jsonl" "file output"
hits "$w/file.jsonl" >"$w/file.hits"
check_eq "each value found exactly once, in order" "$(cat "$w/expected")" "$(cat "$w/file.hits")"
check_eq "hits carry the file's address" "$f" "$(jq -r 'select(.type == "hit") | .path' "$w/file.jsonl" | sort -u)"
check_eq "item_offset equals offset for files" 0 \
  "$(jq -r 'select(.type == "hit" and .item_offset != .offset)' "$w/file.jsonl" | wc -l)"
check_eq "validated" true "$(jq -r 'select(.type == "hit") | .validated' "$w/file.jsonl" | sort -u)"
check_eq "seed language and word count" "english 12" \
  "$(jq -r 'select(.kind == "bip39.phrase") | "\(.language) \(.words)"' "$w/file.jsonl")"
# The bytes at each hit's offset are its value.
while read -r offset length kind _ value; do
  [[ $kind == bip39.phrase ]] && continue
  check_eq "bytes at $offset" "$value" "$(dd if="$f" bs=1 skip="$offset" count="$length" status=none)"
done <"$w/file.hits"

echo "== a hit is an address: --records re-reads its bytes"
if [[ -x $TRAWL_BIN/hash-match ]]; then
  jq -c 'select(.kind == "btc.p2pkh")' "$w/file.jsonl" | "$TRAWL_BIN/hash-match" --no-progress --records -c sha256 \
    >"$w/reread.jsonl" 2>"$w/reread.err"
  check_eq "re-read bytes" "$(printf %s 1BoatSLRHtKNngkdXEeobR76b53LETtpyT | sha256sum | cut -d' ' -f1)" \
    "$(jq -r .sha256 "$w/reread.jsonl")"
else
  echo "note: hash-match not built: --records round trip skipped"
fi

echo "== --reveal-secrets"
"$wallet_scan" --no-progress --reveal-secrets "$f" >"$w/reveal.jsonl" 2>"$w/reveal.err"
check_eq "phrase in full" "$phrase" "$(jq -r 'select(.kind == "bip39.phrase") | .value' "$w/reveal.jsonl")"

echo "== tsv"
"$wallet_scan" --no-progress --format tsv "$f" >"$w/file.tsv" 2>"$w/tsv.err"
check_eq "tsv header" "#type	source	path	offset	length	kind	value	confidence	error	detail	key_kind	key_path	key_offset	derivation_path" "$(head -1 "$w/file.tsv")"
check_eq "tsv rows" 5 "$(grep -c '^hit' "$w/file.tsv")"

echo "== tar.gz member"
tar -C "$w/in" -czf "$w/planted.tar.gz" planted.bin
rc=0
"$wallet_scan" --no-progress "$w/planted.tar.gz" >"$w/tar.jsonl" 2>"$w/tar.err" || rc=$?
check_eq "exit status (archive)" 0 "$rc"
hits "$w/tar.jsonl" >"$w/tar.hits"
check_eq "member hits" "$(cat "$w/expected")" "$(cat "$w/tar.hits")"
check_eq "member path" "$w/planted.tar.gz!/planted.bin" "$(jq -r 'select(.type == "hit") | .path' "$w/tar.jsonl" | sort -u)"

echo "== byte ranges of an image: absolute offsets"
if command -v mkfs.vfat >/dev/null; then
  img=$w/fat.img
  rm -f "$img"
  mkfs.vfat -C "$img" 4096 >/dev/null
  printf ' %s\n' 1BoatSLRHtKNngkdXEeobR76b53LETtpyT | dd of="$img" bs=1 seek=$((3 * MiB - 11)) conv=notrunc status=none
  "$wallet_scan" --no-progress --unallocated "$img" >"$w/unalloc.jsonl" 2>"$w/unalloc.err"
  check_eq "unallocated hit: absolute offset, range offset + item offset" "$((3 * MiB - 10)) 34 btc.p2pkh true unallocated" \
    "$(jq -r 'select(.type == "hit") | "\(.offset) \(.length) \(.kind) \(.range_offset + .item_offset == .offset) \(.area)"' "$w/unalloc.jsonl")"
  "$wallet_scan" --no-progress --raw "$img" >"$w/raw.jsonl" 2>"$w/raw.err"
  check_eq "whole-image hit" "$((3 * MiB - 10)) image" \
    "$(jq -r 'select(.type == "hit") | "\(.offset) \(.area)"' "$w/raw.jsonl")"
else
  echo "note: mkfs.vfat not installed: byte-range checks skipped"
fi

echo "== keys, more chains, UTF-16"
k=$w/in/keys.txt
{
  printf 'wif L5nJeqKmpHp4P7F8ZYyjwc5a7P4d8EabuGAzfGJk7yC1BJyzNaEd\n'
  printf 'cash bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a\n'
  printf 'xrp r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59\n'
  printf 'pay bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=1\n'
  printf 'utf16 ' | iconv -f ascii -t utf-16le
  printf '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy\n' | iconv -f ascii -t utf-16le
  # JSON-escaped text stored as UTF-16 (an exported JSON note in a Windows file): an escape inside each address.
  printf '{"k":"\\u0033J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"}\n' | iconv -f ascii -t utf-16le
  printf '{"a":"\\u0031BoatSLRHtKNngkdXEeobR76b53LETtpyT"}\n' | iconv -f ascii -t utf-16be
} >"$k"
"$wallet_scan" --no-progress "$k" >"$w/keys.jsonl" 2>"$w/keys.err"
check_eq "new kinds" "btc.wif true L5nJ…NaEd
bch.p2pkh null bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a
xrp.address null r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59
btc.uri null 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
btc.p2pkh null 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
btc.p2sh utf-16le 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy
btc.p2sh utf-16le+json-escaped 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy
btc.p2pkh utf-16be+json-escaped 1BoatSLRHtKNngkdXEeobR76b53LETtpyT" \
  "$(jq -r 'select(.type == "hit") | "\(.kind) \(.secret // .encoding) \(.value)"' "$w/keys.jsonl")"
# Offset and length count the UTF-16 bytes of the escaped text: "\u0031BoatSLRH..." (39 characters).
check_eq "utf-16be+json-escaped extent" "78 $(printf '\\u0031BoatSLRHtKNngkdXEeobR76b53LETtpyT' | iconv -f ascii -t utf-16be | od -An -tx1 | tr -d ' \n')" \
  "$(jq -r 'select(.encoding == "utf-16be+json-escaped") | "\(.length) \(.offset)"' "$w/keys.jsonl" | {
    read -r length offset; printf '%s %s' "$length" "$(dd if="$k" bs=1 skip="$offset" count="$length" status=none | od -An -tx1 | tr -d ' \n')"; })"
check_eq "uri text" "bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=1" \
  "$(jq -r 'select(.kind == "btc.uri") | .text' "$w/keys.jsonl")"

echo "== Monero seeds in all twelve languages"
# Seeds printed by monero-wallet-cli (tests/data/wallet_seeds), each on its own line after a label.
cut -f2 "$TRAWL_SRC/tests/data/wallet_seeds/monero_wallet_cli.tsv" | grep -v '^#' | sed 's/^/seed: /' >"$w/in/monero.txt"
"$wallet_scan" --no-progress "$w/in/monero.txt" >"$w/monero.jsonl"
check_eq "monero seeds found" 24 "$(jq -s '[.[] | select(.kind == "monero.seed")] | length' "$w/monero.jsonl")"
check_eq "their languages" "chinese_simplified dutch english esperanto french german italian japanese lojban portuguese russian spanish" \
  "$(jq -r 'select(.kind == "monero.seed") | .language' "$w/monero.jsonl" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "each at the offset of its line's first word" "$(grep -b -o 'seed: ' "$w/in/monero.txt" | cut -d: -f1 | awk '{print $1 + 6}' | tr '\n' ' ')" \
  "$(jq -r 'select(.kind == "monero.seed") | .offset' "$w/monero.jsonl" | tr '\n' ' ')"
check_eq "redacted" 0 "$(jq -s '[.[] | select(.kind == "monero.seed" and (.value | test("25 words") | not))] | length' "$w/monero.jsonl")"

echo "== a Japanese phrase (words apart by U+3000) is redacted to whole words"
printf '\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93\xe3\x80\x80%.0s' $(seq 11) >"$w/in/ja.txt"
printf '\xe3\x81\x82\xe3\x81\x8a\xe3\x81\x9e\xe3\x82\x89\n' >>"$w/in/ja.txt"
"$wallet_scan" --no-progress "$w/in/ja.txt" >"$w/ja.jsonl"
check_eq "japanese phrase, redacted" "japanese $(printf '\xe3\x81\x82\xe3\x81\x84\xe3\x81\x93\xe3\x81\x8f\xe3\x81\x97\xe3\x82\x93 \xe2\x80\xa6 \xe3\x81\x82\xe3\x81\x8a\xe3\x81\x9e\xe3\x82\x89') (12 words)" \
  "$(jq -r 'select(.kind == "bip39.phrase") | "\(.language) \(.value)"' "$w/ja.jsonl")"

echo "== a Russian Monero seed in a UTF-16LE note (byte order mark, no ASCII around it)"
{ printf '\xff\xfe'; awk -F'\t' '$1 == "russian" { print $2; exit }' "$TRAWL_SRC/tests/data/wallet_seeds/monero_wallet_cli.tsv" |
  iconv -f UTF-8 -t UTF-16LE; } >"$w/in/ru16.txt"
"$wallet_scan" --no-progress "$w/in/ru16.txt" >"$w/ru16.jsonl"
check_eq "utf-16 seed" "monero.seed russian utf-16le 2" \
  "$(jq -r 'select(.kind == "monero.seed") | "\(.kind) \(.language) \(.encoding) \(.offset)"' "$w/ru16.jsonl")"

echo "== nothing to find"
# Deterministic pseudo-random bytes: AES-CTR of zeros under a fixed key.
head -c $((3 * MiB)) /dev/zero | openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f -iv 00000000000000000000000000000000 -nosalt >"$w/in/random.bin"
printf 'no wallets here: 1BoatSLRHtKNngkdXEeobR76b53LETtpyU\n' >>"$w/in/random.bin"
rc=0
"$wallet_scan" --no-progress "$w/in/random.bin" >"$w/none.jsonl" 2>"$w/none.err" || rc=$?
check_eq "exit status without hits" 1 "$rc"
check_eq "no records" 0 "$(wc -l <"$w/none.jsonl")"

# A hit in a file inside an image is re-located in the raw image by image_offset.
ev=$(oracle_evidence) || exit $?
"$wallet_scan" --no-progress "$ev/sample.img" >"$w/image-hits.jsonl" 2>/dev/null
eth=$(jq -c 'select(.kind == "eth.address")' "$w/image-hits.jsonl" | head -1)
check_eq "eth address in the image's ext4 file: bytes at image_offset" "$(jq -r .value <<<"$eth")" \
  "$(dd if="$ev/sample.img" bs=1 skip="$(jq -r .image_offset <<<"$eth")" count=42 status=none)"

oracle_finish
