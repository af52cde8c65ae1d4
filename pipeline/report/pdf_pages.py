"""Where headings fall in a PDF: the printed page number of each 目录 entry, read from LibreOffice's own layout with
poppler's pdftotext (already needed for previews), one printed line at a time (-layout: a line is what shares a height)."""
from __future__ import annotations

import re
import shutil
import unicodedata

from ..deadline import limited_run

FOOTER = re.compile(r"^[—–-](\d+)[—–-]$")  # GB/T 9704's "— 12 —", spaces removed
WRAPPED_MIN = 6  # characters on a wrapped heading's first line before it counts as the heading's start


def _flat(text: str) -> str:
    """The text without spaces and format characters (the word joiners that hold 表1-1 together)."""
    return "".join(c for c in "".join(text.split()) if unicodedata.category(c) != "Cf")


def page_lines(pdf: bytes) -> list[list[str]] | None:
    """Each page's lines of text, flattened, in reading order; None without pdftotext or when it fails."""
    program = shutil.which("pdftotext")
    if program is None:
        return None
    done = limited_run([program, "-layout", "-enc", "UTF-8", "-", "-"], "pdftotext", input=pdf)
    if done.returncode != 0:
        return None
    pages = done.stdout.decode("utf-8", "replace").split("\f")
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
        at = next((i for i in range(at, len(pages)) if _holds(pages[i], entry)), None)
        if at is None:
            return None
        found.append(_label(pages[at], at))
    return found
