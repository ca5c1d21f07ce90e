#!/usr/bin/env bash
# GNU parallel as the engine: scripts/parallel/trawl-parallel -j 2 runs wallet-scan's work units over the sample
# evidence and merges them to exactly the unsharded output. Then a unit that fails and a unit killed after its
# records but before its manifest: the merge names both and exits 2, --resume reruns only those two, and the
# merged output then equals the unsharded run. Last, the same over real SSH (--sshlogin to an sshd the test starts
# on 127.0.0.1, and this machine as a second host), with the tool, evidence and results under paths with spaces
# and a quote.
# needs: parallel jq coreutils openssh-server openssh-client (+ make-sample-evidence's tools)
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/engine_lib.sh"

command -v parallel >/dev/null || { echo "FAIL: GNU parallel is missing: apt-get install parallel (Makefile.dist deps)"; exit 1; }
oracle_need jq
engine_pick_tool
w=$TRAWL_WORK
trawl_parallel=$TRAWL_SRC/scripts/parallel/trawl-parallel
rm -rf "$w/results" "$w/flaky-results" "$w/calls.log" "$w/fail-units"
cd "$w" || exit 2

echo "== unsharded run"
rc=0
engine_run "${engine_sources[@]}" >"$w/unsharded.jsonl" 2>"$w/unsharded.err" || rc=$?
if ((rc <= 1)); then pass; else fail "unsharded run exited $rc"; head "$w/unsharded.err"; fi
check_eq "unsharded run finds hits" true "$( [[ -s $w/unsharded.jsonl ]] && echo true || echo false)"

echo "== parallel -j 2"
rc=0
"$trawl_parallel" -j 2 "$w/results" "$engine_tool" "${engine_plan_args[@]}" "${engine_sources[@]}" \
  >"$w/run.out" 2>"$w/run.err" || rc=$?
check_eq "trawl-parallel exit status" 0 "$rc"
[[ $rc -eq 0 ]] || cat "$w/run.err"
units=$(wc -l <"$w/results/plan.jsonl")
check_eq "plan has several units" true "$( ((units >= 3)) && echo true || echo false)"
check_eq "merge verdict" ok "$(cat "$w/results/merge.status" 2>/dev/null)"
check_eq "joblog: one line per unit" "$units" "$(tail -n +2 "$w/results/joblog" | wc -l)"
if cmp "$w/unsharded.jsonl" "$w/results/merged.jsonl"; then pass; else
  fail "merged output differs from the unsharded run:"
  diff "$w/unsharded.jsonl" "$w/results/merged.jsonl" | head -20
fi
check_eq "a second plan of the same input is the same" "$(cat "$w/results/plan.jsonl")" \
  "$("$engine_tool" --plan --threads 1 "${engine_plan_args[@]}" "${engine_sources[@]}")"

echo "== one unit fails, one is killed; resume reruns only those"
# flaky: the tool, except that the units listed in fail-units fail (exit 3, no output) or are killed (SIGKILL
# after the records, before the manifest: the state a node crash leaves).
fail_unit=1
kill_unit=$((units - 1))
cat >"$w/flaky" <<EOF
#!/usr/bin/env bash
idx=
for ((i = 1; i < \$#; i++)); do [[ \${!i} == --unit-index ]] && { j=\$((i + 1)); idx=\${!j}; }; done
[[ -n \$idx ]] && echo "\$idx" >>"$w/calls.log"
if [[ -n \$idx && -f "$w/fail-units" ]]; then
  case " \$(cat "$w/fail-units") " in
    *" fail:\$idx "*) echo "flaky: unit \$idx fails" >&2; exit 3 ;;
    *" kill:\$idx "*)
      "$engine_tool" "\$@"
      rm -f "$w/flaky-results/\$(printf 'unit-%05d' "\$idx").manifest.json"
      kill -KILL \$\$ ;;
  esac
fi
exec "$engine_tool" "\$@"
EOF
chmod +x "$w/flaky"
echo "fail:$fail_unit kill:$kill_unit" >"$w/fail-units"
rc=0
"$trawl_parallel" -j 2 "$w/flaky-results" "$w/flaky" "${engine_plan_args[@]}" "${engine_sources[@]}" \
  >"$w/flaky.out" 2>"$w/flaky.err" || rc=$?
check_eq "run with lost units: exit status" 2 "$rc"
check_eq "merge verdict" incomplete "$(cat "$w/flaky-results/merge.status" 2>/dev/null)"
check_eq "units to rerun" "$fail_unit,$kill_unit" "$(cat "$w/flaky-results/failed.txt")"
for u in $fail_unit $kill_unit; do
  id=$(printf 'unit-%05d' "$u")
  check_eq "merge names $id" true "$(grep -q "$id" "$w/flaky-results/merge.err" && echo true || echo false)"
