#!/usr/bin/env python3
"""Writes the ISO BMFF fixtures of tests/data/meta (see tests/data/README.md).

bmff_video.mov: ftyp qt, moov with mvhd, one trak (tkhd, mdia/mdhd), udta
(©xyz ©mak ©mod ©swr ©day), an Apple mdta meta (keys + ilst) and an XMP uuid
box. bmff_image.heic: ftyp heic, meta with iinf/iloc naming an Exif item
(4-byte TIFF-header offset prefix) and an application/rdf+xml mime item, mdat.
"""
import struct
import calendar

EPOCH_1904 = 2082844800


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full(kind, version, flags, payload):
    return box(kind, struct.pack(">I", version << 24 | flags) + payload)


def mac_time(y, mo, d, h, mi, s):
    return calendar.timegm((y, mo, d, h, mi, s)) + EPOCH_1904


def qt_string(text):
    data = text.encode()
    return struct.pack(">HH", len(data), 0x55C4) + data


XMP = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Clip Tool"/>'
       b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def video():
    ftyp = box(b"ftyp", b"qt  " + struct.pack(">I", 0x200) + b"qt  ")
    created = mac_time(2023, 7, 4, 16, 34, 56)
    modified = mac_time(2023, 7, 4, 16, 35, 10)
    mvhd = full(b"mvhd", 0, 0, struct.pack(">IIII", created, modified, 600, 6000) + bytes(80))
    tkhd = full(b"tkhd", 0, 3, struct.pack(">III", created, modified, 1) + bytes(72))
    mdhd = full(b"mdhd", 0, 0, struct.pack(">IIII", created, 0, 600, 6000) + bytes(4))
    trak = box(b"trak", tkhd + box(b"mdia", mdhd))
    udta = box(b"udta", box(b"\xa9xyz", qt_string("+40.6892-074.0445+010.000/")) +
               box(b"\xa9mak", qt_string("Apple")) + box(b"\xa9mod", qt_string("iPhone 12")) +
               box(b"\xa9swr", qt_string("16.5")) + box(b"\xa9day", qt_string("2023-07-04T12:34:56-0400")))
    keys = [b"com.apple.quicktime.make", b"com.apple.quicktime.model", b"com.apple.quicktime.software",
            b"com.apple.quicktime.creationdate", b"com.apple.quicktime.location.ISO6709"]
    values = [b"Apple", b"iPhone 12", b"16.5", b"2023-07-04T12:34:56-0400", b"+40.6892-074.0445+010.000/"]
    keys_box = full(b"keys", 0, 0, struct.pack(">I", len(keys)) +
                    b"".join(struct.pack(">I", 8 + len(k)) + b"mdta" + k for k in keys))
    ilst = box(b"ilst", b"".join(box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0) + v))
                                 for i, v in enumerate(values)))
    hdlr = full(b"hdlr", 0, 0, bytes(4) + b"mdta" + bytes(12) + b"\0")
    meta = box(b"meta", hdlr + keys_box + ilst)  # QuickTime meta: no version/flags
    moov = box(b"moov", mvhd + trak + udta + meta)
    uuid = box(b"uuid", XMP_UUID + XMP)
    return ftyp + moov + uuid + box(b"mdat", b"\0" * 16)


def tiff():
    # little-endian TIFF with IFD0 Make = "HeifCam"
    make = b"HeifCam\0"
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x010F, 2, len(make), 8 + 2 + 12 + 4) + struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", 8) + ifd + make


def image():
    ftyp = box(b"ftyp", b"heic" + struct.pack(">I", 0) + b"mif1heic")
    hdlr = full(b"hdlr", 0, 0, bytes(4) + b"pict" + bytes(12) + b"\0")
    infe1 = full(b"infe", 2, 0, struct.pack(">HH", 1, 0) + b"Exif" + b"\0")
    infe2 = full(b"infe", 2, 0, struct.pack(">HH", 2, 0) + b"mime" + b"\0" + b"application/rdf+xml\0")
    iinf = full(b"iinf", 0, 0, struct.pack(">H", 2) + infe1 + infe2)
    exif = struct.pack(">I", 6) + b"Exif\0\0" + tiff()   # prefix: offset of the TIFF header after it
    def iloc_for(base):
        body = struct.pack(">BBH", 0x44, 0x00, 2)
        body += struct.pack(">HHHII", 1, 0, 1, base, len(exif))
        body += struct.pack(">HHHII", 2, 0, 1, base + len(exif), len(XMP))
        return full(b"iloc", 0, 0, body)
    meta_len = len(full(b"meta", 0, 0, hdlr + iinf + iloc_for(0)))
    mdat_payload_at = len(ftyp) + meta_len + 8
    meta = full(b"meta", 0, 0, hdlr + iinf + iloc_for(mdat_payload_at))
    return ftyp + meta + box(b"mdat", exif + XMP)


if __name__ == "__main__":
    with open("bmff_video.mov", "wb") as f:
        f.write(video())
    with open("bmff_image.heic", "wb") as f:
        f.write(image())
