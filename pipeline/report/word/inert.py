"""A .docx that only shows: nothing in it makes Word, WPS or LibreOffice (which turns it into PDF here) read a file, open
an address or change what it shows when opened. Kept by allow-list, whatever a unit's reference.docx (whose headers and
settings pandoc copies) or 自评表.docx carries:
- relationships of the kinds a document's own parts use (styles, headers, pictures inside the package …), internal
  only; a hyperlink may point outside only to http(s) or mailto, which opens on a click and never by itself;
- fields whose code is on FIELDS (page numbers, the table of contents and references inside the document); any other
  field, a field nested in another's code (INCLUDEPICTURE inside QUOTE) and a field marked dirty lose their code and
  keep the result last shown, as plain text;
- no VML src/href addresses, no settings that update fields, link styles to a template or merge a data source on open.
Our own reports hold nothing that is removed."""
from __future__ import annotations

import functools
import io
import re
import zipfile

from lxml import etree

from ...limits import MAX_REMEMBERED_SCANS, REMEMBERED_PART_BYTES, REMEMBERED_SCAN_BYTES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# the last part of every relationship type a document may keep (officeDocument/2006 and package/2006 alike)
KEPT_TYPES = frozenset((
    "officeDocument", "styles", "stylesWithEffects", "settings", "webSettings", "fontTable", "theme", "numbering",
    "footnotes", "endnotes", "header", "footer", "image", "font", "comments", "commentsExtended", "commentsIds",
    "commentsExtensible", "people", "customXml", "customXmlProps", "core-properties", "extended-properties",
    "custom-properties", "thumbnail", "glossaryDocument", "hyperlink",
))
SAFE_LINK = re.compile(r"(?:https?://|mailto:)[^\s\\]*\Z", re.IGNORECASE)
# field codes that only show what the document itself holds: page numbers, the contents, references to bookmarks
FIELDS = re.compile(r"\s*(?:PAGE|NUMPAGES|SECTIONPAGES|SECTION|TOC|PAGEREF|REF|NOTEREF|SEQ|STYLEREF)(?:\s|\Z)"
                    r"(?:[^\\\"]|\\[a-z*#@!]|\"[^\"]*\")*\Z", re.IGNORECASE)
# elements whose only purpose is a relationship that was removed: removed with it
POINTERS = {f"{{{W}}}{name}" for name in ("attachedTemplate", "subDoc", "altChunk", "object", "control")}
# settings that act when the document opens
SETTINGS = {f"{{{W}}}{name}" for name in ("updateFields", "linkStyles", "mailMerge", "attachedTemplate",
                                          "attachedSchema", "saveThroughXslt")}
ADDRESSES = {"src", "href", "althref"}  # VML's picture and link addresses (v:imagedata src, o:href)
VML = "urn:schemas-microsoft-com:"  # the namespaces of VML (v:) and its Office extensions (o:, w10:)
DIRTY = f"{{{W}}}dirty"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False, huge_tree=False)
SIGNS = (b"instrText", b"fldSimple", b"src=", b"href=", b"dirty", b"updateFields", b"linkStyles", b"mailMerge",
         b"attachedSchema", b"saveThroughXslt")


