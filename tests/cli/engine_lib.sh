# shellcheck shell=bash
# Shared by tests/cli/{slurm,parallel}_test.sh (sourced after oracle_lib.sh): which tool the engines run.
#
# engine_pick_tool sets engine_tool (the binary given to trawl-sbatch / trawl-parallel), engine_plan_args (its
# options before the sources), engine_sources (the sample evidence) and engine_run (the unsharded run of the same
# tool, options and sources, whose output the merge must equal byte for byte). wallet-scan --raw with 16 MiB units
# cuts the 64 MiB sample image into its two volumes and four byte windows read with a margin.
engine_pick_tool() {
  local ws ev
  ws=$(oracle_tool wallet-scan) || exit $?
  ev=$(oracle_evidence) || exit $?
  if ! "$ws" --help 2>&1 | grep -q -- '--plan'; then
    echo "FAIL: $ws has no work-unit commands (--plan, --unit-file, --merge): nothing for the engines to run"
    exit 1
  fi
  engine_tool=$ws
  engine_plan_args=(--no-progress --raw --unit-size 16M)
  engine_sources=("$ev/sample.img")
  engine_run() { "$engine_tool" --no-progress --raw "$@"; }
}
