"""A 评分表 (一级/二级/三级… 指标, 分值, 评分标准, 得分) read from a Grid: each leaf with its path, weights, criteria and score."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..errors import Location, Problem
from ..inputs.framework import LEVEL_NAMES
from .cells import filled, label, number
from .columns import find_columns, header_text
from .form import YEAR
from .form_header import inline_pairs
from .grid import Grid, Row, plain, tidy
from .wording import (
    CRITERIA,
    INDICATOR_COLUMNS,
    NOT_APPLICABLE_WORDS,
    NOTES,
    POINT_WORDS,
    SCORE_REASON,
    SUBTOTAL_WORDS,
    TOTAL_WORDS,
    UNIT_WORDS,
    WEIGHT_WORDS,
)

LEVELS = tuple(f"level{i}" for i in range(1, len(LEVEL_NAMES) + 1))
SCORE_COLUMNS = {**{key: (name,) for key, name in zip(LEVELS, LEVEL_NAMES)}, "criteria": CRITERIA, "reason": SCORE_REASON}


@dataclass(frozen=True)
class SheetRow:
    where: Location
    shown: str
    path: tuple[str, ...]  # the labels from 一级 down to this leaf
    weights: tuple[Decimal | None, ...]  # the weight printed for each label of the path
    points: tuple[Decimal | None, ...]  # the score printed for each label of the path, where the table has one
    criteria: str
    reason: str
    not_applicable: str = ""  # why, when its 得分 reads 不适用


@dataclass
class ScoreSheet:
    name: str
    title: str = ""
    unit_name: str = ""
    year: int | None = None
    rows: list[SheetRow] = field(default_factory=list)
    total: tuple[Location, Decimal | None, Decimal | None] | None = None  # (where, weight, points)
    grade: str | None = None
    subtotal: bool = False  # the total read so far is a 合计: a 总分 row below it (折算总分) wins
    problems: list[Problem] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # where: what, for each filled cell no field took


@dataclass(frozen=True)
class ScoreColumns:
    """A 评分表's header: the column of each level's label, and the 分值, 得分, 评分标准 and 说明 columns."""
    levels: list[tuple[int, int]]  # (column, level) of each label, left to right
    weights: dict[int, int]  # level → the column of its 分值
    points: dict[int, int]  # level → the column of its 得分
    criteria: int | None = None
    reason: int | None = None


def score_header(row: Row, loose: bool = False) -> ScoreColumns | None:
    """The header's columns; each 分值 and 得分 column belongs to the level whose label stands nearest on its left.
    A header names 评分标准; loose (a department's table) it may instead have 分值 and 得分 without 指标值 or 完成值."""
    found = find_columns(row, SCORE_COLUMNS)
    levels = [(found[k], i) for i, k in enumerate(LEVELS) if k in found]
    words = {header_text(t) for _, t in row.distinct()}
    form_like = {"target", "actual"} <= set(find_columns(row, INDICATOR_COLUMNS))
    scored = bool(words & set(WEIGHT_WORDS)) and bool(words & set(POINT_WORDS)) and not form_like
    if not levels or not ("criteria" in found or (loose and scored)):
        return None
    weights: dict[int, int] = {}
    points: dict[int, int] = {}
    for column, text in row.distinct():
        worded = header_text(text)
        target = weights if worded in WEIGHT_WORDS else points if worded in POINT_WORDS else None
        if target is not None:
            left = [level for col, level in levels if col < column]
            target.setdefault(left[-1] if left else levels[-1][1], column)
    return ScoreColumns(levels, weights, points, found.get("criteria"), found.get("reason"))


def _number(sheet: ScoreSheet, row: Row, column: int | None, what: str) -> Decimal | None:
    if column is None or (what == "得分" and plain(row.cell(column)) in NOT_APPLICABLE_WORDS):
        return None
    try:
        return number(row.cell(column))
    except ValueError:
        sheet.problems.append(Problem(replace(row.where, file=sheet.name, key=what), "无法读取这个数字", row.cell(column),
                                      f"本行内容：{row.shown()}"))
        return None


def _leaf(sheet: ScoreSheet, row: Row, cols: ScoreColumns, above: SheetRow | None) -> SheetRow | None:
    path: list[str] = []
    weights: list[Decimal | None] = []
    points: list[Decimal | None] = []
    for position, (column, level) in enumerate(cols.levels):
        name, in_label = label(row.cell(column))
        deeper = any(label(row.cell(c))[0] for c, _ in cols.levels[position + 1:])  # else the leaf was above
        if not name and above is not None and level < len(above.path) and deeper:
            name, in_label = above.path[level], above.weights[level]  # a label printed once above the rows it covers
        if not name:
            break
        path.append(name)
        weights.append(_number(sheet, row, cols.weights.get(level), "分值") if level in cols.weights else in_label)
        points.append(_number(sheet, row, cols.points.get(level), "得分"))
    deepest = cols.levels[-1][1]
    if path and len(path) < len(cols.levels):  # a shallower leaf: the 分值/得分 printed for leaves are its own
        leaf_level = cols.levels[len(path) - 1][1]
        if leaf_level not in cols.weights and deepest in cols.weights:
            weights[-1] = _number(sheet, row, cols.weights[deepest], "分值")
        if leaf_level not in cols.points and deepest in cols.points:
            points[-1] = _number(sheet, row, cols.points[deepest], "得分")
    weight_column = cols.weights.get(cols.levels[len(path) - 1][1]) if path else None
    if path and weights[-1] is None and weight_column is not None and filled(row.cell(weight_column)):
        return None  # a weight that is not a number, reported as such
    if not path or weights[-1] is None:
        sheet.problems.append(Problem(replace(row.where, file=sheet.name), "无法读取这一行：" + (
            "缺少指标名称" if not path else "缺少分值"), row.shown(), "每行应有指标名称和分值"))
        return None
    reason = tidy(row.cell(cols.reason)) if cols.reason is not None else ""
    absent = any(plain(row.cell(c)) in NOT_APPLICABLE_WORDS for c in cols.points.values())
    why = reason.removeprefix("不适用：").removeprefix("不适用:").strip() or "不适用" if absent else ""
    return SheetRow(row.where, row.shown(), tuple(path), tuple(weights), tuple(points),
                    tidy(row.cell(cols.criteria)) if cols.criteria is not None else "", "" if absent else reason, why)


def _below(sheet: ScoreSheet, row: Row, texts: list[str]) -> None:
    """A row under the total: the grade, signatures and dates, notes; what has no place is listed as not imported."""
    words = [header_text(t) for t in texts]
    for i, w in enumerate(words):
        if w.endswith("等级") and i + 1 < len(texts) and 0 < len(plain(texts[i + 1])) <= 4:
            sheet.grade = sheet.grade or plain(texts[i + 1])
            return
    for key, value in (pair for text in texts for pair in inline_pairs(text)):
        if key.endswith("等级") and 0 < len(plain(value)) <= 4:
            sheet.grade = sheet.grade or plain(value)
        elif value:
            sheet.unread.append(f"{row.where}：{key}“{value}”")
    if not any(inline_pairs(t) for t in texts):
        sheet.unread.append(f"{row.where}：{row.shown()}")


def read_score_table(grid: Grid, loose: bool = False) -> ScoreSheet:
    sheet = ScoreSheet(grid.name)
    cols, header = None, None
    for text in grid.lines:
        sheet.title = sheet.title or (text if "表" in text or "体系" in text else "")
        if sheet.year is None and (year := YEAR.search(plain(text))):
            sheet.year = int(year.group(1))
        key, _, value = plain(text).partition(":")
        sheet.unit_name = sheet.unit_name or (value if header_text(key) in UNIT_WORDS else "")
    for row in grid.rows:
        texts = [t for _, t in row.distinct() if t]
        if not texts:
            continue
        found = score_header(row, loose)
        if found is not None and sheet.total is None:
            cols = found if row.cells != header else cols
            header = row.cells
            continue
        words = [header_text(t) for t in texts]
        if cols is None:
            sheet.year = sheet.year or next((int(year.group(1)) for t in texts if (year := YEAR.search(plain(t)))), None)
            sheet.title = sheet.title or (texts[0] if len(texts) == 1 else "")
            for i, _w in enumerate(words):
                key, _, value = plain(texts[i]).partition(":")
                if header_text(key) in UNIT_WORDS:
                    sheet.unit_name = value or (texts[i + 1] if i + 1 < len(texts) else "")
            continue
        if sheet.total is not None and not (sheet.subtotal and words[0].startswith(TOTAL_WORDS)):
            _below(sheet, row, texts)
        elif words[0].startswith(TOTAL_WORDS + SUBTOTAL_WORDS):
            sheet.subtotal = words[0].startswith(SUBTOTAL_WORDS)
            level = cols.levels[0][1]
            weight_col = cols.weights.get(level, next(iter(cols.weights.values()), None))
            point_col = next(iter(cols.points.values()), None) if cols.points else None
            sheet.total = (row.where, _number(sheet, row, weight_col, "分值"), _number(sheet, row, point_col, "得分"))
        elif any(w.endswith("等级") for w in words):
            sheet.grade = next((plain(texts[i + 1]) for i, w in enumerate(words) if w.endswith("等级") and i + 1 < len(texts)),
                               None) or next((plain(t).split(":", 1)[1] for t in texts if "等级:" in plain(t)), None)
        elif len(texts) == 1 and words[0].startswith(NOTES):
            sheet.unread.append(f"{row.where}：{texts[0]}")
        else:
            read = _leaf(sheet, row, cols, sheet.rows[-1] if sheet.rows else None)
            if read is not None:
                sheet.rows.append(read)
    sheet.unread = list(dict.fromkeys(sheet.unread))
    return sheet
