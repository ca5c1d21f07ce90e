#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ with clang and runs each one.
# Usage: tests/fuzz/run-fuzzers.sh SECONDS [FUZZER...]
# Findings (crash-*, timeout-*, oom-*) land in build-fuzz/findings/<fuzzer>/;
# the growing corpus in build-fuzz/corpus/<fuzzer>/. tests/data seeds every
# fuzzer when it exists. Inputs are capped at TRAWL_FUZZ_MAX_LEN bytes
# (default 65536). Exit status: 0 when no fuzzer found anything.
set -euo pipefail

seconds=${1:?usage: run-fuzzers.sh SECONDS [FUZZER...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${TRAWL_FUZZ_BUILD:-$root/build-fuzz}

CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTRAWL_BUILD_FUZZERS=ON -DTRAWL_BUILD_TESTS=OFF \
  -DTRAWL_SANITIZE="fuzzer-no-link;address;undefined" >/dev/null

if [ $# -gt 0 ]; then
  fuzzers=("$@")
else
  fuzzers=()
  for source in "$root"/tests/fuzz/*_fuzz.cpp; do
    fuzzers+=("$(basename "$source" .cpp)")
  done
fi
cmake --build "$build" -j"$(nproc)" --target "${fuzzers[@]}"

# UBSan reports are findings too, not warnings.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

status=0
for fuzzer in "${fuzzers[@]}"; do
  corpus=$build/corpus/$fuzzer
  findings=$build/findings/$fuzzer
  mkdir -p "$corpus" "$findings"
  seeds=()
  [ -d "$root/tests/data" ] && seeds+=("$root/tests/data")
  [ -d "$root/tests/fuzz/corpus/$fuzzer" ] && seeds+=("$root/tests/fuzz/corpus/$fuzzer")
  dict=()
  [ -f "$root/tests/fuzz/$fuzzer.dict" ] && dict=("-dict=$root/tests/fuzz/$fuzzer.dict")
  echo "== $fuzzer: ${seconds}s"
  if ! "$build/tests/fuzz/$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len="${TRAWL_FUZZ_MAX_LEN:-65536}" \
      -artifact_prefix="$findings/" -print_final_stats=1 "${dict[@]}" "$corpus" "${seeds[@]}"; then
    echo "== $fuzzer: FOUND A PROBLEM, see $findings" >&2
    status=1
  fi
done
exit $status
