"""`make rules`: every rule type a framework may attach to a leaf, with its parameters, read off the rule models."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..inputs import rule_types as r

# the entries of list parameters, described once under the rule types
ENTRIES = (("分档 的每一档", r.Tier), ("judgement 档次 的每一档", r.Choice), ("档次、定性档次 的每一档", r.Band),
           ("清单 的每一项", r.ChecklistItem), ("清单项的 酌情扣分", r.Discretion), ("部分 的每一部分", r.Part),
           ("得0分条件 的每一条", r.ZeroIf),
           ("封顶（写在任一指标上）、总分封顶（写在评价体系顶层），" + (r.Cap.__doc__ or "").strip().rstrip("。"), r.Cap),
           ("封顶 分档 的每一档", r.CapTier))


def _default(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(_default(v) for v in value)
    if isinstance(value, BaseModel):
        return getattr(value, "name", str(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _fields(model: type[BaseModel], indent: str) -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        if name == "type":
            continue
        if info.is_required():
            note = "（必填）"
        elif info.default_factory is not None or info.default is None or info.default is PydanticUndefined:
            note = ""
        else:
            note = f"（默认 {_default(info.default)}）"
        lines.append(f"{indent}{info.alias}{note}：{info.description or ''}".rstrip("："))
    return lines


def rules_listing() -> str:
    lines = ["评价体系中末级指标的评分规则（写法：规则: {类型: <类型>, <参数>: …}）", ""]
    for name, model in r.RULE_TYPES.items():
        lines.append(f"{name}  {(model.__doc__ or '').strip()}")
        lines += _fields(model, "    ")
        lines.append("")
    for title, model in ENTRIES:
        lines.append(f"{title}：")
        lines += _fields(model, "    ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
