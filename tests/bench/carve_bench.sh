#!/usr/bin/env bash
# carve_bench.sh [BUILD_DIR] [IMAGE_MIB] [WORK_DIR]: stl-detect's carver against its peers on one raw image
# (run by hand, never by ctest). The image is IMAGE_MIB (default 2048) of AES-CTR pseudo-random bytes with
# 3D design files written at sector offsets spread through it: binary STL (two header styles), ASCII STL,
# OBJ, PLY, G-code, a ZIP64-free 3MF, STEP. Measured, all from the page cache:
#   cat > /dev/null and stl-detect -j1 (the median of 3 runs each; rates per CPU second, user + sys, as the
#   machine is shared), stl-detect both with --sector-aligned (binary STL on sectors only: the disk-image rule,
#   as in byte ranges) and without (every byte: memory dumps), photorec 7.x (everything enabled) and foremost
#   (default conf); for each carver the recall: planted files whose exact bytes (sha256) were recovered, and
#   planted files recovered with trailing bytes (a recovered file starting with them).
# needs: python3 openssl testdisk (photorec) foremost jq bc
#
# Figures: `tests/bench/carve_bench.sh build 2048`, Release, 2 cores shared with other builds (load ~15), so
# CPU seconds wander (cat's rate moved from 5.2 to 8.6 GB/s between runs); MB/s per CPU second.
#   before (054788d: a per-byte start filter, binary STL at every byte): stl-detect 247-305 MB/s, 8/8 exact;
#     cat 5,804 MB/s (same run)
#   after (7e4f43e: a 32-position AVX2 start filter, 512 KiB pages), two runs:
#     cat                          7,670 / 6,508 MB/s
#     stl-detect --sector-aligned  3,112 / 2,557 MB/s = 40 % / 39 % of cat, 8/8 exact
#     stl-detect (every byte)      2,007 / 1,790 MB/s = 26 % / 27 % of cat, 8/8 exact
#     photorec 790 / 671 MB/s, 0/8 exact (5/8 with trailing bytes); foremost 83 / 87 MB/s, 1/8 exact
#   after (this change: a 64-position AVX-512 VBMI start filter with exact byte classes; AVX2 remains the
#   fallback), Release, `tests/bench/carve_bench.sh /tmp/wcarve-rel 2048`, load 5-6; "before" is one run of
#   36ee23d's reader and filter the same day, then four runs after (the first with the AVX-512 filter on
#   nibble tables, as AVX2 has, instead of VBMI's exact 128-entry tables):
#     cat                          8,590 (before) / 8,590 / 6,927 / 7,158 / 7,670 MB/s
#     stl-detect --sector-aligned  3,025-3,112 (35-36 % of cat) -> 3,640 / 3,702 / 3,702 / 3,640 MB/s
#                                  = 42 / 53 / 51 / 47 % of cat, 8/8 exact: stl-detect's own rate is steady
#                                  (+20 %), cat's moves the ratio; the 50 % goal is met only when cat is slow
#     stl-detect (every byte)      2,045 (23 %) -> 2,440 / 2,360 / 2,526 / 2,587 MB/s = 28 / 34 / 35 / 33 %
#     stl-detect --sector-aligned --mmap  1,173 / 1,278 / 1,167 / 1,317 MB/s (13-18 %): mapping is a loss here
#   Profile (perf, 512 MiB, --sector-aligned): the kernel's copy into the page buffer and its page-cache
#   lookups ~45 % (cat's whole cost), the start filter 16 %, start-up (55 shared libraries, relocations and
#   page faults, ~40 ms) 10 %, rolling the 32 KiB margin 4 %. Tried and dropped: zero-copy pages from a
#   read-only mapping (--mmap, kept as an option): on this VM (PVM) every page of the mapping costs a fault
#   and TLB misses, and the filter reading the page cache straight from memory ran at ~1.1 GB/s, while a
#   reused 544 KiB buffer stays in the CPU cache; a buffer of 8 pages rolled 8 times less often was 8 %
#   slower for the same reason; pages of 128 KiB to 2 MiB measured the same within the noise (1 MiB: 216 vs
#   212 ms per 512 MiB, medians of 6).
#   Quiet machine (load 0.7, 4d8089a, `tests/bench/carve_bench.sh build 2048`), cat 11,930 MB/s wall:
#     stl-detect -j1 --sector-aligned   4,772 MB/s wall = 40 % of cat's wall (38 % per CPU second)
#     stl-detect -j2 --sector-aligned   6,927 MB/s wall = 58 % of cat's wall: the file cut into 256 MiB
#                                       windows that both cores scan (per CPU second 32 %), 8/8 exact
#     every byte -j1 2,413 (20 %); --mmap 1,579 (13 %); photorec 862, 0/8 exact; foremost 92, 1/8 exact
#   After 412778b (sector starts tested in one loop) and 1a18966 (a short first test per block in the AVX-512
#   filter), `tests/bench/carve_bench.sh build 2048`, load 1.6-2.6: two runs of this build around one of
#   main's (b3f5cab), MB/s per CPU second:
#     cat                              13,422 / 12,632 (main's run 12,632)
#     stl-detect -j1 --sector-aligned   5,238 / 5,238 = 39 / 41 % of cat (main 4,772 = 37 %): +10 %, 8/8 exact
#     stl-detect -j2 --sector-aligned   wall 5,238 / 8,948 MB/s = 41 / 70 % of cat's wall (main 4,668 = 39 %)
#     every byte -j1 3,409 / 3,409 (25 / 26 %; main 3,112); --mmap 1,678 / 1,820 (12-14 %)
#     photorec 767-826, 0/8 exact (5/8 with trailing bytes); foremost 82-87, 1/8 exact
#   The same day under load 3-6 cat fell to 7,670 and main's -j1 to 3,703 (48 %): cat's rate moves more with
#   the load than stl-detect's, so the ratio is lowest, about 40 %, on a quiet machine. There a 2 GiB run is
#   ~410 ms: start-up ~40 ms (55 shared libraries; libtsk's chain of libewf, libvmdk, libvhdi and afflib ->
#   curl, gnutls, krb5, ldap is 25 ms of it: a program linking only libarchive, libcrypto, expat, fmt and
#   Boost starts in 15 ms), the kernel's copy ~45 %, the start filter ~30 % (returning at once it saves 50 ms
#   per 512 MiB), the careful path and trackers ~7 %. Steady >= 50 % needs ~70 ms less: libtsk loaded only
#   when an image is opened (25 ms) and a filter at about half its cost.
#   main after wt/carve6 merged, quiet (load 1.2, 07:40 UTC, `tests/bench/carve_bench.sh build 2048`): cat 12,632
#   MB/s; -j1 --sector-aligned 5,369 MB/s wall, 5,506 per CPU second = 43 % of cat; -j2 8,948 MB/s wall = 70 % of
#   cat's wall (40 % per CPU second); every byte -j1 3,640 (28 %); --mmap 1,775 (14 %); photorec 795, 0/8 exact
#   (5/8 with trailing bytes); foremost 93, 1/8 exact; stl-detect 8/8 exact in every mode.
#   Neutral or worse, measured as task-clock of 11-15 interleaved runs on 512 MiB of the image (min, median):
#     pages of 64 / 128 / 256 KiB (buffer in L2, as cat's 128 KiB) with the 32 KiB margin, and with a 4 KiB one
#     (what a look-ahead read only when a candidate needs it would cost): 170-183 ms against 170 for 512 KiB;
#     a 2 MiB transparent-huge-page read buffer (read and one pass): same; mmap with MAP_POPULATE and
#     MADV_SEQUENTIAL, 8 or 64 MiB windows, one pass over the bytes: 324-357 ms against 91-100 for read()
#     and one pass (faults and PTEs are dear on this VM); in the filter, a lookup of the byte before through
#     a 128-entry table (bytes from 0x80 alias line starts, so twice the blocks take the whole test) +14 %,
#     an 8-byte-chunk text-run test on every block to skip the slow path's mispredicted branch +14 %, the
#     text-run spread on every block without a branch +29 %, two blocks a turn through the first test +8 %,
#     the text run checked per surviving position instead of spread over the block +-0 (2 GiB, medians of
#     11); a text test of the third byte is no filter (bytes from 0x80 count as text).
#   After libtsk is loaded only when an image is opened (d63e501; 55 -> 22 shared libraries at start), zeroed
#   buffers replaced (beac4d9, deffd93), windows joined at the previous window's frontier (4fa971d: an STL
#   crossing a 256 MiB window is carved once, no false fragments), quiet machine (load 1.5-1.7, 10:12 UTC, two
#   runs of `tests/bench/carve_bench.sh build 2048`): cat 11,930 MB/s; -j1 --sector-aligned 5,651 / 5,651 MB per
#   CPU second = 47 / 47 % of cat (wall 47 / 46 %); -j2 8,948 / 9,761 MB/s wall = 75 / 81 % of cat's wall
#   (43 / 46 % per CPU second); every byte -j1 3,355 / 3,409 per CPU second (28 %); --mmap 1,760 (14 %);
#   photorec 994, 0/8 exact (5/8 with trailing bytes); foremost 92, 1/8 exact; stl-detect 8/8 exact everywhere.
set -euo pipefail
bin=$(cd "${1:-build}" && pwd)
mib=${2:-2048}
work=${3:-${TMPDIR:-/tmp}/trawl-carve-bench}
rm -rf "$work" && mkdir -p "$work/models"
img=$work/image.raw

