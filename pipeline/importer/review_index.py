"""What a review of many forms looks up across them, kept on disk: which forms are a unit's (its notice) or a 主管部门's
(its sheet), which units submitted (the roster), last year's score of a unit's project, and the notices' file names.
A season's 100,000 forms take the memory of a few: the forms themselves are in the batch's spool, by file name.

The index is SQLite's private temporary database (an empty file name): on disk, deleted when it is closed, whatever
ended the review, and no other process can reach it."""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .grid import plain
from .reviewed import Reviewed

PART_BITS = 32  # a form's place: its file's place in the folder, then its sheet's within the file
TABLES = """
CREATE TABLE forms (place INTEGER PRIMARY KEY, file TEXT, part INTEGER, unit TEXT, submitted TEXT, department TEXT);
CREATE INDEX by_unit ON forms (unit, place);
CREATE INDEX by_submitted ON forms (submitted);
CREATE INDEX by_department ON forms (department, place);
CREATE TABLE previous (unit TEXT, project TEXT, score TEXT, PRIMARY KEY (unit, project)) WITHOUT ROWID;
CREATE TABLE taken (name TEXT PRIMARY KEY) WITHOUT ROWID;
"""


@contextlib.contextmanager
def opened() -> Iterator[sqlite3.Connection]:
    index = sqlite3.connect("")  # "": a temporary database on disk, gone when closed
    try:
        index.executescript(TABLES)
        yield index
    finally:
        index.close()


def add(index: sqlite3.Connection, number: int, file: str, forms: list[Reviewed]) -> None:
    """The forms of the folder's `number`th file (in the folder's order, whatever the order they were reviewed in)."""
    index.executemany("INSERT INTO forms VALUES (?, ?, ?, ?, ?, ?)", [
        ((number << PART_BITS) + part, file, part, r.unit or r.file, plain(r.unit) if r.unit else None, r.department)
        for part, r in enumerate(forms)])


def units(index: sqlite3.Connection) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Each unit (a form whose header could not be read: its file) in the order its first form comes, with its forms
    as (file, part)."""
    for (unit,) in index.execute("SELECT unit FROM forms GROUP BY unit ORDER BY MIN(place)"):
        yield unit, index.execute("SELECT file, part FROM forms WHERE unit = ? ORDER BY place", (unit,)).fetchall()


def departments(index: sqlite3.Connection) -> list[str]:
    """The 主管部门 named by the forms, in the order each first comes."""
    return [d for (d,) in index.execute(
        "SELECT department FROM forms WHERE department != '' GROUP BY department ORDER BY MIN(place)")]


def submitted(index: sqlite3.Connection, name: str) -> bool:
    """Whether a form came from the unit `name` (names compared without spaces)."""
    return index.execute("SELECT 1 FROM forms WHERE submitted = ? LIMIT 1", (plain(name),)).fetchone() is not None


def remember(index: sqlite3.Connection, before: Reviewed) -> None:
    """Last year's score of a form's unit and project (the recomputed one, else the printed); the first form wins."""
    value = before.computed if before.computed is not None else before.printed
    if before.unit and value is not None:
        index.execute("INSERT OR IGNORE INTO previous VALUES (?, ?, ?)", (plain(before.unit), plain(before.project),
                                                                         str(value)))


def previous(index: sqlite3.Connection, form: Reviewed) -> Decimal | None:
    found = index.execute("SELECT score FROM previous WHERE unit = ? AND project = ?",
                          (plain(form.unit), plain(form.project))).fetchone()
    return Decimal(found[0]) if found else None


@dataclass(frozen=True)
class Department:
    """The forms of one 主管部门 as (file, part), in the folder's order, anew at each pass."""

    index: sqlite3.Connection
    name: str

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self.index.execute("SELECT file, part FROM forms WHERE department = ? ORDER BY place", (self.name,)))


class Taken:
    """The notices' file names given so far, as file_name asks of a set."""

    def __init__(self, index: sqlite3.Connection):
        self._index = index

    def __contains__(self, name: object) -> bool:
        return self._index.execute("SELECT 1 FROM taken WHERE name = ?", (name,)).fetchone() is not None

    def add(self, name: str) -> None:
        self._index.execute("INSERT INTO taken VALUES (?)", (name,))
