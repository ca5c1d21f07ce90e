#!/usr/bin/env python3
"""Writes the generated 3MF and AMF fixtures of tests/data/mesh (run by hand; outputs committed).

Every model is a unit cube (0..1 on each axis, 12 triangles) so the tests can
predict the transformed bounding boxes exactly.
"""
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2024, 1, 1, 0, 0, 0)
CORE = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
PROD = "http://schemas.microsoft.com/3dmanufacturing/production/2015/06"

VERTS = [(x, y, z) for z in (0, 1) for y in (0, 1) for x in (0, 1)]
TRIS = [(0, 2, 3), (0, 3, 1), (4, 5, 7), (4, 7, 6), (0, 1, 5), (0, 5, 4),
        (2, 6, 7), (2, 7, 3), (0, 4, 6), (0, 6, 2), (1, 3, 7), (1, 7, 5)]
# The smallest valid PNG (1x1 grey), enough to prove thumbnails are carried.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
                    "0000000a49444154789c63680000008200815d5b2a6d0000000049454e44ae426082")

RELS = ('<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>'
        '</Relationships>\n')
TYPES = ('<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>\n')


def mesh_xml():
    v = "".join(f'<vertex x="{x}" y="{y}" z="{z}"/>' for x, y, z in VERTS)
    t = "".join(f'<triangle v1="{a}" v2="{b}" v3="{c}"/>' for a, b, c in TRIS)
    return f"<mesh><vertices>{v}</vertices><triangles>{t}</triangles></mesh>"


