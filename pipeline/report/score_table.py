"""The score table (评分表) as rows of plain text: the columns the framework asks for, in its order and words.

Each cell is formatted here once, for every output; templates only lay the rows out. With `评分标准: 附注`
the standards leave the table for numbered notes under it, each different text once, and the leaf's name
carries its note's number. A table has one name column per level of its framework (一级指标 … 六级指标).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import numbers as n
from ..figures.score import Scored, Scores
from ..inputs import models as m
from ..rules.outcome import Shown

LEVELS = m.LEVEL_NAMES
NUMBERS = ("分值", "得分", "完成率")  # right-aligned
SHORT = ("指标值", "实际完成值")  # centred
NONE = "—"
TOTAL_LABEL = {"department": "合计", "project": "总分"}


@dataclass(frozen=True)
class Column:
    key: str  # one of SCORE_COLUMNS
    label: str  # the header as printed
    align: str  # left / right / center, as a pipe table's separator row says it


@dataclass(frozen=True)
class ScoreTable:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, ...], ...]  # the 合计 row; then, when leaves do not apply, the 折算总分 row
    notes: tuple[str, ...]  # 评分标准 moved under the table: note i is notes[i - 1]

    @property
    def total(self) -> tuple[str, ...]:
        """The row that prints the 总分."""
        return self.totals[-1]


def columns(framework: m.Framework, depth: int | None = None) -> tuple[Column, ...]:
    """The table's columns; depth: the levels its rows have (the unit's own indicators may stop short of the
    framework's deepest), so that no level column is left empty."""
    sheet = framework.score_sheet
    levels = m.LEVEL_NAMES[:framework.depth if depth is None else depth]
    keys = sheet.columns or levels + m.DEFAULT_SCORE_COLUMNS[framework.kind]
    if sheet.standards == "附注":
        keys = tuple(k for k in keys if k != "评分标准")
    labels = dict(m.DEFAULT_SCORE_LABELS[framework.kind])
    labels.update(sheet.labels.items())  # the framework's own header words over the defaults
    return tuple(Column(k, labels.get(k, k), "right" if k in NUMBERS else "center" if k in SHORT else "left")
                 for k in keys)


NOT_APPLICABLE = "不适用"


def shortfall(leaf: Scored, facts: m.IndicatorFacts | None) -> str:
    """偏差原因: the unit's own words when the indicator lost points, else why the rule took them."""
    if leaf.lost <= 0 or leaf.outcome is None:
        return ""
    return facts.shortfall if facts is not None and facts.shortfall else leaf.outcome.reason


def _cell(key: str, path: tuple[Scored, ...], facts: m.IndicatorFacts | None, note: int | None) -> str:
    leaf = path[-1]
    said = leaf.outcome.shown if leaf.outcome else Shown()  # worded by the leaf's rule type
    if key in LEVELS:
        level = LEVELS.index(key)
        if level >= len(path):  # under a shallower leaf: blank, as bureaus print it (its name repeated would read as a level of its own)
            return ""
        node = path[level]
        if node is leaf:
            return node.name + (f"（注{note}）" if note else "")
        return f"{node.name}（{n.plain(node.weight)}分）"
    if leaf.not_applicable:  # its published weight, and no points: the 合计 row says what the points are out of
        return {"分值": n.plain(leaf.weight), "得分": NOT_APPLICABLE, "扣分原因": f"{NOT_APPLICABLE}：{leaf.not_applicable}",
                "偏差原因": f"{NOT_APPLICABLE}：{leaf.not_applicable}"}.get(key, NONE if key in SHORT + ("完成率",) else "")
    return {
        "分值": lambda: n.plain(leaf.weight),
        "得分": lambda: n.score(leaf.points),
        "指标值": lambda: said.target or NONE,
        "实际完成值": lambda: said.actual or NONE,
        "完成率": lambda: said.completion or NONE,
        "评分标准": lambda: leaf.outcome.standard if leaf.outcome else "",
        "扣分原因": lambda: leaf.outcome.reason if leaf.outcome else "",
        "偏差原因": lambda: shortfall(leaf, facts),
    }[key]()


def score_table(scores: Scores, facts: dict[str, m.IndicatorFacts], framework: m.Framework,
                total_label: str = "合计") -> ScoreTable:
    cols = columns(framework, scores.depth)
    notes: dict[str, int] = {}
    rows = []
    for path in scores.rows():
        leaf = path[-1]
        note = None
        if framework.score_sheet.standards == "附注" and leaf.outcome is not None and leaf.outcome.standard:
            note = notes.setdefault(leaf.outcome.standard, len(notes) + 1)
        rows.append(tuple(_cell(c.key, path, facts.get(leaf.id), note) for c in cols))
    grade_at = next((i for i, c in reversed(list(enumerate(cols))) if c.key not in LEVELS + NUMBERS), None)

    def total_row(label: str, points: str, said: str) -> tuple[str, ...]:
        cells = [{"分值": n.plain(scores.weight), "得分": points}.get(c.key, "") for c in cols]
        cells[0] = label
        if grade_at is not None:
            cells[grade_at] = said
        return tuple(cells)

    graded = f"自评等级：{scores.grade}"
    said = []
    totals: tuple[tuple[str, ...], ...]
    if scores.dropped:  # the rows add up to the 合计; the 总分 is that brought to the framework's total, shown worked
        worked = "＝" + converted_text(scores)
        totals = (total_row("合计", n.score(scores.scored), f"其中{NOT_APPLICABLE}指标{n.plain(scores.weight - scores.applicable)}"
                            f"分不计分，适用指标分值{n.plain(scores.applicable)}分"),
                  total_row("折算总分", n.score(scores.total), f"{worked}；{graded}"))
        said = [f"折算总分{worked}。"] if grade_at is None else []
    else:
        totals = (total_row(total_label, n.score(scores.total), graded),)
    # a 封顶 that brought points down is said under the table, so that the rows need not add up unexplained
    return ScoreTable(cols, tuple(rows), totals, tuple(notes) + tuple(f"{c.text}。" for c in scores.capped)
                      + tuple(said))


def converted_text(scores: Scores) -> str:
    """How the 总分 came from the points when leaves do not apply: “82.50÷97×100”, and the cap if one held."""
    capped = next((c for c in scores.capped if not c.id), None)
    worked = f"{n.score(scores.scored)}÷{n.plain(scores.applicable)}×{n.plain(scores.weight)}"
    return worked if capped is None else f"{worked}，{capped.text}"
