"""The funds table of a 自评表: its header (which amounts it has, which columns it does not understand) and its lines,
every amount in 万元 whatever unit it was printed in."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..errors import Location, Problem
from .cells import amount, filled, number
from .columns import first_label, header_text
from .grid import Row, plain, tidy
from .wording import FUNDS_COLUMNS, FUNDS_ROWS, FUNDS_TEXT_COLUMNS, FUNDS_TOTAL, shown_words

FUNDS_LABELS = {"合计": FUNDS_TOTAL, **FUNDS_ROWS}
@dataclass(frozen=True)
class FundsLine:
    nature: str  # 合计, 财政拨款, 上年结转 or 其他资金
    name: str  # as printed, without 其中：(财政专户管理资金 is of the nature 其他资金)
    where: Location
    initial: Decimal | None  # amounts in 万元, whatever unit the form printed them in
    budget: Decimal | None
    actual: Decimal | None
    weight: Decimal | None
    rate: Decimal | None  # percent as printed
    points: Decimal | None


FUNDS_NAMES = {"initial": "年初预算数", "budget": "全年预算数", "actual": "全年执行数", "weight": "分值", "rate": "执行率",
               "points": "得分"}


def figure(form, row: Row, column: int | None, what: str, money: bool = False) -> Decimal | None:
    if column is None:
        return None
    text = row.cell(column)
    try:
        return amount(text, form.in_yuan) if money else number(text)
    except ValueError:
        form.problems.append(Problem(replace(row.where, file=form.name, key=what), "无法读取这个数字", text,
                                     ("金额可写作 150、150.00、150万、1,500,000元；" if money else "") + f"本行内容：{row.shown()}"))
        return None


def is_funds_header(found: dict[str, int]) -> bool:
    return ("initial" in found and ("budget" in found or "actual" in found)) or (
        "budget" in found and "actual" in found and bool({"rate", "weight", "points"} & set(found)))


def funds_header(form, row: Row, found: dict[str, int]) -> dict[int, str]:
    """The funds table's other columns (column → header), and the amounts it must have but lacks, as problems."""
    form.funds_columns = frozenset(found)
    texts = [t for _, t in row.distinct() if t]
    if any("元" in t for t in texts):
        form.in_yuan = any("元" in t and "万元" not in t for t in texts)
    for key in ("budget", "actual"):
        if key not in found:
            form.problems.append(Problem(replace(row.where, file=form.name, key=FUNDS_NAMES[key]), f"资金表没有{FUNDS_NAMES[key]}列"
                                         "（或其表头写法不认识），不能按 0 导入", row.shown(),
                                         f"{FUNDS_NAMES[key]}列可写作：" + shown_words(FUNDS_COLUMNS[key], 8)))
    first = row.distinct()[0][0]
    return {c: t for c, t in row.distinct() if t and c != first and c not in found.values()}


def funds_line(form, row: Row, columns: dict[str, int], others: dict[int, str]) -> bool:
    found = first_label(row, FUNDS_LABELS)
    if found is None or found[1] >= min(columns.values()):
        return False
    values = {key: figure(form, row, columns.get(key), FUNDS_NAMES[key], key in ("initial", "budget", "actual"))
              for key in FUNDS_NAMES}
    form.separators |= any("," in plain(row.cell(columns[k])) for k in ("initial", "budget", "actual") if k in columns)
    name = re.sub(r"^其中\s*[:：]?\s*", "", tidy(row.cell(found[1])).replace("\n", ""))
    form.funds.append(FundsLine(found[0], name, row.where, **values))
    for column, header in others.items():
        text = row.cell(column)
        if not filled(text) or row.spans[column] in form.noted:
            continue
        form.noted.add(row.spans[column])
        try:
            numeric = header_text(header) not in FUNDS_TEXT_COLUMNS and number(text) is not None
        except ValueError:
            numeric = False
        if numeric:  # a figure in a column not understood: never dropped without a word
            form.problems.append(Problem(replace(row.where, file=form.name, key=tidy(header)),
                                         f"资金表的“{tidy(header)}”列不认识，其中的数字无法导入",
                                         text, "资金表的列可写作：年初预算数、全年预算数（调整后预算数）、全年执行数（预算执行数）、"
                                         "执行率、分值（权重）、得分"))
        else:
            form.unread.append(f"{row.where}：资金表“{tidy(header)}”列“{tidy(text)[:60]}”")
    return True
