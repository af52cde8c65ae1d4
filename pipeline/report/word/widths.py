"""Column widths of a Word table planned from its text: the widths that make the table shortest, then the
fewest lines inside its cells, with indicator names kept readable."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .layout import HEADER_WORD_EM, LINE_SLACK_EM, clusters, count_lines, header_words

if TYPE_CHECKING:  # numpy is imported where widths are counted, not when the package loads
    import numpy as np

QUARTER = 0.25  # widths are planned in quarter characters
LOOK_AHEAD = 48  # quarters a column may grow in one step, looking for fewer lines
NAME_EM = 5.0  # an indicator name column holds four characters a line at least...
NAME_COST = 0.03  # ...where that makes the table no more than 3 % taller
HEADER_TIERS = (HEADER_WORD_EM, 4, 0)  # header words held whole up to these many characters, the first that fits
EXCHANGES = 64  # moves of width between two columns at most, each the one that saves the most lines
LONE_CHARS, LONE_CELLS = 40, 64  # names this short, this many a column, are kept from ending on one character
LONE_MOST_EM, LONE_STEP = 2.0, 0.05  # by taking at most this much width from other columns, tried this finely
ARRAY_CELLS = 1 << 20  # numbers in one working array (8 MB): a table of thousands of rows is counted in batches


def _least(cells: list[list[list[float]]]) -> float:
    """The narrowest a column may be (em): its widest unbreakable piece and a line's slack, 2 em at least."""
    return max(2.0, max((max(p, default=0.0) for cell in cells for p in cell), default=0.0) + LINE_SLACK_EM)


def header_tier(texts: list[list[str]], total_em: float) -> int:
    """The most characters a run of Chinese in the header row (texts[0]) may have and be held whole as one word
    (layout.header_words) with every column, at least as wide as its header's widest word and its body's widest
    unbreakable piece, fitting `total_em`; where none fits, the last tier: words of two or three characters."""
    body = [_least([[clusters(part) for part in row[c].split("\n")] for row in texts[1:]]) for c in range(len(texts[0]))]
    for whole in HEADER_TIERS:
        least = [max(b, _least([[clusters(part) for part in header_words(text, whole).split("\n")]]))
                 for b, text in zip(body, texts[0])]
        if sum(math.ceil(w / QUARTER) for w in least) <= int(total_em / QUARTER):
            return whole
    return HEADER_TIERS[-1]


