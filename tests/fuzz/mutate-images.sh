#!/usr/bin/env bash
# mutate-images.sh BUILD_DIR [WORK_DIR]: the disk-image counterpart of the libFuzzer targets. libtsk and libewf
# are not instrumented, so instead of coverage-guided fuzzing this mutates whole images and runs the real tools:
# each image of scripts/make-test-fixtures' fs-zoo (plus gpt.img) gets SEEDS copies (default 60) with 1 to 256
# random bytes changed, mostly in the first 4 KiB to 1 MiB where the file system's metadata lives; every tool
# runs on each with --unallocated (wallet-scan also --raw) under `timeout TIMEOUT` (default 30 s). A run that is
# killed by a signal or by the timeout, or exits above 2, is a finding: the mutated image is kept in WORK_DIR as
# keep-TOOL-SEED-IMAGE and listed in WORK_DIR/findings.txt. Run by hand; not a ctest (minutes, and libtsk's own
# slowness on some inputs is not ours to fail CI with). Deterministic: the same SEED mutates the same bytes.
#
# Found with it (2026-11-29): an ext2 inode size of 576 PB (every tool hung on sparse zeros), wallet-scan cutting
# such a file into billions of windows, an exFAT boot sector claiming 3.6e18 sectors (the unallocated block walk);
# each now has a fixture in make-test-fixtures and a check in tests/cli/bad_input_test.sh. Later the same day:
# an ext2 directory claiming 3.9 GB (libtsk mapped its pointers for 51 s, then again in its orphan search:
# huge-dir.img), and with that image's pointer blocks a file whose map fanned out into them (minutes; large
# ext2/3 block maps are now read by trawl, tests/cli/ext_block_map_test.sh).
#
# Environment: SEEDS (60), FIRST_SEED (0), TIMEOUT (30), IMAGES (paths; default: the fixtures named above,
# made in WORK_DIR/fixtures when missing), TOOLS ("hash-match meta-extract wallet-scan stl-detect"), ARGS (the
# tools' options instead of "--no-progress --unallocated"; e.g. "--plan --units 4" for plans, which list ext2/3/4
# with trawl's own directory reader).
# needs: python3 coreutils (+ make-test-fixtures' tools)
set -uo pipefail

[[ $# -ge 1 ]] || { echo "usage: ${0##*/} BUILD_DIR [WORK_DIR]" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
work=${2:-/tmp/trawl-mutate-images}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$work" && work=$(cd "$work" && pwd)
seeds=${SEEDS:-60} first=${FIRST_SEED:-0} limit=${TIMEOUT:-30}
read -r -a tools <<<"${TOOLS:-hash-match meta-extract wallet-scan stl-detect}"

if [[ -n ${IMAGES:-} ]]; then
  read -r -a images <<<"$IMAGES"
else
  fx=$work/fixtures
  [[ -f $fx/gpt.img ]] || "$repo/scripts/make-test-fixtures" "$fx" >"$work/make-test-fixtures.log" 2>&1 ||
    { echo "${0##*/}: make-test-fixtures failed, see $work/make-test-fixtures.log" >&2; exit 2; }
  images=("$fx"/fs-zoo/*.img "$fx"/fs-zoo/*.iso "$fx/gpt.img")
fi

findings=$work/findings.txt
: >"$findings"
runs=0
for img in "${images[@]}"; do
  name=${img##*/}
  for ((seed = first; seed < first + seeds; seed++)); do
    mutated=$work/mutated-$name
    cp "$img" "$mutated"
    python3 - "$mutated" "$seed" <<'PY'
import os, random, sys
path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed * 7919 + len(os.path.basename(path)))
size = os.path.getsize(path)
with open(path, "r+b") as f:
    for _ in range(rng.choice([1, 4, 16, 64, 256])):
        reach = min(size, rng.choice([4096, 65536, 1 << 20, size]))
        f.seek(rng.randrange(reach))
        f.write(bytes([rng.randrange(256)]))
PY
    for tool in "${tools[@]}"; do
      read -r -a args <<<"${ARGS:---no-progress --unallocated}"
      [[ $tool == wallet-scan ]] && args+=(--raw)
      rc=0
      timeout "$limit" "$build/$tool" "${args[@]}" "$mutated" >/dev/null 2>"$work/stderr.txt" || rc=$?
      runs=$((runs + 1))
      if ((rc == 126 || rc == 127)); then  # the tool could not be started (being rebuilt?): not a finding
        echo "${0##*/}: cannot run $build/$tool (exit $rc): $(tail -1 "$work/stderr.txt")" >&2
        exit 2
      fi
      if ((rc > 2)); then
        why="exit $rc"
        ((rc == 124)) && why="still running after ${limit} s"
        ((rc > 128)) && why="killed by signal $((rc - 128))"
        cp "$mutated" "$work/keep-$tool-$seed-$name"
        printf '%s %s seed %d: %s; %s\n' "$tool" "$name" "$seed" "$why" "$(tail -1 "$work/stderr.txt" | cut -c1-160)" \
          | tee -a "$findings"
      fi
    done
  done
done
rm -f "$work"/mutated-*
echo "${0##*/}: $runs runs, $(wc -l <"$findings") finding(s) in $findings"
[[ ! -s $findings ]]
