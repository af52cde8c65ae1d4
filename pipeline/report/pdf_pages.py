"""Where headings fall in a PDF: the printed page number of each 目录 entry, read from LibreOffice's own layout."""
from __future__ import annotations

import re
import unicodedata

import pymupdf

FOOTER = re.compile(r"^[—–-](\d+)[—–-]$")  # GB/T 9704's "— 12 —", spaces removed
WRAPPED_MIN = 6  # characters on a wrapped heading's first line before it counts as the heading's start


def _flat(text: str) -> str:
    """The text without spaces and format characters (the word joiners that hold 表1-1 together)."""
    return "".join(c for c in "".join(text.split()) if unicodedata.category(c) != "Cf")


def _blocks(page) -> list[str]:
    return [_flat(block[4]) for block in page.get_text("blocks") if block[6] == 0]


def _holds(blocks: list[str], heading: str) -> bool:
    """A block is the heading, or begins it (a long heading wraps into a block per line)."""
    return any(b == heading or (len(b) >= WRAPPED_MIN and heading.startswith(b) and heading in "".join(blocks[i:]))
               for i, b in enumerate(blocks))


def _label(blocks: list[str], index: int) -> str:
    """The page number printed in the footer, else the page's place in the file."""
    return next((m.group(1) for m in map(FOOTER.match, reversed(blocks)) if m), str(index + 1))


def heading_pages(pdf: bytes, title: str, entries: list[str]) -> list[str] | None:
    """The printed page of each entry's heading after the 目录 pages, in order; None when one is not found
    (the layout is then left for Word and WPS to number)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        pages = [_blocks(page) for page in document]
    title, wanted = _flat(title), [_flat(entry) for entry in entries]
    start = next((i for i, blocks in enumerate(pages) if title in blocks), None)
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
