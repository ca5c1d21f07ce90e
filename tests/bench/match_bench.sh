#!/usr/bin/env bash
# match_bench.sh [BUILD_DIR] [WORK_DIR] [N]: known-set filtering against
# md5deep, measured in the same run (run by hand, never by ctest).
#   A set of N md5sum lines (default 1,000,000: random digests plus the real
#   digests of every other file of the tree from hash_bench.sh) is used
#     - as md5deep -x / -m reads it, and
#     - by hash-match as a set file (compiled in memory) and as a .tidx index.
#   Reported: wall time and peak RSS of each; throughput ratios.
# Goals (issue: index): RSS <= 1/20 of hashdeep's; filter throughput >= 2.5x.
set -euo pipefail
bin=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/trawl-bench}
n=${3:-1000000}
hm=$bin/hash-match
tree=$work/tree
[[ -d $tree ]] || { echo "run tests/bench/hash_bench.sh first (it makes $tree)" >&2; exit 2; }
set_file=$work/set-$n.md5
if [[ ! -f $set_file ]]; then
  find "$tree" -type f | sort | awk 'NR % 2 == 1' | xargs -d '\n' md5sum > "$set_file"
  have=$(wc -l < "$set_file")
  openssl rand -hex $(( (n - have) * 16 )) | fold -w 32 | head -n $(( n - have )) | awk '{print $1 "  /set/file" NR}' >> "$set_file"
fi
# hashdeep -k wants its own format (with sizes): the same entries, size 0 for the random ones.
hashdeep_set=$work/set-$n.hashdeep
if [[ ! -f $hashdeep_set ]]; then
  { echo '%%%% HASHDEEP-1.0'; echo '%%%% size,md5,filename'
    awk '{ name = $2; for (i = 3; i <= NF; i++) name = name " " $i; size = 0
           if (substr(name, 1, 5) != "/set/") { cmd = "stat -c %s \"" name "\""; cmd | getline size; close(cmd) }
           print size "," $1 "," name }' "$set_file"; } > "$hashdeep_set"
fi
bytes=$(du -sb "$tree" | cut -f1)
find "$tree" -type f -exec cat {} + > /dev/null

measure() {  # measure NAME CMD... -> "NAME wall_s rss_mb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$$" "$@" > /dev/null 2>&1 || true
  read -r wall rss < <(tail -n 1 "$work/time.$$")
  printf '%-48s %8.2f s %8.1f MB\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
  echo "$wall $rss" > "$work/last.$$"
}

echo "# trawl known-set filter benchmark, $(date -u +%FT%TZ), $(nproc) cores; tree $(echo "$bytes / 1000000" | bc) MB, set $(wc -l < "$set_file") md5 lines"
measure "hash-match index (build)" "$hm" index "$set_file" -o "$work/set-$n.tidx" --kind good
measure "md5deep -r -x SET TREE" md5deep -r -x "$set_file" "$tree"; read -r md5deep_x md5deep_x_rss < "$work/last.$$"
measure "hash-match --known-good SET.tidx TREE" "$hm" --no-progress --no-archives --known-good "$work/set-$n.tidx" "$tree"
read -r hm_x hm_x_rss < "$work/last.$$"
measure "hash-match --known-good SET(file) TREE" "$hm" --no-progress --no-archives --known-good "$set_file" "$tree"
measure "md5deep -r -m SET TREE" md5deep -r -m "$set_file" "$tree"; read -r md5deep_m _ < "$work/last.$$"
measure "hashdeep -r -c md5 -m -k SET.hashdeep TREE" hashdeep -r -c md5 -m -k "$hashdeep_set" "$tree"; read -r hashdeep_m hashdeep_rss < "$work/last.$$"
measure "hash-match --known-bad SET.tidx TREE" "$hm" --no-progress --no-archives --known-bad "$work/set-$n.tidx" --matches-only "$tree"
read -r hm_m hm_m_rss < "$work/last.$$"
echo
echo "filter (-x) throughput ratio hash-match / md5deep:   $(echo "scale=2; $md5deep_x / $hm_x" | bc -l)  (goal >= 2.5)"
echo "match (-m) throughput ratio hash-match / md5deep:    $(echo "scale=2; $md5deep_m / $hm_m" | bc -l)"
echo "match (-m) throughput ratio hash-match / hashdeep:   $(echo "scale=2; $hashdeep_m / $hm_m" | bc -l)  (goal >= 2.5)"
echo "peak RSS hashdeep / hash-match (.tidx, -m):          $(echo "scale=1; $hashdeep_rss / $hm_m_rss" | bc -l)  (goal >= 20)"
echo "peak RSS md5deep / hash-match (.tidx, -x):           $(echo "scale=1; $md5deep_x_rss / $hm_x_rss" | bc -l)"
rm -f "$work/time.$$" "$work/last.$$"
