"""Turn raw files into typed inputs, or collect every problem with its file, place and value."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from . import models as m
from .cells import clean
from ..figures.compute import MEASURES

RULE_MODELS = {model.model_fields["type"].annotation.__args__[0]: model for model in m.Rule.__args__[0].__args__}
from ..errors import Problem, raise_if
from .load import SHEET_NAMES, TABLE_FILES, RawInputs, Table, YamlDoc

TABLE_MODELS: dict[str, type[m.Model]] = {"budget": m.BudgetRow, "funds": m.FundRow, "spending": m.SpendingRow,
                                          "facts": m.IndicatorFacts}
REQUIRED_TABLES = {"department": ("budget", "facts"), "project": ("funds", "facts")}

# pydantic error type → (message, hint) in Chinese
MESSAGES = {
    "missing": ("缺少必填项", ""),
    "extra_forbidden": ("未知的键或列", ""),
    "decimal_parsing": ("不是有效的数字", "应为数字，例如 1234.56"),
    "decimal_type": ("不是有效的数字", "应为数字，例如 1234.56"),
    "int_parsing": ("不是整数", "应为整数，例如 34"),
    "int_type": ("不是整数", "应为整数，例如 34"),
    "int_from_float": ("不是整数", "应为整数，例如 34"),
    "bool_parsing": ("不是是/否值", "应为 true 或 false"),
    "bool_type": ("不是是/否值", "应为 true 或 false"),
    "string_type": ("应为文字", "文字请加引号，例如 \"2023\""),
    "string_too_short": ("不能为空", ""),
    "string_pattern_mismatch": ("格式不对", ""),
    "date_from_datetime_parsing": ("不是有效日期", "应为日期，例如 2025-09-08"),
    "date_parsing": ("不是有效日期", "应为日期，例如 2025-09-08"),
    "date_type": ("不是有效日期", "应为日期，例如 2025-09-08"),
    "literal_error": ("取值无效", ""),
    "union_tag_invalid": ("未知的规则类型", "可选：" + "、".join(m.RULE_TYPES)),
    "union_tag_not_found": ("规则缺少“类型”", "可选：" + "、".join(m.RULE_TYPES)),
    "greater_than_equal": ("不能小于下限", ""),
    "greater_than": ("应大于下限", ""),
    "less_than_equal": ("超过上限", ""),
    "too_short": ("项数不足", ""),
    "too_long": ("项数过多", ""),
    "list_type": ("应为列表", "每项以“- ”开头"),
    "dict_type": ("应为“键: 值”映射", ""),
    "model_type": ("应为“键: 值”映射", ""),
    "model_attributes_type": ("应为“键: 值”映射", ""),
}


def _hint(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    base = MESSAGES.get(error["type"], ("", ""))[1]
    if kind == "literal_error":
        return "可选：" + ctx.get("expected", "").replace("'", "").replace(" or ", "、").replace(", ", "、")
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind == "less_than_equal":
        return f"数值过大，应不大于 {ctx.get('le')}"
    if kind in ("too_short", "too_long"):
        low, high = ctx.get("min_length"), ctx.get("max_length")
        return f"应为 {low} 项" if low == high else f"应为 {low or 0}–{high} 项" if high else f"至少 {low} 项"
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(str(error["loc"][-1]) if error["loc"] else "", "只能用字母、数字、下划线、点和连字符")
    return base


# what a value of the right shape looks like, for fields checked against a pattern
PATTERN_HINTS = {
    "条件": "写作比较符加数字，例如 >= 95 或 < 5",
    "评价体系": "评价体系文件名，只能用字母、数字、下划线和连字符，例如 huadu-2023",
    "模板组": "只能用字母、数字、下划线和连字符",
}


def _message(error: dict) -> str:
    if error["type"] == "value_error":  # raised by our own cell normalisers, already in Chinese
        return str(error["ctx"]["error"])
    return MESSAGES.get(error["type"], (error["msg"], ""))[0]


def _shown(value: Any) -> str | None:
    if isinstance(value, (dict, list)):
        return None
    return "" if value is None else str(value)


def _owner(model: type[BaseModel], loc: tuple) -> Any:
    """The model holding the last key of loc (loc as pydantic gives it, with the rule-type tags)."""
    current: Any = model
    for part in loc[:-1]:
        if part in RULE_MODELS:  # a rule: the keys of its own type, not of the first type in the union
            current = RULE_MODELS[part]
            continue
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _allowed_keys(model: type[BaseModel], loc: tuple) -> str:
    """The keys a mapping at this place accepts, for an 'unknown key' message."""
    owner = _owner(model, loc)
    return "可用的键：" + "、".join(f.alias or n for n, f in owner.model_fields.items()) if owner else ""


def _length_hint(model: type[BaseModel], loc: tuple) -> str:
    """How many items a list field takes, read off the field itself: 应为 4 项."""
    owner = _owner(model, loc)
    field = next((f for n, f in owner.model_fields.items() if (f.alias or n) == loc[-1]), None) if owner else None
    bounds = {type(b).__name__: getattr(b, "min_length", getattr(b, "max_length", None)) for b in
              (field.metadata if field else [])}
    low, high = bounds.get("MinLen"), bounds.get("MaxLen")
    return f"应为 {low} 项" if low is not None and low == high else ""


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _yaml_path(loc: tuple) -> str:
    text = ""
    for part in (p for p in loc if p != ""):
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _yaml_problems(doc: YamlDoc, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        # discriminated unions add the tag to the location; it is not a key of the file
        loc = tuple(p for p in error["loc"] if p not in m.RULE_TYPES)
        value = _shown(error.get("input"))
        if error["type"] == "union_tag_invalid":
            loc, value = loc + ("类型",), str(error["ctx"]["tag"])
        line = next((doc.lines[loc[:i]] for i in range(len(loc), -1, -1) if loc[:i] in doc.lines), None)
        hint = _allowed_keys(model, error["loc"]) if error["type"] == "extra_forbidden" else (
            _length_hint(model, error["loc"]) or _hint(error) if error["type"] in ("too_short", "too_long") else _hint(error))
        problems.append(Problem(doc.path, f"第{line}行" if line else "", _yaml_path(loc),
                                _message(error), value, hint))
    return problems


def parse_yaml(doc: YamlDoc, model: type[m.Model]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(clean(doc.data)), []
    except ValidationError as exc:
        return None, _yaml_problems(doc, model, exc)


def _columns(model: type[m.Model]) -> tuple[set[str], set[str]]:
    required = {f.alias for f in model.model_fields.values() if f.is_required()}
    return required, {f.alias for f in model.model_fields.values()}


def parse_table(table: Table, model: type[m.Model]) -> tuple[list[tuple[int, Any]], list[Problem]]:
    required, known = _columns(model)
    problems = [Problem(table.path, "第1行", column, "缺少必需的列", hint="表头应包含：" + "、".join(sorted(required)))
                for column in sorted(required - set(table.headers))]
    problems += [Problem(table.path, "第1行", column, "未知的列", hint="可用的列：" + "、".join(
        f.alias for f in model.model_fields.values())) for column in table.headers if column not in known]
    if problems:
        return [], problems
    rows = []
    for line, cells in table.rows:
        data = {key: clean(value) for key, value in cells.items() if value != ""}
        try:
            rows.append((line, model.model_validate(data)))
        except ValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else ""
                problems.append(Problem(table.path, f"第{line}行", column, _message(error),
                                        _shown(cells.get(column, error.get("input"))), _hint(error)))
    return rows, problems


def _walk(nodes: Iterable[m.Node], path: tuple = ("指标",)) -> Iterable[tuple[tuple, m.Node]]:
    for index, node in enumerate(nodes):
        here = path + (index,)
        yield here, node
        yield from _walk(node.children, here + ("下级",))


def check_framework(doc: YamlDoc, fw: m.Framework) -> list[Problem]:
    """Weights add up, ids are unique, leaves carry a rule whose parameters fit the weight."""
    problems: list[Problem] = []

    def at(path: tuple, key: str, message: str, value: Any = None, hint: str = "") -> None:
        line = doc.lines.get(path + (key,) if key else path, doc.lines.get(path, 0))
        problems.append(Problem(doc.path, f"第{line}行", _yaml_path(path + (key,)), message,
                                None if value is None else str(value), hint))

    top = sum((n.weight for n in fw.indicators), Decimal(0))
    if top != fw.total:
        at(("指标",), "", f"一级指标权重合计 {top}，与总分 {fw.total} 不符", str(top), "各一级指标权重之和应等于总分")
    counts = Counter(node.id for _, node in _walk(fw.indicators))
    for path, node in _walk(fw.indicators):
        if counts[node.id] > 1:
            at(path, "编号", "指标编号重复", node.id, "每个指标的编号应唯一")
        if node.from_facts is not None:
            if node.children or node.rule is not None:
                at(path, "来自指标表", "“来自指标表”的指标不能再有下级或规则", hint="下级由单位的 indicators.csv 填入")
            problems += [Problem(doc.path, f"第{doc.lines.get(path + ('来自指标表',), 0)}行",
                                 _yaml_path(path + ("来自指标表", "规则")), text, hint=hint)
                         for text, hint, _ in rule_problems(m.Node(编号=node.id, 名称=node.name, 权重=node.weight,
                                                                   规则=node.from_facts.rule))
                         if "权重" not in text]
        elif node.children:
            if node.rule is not None:
                at(path, "规则", "有下级指标的指标不能再设评分规则", node.rule.type, "把规则放到末级指标上")
            parts = sum((c.weight for c in node.children), Decimal(0))
            if parts != node.weight:
                at(path, "权重", f"下级指标权重合计 {parts}，与本级权重 {node.weight} 不符", node.weight,
                   "下级权重之和应等于上级权重")
        elif node.rule is None:
            at(path, "规则", "末级指标缺少评分规则", hint="可选类型：" + "、".join(m.RULE_TYPES))
        else:
            problems += [Problem(doc.path, f"第{doc.lines.get(path + ('规则',), 0)}行", _yaml_path(path + ("规则",)),
                                 text, value, hint) for text, hint, value in rule_problems(node)]
    floors = [g.floor for g in fw.grades]
    if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
        at((), "等级", "等级下限应从高到低排列且互不相同", "、".join(map(str, floors)))
    return problems


def rule_problems(node: m.Node) -> list[tuple[str, str, str | None]]:
    """Parameters of a rule that cannot fit its weight: (what is wrong, what would fit, the bad value)."""
    rule, weight, out = node.rule, node.weight, []
    measure = getattr(rule, "measure", None)
    if measure is not None and measure not in MEASURES:
        out.append((f"未知的测算指标“{measure}”", "可选：" + "、".join(MEASURES), None))
    if isinstance(rule, m.TiersRule):
        for tier in rule.tiers:
            if tier.points > weight:
                out.append((f"分档得分超过权重 {weight}", "每档得分应在 0 与权重之间", str(tier.points)))
        if rule.tiers[-1].when is not None:
            out.append(("最后一档应不设条件（兜底档）", "例如 - {得分: 0}", None))
    elif isinstance(rule, m.PacingRule):
        if rule.per_quarter * 4 + rule.mean_points != weight:
            out.append((f"4×每季分值+均值分值 = {rule.per_quarter * 4 + rule.mean_points}，与权重 {weight} 不符",
                        "例如权重 6 = 4×1 + 2", None))
    elif isinstance(rule, m.DeductionRule):
        by_item = rule.per_item is not None
        by_point = rule.limit is not None and rule.per_point is not None and rule.measure is not None
        if by_item == by_point:
            out.append(("扣分规则应二选一：“每项扣分”，或“测算指标”+“上限”+“每点扣分”",
                        "例如 {类型: deduction, 每项扣分: 1}", None))
    elif isinstance(rule, m.ChecklistRule):
        total = sum((i.points for i in rule.items), Decimal(0))
        if total != weight:
            out.append((f"清单分值合计 {total}，与权重 {weight} 不符", "各项分值之和应等于权重", None))
    elif isinstance(rule, (m.BandRule, m.CompletionRule)):
        for band in rule.bands:
            if band.lower > band.upper:
                out.append((f"档次“{band.name}”下限大于上限", "上下限为权重的百分比，例如 上限 100、下限 80", None))
    return out


def split_evenly(total: Decimal, count: int) -> list[Decimal]:
    """total in count parts to the cent, the leftover cents to the first parts: 40 / 6 → 6.67×4 + 6.66×2."""
    base = (total / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    extra = int((total - base * count) / Decimal("0.01"))
    return [base + Decimal("0.01") if i < extra else base for i in range(count)]


def expand(framework: m.Framework, facts: list[tuple[int, m.IndicatorFacts]], path: str) -> tuple[list[m.Node], list[Problem]]:
    """Fill each 来自指标表 place with the unit's indicators of its classes, grouped by 二级指标."""
    problems: list[Problem] = []

    def fill(node: m.Node) -> m.Node:
        if node.children:
            return node.model_copy(update={"children": [fill(c) for c in node.children]})
        if node.from_facts is None:
            return node
        rows = [(line, row) for line, row in facts if row.level1 in node.from_facts.classes]
        if not rows:
            problems.append(Problem(path, "", "一级指标", f"评价体系的“{node.name}”需要“{'、'.join(node.from_facts.classes)}”类指标，"
                                    "但 indicators.csv 中没有", hint="在“一级指标”列填写指标所属类别"))
            return node
        if node.from_facts.split == "权重":
            missing = [(line, row) for line, row in rows if row.weight is None]
            problems.extend(Problem(path, f"第{line}行", "权重", "按权重分配的指标需要填写权重", "")
                            for line, row in missing)
            weights = [row.weight or Decimal(0) for _, row in rows]
            if not missing and sum(weights, Decimal(0)) != node.weight:
                problems.append(Problem(path, "", "权重", f"“{node.name}”类指标权重合计 {sum(weights, Decimal(0))}，"
                                        f"与评价体系中的 {node.weight} 不符", hint="各指标权重之和应等于上级权重"))
        else:
            weights = split_evenly(node.weight, len(rows))
        groups: dict[str, list[m.Node]] = {}
        for (line, row), weight in zip(rows, weights):
            for column, value in (("指标名称", row.name), ("二级指标", row.level2)):
                if not value:
                    problems.append(Problem(path, f"第{line}行", column, "单位自设的指标需要填写此列", "",
                                            "例如 数量指标、质量指标、时效指标、成本指标、社会效益指标、服务对象满意度指标"
                                            if column == "二级指标" else "写明指标名称"))
            leaf = m.Node(编号=row.id, 名称=row.name or row.id, 权重=weight, 规则=node.from_facts.rule)
            groups.setdefault(row.level2 or row.level1, []).append(leaf)
        children = [m.Node(编号=f"{node.id}.{i}", 名称=name, 权重=sum((c.weight for c in leaves), Decimal(0)),
                           下级=leaves) for i, (name, leaves) in enumerate(groups.items(), 1)]
        return node.model_copy(update={"children": children, "from_facts": None})

    return [fill(node) for node in framework.indicators], problems


