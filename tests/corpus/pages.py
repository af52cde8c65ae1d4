"""A printed page as the layout rules read it: its text lines, pictures and tables with their cells, plus what the
rules need from around it (the page before, the run of landscape pages, the cover's words, the 落款)."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace

import pymupdf
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
START_CHARS = 6  # enough of a page's first text to know it, short enough to sit on its first line
FOOTER = re.compile(r"^[—–-]\d+[—–-]$")  # the page number, "— 12 —" with spaces removed


@dataclass(frozen=True)
class Line:
    text: str  # white space removed: LibreOffice spaces Latin from CJK text
    rect: pymupdf.Rect
    size: float


@dataclass(frozen=True)
class Cell:
    rect: pymupdf.Rect
    lines: tuple[Line, ...]  # top to bottom

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Table:
    rect: pymupdf.Rect
    rows: tuple[tuple[Cell | None, ...], ...]  # None where a merged cell covers the place
    before: int = 0  # rows of the same table on the pages before (0: the table starts on this page)
    after: int = 0  # rows of the same table on the pages after


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]
    pictures: tuple[pymupdf.Rect, ...] = ()
    tables: tuple[Table, ...] = ()
    document: str = "report"  # report | form
    body: tuple[float, float] = (0.0, 0.0)  # top and bottom of the printable area, as the document's pages show it
    last_of_run: bool = True  # the last page of its run of the same orientation
    spare_before: float = 0.0  # free height at the foot of the page before (0 on the first page)
    title_words: tuple[str, ...] = ()  # words the cover title must not break
    signature: tuple[str, ...] = ()  # the 落款: unit name and date
    breaks_after: bool = False  # the next page starts where the document asks for a new page (a page or section break)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def content(self) -> tuple[Line, ...]:
        """Every line but the page number."""
        return tuple(line for line in self.lines if not FOOTER.match(line.text))

    def filled(self) -> float:
        """How far down the printable area the content reaches, 0–1."""
        lines = self.content()
        bottoms = [line.rect.y1 for line in lines] + [t.rect.y1 for t in self.tables] + [p.y1 for p in self.pictures]
        top, bottom = self.body
        if not bottoms or bottom <= top:
            return 0.0
        return max(0.0, min(1.0, (max(bottoms) - top) / (bottom - top)))


def _lines(page: pymupdf.Page) -> list[Line]:
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join("".join(span["text"].split()) for span in line["spans"])
            if text:
                size = max(span["size"] for span in line["spans"])
                out.append(Line(text, pymupdf.Rect(line["bbox"]), size))
    return out


def _inside(line: Line, rect: pymupdf.Rect) -> bool:
    middle = (line.rect.tl + line.rect.br) / 2
    return rect.contains(middle)


def _tables(page: pymupdf.Page, lines: list[Line]) -> list[Table]:
    found = []
    for table in page.find_tables().tables:
        rows = []
        for row in table.rows:
            cells = []
            for box in row.cells:
                if box is None:
                    cells.append(None)
                    continue
                rect = pymupdf.Rect(box)
                inside = sorted((line for line in lines if _inside(line, rect)), key=lambda item: (item.rect.y0, item.rect.x0))
                cells.append(Cell(rect, tuple(inside)))
            rows.append(tuple(cells))
        found.append(Table(pymupdf.Rect(table.bbox), tuple(rows)))
    return found


def read_page(page: pymupdf.Page, **context) -> Page:
    """One page on its own (the context fields at their defaults unless given)."""
    lines = _lines(page)
    body = context.pop("body", (page.rect.y0, page.rect.y1))
    return Page(page.number + 1, page.rect.width, page.rect.height, tuple(lines),
                tuple(pymupdf.Rect(image["bbox"]) for image in page.get_image_info()),
                tuple(_tables(page, lines)), body=body, **context)


def read_document(document: pymupdf.Document, kind: str = "report", title_words: tuple[str, ...] = (),
                  signature: tuple[str, ...] = (), deliberate: tuple[str, ...] = ()) -> list[Page]:
    """Every page with its context: the printable area as the pages of its orientation use it, whether it ends a
    run of that orientation or comes before a break the document asks for (`deliberate`: the text that starts
    each such page, deliberate_starts), the room left on the page before, and tables continued from page to page."""
    pages = [read_page(page, document=kind, title_words=title_words if page.number == 0 else (), signature=signature)
             for page in document]
    areas: dict[bool, list[float]] = {}
    for page in pages:
        marks = [line.rect.y0 for line in page.content()] + [line.rect.y1 for line in page.content()]
        marks += [t.rect.y0 for t in page.tables] + [t.rect.y1 for t in page.tables]
        if marks:
            low, high = areas.get(page.landscape, [page.height, 0.0])
            areas[page.landscape] = [min(low, min(marks)), max(high, max(marks))]
    out = []
    for i, page in enumerate(pages):
        top, bottom = areas.get(page.landscape, [0.0, page.height])
        bottom = max(bottom, page.height - top)  # a short document never reaches its foot: margins taken as even
        later = pages[i + 1] if i + 1 < len(pages) else None
        page = replace(page, body=(top, bottom), last_of_run=later is None or later.landscape != page.landscape,
                       breaks_after=later is not None and _opens(later, deliberate))
        out.append(page)
    for i in range(1, len(out)):
        before = out[i - 1]
        spare = (1 - before.filled()) * (before.body[1] - before.body[0]) if before.landscape == out[i].landscape else 0.0
        out[i] = replace(out[i], spare_before=spare)
    return _continued(out)


def _opens(page: Page, deliberate: tuple[str, ...]) -> bool:
    """The page's first line begins one of the texts that start a page by a deliberate break."""
    lines = sorted(page.content(), key=lambda line: (round(line.rect.y0), line.rect.x0))
    if not lines:
        return False
    first = _plain(lines[0].text)
    # a start cut to START_CHARS may begin a longer line; a shorter one (附表, 附件) is the whole line
    return any(text == first or (len(text) == START_CHARS and first.startswith(text)) or (text.startswith(first) and first)
               for text in deliberate)


