"""The 项目支出绩效自评表 (财预〔2020〕10号 附件) read from a Grid: header, funds, overall goals, indicators, total."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ...errors import Problem
from .cells import Target, actual, filled, label, number, target
from .columns import find_columns, first_label, header_text
from .grid import Grid, Row, plain, tidy

HEADER_KEYS = {"项目名称": ("项目名称",), "主管部门": ("主管部门", "主管部门及代码", "主管单位"),
               "实施单位": ("实施单位", "项目实施单位", "项目单位", "填报单位", "实施单位盖章"),
               "项目负责人": ("项目负责人",), "联系电话": ("联系电话", "联系方式")}
FUNDS_COLUMNS = {"initial": ("年初预算数", "年初预算", "年初预算金额"),
                 "budget": ("全年预算数", "全年预算", "调整后预算数", "调整预算数", "全年预算金额"),
                 "actual": ("全年执行数", "全年执行", "执行数", "实际支出数", "实际支出", "全年支出数"),
                 "weight": ("分值", "权重"), "rate": ("执行率", "预算执行率"), "points": ("得分", "自评得分")}
FUNDS_ROWS = {"合计": ("年度资金总额", "资金总额", "合计", "总计", "项目资金总额"),
              "财政拨款": ("财政拨款", "当年财政拨款", "本年财政拨款", "财政资金"),
              "上年结转": ("上年结转", "上年结转资金", "结转资金"), "其他资金": ("其他资金", "其他", "自筹资金")}
INDICATOR_COLUMNS = {"level1": ("一级指标",), "level2": ("二级指标",), "name": ("三级指标", "指标名称", "绩效指标名称"),
                     "comparator": ("指标性质", "比较符", "指标值性质"), "target": ("年度指标值", "指标值", "目标值",
                     "年度目标值", "预期指标值", "计划指标值", "全年指标值"), "unit": ("度量单位", "计量单位"),
                     "actual": ("实际完成值", "完成值", "实际值", "全年实际值", "实际完成情况", "全年完成值"),
                     "weight": ("分值", "权重"), "points": ("得分", "自评得分"),
                     "reason": ("偏差原因*", "未完成原因*", "原因分析*", "偏差原因分析及改进措施", "备注")}
GOAL_COLUMNS = {"expected": ("预期目标", "年度预期目标", "总体目标"), "achieved": ("实际完成情况", "实际完成", "全年实际完成情况")}
CAPTION = re.compile(r"续表|绩效指标$|指标情况$|^[一二三四五六七八九十]+、")
NOTES = ("注", "说明", "备注", "填表说明", "填报说明")
SIGNER = re.compile(r"(填报人|单位负责人|填报日期|财务负责人)\s*:\s*(.*?)(?=\s|填报人|单位负责人|填报日期|财务负责人|$)")
YEAR = re.compile(r"(20\d\d)\s*年度")
DATE = re.compile(r"(20\d\d)\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})")


@dataclass(frozen=True)
class FundsLine:
    nature: str  # 合计, 财政拨款, 上年结转 or 其他资金
    where: str
    initial: Decimal | None
    budget: Decimal | None
    actual: Decimal | None
    weight: Decimal | None
    rate: Decimal | None  # percent as printed
    points: Decimal | None


@dataclass(frozen=True)
class IndicatorRow:
    where: str
    shown: str  # the row's content, quoted in messages
    level1: str
    level1_weight: Decimal | None  # printed inside the label: 产出指标（50分）
    level2: str
    name: str
    target: Target | None
    actual: str
    weight: Decimal | None
    points: Decimal | None
    reason: str


@dataclass
class Form:
    name: str
    header: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    funds: list[FundsLine] = field(default_factory=list)
    in_yuan: bool = False  # amounts printed in 元, not 万元
    separators: bool = False  # amounts printed with thousands separators
    goals: dict[str, str] = field(default_factory=dict)
    indicators: list[IndicatorRow] = field(default_factory=list)
    total: tuple[str, Decimal | None, Decimal | None] | None = None  # (where, weight, points)
    grade: str | None = None
    signer: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _number(form: Form, row: Row, column: int | None, what: str) -> Decimal | None:
    if column is None:
        return None
    text = row.cell(column)
    try:
        return number(text)
    except ValueError:
        form.problems.append(Problem(form.name, row.where, what, "无法读取这个数字", text, f"本行内容：{row.shown()}"))
        return None


def _pairs(row: Row) -> list[tuple[str, str]]:
    """(key words, value) of each labelled cell: 项目名称 | 高水平医院建设, or 项目名称：高水平医院建设 in one cell."""
    cells = [t for _, t in row.distinct() if t]
    pairs = []
    for i, text in enumerate(cells):
        words, colon, inline = plain(text).partition(":")
        if colon and inline:
            pairs.append((header_text(words), tidy(text.replace("：", ":").split(":", 1)[1])))
        elif i + 1 < len(cells):
            pairs.append((header_text(text), tidy(cells[i + 1])))
    return pairs


def _header_and_grade(form: Form, row: Row) -> None:
    known = {n for names in HEADER_KEYS.values() for n in names}
    for words, value in _pairs(row):
        key = next((k for k, names in HEADER_KEYS.items() if words in names), None)
        if key is not None and key not in form.header and header_text(value) not in known:
            form.header[key] = value
        if form.grade is None and words.endswith("等级") and 0 < len(plain(value)) <= 4:
            form.grade = plain(value)


def _signer(form: Form, text: str) -> None:
    for key, value in SIGNER.findall(unicodedata.normalize("NFKC", text)):
        if value and key not in form.signer:
            form.signer[key] = value


def _funds_line(form: Form, row: Row, columns: dict[str, int]) -> bool:
    found = first_label(row, FUNDS_ROWS)
    if found is None or found[1] >= min(columns.values()):
        return False
    values = {key: _number(form, row, columns.get(key), header) for key, header in
              (("initial", "年初预算数"), ("budget", "全年预算数"), ("actual", "全年执行数"), ("weight", "分值"),
               ("rate", "执行率"), ("points", "得分"))}
    form.separators |= any("," in plain(row.cell(columns[k])) for k in ("initial", "budget", "actual") if k in columns)
    form.funds.append(FundsLine(found[0], row.where, **values))
    return True


def _indicator(form: Form, row: Row, columns: dict[str, int], above: IndicatorRow | None) -> IndicatorRow | None:
    text = {key: row.cell(column) for key, column in columns.items()}
    level1, level1_weight = label(text.get("level1", ""))
    level2, _ = label(text.get("level2", ""))
    name, _ = label(text.get("name", ""))
    if above is not None and not level1 and (name or level2):  # a label printed once for the rows under it
        level1, level1_weight = above.level1, above.level1_weight
        level2 = level2 or (above.level2 if name else "")
    weight = _number(form, row, columns.get("weight"), "分值")
    points = _number(form, row, columns.get("points"), "得分")
    if weight is None and filled(text.get("weight", "")):
        return None  # a weight that is not a number, reported as such
    if not (name or level2) or weight is None:
        form.problems.append(Problem(form.name, row.where, "", "无法读取这一行指标：" + (
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
    form.problems.append(Problem(form.name, row.where, "", "这里又开始了一份自评表：一个文件只能导入一份", row.shown(),
                                 "请把每份自评表另存为单独的文件（make review 可以一次复核一个文件夹）"))


def _aligned(row: Row, header: Row, columns: dict[str, int]) -> dict[str, int]:
    """The header's columns in this row: by grid column, or by cell order where the grid is ragged (a row with as
    many cells as the header, laid over other widths, as hand-edited tables in Word often are)."""
    mine, theirs = row.distinct(), header.distinct()
    if len(mine) != len(theirs) or [c for c, _ in mine] == [c for c, _ in theirs]:
        return columns
    order = {column: i for i, (column, _) in enumerate(theirs)}
    return {key: mine[order[column]][0] for key, column in columns.items()}


def _across(row: Row, columns: dict[str, int]) -> bool:
    """One text over the whole indicator table: a caption or a note, not an indicator."""
    texts = [t for _, t in row.distinct() if t]
    return len(texts) == 1 and all(row.cell(c) == texts[0] for c in columns.values())


def _is_total(row: Row) -> bool:
    return any(header_text(t).startswith(("总分", "合计", "总计")) for _, t in row.distinct()[:3] if t)


def read_form(grid: Grid) -> Form:
    form = Form(grid.name)
    section, funds_cols, ind_cols, goal_cols, header, funds_header, spans_above = None, {}, {}, {}, None, None, set()
    for line in grid.lines:
        _signer(form, line)
        if form.year is None and YEAR.search(plain(line)):
            form.year = int(YEAR.search(plain(line)).group(1))
    for row in grid.rows:
        texts = [t for _, t in row.distinct() if t]
        fresh = any(text and span not in spans_above for text, span in zip(row.cells, row.spans))
        spans_above = set(row.spans)
        if not texts or not fresh:  # blank, or only labels merged down from the rows above
            continue
        for text in texts:
            _signer(form, text)
            if form.year is None and YEAR.search(plain(text)):
                form.year = int(YEAR.search(plain(text)).group(1))
        found = find_columns(row, INDICATOR_COLUMNS)
        if "name" in found and "weight" in found and ("target" in found or "points" in found):
            if form.total is not None:
                _second_form(form, row)
                break
            if header is None or row.cells != header.cells:
                ind_cols, header = found, row
            section = "indicators"
            continue
        found = find_columns(row, FUNDS_COLUMNS)
        if "initial" in found and ("budget" in found or "actual" in found):
            if form.indicators:
                _second_form(form, row)
                break
            funds_cols, funds_header, section = found, row, "funds"
            form.in_yuan = any("元" in t and "万元" not in t for t in texts)
            continue
        found = find_columns(row, GOAL_COLUMNS)
        if len(found) == 2:
            goal_cols, section = found, "goals"
            continue
        if section == "goals":
            form.goals = {key: tidy(row.cell(c)) for key, c in goal_cols.items()}
            section = None
            continue
        if section == "funds" and _funds_line(form, row, _aligned(row, funds_header, funds_cols)):
            continue
        if section == "indicators":
            if _is_total(row):
                _header_and_grade(form, row)
                form.total = (row.where, _number(form, row, ind_cols.get("weight"), "分值"),
                              _number(form, row, ind_cols.get("points"), "得分"))
                section = None
            elif len(texts) == 1 and header_text(texts[0]).startswith(NOTES):
                section = None
            elif _across(row, ind_cols) and CAPTION.search(plain(texts[0])):
                pass  # a caption across the whole table: 三、绩效指标（续表）
            elif _across(row, ind_cols):
                form.problems.append(Problem(form.name, row.where, "", "无法读取这一行指标：整行只有一段文字", row.shown(),
                                             "表中的说明请以“注：”开头，或移到表格下方"))
            else:
                above = form.indicators[-1] if form.indicators else None
                read = _indicator(form, row, _aligned(row, header, ind_cols), above)
                if read is not None:
                    form.indicators.append(read)
            continue
        if section == "funds":
            form.problems.append(Problem(form.name, row.where, "", "无法读取这一行资金：不是年度资金总额、财政拨款、"
                                         "上年结转或其他资金", row.shown()))
            continue
        _header_and_grade(form, row)
        if header_text(texts[0]) == "年度总体目标" and len(texts) >= 3 and not form.goals:
            form.goals = {"expected": texts[1], "achieved": texts[2]}
    return form


def chinese_date(text: str) -> str | None:
    """2025年3月20日 or 2025-3-20 → 2025-03-20; None when it is not a real date."""
    match = DATE.search(text)
    try:
        return dt.date(*map(int, match.groups())).isoformat() if match else None
    except ValueError:
        return None
