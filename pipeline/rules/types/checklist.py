"""checklist: the points of the items met; an item with a 酌情扣分 range may be partly met, with a reason."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ...inputs.fields import Model, Points
from ...numbers import plain
from ..outcome import LIST_SEPARATORS, ZERO, MissingInput, Outcome, Shown, deducted, row_of, stated_names, worded
from ..schema import ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 70
# an item partly met, as the unit lists it: 决算公开（扣0.5分）
PARTLY = re.compile(r"^(.+?)\s*[（(]\s*扣\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*[)）]$")


class Discretion(Model):
    """酌情扣分: how much of an item the unit may take off when it is partly met, with a reason."""

    least: Points = Field(Decimal(0), alias="最少", description="酌情扣分的下限")
    most: Points = Field(alias="最多", description="酌情扣分的上限，不超过该项分值")

    @model_validator(mode="after")
    def _ordered(self) -> Discretion:
        if self.least > self.most:
            raise ValueError(f"酌情扣分的最少 {self.least} 大于最多 {self.most}，例如 {{最少: 0.5, 最多: 1}}")
        return self


class ChecklistItem(Model):
    name: str = Field(alias="名称", min_length=1)
    points: Points = Field(alias="分值")
    discretion: Discretion | None = Field(None, alias="酌情扣分",
                                          description="部分达到时单位可在此范围内酌情扣分，写明理由：{最少: 0, 最多: 1}")


class ChecklistRule(Model):
    """清单：达到的各项分值之和（单位在“已完成项”列写名称，或“全部”“无”；设“酌情扣分”的项部分达到写“名称（扣0.5分）”并在“说明”写理由）。"""

    type: Literal["checklist"] = Field(alias="类型")
    items: list[ChecklistItem] = Field(alias="清单", min_length=1, description="- {名称: …, 分值: …}，分值之和等于权重")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = ChecklistRule
ENTRIES = (("清单 的每一项", ChecklistItem), ("清单项的 酌情扣分", Discretion))


def reads(rule: ChecklistRule, again) -> set[str]:
    return {"已完成项"}


def problems(rule: ChecklistRule, weight: Decimal | None, known: dict, again) -> list:
    out: list = []
    for i, item in enumerate(rule.items):
        if item.discretion is not None and item.discretion.most > item.points:
            out.append((("清单", i, "酌情扣分", "最多"), f"“{item.name}”酌情扣分最多 {item.discretion.most}，超过该项分值 {item.points}",
                        "酌情扣分应在 0 与该项分值之间", str(item.discretion.most)))
    total = sum((i.points for i in rule.items), Decimal(0))
    if weight is not None and total != weight:
        out.append(((), f"清单分值合计 {total}，与权重 {weight} 不符", "各项分值之和应等于权重", None))
    return out


def wording(outcome: Outcome, weight: Decimal) -> Shown:
    """Every item met reads 全部达到, as the bureaus' tables say it."""
    return worded(outcome, "全部达到" if outcome.points >= weight else None)


def score(node: Node, rule: ChecklistRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    f = row_of(facts)
    if f.met_items is None:
        raise MissingInput("已完成项", "缺少已完成项（全部达到可写“全部”，均未达到写“无”）",
                           hint="可选：" + "；".join(i.name for i in rule.items))
    text, taken = partly_met(f.met_items, rule, f.note)
    try:
        names = stated_names(text, [i.name for i in rule.items], "已完成项")
    except MissingInput as bad:
        raise MissingInput("已完成项", bad.message.replace("不在可选之列", "清单中没有这些项"), f.met_items, bad.hint) from None
    names |= set(taken)
    points = sum((i.points - taken.get(i.name, ZERO) for i in rule.items if i.name in names), ZERO)
    missed = [f"{i.name}（{plain(i.points)}分）" for i in rule.items if i.name not in names]
    partly = [f"{name}酌情扣{plain(amount)}分" for name, amount in taken.items()]
    standard = "；".join(f"{i.name}{plain(i.points)}分" + (f"（部分达到酌情扣{plain(i.discretion.least)}–"
                                                          f"{plain(i.discretion.most)}分）" if i.discretion else "")
                        for i in rule.items)
    met = [i.name + (f"（扣{plain(taken[i.name])}分）" if i.name in taken else "") for i in rule.items if i.name in names]
    inputs = {"已完成项": "；".join(met) or "无"} | ({"理由": f.note} if taken else {})
    what = "；".join(filter(None, ["、".join(missed) + "未达到" if missed else "", "、".join(partly)]))
    return Outcome(points, standard, inputs, deducted(node, points, what))


def partly_met(text: str, rule: ChecklistRule, note: str) -> tuple[str, dict[str, Decimal]]:
    """The items listed without their deductions, and what the unit takes off each item it lists as partly met
    (within the item's 酌情扣分 range, with a reason in 说明)."""
    items = {i.name: i for i in rule.items}
    kept, taken = [], {}
    for piece in (p.strip() for p in LIST_SEPARATORS.split(text.strip())):
        match = PARTLY.match(piece)
        if not match:
            kept.append(piece)
            continue
        name, amount = match.group(1).strip(), Decimal(match.group(2))
        item = items.get(name)
        if item is None:
            raise MissingInput("已完成项", f"清单中没有“{name}”", text, "可选：" + "；".join(items))
        if item.discretion is None:
            raise MissingInput("已完成项", f"“{name}”不能酌情扣分：达到写名称，未达到不写", text,
                               "评价体系为该项设了“酌情扣分”范围的才可以写“名称（扣0.5分）”")
        low, high = item.discretion.least, item.discretion.most
        if not low <= amount <= high:
            raise MissingInput("已完成项", f"“{name}”酌情扣{plain(amount)}分，不在{plain(low)}–{plain(high)}分之间", text,
                               f"例如 {name}（扣{plain(high)}分）")
        if not note.strip():
            raise MissingInput("说明", f"“{name}”酌情扣分须写明理由", hint="在“说明”列写出部分达到的情况")
        taken[name] = amount
    return "、".join(kept) if kept else "无", taken