python3 - "$work/models" <<'PY'
import struct, sys, zipfile, os
d = sys.argv[1]
def cube(k):
    out = []
    s = 10.0 / k
    for axis in range(3):
        for side in (0.0, 10.0):
            for i in range(k):
                for j in range(k):
                    def p(a, b):
                        v = [0.0, 0.0, 0.0]; v[axis] = side; v[(axis + 1) % 3] = a; v[(axis + 2) % 3] = b
                        return tuple(v)
                    a0, a1, b0, b1 = i * s, (i + 1) * s, j * s, (j + 1) * s
                    out += [(p(a0, b0), p(a1, b0), p(a1, b1)), (p(a0, b0), p(a1, b1), p(a0, b1))]
    return out
def stl_bin(tris, header):
    b = header.ljust(80, b'\0') + struct.pack('<I', len(tris))
    for t in tris: b += struct.pack('<3f', 0, 0, 0) + b''.join(struct.pack('<3f', *v) for v in t) + b'\0\0'
    return b
def stl_ascii(tris):
    s = 'solid bench\n' + ''.join(' facet normal 0 0 0\n  outer loop\n' + ''.join('   vertex %g %g %g\n' % v for v in t)
                                  + '  endloop\n endfacet\n' for t in tris)
    return (s + 'endsolid bench\n').encode()
