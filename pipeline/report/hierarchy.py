"""Which cells of a score table merge: runs of equal 一级/二级 names, for every output format."""
from __future__ import annotations

MERGED_COLUMNS = ("一级指标", "二级指标", "三级指标")


def merged_columns(header: list[str]) -> list[int]:
    """The 一级/二级 columns of a score table's header; the last level (the leaves) never merges."""
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
