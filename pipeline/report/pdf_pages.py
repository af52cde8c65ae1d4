"""Where headings fall in a PDF: the printed page number of each 目录 entry, read from LibreOffice's own layout with
poppler's pdftotext (already needed for previews), one printed line at a time (-layout: a line is what shares a height)."""
from __future__ import annotations

import math
import re
import shutil
import unicodedata

from ..deadline import limited_run

FOOTER = re.compile(r"^[—–-](\d+)[—–-]$")  # GB/T 9704's "— 12 —", spaces removed
WRAPPED_MIN = 6  # characters on a wrapped heading's first line before it counts as the heading's start


def _flat(text: str) -> str:
    """The text without spaces and format characters (the word joiners that hold 表1-1 together)."""
    return "".join(c for c in "".join(text.split()) if unicodedata.category(c) != "Cf")


def _pdftotext(pdf: bytes, layout: str) -> bytes | None:
    """pdftotext's output in one of its layouts (-layout, -bbox-layout); None without pdftotext or when it fails."""
    program = shutil.which("pdftotext")
    if program is None:
        return None
    done = limited_run([program, layout, "-enc", "UTF-8", "-", "-"], "pdftotext", input=pdf)
    return done.stdout if done.returncode == 0 else None


def page_lines(pdf: bytes) -> list[list[str]] | None:
    """Each page's lines of text, flattened, in reading order; None without pdftotext or when it fails."""
    text = _pdftotext(pdf, "-layout")
    if text is None:
        return None
    pages = text.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # the form feed after the last page
    return [[line for line in map(_flat, page.splitlines()) if line] for page in pages]


def _holds(lines: list[str], heading: str) -> bool:
    """A line is the heading, or begins it (a long heading wraps over several lines)."""
    return any(b == heading or (len(b) >= WRAPPED_MIN and heading.startswith(b) and heading in "".join(lines[i:]))
               for i, b in enumerate(lines))


def _label(lines: list[str], index: int) -> str:
    """The page number printed in the footer, else the page's place in the file."""
    return next((m.group(1) for m in map(FOOTER.match, reversed(lines)) if m), str(index + 1))


def heading_pages(pdf: bytes, title: str, entries: list[str]) -> list[str] | None:
    """The printed page of each entry's heading after the 目录 pages, in order; None when one is not found
    (the layout is then left for Word and WPS to number)."""
    pages = page_lines(pdf)
    if pages is None:
        return None
    title, wanted = _flat(title), [_flat(entry) for entry in entries]
    start = next((i for i, lines in enumerate(pages) if title in lines), None)
    if start is None or not wanted:
        return None
    # the 目录 lists every entry, the last one on its last page; the body starts after it
    last = next((i for i in range(start, len(pages)) if wanted[-1] in "".join(pages[i])), None)
    if last is None:
        return None
    found, at = [], last + 1
    for entry in wanted:
        page = next((i for i in range(at, len(pages)) if _holds(pages[i], entry)), None)
        if page is None:
            return None
        found.append(_label(pages[page], page))
        at = page
    return found


CHART_BLANK = 0.2  # a chart moved to the next page leaves at most this share of the page before blank


Pages = list[tuple[bool, list[tuple[str, float, float]], float]]


