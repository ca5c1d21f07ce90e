#!/usr/bin/env bash
# wallet-scan on wallet files through the real binary: the fixtures of tests/data/wallet_files found as files,
# as zip members and carved from the unallocated space of a FAT image after deletion (exact offset and length);
# --secrets-out gets the crackable lines with mode 0600 while stdout stays redacted, and refuses a path inside
# the evidence; --summary counts; stop and watch lists mark hits without dropping them; --format csv-chain; a
# MetaMask vault split over LevelDB log blocks (as a file and carved) and an Electrum BIE2 file.
# needs: jq zip mtools (mformat mcopy mdel) coreutils python3
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need jq zip mformat mcopy mdel python3
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
# Textbook keys and hashcat's self-test values (in Debian's hashcat package) are public examples too.
# So are the donation addresses in the READMEs of Debian's monero and librandomx0 packages.
printf 'k = KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU74sHUHy8S\n5KcL859EUnBDtVG76134U6DZWnVmpE996emJnWmTLRW2hashcat 1L9nr4GX4Zmd7gDL1UT75QPUqxSgNTvdHb\n' >"$w/in/examples.txt"
printf 'XMR: 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A\n' >>"$w/in/examples.txt"
"$wallet_scan" --no-progress "$w/in/examples.txt" >"$w/examples.jsonl" 2>"$w/examples.err"
check_eq "textbook, hashcat and donation examples are builtin stop-list hits" "btc.p2pkh builtin
btc.wif builtin
btc.wif builtin
xmr.address builtin" "$(jq -r 'select(.type == "hit") | "\(.kind) \(.stop_list)"' "$w/examples.jsonl" | sort)"
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
check_eq "controlled addresses: link records, by address" "0x9858effd232b4033e47d90003d41ec34ecaeda94 bip39.phrase@6 m/44'/60'/0'/0/0
bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g bip39.phrase@6 m/84'/0'/0'/0/1" \
  "$(jq -r 'select(.type == "link") | "\(.value) \(.key_kind)@\(.key_offset) \(.derivation_path)"' "$w/seed.jsonl")"
"$wallet_scan" --no-progress --derive 1 "$w/out/seed.txt" >"$w/seed1.jsonl" 2>"$w/seed1.err"
check_eq "--derive 1 stops at index 0" 1 "$(jq -r 'select(.type == "link") | .value' "$w/seed1.jsonl" | wc -l)"

echo "== hashcat lines of wallets encrypted with the password \"hashcat\""
mkdir -p "$w/crack"
cp "$data"/seed-hashcat.seco "$data"/electrum-bie1-hashcat "$w/crack/"
"$wallet_scan" --no-progress --secrets-out "$w/out/crack.jsonl" "$w/crack" >"$w/crack.jsonl" 2>"$w/crack.err"
check_eq "hashcat 21700 and 28200 lines" "$(cat "$data"/electrum-bie1-hashcat.line "$data"/seed-hashcat.seco.line)" \
  "$(jq -s -r 'map(select(.crack_format != null)) | sort_by(.path) | .[] | .secret' "$w/out/crack.jsonl")"
check_eq "their formats" "hashcat 21700 hashcat 28200" \
  "$(jq -s -r 'map(select(.crack_format != null)) | sort_by(.path) | .[] | .crack_format' "$w/crack.jsonl" | tr '\n' ' ' | sed 's/ $//')"

echo "== MetaMask vault split over LevelDB log blocks; Electrum BIE2"
mkdir -p "$w/split"
# A LevelDB log written as LevelDB's log writer does (doc/log_format.md): the vault record does not fit what is
# left of block 0, so it is stored as FIRST/MIDDLE/LAST fragments with 7-byte headers (masked CRC-32C, length, type).
python3 - "$w/split/000003.log" "$w/split/default_wallet" <<'PY'
import base64, json, struct, sys
def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF
def mask(c): return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF
def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80]); n >>= 7
    return out + bytes([n])
