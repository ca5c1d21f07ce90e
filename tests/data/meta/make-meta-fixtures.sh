#!/usr/bin/env bash
# Regenerates the image-metadata fixtures of tests/data/meta/ (see
# tests/data/README.md) and their ExifTool oracles (*.exiftool.json).
# Needs exiftool (Debian libimage-exiftool-perl 12.57) and python3.
# Run from anywhere: bash tests/data/meta/make-meta-fixtures.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"
rm -f camera-be.jpg camera-le.jpg text.png plain.tif comment.gif exif.webp ./*.exiftool.json

camera_tags=(
  -Make=FUJIFILM -Model=X-T4 -Software="Firmware 1.0" -ModifyDate="2023:04:01 10:00:00"
  -Artist="Photographer 10" -XPAuthor="Ünïcode Âuthor 10" -ImageDescription="A test photo"
  -Orientation#=1
  -DateTimeOriginal="2023:03:11 10:10:07" -CreateDate="2023:03:11 10:10:07"
  -OffsetTimeOriginal="+01:00" -SubSecTimeOriginal=10 -ImageUniqueID=1e5
  -OwnerName="Owner 10" -SerialNumber=SN00079190 -LensModel="EF24-70mm f/2.8L II USM" -LensSerialNumber=LS10
  -ExposureTime=0.005 -FNumber=2.8 -ISO=200 -FocalLength=35 -UserComment="Comment in EXIF"
  -GPSVersionID="2 3 0 0" -GPSLatitude=57.629 -GPSLatitudeRef=S -GPSLongitude=162.807 -GPSLongitudeRef=W
  -GPSAltitude=10.5 -GPSAltitudeRef#=1 -GPSDateStamp=2023:03:11 -GPSTimeStamp=10:10:07
  -XMP-dc:Creator="Creator 10" -IPTC:By-line="Byline 10" -IPTC:Keywords=alpha -IPTC:Keywords=beta
  -IPTC:City="Zürich" -IPTC:DateCreated=2023:03:11 -IPTC:TimeCreated=10:10:07+01:00 -Comment="JPEG comment"
)

# Big-endian EXIF (the base photo's own byte order) with a 128x128 thumbnail
# on a 160x100 image: the thumbnail's aspect disagrees.
cp "$data/photos/shrink-a-lot.jpg" "$work/be.jpg"
exiftool -q -overwrite_original "${camera_tags[@]}" "-ThumbnailImage<=$data/photos/square-128x128.jpg" "$work/be.jpg"
cp "$work/be.jpg" camera-be.jpg

# Little-endian EXIF: drop the EXIF block, then write it again as II.
cp "$data/photos/shrink-a-lot.jpg" "$work/le.jpg"
exiftool -q -overwrite_original -EXIF:all= "$work/le.jpg"
exiftool -q -overwrite_original -ExifByteOrder=II "${camera_tags[@]}" -GPSLatitudeRef=N -GPSLongitudeRef=E \
  -GPSAltitudeRef#=0 -XPAuthor="Author LE" "$work/le.jpg"
cp "$work/le.jpg" camera-le.jpg

# A 4x2 PNG written by hand, then text chunks by exiftool (which moves any
# text found after IDAT before it), then a tEXt and a zTXt appended after
# IDAT (as ImageMagick does).
python3 - "$work/base.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
raw = b"".join(b"\0" + bytes([x * 60, 0, 255 - x * 60]) * 4 for x in range(2))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0))
png += chunk(b"tIME", struct.pack(">HBBBBB", 2023, 3, 11, 10, 10, 7))
png += chunk(b"tEXt", b"Title\0Caf\xe9 title")
png += chunk(b"iTXt", b"Description\0\0\0en\0\0" + "Beschreibung über".encode())
png += chunk(b"IDAT", zlib.compress(raw))
png += chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
exiftool -q -overwrite_original -PNG:Author="PNG Author" -PNG:Software="gen 1.0" -EXIF:Make=PNGCam \
  -EXIF:DateTimeOriginal="2022:12:31 23:59:59" -XMP-dc:Creator="PNG Creator" "$work/base.png"
python3 - "$work/base.png" text.png <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = open(sys.argv[1], "rb").read()
assert png.endswith(chunk(b"IEND", b""))
late = chunk(b"tEXt", b"date:create\x002023-03-11T10:10:07+00:00")
late += chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"compressed comment after IDAT"))
open(sys.argv[2], "wb").write(png[:-12] + late + png[-12:])
PY

# A minimal 2x2 8-bit grey TIFF, then EXIF/GPS tags by exiftool.
python3 - "$work/plain.tif" <<'PY'
import struct, sys
entries = [(256, 3, 1, 2), (257, 3, 1, 2), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
           (273, 4, 1, 8), (277, 3, 1, 1), (278, 3, 1, 2), (279, 4, 1, 4)]
ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\0\0\0\0"
open(sys.argv[1], "wb").write(b"II*\0" + struct.pack("<I", 12) + bytes([0, 85, 170, 255]) + ifd)
PY
exiftool -q -overwrite_original -Make=TIFFCam -Model="Model T" -DateTimeOriginal="2021:06:01 08:00:00" \
  -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E -XPComment="tiff comment" "$work/plain.tif"
cp "$work/plain.tif" plain.tif

# GIF and WebP from the decoder fixtures, with a comment / EXIF + XMP.
cp "$data/pdq/formats/square.gif" "$work/c.gif"
exiftool -q -overwrite_original -Comment="GIF comment" -XMP-dc:Creator="GIF Creator" "$work/c.gif"
cp "$work/c.gif" comment.gif
cp "$data/pdq/formats/square-lossy.webp" "$work/e.webp"
exiftool -q -overwrite_original -Make=WebPCam -DateTimeOriginal="2020:02:29 12:00:00" -XMP-dc:Creator="WebP Creator" "$work/e.webp"
cp "$work/e.webp" exif.webp

for f in camera-be.jpg camera-le.jpg text.png plain.tif comment.gif exif.webp; do
  exiftool -j -n -G1 -a -x System:all -x ExifTool:all "$f" >"$f.exiftool.json"
done
