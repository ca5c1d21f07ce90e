#!/usr/bin/env bash
# A real Slurm engine: starts a single-node cluster on this machine (munged, slurmctld, slurmd from Debian's
# slurm-wlm and munge, no systemd, everything under the test's scratch dir), runs wallet-scan over the sample
# evidence as a job array through scripts/slurm/trawl-sbatch with a dependent merge job, and compares the merged
# records with the unsharded run byte for byte; a resume after a lost unit reruns only that unit; a failing task
# still gets the merge job (afterany), which names it; the array starts at once through the prompt-start
# allocation, or from the submit host when salloc is refused. The daemons are always stopped. Slurm must be able to
# start: not root or no packages is a FAILURE here, not a skip (CI runs as root with the packages from
# Makefile.dist).
# needs: slurm-wlm munge jq coreutils (+ make-sample-evidence's tools)
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/engine_lib.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: the Slurm engine test must run as root (it starts slurmctld, slurmd and munged); uid is $(id -u)"
  exit 1
fi
for t in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$t" >/dev/null || { echo "FAIL: $t is missing: apt-get install slurm-wlm munge (Makefile.dist deps)"; exit 1; }
done
oracle_need jq
engine_pick_tool
w=$TRAWL_WORK
ev=$(oracle_evidence) || exit $?
cluster=$w/cluster
results="$w/slurm results dir's"  # spaces and a quote: every path stays one word in the job scripts
rm -rf "$results" "$w/unsharded.jsonl"

# Whatever happens from here, the daemons go.
stop_cluster() { "$TRAWL_SRC/scripts/slurm/trawl-local-slurm" stop "$cluster"; }
trap stop_cluster EXIT
trap 'exit 1' TERM INT HUP # ctest timeout or ^C: still through the EXIT trap
"$TRAWL_SRC/scripts/slurm/trawl-local-slurm" stop "$cluster" # an earlier run killed before its trap
rm -rf "$cluster"

echo "== start a single-node cluster"
if ! start_out=$("$TRAWL_SRC/scripts/slurm/trawl-local-slurm" start "$cluster" 2>"$w/start.err"); then
  cat "$w/start.err"
  echo "FAIL: the local Slurm cluster did not start (logs in $cluster)"
  exit 1
fi
eval "$start_out"
export SLURM_CONF
check_eq "node idle" idle "$(sinfo -h -N -o %t | head -1)"

echo "== unsharded run"
rc=0
engine_run "${engine_sources[@]}" >"$w/unsharded.jsonl" 2>"$w/unsharded.err" || rc=$?
if ((rc <= 1)); then pass; else fail "unsharded run exited $rc"; head "$w/unsharded.err"; fi
check_eq "unsharded run finds hits" true "$( [[ -s $w/unsharded.jsonl ]] && echo true || echo false)"

# wait_merge: at most 180 s for the submitted jobs to leave the queue; a hung cluster fails the test, not ctest.
wait_queue() {
  local i
  for ((i = 0; i < 180; i++)); do
    [[ -z $(squeue -h -o %i 2>/dev/null) ]] && return 0
    sleep 1
  done
  fail "jobs still queued after 180 s:"
  squeue
  scancel --user=root 2>/dev/null || true
  return 1
}

echo "== job array + dependent merge"
cd "$w" || exit 2
rc=0
"$TRAWL_SRC/scripts/slurm/trawl-sbatch" --time 10:00 "$results" "$engine_tool" "${engine_plan_args[@]}" \
  "${engine_sources[@]}" >"$w/submit.out" 2>"$w/submit.err" || rc=$?
check_eq "trawl-sbatch exit status" 0 "$rc"
[[ $rc -eq 0 ]] || cat "$w/submit.err"
units=$(wc -l <"$results/plan.jsonl")
check_eq "plan has several units" true "$( ((units >= 3)) && echo true || echo false)"
check_eq "submission printed the job ids" true "$(grep -Eq '^array=[0-9]+ merge=[0-9]+$' "$w/submit.out" && echo true || echo false)"
# Prompt start: the node is idle, so the held array is released by a one-CPU allocation and nothing stays held.
check_eq "prompt start on an idle node" true "$(grep -q 'released, starting at once' "$w/submit.err" && echo true || echo false)"
check_eq "no job left held" "" "$(squeue -h -t PD -o '%i %r' | grep -i held)"
wait_queue
check_eq "merge verdict" ok "$(cat "$results/merge.status" 2>/dev/null)"
# The last unit task merges; the dependent merge job only finds the verdict.
check_eq "the last unit task merged" true \
  "$(grep -qs 'merged by the last unit task' "$results"/logs/trawl-merge-*.log && echo true || echo false)"