def put(k, v): return struct.pack("<QI", 1, 1) + b"\x01" + varint(len(k)) + k + varint(len(v)) + v
def log(records):
    out = bytearray()
    for rec in records:
        done, begin = 0, True
        while True:
            left = 32768 - len(out) % 32768
            if left < 7:
                out += bytes(left); left = 32768
            n = min(len(rec) - done, left - 7)
            end = done + n == len(rec)
            t = 1 if begin and end else 2 if begin else 4 if end else 3
            p = rec[done:done + n]
            out += struct.pack("<IHB", mask(crc32c(bytes([t]) + p)), n, t) + p
            done += n; begin = False
            if end: break
    return bytes(out)
vault = json.dumps({"data": "Q" * 50000, "iv": "aXZpdml2aXZpdml2aXZpdg==", "salt": "c2FsdHNhbHRzYWx0"},
                   separators=(",", ":"))
value = json.dumps({"KeyringController": {"vault": vault}}, separators=(",", ":")).encode()
open(sys.argv[1], "wb").write(log([put(b"filler", b"f" * 30000), put(b"data", value)]))
g = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
open(sys.argv[2], "wb").write(base64.b64encode(b"BIE2" + g + b"\x11" * 64 + b"\x5a" * 32))
PY
vault_at=$(grep -obUa '{\\"data' "$w/split/000003.log" | head -1 | cut -d: -f1)
vault_end=$(grep -obUa '}"}' "$w/split/000003.log" | head -1 | cut -d: -f1)
"$wallet_scan" --no-progress --secrets-out "$w/out/split-secrets.jsonl" "$w/split" >"$w/split.jsonl" 2>"$w/split.err"
check_eq "split vault: extent over the headers, 3 fragments" \
  "000003.log $vault_at $((vault_end + 1 - vault_at)) leveldb-log 3 complete ok false hashcat 26600" \
  "$(jq -r 'select(.kind == "wallet.metamask-vault") | "\(.path | sub(".*/"; "")) \(.offset) \(.length) \(.wallet_container) \(.fragments) \(.chain) \(.crc) \(.partial // false) \(.crack_format)"' "$w/split.jsonl")"
check_eq "the vault's hashcat line" '$metamask$c2FsdHNhbHRzYWx0$aXZpdml2aXZpdml2aXZpdg==$QQQQ' \
  "$(jq -r 'select(.kind == "wallet.metamask-vault") | .secret[0:56]' "$w/out/split-secrets.jsonl")"
check_eq "BIE2: found, no hashcat line" "bie2 hardware-wallet-xpub none null" \
  "$(jq -r 'select(.kind == "wallet.electrum") | "\(.wallet_format) \(.key_source) \(.hashcat) \(.crack_format)"' "$w/split.jsonl")"
rm -f "$w/out/split.zip"
(cd "$w/split" && zip -q "$w/out/split.zip" 000003.log)
"$wallet_scan" --no-progress "$w/out/split.zip" >"$w/split-zip.jsonl" 2>"$w/split-zip.err"
check_eq "in a zip: the member's container field is kept, the LevelDB one is wallet_container" \
  "$w/out/split.zip leveldb-log" \
  "$(jq -r 'select(.kind == "wallet.metamask-vault") | "\(.container) \(.wallet_container)"' "$w/split-zip.jsonl")"
img=$w/out/split.img
rm -f "$img"
mformat -C -i "$img" -T 8192 -h 2 -s 16 ::
mcopy -i "$img" "$w/split/000003.log" ::/000003.log
mdel -i "$img" ::/000003.log
img_at=$(grep -obUa '{\\"data' "$img" | head -1 | cut -d: -f1)
"$wallet_scan" --no-progress --unallocated "$img" >"$w/split-unalloc.jsonl" 2>"$w/split-unalloc.err"
check_eq "split vault carved from unallocated space" "$img_at $((vault_end + 1 - vault_at)) leveldb-log 3" \
  "$(jq -r 'select(.kind == "wallet.metamask-vault" and .area == "unallocated") | "\(.offset) \(.length) \(.wallet_container) \(.fragments)"' "$w/split-unalloc.jsonl")"

oracle_finish