def obj(tris):
    s = '# Blender v2.90.0 OBJ File\no Part\n' + ''.join('v %g %g %g\n' % v for t in tris for v in t)
    return (s + ''.join('f %d %d %d\n' % (3 * i + 1, 3 * i + 2, 3 * i + 3) for i in range(len(tris)))).encode()
def ply(tris):
    b = ('ply\nformat binary_little_endian 1.0\nelement vertex %d\nproperty float x\nproperty float y\nproperty float z\n'
         'element face %d\nproperty list uchar int vertex_indices\nend_header\n' % (3 * len(tris), len(tris))).encode()
    b += b''.join(struct.pack('<3f', *v) for t in tris for v in t)
    return b + b''.join(struct.pack('<B3i', 3, 3 * i, 3 * i + 1, 3 * i + 2) for i in range(len(tris)))
def gcode(n):
    s = '; generated by PrusaSlicer 2.6.0 on 2023-07-14 at 09:12:33 UTC\nG28\nM104 S215\n'
    return (s + ''.join('G1 X%d.%d Y%d E0.05\n' % (100 + i % 50, i % 10, 80 + i % 37) for i in range(n))).encode()
files = {
    'a.stl': stl_bin(cube(20), b'AssimpScene'), 'b.stl': stl_bin(cube(7), b'solid part' + b' ' * 70),
    'c.stl': stl_ascii(cube(6)), 'd.obj': obj(cube(10)), 'e.ply': ply(cube(12)), 'f.gcode': gcode(40000),
    'h.step': b"ISO-10303-21;\nHEADER;\nFILE_NAME('x','',(''),(''),'','','');\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n",
}
for k, v in files.items(): open(os.path.join(d, k), 'wb').write(v)
z = zipfile.ZipFile(os.path.join(d, 'g.3mf'), 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', '<Types/>'); z.writestr('3D/3dmodel.model', '<model>' + 'v' * 20000 + '</model>'); z.close()
PY

echo "making a $mib MiB image ..." >&2
head -c $((mib << 20)) /dev/zero | openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f \
  -iv 00000000000000000000000000000000 -nosalt > "$img"
i=0
for f in "$work"/models/*; do
  i=$((i + 1))
  dd if="$f" of="$img" bs=512 seek=$(( (i * (mib << 20) / 9) / 512 )) conv=notrunc status=none
done
planted=$(ls "$work/models" | wc -l)
sha256sum "$work"/models/* | cut -d' ' -f1 | sort > "$work/planted.sha"
recall() { sort -u | comm -12 - "$work/planted.sha" | wc -l; }
# prefix_recall DIR: planted files that some recovered file under DIR starts with (recovered with trailing bytes).
prefix_recall() {
  local n=0 m f size
  for m in "$work"/models/*; do
    size=$(stat -c %s "$m")
    while IFS= read -r -d '' f; do
      if cmp -s -n "$size" "$f" "$m"; then n=$((n + 1)); break; fi
    done < <(find "$1" -type f -print0)
  done
  echo "$n"
}
# seconds CMD...: wall-clock seconds; the CPU seconds (user + sys) go to $work/cpu, since the machine may be shared.
seconds() {
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > /dev/null 2>&1 || true
  read -r wall user sys < "$work/time"
  echo "$user + $sys" | bc -l > "$work/cpu"
  echo "$wall"
}
rate() { echo "scale=1; $mib * 1.048576 / $1" | bc -l; }
cpu_rate() { echo "$(rate "$(cat "$work/cpu")") MB/s per CPU second"; }

# median3 CMD...: runs CMD three times; prints the median wall seconds and leaves the median CPU seconds in $work/cpu.
median3() {
  local walls=() cpus=() k
  for k in 1 2 3; do
    walls+=("$(seconds "$@")")
    cpus+=("$(cat "$work/cpu")")
  done
  printf '%s\n' "${cpus[@]}" | sort -g | sed -n 2p > "$work/cpu"
  printf '%s\n' "${walls[@]}" | sort -g | sed -n 2p
}

cat "$img" > /dev/null
t=$(median3 cat "$img"); cat_cpu=$(cat "$work/cpu"); cat_wall=$t; echo "cat > /dev/null: $(rate "$t") MB/s ($(cpu_rate))"

# --mmap: pages are views of a read-only mapping instead of copies (slower on this VM: see the figures above).
# --all-cores: the image cut into 256 MiB windows that every core scans at once (wall time is what counts).
for mode in --sector-aligned --sector-aligned,--all-cores --sector-aligned,--mmap --carve-every-byte; do
  flags=(--carve-files --no-progress -q -j1)
  [[ $mode == *--all-cores ]] && flags=(--carve-files --no-progress -q "-j$(nproc)")
  [[ $mode == --sector-aligned* ]] && flags+=(--sector-aligned)
  [[ $mode == *--mmap ]] && flags+=(--mmap)
  t=$(median3 sh -c 'out=$1; shift; exec "$@" > "$out"' sh "$work/stl-detect.jsonl" "$bin/stl-detect" "${flags[@]}" "$img")
  echo "stl-detect ${flags[*]}: $(rate "$t") MB/s ($(cpu_rate), $(echo "scale=0; 100 * $cat_cpu / $(cat "$work/cpu")" |
    bc -l) % of cat; wall $(echo "scale=0; 100 * $cat_wall / $t" | bc -l) % of cat's), recall $(jq -r 'select(.type == "model") | .sha256' "$work/stl-detect.jsonl" | recall)/$planted," \
    "carves $(grep -c '"type":"model"' "$work/stl-detect.jsonl")"
done

if command -v photorec > /dev/null; then
  mkdir -p "$work/photorec"
  cd "$work"  # photorec writes photorec.log in the current directory
  t=$(seconds photorec /log /d "$work/photorec/out" /cmd "$img" partition_none,options,paranoid_no,fileopt,everything,enable,search)
  echo "photorec: $(rate "$t") MB/s ($(cpu_rate)), recall $(find "$work/photorec" -type f ! -name '*.xml' ! -name '*.log' -print0 |
    xargs -0 -r sha256sum | cut -d' ' -f1 | recall)/$planted exact, $(prefix_recall "$work/photorec")/$planted with trailing bytes"
fi
if command -v foremost > /dev/null; then
  t=$(seconds foremost -Q -i "$img" -o "$work/foremost")
  echo "foremost: $(rate "$t") MB/s ($(cpu_rate)), recall $(find "$work/foremost" -type f ! -name audit.txt -print0 |
    xargs -0 -r sha256sum | cut -d' ' -f1 | recall)/$planted exact, $(prefix_recall "$work/foremost")/$planted with trailing bytes"
fi
rm -f "$img"