def write_zip(name, members, zip64=False):
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members:
            info = zipfile.ZipInfo(member, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(data, str):
                data = data.encode()
            if zip64:
                with z.open(info, "w", force_zip64=True) as f:
                    f.write(data)
            else:
                z.writestr(info, data)


def main():
    # Components with a transform inside a build item with its own transform, in inches.
    model = (f'<?xml version="1.0" encoding="UTF-8"?>\n<model unit="inch" xml:lang="en-US" xmlns="{CORE}">'
             '<metadata name="Title">Test cube</metadata><metadata name="Designer">trawl tests</metadata>'
             '<metadata name="Application">PrusaSlicer-2.6.0</metadata><metadata name="CreationDate">2024-01-01</metadata>'
             f'<resources><object id="1" name="cube" type="model">{mesh_xml()}</object>'
             '<object id="2" name="assembly" type="model"><components>'
             '<component objectid="1" transform="10 0 0 0 10 0 0 0 10 0 0 0"/>'
             '<component objectid="1" transform="1 0 0 0 1 0 0 0 1 20 0 0"/>'
             '</components></object></resources>'
             '<build><item objectid="2" transform="1 0 0 0 1 0 0 0 1 100 0 5"/>'
             '<item objectid="1" transform="0 1 0 -1 0 0 0 0 1 0 50 0"/></build></model>\n')
    config = ('<?xml version="1.0" encoding="UTF-8"?>\n<config><object id="2" instances_count="1">'
              '<metadata type="object" key="name" value="assembly.stl"/>'
              '<volume firstid="0" lastid="11"><metadata type="volume" key="source_file" value="C:\\Users\\x\\cube.stl"/>'
              '<metadata type="volume" key="source_object_id" value="0"/></volume></object></config>\n')
    members = [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS), ("3D/3dmodel.model", model),
               ("Metadata/thumbnail.png", PNG), ("Metadata/Slic3r_PE_model.config", config)]
    write_zip("transforms.3mf", members)
    write_zip("transforms-zip64.3mf", members, zip64=True)

    # Production extension: the mesh lives in another model part.
    root = (f'<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xmlns="{CORE}" xmlns:p="{PROD}" '
            'requiredextensions="p"><resources><object id="5" type="model"><components>'
            '<component p:path="/3D/Objects/part.model" objectid="1" transform="2 0 0 0 2 0 0 0 2 0 0 0"/>'
            '</components></object></resources><build><item objectid="5"/></build></model>\n')
    part = (f'<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xmlns="{CORE}">'
            f'<resources><object id="1" name="part" type="model">{mesh_xml()}</object></resources><build/></model>\n')
    write_zip("production.3mf", [("3D/3dmodel.model", root), ("3D/Objects/part.model", part),
                                 ("[Content_Types].xml", TYPES), ("_rels/.rels", RELS)])

    # Bambu flavour: identity metadata and settings files.
    bambu = (f'<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xmlns="{CORE}" '
             'xmlns:BambuStudio="http://schemas.bambulab.com/package/2021">'
             '<metadata name="Application">BambuStudio-01.08.00.62</metadata>'
             '<metadata name="BambuStudio:3mfVersion">1</metadata><metadata name="Designer">someone</metadata>'
             '<metadata name="DesignerUserId">1234567</metadata><metadata name="ProfileUserName">printer_fan</metadata>'
             '<metadata name="MakerLabFileId">ml-42</metadata>'
             f'<resources><object id="1" type="model">{mesh_xml()}</object></resources>'
             '<build><item objectid="1"/></build></model>\n')
    settings = ('<?xml version="1.0" encoding="UTF-8"?>\n<config><object id="1"><metadata key="name" value="bracket.stl"/>'
                '<part id="1" subtype="normal_part"><metadata key="source_file" value="bracket.step"/></part></object></config>\n')
    project = '{\n    "printer_model": "Bambu Lab X1 Carbon",\n    "print_settings_id": "0.20mm Standard"\n}\n'
    write_zip("bambu.3mf", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS), ("3D/3dmodel.model", bambu),
                            ("Metadata/model_settings.config", settings),
                            ("Metadata/project_settings.config", project), ("Metadata/plate_1.png", PNG)])

    # Cura project flavour: per-object metadata group, machine stack, thumbnail first.
    cura = (f'<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xmlns="{CORE}" '
            'xmlns:cura="http://software.ultimaker.com/xml/cura/3mf/2015/10">'
            '<metadata name="Application">Cura 4.13.0</metadata>'
            f'<resources><object id="1" name="widget.stl" type="model"><metadatagroup>'
            '<metadata name="cura:print_order" preserve="true">1</metadata></metadatagroup>'
            f'{mesh_xml()}</object></resources><build><item objectid="1" transform="1 0 0 0 1 0 0 0 1 117.5 117.5 0"/></build></model>\n')
    stack = "[general]\nversion = 4\nname = Creality Ender-3\nid = Creality Ender-3\n\n[metadata]\ntype = machine\n"
    write_zip("cura.3mf", [("Metadata/thumbnail.png", PNG), ("3D/3dmodel.model", cura),
                           ("Cura/Creality+Ender-3.global.cfg", stack), ("[Content_Types].xml", TYPES),
                           ("_rels/.rels", RELS)])

    # An Office document: OPC like 3MF, but no model (must not be detected).
    write_zip("office.docx", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS.replace("3D/3dmodel.model", "word/document.xml")),
                              ("word/document.xml", "<w:document/>")])

    # Broken model XML (unclosed tag).
    write_zip("broken-xml.3mf", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS),
                                 ("3D/3dmodel.model", model[:300])])

    # AMF, plain and zipped.
    verts = "".join(f"<vertex><coordinates><x>{x}</x><y>{y}</y><z>{z}</z></coordinates></vertex>" for x, y, z in VERTS)
    tris = "".join(f"<triangle><v1>{a}</v1><v2>{b}</v2><v3>{c}</v3></triangle>" for a, b, c in TRIS)
    amf = ('<?xml version="1.0" encoding="UTF-8"?>\n<amf unit="millimeter" version="1.1">\n'
           '<metadata type="producer">OpenSCAD 2021.01</metadata>\n'
           f'<object id="0"><metadata type="name">cube</metadata><mesh><vertices>{verts}</vertices>'
           f'<volume>{tris[:len(tris)//2]}</volume><volume>{tris[len(tris)//2:]}</volume></mesh></object>\n</amf>\n')
    with open(os.path.join(HERE, "cube.amf"), "w") as f:
        f.write(amf)
    write_zip("cube-zipped.amf", [("cube.amf", amf)])


if __name__ == "__main__":
    main()
