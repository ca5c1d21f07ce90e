#!/usr/bin/env python3
"""Compares meta-extract records with ExifTool's JSON on the forensic fields (tests/cli/meta_oracle_test.sh).

usage: meta_oracle_compare.py EXIFTOOL.json META.jsonl MIN_AGREEMENT

Both name fields Group:Tag (exiftool -j -n -G1 -a). Values are normalised only where the two tools differ by
design, and each such rule is explained below; everything else must be equal. Prints a summary and the first
disagreements; exits 1 when agreement is below MIN_AGREEMENT (a fraction) or a file is missing.
"""
import json
import math
import sys

# The forensic fields of shared/research/meta-extract.md §1.2 that the corpus carries.
FIELDS = [
    "IFD0:Make", "IFD0:Model", "IFD0:Software", "IFD0:Artist", "IFD0:XPAuthor", "IFD0:ModifyDate",
    "ExifIFD:DateTimeOriginal", "ExifIFD:CreateDate", "ExifIFD:OffsetTimeOriginal", "ExifIFD:SubSecTimeOriginal",
    "ExifIFD:SerialNumber", "ExifIFD:OwnerName", "ExifIFD:LensModel", "ExifIFD:LensSerialNumber",
    "ExifIFD:ImageUniqueID", "ExifIFD:UserComment",
    "GPS:GPSLatitudeRef", "GPS:GPSLatitude", "GPS:GPSLongitudeRef", "GPS:GPSLongitude", "GPS:GPSAltitudeRef",
    "GPS:GPSAltitude", "GPS:GPSDateStamp", "GPS:GPSTimeStamp",
    "Composite:GPSLatitude", "Composite:GPSLongitude", "Composite:GPSAltitude", "Composite:GPSDateTime",
    "IFD1:ThumbnailOffset", "IFD1:ThumbnailLength",
    "IPTC:By-line", "IPTC:City", "XMP-dc:Creator", "XMP-xmp:CreatorTool", "XMP-x:XMPToolkit",
    "PNG:Author", "PNG:Software", "PNG:Comment", "PNG:Title", "PNG:Description", "PNG:ModifyDate",
    "PDF:Title", "PDF:Author", "PDF:Creator", "PDF:Producer", "PDF:CreateDate", "PDF:ModifyDate", "PDF:PDFVersion",
    "PDF:PageCount", "XMP-pdf:Producer",
    "XML:LastModifiedBy", "XML:RevisionNumber", "XML:CreateDate", "XML:ModifyDate", "XML:Application",
    "XML:Company", "XML:TotalEditTime", "XML:Template", "XML:AppVersion", "XMP-dc:Title", "IFD0:XPComment",
    "QuickTime:MajorBrand", "QuickTime:CreateDate", "QuickTime:ModifyDate", "Track1:TrackCreateDate",
    "Track1:MediaCreateDate", "UserData:GPSCoordinates", "UserData:Make", "UserData:Model", "Keys:Make", "Keys:Model",
    "Keys:Software", "Keys:CreationDate", "Keys:GPSCoordinates",
    "FlashPix:Title", "FlashPix:Subject", "FlashPix:Author", "FlashPix:Keywords", "FlashPix:Comments",
    "FlashPix:LastModifiedBy", "FlashPix:RevisionNumber", "FlashPix:CreateDate", "FlashPix:ModifyDate",
    "FlashPix:LastPrinted", "FlashPix:Software", "FlashPix:Company", "FlashPix:Manager", "FlashPix:CodePage",
    "GIF:Comment", "File:Comment", "RIFF:ImageWidth",
]


def as_time(text):
    """ExifTool writes dates "YYYY:MM:DD HH:MM:SS[zone]"; trawl writes ISO 8601. Compare as ISO."""
    if isinstance(text, str) and len(text) >= 19 and text[4] == ":" and text[7] == ":" and text[10] == " ":
        return text[:4] + "-" + text[5:7] + "-" + text[8:10] + "T" + text[11:]
    if isinstance(text, str) and len(text) == 10 and text[4] == ":" and text[7] == ":":
        return text[:4] + "-" + text[5:7] + "-" + text[8:10]
    return text


