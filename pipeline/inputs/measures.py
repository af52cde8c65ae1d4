"""The measures a framework may score by name (DOMAIN §3): the built-in ones written as a framework writes its own
(测算指标: 公式, 单位, 说明, 来源), read by the same model and grammar; and where each base figure is entered."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from .fields import Model
from .formulas import LAST_YEAR, names, parse, quotient
from .kinds import UNIT_SHEETS

# the base figures read from a table's column, for messages; the others are keys of unit.yaml (KEY_PATHS)
COLUMN_SOURCES: dict[str, str] = {
    "决算数": "budget.csv 的“决算数”列（项目为 funds.csv 的“已支出”列）",
    "全年预算数": "budget.csv 或 funds.csv 的“全年预算数”列", "到位数": "funds.csv 的“到位数”列",
    "年初预算数": "budget.csv 的“年初预算数”列",
}


# the unit.yaml key each figure a measure needs is entered under
KEY_PATHS: dict[str, str] = {
    "调剂总额": "控制数.调剂总额", "三公经费预算": "控制数.三公经费预算", "三公经费支出": "控制数.三公经费支出",
    "公用经费预算": "控制数.公用经费预算", "公用经费支出": "控制数.公用经费支出", "政府采购计划": "控制数.政府采购计划",
    "政府采购实际": "控制数.政府采购实际", "计划完成项目数": "控制数.计划完成项目数", "按时完成项目数": "控制数.按时完成项目数",
    "季度累计执行率": "控制数.季度累计执行率", "编制数": "人员.编制数", "在职人数": "人员.在职人数", "编外人数": "人员.编外人数",
    "在职和编外人数": "人员.编外人数",
}


def key_line(lines: dict[str, int], path: str) -> int | None:
    """The line of a dotted key in unit.yaml, or of its nearest parent that is there."""
    parts = path.split(".")
    return next((lines[".".join(parts[:i])] for i in range(len(parts), 0, -1) if ".".join(parts[:i]) in lines), None)


# the figures a formula may name besides measures and the unit's own 自定数据 (each also as 上年.名称)
BASE_NAMES = ("年初预算数", "全年预算数", "决算数", "到位数", "基本支出", "项目支出", "调剂总额", "三公经费预算", "三公经费支出",
              "公用经费预算", "公用经费支出", "政府采购计划", "政府采购实际", "编制数", "在职人数", "编外人数", "在职和编外人数",
              "计划完成项目数", "按时完成项目数")


class MeasureDef(Model):
    """A measure a bureau or a unit defines: a formula over figures, other measures and last year's figures."""

    formula: str = Field(alias="公式", min_length=1, max_length=300)
    unit: Annotated[str, Field(max_length=10)] = Field("%", alias="单位")  # “%”: the formula gives a fraction, shown ×100
    label: str = Field("", alias="说明", max_length=200)
    source: str = Field("", alias="来源", max_length=200)
    # kept to this many decimals of its unit, half up (a rate as printed, 0.01%); not set: exact
    places: int | None = Field(None, alias="小数位", ge=0, le=6)

    @field_validator("formula")
    @classmethod
    def _parses(cls, text: str) -> str:
        parse(text)  # a FormulaError (a ValueError) says what is wrong, in Chinese, and carries its code
        return text


# the built-in measures (a rate is kept to 0.01%, as printed: 小数位 2); a project's are on its funds (funds.csv)
BUILTIN: dict[str, dict[str, object]] = {
    "预算执行率": {"公式": "决算数 / 全年预算数", "说明": "决算数占全年预算数的比例", "来源": "budget.csv 或 funds.csv"},
    "调剂比例": {"公式": "调剂总额 / 年初预算数", "说明": "预算调剂总额占年初预算数的比例", "来源": "unit.yaml 控制数 与 budget.csv"},
    "三公经费控制率": {"公式": "三公经费支出 / 三公经费预算", "说明": "“三公”经费支出占预算的比例", "来源": "unit.yaml 控制数"},
    "日常公用经费控制率": {"公式": "公用经费支出 / 公用经费预算", "说明": "日常公用经费支出占预算的比例", "来源": "unit.yaml 控制数"},
    "政府采购执行率": {"公式": "政府采购实际 / 政府采购计划", "说明": "政府采购实际金额占计划的比例", "来源": "unit.yaml 控制数"},
    "在职人员控制率": {"公式": "在职人数 / 编制数", "说明": "在职人数占编制数的比例", "来源": "unit.yaml 人员"},
    "编外人员控制率": {"公式": "编外人数 / 在职和编外人数", "说明": "编外人数占在职和编外人数的比例", "来源": "unit.yaml 人员"},
    "项目完成及时率": {"公式": "按时完成项目数 / 计划完成项目数", "说明": "按时完成的项目占计划的比例", "来源": "unit.yaml 控制数"},
    "资金到位率": {"公式": "到位数 / 全年预算数", "说明": "到位资金占全年预算数的比例", "来源": "funds.csv"},
    "支出率": {"公式": "决算数 / 全年预算数", "说明": "已支出占全年预算数的比例", "来源": "funds.csv 或 budget.csv"},
    "到位资金支出率": {"公式": "决算数 / 到位数", "说明": "已支出占到位资金的比例", "来源": "funds.csv"},
}
MEASURES: dict[str, MeasureDef] = {name: MeasureDef.model_validate({**d, "小数位": 2}) for name, d in BUILTIN.items()}


