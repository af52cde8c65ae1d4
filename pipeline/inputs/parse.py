"""Pydantic's verdict on a YAML file or a table, turned into located problems in Chinese."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .. import codes as k
from ..errors import Location, Problem
from . import models as m
from .cells import clean
from .tables import Table
from .yaml_files import YamlDoc

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


# pydantic error type → the problem's code (a key missing from a YAML file; in a table row, a cell left empty)
ERROR_CODES = {
    "missing": k.MISSING_KEY, "extra_forbidden": k.UNKNOWN_KEY, "union_tag_not_found": k.MISSING_KEY,
    **dict.fromkeys(("decimal_parsing", "decimal_type", "int_parsing", "int_type", "int_from_float"), k.BAD_NUMBER),
    **dict.fromkeys(("date_from_datetime_parsing", "date_parsing", "date_type"), k.BAD_DATE),
    **dict.fromkeys(("bool_parsing", "bool_type", "literal_error", "union_tag_invalid"), k.BAD_CHOICE),
    **dict.fromkeys(("string_type", "string_pattern_mismatch", "list_type", "dict_type", "model_type",
                     "model_attributes_type"), k.BAD_FORMAT),
    "string_too_short": k.MISSING_VALUE,
    **dict.fromkeys(("greater_than_equal", "greater_than", "less_than_equal", "less_than"), k.OUT_OF_RANGE),
    **dict.fromkeys(("too_short", "too_long"), k.WRONG_COUNT),
}


def _code(error: ErrorDetails, row: bool = False) -> str:
    """The kind of a pydantic error: our own readers and validators name theirs (a plain ValueError stays general)."""
    if error["type"] == "value_error":
        return getattr(error.get("ctx", {}).get("error"), "code", k.INVALID_INPUT)
    if row and error["type"] == "missing":
        return k.MISSING_VALUE
    return ERROR_CODES.get(error["type"], k.INVALID_INPUT)


def _hint(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    base = MESSAGES.get(error["type"], ("", ""))[1]
    if kind == "value_error":  # our own readers say what a readable value looks like
        return getattr(ctx.get("error"), "hint", "")
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


def _message(error: ErrorDetails) -> str:
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
        if part in m.RULE_TYPES:  # a rule: the keys of its own type, not of the first type in the union
            current = m.RULE_TYPES[part]
            continue
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def nearest(name: str, valid: list[str], what: str = "键") -> str:
    """“是否想写“改进意见”？”: the valid name closest to a mistyped one, then every valid name."""
    import difflib  # only a mistake needs it: a run without one does not load it
    ratios = {key: difflib.SequenceMatcher(None, name, key).ratio() for key in valid}
    best = max(ratios.values(), default=0)
    close = [key for key in valid if ratios[key] == best] if best >= 0.3 else []  # equally near: name them all
    return ("是否想写" + "或".join(f"“{key}”" for key in close[:3]) + "？" if close else "") + f"可用的{what}：" + "、".join(valid)


def _allowed_keys(model: type[BaseModel], loc: tuple) -> str:
    """The keys a mapping at this place accepts, the nearest first, for an 'unknown key' message."""
    owner = _owner(model, loc)
    return nearest(str(loc[-1]), [f.alias or n for n, f in owner.model_fields.items()]) if owner else ""


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


def yaml_path(loc: tuple) -> str:
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
        problems.append(Problem(Location(doc.path, line, yaml_path(loc)),
                                _message(error), value, hint, _code(error)))
    return problems


def parse_yaml(doc: YamlDoc, model: type[m.Model]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(clean(doc.data)), []
    except ValidationError as exc:
        return None, _yaml_problems(doc, model, exc)


def _columns(model: type[m.Model]) -> tuple[set[str], set[str]]:
    required = {f.alias or name for name, f in model.model_fields.items() if f.is_required()}
    return required, {f.alias or name for name, f in model.model_fields.items()}


def parse_table(table: Table, model: type[m.Model]) -> tuple[list[tuple[int, Any]], list[Problem]]:
    required, known = _columns(model)
    problems = [Problem(Location(table.path, 1, column), "缺少必需的列", hint="表头应包含：" + "、".join(sorted(required)),
                        code=k.MISSING_COLUMN) for column in sorted(required - set(table.headers))]
    problems += [Problem(Location(table.path, 1, column), "未知的列", hint=nearest(column, [
        f.alias or name for name, f in model.model_fields.items()], "列"), code=k.UNKNOWN_COLUMN)
        for column in table.headers if column not in known]
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
                problems.append(Problem(Location(table.path, line, column), _message(error),
                                        _shown(cells.get(column, error.get("input"))), _hint(error), _code(error, row=True)))
    return rows, problems