done
check_eq "no merged output while units are missing" false \
  "$( [[ -e $w/flaky-results/merged.jsonl ]] && echo true || echo false)"
check_eq "the first run ran every unit once" "$units" "$(wc -l <"$w/calls.log")"

rm -f "$w/fail-units" "$w/calls.log"
rc=0
"$trawl_parallel" -j 2 --resume "$w/flaky-results" >"$w/resume.out" 2>"$w/resume.err" || rc=$?
check_eq "resume exit status" 0 "$rc"
[[ $rc -eq 0 ]] || cat "$w/resume.err"
check_eq "resume ran only the lost units" "$(printf '%s\n' "$fail_unit" "$kill_unit")" "$(sort -n "$w/calls.log")"
check_eq "merge verdict after resume" ok "$(cat "$w/flaky-results/merge.status" 2>/dev/null)"
check_eq "joblog keeps both attempts" $((units + 2)) "$(grep -vc '^Seq' "$w/flaky-results/joblog")"
if cmp "$w/unsharded.jsonl" "$w/flaky-results/merged.jsonl"; then pass; else
  fail "merged output after resume differs from the unsharded run:"
  diff "$w/unsharded.jsonl" "$w/flaky-results/merged.jsonl" | head -20
fi

echo "== over SSH (an sshd of the test's own on 127.0.0.1), paths with spaces and a quote"
# parallel runs a unit as one shell line, locally and on the SSH host: every path must stay one word there.
sp="$w/evidence dir's"
rm -rf "$sp" && mkdir -p "$sp/bin dir"
cp "${engine_sources[0]}" "$sp/sample evidence.img"
cp "$engine_tool" "$sp/bin dir/"
sp_tool="$sp/bin dir/${engine_tool##*/}"
if engine_start_sshd "$w/sshd"; then
  pass
  trap 'engine_stop_sshd "$w/sshd"' EXIT
  rc=0
  (cd "$sp" && "$sp_tool" --no-progress --raw "sample evidence.img") >"$w/spaced-unsharded.jsonl" 2>/dev/null || rc=$?
  check_eq "unsharded run of the spaced paths" true "$( ((rc <= 1)) && [[ -s $w/spaced-unsharded.jsonl ]] && echo true || echo false)"
  rc=0
  (cd "$sp" && "$trawl_parallel" -j 1 --sshlogin "1/$engine_ssh" --sshlogin 1/: "$sp/res ults" "$sp_tool" \
    "${engine_plan_args[@]}" "sample evidence.img") >"$w/ssh.out" 2>"$w/ssh.err" || rc=$?
  check_eq "trawl-parallel over SSH: exit status" 0 "$rc"
  [[ $rc -eq 0 ]] || { cat "$w/ssh.err"; tail -5 "$w/sshd/sshd.log"; }
  check_eq "merge verdict" ok "$(cat "$sp/res ults/merge.status" 2>/dev/null)"
  over_ssh=$(awk -F'\t' 'NR > 1 && $2 ~ /^ssh / && $7 <= 1' "$sp/res ults/joblog" 2>/dev/null | wc -l)
  check_eq "units ran over SSH" true "$( ((over_ssh >= 1)) && echo true || echo false)"
  check_eq "sshd saw the logins" true "$(grep -q 'Accepted publickey' "$w/sshd/sshd.log" && echo true || echo false)"
  if cmp "$w/spaced-unsharded.jsonl" "$sp/res ults/merged.jsonl"; then pass; else
    fail "merged output over SSH differs from the unsharded run:"
    diff "$w/spaced-unsharded.jsonl" "$sp/res ults/merged.jsonl" | head -20
  fi
  engine_stop_sshd "$w/sshd"
  trap - EXIT
else
  fail "no sshd for the --sshlogin test"
fi

echo "== trawl-scaleout(7) documents every engine option"
groff -man -Tutf8 -P-cbou "$TRAWL_SRC/man/trawl-scaleout.7" 2>/dev/null >"$w/scaleout.txt"
for script in "$TRAWL_SRC/scripts/slurm/trawl-sbatch" "$trawl_parallel"; do
  for opt in $(sed -n '/^# Engine options/,/^#$/p' "$script" | grep -o -- '--[a-z][a-z-]*' | sort -u) --resume; do
    if grep -q -- "$opt" "$w/scaleout.txt"; then pass; else fail "trawl-scaleout(7) lacks ${script##*/} $opt"; fi
  done
done

oracle_finish
