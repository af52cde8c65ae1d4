"""Formatting filters shared by every template and output: money, percent, score, Chinese numbers and dates; and the
few functions templates call (share, status_counts, target_text), taking and returning plain data."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .. import numbers as n
from ..figures.quantity import MONEY, change, difference, in_unit
from ..inputs import models as m
from .markdown_text import chinese_count, chinese_number, escape, heading_prefix
from .sentences import attainment, numbered

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def filters(unit: m.Unit) -> dict[str, Any]:
    return {
        "money": lambda v: n.money(v, unit.money_separators, unit.money_places),
        "pct": n.percent,
        "score": n.score,
        "num": n.plain,
        "md": escape,
        "cn": chinese_number,
        "cncount": chinese_count,
        "cndate": chinese_date,
        "circled": lambda i: CIRCLED[i - 1] if 1 <= i <= len(CIRCLED) else f"（{i}）",
        "ordinal": lambda i, level=1: heading_prefix(level + 1, i),
        "change": change_phrase,
        # a quoted figure (a number with its unit): in another money unit, or its change against last year
        **{unit: (lambda v, unit=unit: in_unit(v, unit)) for unit in MONEY if unit != "千元"},
        "变化": change,
        "增减": difference,
    }


def functions() -> dict[str, Any]:
    """The functions a template may call by name, besides Jinja's own (range, dict, namespace …)."""
    return {"share": n.ratio, "status_counts": status_counts, "target_text": target_text, "attainment": attainment,
            "numbered": numbered}


def status_counts(leaves: Any) -> tuple[tuple[str, int], ...]:
    """How many of `leaves` (plain leaf records) are 实现, 基本实现 and 未实现, in that order, the statuses present."""
    found = [leaf["outcome"]["status"] for leaf in leaves if leaf["outcome"] is not None and leaf["outcome"]["status"]]
    return tuple((status, found.count(status)) for status in ("实现", "基本实现", "未实现") if status in found)


def target_text(row: Any) -> str:
    """年度指标值 of an indicator row (≥10项, ≤50%, or the qualitative target), as the row's target_text holds it."""
    return row["target_text"]


def chinese_date(value: dt.date | str | None) -> str:
    """2024年4月15日, from a date or its ISO text (2024-04-15) as templates hold it."""
    if value is None or value == "":
        return ""
    value = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{value.year}年{value.month}月{value.day}日"


def change_phrase(this: Decimal | None, last: Decimal | None) -> str:
    """同比: 增长 x% / 下降 x% / 持平; no phrase over a zero base."""
    rate = n.ratio(None if this is None or last is None else this - last, last)
    if rate is None:
        return ""
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'}{n.percent(abs(rate))}"
