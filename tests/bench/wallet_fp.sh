#!/usr/bin/env bash
# wallet_fp.sh [BUILD_DIR] [WORK_DIR]: false positives of wallet-scan (by hand,
# never by ctest). 1 GB of deterministic random bytes must give no hit at all;
# the hits in /usr (software ships test vectors and examples) are counted per
# kind for review.
set -euo pipefail
bin=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/trawl-wallet-fp}
ws=$bin/wallet-scan
mkdir -p "$work"
random=$work/random-1g.bin
if [[ ! -f $random ]]; then
  head -c $((1024 * 1048576)) /dev/zero |
    openssl enc -aes-128-ctr -K 0f0e0d0c0b0a09080706050403020100 -iv 00000000000000000000000000000000 -nosalt >"$random"
fi
echo "== 1 GB random bytes (expect 0 hits)"
"$ws" --no-progress "$random" | jq -r 'select(.type == "hit") | .kind' | sort | uniq -c || true
echo "== /usr (hits per kind)"
"$ws" --no-progress /usr 2>/dev/null | jq -r 'select(.type == "hit") | .kind' | sort | uniq -c | sort -rn || true
