"""`make rules`: every rule type a framework may attach to a leaf, with its parameters, read off the rule models."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..rules import registry
from ..rules.schema import Cap, CapTier, ZeroIf

# the entries of list parameters, described once under the rule types: each type's own, then those any rule takes
SHARED = (("得0分条件 的每一条", ZeroIf),
          ("封顶（写在任一指标上）、总分封顶（写在评价体系顶层），" + (Cap.__doc__ or "").strip().rstrip("。"), Cap),
          ("封顶 分档 的每一档", CapTier))


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
    for name, model, line in registry.listed():
        lines.append(f"{name}  {line}")
        lines += _fields(model, "    ")
        lines.append("")
    for title, model in registry.ENTRIES + SHARED:
        lines.append(f"{title}：")
        lines += _fields(model, "    ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
