#!/usr/bin/env bash
# wallet_bench.sh [BUILD_DIR] [WORK_DIR] [MB]: wallet-scan throughput on random
# bytes and on concatenated /usr/share text (CPU time of one core, page cache warm),
# against `cat > /dev/null` and a
# regex-only `grep -c -E` for P2PKH-shaped runs, measured in the same run (by
# hand, never by ctest). Goal (issue 5): >= 1 GB/s per core on both inputs.
#
# Last figures (MB per CPU-second, best of 2; 2 cores shared with other builds,
# load average ~15, AMD EPYC 2.1 GHz): `tests/bench/wallet_bench.sh build /tmp/wb 1024`
#   before the wt/wspeed prefilters:  random   49, text   42   (cat 3923/6360, grep -E 64/229)
#   after, two runs:                  random  720, text  242   (cat 4079/5988, grep -E 74/228)
#                                     random 1247, text  279   (cat 6781/8462, grep -E 86/234)
# wt/wtext (seed finders sample list words, long word-byte stretches found 64
# bytes at a time), same script, load average ~7-9, base = the branch point:
#   base:  random 1022, text 201   (cat 10138/7816, grep -E 71/220)  01:00 UTC
#   after: random 1002, text 399   (cat 10138/8462, grep -E 78/224)  01:01 UTC
#   after: random  686, text 273   (cat 6360/5361,  grep -E 50/142)  heavier load;
#   base:  random  664, text 188   (cat 5657/5657,  grep -E 54/164)  right after it
# and 5 interleaved runs each, medians (CPU-s of 1024 MB): text base 5.78 -> 3.22
# (177 -> 318 MB/s, best 206 -> 416), random 1.09 -> 1.11 (939 -> 923, unchanged).
# Text is still short of 1 GB/s: about eight SIMD passes over every page (alnum,
# BIP39 and seed stretches, descriptors, UTF-16, JSON, wallet-file anchors, the
# page copy) plus the per-sample word look-ups; one fused classification pass is next.
# Each run also pays ~0.08 CPU-s of start-up (word-list tables, dynamic linking).
# wt/wtext2 (main after wt/wtext, load average ~2-4, 01:44 UTC): random 1002, text 467
#   (cat 7816/7816, grep -E 81/246); 5 interleaved runs on text, medians 2.01-2.10 CPU-s.
#   Profile of text (perf, 256 MB): BIP39 + seed sampling and word look-ups ~33%, the two
#   47-byte stretch passes ~14%, 14-byte alnum pass 5%, copies 5-7% (the joined look-behind
#   window copies page + the 1 MiB wallet-file margin, which text never cuts short; a
#   scan-margin-only build measured 5% faster), read(2) ~10%, JSON-escaped rescans ~10%
#   (text without backslashes). Tried and dropped as neutral (medians within 1%, identical
#   hits): one streamed mask pass listing all 47-byte stretches instead of restarting the
#   search after each; AVX2 token bounds for the BIP39 samples; a 32 KiB shape filter;
#   pages of 2 and 4 MiB (256 KiB: 10% slower, 64 KiB: 55% slower, from the margin copies).
#   What is left is spread thin: next, one sampling pass shared by BIP39, Electrum and Monero
#   (one union look-up per sample), and a look-behind that needs no copy of page + margin.
#   tests/bench/wallet_equiv.sh OLD NEW compares the hits of two builds on planted seeds.
# wt/wtext3 (main after wt/wtext2; load average 6-9 all along, 2 cores shared, 04:26-04:31 UTC):
#   same script, base = the branch point: random  664, text 431 (cat 4248/11252, grep -E 84/234)
#                                   after: random 1043, text 504 (cat 4633/10138, grep -E 80/233)
#   5 interleaved runs, medians (CPU-s of 1024 MB): text 2.33 -> 2.09 (440 -> 490 MB/s, best
#   451 -> 531), random (3 runs) 1.25 -> 0.94 (819 -> 1089). By step (text, same medians):
#   1. one stretch pass over the BIP39 phrase bytes for BIP39 and the Electrum/Monero finder
#      (seed bytes are phrase bytes: sampling the wider stretches finds the same regions) and
#   2. the page scanned in place behind a Chunker look-behind (ChunkerOptions::look_behind,
#      WalletPageScanner::scan(behind, data, ...)) instead of copying look-behind + page + the
#      1 MiB margin: together 2.33 -> 2.07, memmove 6.5% -> 1.3% of the profile;
#   then one sampling pass (phrase_samples: both finders on one fixed 47-byte grid, one look-up
#      per token in a table of every list's ASCII words, the run around each point walked once
#      for both; each finder reads only its kept points, ~15% of them), the UTF-16 pass gated by
#      one memchr for a zero byte, the JSON gate cut to the bytes where escapes matter, SWAR token
#      bounds: neutral end to end (2.07 / 2.12 / 2.08; in a microbenchmark the seed finders' share
#      fell from ~0.06 to ~0.04 s per 32 MB, but phrase_samples itself is 15% of the profile:
#      a branch per token boundary and look-ups that miss L1).
#   Profile of text now (perf, 256 MB): phrase_samples 15%, kernel read ~18%, phrase stretches
#   6%, alnum stretches 5%, finders at kept points ~13%, JSON-escaped rescans ~5% (77 escapes per
#   MB of this text, each rescanned with 1.2 KiB around it), Chunker roll of the 1 MiB margin 3%.
#   Next: one SIMD classification pass over the page giving the alnum and phrase stretches and
#   the token bounds (letter/separator bit masks) that phrase_samples now finds byte by byte.
#   Tried, neutral: pages of 2 MiB (in place); a one-token gate without the walk (slower).
# After the merge (631aec5), load 1.7-2.3, two runs: random 1149 / 1162, text 538 / 553
#   (cat 5094 / 5094 and 7816 / 7262, grep -E 86 / 86 and 255 / 254).
# wt/wtext4 (main b3f5cab; load average 2-4, 06:15-06:55 UTC). Hypothesis: page + the 1 MiB wallet-file
#   margin (2 MiB, L2 is 1 MiB) keeps the buffer out of cache. Throw-away ceiling (wallet files ignored, 1 GB
#   text, 7-9 interleaved runs, perf stat task-clock medians): base 1912 / 1841 ms; pages of 1 MiB with the
#   scan margin only 1810 (-5%); 256 KiB 1633 (-15%); 128 KiB 1669; with a 66 KiB margin at 256 KiB 1701-1757
#   (-8%), at 512 KiB 1795. Built: pages of 256 KiB + a margin of max(wallet_scan_margin(), 66 KiB: what the
#   new wallet_files_possible() gate reads), and the 1 MiB wallet-file window only for pages where the gate
#   sees a signature or member name (Chunker::extend_to reads ahead; nothing read twice; the item's first MiB
#   still one wallet-file page for LevelDB). Same script, base = the branch point, runs alternated:
#     base: random 1278, text 506 (cat 8462/9225, grep -E 80/244)   new: random 1363, text 562 (cat 7816/10138)
#     base: random 1345, text 437 (cat 9225/7816, grep -E 85/236)   new: random 1294, text 601 (cat 7816/9225)
#   Interleaved medians on text (1024 MB, ms task-clock): 2060 -> 1775 (7 runs), 1858 -> 1815 (7), 1945 -> 1846
#   (11); random 855 -> 810, 889 -> 863. So 5-14% on text depending on the neighbours, random unchanged or a
#   little better; memmove 2.6% -> 0.7% of the profile. Identical hits (tests/bench/wallet_equiv.sh seeds 1, 2;
#   wallet fixtures planted across 256 KiB / 1 MiB boundaries in 8 MiB of random bytes and of text; zip and tar
#   members; the sample image with --raw --unallocated, and its units at 512K/1M/3M/4M).
#   Measured, not done: the JSON-escaped rescans cost ~12% of text CPU (all off: 792 -> 696 ms median on 256
#   MB); ~120 escapes per MB here, 60% of them \n (separators for phrases), so skipping by escape kind gains
#   little; an exact gate needs the phrase-word test around each escape. Kernel read copy is now ~9%,
#   phrase_samples 16%, the two stretch passes 12%.
# wt/wtext5 (main 47cc969; load average 0.7-4.5, 07:05-07:35 UTC). JSON-escaped rescans only around escapes
#   that may lie in a hit (lib/scan/json_escape_gate.hpp, read escaped, never decoded): `\u` always; `\/`, `\\` when
#   the run of URI/descriptor bytes around them holds `:` or `#`; `\n \t \r \f \"` when the tokens after and
#   before them (past separators and list numbers) are list words or unsettled (`\u`, non-ASCII); `\b` never.
#   Clusters chain only those escapes. Let through: bench text 6% of its escapes (2k of 32k in 256 MB), man pages
#   0.2% (1k of 627k in 30 MB, mostly `\f` of `\fB`). Interleaved medians, perf stat task-clock (ms), base -> new:
#     text 1 GB (7 runs) 1648 -> 1504 (621 -> 681 MB/CPU-s); text256 (7) 653 -> 603; random 1 GB (3) 764 -> 720;
#     man pages (`zcat /usr/share/man/man*/*.gz`, 121 MiB, ~16k escapes per MB; 7) 1196 -> 548, then the token
#     after the escape read first (roff's "\fBword" settles in one look-up) 394 -> 378 (lighter load);
#     83 MB of /usr JSON files (1 run) 684 -> 637.
#   Same script, base = the branch point, run right after each other:
#     base: random 1440, text 620 (cat 11252/10138, grep -E 86/257)
#     new:  random 1460, text 700 (cat 11252/10138, grep -E 87/259)
#   Same hits (byte-identical output): wallet_equiv.sh seeds 1, 2, 3; the man-page, JSON and bench corpora;
#   tests/data; the sample image plain and with --raw --unallocated. Exactness of the gate:
#   tests/scan/json_escape_gate_test.cpp compares the gate with WalletScanOptions::decode_every_escape on 160
#   generated documents (escaped seeds in 6 languages and 4 layouts, \u-escaped addresses, URIs and descriptors
#   with `\/`, roff and prose escapes between them); making the `:`/`#` rule, `\u`, `\n` or `\"` stricter fails it.
#   Profile of text now: phrase_samples 16%, the 47- and 14-byte stretch passes 15%, BIP39 + seed finders 13%,
#   kernel read copy 8%; JSON-escaped work below 1%. Man pages: the gate itself is ~25% (a memchr and two token
#   look-ups per backslash). Not done: the SIMD classification pass (alnum / phrase stretches and token bounds).
# main after wt/wtext4 and wt/wtext5 merged (07:38-07:40 UTC, load 1.2-1.5, nothing else running), two runs:
#   random 1526 / 1440, text 609 / 601 MB per CPU-second (cat 11252 / 10138-11252, grep -E 87 / 60, 257 / 260).
# wt/wtext6 (main 5683307; load average 2-4 from other builds, 08:40-09:35 UTC). Profile of text (256 MB): phrase_samples
#   17%, 47-byte stretches 7% + 14-byte alnum spans 5% + span ends 4%, BIP39 finder 6% + its look-ups 5%, seed finder
#   5.5%, descriptors and run handling 4%, wallet-file pair gate 3%, kernel ~15% (read copy and readahead: the file
#   was partly evicted by neighbours). Ceilings from a throw-away build with passes switched off (text256, medians
#   of 5, ms): all 494; no phrase finders 233 (stretches 82, sampling 83, finders at kept points 96); no alnum
#   spans 404; nothing but read + wallet-file gate 135. Microbenchmark per 64 MB (page copied first, min of runs):
#   stretches 12 ms, sampling 14 ms, finders 15 ms; the ")#" descriptor loop 3.0 ms (memchr for '#': 2.4, not done).
#   Built: the sampling pass looks tokens up in a 64 KiB table of 14-bit hash prints (was 256 KiB of exact keys)
#   keyed by a hash of the letters read 8 bytes at a time (was packed letter by letter); a print collision only
#   keeps a point. Sampling 13.6 -> 12.6 ms per 64 MB; end to end more (the smaller table leaves the page in cache):
#   interleaved task-clock medians, text256 (11) 519 -> 503 ms, text 1 GB (7) 2083 -> 1910 (q1 1866 -> 1720),
#   random 1 GB (3) 847 -> 836. Same script, run right after each other, load 3.7-4.0:
#     base: random 1033, text 377 (cat 10138/5361, grep -E 63/131)
#     new:  random  983, text 485 (cat 9225/5988,  grep -E 77/157)
#   Then the look-up inlined in the pass: sampling 62 -> 53 ms for 5 passes over 64 MB (min of 8). Both steps,
#   base = the branch point, load average 4-5.7 (09:40-09:45 UTC): text 1 GB medians 1813 -> 1767 (7 runs) and
#   1854 -> 1782 ms (9; 565 -> 588 MB/CPU-s), man pages (60 MB, 5) 276 -> 269. Same script, right after each other:
#     new:  random 1232, text 568 (cat 11252/6360, grep -E 78/191)
#     base: random 1175, text 494 (cat 10138/5657, grep -E 76/234)
#   Same hits: wallet_equiv.sh seeds 1-3; tests/data, the sample image (--raw --unallocated, and the E01), 60 MB
#   of man pages, the 1 GB bench text and random bytes byte-identical.
#   Measured neutral, dropped: (1) one AVX2 pass classifying alnum and phrase bytes together into bit masks (the
#   high-nibble shuffles shared) with the 14- and 47-byte spans read off the bits (doubling per word, a quarter /
#   nibble prefilter, four words at a time where no long span starts): the same 15.6% of the profile as the two
#   searches (classification 3%, reading spans 12.5%), text256 641 vs 629 ms; text's bits are dense with short
#   spans, and reading them costs what classifying again did. (2) Token shapes judged by the sampling walk (list
#   numbers and longer numbers as each finder reads them, words of 13+ letters as breakers, other ASCII shapes as
#   BIP39 breakers): kept BIP39 points 82k -> 15k per 64 MB, seed points 84k -> 62k, but the finders saved only
#   2-3 ms per 64 MB and the walk cost 2-3 ms more (byte loops for token bounds): their time is in the few points
#   inside real runs of list words, not in the many dropped ones. Next: the finders' WordIndex tables (shape and
#   Bloom filters 128 KiB each, 512 KiB of slots) may evict the page as the sampling table did; AVX-512 VBMI
#   (present here) would make a fused classification pass cheap enough to pay.
# main after wt/wtext6 (988a3ce + start-up changes), quiet (load 1.3-1.6, 10:16-10:20 UTC), two runs of
#   `tests/bench/wallet_bench.sh build /tmp/wb 1024`: random 1262 / 1440, text 574 / 700 MB per CPU-second
#   (cat 11252 / 11252 and 8462 / 10138, grep -E 57 / 77 and 150 / 261). Interleaved task-clock on the 1 GB text,
#   -j1, against 5683307 (the session before): medians 1468 -> 1393 ms (5 runs).
#   Neutral, dropped: the finders' WordIndex slots at 4 bytes (16-bit hash print + word number; 256 KiB instead
#   of 512 KiB, so more of the page stays in L2): text256 task-clock medians of 15 interleaved runs 537 -> 558 ms.
# Seed phrases in UTF-16 text with letters beyond ASCII (2026-11-29, 1aa9a3b and the next commit): `perf stat -r 3`
#   medians of 3 interleaved rounds against a2dfbd4: text256 252 vs 250 ms, random 256 MB 92 vs 96 ms, and 75 MB of
#   the ru/ja/zh .mo text converted to UTF-16LE (`iconv -c -t UTF-16LE`: the worst case, all of it such text)
#   150 -> 308 ms: its regions are found, decoded and read by the phrase finders a second time. The pass runs only
#   where the window holds ASCII UTF-16 text or the stream starts with a byte order mark; a first version anchored
#   at every zero byte cost random bytes +29% and UTF-8 .mo files +62% and was not kept.
# Monero seeds in all twelve lists (2026-11-29, 250c869..5b3e082; another engineer's builds on the machine, load
#   1.5-2.5): `perf stat -r 3 -e task-clock wallet-scan --no-progress -j1 FILE`, 5 interleaved rounds against
#   9edf600, medians: text256 298 -> 327 ms (+10%); 190 MB of Russian, Japanese and Chinese .mo files
#   (/usr/share/locale/{ru,ja,zh_CN}, 41% bytes >= 0x80, ten copies) 174 -> 299 ms: every sample point on a
#   UTF-8 word goes to the new finder. The Russian/Japanese/Chinese finder alone (250c869) cost nothing on
#   text256. Tried for the rest: a separate walk for the Monero points instead of a third run in the shared
#   walk, breaker rules for glued tokens, numbers and sentence marks (830k -> 419k kept points on text256),
#   bigger filters (64 -> 256 Kbit) and tables: within noise except the kept-point cut. Same hits as 9edf600 on
#   text256 and the .mo files (byte-identical output); no seed on /usr/share, Chromium's locale packs or
#   /usr/share/locale.
# wt/wtext7 (main 9edf600; load 1-2, 11:07-11:45 UTC; AVX-512 F/BW/VBMI/VPOPCNTDQ/BITALG here, no VBMI2). Profile of text
#   (256 MB) at the start: phrase_samples 13% + its look-up 4%, BIP39 finder 11% + look-ups 3%, seed finder 10%, the
#   47- and 14-byte span searches 17% (+ span ends 4%), scan_plain 7% (the SSE2 ")#" loop and the Solana keyword
#   search), wallet-file pair gate 4%, SHA-256 of base58check candidates ~4% (SHA256() fetched the algorithm behind a
#   lock on every call), base58 decoding 2%, kernel read 5-10%. Built, each measured by interleaved perf stat
#   task-clock medians on text256 (ms, 7-11 runs each; base -> step):
#     ByteSpanSet::long_spans: every long span of a window in one AVX-512 VBMI pass (each 64 bytes looked up once in
#       two 128-entry tables, 8 words of member bits doubled at a time in vectors, no restart after a span) 288 -> 255;
#     ")#" (new byte_pair) and the wallet-file anchor pairs 64 positions at a time (AVX-512 BW) 259 -> 250;
#     SHA-256 on a per-thread EVP context of an algorithm fetched once 260 -> 243;
#     phrase_samples: a point in 13+ ASCII letters in a row dropped for both finders (no list word holds such a run)
#       245 -> 239 (kept BIP39 points per 64 MB 99k -> 82k);
#     long_spans reads only the lanes that start or close a span 234 -> 228; Solana keywords compared only where one
#       may start 232 -> 229; base58 runs too short for a 21-byte payload + checksum not decoded
#       (base58_decoded_size_bound) 221 -> 215; alphanumeric runs and phrase stretches in one pass (long_spans_of_two)
#       223 -> 218; the sampling look-up inlined again (it had become a call) 215 -> 212; stretch lists reserved.
#   All together, base = the branch point, interleaved: text256 (11) 313 -> 219 ms (818 -> 1169 MB/CPU-s), text 1 GB
#   (7) 1224 -> 854 (837 -> 1199), random 1 GB (5) 550 -> 359 (1860 -> 2852). With the AVX-512 dispatch switched off
#   (the AVX2/SSE2 paths, as on CI): text256 (7) 286 -> 251, output identical. Same script, run right after each other:
#     new:  random 3002, text 1278 (cat 12641/10138, grep -E 109/296)
#     base: random 2043, text  889 (cat 12641/10138, grep -E 109/313)   (a quieter machine than the runs above)
#   Same hits (byte-identical): wallet_equiv.sh seeds 1-3, tests/data, the 1 GB bench text and random bytes, 3000
#   planted base58check addresses / WIF / XRP / Zcash with 0-7 leading zero bytes.
#   Measured, dropped: the first long_spans (scalar 128-bit doubling word by word, stack spills): 283 vs 284;
#   prefetching grid points ahead in phrase_samples (248 vs 246) or in both finders (unchanged in a microbenchmark):
#   their time is branch misses, not cache misses; dropping points whose separators run to the stretch end (kept
#   82k -> 68k per 64 MB, finders unchanged, 238 vs 238); judging tokens that start with a digit, '.' or ':' (BIP39 by
#   shape and list numbers, seeds by the letters after them; kept 82k -> 39k / 83k -> 33k, finders -2.3 ms per 64 MB,
#   sampling +1.5 ms): 215 vs 218, as wt/wtext6 found for token shapes.
#   Rebased on main e4aac90 (Monero seeds in all twelve lists: text256 ~313 -> ~331 ms on main), the 13-letter rule
#   kept for the BIP39 and seed finders only (Monero's other lists have words of 13-16 letters), and token_at
#   inlined (forced; it had become a call: sampling 19.4 -> 18.5 ms per 64 MB). Against e4aac90, interleaved (load
#   1.4-3): text256 (11) 331 -> 243 ms (773 -> 1053 MB/CPU-s), text 1 GB (7) 1295 -> 948 (791 -> 1080), random
#   1 GB (5) 541 -> 341 (1893 -> 3003), 190 MB of ru/ja/zh_CN .mo files (5) 281 -> 234. Same script, right after
#   each other:
#     new:  random 3002, text 1033 (cat 14422/10138, grep -E 108/299)
#     base: random 2043, text  805 (cat 14422/10138, grep -E 108/301)
#   Same hits against e4aac90: wallet_equiv.sh seeds 1-3, tests/data, the bench text and random bytes, the .mo
#   files, the planted addresses, 2000 planted Dutch / Portuguese / Esperanto Monero seeds each holding a word of
#   13-16 letters (8 MB).
#   Profile of text before the rebase: phrase_samples 16%, BIP39 finder 12% + look-ups 5%, seed finder 9%, kernel read 15% (copy 10%,
#   page-cache look-ups 4%), span pass 10%, wallet-file gate 4%, memchr (JSON escapes, UTF-16 zeros) 3%. Next: the
#   first token at each grid point from one 64-byte classification around it (letter / separator masks, tzcnt for
#   bounds: branch misses are the sampling's cost), separator bits from the span pass for the finders' token bounds,
#   mmap instead of read(2) for regular files (the copy).
set -euo pipefail
bin=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/trawl-wallet-bench}
mb=${3:-2048}
ws=$bin/wallet-scan
mkdir -p "$work"
random=$work/random.bin
text=$work/text.txt

