#!/usr/bin/env bash
# meta-extract against ExifTool on a generated corpus of 356 files (scripts/make-meta-corpus: JPEG with EXIF/GPS/
# IPTC/XMP in both byte orders, PNG text chunks, PDFs with incremental updates and XMP, DOCX, XLSX, ODT, and TIFF,
# MOV, HEIC, OLE2 .doc, WebP and GIF fixtures): the forensic
# fields must agree in at least 99% of cases (tests/cli/meta_oracle_compare.py names each normalisation and prints
# every difference). Also: the same JPEG inside a zip gives the same fields as the file.
# needs: exiftool python3 jq zip
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/oracle_lib.sh"

oracle_need exiftool python3 jq zip
meta_extract=$(oracle_tool meta-extract) || exit $?
w=$TRAWL_WORK
corpus=$w/corpus
"$TRAWL_SRC/scripts/make-meta-corpus" "$corpus" 240 >"$w/corpus.log" 2>&1 || { cat "$w/corpus.log"; exit 2; }

# ExifTool's view, one process for the whole corpus; paths as meta-extract prints them.
(cd "$w" && exiftool -j -n -G1 -a -m -r corpus) >"$w/exiftool.json" 2>"$w/exiftool.err"
(cd "$w" && "$meta_extract" -j2 corpus) >"$w/meta.jsonl" 2>"$w/meta.err"
rc=$?
check_eq "exit status with metadata found" 0 "$rc"
check_jsonl "$w/meta.jsonl" "meta-extract output"
if python3 "$TRAWL_SRC/tests/cli/meta_oracle_compare.py" "$w/exiftool.json" "$w/meta.jsonl" 0.99; then
  pass
else
  fail "agreement with exiftool below 99% (see above)"
fi
check_eq "records" 356 "$(jq -s '[.[] | select(.type == "meta")] | length' "$w/meta.jsonl")"
check_eq "no errors on stderr" "" "$(cat "$w/meta.err")"

# Items inside archives give the metadata of the extracted file.
(cd "$corpus/jpeg" && zip -q -X "$w/photos.zip" img_0001.jpg img_0002.jpg)
"$meta_extract" "$corpus/jpeg/img_0002.jpg" | jq -S 'with_entries(select(.key | contains(":")))' >"$w/file.json"
"$meta_extract" "$w/photos.zip" | jq -S 'select(.path | endswith("img_0002.jpg")) | with_entries(select(.key | contains(":")))' >"$w/member.json"
check_eq "archive member metadata equals the file's" "" "$(diff "$w/file.json" "$w/member.json")"

# PDF revisions: the original Author is kept beside the update's, with revision numbers.
pdf=$("$meta_extract" "$corpus/pdf/doc_02.pdf")
check_eq "latest PDF author" '"Editor 2"' "$(jq '."PDF:Author"' <<<"$pdf")"
check_eq "original PDF author kept" '"Original Author 2"' "$(jq '."PDF:Author#2"' <<<"$pdf")"
check_eq "producer change flagged" true "$(jq '[.indicators[] | select(startswith("PDF producer changed"))] | length == 1' <<<"$pdf")"

# Files inside the sample image: the same fields as the file extracted with icat, and every provenance offset
# re-located in the raw image (;image=N) holds the value's bytes.
oracle_need icat dd
ev=$(oracle_evidence) || exit $?
"$meta_extract" --no-progress "$ev/sample.img" >"$w/image.jsonl" 2>/dev/null
rec=$(jq -c 'select(.path | endswith("photos/harbour.jpg"))' "$w/image.jsonl")
check_eq "harbour.jpg found in the image" true "$([[ -n $rec ]] && echo true || echo false)"
icat -o $(($(jq -r '.partition_offset' <<<"$rec") / 512)) "$ev/sample.img" "$(jq -r '.inode' <<<"$rec")" >"$w/harbour.jpg"
"$meta_extract" "$w/harbour.jpg" | jq -S 'with_entries(select(.key | contains(":")))' >"$w/extracted.json"
jq -S 'with_entries(select(.key | contains(":")))' <<<"$rec" >"$w/in-image.json"
check_eq "image item metadata equals the extracted file's" "" "$(diff "$w/extracted.json" "$w/in-image.json")"
make_at=$(jq -r '.provenance."IFD0:Make" | capture("image=(?<n>[0-9]+)").n' <<<"$rec")
check_eq "IFD0:Make re-located in the raw image" "Canon" "$(dd if="$ev/sample.img" bs=1 skip="$make_at" count=5 status=none)"
serial_at=$(jq -r '.provenance."ExifIFD:SerialNumber" | capture("image=(?<n>[0-9]+)").n' <<<"$rec")
check_eq "ExifIFD:SerialNumber re-located in the raw image" "083024001234" \
  "$(dd if="$ev/sample.img" bs=1 skip="$serial_at" count=12 status=none)"

oracle_finish
