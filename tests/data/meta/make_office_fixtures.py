#!/usr/bin/env python3
"""Writes the zip-based office fixtures of tests/data/meta: office_doc.docx
(docProps/core.xml, app.xml, custom.xml) and office_doc.odt (meta.xml),
with fixed member times so the files are reproducible.
"""
import zipfile

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Quarterly Report</dc:title><dc:subject>Finance</dc:subject><dc:creator>J\u00fcrgen M\u00fcller</dc:creator><cp:keywords>q3, budget</cp:keywords><dc:description>draft for review</dc:description><cp:lastModifiedBy>Second Editor</cp:lastModifiedBy><cp:revision>7</cp:revision><cp:lastPrinted>2023-03-10T08:00:00Z</cp:lastPrinted><dcterms:created xsi:type="dcterms:W3CDTF">2023-03-01T09:30:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2023-03-11T10:10:07Z</dcterms:modified></cp:coreProperties>"""
APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><TotalTime>15</TotalTime><Pages>3</Pages><Words>1200</Words><Characters>6800</Characters><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><Lines>40</Lines><Paragraphs>12</Paragraphs><Manager>The Manager</Manager><Company>ACME Corp</Company><AppVersion>16.0000</AppVersion></Properties>"""
CUSTOM = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Case Number"><vt:lpwstr>2023-0042</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Reviewed"><vt:bool>true</vt:bool></property></Properties>"""
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""
DOC = """<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>"""

META = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta><meta:initial-creator>Original Author</meta:initial-creator><meta:creation-date>2023-03-01T09:30:00.123456789</meta:creation-date><dc:date>2023-03-11T10:10:07</dc:date><dc:creator>Second Editor</dc:creator><dc:title>ODF Title</dc:title><dc:subject>ODF Subject</dc:subject><dc:description>ODF Description</dc:description><meta:keyword>alpha</meta:keyword><meta:editing-duration>PT1H2M3S</meta:editing-duration><meta:editing-cycles>4</meta:editing-cycles><meta:generator>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</meta:generator><meta:document-statistic meta:page-count="2" meta:word-count="10" meta:character-count="60"/><meta:user-defined meta:name="Case Number">2023-0042</meta:user-defined></office:meta></office:document-meta>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>"""


def add(z, name, text, when, compress=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = compress
    z.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    with zipfile.ZipFile("office_doc.docx", "w") as z:
        add(z, "[Content_Types].xml", CONTENT_TYPES, (2023, 3, 11, 10, 10, 8))
        add(z, "_rels/.rels", RELS, (2023, 3, 11, 10, 10, 8))
        add(z, "word/document.xml", DOC, (2023, 3, 11, 10, 10, 8))
        add(z, "docProps/core.xml", CORE, (2023, 3, 11, 10, 10, 10))
        add(z, "docProps/app.xml", APP, (2023, 3, 11, 10, 10, 12))
        add(z, "docProps/custom.xml", CUSTOM, (2023, 3, 11, 10, 10, 14))
    with zipfile.ZipFile("office_doc.odt", "w") as z:
        add(z, "mimetype", "application/vnd.oasis.opendocument.text", (2023, 3, 11, 10, 10, 8), zipfile.ZIP_STORED)
        add(z, "META-INF/manifest.xml", MANIFEST, (2023, 3, 11, 10, 10, 8))
        add(z, "meta.xml", META, (2023, 3, 11, 10, 10, 10))