def inert_docx(data: bytes) -> bytes:
    """The document without what would load other files or addresses; the same bytes when it holds none."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    removed: set[tuple[str, str]] = set()  # (part's name, relationship id)
    changed: dict[str, bytes] = {}
    for info, content in entries:
        if info.filename.endswith(".rels"):
            kept = _relationships(content, info.filename, removed)
            if kept is not None:
                changed[info.filename] = kept
    for info, content in entries:
        if info.filename.endswith(".xml") and not info.filename.startswith("[") and (
                _signed(content) or any(part == info.filename for part, _ in removed)):
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


def _signed(content: bytes) -> bool:
    """Whether a part holds a sign of anything removed here; the answer for a big part remembered by its whole content
    (a form's 0.8 MB of styles, scanned ten times over, recur in every form)."""
    if len(content) < REMEMBERED_SCAN_BYTES or len(content) > REMEMBERED_PART_BYTES:
        return _any_sign(content)
    return _remembered_sign(content)


def _any_sign(content: bytes) -> bool:
    return any(sign in content for sign in SIGNS)


_remembered_sign = functools.lru_cache(maxsize=MAX_REMEMBERED_SCANS)(_any_sign)


def _source_part(rels_name: str) -> str:
    """word/_rels/document.xml.rels → word/document.xml"""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name[: -len(".rels")]


def kept_relationship(rel: etree._Element) -> bool:
    kind, external = rel.get("Type", "").rsplit("/", 1)[-1], rel.get("TargetMode") == "External"
    if kind not in KEPT_TYPES:
        return False
    if kind == "hyperlink":
        return not external or bool(SAFE_LINK.match(rel.get("Target", "").strip()))
    return not external


def _relationships(content: bytes, name: str, removed: set[tuple[str, str]]) -> bytes | None:
    root = etree.fromstring(content, PARSER)
    dropped = [rel for rel in root.findall(f"{{{RELS}}}Relationship") if not kept_relationship(rel)]
    if not dropped:
        return None
    for rel in dropped:
        removed.add((_source_part(name), rel.get("Id")))
        root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _part(content: bytes, name: str, removed: set[tuple[str, str]]) -> bytes | None:
    root = etree.fromstring(content, PARSER)
    changed = _unlink(root, name, removed) | _addresses(root) | _settings(root) | _fields(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else None


def _unlink(root: etree._Element, name: str, removed: set[tuple[str, str]]) -> bool:
    ids = {rid for part, rid in removed if part == name}
    changed = False
    for element in list(root.iter()) if ids else ():
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


def _addresses(root: etree._Element) -> bool:
    """VML pictures and shapes name their file or address in an attribute, not a relationship."""
    changed = False
    for element in root.iter(etree.Element):
        vml = str(element.tag).startswith("{" + VML)
        for attribute in [a for a in element.attrib if etree.QName(a).localname.lower() in ADDRESSES
                          and (vml or a.startswith("{" + VML))]:
            del element.attrib[attribute]
            changed = True
    return changed


def _settings(root: etree._Element) -> bool:
    found = [child for child in root if child.tag in SETTINGS] if root.tag == f"{{{W}}}settings" else []
    for child in found:
        root.remove(child)
    return bool(found)


def _drop(element: etree._Element) -> None:
    if element.getparent() is not None:
        element.getparent().remove(element)


def _fields(root: etree._Element) -> bool:
    """Fields not on FIELDS lose their code (with any field nested in it); what they last showed stays as text."""
    changed = False
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}fldSimple"):
        if element.attrib.pop(DIRTY, None) is not None:
            changed = True
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        if not FIELDS.match(simple.get(f"{{{W}}}instr", "")):
            parent = simple.getparent()
            index = parent.index(simple)
            parent[index:index + 1] = list(simple)
            changed = True
    # each open complex field: [begin, its own code pieces, everything in its code part, separate or None, nested?]
    stack: list[list] = []
    doomed: list[etree._Element] = []
    for run in list(root.iter(f"{{{W}}}r")):
        for child in list(run):
            kind = child.get(f"{{{W}}}fldCharType") if child.tag == f"{{{W}}}fldChar" else None
            if kind is None and not stack:
                continue
            enclosing = stack[:]  # the fields whose code part this child lies in, if they are still in it
            if kind == "begin":
                stack.append([child, [], [], None, False])
            elif kind == "separate" and stack:
                enclosing = stack[:-1]
                if stack[-1][3] is None:
                    stack[-1][3] = child
            elif kind == "end" and stack:
                top = stack.pop()
                enclosing = stack[:]
                if top[4] or not FIELDS.match("".join(piece.text or "" for piece in top[1])):
                    doomed += [top[0], *top[2], child] + ([top[3]] if top[3] is not None else [])
                for frame in enclosing:
                    frame[4] = frame[4] or frame[3] is None
            elif child.tag in (f"{{{W}}}instrText", f"{{{W}}}delInstrText") and stack[-1][3] is None:
                stack[-1][1].append(child)
            for frame in enclosing:
                if frame[3] is None:
                    frame[2].append(child)
    for frame in stack:  # a field never closed: its code goes, whatever it is
        doomed += [frame[0], *frame[2]] + ([frame[3]] if frame[3] is not None else [])
    for element in doomed:
        _drop(element)
    return changed or bool(doomed)
