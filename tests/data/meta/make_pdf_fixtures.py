#!/usr/bin/env python3
"""Writes the PDF fixtures of tests/data/meta (see tests/data/README.md).

Hand-built PDFs: an original plus two incremental updates with differing
producers, a linearised-looking file, and a PDF 1.5 file whose Info
dictionary lives in a compressed object stream with an xref stream.
"""
import zlib

XMP = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
       b'<xmp:CreatorTool>%s</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>\n'
       b'<?xpacket end="w"?>')


class Pdf:
    def __init__(self, version=b"1.4"):
        self.out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
        self.offsets = {}

    def obj(self, num, body):
        self.offsets[num] = len(self.out)
        self.out += b"%d 0 obj\n" % num + body + b"\nendobj\n"

    def stream(self, num, dict_body, data):
        self.obj(num, b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")

    def xref_trailer(self, nums, trailer, prev=None):
        at = len(self.out)
        self.out += b"xref\n"
        for n in sorted(nums):
            self.out += b"%d 1\n%010d 00000 n \n" % (n, self.offsets[n])
        extra = b" /Prev %d" % prev if prev is not None else b""
        self.out += b"trailer\n<< " + trailer + extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % at
        return at


def incremental():
    p = Pdf()
    p.obj(1, b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>")
    p.obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    p.obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
    p.obj(4, b"<< /Title (Report \\(draft\\) \\351t\\351) /Author <FEFF004F0072006900670069006E0061006C00200041007500740068006F0072>"
             b" /Producer (Writer 1) /CreationDate (D:20230311101007+01'00') /Trapped /False >>")
    p.stream(5, b"/Type /Metadata /Subtype /XML", XMP % b"Tool 1")
    x1 = p.xref_trailer([1, 2, 3, 4, 5], b"/Size 6 /Root 1 0 R /Info 4 0 R")
    # update 1: Info object 4 rewritten in place (same number)
    p.obj(4, b"<< /Title (Report) /Author (Editor) /Producer (Writer 2) /CreationDate (D:20230311101007+01'00')"
             b" /ModDate (D:20230402120000Z) >>")
    x2 = p.xref_trailer([4], b"/Size 6 /Root 1 0 R /Info 4 0 R", x1)
    # update 2: a new Info object, a custom key, a bad date and a compressed XMP stream
    p.obj(6, b"<< /Author (Third Author) /Producer (Writer 3) /ModDate (D:2023x402) /Company (ACME \\222 Corp) >>")
    data = zlib.compress(XMP % b"Tool 3")
    p.stream(7, b"/Type /Metadata /Subtype /XML /Filter /FlateDecode", data)
    p.obj(1, b"<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>")
    p.xref_trailer([1, 6, 7], b"/Size 8 /Root 1 0 R /Info 6 0 R", x2)
    return bytes(p.out)


def linearized():
    p = Pdf(b"1.6")
    p.obj(9, b"<< /Linearized 1 /L 1000 /H [ 0 0 ] /O 11 /E 0 /N 1 /T 0 >>")
    # first-page cross-reference section and trailer: not a revision of its own
    first = len(p.out)
    p.out += b"xref\n9 1\n%010d 00000 n \ntrailer\n<< /Size 13 /Root 10 0 R /Info 8 0 R /Prev 0 >>\nstartxref\n0\n%%%%EOF\n" % p.offsets[9]
    p.obj(10, b"<< /Type /Catalog /Pages 12 0 R >>")
    p.obj(11, b"<< /Type /Page /Parent 12 0 R >>")
    p.obj(12, b"<< /Type /Pages /Kids [11 0 R] /Count 1 >>")
    p.obj(8, b"<< /Author (Lin Author) /Producer (Lin Producer) /CreationDate (D:20200101) >>")
    at = len(p.out)
    p.out += b"xref\n0 9\n0000000000 65535 f \n" + b"".join(
        b"%010d 00000 n \n" % p.offsets.get(n, 0) for n in range(1, 9))
    p.out += b"trailer\n<< /Size 9 >>\nstartxref\n%d\n%%%%EOF\n" % first
    del at
    out = bytes(p.out)
    return out.replace(b"/L 1000", b"/L %4d" % len(out))


def objstm():
    p = Pdf(b"1.5")
    p.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    p.obj(2, b"<< /Type /Pages /Kids [] /Count 3 >>")
    info = b"<< /Author (Stream Author) /Producer (Stream Producer) /Title <FEFF00480069> >>"
    other = b"<< /Custom (x) >>"
    header = b"4 0 5 %d " % len(info)
    body = header + info + b" " + other
    data = zlib.compress(body)
    p.stream(3, b"/Type /ObjStm /N 2 /First %d /Filter /FlateDecode" % len(header), data)
    # a cross-reference stream carries the trailer keys (its rows are not needed by the parser)
    rows = b"".join(bytes([1]) + p.offsets[n].to_bytes(4, "big") + bytes([0]) for n in (1, 2, 3))
    rows += bytes([2, 0, 0, 0, 3, 0]) + bytes([2, 0, 0, 0, 3, 1])
    at = len(p.out)
    p.stream(6, b"/Type /XRef /Size 7 /Index [1 5] /W [1 4 1] /Root 1 0 R /Info 4 0 R", rows)
    p.out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(p.out)


if __name__ == "__main__":
    for name, data in (("pdf_incremental.pdf", incremental()), ("pdf_linearized.pdf", linearized()),
                       ("pdf_objstm.pdf", objstm())):
        with open(name, "wb") as f:
            f.write(data)