def execution_measures() -> tuple[str, ...]:
    """The built-in measures of 决算数 over 全年预算数 (预算执行率 and a project's 支出率)."""
    return tuple(name for name, d in MEASURES.items() if quotient(parse(d.formula)) == ("决算数", "全年预算数"))


def definition_problems(framework: dict[str, MeasureDef], unit: dict[str, MeasureDef],
                        own_figures: set[str]) -> list[tuple[str, str, str, str, str]]:
    """Defined measures that cannot be computed: a name defined twice, a figure no file gives, a measure that needs
    itself; as (who defines it: 评价体系 or unit.yaml, its name, what is wrong, the bad value, what would do)."""
    out = []
    defs = {**framework, **unit}
    known = set(BASE_NAMES) | own_figures | set(MEASURES) | set(defs)
    for who, group in (("评价体系", framework), ("unit.yaml", unit)):
        for name, d in group.items():
            if name in MEASURES or name in BASE_NAMES or (who == "unit.yaml" and name in framework):
                out.append((who, name, "测算指标的名称与已有的测算指标或数据重名", name, "换一个名称"))
            for used in names(parse(d.formula)):
                bare = used.removeprefix(LAST_YEAR + ".")
                if bare not in known:
                    out.append((who, name, f"公式中的“{used}”不是已知的数据或测算指标", d.formula,
                                "可用：" + "、".join([*BASE_NAMES, *sorted(own_figures), *MEASURES, *defs])
                                + "；单位自有的数据写在 unit.yaml 的 自定数据 中，上年的数据写作 上年.名称"))
    for name in defs:
        if _needs_itself(name, defs):
            out.append(("unit.yaml" if name in unit else "评价体系", name, "测算指标的公式直接或间接用到了它自己",
                        defs[name].formula, "公式只能用其他数据和测算指标"))
    return out


def _needs_itself(start: str, defs: dict[str, MeasureDef]) -> bool:
    todo, seen = [start], set()
    while todo:
        for used in names(parse(defs[todo.pop()].formula)):
            if used == start:
                return True
            if used in defs and used not in seen:
                seen.add(used)
                todo.append(used)
    return False


def unit_figures(defs: dict[str, MeasureDef]) -> tuple[list[str], list[str]]:
    """The figures each unit enters for these measures: its own (自定数据, 重点项目支出 …) and last year's (上年), in the
    order the formulas name them; what `make new` writes empty into unit.yaml."""
    own: list[str] = []
    last: list[str] = []
    for d in defs.values():
        for used in names(parse(d.formula)):
            bare = used.removeprefix(LAST_YEAR + ".")
            if used != bare:
                last += [bare] if bare not in last else []
            elif bare not in BASE_NAMES and bare not in MEASURES and bare not in defs and bare not in own:
                own.append(bare)
    return own, last


def key_path(figure: str) -> str:
    """The unit.yaml key a figure a measure needs is entered under: 控制数.三公经费支出, 上年.…, 自定数据.…"""
    if figure in KEY_PATHS or figure in COLUMN_SOURCES:
        return KEY_PATHS.get(figure, figure)
    return figure if figure.startswith(LAST_YEAR + ".") else f"自定数据.{figure}"


def source_of(figure: str) -> str:
    """Where a figure a measure needs is entered, for messages: its column, or its key of unit.yaml and, for a unit
    kept in a workbook, the sheet's row that holds the key instead."""
    if figure in COLUMN_SOURCES:
        return COLUMN_SOURCES[figure]
    paths = ("人员.在职人数", "人员.编外人数") if figure == "在职和编外人数" else (key_path(figure),)
    block = paths[0].split(".", 1)[0]  # the paths of one figure share their block
    sheet = next((s.sheet for s in UNIT_SHEETS.values() if block in s.blocks), None)
    rows = "".join(f"“{path.split('.', 1)[1]}”" for path in paths)
    return f"unit.yaml 的 {' 与 '.join(paths)}" + (f"（工作簿为“{sheet}”表的{rows}行）" if sheet else "")
