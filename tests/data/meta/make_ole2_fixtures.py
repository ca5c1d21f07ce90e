#!/usr/bin/env python3
"""Writes tests/data/meta/ole2_doc.doc: a minimal Compound File Binary (v3,
512-byte sectors) with a SummaryInformation stream in the mini stream
(code page 1252, Windows-1252 text, FILETIMEs, counts) and a
DocumentSummaryInformation stream padded past the 4096-byte cutoff so it
lives in regular sectors, plus an empty WordDocument stream.
"""
import struct

SECTOR = 512
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
SUMMARY_FMTID = bytes.fromhex("E0859FF2F94F6810AB9108002B27B3D9")
DOCSUM_FMTID = bytes.fromhex("02D5CDD59C2E1B10939708002B2CF9AE")


def filetime(y, mo, d, h, mi, s):
    import calendar
    return (calendar.timegm((y, mo, d, h, mi, s)) + 11644473600) * 10_000_000


def prop(vt, value):
    if vt == 2:  # VT_I2
        return struct.pack("<HHh", vt, 0, value) + b"\0\0"
    if vt == 3:  # VT_I4
        return struct.pack("<HHi", vt, 0, value)
    if vt == 11:  # VT_BOOL
        return struct.pack("<HHh", vt, 0, -1 if value else 0) + b"\0\0"
    if vt == 30:  # VT_LPSTR, count includes the NUL
        data = value + b"\0"
        data += b"\0" * (-len(data) % 4)
        return struct.pack("<HHI", vt, 0, len(value) + 1) + data
    if vt == 31:  # VT_LPWSTR, count in characters
        data = (value + "\0").encode("utf-16-le")
        data += b"\0" * (-len(data) % 4)
        return struct.pack("<HHI", vt, 0, len(value) + 1) + data
    if vt == 64:  # VT_FILETIME
        return struct.pack("<HHQ", vt, 0, value)
    raise ValueError(vt)


def property_set(fmtid, props):
    body = b""
    table = b""
    header_len = 8 + 8 * len(props)
    for pid, vt, value in props:
        table += struct.pack("<II", pid, header_len + len(body))
        body += prop(vt, value)
    section = struct.pack("<II", header_len + len(body), len(props)) + table + body
    head = struct.pack("<HHI", 0xFFFE, 0, 0x00020006) + bytes(16) + struct.pack("<I", 1) + fmtid + struct.pack("<I", 48)
    return head + section


def summary():
    return property_set(SUMMARY_FMTID, [
        (1, 2, 1252),
        (2, 30, b"Quarterly \x93Report\x94"),
        (3, 30, b"Finance"),
        (4, 30, b"J\xfcrgen M\xfcller"),
        (5, 30, b"q3 budget"),
        (6, 30, b"draft for review"),
        (7, 30, b"Normal.dotm"),
        (8, 30, b"Second Editor"),
        (9, 30, b"7"),
        (10, 64, 266 * 10_000_000),  # 266 s of editing
        (11, 64, filetime(2023, 3, 10, 8, 0, 0)),
        (12, 64, filetime(2023, 3, 1, 9, 30, 0)),
        (13, 64, filetime(2023, 3, 11, 10, 10, 7)),
        (14, 3, 3),
        (15, 3, 1200),
        (16, 3, 6800),
        (18, 30, b"Microsoft Office Word"),
        (19, 3, 0),
    ])


def docsummary():
    ps = property_set(DOCSUM_FMTID, [
        (1, 2, 1252),
        (2, 30, b"Reports"),
        (5, 3, 40),
        (6, 3, 12),
        (14, 30, b"The Manager"),
        (15, 30, b"ACME Corp"),
        (16, 11, False),
        (23, 3, 16 << 16),
    ])
    return ps + b"\0" * (4200 - len(ps))  # past the mini-stream cutoff


def dir_entry(name, kind, start, size, child=FREE, left=FREE, right=FREE):
    n = (name + "\0").encode("utf-16-le") if name else b""
    return (n.ljust(64, b"\0") + struct.pack("<HBB", len(n), kind, 1) + struct.pack("<III", left, right, child) +
            bytes(16) + struct.pack("<I", 0) + bytes(16) + struct.pack("<IQ", start, size)[:8] + b"\0\0\0\0")


def build():
    summ = summary()
    docs = docsummary()
    mini = summ + b"\0" * (-len(summ) % 64)
    mini_sectors = len(mini) // 64
    # layout: 0 FAT, 1 directory, 2 mini FAT, 3.. mini stream, then DocumentSummaryInformation
    mini_stream_sectors = -(-len(mini) // SECTOR)
    docs_sectors = -(-len(docs) // SECTOR)
    ms_start = 3
    ds_start = ms_start + mini_stream_sectors
    total = ds_start + docs_sectors
    fat = [FATSECT, END, END]
    fat += [ms_start + i + 1 for i in range(mini_stream_sectors - 1)] + [END]
    fat += [ds_start + i + 1 for i in range(docs_sectors - 1)] + [END]
    fat += [FREE] * (128 - len(fat))
    minifat = [i + 1 for i in range(mini_sectors - 1)] + [END]
    minifat += [FREE] * (128 - len(minifat))
    # directory: root (child = DocumentSummaryInformation), a small red-black tree of three streams
    entries = dir_entry("Root Entry", 5, ms_start, len(mini), child=2)
    entries += dir_entry("\x05SummaryInformation", 2, 0, len(summ))
    entries += dir_entry("\x05DocumentSummaryInformation", 2, ds_start, len(docs), left=1, right=3)
    entries += dir_entry("WordDocument", 2, END, 0)
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    out = header
    out += struct.pack("<128I", *fat)
    out += entries.ljust(SECTOR, b"\0")
    out += struct.pack("<128I", *minifat)
    out += mini.ljust(mini_stream_sectors * SECTOR, b"\0")
    out += docs.ljust(docs_sectors * SECTOR, b"\0")
    assert len(out) == (total + 1) * SECTOR
    return out


if __name__ == "__main__":
    with open("ole2_doc.doc", "wb") as f:
        f.write(build())