def plan_widths(texts: list[list[str]], total_em: float, merged: dict[int, list[tuple[int, int]]],
                names: frozenset[int] = frozenset()) -> list[float]:
    """Column widths (em, summing to total_em) that make the table shortest: every column at least as wide as
    its longest unbreakable word, then room given where it saves the most lines per character of width.

    `texts[r][c]` is the text of row r, column c (paragraphs joined by newlines); `merged` maps a column to
    its runs of merged rows (first, count), whose label needs height only once per run; a label alone in its
    row counts like any cell. Columns in `names` (indicator names) are made NAME_EM wide, or as wide as their
    widest text, where the table grows by NAME_COST at most: a name cut into lines of two or three characters
    is hard to read even where it costs no height. A header's words are held by word joiners in its text
    (header_tier), so like any unbreakable piece they set the column's least width; the columns then share the rest,
    width moved between pairs of columns that are tall in the same rows."""
    import numpy as np  # 0.07 s to import: only a run that lays out a Word table pays it
    columns = len(texts[0])
    pieces = [[[clusters(part) for part in row[c].split("\n")] for row in texts] for c in range(columns)]
    widest = [max((sum(p) for cell in col for p in cell), default=0.0) + LINE_SLACK_EM for col in pieces]
    low = [_least(col) for col in pieces]
    total = int(total_em / QUARTER)
    plain = [math.ceil(w / QUARTER) for w in low]
    if sum(plain) >= total:  # no room to share: the minimum, scaled to fit
        return [w * total_em / sum(plain) for w in plain]
    # each column's lines at every width it may take, [width - plain[c], cell]
    spare = total - sum(plain)
    counted_lines = [lines_by_width(pieces[c], np.arange(plain[c], plain[c] + spare + 1) * QUARTER).T
                     for c in range(columns)]

    def lines(c: int, w: int) -> np.ndarray:
        return counted_lines[c][w - plain[c]]

    # lines are counted in whole arrays, for every trial width of a column at once: a cell counts in its row's
    # height unless it lies in a merged run, whose label needs its lines once over the run's rows
    free = np.ones((columns, len(texts)), dtype=bool)
    once = np.ones((columns, len(texts)), dtype=bool)  # a merged label counts once among the lines inside cells
    for c, column_runs in merged.items():
        for first, count in column_runs:
            free[c, first:first + count] = False
            once[c, first + 1:first + count] = False
    counted, all_counted = free.any(axis=0), bool(free.all())
    runs = [(c, first, first + count) for c, column_runs in merged.items() for first, count in column_runs]
    run_column, run_first, run_end = (np.array([run[i] for run in runs], dtype=np.int64) for i in range(3))

    def needs(ws: list[int]) -> np.ndarray:
        return np.array([lines(c, ws[c])[first] for c, first, _ in runs], dtype=np.int64)

    def shown(ws: list[int]) -> np.ndarray:
        """[column, row]: the lines each cell adds to its row's height."""
        return np.stack([np.where(free[c], lines(c, ws[c]), 0) for c in range(columns)])

    def row_lines_without(ws: list[int]) -> np.ndarray:
        """[column, row]: each row's lines from every column but that one."""
        each = shown(ws)
        zero = np.zeros((1, len(texts)), dtype=np.int64)
        before = np.concatenate((zero, np.maximum.accumulate(each, axis=0)[:-1]))
        after = np.concatenate((np.maximum.accumulate(each[::-1], axis=0)[::-1][1:], zero))
        return np.maximum(before, after)

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
        return int(heights(shown(ws).max(axis=0)[None, :], needs(ws)[None, :])[0])

    def all_lines(ws: list[int]) -> int:
        return sum(int(lines(c, ws[c])[once[c]].sum()) for c in range(columns))

    def height_trials(width: list[int], batch: list[int], tried: np.ndarray) -> np.ndarray:
        """The table's lines [column, trial] with each column of `batch` at each of its trial widths (`tried`:
        [column, trial, row] lines), the others as they are."""
        shape = tried.shape
        rows = np.maximum(row_lines_without(width)[batch][:, None, :], np.where(free[batch][:, None, :], tried, 0))
        need = np.broadcast_to(needs(width), shape[:2] + (len(runs),)).copy()
        at = {c: i for i, c in enumerate(batch)}
        own = np.array([r for r in range(len(runs)) if run_column[r] in at], dtype=np.int64)  # the batch's labels
        where = np.array([at[run_column[r]] for r in own], dtype=np.int64)
        need[where, :, own] = tried[where, :, run_first[own]]
        return heights(rows.reshape(-1, shape[2]), need.reshape(shape[0] * shape[1], len(runs))).reshape(shape[:2])

    def line_trials(width: list[int], batch: list[int], tried: np.ndarray) -> np.ndarray:
        own = np.array([lines(c, width[c])[once[c]].sum() for c in batch])
        return all_lines(width) - own[:, None] + np.where(once[batch][:, None, :], tried, 0).sum(axis=2)

    def step(width: list[int], measure, trials) -> bool:
        """Give one column the room that saves the most per quarter by `measure`; False when nothing saves."""
        current, best = measure(width), None  # best: (saving per quarter, column, width)
        room = min(LOOK_AHEAD, total - sum(width))
        per = max(1, ARRAY_CELLS // (room * len(texts)))  # columns whose trials are measured together
        for first in range(0, columns, per):
            batch = list(range(first, min(first + per, columns)))
            got = trials(width, batch, np.stack([counted_lines[c][width[c] + 1 - plain[c]:][:room] for c in batch]))
            for c, saved in zip(batch, got):
                better = np.flatnonzero(saved < current)
                if len(better):  # the narrowest trial that saves counts for the column
                    grow, lower = int(better[0]) + 1, int(saved[better[0]])
                    if best is None or (current - lower) / grow > best[0]:
                        best = ((current - lower) / grow, c, width[c] + grow)
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

    def exchanged(width: list[int], floor: list[int]) -> list[int]:
        """Width moved from one column to another, neither below its floor, wherever that makes the table shorter:
        two columns tall in the same rows are solved together, where giving to one alone saves nothing."""
        width = list(width)
        for _ in range(EXCHANGES):
            each, current, best = shown(width), height(width), None  # best: (height, donor, taker, quarters)
            for donor in range(columns):
                for taker in range(columns):
                    most = min(LOOK_AHEAD, width[donor] - floor[donor], plain[taker] + spare - width[taker])
                    if donor == taker or most <= 0:
                        continue
                    at, to = width[donor] - plain[donor], width[taker] - plain[taker]
                    given = counted_lines[donor][at - most:at][::-1]  # [quarters given - 1, row]
                    taken = counted_lines[taker][to + 1:to + most + 1]
                    others = np.delete(each, [donor, taker], axis=0).max(axis=0, initial=0)
                    rows = np.maximum(others[None, :], np.maximum(np.where(free[donor], given, 0),
                                                                  np.where(free[taker], taken, 0)))
                    need = np.broadcast_to(needs(width), (most, len(runs))).copy()
                    for r in range(len(runs)):
                        if run_column[r] in (donor, taker):
                            need[:, r] = (given if run_column[r] == donor else taken)[:, run_first[r]]
                    found = heights(rows, need)
                    k = int(np.argmin(found))
                    if found[k] < current and (best is None or found[k] < best[0]):
                        best = (int(found[k]), donor, taker, k + 1)
            if best is None:
                return width
            width[best[1]] -= best[3]
            width[best[2]] += best[3]
        return width

    width = grown(exchanged(grown(plain)[0], plain))[0]
    lowest = height(width)
    name = [math.ceil(min(widest[c], NAME_EM) / QUARTER) if c in names else 0 for c in range(columns)]
    floored = [max(b, f) for b, f in zip(plain, name)]
    if any(width[c] < floored[c] for c in range(columns)) and sum(floored) < total:  # else wide enough already
        readable, taller = grown(floored)
        if taller <= lowest * (1 + NAME_COST):
            width = readable
    spare = total - sum(width)
    wants = [max(widest[c] / QUARTER - width[c], 0.0) for c in range(columns)]
    shares = wants if sum(wants) > 0 else [float(w) for w in width]
    planned = [(width[c] + spare * shares[c] / sum(shares)) * QUARTER for c in range(columns)]
    return last_lines_whole(texts, planned, names | frozenset(merged))


def last_lines_whole(texts: list[list[str]], widths_em: list[float], columns: frozenset[int]) -> list[float]:
    """The widths with each of `columns` (names) widened where a cell of it ends on a line of one character ("…覆盖/率",
    "（20/分）"), the width taken from a column none of whose cells then takes another line: the table grows no taller
    and the one character joins the line above it, however a client rounds the width (unbroken.orphan_free)."""
    from .unbroken import orphan_free  # python-docx: unbroken reads Word tables

    widths = list(widths_em)

    def lone(c: int, width: float) -> list[str]:
        """The column's names that end on one character at `width`, the first LONE_CELLS of them."""
        short = sorted({row[c] for row in texts[1:] if 1 < len(row[c]) <= LONE_CHARS})
        found = [text for text in short if orphan_free(text, width - LINE_SLACK_EM, LINE_SLACK_EM)]
        return found[:LONE_CELLS]

    cells = [[[clusters(part) for part in row[c].split("\n")] for row in texts] for c in range(len(widths))]

    def spare(d: int, most: float) -> float:
        """The width, up to `most`, column d gives with none of its cells taking another line."""
        least, now = round(_least(cells[d]), 9), [sum(count_lines(p, widths[d]) for p in cell) for cell in cells[d]]
        steps = 0
        while (steps + 1) * LONE_STEP <= most + 1e-9 and (width := round(widths[d] - (steps + 1) * LONE_STEP, 9)) >= least \
                and all(sum(count_lines(p, width) for p in cell) == n for cell, n in zip(cells[d], now)):
            steps += 1
        return steps * LONE_STEP

    for c in sorted(columns):
        alone = lone(c, widths[c])
        need = max((orphan_free(text, widths[c] - LINE_SLACK_EM, LINE_SLACK_EM) for text in alone), default=0.0)
        extra = need + LINE_SLACK_EM - widths[c]
        if not alone or not 0 < extra <= LONE_MOST_EM or len(lone(c, widths[c] + extra)) >= len(alone):
            continue
        given = {d: spare(d, extra) for d in range(len(widths)) if d not in columns}
        if sum(given.values()) + 1e-9 < extra:
            continue  # the columns beside it have not the room: the table would grow taller
        left = extra
        for d in sorted(given, key=lambda d: -given[d]):  # the most from the columns with the most to spare
            taken = min(given[d], left)
            widths[d], left = widths[d] - taken, left - taken
        widths[c] += extra - left
    return widths


def _lines(text: str, width_em: float) -> int:
    return sum(count_lines(clusters(part), width_em) for part in text.split("\n"))


def lines_by_width(cells: list[list[list[float]]], widths_em: np.ndarray) -> np.ndarray:
    """layout.count_lines for every paragraph of every cell at every width at once: [cell, width], each cell's
    paragraphs added up. The same steps on the same floats, so the counts are those count_lines gives."""
    import numpy as np
    distinct: dict[tuple[float, ...], int] = {}  # a column repeats its texts (scores, 是/否, empty cells)
    which = [distinct.setdefault(tuple(paragraph), len(distinct)) for cell in cells for paragraph in cell]
    paragraphs = list(distinct)
    counted = np.empty((len(paragraphs), len(widths_em)), dtype=np.int32)  # half the memory of a big table
    by_length = sorted(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    most = max(1, ARRAY_CELLS // len(widths_em))
    start = 0
    while start < len(by_length):  # paragraphs of like length together: none is padded to more than twice its own
        longest = 2 * max(len(paragraphs[by_length[start]]), 4)
        end = start + 1
        while end < len(by_length) and end - start < most and len(paragraphs[by_length[end]]) <= longest:
            end += 1
        group = by_length[start:end]
        counted[group] = _count_lines([paragraphs[i] for i in group], widths_em)
        start = end
    starts = np.cumsum([0] + [len(cell) for cell in cells[:-1]])
    return np.add.reduceat(counted[which], starts, axis=0) if len(cells) else counted


def _count_lines(paragraphs: list[tuple[float, ...]], widths_em: np.ndarray) -> np.ndarray:
    """count_lines of each paragraph at each width, [paragraph, width]."""
    import numpy as np
    pieces = np.zeros((len(paragraphs), max(map(len, paragraphs), default=0)))
    for row, paragraph in enumerate(paragraphs):
        pieces[row, :len(paragraph)] = paragraph  # a piece of no width after the last fits and changes nothing
    width = np.maximum(widths_em - LINE_SLACK_EM, 1.0)[None, :]
    lines = np.ones((len(paragraphs), len(widths_em)), dtype=np.int64)
    used = np.zeros(lines.shape)
    for k in range(pieces.shape[1]):
        size = pieces[:, k:k + 1]
        after = used + size
        fits = after <= width
        lines += ~fits & (used > 0)  # the piece starts a new line
        used = np.where(fits, after, size)
        over = used > width  # a word longer than the line breaks anywhere
        while over.any():
            lines += over
            used = np.where(over, used - width, used)
            over = used > width
    return lines
