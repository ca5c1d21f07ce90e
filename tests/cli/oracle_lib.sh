# shellcheck shell=bash
# Shared by tests/cli/oracle_*_test.sh (sourced, not run).
#
# Environment (set by ctest): TRAWL_BIN (build dir with the tool binaries), TRAWL_SRC (repo root), TRAWL_WORK
# (scratch dir for one test; created here). Each check is counted; the caller ends with oracle_finish, which
# prints "N passed, M failed" and exits 1 if anything failed. A missing tool binary exits 77 (ctest
# SKIP_RETURN_CODE) so that a partial build does not look like a wrong result.
#
# needs: jq coreutils

: "${TRAWL_BIN:?set TRAWL_BIN to the build dir}" "${TRAWL_SRC:?set TRAWL_SRC to the repo root}"
: "${TRAWL_WORK:?set TRAWL_WORK to a scratch dir}"
export LC_ALL=C TZ=UTC

oracle_name=${0##*/}
oracle_passed=0
oracle_failed=0

mkdir -p "$TRAWL_WORK"
TRAWL_WORK=$(cd "$TRAWL_WORK" && pwd)

# oracle_need TOOL...: exit 77 (skip) when a peer tool is missing.
oracle_need() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "$oracle_name: skipped: $t is not installed" >&2; exit 77; }
  done
}

# oracle_tool NAME: path of a trawl binary, or exit 77 when it has not been built.
oracle_tool() {
  local bin="$TRAWL_BIN/$1"
  [[ -x $bin ]] || { echo "$oracle_name: skipped: $bin not built" >&2; exit 77; }
  printf '%s\n' "$bin"
}

# oracle_evidence: generate the sample evidence once into $TRAWL_WORK/evidence; prints that directory.
oracle_evidence() {
  local ev="$TRAWL_WORK/evidence"
  if [[ ! -f $ev/MANIFEST.txt ]]; then
    "$TRAWL_SRC/scripts/make-sample-evidence" "$ev" >"$TRAWL_WORK/make-sample-evidence.log" 2>&1 || {
      cat "$TRAWL_WORK/make-sample-evidence.log" >&2
      echo "$oracle_name: make-sample-evidence failed" >&2
      exit 2
    }
  fi
  printf '%s\n' "$ev"
}

pass() { oracle_passed=$((oracle_passed + 1)); }
fail() { oracle_failed=$((oracle_failed + 1)); printf 'FAIL: %s\n' "$*"; }

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
  if [[ $2 == "$3" ]]; then pass; else fail "$1: expected '$2', got '$3'"; fi
}

# check_jsonl FILE WHAT: every line of FILE must be one JSON object.
check_jsonl() {
  local bad
  bad=$(jq -R -r 'if ((try fromjson catch null) | type) == "object" then empty else . end' "$1" | head -5)
  if [[ -z $bad ]]; then pass; else fail "$2: lines that are not JSON objects:"; printf '  %s\n' "$bad"; fi
}

# compare_sets WHAT EXPECTED_FILE ACTUAL_FILE: sorted-unique line sets; one check per expected line plus one
# failure per unexpected line. Prints clear diffs.
compare_sets() {
  local what=$1 exp=$2 act=$3 n_exp n_missing n_extra
  sort -u -o "$exp" "$exp"
  sort -u -o "$act" "$act"
  n_exp=$(wc -l <"$exp")
  n_missing=$(comm -23 "$exp" "$act" | wc -l)
  n_extra=$(comm -13 "$exp" "$act" | wc -l)
  oracle_passed=$((oracle_passed + n_exp - n_missing))
  if ((n_missing > 0)); then
    oracle_failed=$((oracle_failed + n_missing))
    echo "FAIL: $what: $n_missing expected but not reported (< expected):"
    comm -23 "$exp" "$act" | sed 's/^/  < /'
  fi
  if ((n_extra > 0)); then
    oracle_failed=$((oracle_failed + n_extra))
    echo "FAIL: $what: $n_extra reported but not expected (> reported):"
    comm -13 "$exp" "$act" | sed 's/^/  > /'
  fi
}

# show_errors FILE WHAT: print the tool's "error" records (diagnostics, not failures by themselves).
show_errors() {
  local n
  n=$(jq -R -c 'fromjson? | select(type == "object" and .type == "error")' "$1" | wc -l)
  if ((n > 0)); then
    echo "note: $2: $n error record(s):"
    jq -R -c 'fromjson? | select(type == "object" and .type == "error")' "$1" | head -10 | sed 's/^/  /'
  fi
}

# run_tool OUT ERR CMD...: run a trawl tool; exit codes 0 and 1 are results, 2 and above are failures.
run_tool() {
  local out=$1 err=$2 rc=0
  shift 2
  "$@" >"$out" 2>"$err" || rc=$?
  if ((rc >= 2)); then
    fail "$* exited $rc; stderr:"
    head -20 "$err" | sed 's/^/  /'
  else
    pass
  fi
}

# oracle_sharded TOOL DIR PLAN_ARGS...: plans into DIR (PLAN_ARGS: --unit-size SIZE or --units N, then the run's
# options and sources), runs every unit there with --out as a job array would, merges to DIR/merged.jsonl, and
# sets oracle_units to the number of units. Not in a subshell, so that its failures count.
oracle_sharded() {
  local tool=$1 d=$2 i
  shift 2
  mkdir -p "$d"
  oracle_units=0
  "$tool" --plan "$@" >"$d/plan.jsonl" || fail "${tool##*/} --plan $1 $2 exited with $?"
  oracle_units=$(wc -l <"$d/plan.jsonl")
  for ((i = 0; i < oracle_units; i++)); do
    "$tool" --unit-file "$d/plan.jsonl" --unit-index "$i" --out "$d" 2>>"$d/units.err"
    case $? in 0 | 1 | 2) ;; *) fail "${tool##*/}: unit $i crashed" ;; esac
  done
  "$tool" --merge "$d" >"$d/merged.jsonl" 2>"$d/merge.err"
}

oracle_finish() {
  echo "$oracle_passed passed, $oracle_failed failed"
  ((oracle_failed == 0))
}