check_eq "one manifest per unit" "$units" "$(find "$results" -maxdepth 1 -name 'unit-*.manifest.json' | wc -l)"
check_eq "one log per unit task" "$units" "$(find "$results/logs" -name 'trawl-unit-*' | wc -l)"
if cmp "$w/unsharded.jsonl" "$results/merged.jsonl"; then pass; else
  fail "merged output differs from the unsharded run:"
  diff "$w/unsharded.jsonl" "$results/merged.jsonl" | head -20
fi
check_eq "no units to rerun" "" "$(cat "$results/failed.txt" 2>/dev/null)"

echo "== a lost unit: merge reports it, --resume reruns only it"
lost=$((units / 2))
lost_id=$(printf 'unit-%05d' "$lost")
rm -f "$results/$lost_id.manifest.json" "$results/$lost_id.jsonl"
touch -d '2000-01-01' "$results"/unit-*.manifest.json
rc=0
"$TRAWL_SRC/scripts/slurm/trawl-sbatch" --time 10:00 --wait --resume "$results" >"$w/resume.out" 2>"$w/resume.err" || rc=$?
check_eq "resume exit status" 0 "$rc"
[[ $rc -eq 0 ]] || { cat "$w/resume.err"; cat "$results"/logs/trawl-merge-*.log | tail -20; }
check_eq "resume submitted only the lost unit" "units $lost" \
  "$(grep -o "units [0-9,%-]*" "$w/resume.err" | head -1)"
check_eq "only the lost unit ran again" "$lost_id.manifest.json" \
  "$(find "$results" -maxdepth 1 -name 'unit-*.manifest.json' -newer "$results/plan.jsonl" -printf '%f\n')"
if cmp "$w/unsharded.jsonl" "$results/merged.jsonl"; then pass; else fail "merged output after resume differs"; fi
wait_queue

echo "== a failing task: the merge job still runs (afterany), names it, and a resume completes the result"
# failing: the tool, except that the unit named in fail-unit exits 3 without output.
rm -rf "$w/failing-results" "$w/fail-unit"
cat >"$w/failing" <<EOF
#!/usr/bin/env bash
prev=
for a in "\$@"; do
  [[ \$prev == --unit-index && -f "$w/fail-unit" && \$a == "\$(cat "$w/fail-unit")" ]] && { echo "failing: unit \$a" >&2; exit 3; }
  prev=\$a
done
exec "$engine_tool" "\$@"
EOF
chmod +x "$w/failing"
echo 0 >"$w/fail-unit"
rc=0
"$TRAWL_SRC/scripts/slurm/trawl-sbatch" --time 10:00 --wait "$w/failing-results" "$w/failing" "${engine_plan_args[@]}" \
  "${engine_sources[@]}" >"$w/failing.out" 2>"$w/failing.err" || rc=$?
check_eq "failing run: exit status" 2 "$rc"
check_eq "failing run: merge verdict" incomplete "$(cat "$w/failing-results/merge.status" 2>/dev/null)"
check_eq "failing run: units to rerun" 0 "$(cat "$w/failing-results/failed.txt" 2>/dev/null)"
check_eq "failing run: no merged output" false "$( [[ -e $w/failing-results/merged.jsonl ]] && echo true || echo false)"
rm -f "$w/fail-unit"
rc=0
"$TRAWL_SRC/scripts/slurm/trawl-sbatch" --time 10:00 --wait --resume "$w/failing-results" >"$w/failing-resume.out" \
  2>"$w/failing-resume.err" || rc=$?
check_eq "failing run resumed: exit status" 0 "$rc"
if cmp "$w/unsharded.jsonl" "$w/failing-results/merged.jsonl"; then pass; else fail "merged output after the rerun differs"; fi
wait_queue

