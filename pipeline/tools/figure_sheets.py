"""The workbook's sheets for 人员, 控制数 and 上年, as data: a row per key the unit's kind and framework need (and per key
already filled), named by the keys of the models that validate unit.yaml, explained by the skeleton's own notes."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, get_args

from ..inputs import models as m
from ..inputs.fields import Amount, Count, Percent
from ..inputs.formulas import LAST_YEAR as PREVIOUS
from ..inputs.formulas import names, parse
from ..inputs.framework_checks import parts, walk
from ..inputs.kinds import KINDS, UNIT_SHEETS
from ..inputs.measures import KEY_PATHS, MEASURES
from ..inputs.unit_sheets import NAME, VALUE, block_keys, block_model, listed
from ..rules import registry
from .sheet_layout import COUNT, MONEY, POINTS, TEXT, Column, Row, Sheet
from .sheet_layout import VALUE as NUMBER_OR_WORD

SKELETONS = Path(__file__).resolve().parents[1] / "templates" / "scaffold"
BLANK = 5  # empty rows for keys the officer adds
NOTE = re.compile(r"^\s*# ([^\s：:]+)：(.+)$")  # “  # 编制数：核定编制人数（人），例如 50”
LAST = re.compile(r"^#\s+([^\s:]+): \S+\s+# (.+)$")  # “#   决算数: 1380.00   # 上年决算支出合计，例如 1380.00”
STAFFING = "人员"  # printed in a department's report whatever its framework scores
QUARTERS = "一二三四"


@cache
def notes(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """The skeleton unit.yaml's note on each key, and its examples of 上年 (name → note), read from its comments."""
    text = (SKELETONS / kind / "unit.yaml").read_text(encoding="utf-8")
    said = {found[1]: found[2] for line in text.splitlines() if (found := NOTE.match(line))}
    block = text.split(f"# {PREVIOUS}:\n", 1)[1].split("\n\n", 1)[0] if f"# {PREVIOUS}:\n" in text else ""
    last = {found[1]: found[2] for line in block.splitlines() if (found := LAST.match(line))}
    return said, last


def needed(kind: str, framework: m.Framework) -> set[str]:
    """The unit.yaml keys (人员.编制数 …) the framework's measures need, 人员 whole for a department."""
    wanted: set[str] = set()
    caps = [framework.cap]
    for _, node in walk(framework.indicators):
        rules = [node.rule, *(p.rule for p in parts(node.rule))] if node.rule else []
        wanted |= {measure for r in rules if (measure := getattr(r, "measure", None))}
        wanted |= {read for r in rules for read in registry.figures_read(r.type)}
        caps.append(node.cap)
    wanted |= {c.measure for c in caps if c is not None and c.measure}
    todo, seen = list(wanted), set()
    while todo:
        name = todo.pop().removeprefix(PREVIOUS + ".")
        if name in seen:
            continue
        seen.add(name)
        defined = framework.measures.get(name) or MEASURES.get(name)
        todo += names(parse(defined.formula)) if defined else []
    keys = {KEY_PATHS[name] for name in seen if name in KEY_PATHS}
    keys |= {"人员.在职人数"} if "在职和编外人数" in seen else set()
    if kind == "department":
        keys |= {f"{STAFFING}.{key}" for key in block_keys(STAFFING)}
    return keys


def _kind(annotation: Any) -> str:
    for kind, typed in ((MONEY, Amount), (COUNT, Count), (POINTS, Percent)):
        if annotation == typed or any(_kind(a) == kind for a in get_args(annotation) if a is not annotation):
            return kind
    return TEXT


def field_kind(block: str, key: str) -> str:
    model = block_model(block)
    info = next((f for f in model.model_fields.values() if f.alias == key), None) if model else None
    return _kind(info.annotation) if info is not None else MONEY


def _value(filled: dict[str, Any], block: str, key: str, index: int, count: int) -> str:
    value = (filled.get(block) or {}).get(key) if isinstance(filled.get(block), dict) else None
    if count > 1:
        value = value[index] if isinstance(value, list) and index < len(value) else None
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def figures_sheet(kind: str, framework: m.Framework, filled: dict[str, Any]) -> Sheet:
    """人员与控制数: a row per key needed or filled, each quarter of 季度累计执行率 on its own row; blank rows below."""
    spec = UNIT_SHEETS["figures"]
    said, _ = notes("department")
    wanted = needed(kind, framework)
    rows = []
    for block in spec.blocks:
        for key in block_keys(block):
            count = listed(block, key)
            if f"{block}.{key}" not in wanted and not any(_value(filled, block, key, i, count) for i in range(count)):
                continue
            for i in range(count):
                note = said.get(key, key) + (f"（本行为第{QUARTERS[i]}季度）" if count > 1 else "")
                rows.append(Row({"类别": block, NAME: key, VALUE: _value(filled, block, key, i, count), "填写说明": note},
                                frozenset({VALUE}), kinds={VALUE: field_kind(block, key)}))
    every = tuple(k for b in spec.blocks for k in block_keys(b))
    rows += [Row({}, frozenset({NAME, VALUE}), {NAME: every}) for _ in range(BLANK)]
    columns = (Column("类别", TEXT, "unit.yaml 中的块名，仅供查看", 8),
               Column(NAME, TEXT, "人员或控制数的名称（已列出的不能改）；空行可从下拉列表中选择要补填的名称", 16),
               Column(VALUE, NUMBER_OR_WORD, "本年的数：人数写整数，金额单位万元（两位小数），比率写百分数（如 95.39）", 14),
               Column("填写说明", TEXT, "这一项是什么，仅供查看", 60))
    return Sheet(spec.key, spec.sheet, columns, tuple(rows), "C2")


def last_year_sheet(kind: str, filled: dict[str, Any]) -> Sheet:
    """上年数: the skeleton's examples of last year's figures and any filled, blank rows for more."""
    spec = UNIT_SHEETS["last_year"]
    _, examples = notes(kind)
    previous = filled.get(PREVIOUS)
    entered: dict[str, Any] = previous if isinstance(previous, dict) else {}
    rows = [Row({NAME: name, VALUE: str(entered.get(name) or ""), "填写说明": examples.get(name, "上年的" + name)},
                frozenset({VALUE}), kinds={VALUE: MONEY if "率" not in name and name != "总分" else POINTS})
            for name in [*examples, *(n for n in entered if n not in examples)]]
    rows += [Row({}, frozenset({NAME, VALUE}), kinds={VALUE: POINTS}) for _ in range(BLANK)]
    columns = (Column(NAME, TEXT, "上年数字的名称，与 make figures 列出的名称相同，例如 决算数、预算执行率、总分", 16),
               Column(VALUE, POINTS, "上年的数；金额单位万元，比率写百分数；上年的数据在本工具中时由程序读取，不必填", 14),
               Column("填写说明", TEXT, f"{KINDS[kind].label}报告据此写出同比增减，仅供查看", 50))
    return Sheet(spec.key, spec.sheet, columns, tuple(rows), "B2")
