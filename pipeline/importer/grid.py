"""A document's tables as rows of cell texts, whatever program wrote them: merged cells repeated, every row located."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import Location
from ..inputs.cells import CONTROL

SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Row:
    where: Location  # as users find it: 表4第3行, 工作表“自评表”第12行 (no file: the grid names it)
    cells: tuple[str, ...]  # one text a grid column; a merged cell's text in every column and row it covers
    spans: tuple[object, ...]  # the merged region each column belongs to: equal spans are one cell

    def cell(self, column: int) -> str:
        """The text in a column; empty past the row's end (a shorter table's row under another's header)."""
        return self.cells[column] if column < len(self.cells) else ""

    def distinct(self) -> list[tuple[int, str]]:
        """(column, text) of each cell once, however many columns it spans."""
        out, last = [], object()
        for column, (text, span) in enumerate(zip(self.cells, self.spans)):
            if span != last:
                out.append((column, text))
            last = span
        return out

    def shown(self) -> str:
        """The row's content as quoted in a message."""
        return " | ".join(text for _, text in self.distinct() if text)[:120]


@dataclass(frozen=True)
class Grid:
    name: str  # the file's name, as shown in messages
    rows: tuple[Row, ...]  # every table's rows, in document order
    lines: tuple[str, ...]  # text outside the tables (titles, signatures, notes)


def plain(text: str) -> str:
    """A cell's text compared as a label: full-width forms folded, control characters and all white space dropped."""
    return SPACES.sub("", unicodedata.normalize("NFKC", CONTROL.sub("", text)))


def tidy(text: str) -> str:
    """A cell's text kept as data: control characters dropped, lines trimmed, blank lines removed."""
    lines = (line.strip() for line in CONTROL.sub("", text).replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)
