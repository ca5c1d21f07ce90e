#!/usr/bin/env bash
# wallet_equiv.sh OLD_BUILD NEW_BUILD [WORK_DIR] [SEED]: identical seed-phrase hits
# from two builds of wallet-scan (by hand, never by ctest; for speed-ups of the
# text finders). Generates a corpus of /usr/share text with checksum-valid
# BIP39 phrases of all ten languages (Japanese with the ideographic space),
# written plain, one a line, comma-separated, as numbered lists, JSON
# arrays and JSON strings with escaped separators, glued to prose, next to copies of word lists, plus Electrum v2 and
# Monero 25-word seeds; scans it with both builds and compares every hit
# (kind, offset, length, language, words). Exit 0 only when they agree and the
# corpus gave hits of every planted family.
set -euo pipefail
old=$(cd "$1" && pwd)/wallet-scan
new=$(cd "$2" && pwd)/wallet-scan
work=${3:-${TMPDIR:-/tmp}/trawl-wallet-equiv}
seed=${4:-1}
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
corpus=$work/corpus-$seed.txt

python3 - "$repo" "$corpus" "$seed" <<'PY'
import hashlib, hmac, os, random, re, sys, zlib
repo, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
lists_dir = os.path.join(repo, "..", "shared", "formats", "bip39")
if not os.path.isdir(lists_dir):
    lists_dir = "/work/shared/formats/bip39"
langs = ["english", "japanese", "korean", "spanish", "chinese_simplified", "chinese_traditional",
         "french", "italian", "czech", "portuguese"]
lists = {l: open(os.path.join(lists_dir, l + ".txt"), encoding="utf-8").read().split() for l in langs}
src = open(os.path.join(repo, "lib", "scan", "monero_words.cpp"), encoding="utf-8").read()
# The English list: kEnglish since all twelve lists are compiled in (kWords before).
monero = re.findall(r'"([a-z]+)"', src.split("kEnglish" if "kEnglish" in src else "kWords", 1)[1])[:1626]
assert len(monero) == 1626, len(monero)

def bip39(lang):
    n = rng.choice([16, 20, 24, 28, 32])
    ent = bytes(rng.randrange(256) for _ in range(n))
    cs = n * 8 // 32
    bits = int.from_bytes(ent, "big") << cs | hashlib.sha256(ent).digest()[0] >> (8 - cs)
    count = (n * 8 + cs) // 11
    return [lists[lang][bits >> (11 * (count - 1 - i)) & 2047] for i in range(count)]

def electrum():
    while True:
        words = [rng.choice(lists["english"]) for _ in range(12)]
        h = hmac.new(b"Seed version", " ".join(words).encode(), hashlib.sha512).hexdigest()
        if h.startswith("01") or h.startswith("100"):
            return words

def monero_seed():
    words = [rng.choice(monero) for _ in range(24)]
    crc = zlib.crc32("".join(w[:3] for w in words).encode()) & 0xFFFFFFFF
    return words + [words[crc % 24]]

def render(words, lang):
    style = rng.randrange(8)
    sep = "\u3000" if lang == "japanese" and rng.random() < 0.7 else " "
    if style == 0: return sep.join(words)
    if style == 1: return "\n".join(words)
    if style == 2: return ", ".join(words)
    if style == 3: return " ".join(f"{i + 1}. {w}" for i, w in enumerate(words))
    if style == 4: return "\n".join(f"{i + 1}) {w}" for i, w in enumerate(words))
    if style == 5: return "[" + ", ".join(f'"{w}"' for w in words) + "]"
    if style == 6:  # inside a JSON string: escaped separators
        esc = "\\u3000" if lang == "japanese" else rng.choice(["\\n", "\\t", "\\u0020", " "])
        return '{"mnemonic": "' + esc.join(words) + '\\n"}'
    return rng.choice(["seed: ", "mnemonic ", "recovery phrase: ", "the ", "xx"]) + sep.join(words) + rng.choice([".", "", " end", "\n"])

text = b""
for d in ["/usr/share/common-licenses", "/usr/share/doc"]:
    for root, _, files in sorted(os.walk(d)):
        for f in sorted(files):
            if f == "copyright" or f.endswith(".txt") or f.startswith("README"):
                try:
                    text += open(os.path.join(root, f), "rb").read()
                except OSError:
                    pass
            if len(text) > 6 << 20:
                break
text = text[: 6 << 20].decode("utf-8", "replace")
pieces, at = [], 0
while at < len(text):
    step = rng.randrange(200, 6000)
    pieces.append(text[at:at + step])
    at += step
    kind = rng.randrange(12)
    if kind < 8:
        lang = rng.choice(langs)
        pieces.append(render(bip39(lang), lang))
    elif kind == 8:
        pieces.append(render(electrum(), "english"))
    elif kind == 9:
        pieces.append(render(monero_seed(), "english"))
    elif kind == 10:  # a copy of a word list stretch, then a phrase right after it
        lang = rng.choice(langs)
        start = rng.randrange(0, 2000)
        pieces.append(" ".join(lists[lang][start:start + rng.randrange(5, 40)]) + rng.choice([" ", "\n"]))
        pieces.append(render(bip39(lang), lang))
    else:  # a phrase one word short, and one with a word too many
        lang = rng.choice(langs)
        w = bip39(lang)
        pieces.append(" ".join(w[:-1]) + "\n" + " ".join(w + [rng.choice(lists[lang])]))
    pieces.append(rng.choice([" ", "\n", "\n\n", "", ". "]))
open(out, "wb").write("".join(pieces).encode("utf-8"))
PY

hits() {
  "$1" --no-progress --reveal-secrets "$corpus" 2>/dev/null |
    jq -c 'select(.type == "hit") | [.kind, .offset, .length, .language, .words, .encoding]' | sort
}
hits "$old" >"$work/old-$seed.hits"
hits "$new" >"$work/new-$seed.hits"
echo "corpus $(stat -c %s "$corpus") bytes; hits old $(wc -l <"$work/old-$seed.hits"), new $(wc -l <"$work/new-$seed.hits")"
jq -r '.[0]' "$work/new-$seed.hits" | sort | uniq -c
for kind in bip39.phrase electrum.seed monero.seed; do
  grep -q "\"$kind\"" "$work/new-$seed.hits" || { echo "no $kind hit: corpus or scanner broken" >&2; exit 1; }
done
if ! diff "$work/old-$seed.hits" "$work/new-$seed.hits" >"$work/diff-$seed.txt"; then
  echo "DIFFERENT hits (see $work/diff-$seed.txt):" >&2
  head -20 "$work/diff-$seed.txt" >&2
  exit 1
fi
echo "identical"
