#!/usr/bin/env bash
# benign_meshes.sh [BUILD_DIR]: stl-detect's false-positive rate on the real, benign meshes Debian ships (run by
# hand; needs network access to the Debian mirror). Downloads cura and prusa-slicer with `apt-get download`
# (nothing is installed), unpacks them with dpkg -x, runs stl-detect over every STL/OBJ/3MF/AMF/PLY and prints the
# verdicts, the models flagged firearm-suspect with their cues, and mesh parse errors.
# These are printer platforms, calibration objects and sample models: every firearm-suspect verdict is a false
# positive of the cue extractor.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)
work=${TMPDIR:-/tmp}/trawl-benign-meshes
mkdir -p "$work" && cd "$work"
[[ -d x ]] || { apt-get download cura prusa-slicer >/dev/null 2>&1; for d in *.deb; do dpkg -x "$d" x; done; }
meshes=$(find x -type f \( -iname '*.stl' -o -iname '*.obj' -o -iname '*.3mf' -o -iname '*.amf' -o -iname '*.ply' \) | wc -l)
"$bin/stl-detect" --no-progress x >models.jsonl 2>errors.txt || true
echo "# stl-detect on $meshes mesh files from Debian's cura and prusa-slicer packages, $(date -u +%FT%TZ)"
echo "verdicts:"; jq -r '.verdict' models.jsonl | sort | uniq -c
flagged=$(jq -s '[.[] | select(.verdict == "firearm-suspect")] | length' models.jsonl)
echo "false-positive rate: $flagged / $(wc -l <models.jsonl) = $(echo "scale=4; $flagged / $(wc -l <models.jsonl)" | bc)"
jq -r 'select(.verdict == "firearm-suspect") | "  \(.path): \([.cues[] | "\(.id) (\(.evidence))"] | join("; "))"' models.jsonl
echo "mesh parse errors: $(jq -s '[.[] | select(.mesh_error)] | length' models.jsonl); diagnostics: $(wc -l <errors.txt)"
