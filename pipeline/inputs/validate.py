"""Turn raw files into typed inputs, or collect every problem with its file, place and value."""
from __future__ import annotations

from typing import Any

from .. import codes as k
from ..errors import InputError, Location, Problem
from . import models as m
from .amounts import check_duplicates, check_places
from .framework_checks import check_file
from .kinds import KINDS, TABLES
from .load import RawInputs
from .measures import definition_problems, unit_figures
from .parse import parse_table, parse_yaml
from .tree import check_facts, expand, issue_problems
from .yaml_files import YamlDoc


def validate(raw: RawInputs) -> m.Inputs:
    inputs, problems = checked(raw)
    if problems or inputs is None:  # checked() gives no inputs only beside a problem
        raise InputError(problems)
    return inputs


def checked(raw: RawInputs) -> tuple[m.Inputs | None, list[Problem]]:
    """Every problem of every file, and the inputs as far as they read: each table's good rows (None without a unit
    or a framework), so what later stages find in the rest can be told in the same run."""
    unit, problems = parse_yaml(raw.unit, m.Unit)
    file, more = parse_yaml(raw.framework, m.FrameworkFile)
    problems = list(raw.problems) + problems + more
    framework = None
    if file is not None:
        versions, more = check_file(raw.framework, file)
        problems += more
        framework = version_for(raw.framework, versions, unit, problems)
    if framework is not None:
        if unit is not None and unit.kind != framework.kind:
            problems.append(Problem(Location(raw.framework.path, raw.framework.lines.get(('适用',), 0), "适用"),
                                    f"评价体系适用于 {framework.kind}，单位报告类型为 {unit.kind}", framework.kind,
                                    f"请在 unit.yaml 的 评价体系 中选用适用于 {unit.kind} 的评价体系", k.FRAMEWORK_MISMATCH))
    if unit is not None and raw.year is not None and unit.year != raw.year:
        folder = raw.unit.path.rsplit("/", 1)[0]
        problems.append(Problem(Location(raw.unit.path, raw.unit.lines.get(('年度',), 0), "年度"),
                                f"与目录 {folder}/ 的年度不符", str(unit.year),
                                f"应为 {raw.year}，或把文件移到年度为 {unit.year} 的目录", k.YEAR_MISMATCH))
    if framework is not None and unit is not None:
        problems += _measure_problems(raw, framework, unit)
    parsed: dict[str, list[tuple[int, Any]]] = {}
    for key, model in m.ROW_MODELS.items():
        table = raw.tables.get(key)
        if table is None:
            if unit is not None and key in KINDS[unit.kind].tables and key not in raw.unreadable:
                spec = TABLES[key]
                problems.append(Problem(Location(raw.unit.path.rsplit("/", 1)[0] + "/" + spec.file), "缺少必需的数据表",
                                        hint=f"提供 {spec.file}，或在 数据.xlsx 中加工作表“{spec.sheet}”", code=k.MISSING_FILE))
            parsed[key] = []
            continue
        parsed[key], more = parse_table(table, model)
        problems += more
    files = {key: table.path for key, table in raw.tables.items() if table is not None}
    problems += check_duplicates(parsed, files)
    if unit is not None:
        problems += check_places(unit.money_places, unit, raw.unit.path, raw.unit.lines, parsed, files)
    tree: list[m.Node] = []
    unfilled: list[Problem] = []
    facts_table = raw.tables.get("facts")
    if framework is not None and facts_table is not None:
        facts_path = facts_table.path
        tree, more = expand(framework, parsed["facts"], facts_path, unfilled)
        problems += more + check_facts(framework, tree, parsed["facts"], facts_path)
    if unit is None or framework is None:
        return None, problems
    problems += issue_problems(unit.issues, tree or framework.indicators, raw.unit.path, raw.unit.lines)
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
        files=files, unfilled=tuple(unfilled), left_empty=_left_empty(raw),
    ), problems


def _left_empty(raw: RawInputs) -> frozenset[str]:
    """The 上年 and 自定数据 figures written with no value: a key with nothing after it in unit.yaml (as `make new`
    writes those a framework's measures need), or a row of the 上年数 sheet whose value cell is empty."""
    out = set()
    for block in ("上年", "自定数据"):
        given = raw.unit.data.get(block)
        given = given if isinstance(given, dict) else {}
        out |= {f"{block}.{key}" for key, value in given.items() if value is None}
        out |= {key for key in raw.cells if key.startswith(block + ".") and key.split(".", 1)[1] not in given}
    return frozenset(out)


def version_for(doc: YamlDoc, versions: list[m.Framework], unit: m.Unit | None, problems: list[Problem]) -> m.Framework | None:
    """The version in force for the unit's year; with no unit to go by, the latest (its problems are listed anyway)."""
    if not versions:
        return None
    if unit is None:
        return max(versions, key=lambda v: v.valid_from)
    chosen = m.in_force(versions, unit.year)
    if chosen is None:
        first = min(v.valid_from for v in versions)
        key = ("生效日期",) if len(versions) == 1 and ("生效日期",) in doc.lines else ("版本",)
        problems.append(Problem(Location(doc.path, doc.lines.get(key, 0), key[0]),
                                f"评价体系自 {first} 起施行，没有适用于 {unit.year} 年度的版本", str(first),
                                f"选用适用于 {unit.year} 年度的评价体系，或在“版本”中加入该年度施行的版本", k.FRAMEWORK_MISMATCH))
    return chosen



def _measure_problems(raw: RawInputs, framework: m.Framework, unit: m.Unit) -> list[Problem]:
    out = []
    own_needed, last_needed = unit_figures({**framework.measures, **unit.measures})
    for block, needed in (("上年", last_needed), ("自定数据", own_needed)):  # an empty key no measure needs is a slip
        given = raw.unit.data.get(block) if isinstance(raw.unit.data, dict) else None
        out += [Problem(Location(raw.unit.path, raw.unit.lines.get((block, key), 0), f"{block}.{key}"),
                        "不是有效的数字（当前为空）", None, "应为数字，例如 1234.56；不用的名称请删去这一行", k.BAD_NUMBER)
                for key, value in (given.items() if isinstance(given, dict) else ()) if value is None and key not in needed]
    entered = raw.unit.data.get("自定数据") if isinstance(raw.unit.data, dict) else None
    own = set(unit.own_figures) | (set(entered) if isinstance(entered, dict) else set())  # those left empty too
    for who, name, message, value, hint in definition_problems(framework.measures, unit.measures, own):
        doc = raw.unit if who == "unit.yaml" else raw.framework
        key = ("测算指标", name, "公式")
        line = doc.lines.get(key, doc.lines.get(("测算指标", name), doc.lines.get(("测算指标",), 0)))
        out.append(Problem(Location(doc.path, line, f"测算指标.{name}"), message, value, hint, k.BAD_FORMULA))
    return out