if [[ ! -f $random || $(stat -c %s "$random") -lt $((mb * 1048576)) ]]; then
  echo "making $mb MB of random bytes ..." >&2
  head -c $((mb * 1048576)) /dev/zero |
    openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f -iv 00000000000000000000000000000000 -nosalt >"$random"
fi
if [[ ! -f $text || $(stat -c %s "$text") -lt $((mb * 1048576)) ]]; then
  echo "making $mb MB of /usr/share text ..." >&2
  : >"$text"
  while [[ $(stat -c %s "$text") -lt $((mb * 1048576)) ]]; do
    find /usr/share/doc /usr/share/man /usr/share/common-licenses /usr/share/perl* -type f \
      \( -name '*.txt' -o -name 'copyright' -o -name '*.pm' -o -name '*.pod' -o -name 'README*' -o -name '*.html' \) \
      -size -4M -print0 2>/dev/null | xargs -0 cat 2>/dev/null >>"$text" || true
  done
  truncate -s $((mb * 1048576)) "$text"
fi

# CPU seconds (user + system) of one run: on a shared machine wall time measures the neighbours.
seconds() { /usr/bin/time -f '%U + %S' -o "$work/time" "$@" >/dev/null 2>&1 || true; echo "scale=3; $(cat "$work/time" | tail -1) + 0.001" | bc -l; }
best_of() { local best=999999 t; for _ in 1 2; do t=$(seconds "$@"); best=$(echo "if ($t < $best) $t else $best" | bc -l); done; echo "$best"; }
rate() { echo "scale=0; $1 / 1048576 / $2" | bc -l; }

echo "# trawl wallet-scan benchmark, $(date -u +%FT%TZ), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# input            MB  wallet-scan MB/s   cat MB/s   grep -E MB/s"
for f in "$random" "$text"; do
  size=$(stat -c %s "$f")
  t_ws=$(best_of "$ws" --no-progress "$f")
  t_cat=$(best_of cat "$f")
  # GNU grep stops at the first match when its output is /dev/null: count into a file.
  t_grep=$(best_of bash -c 'grep -c -E "[13][a-km-zA-HJ-NP-Z1-9]{25,34}" "$0" >"$1"' "$f" "$work/grep.out")
  printf '%-16s %5d  %16s %10s %14s\n' "$(basename "$f")" $((size / 1048576)) \
    "$(rate "$size" "$t_ws")" "$(rate "$size" "$t_cat")" "$(rate "$size" "$t_grep")"
done