def iso6709_numbers(text):
    """"+40.6892-074.0445+010.000/" -> [40.6892, -74.0445, 10.0]; trawl keeps the stored ISO 6709 string (the
    signed decimal position is in Composite:GPSLatitude/Longitude), ExifTool -n prints the numbers."""
    import re
    return [float(n) for n in re.findall(r"[+-][0-9.]+", text)]


def same(key, theirs, ours):
    if key.endswith("GPSCoordinates") and isinstance(ours, str) and isinstance(theirs, str):
        a, b = iso6709_numbers(ours), [float(n) for n in theirs.split()]
        return len(a) == len(b) and all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(a, b))
    if isinstance(theirs, list):  # ExifTool lists; trawl joins list items with ", "
        theirs = ", ".join(str(t) for t in theirs)
    if isinstance(theirs, (int, float)) and isinstance(ours, (int, float)):
        return math.isclose(float(theirs), float(ours), rel_tol=1e-6, abs_tol=1e-6)
    if isinstance(theirs, (int, float)) and isinstance(ours, str):
        # ExifTool prints strings that look like numbers as numbers (ImageUniqueID "1e5" becomes 100000.0,
        # SubSecTimeOriginal "10" becomes 10); trawl keeps the text. Equal when the text reads as that number.
        try:
            return math.isclose(float(ours), float(theirs), rel_tol=1e-9)
        except ValueError:
            return False
    theirs_t, ours_t = as_time(theirs), as_time(ours)
    if isinstance(theirs_t, str) and isinstance(ours_t, str):
        if theirs_t == ours_t:
            return True
        # trawl appends the zone it knows from OffsetTime* to the EXIF time; ExifTool keeps them apart.
        if len(theirs_t) == 19 and ours_t.startswith(theirs_t) and ours_t[19:20] in "+-Z":
            return True
        # GPSDateTime: ExifTool "2023:03:11 10:10:07Z", trawl "2023-03-11T10:10:07Z".
        return False
    return str(theirs) == str(ours)


def main():
    exiftool_json, meta_jsonl, minimum = sys.argv[1], sys.argv[2], float(sys.argv[3])
    theirs = {entry["SourceFile"]: entry for entry in json.load(open(exiftool_json, encoding="utf-8"))}
    ours = {}
    for line in open(meta_jsonl, encoding="utf-8"):
        record = json.loads(line)
        if record.get("type") == "meta":
            ours[record["path"]] = record
    compared = agreed = 0
    missing_files = [path for path in theirs if path not in ours]
    problems = []
    per_field = {}
    for path, entry in theirs.items():
        record = ours.get(path, {})
        for key in FIELDS:
            if key not in entry:
                continue
            compared += 1
            value = record.get(key)
            ok = value is not None and same(key, entry[key], value)
            per_field.setdefault(key, [0, 0])[0 if ok else 1] += 1
            if ok:
                agreed += 1
            else:
                problems.append(f"{path}: {key}: exiftool {entry[key]!r}, meta-extract {value!r}")
    ratio = agreed / compared if compared else 0.0
    print(f"files: {len(theirs)} (exiftool) {len(ours)} (meta-extract); fields compared: {compared}, "
          f"agreed: {agreed} ({100 * ratio:.2f}%)")
    for key, (good, bad) in sorted(per_field.items()):
        if bad:
            print(f"  {key}: {good} agree, {bad} differ")
    for p in problems[:25]:
        print("  DIFF " + p)
    for path in missing_files[:10]:
        print("  MISSING " + path)
    return 0 if ratio >= minimum and not missing_files else 1


if __name__ == "__main__":
    sys.exit(main())
