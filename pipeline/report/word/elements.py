"""Properties of table cells, paragraphs and runs got or added where the schema puts them, as python-docx's
get_or_add_* does, without its lookup of every later property by name at each call (a table's cells number hundreds)."""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# children of w:tcPr, w:pPr and w:rPr in schema (ECMA-376) order, as python-docx lists them
CELL_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
        "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
        "w:cellMerge", "w:tcPrChange")
PARAGRAPH_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
             "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
             "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
             "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
             "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
             "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
RUN_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
       "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
       "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
       "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
       "w:specVanish", "w:oMath")
VAL = qn("w:val")


def _later(order: tuple[str, ...]) -> dict[str, tuple[str, frozenset[str]]]:
    """Each property's own tag and those of the properties after it."""
    return {name: (qn(name), frozenset(qn(tag) for tag in order[order.index(name) + 1:])) for name in order}


CELL, PARAGRAPH, RUN = _later(CELL_ORDER), _later(PARAGRAPH_ORDER), _later(RUN_ORDER)


def child(parent, name: str, order: dict[str, tuple[str, frozenset[str]]]):
    """The `name` child of `parent` (a w:tcPr, w:pPr or w:rPr; `order`: CELL, PARAGRAPH or RUN), added when missing
    before the first property that comes after it in the schema: where python-docx puts it in properties kept in
    schema order, as Word, pandoc and python-docx write them."""
    tag, later = order[name]
    successor = None
    for existing in parent:  # a few children: one pass in Python beats lxml's matcher made anew for 30 tags
        if existing.tag == tag:
            return existing
        if successor is None and existing.tag in later:
            successor = existing
    found = OxmlElement(name)
    if successor is not None:
        successor.addprevious(found)
    else:
        parent.append(found)
    return found


def switch_on(parent, name: str, order: dict[str, tuple[str, frozenset[str]]]) -> None:
    """An on/off property (w:b, w:keepNext) on: present without w:val, which means on."""
    child(parent, name, order).attrib.pop(VAL, None)


PROPERTIES = {name: qn(name) for name in ("w:tcPr", "w:pPr", "w:rPr")}
GRID_SPAN, VERTICAL_MERGE = qn("w:gridSpan"), qn("w:vMerge")


def properties(element, name: str):
    """The properties (`name`: w:tcPr, w:pPr or w:rPr) of a cell, paragraph or run, added as its first child where
    missing, as python-docx's get_or_add_tcPr, get_or_add_pPr and get_or_add_rPr do."""
    found = next(element.iterchildren(PROPERTIES[name]), None)
    if found is None:
        found = OxmlElement(name)
        element.insert(0, found)
    return found


def _cell_property(tc, tag: str):
    cell = next(tc.iterchildren(PROPERTIES["w:tcPr"]), None)
    return next(cell.iterchildren(tag), None) if cell is not None else None


def grid_span(tc) -> int:
    """The grid columns a w:tc spans (python-docx's CT_Tc.grid_span)."""
    span = _cell_property(tc, GRID_SPAN)
    return int(span.get(VAL)) if span is not None else 1


def vertical_merge(tc) -> str | None:
    """A w:tc's w:vMerge value, "continue" where the element has none; None without one (python-docx's CT_Tc.vMerge)."""
    merge = _cell_property(tc, VERTICAL_MERGE)
    return merge.get(VAL, "continue") if merge is not None else None
