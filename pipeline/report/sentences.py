"""Clauses the report templates build from one indicator's data: each says only what the data holds, so that no
sentence is left with an empty slot ("目标是，实际是") or a figure that means nothing ("目标100，实际按规定执行").
They take and return plain data, as templates hold it."""
from __future__ import annotations

import re
from typing import Any

from .markdown_text import escape

OWN_NUMBER = re.compile(r"^\s*(指标|第)?\s*[0-9０-９]+\s*[:：、.．)）]")  # “指标1:居民健康档案”, “3、培训人次”
BARE_NUMBER = re.compile(r"^[0-9０-９.．%％]+$")
ZERO_TARGET = re.compile(r"^[≥≤=<>]?\s*0+(\.0+)?(?![0-9.])")  # ≤0人, =0.00%


def attainment(leaf: Any, row: Any = None, done: str = "实际") -> str:
    """What an indicator aimed at, what it reached and whether it met the target, as one clause without the name
    and closing mark: 目标≥90%，实际94.39%，完成率104.88%，实现预期目标. Only the parts the data holds are said."""
    outcome = leaf["outcome"] or {}
    said, status = outcome.get("shown") or {}, outcome.get("status") or ""  # worded by the leaf's rule type
    comparator = row["comparator"] if row else None
    # the target as the unit wrote it (≥100.00%) where its row is known; a hand-scored row keeps it there only
    target = ((row["target_text"] if row else "") or said.get("target") or "").strip()
    actual = (said.get("stated") or "").strip()
    parts = []
    if comparator == "是否":
        # 是/否 says nothing alone: a met yes/no target is said as met, a missed one with what it was
        if status != "实现" and target and actual:
            parts.append(f"目标为“{escape(target)}”，实际为“{escape(actual)}”")
    elif comparator == "定性" or (actual and not _figure(actual)):
        if target and not BARE_NUMBER.match(target):  # a bare number is no qualitative target
            parts.append(f"目标为“{escape(target)}”")
        if actual:
            parts.append(f"实际为“{escape(actual)}”")
    else:
        if target:
            parts.append(f"目标{escape(target)}")
        if actual:
            parts.append(f"{done}{escape(actual)}")
    if said.get("completion") and actual and not ZERO_TARGET.match(target):  # of a target of 0 a rate says nothing
        parts.append(f"完成率{said['completion']}")
    elif said.get("band"):
        parts.append(f"自评为“{escape(said['band'])}”档")
    if status:
        parts.append(f"{status}预期目标")
    return "，".join(parts)


def numbered(name: str) -> bool:
    """Whether an indicator's name carries its own number (指标1:…), so that the report does not number it again."""
    return bool(OWN_NUMBER.match(name or ""))


def _figure(text: str) -> bool:
    return bool(re.match(r"^[≥≤=<>]?\s*[-+]?[0-9０-９]", text))
