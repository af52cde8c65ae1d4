"""The 项目支出绩效自评表 (财预〔2020〕10号 附件 and the provinces' variants) read from a Grid: header, funds, overall goals,
indicators, total. Every filled cell is either read into a field or listed in `unread`, and a figure is never made up."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..errors import Location, Problem
from .cells import Target, actual, filled, label, target
from .columns import find_columns, header_text
from .form_funds import FUNDS_LABELS, FundsLine, figure, funds_header, funds_line, is_funds_header
from .form_header import read_labels
from .grid import Grid, Row, plain, tidy
from .wording import FUNDS_COLUMNS, GOAL_COLUMNS, INDICATOR_COLUMNS, NOTES, SUBTOTAL_WORDS, TOTAL_WORDS

# one text across a table, a heading rather than data: 三、绩效指标（续表）, 预算执行情况（万元）（20分）, 年度绩效目标（80分）
CAPTION = re.compile(r"续表|绩效指标|指标情况|绩效目标|预算执行|资金情况|^[一二三四五六七八九十]+、|\(\d+(?:\.\d+)?分\)$")
CAPTION_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)分\)$")
YEAR = re.compile(r"(20\d\d)\s*年度")
DATE = re.compile(r"(20\d\d)\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})")


@dataclass(frozen=True)
class IndicatorRow:
    where: Location
    shown: str  # the row's content, quoted in messages
    level1: str
    level1_weight: Decimal | None  # printed inside the label: 产出指标（50分）
    level2: str
    name: str
    target: Target | None
    actual: str
    weight: Decimal | None  # None where the form has no 分值 column
    points: Decimal | None
    reason: str


@dataclass
class Form:
    name: str
    header: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    funds: list[FundsLine] = field(default_factory=list)
    funds_columns: frozenset[str] = frozenset()  # the funds table's columns the form has (initial, budget, …)
    funds_caption: Decimal | None = None  # 预算执行情况（20分）: the weight printed over a funds table without 分值
    in_yuan: bool = False  # amounts printed in 元, not 万元
    separators: bool = False  # amounts printed with thousands separators
    goals: dict[str, str] = field(default_factory=dict)
    indicators: list[IndicatorRow] = field(default_factory=list)
    weights: bool = True  # whether the indicator table has a 分值 column
    indicators_caption: Decimal | None = None  # 年度绩效目标（80分）
    total: tuple[Location, Decimal | None, Decimal | None] | None = None  # (where, weight, points) of the 总分 row
    subtotal: tuple[Location, Decimal | None, Decimal | None] | None = None  # a 合计 row above a 总分 row
    grade: str | None = None
    signer: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # where: what, for each filled cell no field took
    noted: set[object] = field(default_factory=set)  # merged cells already listed as not read


def _indicator(form: Form, row: Row, columns: dict[str, int], above: IndicatorRow | None) -> IndicatorRow | None:
    text = {key: row.cell(column) for key, column in columns.items()}
    level1, level1_weight = label(text.get("level1", ""))
    level2, _ = label(text.get("level2", ""))
    name, _ = label(text.get("name", ""))
    if not any(filled(text.get(k, "")) for k in ("target", "actual", "weight", "points")):
        form.unread.append(f"{row.where}：指标行没有指标值、完成值、分值和得分（模板自带的空行），未导入“{row.shown()}”")
        return None
    if above is not None and not level1 and (name or level2):  # a label printed once for the rows under it
        level1, level1_weight = above.level1, above.level1_weight
        level2 = level2 or (above.level2 if name else "")
    weight = figure(form, row, columns.get("weight"), "分值")
    points = figure(form, row, columns.get("points"), "得分")
    if weight is None and filled(text.get("weight", "")):
        return None  # a weight that is not a number, reported as such
    if not (name or level2) or (weight is None and "weight" in columns):
        form.problems.append(Problem(replace(row.where, file=form.name), "无法读取这一行指标：" + (
            "缺少三级指标名称" if not (name or level2) else "缺少分值"), row.shown(), "每个指标行应有指标名称和分值"))
        return None
    printed = tidy(text.get("target", ""))
    if "comparator" in columns and printed:  # the Sichuan layout: 指标性质 | 指标值 | 度量单位 in columns of their own
        printed = plain(text["comparator"]) + printed + plain(text.get("unit", ""))
    goal = target(printed)
    if goal is not None and "unit" in columns and not goal.unit:
        goal = Target(goal.comparator, goal.value, plain(text["unit"]), goal.assumed)
    return IndicatorRow(row.where, row.shown(), level1, level1_weight, level2, name, goal,
                        actual(text.get("actual", ""), goal.unit if goal else ""), weight, points,
                        tidy(text.get("reason", "")))


def _second_form(form: Form, row: Row) -> None:
    form.problems.append(Problem(replace(row.where, file=form.name), "这里又开始了一份自评表：一个工作表或 Word 文件只能有一份", row.shown(),
                                 "请把每份自评表放在单独的工作表或文件中（一个工作簿的几个工作表导入为几个单位）"))


def _aligned(row: Row, header: Row | None, columns: dict[str, int]) -> dict[str, int]:
    """The header's columns in this row: by grid column, or by cell order where the grid is ragged (a row with as
    many cells as the header, laid over other widths, as hand-edited tables in Word often are)."""
    if header is None:  # no header read yet: the columns as found
        return columns
    mine, theirs = row.distinct(), header.distinct()
    if len(mine) != len(theirs) or [c for c, _ in mine] == [c for c, _ in theirs]:
        return columns
    order = {column: i for i, (column, _) in enumerate(theirs)}
    return {key: mine[order[column]][0] for key, column in columns.items()}


def _across(row: Row, columns: dict[str, int]) -> bool:
    """One text over the whole table: a caption or a note, not a line of data."""
    texts = [t for _, t in row.distinct() if t]
    return len(texts) == 1 and all(row.cell(c) == texts[0] for c in columns.values())


def _caption(text: str) -> Decimal | None | bool:
    """The weight a caption prints (（20分） → 20), True for a caption without one, False for text that is no caption."""
    words = plain(text)
    if not CAPTION.search(words):
        return False
    match = CAPTION_WEIGHT.search(words)
    return Decimal(match.group(1)) if match else True


def _total_kind(row: Row) -> str | None:
    """总分 for the form's total, 合计 for a sum that may be of the indicators only; None for other rows."""
    words = [header_text(t) for _, t in row.distinct()[:3] if t]
    if any(w.startswith(TOTAL_WORDS) for w in words):
        return "总分"
    return "合计" if any(w.startswith(SUBTOTAL_WORDS) for w in words) else None


