"""Rules where the unit states or chooses (DOMAIN §4): a checklist, a band, a judgement tier, a hand score."""
from __future__ import annotations

import re
from decimal import Decimal

from ..inputs import models as m
from .compute import Figures
from .numbers import plain, score
from .rules import (ALL_ITEMS, LIST_SEPARATORS, ZERO, MissingInput, Outcome, _bands_text, _deducted, _facts, stated,
                    _qualitative)


def stated_names(text: str, allowed: list[str], column: str) -> set[str]:
    """Names a unit lists in one cell (“全部”, “无”, or names separated by ；、，), each one of those allowed."""
    text = text.strip()
    names = set(allowed) if text in ALL_ITEMS else (
        set() if text == "无" else {n.strip() for n in LIST_SEPARATORS.split(text) if n.strip()})
    unknown = names - set(allowed)
    if unknown:
        raise MissingInput(column, "不在可选之列：" + "、".join(sorted(unknown)), text, "可选：" + "；".join(allowed))
    return names


def checklist_rule(node: m.Node, rule: m.ChecklistRule, facts: m.IndicatorFacts | None, figures: Figures,
                   fw: m.Framework) -> Outcome:
    f = _facts(facts)
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
    what = "；".join(filter(None, ["未达到：" + "、".join(missed) if missed else "", "、".join(partly)]))
    return Outcome(points, standard, inputs, _deducted(node, points, what))


# an item partly met, as the unit lists it: 决算公开（扣0.5分）
PARTLY = re.compile(r"^(.+?)\s*[（(]\s*扣\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*[)）]$")


def partly_met(text: str, rule: m.ChecklistRule, note: str) -> tuple[str, dict[str, Decimal]]:
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


def band_rule(node: m.Node, rule: m.BandRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    f = _facts(facts)
    points, band = _qualitative(node, rule.bands, f)
    return Outcome(points, _bands_text(rule.bands), {"档次": band.name, "自评得分": score(points)},
                   _deducted(node, points, f"自评为“{band.name}”档，得{score(points)}分"))


def judgement_rule(node: m.Node, rule: m.JudgementRule, facts: m.IndicatorFacts | None, figures: Figures,
                   fw: m.Framework) -> Outcome:
    f = _facts(facts)
    names = "、".join(c.name for c in rule.choices)
    if not (f.band or "").strip():
        raise MissingInput("档次", "本指标须由单位选定档次", hint="可选：" + names)
    choice = next((c for c in rule.choices if c.name == f.band.strip()), None)
    if choice is None:
        raise MissingInput("档次", "档次不在评分规则之列", f.band, "可选：" + names)
    if not f.note.strip():
        raise MissingInput("说明", f"选定“{choice.name}”档须写明理由", hint="在“说明”列写出依据")
    points = choice.value(node.weight)
    standard = "；".join(f"{c.name}得{plain(c.value(node.weight))}分" for c in rule.choices)
    return Outcome(points, standard, {"档次": choice.name, "理由": f.note},
                   _deducted(node, points, f"选定“{choice.name}”档，得{score(points)}分"))


def manual_rule(node: m.Node, rule: m.ManualRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    f = _facts(facts)
    if f.score is None:
        raise MissingInput("自评得分", "人工评分指标需要填写自评得分", hint=f"0–{plain(node.weight)} 之间")
    if f.score > node.weight:
        raise MissingInput("自评得分", f"得分超过权重 {plain(node.weight)}", plain(f.score), f"0–{plain(node.weight)} 之间")
    if not f.note.strip():
        raise MissingInput("说明", "人工评分必须写明理由", hint="在“说明”列写出依据")
    return Outcome(f.score, "按评价小组认定计分（附理由）", {**stated(f), "自评得分": score(f.score), "理由": f.note},
                   _deducted(node, f.score, f"评价小组认定得{score(f.score)}分"))


def situations(rule: m.Rule, facts: m.IndicatorFacts | None) -> set[str]:
    """The zeroing situations the unit says occurred (发生情形), which it must state whenever the rule names any."""
    named = [c.situation for c in rule.zero_if if c.situation]
    if not named:
        return set()
    f = _facts(facts)
    if f.situations is None or not f.situations.strip():
        raise MissingInput("发生情形", "须说明是否发生：" + "、".join(named), hint="没有发生写“无”；发生了写情形名称，如 " + named[0])
    return stated_names(f.situations, named, "发生情形")
