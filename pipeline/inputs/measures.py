"""The ratios a framework may score by name (DOMAIN §3), and where each base figure is entered."""
from __future__ import annotations

# measure name → (numerator, denominator): each a base figure's name
MEASURES: dict[str, tuple[str, str]] = {
    "预算执行率": ("决算数", "全年预算数"),
    "调剂比例": ("调剂总额", "年初预算数"),
    "三公经费控制率": ("三公经费支出", "三公经费预算"),
    "日常公用经费控制率": ("公用经费支出", "公用经费预算"),
    "政府采购执行率": ("政府采购实际", "政府采购计划"),
    "在职人员控制率": ("在职人数", "编制数"),
    "编外人员控制率": ("编外人数", "在职和编外人数"),
    "项目完成及时率": ("按时完成项目数", "计划完成项目数"),
    # a project's funds (项目支出)
    "资金到位率": ("到位数", "全年预算数"),
    "支出率": ("决算数", "全年预算数"),
    "到位资金支出率": ("决算数", "到位数"),
}

# where a missing base figure comes from, for messages
SOURCES: dict[str, str] = {
    "决算数": "budget.csv 的“决算数”列（项目为 funds.csv 的“已支出”列）",
    "全年预算数": "budget.csv 或 funds.csv 的“全年预算数”列", "到位数": "funds.csv 的“到位数”列",
    "年初预算数": "budget.csv 的“年初预算数”列", "调剂总额": "unit.yaml 的 控制数.调剂总额",
    "三公经费支出": "unit.yaml 的 控制数.三公经费支出", "三公经费预算": "unit.yaml 的 控制数.三公经费预算",
    "公用经费支出": "unit.yaml 的 控制数.公用经费支出", "公用经费预算": "unit.yaml 的 控制数.公用经费预算",
    "政府采购实际": "unit.yaml 的 控制数.政府采购实际", "政府采购计划": "unit.yaml 的 控制数.政府采购计划",
    "在职人数": "unit.yaml 的 人员.在职人数", "编制数": "unit.yaml 的 人员.编制数",
    "编外人数": "unit.yaml 的 人员.编外人数", "在职和编外人数": "unit.yaml 的 人员.在职人数 与 人员.编外人数",
    "按时完成项目数": "unit.yaml 的 控制数.按时完成项目数", "计划完成项目数": "unit.yaml 的 控制数.计划完成项目数",
    "季度累计执行率": "unit.yaml 的 控制数.季度累计执行率",
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