def is_indicator_header(found: dict[str, int]) -> bool:
    return "name" in found and ("target" in found or "weight" in found) and ("actual" in found or "points" in found)


def read_form(grid: Grid) -> Form:
    form = Form(grid.name)
    section, funds_cols, ind_cols, goal_cols, others, header, funds_row = None, {}, {}, {}, {}, None, None
    spans_above, caption = set(), None
    for line in grid.lines:
        read_labels(form, line, "表格外的文字")
        if form.year is None and (year := YEAR.search(plain(line))):
            form.year = int(year.group(1))
    for row in grid.rows:
        texts = [t for _, t in row.distinct() if t]
        fresh = any(text and span not in spans_above for text, span in zip(row.cells, row.spans))
        spans_above = set(row.spans)
        if not texts or not fresh:  # blank, or only labels merged down from the rows above
            continue
        for text in texts:
            if form.year is None and (year := YEAR.search(plain(text))):
                form.year = int(year.group(1))
        found = find_columns(row, INDICATOR_COLUMNS)
        if is_indicator_header(found):
            if form.total is not None:
                _second_form(form, row)
                break
            if header is None or row.cells != header.cells:
                ind_cols, header = found, row
                form.weights = "weight" in found
            form.indicators_caption = form.indicators_caption or (caption if isinstance(caption, Decimal) else None)
            section, caption = "indicators", None
            continue
        found = find_columns(row, FUNDS_COLUMNS)
        if is_funds_header(found):
            if form.indicators:
                _second_form(form, row)
                break
            funds_cols, funds_row, section = found, row, "funds"
            others = funds_header(form, row, found)
            form.funds_caption = caption if isinstance(caption, Decimal) else None
            caption = None
            continue
        found = find_columns(row, GOAL_COLUMNS)
        if len(found) == 2:
            goal_cols, section = found, "goals"
            continue
        if section == "goals":
            form.goals = {key: tidy(row.cell(c)) for key, c in goal_cols.items()}
            section = None
            continue
        if section == "funds" and funds_line(form, row, _aligned(row, funds_row, funds_cols), others):
            continue
        if len(texts) == 1 and _caption(texts[0]) is not False and section != "indicators":
            caption = _caption(texts[0])
            section = None if section == "funds" else section
            continue
        if section == "indicators":
            _indicator_section(form, row, texts, _aligned(row, header, ind_cols), ind_cols)
            section = "after" if form.total is not None else None if _ended(row, texts) else section
            continue
        if section == "after" and _total_kind(row) == "总分":
            _total(form, row, ind_cols, "总分")
            continue
        if section == "funds":
            form.problems.append(Problem(replace(row.where, file=form.name), "无法读取这一行资金：不是资金总额、财政拨款、上年结转、"
                                         "其他资金等资金行", row.shown(), "资金行可写作：" + "、".join(
                                             n for names in FUNDS_LABELS.values() for n in names[:2])))
            continue
        if header_text(texts[0]) == "年度总体目标" and len(texts) >= 3 and not form.goals:
            form.goals = {"expected": texts[1], "achieved": texts[2]}
            continue
        read_labels(form, row, row.where)
    form.unread = list(dict.fromkeys(form.unread))
    if header is None:
        form.problems.append(no_header(grid, "没有找到指标表的表头"))
    return form


