#!/usr/bin/env bash
# scaleout_bench.sh BUILD_DIR [WORK_DIR]: unsharded runs versus work units on a local single-node Slurm cluster
# (scripts/slurm/trawl-local-slurm, run as root), for wallet-scan --raw and hash-match on a 4 GiB raw image.
# Run by hand; not a ctest. Everything is written under WORK_DIR (default /tmp/trawl-scaleout-bench, never the
# repository); the image is kept there for the next run.
#
# The image: ext4 (mkfs.ext4 -d, no mount) of SIZE_GIB GiB holding hard links to /usr/share,
# /usr/lib/x86_64-linux-gnu and /usr/bin, plus RANDOM_MIB MiB of random filler in one file; the rest is free
# space.
#
# For each tool it reports the unsharded wall time and CPU-seconds, then the sharded run through trawl-sbatch
# --wait with --unit-size = image size / UNITS (default 8): total wall (plan + array + merge, as a user waits for
# it), the span of the units (first start to last end), the sum of the units' CPU-seconds, the plan and merge
# times and their share of the total. The machine may be shared: CPU-seconds compare work, wall times compare
# what the user sees. Merged output is checked against the unsharded output (cmp).
#
# Environment: SIZE_GIB (4), RANDOM_MIB (512), UNITS (8).
# needs: slurm-wlm munge e2fsprogs coreutils jq bc
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: ${0##*/} BUILD_DIR [WORK_DIR]" >&2; exit 2; }
build=$(cd "$1" && pwd)
work=${2:-/tmp/trawl-scaleout-bench}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size_gib=${SIZE_GIB:-4}
random_mib=${RANDOM_MIB:-512}
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
  # Hard links: no copy of the data; /tmp and /usr must share a file system, else copy instead.
  for d in /usr/share /usr/lib/x86_64-linux-gnu /usr/bin; do
    cp -al "$d" "$work/stage/" 2>/dev/null || cp -a "$d" "$work/stage/"
  done
  head -c $((random_mib * 1048576)) /dev/urandom >"$work/stage/filler.bin"
  truncate -s "${size_gib}G" "$img.tmp"
  mkfs.ext4 -q -F -E root_owner=0:0 -d "$work/stage" "$img.tmp"
  mv "$img.tmp" "$img"
  rm -rf "$work/stage"
fi
bytes=$(stat -c %s "$img")
echo "image: $img ($bytes bytes)"

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

# --- the cluster
cluster=$work/cluster
"$repo/scripts/slurm/trawl-local-slurm" stop "$cluster"
rm -rf "$cluster"
trap '"$repo/scripts/slurm/trawl-local-slurm" stop "$cluster"' EXIT
eval "$("$repo/scripts/slurm/trawl-local-slurm" start "$cluster")"
export SLURM_CONF
echo "cluster: $(sinfo -h -N -o '%N %c CPUs %t')"

unit_size=$(( (bytes + units - 1) / units ))

bench() {
  local name=$1 tool=$2
  shift 2
  local log=$work/$name.times results=$work/$name.results
  rm -rf "$log" "$results" "$work/$name.unsharded.jsonl"
  echo "== $name $*"
  # Unsharded: all cores (2 threads on the 2-CPU node).
  export TIMED_LABEL=$name TIMED_TOOL=$tool TIMED_LOG=$log
  "$work/timed" --no-progress "$@" "$img" >"$work/$name.unsharded.jsonl" || (($? == 1))
  # Sharded: 8 units, one CPU and one thread each, two at a time on the node.
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$work" && "$repo/scripts/slurm/trawl-sbatch" --wait "$results" "$work/timed" \
    --no-progress --unit-size "$unit_size" "$@" "$img" >/dev/null)
  t1=$(date +%s.%N)
  local planned
  planned=$(wc -l <"$results/plan.jsonl")
  if cmp -s "$work/$name.unsharded.jsonl" "$results/merged.jsonl"; then echo "merged == unsharded: yes"; else
    echo "merged == unsharded: NO"
  fi
  awk -v name="$name" -v total="$(echo "$t1 - $t0" | bc)" -v planned="$planned" '
    $1 == name            { uw = $4; uc = $5 + $6 }
    $1 == name ":plan"    { pw += $4; pc += $5 + $6 }
    $1 == name ":merge"   { mw += $4; mc += $5 + $6 }   # --merge and --merge --failed
    $1 == name ":unit"    { n++; cpu += $5 + $6; if (!first || $2 < first) first = $2; if ($3 > last) last = $3 }
    END {
      printf "unsharded:           wall %7.1f s   cpu %7.1f s\n", uw, uc
      printf "sharded, %d units:    wall %7.1f s   (ratio %.2f of unsharded)\n", planned, total, total / uw
      printf "  units:             span %7.1f s   cpu %7.1f s (%d ran)\n", last - first, cpu, n
      printf "  plan:              wall %7.2f s   cpu %7.2f s\n", pw, pc
      printf "  merge:             wall %7.2f s   cpu %7.2f s\n", mw, mc
      printf "  plan+merge:        %.2f%% of the sharded wall time\n", 100 * (pw + mw) / total
      printf "  scheduling/wait:   %.1f s (total - plan - unit span - merge)\n", total - pw - (last - first) - mw
    }' "$log"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench wallet-scan "$build/wallet-scan" --raw
bench hash-match "$build/hash-match"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
