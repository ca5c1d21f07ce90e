# shellcheck shell=bash
# Shared by tests/cli/{slurm,parallel}_test.sh (sourced after oracle_lib.sh): which tool the engines run.
#
# engine_pick_tool sets engine_tool (the binary given to trawl-sbatch / trawl-parallel), engine_plan_args (its
# options before the sources), engine_sources (the sample evidence to scan) and engine_run (the unsharded run
# of the same tool, options and sources, whose output the merge must equal). wallet-scan is the tool: it reads
# the whole sample image as byte ranges, so units split it and planted values can straddle unit boundaries.
#
# While wallet-scan does not offer the work-unit CLI (--plan, --unit-file, --merge), the stand-in
# tests/cli/unit_cli_standin provides it around the real binary (one unit per source); the engine scripts are
# exercised the same way, and the test says so.
engine_pick_tool() {
  local ws
  ws=$(oracle_tool wallet-scan) || exit $?
  engine_ev=$(oracle_evidence) || exit $?
  if "$ws" --help 2>&1 | grep -q -- '--plan'; then
    engine_tool=$ws
    engine_plan_args=(--no-progress --raw --unit-size 16M)
    engine_sources=("$engine_ev/sample.img")
    engine_run() { "$engine_tool" --no-progress --raw "$@"; }
  else
    echo "note: $ws has no --plan yet: the engines run the stand-in tests/cli/unit_cli_standin around it"
    export STANDIN_TOOL=$ws
    engine_tool=$TRAWL_SRC/tests/cli/unit_cli_standin
    engine_plan_args=()
    engine_sources=("$engine_ev/sample.img" "$engine_ev/sample.E01" "$engine_ev/tree/docs" "$engine_ev/tree/photos")
    engine_run() { "$engine_tool" "$@"; }
  fi
}
