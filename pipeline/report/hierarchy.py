"""Which cells of a score table merge: runs of equal names at every level but the leaves', for every output format."""
from __future__ import annotations

from ..inputs.framework import LEVEL_NAMES

MERGED_COLUMNS = LEVEL_NAMES  # a score table's name columns, as many as its framework has levels


def merged_columns(header: list[str]) -> list[int]:
    """The level columns of a score table's header but the last (the leaves), which never merges."""
    return [i for i, text in enumerate(header) if text.strip() in MERGED_COLUMNS][:-1]


def merge_runs(texts: list[list[str]], columns: list[int]) -> list[tuple[int, int, int]]:
    """(column, first row, rows) for each run of equal non-empty cells, a run never crossing its parent's."""
    runs = []
    for position, column in enumerate(columns):
        keys = columns[: position + 1]
        start = 0
        for end in range(1, len(texts) + 1):
            if end < len(texts) and texts[start][column] and all(texts[end][k] == texts[start][k] for k in keys):
                continue
            if end - start > 1:
                runs.append((column, start, end - start))
            start = end
    return runs