def boxes(pdf: bytes) -> Pages | None:
    """Each page's orientation (landscape or not), its lines as (flattened text, top, bottom) in points, page numbers
    left out, and its height; None without pdftotext or when it fails. Read once a PDF: the checks below share it."""
    from lxml import etree
    text = _pdftotext(pdf, "-bbox-layout")
    if text is None:
        return None
    root = etree.fromstring(text, etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    pages = []
    for page in root.iter("{*}page"):
        lines = [("".join(_flat(word.text or "") for word in line.iter("{*}word")), float(line.get("yMin")),
                  float(line.get("yMax"))) for line in page.iter("{*}line")]
        pages.append((float(page.get("width")) > float(page.get("height")),
                      [line for line in lines if line[0] and not FOOTER.match(line[0])], float(page.get("height"))))
    return pages


def _area(pages: list) -> dict[bool, list[float]]:
    """The printable area (top, bottom) as the text of the pages of each orientation reaches it."""
    area: dict[bool, list[float]] = {}
    for landscape, lines, _ in pages:
        if lines:
            top, bottom = area.get(landscape, [math.inf, 0.0])
            area[landscape] = [min(top, *(y0 for _, y0, _ in lines)), max(bottom, *(y1 for _, _, y1 in lines))]
    return area


def chart_gaps(pages: Pages | None, captions: list[str]) -> dict[str, float] | None:
    """Charts (by caption) that open a page while the page before it, of the same orientation, is more than
    CHART_BLANK blank at its foot: caption → the blank height in points. The picture has no text, so a chart opens
    its page when its caption is the page's first line. None when the PDF could not be read (`pages` None)."""
    if pages is None:
        return None
    wanted = {_flat(caption): caption for caption in captions}
    area = _area(pages)
    gaps = {}
    for (before_landscape, before, _), (landscape, lines, _) in zip(pages, pages[1:]):
        if not lines or not before or landscape != before_landscape:
            continue
        first = min(lines, key=lambda line: line[1])[0]
        if first in wanted:
            top, bottom = area[landscape]
            blank = bottom - max(y1 for _, _, y1 in before)
            if blank > CHART_BLANK * (bottom - top):
                gaps[wanted[first]] = blank
    return gaps


ANNEX_NOTE = "附件"  # the 附件说明 above the 落款 begins so
SIGNATURE_BLANK = 0.1  # the 落款 kept with the text above it leaves at most this share of the page before blank


def _signature(pages: Pages, signature: list[str]) -> tuple[int, list[tuple[str, float, float]], int] | None:
    """The page of the 落款 (by its first line, the last page showing it), that page's lines top down, and the
    index of the 落款's first line among them; None when the 落款 is not in the PDF."""
    name = _flat(signature[0])
    at = next((i for i in reversed(range(len(pages))) if any(text == name for text, _, _ in pages[i][1])), None)
    if at is None:
        return None
    lines = sorted(pages[at][1], key=lambda line: line[1])
    return at, lines, max(i for i, line in enumerate(lines) if line[0] == name)


def _foot(pages: Pages, at: int) -> tuple[float, float]:
    """The top and foot of the printable area of the pages of page `at`'s orientation; a short report may fill no page
    to its foot: the margins are then taken as even."""
    landscape, _, height = pages[at]
    top, bottom = _area(pages)[landscape]
    return top, max(bottom, height - top)


def signature_blank(pages: Pages | None, signature: list[str]) -> float | None:
    """How far the 落款 (its lines as printed) is from where GB/T 9704 wants it: the blank share at the foot of the
    page before its page (of the same orientation; 0 when none), the text moved over with it having left it; 1 when
    it stands alone on its page or splits (its name at a page's foot). None when the PDF could not be read (`pages`
    None) or the 落款 is not in it."""
    found = _signature(pages, signature) if pages is not None and signature else None
    if found is None or pages is None:
        return None
    at, lines, where = found
    landscape = pages[at][0]
    text = [line for line in lines[:where] if not line[0].startswith(ANNEX_NOTE)]
    if not text or (signature[1:] and where == len(lines) - 1):
        return 1.0  # no text above it on its page (the 附件说明 is none), or the date on the next page
    if at == 0 or pages[at - 1][0] != landscape or not pages[at - 1][1]:
        return 0.0
    top, bottom = _foot(pages, at)
    return max(0.0, bottom - max(y1 for _, _, y1 in pages[at - 1][1])) / (bottom - top)


def closer_may_help(pages: Pages, signature: list[str], closer: float, spare: float) -> bool:
    """Whether setting the 落款 `closer` points nearer the text above it can change where the page before its page
    ends: only by taking back what stands on its page down to the 落款's last line (what was kept with it and moved
    over), which must then fit that page's blank foot, `spare` points allowed for spacing LibreOffice drops at a
    page's top. Else every page before the 落款's is laid out as it was, and its blank stays."""
    found = _signature(pages, signature) if signature else None
    if found is None:
        return True
    at, lines, where = found
    last = min(where + len(signature) - 1, len(lines) - 1)
    if at == 0 or pages[at - 1][0] != pages[at][0] or not pages[at - 1][1] or lines[last][0] != _flat(signature[-1]):
        return True  # alone, split, or no page before of its orientation: no blank foot to measure
    _, bottom = _foot(pages, at)
    blank = bottom - max(y1 for _, _, y1 in pages[at - 1][1])
    return lines[last][2] - lines[0][1] - closer <= blank + spare
