"""Formatting filters shared by every template and output: money, percent, score, Chinese numbers and dates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..figures import numbers as n
from ..inputs import models as m
from .markdown_text import chinese_count, chinese_number, escape, heading_prefix

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
    }


def chinese_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def change_phrase(this: Decimal | None, last: Decimal | None) -> str:
    """同比: 增长 x% / 下降 x% / 持平; no phrase over a zero base."""
    rate = n.ratio(None if this is None or last is None else this - last, last)
    if rate is None:
        return ""
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'}{n.percent(abs(rate))}"
