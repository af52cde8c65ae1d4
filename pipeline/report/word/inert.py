"""A .docx that only shows: nothing in it makes Word, WPS or LibreOffice (which turns it into PDF here) read a file or
open an address — no linked pictures, attached templates, external objects or frames, sub-documents or imported
chunks, and no INCLUDETEXT, INCLUDEPICTURE, LINK, DDE or DATABASE fields. Our own reports hold none of these; a
unit's reference.docx (whose headers pandoc copies) or its form might. Hyperlinks stay: they open only on a click."""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK = R + "/hyperlink"
# relationships that make a program load something, wherever their target is
LOADING = ("/attachedTemplate", "/subDocument", "/oleObject", "/package", "/control", "/aFChunk", "/frame",
           "/vbaProject")
# elements that only point at such a relationship: removed with it
POINTERS = {f"{{{W}}}{name}" for name in ("attachedTemplate", "subDoc", "altChunk", "object", "control")}
FIELDS = re.compile(r"\s*(?:INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|DDE|DDEAUTO|IMPORT|DATABASE|RD|EMBED)\b",
                    re.IGNORECASE)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)


def inert_docx(data: bytes) -> bytes:
    """The document without what would load other files or addresses; the same bytes when it holds none."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    removed: set[tuple[str, str]] = set()  # (part's folder, relationship id)
    changed: dict[str, bytes] = {}
    for info, content in entries:
        if info.filename.endswith(".rels"):
            kept = _relationships(content, info.filename, removed)
            if kept is not None:
                changed[info.filename] = kept
    for info, content in entries:
        if info.filename.endswith(".xml") and info.filename.startswith("word/"):
            cleaned = _part(content, info.filename, removed)
            if cleaned is not None:
                changed[info.filename] = cleaned
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in entries:  # same names, order and timestamps: reproducible bytes
            archive.writestr(info, changed.get(info.filename, content))
    return out.getvalue()


def _source_part(rels_name: str) -> str:
    """word/_rels/document.xml.rels → word/document.xml"""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name[: -len(".rels")]


def _relationships(content: bytes, name: str, removed: set[tuple[str, str]]) -> bytes | None:
    root = etree.fromstring(content, PARSER)
    dropped = [rel for rel in root.findall(f"{{{RELS}}}Relationship")
               if (rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK)
               or rel.get("Type", "").endswith(LOADING)]
    if not dropped:
        return None
    for rel in dropped:
        removed.add((_source_part(name), rel.get("Id")))
        root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _part(content: bytes, name: str, removed: set[tuple[str, str]]) -> bytes | None:
    if b"instrText" not in content and b"fldSimple" not in content and not any(part == name for part, _ in removed):
        return None
    root = etree.fromstring(content, PARSER)
    changed = _unlink(root, name, removed) | _fields(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else None


def _unlink(root: etree._Element, name: str, removed: set[tuple[str, str]]) -> bool:
    ids = {rid for part, rid in removed if part == name}
    changed = False
    for element in list(root.iter()):
        gone = [attribute for attribute, value in element.attrib.items()
                if attribute.startswith(f"{{{R}}}") and value in ids]
        if not gone:
            continue
        changed = True
        if element.tag in POINTERS and element.getparent() is not None:
            element.getparent().remove(element)
        else:
            for attribute in gone:
                del element.attrib[attribute]
    return changed


def _fields(root: etree._Element) -> bool:
    """Fields that load files or addresses lose their instruction; their last shown result stays as text."""
    changed = False
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        if FIELDS.match(simple.get(f"{{{W}}}instr", "")):
            parent, index = simple.getparent(), simple.getparent().index(simple)
            parent[index:index + 1] = list(simple)
            changed = True
    stack: list[list[etree._Element]] = []  # the instruction pieces of each open complex field
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        kind = element.get(f"{{{W}}}fldCharType")
        if kind == "begin":
            stack.append([])
        elif element.tag == f"{{{W}}}instrText" and stack:
            stack[-1].append(element)
        elif kind == "end" and stack:
            pieces = stack.pop()
            if FIELDS.match("".join(piece.text or "" for piece in pieces)):
                for piece in pieces:
                    piece.text = ""
                changed = True
    return changed