def _plain(text: str) -> str:
    """Text without white space and format characters (the word joiners that hold 表1-1 together)."""
    return "".join(c for c in "".join(text.split()) if unicodedata.category(c) != "Cf")


def deliberate_starts(docx: bytes) -> tuple[str, ...]:
    """The first characters of each page the Word document starts on purpose: after a page break, at a paragraph
    that begins a page (w:pageBreakBefore) and after a section break."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")).find(W + "body")
    starts, pending = [], False
    for element in body:
        if element.tag not in (W + "p", W + "tbl"):
            continue
        before = element.find(f"{W}pPr/{W}pageBreakBefore")
        if before is not None and before.get(W + "val", "true") not in ("0", "false"):
            pending = True
        text = _plain("".join(t.text or "" for t in element.iter(W + "t")))
        if pending and text:
            starts.append(text[:START_CHARS])
            pending = False
        if element.tag == W + "p" and (element.find(f"{W}pPr/{W}sectPr") is not None or any(
                br.get(W + "type") == "page" for br in element.iter(W + "br"))):
            pending = True
    return tuple(starts)


def _continued(pages: list[Page]) -> list[Page]:
    """A table ending at the foot of a page and one opening the next page (nothing above it) are one table."""
    pages = list(pages)
    for i in range(1, len(pages)):
        before, page = pages[i - 1], pages[i]
        if not before.tables or not page.tables:
            continue
        last, first = before.tables[-1], page.tables[0]
        above = [line for line in page.content() if line.rect.y1 <= first.rect.y0 + 1]
        at_foot = not [line for line in before.content() if line.rect.y0 >= last.rect.y1 - 1]
        if above or not at_foot or _columns(last) != _columns(first):
            continue
        earlier = last.before + len(last.rows) - _header_rows(last)
        pages[i] = replace(page, tables=(replace(first, before=earlier),) + page.tables[1:])
        tail = replace(last, after=len(first.rows) - _header_rows(first))
        pages[i - 1] = replace(before, tables=before.tables[:-1] + (tail,))
    return pages


def _columns(table: Table) -> tuple[int, ...]:
    """Where a table's column borders stand (to the point): the same table on the next page has the same."""
    widest = max(table.rows, key=len, default=())
    return tuple(round(cell.rect.x0) for cell in widest if cell is not None)


def _header_rows(table: Table) -> int:
    return 1 if table.rows else 0