echo "== --units N: the array is submitted before the plan, its tasks wait for it"
# The sample image has more parts than 2 units can hold: the plan gets 3, the third in a second array.
rm -rf "$w/early-results" "$w/no-plan"
units_args=()
for a in "${engine_plan_args[@]}"; do [[ $a == --unit-size || $a == 16M ]] || units_args+=("$a"); done
rc=0
"$TRAWL_SRC/scripts/slurm/trawl-sbatch" --time 10:00 --wait "$w/early-results" "$engine_tool" "${units_args[@]}" \
  --units 2 "${engine_sources[@]}" >"$w/early.out" 2>"$w/early.err" || rc=$?
check_eq "--units: exit status" 0 "$rc"
[[ $rc -eq 0 ]] || cat "$w/early.err"
check_eq "--units 2: the plan has 3 units" 3 "$(wc -l <"$w/early-results/plan.jsonl")"
check_eq "--units 2: a second array for the third unit" true \
  "$(grep -Eq '^array=[0-9]+,[0-9]+ merge=[0-9]+$' "$w/early.out" && echo true || echo false)"
if cmp "$w/unsharded.jsonl" "$w/early-results/merged.jsonl"; then pass; else fail "--units: merged output differs"; fi
wait_queue
# A unit that exits 2 after a complete manifest (errors in the evidence, reported as records) is complete: the
# last unit task still merges, without waiting for the merge job.
rm -rf "$w/exit2-results"
cat >"$w/exit2" <<EOF
#!/usr/bin/env bash
"$engine_tool" "\$@"
rc=\$?
[[ " \$* " == *" --unit-index "* ]] && exit 2
exit \$rc
EOF
chmod +x "$w/exit2"
# This run also has no prompt start (salloc refused, as on a busy cluster): the array is released from the
# submit host and still runs.
mkdir -p "$w/refusing-bin"
printf '#!/bin/sh\necho "salloc: error: Immediate execution impossible (test)" >&2\nexit 1\n' >"$w/refusing-bin/salloc"
chmod +x "$w/refusing-bin/salloc"
rc=0
PATH=$w/refusing-bin:$PATH "$TRAWL_SRC/scripts/slurm/trawl-sbatch" --time 10:00 --wait "$w/exit2-results" "$w/exit2" \
  "${units_args[@]}" --units 2 "${engine_sources[@]}" >"$w/exit2.out" 2>"$w/exit2.err" || rc=$?
check_eq "units exiting 2 with complete manifests: exit status" 0 "$rc"
check_eq "... salloc refused: released for the next round" true \
  "$(grep -q "released, starting at Slurm's next scheduling round" "$w/exit2.err" && echo true || echo false)"
check_eq "... the refusal is kept in the logs" true \
  "$(grep -qs 'Immediate execution impossible (test)' "$w/exit2-results"/logs/trawl-start-*.err && echo true || echo false)"
if cmp "$w/unsharded.jsonl" "$w/exit2-results/merged.jsonl"; then pass; else fail "exit 2 units: merged output differs"; fi
wait_queue
check_eq "... the last unit task merged" true \
  "$(grep -qs 'merged by the last unit task' "$w/exit2-results"/logs/trawl-merge-*.log && echo true || echo false)"
# A task past the end of a shorter plan, and a task whose plan failed, end at once without output.
rc=0
SLURM_ARRAY_TASK_ID=7 timeout 20 bash "$TRAWL_SRC/scripts/slurm/trawl-unit.sbatch" "$engine_tool" "$w/early-results" \
  2>/dev/null || rc=$?
check_eq "a task past the plan's end exits 0" 0 "$rc"
check_eq "... and writes nothing" "" "$(find "$w/early-results" -maxdepth 1 -name 'unit-00007*')"
mkdir -p "$w/no-plan" && : >"$w/no-plan/plan.failed"
rc=0
SLURM_ARRAY_TASK_ID=0 timeout 20 bash "$TRAWL_SRC/scripts/slurm/trawl-unit.sbatch" "$engine_tool" "$w/no-plan" \
  2>/dev/null || rc=$?
check_eq "a task whose plan failed exits 0 at once" 0 "$rc"

oracle_finish
