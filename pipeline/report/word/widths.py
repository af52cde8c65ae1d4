"""Column widths of a Word table planned from its text: the widths that make the table shortest, then the
fewest lines inside its cells, with indicator names kept readable."""
from __future__ import annotations

import math

import numpy as np

from .layout import LINE_SLACK_EM, clusters, count_lines

QUARTER = 0.25  # widths are planned in quarter characters
LOOK_AHEAD = 48  # quarters a column may grow in one step, looking for fewer lines
CHUNK = 16  # trial widths of a column measured together
NAME_EM = 5.0  # an indicator name column holds four characters a line at least...
NAME_COST = 0.03  # ...where that makes the table no more than this much taller


def plan_widths(texts: list[list[str]], total_em: float, merged: dict[int, list[tuple[int, int]]],
                names: frozenset[int] = frozenset()) -> list[float]:
    """Column widths (em, summing to total_em) that make the table shortest: every column at least as wide as
    its longest unbreakable word, then room given where it saves the most lines per character of width.

    `texts[r][c]` is the text of row r, column c (paragraphs joined by newlines); `merged` maps a column to
    its runs of merged rows (first, count), whose label needs height only once per run; a label alone in its
    row counts like any cell. Columns in `names` (indicator names) are made NAME_EM wide, or as wide as their
    widest text, where the table grows by NAME_COST at most: a name cut into lines of two or three characters
    is hard to read even where it costs no height."""
    columns = len(texts[0])
    pieces = [[[clusters(part) for part in row[c].split("\n")] for row in texts] for c in range(columns)]
    widest = [max((sum(p) for cell in col for p in cell), default=0.0) + LINE_SLACK_EM for col in pieces]
    low = [max(2.0, max((max(p, default=0.0) for cell in col for p in cell), default=0.0) + LINE_SLACK_EM)
           for col in pieces]
    total = int(total_em / QUARTER)
    plain = [math.ceil(w / QUARTER) for w in low]
    if sum(plain) >= total:  # no room to share: the minimum, scaled to fit
        return [w * total_em / sum(plain) * QUARTER for w in plain]
    memo: dict[tuple[int, int], np.ndarray] = {}

    def lines(c: int, w: int) -> np.ndarray:
        if (c, w) not in memo:
            memo[(c, w)] = np.array([sum(count_lines(p, w * QUARTER) for p in cell) for cell in pieces[c]], dtype=np.int64)
        return memo[(c, w)]

    # lines are counted in whole arrays, for CHUNK trial widths of a column at once: a cell counts in its row's
    # height unless it lies in a merged run, whose label needs its lines once over the run's rows
    free = np.ones((columns, len(texts)), dtype=bool)
    once = np.ones((columns, len(texts)), dtype=bool)  # a merged label counts once among the lines inside cells
    for c, runs in merged.items():
        for first, count in runs:
            free[c, first:first + count] = False
            once[c, first + 1:first + count] = False
    counted, all_counted = free.any(axis=0), bool(free.all())
    runs = [(c, first, first + count) for c, column_runs in merged.items() for first, count in column_runs]
    run_column, run_first, run_end = (np.array([run[i] for run in runs], dtype=np.int64) for i in range(3))

    def needs(ws: list[int]) -> np.ndarray:
        return np.array([lines(c, ws[c])[first] for c, first, _ in runs], dtype=np.int64)

    def row_lines(ws: list[int], skip: int | None = None) -> np.ndarray:
        shown = [np.where(free[c], lines(c, ws[c]), 0) for c in range(columns) if c != skip]
        return np.max(shown, axis=0) if shown else np.zeros(len(texts), dtype=np.int64)

    def heights(rows: np.ndarray, need: np.ndarray) -> np.ndarray:
        """The table's lines for each trial: `rows` the row lines of each, `need` its merged labels' lines."""
        if not all_counted:  # a row where no cell counts is one line high
            rows = np.where(counted, rows, 1)
        ends = np.concatenate((np.zeros((len(rows), 1), dtype=np.int64), np.cumsum(rows, axis=1)), axis=1)
        found = ends[:, -1]
        if runs:
            found = found + np.maximum(need - (ends[:, run_end] - ends[:, run_first]), 0).sum(axis=1)
        return found

    def height(ws: list[int]) -> int:
        return int(heights(row_lines(ws)[None, :], needs(ws)[None, :])[0])

    def all_lines(ws: list[int]) -> int:
        return sum(int(lines(c, ws[c])[once[c]].sum()) for c in range(columns))

    def height_trials(width: list[int]):
        base = needs(width)

        def trials(c: int, trial: np.ndarray) -> np.ndarray:
            own = run_column == c
            need = np.repeat(base[None, :], len(trial), axis=0)
            need[:, own] = trial[:, run_first[own]]
            return heights(np.maximum(row_lines(width, skip=c), np.where(free[c], trial, 0)), need)
        return trials

    def line_trials(width: list[int]):
        now = all_lines(width)
        return lambda c, trial: now - int(lines(c, width[c])[once[c]].sum()) + np.where(once[c], trial, 0).sum(axis=1)

    def step(width: list[int], measure, trials) -> bool:
        """Give one column the room that saves the most per quarter by `measure`; False when nothing saves."""
        current, best, measured = measure(width), None, trials(width)  # best: (saving per quarter, column, width)
        for c in range(columns):
            room = min(LOOK_AHEAD, total - sum(width))
            for start in range(1, room + 1, CHUNK):  # the narrowest trial that saves counts for the column
                grows = range(start, min(start + CHUNK, room + 1))
                got = measured(c, np.stack([lines(c, width[c] + grow) for grow in grows]))
                better = np.flatnonzero(got < current)
                if len(better):
                    grow, lower = grows[better[0]], int(got[better[0]])
                    if best is None or (current - lower) / grow > best[0]:
                        best = ((current - lower) / grow, c, width[c] + grow)
                    break
        if best is not None:
            width[best[1]] = best[2]
        return best is not None

    def grown(width: list[int]) -> tuple[list[int], int]:
        """Room given a quarter at a time where it saves the most height; what is left where it saves the most
        lines inside cells (two tall columns side by side then both grow); the widths and their height."""
        width = list(width)
        for measure, trials in ((height, height_trials), (all_lines, line_trials)):
            while sum(width) < total and step(width, measure, trials):
                pass
        return width, height(width)

    width, lowest = grown(plain)
    floored = [max(w, math.ceil(min(widest[c], NAME_EM) / QUARTER)) if c in names else w for c, w in enumerate(plain)]
    if any(width[c] < floored[c] for c in names) and sum(floored) < total:  # else the names are wide enough
        readable, taller = grown(floored)
        if taller <= lowest * (1 + NAME_COST):
            width = readable
    spare = total - sum(width)
    wants = [max(widest[c] / QUARTER - width[c], 0.0) for c in range(columns)]
    shares = wants if sum(wants) > 0 else [float(w) for w in width]
    return [(width[c] + spare * shares[c] / sum(shares)) * QUARTER for c in range(columns)]
