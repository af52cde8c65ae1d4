"""What a Word document's XML says, read directly where python-docx would search: each style by its id and name,
each paragraph's style, and the text of a paragraph or a cell as python-docx gives it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph

RUN, HYPERLINK, PARAGRAPH, TEXT = qn("w:r"), qn("w:hyperlink"), qn("w:p"), qn("w:t")
RUN_TEXT = frozenset(qn(f"w:{name}") for name in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


STYLE, STYLE_ID, STYLE_NAME, STYLE_TYPE, DEFAULT, VAL = (qn(n) for n in ("w:style", "w:styleId", "w:name", "w:type",
                                                                          "w:default", "w:val"))


def styles_by_id(document) -> dict:
    """Every style element (w:style) of the document by id (the first where an id repeats, as python-docx finds it),
    and under None the default paragraph style's: read once, where python-docx searches them all by XPath at each
    Paragraph.style and makes an object of each style to read one's name."""
    book: dict[str | None, Any] = {}
    defaults = []
    for element in document.styles.element.iterchildren(STYLE):
        book.setdefault(element.get(STYLE_ID), element)
        if element.get(STYLE_TYPE) == "paragraph" and element.get(DEFAULT) in ("1", "true", "on"):
            defaults.append(element)
    book[None] = defaults[-1] if defaults else None  # the last, as python-docx (and the standard) has it
    return book


PARAGRAPH_PROPERTIES, PARAGRAPH_STYLE = qn("w:pPr"), qn("w:pStyle")


def style_id(p) -> str | None:
    """The id of a w:p's own style (python-docx's CT_P.style), read without a lookup by name at each step."""
    properties = next(p.iterchildren(PARAGRAPH_PROPERTIES), None)
    found = next(properties.iterchildren(PARAGRAPH_STYLE), None) if properties is not None else None
    return found.get(VAL) if found is not None else None


def paragraph_style(p, book: dict):
    """The style element python-docx's Paragraph.style stands for, of a w:p, from `book` (styles_by_id): its own
    paragraph style, else the default one."""
    element = book.get(style_id(p))
    return element if element is not None and element.get(STYLE_TYPE) == "paragraph" else book[None]


def ui_name(element) -> str | None:
    """A style element's name as python-docx gives it ("Heading 1" for the stored "heading 1")."""
    name = next(element.iterchildren(STYLE_NAME), None)
    return BabelFish.internal2ui(name.get(VAL)) if name is not None else None


def style_named(document, name: str):
    """The first style python-docx names `name`, None where there is none."""
    return next((StyleFactory(e) for e in document.styles.element.iterchildren(STYLE) if ui_name(e) == name), None)


def style_names(document) -> Callable[[Any], str]:
    """A w:p's style name as python-docx gives it (style_name), from the style book read once for the document."""
    book, names = styles_by_id(document), {}

    def name(p) -> str:
        key = style_id(p)  # the name follows from the style id alone: looked up once an id
        if key not in names:
            names[key] = _named(paragraph_style(p, book))
        return names[key]
    return name


def style_name(paragraph: Paragraph, book: dict | None = None) -> str:
    """A paragraph's style name, "" where python-docx finds none; `book` (styles_by_id) saves looking the style up."""
    if book is None:
        style = paragraph.style
        return style.name if style is not None else ""
    return _named(paragraph_style(paragraph._p, book))


def _named(element) -> str:
    return (ui_name(element) or "") if element is not None else ""


def paragraph_text(p) -> str:
    """The text of a w:p as python-docx's Paragraph.text gives it (each element's own str(): a break "\n", a tab
    "\t"), read by walking the children: python-docx runs an XPath query for every run."""
    out = []
    for child in p:
        if child.tag == RUN:
            runs: Any = (child,)
        elif child.tag == HYPERLINK:
            runs = [run for run in child if run.tag == RUN]
        else:
            continue
        for run in runs:
            for part in run:
                if part.tag == TEXT:  # python-docx's str() of a w:t, without its call
                    out.append(part.text or "")
                elif part.tag in RUN_TEXT:
                    out.append(str(part))
    return "".join(out)


def cell_text(tc) -> str:
    """The text of a w:tc as python-docx's _Cell.text gives it: its paragraphs' texts on lines of their own."""
    return "\n".join(paragraph_text(p) for p in tc if p.tag == PARAGRAPH)