def check_facts(framework: m.Framework, tree: list[m.Node], facts: list[tuple[int, m.IndicatorFacts]],
                path: str) -> list[Problem]:
    leaves = {node.id: node for _, node in _walk(tree) if not node.children}
    classes = [c for _, node in _walk(framework.indicators) if node.from_facts for c in node.from_facts.classes]
    seen: dict[str, int] = {}
    problems = []
    for line, row in facts:
        if row.id in seen:
            problems.append(Problem(path, f"第{line}行", "指标编号", f"指标编号重复（第{seen[row.id]}行已出现）", row.id))
        elif row.level1 and row.level1 not in classes:
            problems.append(Problem(path, f"第{line}行", "一级指标", "评价体系不接收这一类指标", row.level1,
                                    "可选：" + "、".join(classes) if classes else "本评价体系不设单位自定指标，请清空此列"))
        elif row.id not in leaves:
            problems.append(Problem(path, f"第{line}行", "指标编号", "评价体系中没有这个末级指标", row.id,
                                    "可用的编号：" + "、".join(leaves)))
        elif row.score is not None and row.score > leaves[row.id].weight:
            problems.append(Problem(path, f"第{line}行", "自评得分", f"得分超过该指标的权重 {leaves[row.id].weight}",
                                    str(row.score), f"应在 0–{leaves[row.id].weight} 之间"))
        seen.setdefault(row.id, line)
    return problems