def no_header(grid: Grid, what: str) -> Problem:
    """What was looked for and not found, at the row that came nearest: the columns it has and those it lacks."""
    hint = ("自评表的指标表头应有三级指标、年度指标值（指标值、目标值）、实际完成值（完成值、实际值）、分值（权重）、得分等列，"
            "评分表应有一级指标、二级指标、三级指标、分值、评分标准、得分等列；表头的其他写法可加到 "
            "pipeline/importer/wording.py")
    best = max(grid.rows, key=lambda row: len(find_columns(row, INDICATOR_COLUMNS)), default=None)
    found = find_columns(best, INDICATOR_COLUMNS) if best is not None else {}
    if best is None or len(found) < 2:
        return Problem(Location(grid.name), what, hint=hint)
    missing = [INDICATOR_COLUMNS[k][0] for k in ("name", "target", "actual", "weight", "points") if k not in found]
    return Problem(replace(best.where, file=grid.name), f"{what}：最接近的这一行认出了“" + "”“".join(
        INDICATOR_COLUMNS[k][0].rstrip("*") for k in found) + "”，没有认出“" + "”“".join(missing) + "”", best.shown(), hint)


def _ended(row: Row, texts: list[str]) -> bool:
    return len(texts) == 1 and header_text(texts[0]).startswith(NOTES)


def _indicator_section(form: Form, row: Row, texts: list[str], columns: dict[str, int], header: dict[str, int]) -> None:
    kind = _total_kind(row)
    if kind is not None:
        _total(form, row, columns, kind)
        read_labels(form, row, row.where)
    elif _ended(row, texts):
        form.unread.append(f"{row.where}：{texts[0]}")
    elif _across(row, header) and _caption(texts[0]) is not False:
        pass  # a caption across the whole table: 三、绩效指标（续表）, 产出指标（50分）
    elif _across(row, header):
        form.problems.append(Problem(replace(row.where, file=form.name), "无法读取这一行指标：整行只有一段文字", row.shown(),
                                     "表中的说明请以“注：”开头，或移到表格下方"))
    else:
        read = _indicator(form, row, columns, form.indicators[-1] if form.indicators else None)
        if read is not None:
            form.indicators.append(read)


def _total(form: Form, row: Row, columns: dict[str, int], kind: str) -> None:
    """The form's total: a 总分 row wins over a 合计 row above it, which is then kept as the indicators' sum."""
    line = (row.where, figure(form, row, columns.get("weight"), "分值"), figure(form, row, columns.get("points"), "得分"))
    if form.total is None:
        form.total = line
        form.subtotal = line if kind == "合计" else None
    elif kind == "总分" and form.subtotal is form.total:
        form.total = line


def chinese_date(text: str) -> str | None:
    """2025年3月20日 or 2025-3-20 → 2025-03-20; None when it is not a real date."""
    match = DATE.search(text)
    try:
        return dt.date(*map(int, match.groups())).isoformat() if match else None
    except ValueError:
        return None
