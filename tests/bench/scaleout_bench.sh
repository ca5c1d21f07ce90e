#!/usr/bin/env bash
# scaleout_bench.sh BUILD_DIR [WORK_DIR]: unsharded runs versus work units on a local single-node Slurm cluster
# (scripts/slurm/trawl-local-slurm, run as root), for wallet-scan --raw and hash-match on a SIZE_GIB (4) GiB raw image.
# Run by hand; not a ctest. Everything is written under WORK_DIR (default /tmp/trawl-scaleout-bench, never the
# repository); the image is kept there for the next run.
#
# The image: ext4 (mkfs.ext4 -d, no mount) of SIZE_GIB GiB: files from /usr/share, /usr/lib/x86_64-linux-gnu
# and /usr/bin up to 65% of it, random filler files up to about 90%.
#
# For each tool it reports the unsharded wall time and CPU-seconds, then the sharded run through trawl-sbatch
# --wait with --units UNITS (default 8; before 2026-11-29 10:00: --unit-size = image size / UNITS): total wall (plan + array + merge, as a user waits for
# it), the span of the units (first start to last end), the sum of the units' CPU-seconds, the plan and merge
# times and their share of the total. The machine may be shared: CPU-seconds compare work, wall times compare
# what the user sees. Merged output is checked against the unsharded output (cmp).
#
# Figures (2026-11-29, 2-CPU node, load average 0.8-2 at the start; ratio = sharded/unsharded wall, plan+merge
# as % of the sharded wall / CPU):
#   16 GiB  wallet-scan 53.1 s -> 43.4 s (0.82, 16 units), 1.9% / 1.2%;  hash-match 25.1 s -> 28.1 s (1.12, 8), 2.9% / 1.7%
#   After 4d8089a (one long range shared by the unsharded run's 2 threads in 256 MiB windows), load 0.7-1:
#   16 GiB  wallet-scan 26.6 s -> 24.9 s (0.94, 16 units), 3.0% / 1.8%;  hash-match 22.9 s -> 26.8 s (1.17, 8), 2.7% / 1.6%
#    4 GiB  wallet-scan  9.1 s -> 12.8 s (1.40, 18 units), 3.8% / 2.7%;  hash-match  7.9 s ->  9.7 s (1.23, 10), 5.2% / 3.3%
#    4 GiB  wallet-scan 13.9 s -> 19.0 s (1.36, 18 units), 3.1% / 2.5%;  hash-match  9.8 s -> 15.7 s (1.60, 10), 4.9% / 4.3%
#   before (quiet machine): 4 GiB wallet-scan 16.3 s -> 19.7 s (1.21), hash-match 8.0 s -> 12.9 s (1.61)
#   After fd15d96 (the plan skips the orphan-inode search; units of a volume cut to equal weight), load 7-9 from
#   other engineers' builds: wall times are not comparable and CPU-s are inflated too (unsharded 16 GiB hash-match
#   52.9 CPU-s against 44.9 on the quiet machine), so the CPU figures (unsharded -> sharded CPU-s, plan CPU-s):
#   16 GiB  wallet-scan 59.6 -> 56.2 (0.94, 16 units), plan 0.61 (0.35-0.39 run alone);
#           hash-match  52.9 -> 54.6 (1.03, 8 units), plan 0.31 (was 0.66); units 5.7-8.0 CPU-s each
#    4 GiB  wallet-scan 21.2 -> 23.2 (1.09, 18 units), plan 0.36;  hash-match 15.5 -> 16.3 (1.05, 10), plan 0.29
#   At 631aec5 (also: faster wallet text scanning, run-state files for links, hash-match block units), load 1.2-1.7:
#    4 GiB  wallet-scan  7.8 s -> 13.6 s (1.76, 18 units; CPU 15.1 -> 19.3 s, 1.28), plan+merge 3.1% / 2.2%;
#           hash-match   8.5 s -> 11.6 s (1.36, 10 units; CPU 16.3 -> 16.7 s, 1.02), plan+merge 4.0% / 2.8%
#   The unsharded wallet-scan got faster (9.1 -> 7.8 s) while each unit still pays its start-up and its walk to
#   its slice: the file units of many small files take 2.2-2.7 s each against 0.3-0.8 s for the others.
#   With --units 8 (8 units instead of 18 for wallet-scan --raw at 4 GiB: its files and its raw image are two
#   parts of the work, and --unit-size image/8 cut each into 8-10), units balanced by weight, the array submitted
#   before the plan, 256 KiB wallet pages and the JSON-escape gate (556e908 + wt/wtext5), load 1.1-2.1:
#    4 GiB  wallet-scan  5.6 s -> 7.9 s (1.41; CPU 10.7 -> 11.8 s, 1.11), plan+merge 3.7% / 2.5%;
#           hash-match   7.7 s -> 10.0 s (1.29; CPU 14.9 -> 14.7 s, 0.99), plan+merge 3.0% / 2.0%
#   16 GiB  wallet-scan 21.0 s -> 24.3 s (1.16; CPU 39.6 -> 39.3 s, 0.99), plan+merge 1.5% / 0.9%;
#           hash-match  23.3 s -> 26.2 s (1.12; CPU 45.4 -> 45.4 s, 1.00), plan+merge 1.6% / 0.8%
#   Splitting costs no CPU any more; what the 4 GiB runs lose is fixed: Slurm starts a submitted array at its
#   next scheduling round (0.3-1 s after the submission in slurmctld's log; the plan, 0.25 s, now runs in that
#   wait), 0.1-0.15 s between one task's end and the next one's start, three times per CPU, and the merge and
#   --wait's poll (0.2 s): 1.3-2 s against runs of 6-8 s. What planning cannot see is the content: at 16 GiB
#   wallet-scan's unit of /usr files (3.9 GB, 21,000 files, text and .gz) took 9.6 s against 4-5 s for the
#   units of random filler and raw windows of the same weight, and ended the run alone.
#   After libtsk is loaded only when an image is opened (d63e501) and the zeroed buffers went (beac4d9), quiet
#   machine (load 1.0-1.6, 10:13 UTC), two runs each, same script with UNITS=8:
#    4 GiB  wallet-scan  5.7 -> 8.1 s (1.42; CPU 11.0 -> 12.7) and 6.7 -> 9.6 s (1.44), plan+merge 3.9-4.3% / 2.3-2.4%
#           hash-match   8.0 -> 9.6 s (1.19; CPU 15.5 -> 15.0) and 8.8 -> 11.2 s (1.27), plan+merge 4.1-4.2% / 2.4-2.8%
#   No change: the plan (0.29-0.39 s here, bimodal 0.25 / 0.37 s run alone) is 44% libtsk's tsk_fs_dir_add (perf),
#   and Slurm's first start and the task switches are fixed costs.
#   2026-11-29 12:15-12:30 UTC, quiet (load 0.1-2), after wt/wtext7 made wallet-scan's text scan ~35% faster, four
#   runs with UNITS=8 (ratio sharded/unsharded wall; plan+merge % of wall / of CPU; Slurm's wait):
#    4 GiB  wallet-scan  3.8 -> 4.1 s (1.09), 3.3 -> 4.1 s (1.25), 3.6 -> 4.5 s (1.24); 3.6-3.9% / 2.5%; wait 0.6-0.9 s
#           hash-match   5.8 -> 6.9 s (1.18), 5.8 -> 6.6 s (1.15), 6.3 -> 6.6 s (1.04); 2.7-5.4% / 1.7-3.0%; wait 0.1-0.7 s
#   Without Slurm's wait (plan + unit span + merge over the unsharded wall, the new "ratio without it" line):
#   0.99 (wallet-scan) and 1.02 (hash-match): splitting loses nothing; what the 4 GiB runs lose is Slurm's start.
#   Slurm 22.05 starts a submitted job in its background loop's round (controller.c: 10 x 100 ms sleeps, then
#   schedule() when a submission was counted); only an epilog-complete message schedules at once. Measured on the
#   local node (an array of 2 tasks of `date`, 8 submissions): first start 0.19-0.95 s after sbatch, allocations at
#   the same fraction of each second in slurmctld's log; `srun --immediate true` after the submission (whose end
#   would schedule at once) is refused: "Immediate execution impossible, insufficient priority" (the array is older).
#   No slurm.conf option in 22.05 shortens the round (batch_sched_delay=0 and sched_min_interval=0 are set).
#   2026-11-29 13:30 UTC, after the prompt start (b476928: trawl-sbatch submits the array held and releases it from
#   a one-CPU `salloc --immediate` allocation; the allocation's end schedules at once, as a job end does; a held
#   array is not older than the allocation, so --immediate is granted). Measured alone (an array of 2 tasks of
#   `date`): first start 37-39 ms after the sbatch against 0.8-1.5 s without. Three runs, quiet (load 0.1-0.7):
#    4 GiB  wallet-scan  3.4 -> 3.8 s (1.14), 3.6 -> 3.8 s (1.06), 3.5 -> 3.7 s (1.07); plan+merge 4.3% / 2.3-2.4%
#           hash-match   5.8 -> 6.2 s (1.06), 6.0 -> 6.2 s (1.02), 5.8 -> 6.1 s (1.05); plan+merge 3.0-3.1% / 1.6%
#   "scheduling/wait" is now 0.1 s (the submissions, the tasks' 50 ms poll for the plan, --wait's 0.1 s poll).
#   The plan (0.15 s) is now on the path: the tasks start before it ends and wait for it; half of it is libtsk's
#   tsk_fs_dir_add (/usr/share/man/man1 here has 17,803 entries, each checked against all before it).
#   2026-11-29 15:37-16:00 UTC, after plans list ext2/3/4 with trawl's reader of directory names instead of
#   libtsk's directory loading (47eba93, 639f5b8): the plan 0.15-0.17 s -> 0.07-0.09 s (0.063 s alone). Four runs:
#    4 GiB  wallet-scan  3.4 -> 3.6 s (1.06), 3.4 -> 3.7 s (1.08), 3.6 -> 3.8 s (1.07), 3.5 -> 3.8 s (1.09);
#           plan+merge 2.04-2.61% of the wall, 1.04-1.35% of the CPU
#           hash-match   5.7 -> 6.1 s (1.06), 5.8 -> 6.4 s (1.11), 6.1 -> 6.4 s (1.05), 6.1 -> 6.2 s (1.01);
#           plan+merge 1.77-4.07% of the wall, 0.91-2.27% of the CPU: the merge took 0.03, 0.20, 0.14, 0.07 s, all
#           of it the kernel giving this VM fresh pages for the 75 MB merged.jsonl (0.19 s the first time by hand,
#           0.02 s each time after, 0.01 s to /dev/null)
#   16:45-16:51 UTC, after c442a1d (one TSK_FS_FILE for every name: the plan 0.058 s alone), four runs, load 0.7-2:
#    4 GiB  wallet-scan  3.4 -> 3.6 s (1.07), 3.3 -> 3.6 s (1.10), 3.3 -> 3.5 s (1.07), 3.2 -> 3.4 s (1.08);
#           plan 0.06-0.07 s + merge 0.01 s: 1.96-2.01% of the wall, 1.03-1.04% of the CPU
#           hash-match   5.7 -> 6.5 s (1.14), 5.5 -> 6.0 s (1.09), 5.5 -> 5.7 s (1.05), 5.7 -> 5.8 s (1.02);
#           plan 0.06-0.07 s + merge 0.02-0.06 s: 1.46-2.07% of the wall, 0.76-1.05% of the CPU
#   17:02-17:05 UTC, after b9a5362 (zero words skipped in directory blocks: the plan 0.053 s alone), three runs:
#    4 GiB  wallet-scan  3.2 -> 3.4 s (1.08), 3.4 -> 3.7 s (1.09), 3.2 -> 3.4 s (1.08);
#           plan 0.06 s + merge 0.01 s: 1.85-1.89% of the wall, 0.98-1.00% of the CPU
#           hash-match   6.0 -> 6.2 s (1.04), 6.0 -> 5.9 s (0.97), 5.6 -> 5.7 s (1.02);
#           plan 0.06 s + merge 0.15 / 0.07 / 0.03 s: 3.35 / 2.21 / 1.43% of the wall, 0.75-1.82% of the CPU
# What is left per run: the plan (0.06-0.07 s at 4 GiB: 15 ms of process start, 9 of them loading libtsk and its
# 44 libraries; 15 ms loading the files' inodes through libtsk; the rest reading and parsing 4,500 directories and
# the plan's own bookkeeping), each unit's walk up to its first item (up to 0.3 CPU-s at 4 GiB; 0.5 CPU-s over 10
# units), the orphan search in each file system's last unit (0.4 CPU-s at 4 GiB, as in the unsharded run), 40 ms
# for Slurm's first start (up to 1 s with --no-prompt-start or when the prompt start is refused), 0.05-0.1 s
# between one unit's end and the next one's start.
#
#   Throughput by unit size, 16 GiB (SIZE_GIB=16, UNITS=4/8/16/32/64, 14:35-14:45 UTC, load 1.5-2): sharded wall
#   and ratio; wallet-scan 9.6 s (0.89; its unsharded run was slow, 10.9 s against 6.8-7.5), 8.1 (1.08), 7.5 (1.07),
#   8.2 (1.19), 9.6 (1.38); hash-match 18.3 s (1.00), 19.4 (1.06), 19.2 (1.07), 19.8 (1.09), 20.5 (1.14). CPU of
#   64 wallet-scan units 15.1 s against 13.4 unsharded: ~27 ms per unit; plan+merge 0.9-2.4% of the wall, 0.5-1.3%
#   of the CPU. Table in trawl-scaleout(7) SIZING.
#
# With ENGINE=parallel the units run through scripts/parallel/trawl-parallel (-j CPUs) instead: no scheduler
# between them. 2026-11-29 14:40 UTC, 4 GiB, UNITS=8, by hand before this option existed (same commands), two runs:
# wallet-scan 3.2 -> 3.3 s (1.01), 3.3 -> 3.3 s (0.98); hash-match 5.7 -> 5.6 s (0.99), 5.7 -> 5.7 s (0.99),
# plan and merge included; merged == unsharded in every run. Through this script (its timing wrapper around
# every unit adds a few ms each): wallet-scan 3.0 -> 3.4 s (1.10), hash-match 5.4 -> 5.6 s (1.04).
#
# Environment: SIZE_GIB (4), UNITS (8), BENCH_TOOLS ("wallet-scan hash-match"), ENGINE (slurm or parallel),
# IMAGE_ONLY (set: build the image and stop).
# needs: slurm-wlm munge (or parallel) e2fsprogs coreutils jq bc
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: ${0##*/} BUILD_DIR [WORK_DIR]" >&2; exit 2; }
build=$(cd "$1" && pwd)
work=${2:-/tmp/trawl-scaleout-bench}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size_gib=${SIZE_GIB:-4}
units=${UNITS:-8}
case $(realpath -m "$work")/ in "$repo"/*) echo "WORK_DIR must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$work"
work=$(cd "$work" && pwd)
img=$work/usr-${size_gib}g.img
export LC_ALL=C

# --- the image (kept between runs)
if [[ ! -f $img ]]; then
  echo "== building $img"
  rm -rf "$work/stage"
  mkdir -p "$work/stage"
  # /usr files up to 65% of the image (hard links: no copy, when /usr and WORK_DIR share a file system), then
  # random filler up to about 90%: free space of zeros would measure wallet-scan's zero-page speed, not the split.
  python3 - "$work/stage" $((size_gib << 30)) <<'PY'
import os, shutil, sys
stage, size = sys.argv[1], int(sys.argv[2])
budget, used = int(size * 0.65), 0
for top in ("/usr/share", "/usr/lib/x86_64-linux-gnu", "/usr/bin"):
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            src = os.path.join(root, name)
            if os.path.islink(src) or not os.path.isfile(src):
                continue
            n = (os.path.getsize(src) + 4095) // 4096 * 4096 + 4096  # blocks, and a share of directories
            if used + n > budget:
                continue
            dst = os.path.join(stage, src.lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
            used += n
filler = int(size * 0.92) - used - (size >> 5)   # leave room for the file system's own metadata
with open("/dev/urandom", "rb") as r:
    for i in range(0, max(0, filler), 256 << 20):
        with open(os.path.join(stage, "filler-%03d.bin" % (i >> 28)), "wb") as w:
            w.write(r.read(min(256 << 20, filler - i)))
print("staged %d bytes of /usr files and %d bytes of random filler" % (used, max(0, filler)))
PY
  truncate -s "${size_gib}G" "$img.tmp"
  mkfs.ext4 -q -F -i 8192 -E root_owner=0:0 -d "$work/stage" "$img.tmp"
  mv "$img.tmp" "$img"
  rm -rf "$work/stage"
fi
bytes=$(stat -c %s "$img")
echo "image: $img ($bytes bytes)"
[[ -z ${IMAGE_ONLY:-} ]] || exit 0
# Both runs read the image from the page cache: otherwise the first one pays for the disk.
cat "$img" >/dev/null

# --- timing wrapper, given to the engines as the tool: runs $TIMED_TOOL and appends "label start end wall user
# sys" to $TIMED_LOG for every invocation (unsharded, plan, unit, merge); Slurm passes the environment on to the
# jobs. Bash's time keyword reports wall, user and sys of the child.
cat >"$work/timed" <<'EOF'
#!/usr/bin/env bash
label=$TIMED_LABEL real=$TIMED_TOOL log=$TIMED_LOG
for a in "$@"; do case $a in --plan) label+=:plan ;; --merge) label+=:merge ;; --unit-index) label+=:unit ;; esac; done
start=$(date +%s.%N)
TIMEFORMAT="%R %U %S"
rc=0
{ time "$real" "$@" 2>&3 || rc=$?; } 3>&2 2>"$log.$$"
printf '%s %s %s %s\n' "$label" "$start" "$(date +%s.%N)" "$(tail -1 "$log.$$")" >>"$log"
rm -f "$log.$$"
exit "$rc"
EOF
chmod +x "$work/timed"

# --- the engine: a local single-node Slurm cluster, or GNU parallel with one unit per CPU (ENGINE=parallel)
engine=${ENGINE:-slurm}
case $engine in
  slurm)
    cluster=$work/cluster
    "$repo/scripts/slurm/trawl-local-slurm" stop "$cluster"
    rm -rf "$cluster"
    trap '"$repo/scripts/slurm/trawl-local-slurm" stop "$cluster"' EXIT
    eval "$("$repo/scripts/slurm/trawl-local-slurm" start "$cluster")"
    export SLURM_CONF
    echo "cluster: $(sinfo -h -N -o '%N %c CPUs %t')"
    ;;
  parallel) echo "engine: GNU parallel, -j $(nproc)" ;;
  *) echo "ENGINE must be slurm or parallel, not $engine" >&2; exit 2 ;;
esac


bench() {
  local name=$1 tool=$2
  shift 2
  local log=$work/$name.times results=$work/$name.results
  rm -rf "$log" "$results" "$work/$name.unsharded.jsonl"
  echo "== $name $*"
  # Unsharded: all cores (2 threads on the 2-CPU node).
  export TIMED_LABEL=$name TIMED_TOOL=$tool TIMED_LOG=$log
  local rc=0
  "$work/timed" --no-progress "$@" "$img" >"$work/$name.unsharded.jsonl" || rc=$?
  # 2 with error records (an unreadable member, say) is still a complete run; the merge must reproduce it.
  ((rc <= 2)) || { echo "$name exited $rc" >&2; exit 2; }
  echo "unsharded exit status $rc, $(grep -c '"type":"error"' "$work/$name.unsharded.jsonl") error record(s)"
  # Sharded: 8 units, one CPU and one thread each, two at a time on the node.
  local t0 t1
  t0=$(date +%s.%N)
  if [[ $engine == slurm ]]; then
    (cd "$work" && "$repo/scripts/slurm/trawl-sbatch" --wait "$results" "$work/timed" \
      --no-progress --units "$units" "$@" "$img" >/dev/null)
  else
    (cd "$work" && "$repo/scripts/parallel/trawl-parallel" -j "$(nproc)" "$results" "$work/timed" \
      --no-progress --units "$units" "$@" "$img" >/dev/null 2>"$work/$name.parallel.err")
  fi
  t1=$(date +%s.%N)
  local planned
  planned=$(wc -l <"$results/plan.jsonl")
  if cmp -s "$work/$name.unsharded.jsonl" "$results/merged.jsonl"; then echo "merged == unsharded: yes"; else
    echo "merged == unsharded: NO"
  fi
  awk -v name="$name" -v total="$(echo "$t1 - $t0" | bc)" -v planned="$planned" '
    $1 == name            { uw = $4; uc = $5 + $6 }
    $1 == name ":plan"    { pw += $4; pc += $5 + $6 }
    $1 == name ":merge"   { mw += $4; mc += $5 + $6 }   # --merge and --failed --merge
    $1 == name ":unit"    { n++; cpu += $5 + $6; if (!first || $2 < first) first = $2; if ($3 > last) last = $3 }
    END {
      printf "unsharded:           wall %7.1f s   cpu %7.1f s\n", uw, uc
      printf "sharded, %d units:    wall %7.1f s   (ratio %.2f of unsharded)\n", planned, total, total / uw
      printf "  units:             span %7.1f s   cpu %7.1f s (%d ran)\n", last - first, cpu, n
      printf "  plan:              wall %7.2f s   cpu %7.2f s\n", pw, pc
      printf "  merge:             wall %7.2f s   cpu %7.2f s\n", mw, mc
      printf "  cpu, all phases:   %7.1f s   (ratio %.2f of unsharded)\n", pc + cpu + mc, (pc + cpu + mc) / uc
      printf "  plan+merge:        %.2f%% of the sharded wall time, %.2f%% of its cpu\n", 100 * (pw + mw) / total, 100 * (pc + mc) / (pc + cpu + mc)
      printf "  scheduling/wait:   %.1f s (total - plan - unit span - merge)\n", total - pw - (last - first) - mw
      # Without the prompt start of trawl-sbatch, Slurm 22.05 starts a submitted array in its background round, once a
      # second (controller.c); this line is what the run costs without that wait. The work trawl adds:
      printf "  ratio without it:  %.2f (plan + unit span + merge, of the unsharded wall)\n", (pw + (last - first) + mw) / uw
    }' "$log"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in ${BENCH_TOOLS:-wallet-scan hash-match}; do
  case $t in
    wallet-scan) bench wallet-scan "$build/wallet-scan" --raw ;;
    hash-match) bench hash-match "$build/hash-match" ;;
    *) echo "unknown tool in BENCH_TOOLS: $t" >&2; exit 2 ;;
  esac
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
