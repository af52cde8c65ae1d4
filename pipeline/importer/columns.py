"""Header rows as forms word them: each column's key found by its wording, whatever program or bureau wrote it."""
from __future__ import annotations

import re
from collections.abc import Mapping

from .grid import Row, plain

BRACKETS = re.compile(r"[(（【\[][^)）】\]]*[)）】\]]")


def header_text(text: str) -> str:
    """A header cell compared by its words: 分值（分） → 分值, 全年执行数： → 全年执行数."""
    return BRACKETS.sub("", plain(text)).rstrip(":：")


def find_columns(row: Row, wording: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """key → column of the first cell worded as one of its names (a name ending in * matches as a prefix)."""
    found: dict[str, int] = {}
    for column, text in row.distinct():
        words = header_text(text)
        for key, names in wording.items():
            if key not in found and any(words == n or (n.endswith("*") and words.startswith(n[:-1])) for n in names):
                found[key] = column
                break
    return found


def first_label(row: Row, names: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The key and column of the first cell whose words are one of the names given for a key."""
    for column, text in row.distinct():
        words = header_text(text).removeprefix("其中")
        words = words.lstrip(":：")
        for key, options in names.items():
            if words in options:
                return key, column
    return None