def validate(raw: RawInputs) -> m.Inputs:
    unit, problems = parse_yaml(raw.unit, m.Unit)
    framework, more = parse_yaml(raw.framework, m.Framework)
    problems += more
    if framework is not None:
        problems += check_framework(raw.framework, framework)
        if unit is not None and unit.kind != framework.kind:
            problems.append(Problem(raw.framework.path, f"第{raw.framework.lines.get(('适用',), 0)}行", "适用",
                                    f"评价体系适用于 {framework.kind}，单位报告类型为 {unit.kind}", framework.kind,
                                    f"请在 unit.yaml 的 评价体系 中选用适用于 {unit.kind} 的评价体系"))
    if unit is not None and raw.year is not None and unit.year != raw.year:
        folder = raw.unit.path.rsplit("/", 1)[0]
        problems.append(Problem(raw.unit.path, f"第{raw.unit.lines.get(('年度',), 0)}行", "年度",
                                f"与目录 {folder}/ 的年度不符", str(unit.year),
                                f"应为 {raw.year}，或把文件移到年度为 {unit.year} 的目录"))
    parsed: dict[str, list[tuple[int, Any]]] = {}
    for key, model in TABLE_MODELS.items():
        table = raw.tables.get(key)
        if table is None:
            if unit is not None and key in REQUIRED_TABLES.get(unit.kind, ()):
                problems.append(Problem(raw.unit.path.rsplit("/", 1)[0] + "/" + TABLE_FILES[key], "", "", "缺少必需的数据表",
                                        hint=f"提供 {TABLE_FILES[key]}，或在 数据.xlsx 中加工作表“{SHEET_NAMES[key][0]}”"))
            parsed[key] = []
            continue
        parsed[key], more = parse_table(table, model)
        problems += more
    tree: list[m.Node] = []
    if framework is not None and raw.tables.get("facts") is not None:
        facts_path = raw.tables["facts"].path
        tree, more = expand(framework, parsed["facts"], facts_path)
        problems += more + check_facts(framework, tree, parsed["facts"], facts_path)
    raise_if(problems)
    files = {key: table.path for key, table in raw.tables.items() if table is not None}
    files.update(unit=raw.unit.path, framework=raw.framework.path)
    return m.Inputs(
        unit=unit, framework=framework, tree=tuple(tree),
        budget=tuple(row for _, row in parsed["budget"]),
        funds=tuple(row for _, row in parsed["funds"]),
        spending=tuple(row for _, row in parsed["spending"]),
        facts={row.id: row for _, row in parsed["facts"]},
        fact_lines={row.id: line for line, row in parsed["facts"]},
        lines={key: tuple(line for line, _ in rows) for key, rows in parsed.items()},
        unit_lines={".".join(map(str, path)): line for path, line in raw.unit.lines.items()},
        files=files,
    )

