"""Each kind of input problem has its own code (pipeline/codes.py), so checks can be filtered by it: one bad input per
code, on a small unit of its own (a town's farm service station, a framework of two indicators), asserting the code
and the place (file, line or row, key or column) the problem names."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from pipeline import codes as k
from pipeline.__main__ import main
from pipeline.errors import InputError, Location, Problem
from pipeline.inputs.load import load, resolve
from pipeline.inputs.validate import validate

UNIT = "inputs/qiaotou/2031"
FW = "inputs/frameworks/tiny-fw.yaml"
FRAMEWORK = """名称: 小型测试体系
适用: department
生效日期: 2020-01-01
来源: 测试
总分: 20
等级: [{等级: 好, 下限: 15}, {等级: 差, 下限: 0}]
指标:
  - 编号: P
    名称: 履职
    权重: 20
    下级:
      - 编号: P1
        名称: 支出进度
        权重: 12
        规则: {类型: ratio, 测算指标: 预算执行率}
      - 编号: P2
        名称: 巡查次数
        权重: 8
        规则: {类型: completion}
"""
UNIT_YAML = "单位名称: 桥头镇农业服务站\n报告类型: department\n年度: 2031\n评价体系: tiny-fw\n"
BUDGET = "单位名称,年初预算数,全年预算数,决算数\n桥头镇农业服务站,10.00,12.50,11.75\n"
INDICATORS = "指标编号,指标名称,目标值,比较符,计量单位,实际值,自评得分\nP1,支出进度,,,,,\nP2,巡查次数,40,≥,次,37,\n"


def station(root: Path) -> Path:
    """A unit that validates as it is; each case below breaks one thing in it."""
    (root / "inputs/frameworks").mkdir(parents=True)
    (root / FW).write_text(FRAMEWORK, encoding="utf-8")
    unit = root / UNIT
    unit.mkdir(parents=True)
    for name, text in (("unit.yaml", UNIT_YAML), ("budget.csv", BUDGET), ("indicators.csv", INDICATORS)):
        (unit / name).write_text(text, encoding="utf-8")
    return unit


def problems(root: Path, dept: str = "qiaotou", year: int | None = 2031) -> list[Problem]:
    try:
        validate(load(root, dept, resolve(root, dept, year)))
    except InputError as error:
        return error.problems
    return []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def workbook(unit: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(unit / "数据.xlsx")


def test_the_station_is_valid(tmp_path):
    station(tmp_path)
    assert problems(tmp_path) == []


def _outside_link(unit: Path) -> None:
    outside = unit.parents[2] / "elsewhere.csv"
    outside.write_text(INDICATORS, encoding="utf-8")
    (unit / "indicators.csv").unlink()
    os.symlink(outside, unit / "indicators.csv")


def _error_cell(unit: Path) -> None:
    (unit / "budget.csv").unlink()
    workbook(unit, {"预算执行": [["单位名称", "年初预算数", "全年预算数", "决算数"], ["桥头镇农业服务站", 10, "#DIV/0!", 11.75]]})


def _ambiguous(unit: Path) -> None:
    fw = unit.parents[1] / "frameworks/tiny-fw.yaml"
    edit(fw, "总分: 20", "总分: 25")
    edit(fw, "等级: [{等级: 好, 下限: 15}", "等级: [{等级: 好, 下限: 20}")
    fw.write_text(fw.read_text(encoding="utf-8") + "  - {编号: Q, 名称: 复核, 权重: 5, 下级: "
                  "[{编号: Q1, 名称: 巡查次数, 权重: 5, 规则: {类型: completion}}]}\n", encoding="utf-8")
    edit(unit / "indicators.csv", "37,\n", "37,\nQ1,巡查次数,2,≥,次,2,\n")
    edit(unit / "unit.yaml", "评价体系: tiny-fw\n", "评价体系: tiny-fw\n问题清单:\n  - 标题: 巡查不足\n    指标: 巡查次数\n")


def _from_facts(unit: Path) -> None:
    edit(unit.parents[1] / "frameworks/tiny-fw.yaml", "        名称: 巡查次数\n        权重: 8\n        规则: {类型: completion}",
         "        名称: 产出\n        权重: 8\n        下级: [{编号: P21, 名称: 巡查次数, 权重: 5, 规则: {类型: completion}}]\n"
         "        来自指标表: {一级指标: [产出指标], 规则: {类型: completion}}")
    (unit / "indicators.csv").write_text("指标编号,指标名称,一级指标,目标值,比较符,计量单位,实际值\nP1,支出进度,,,,,\n"
                                         "P21,巡查次数,,40,≥,次,37\n", encoding="utf-8")


def _none_applies(unit: Path) -> None:
    (unit / "indicators.csv").write_text("指标编号,指标名称,目标值,比较符,计量单位,实际值,不适用原因\n"
                                         "P1,支出进度,,,,,本年无预算\nP2,巡查次数,40,≥,次,,撤站\n", encoding="utf-8")


# code → (what breaks the station, the place the problem names); lines are those of the files as edited (a key missing
# from the top of a file is placed at its first line)
CASES: dict[str, tuple[Callable[[Path], object], Location]] = {
    k.MISSING_FILE: (lambda u: (u / "indicators.csv").unlink(), Location(f"{UNIT}/indicators.csv")),
    k.FILE_REFUSED: (_outside_link, Location(f"{UNIT}/indicators.csv")),
    k.BAD_ENCODING: (lambda u: (u / "unit.yaml").write_bytes(UNIT_YAML.encode("gbk")), Location(f"{UNIT}/unit.yaml")),
    k.BAD_YAML: (lambda u: edit(u / "unit.yaml", "评价体系: tiny-fw\n", "评价体系: tiny-fw\n年度: 2030\n"),
                 Location(f"{UNIT}/unit.yaml", 5)),
    k.BAD_CSV: (lambda u: edit(u / "budget.csv", "11.75\n", "11.75,多出一格\n"), Location(f"{UNIT}/budget.csv", 2)),
    k.BAD_WORKBOOK: (lambda u: workbook(u, {"杂项": [["名称", "数值"]]}), Location(f"{UNIT}/数据.xlsx", key="工作表")),
    k.BAD_CELL: (_error_cell, Location(f"{UNIT}/数据.xlsx", 2, "全年预算数", "预算执行", "C")),
    k.OVER_LIMIT: (lambda u: edit(u / "budget.csv", "桥头镇农业服务站", "站" * 32_768), Location(f"{UNIT}/budget.csv", 2, "第1列")),
    k.FILLED_TWICE: (lambda u: workbook(u, {"预算执行": [["单位名称", "年初预算数", "全年预算数", "决算数"]]}),
                     Location(f"{UNIT}/budget.csv")),
    k.MISSING_KEY: (lambda u: edit(u / "unit.yaml", "年度: 2031\n", ""), Location(f"{UNIT}/unit.yaml", 1, "年度")),
    k.MISSING_COLUMN: (lambda u: (u / "budget.csv").write_text("单位名称,年初预算数,全年预算数\n站,1,2\n", encoding="utf-8"),
                       Location(f"{UNIT}/budget.csv", 1, "决算数")),
    k.MISSING_VALUE: (lambda u: edit(u / "budget.csv", ",12.50,", ",,"), Location(f"{UNIT}/budget.csv", 2, "全年预算数")),
    k.UNKNOWN_KEY: (lambda u: edit(u / "unit.yaml", "评价体系", "单位地址: 桥头镇\n评价体系"), Location(f"{UNIT}/unit.yaml", 4, "单位地址")),
    k.UNKNOWN_COLUMN: (lambda u: edit(u / "budget.csv", "决算数\n", "决算数,备忘\n"), Location(f"{UNIT}/budget.csv", 1, "备忘")),
    k.BAD_NUMBER: (lambda u: edit(u / "budget.csv", "11.75", "十一点七五"), Location(f"{UNIT}/budget.csv", 2, "决算数")),
    k.BAD_DATE: (lambda u: edit(u / "unit.yaml", "评价体系", "填报日期: 2032-02-30\n评价体系"), Location(f"{UNIT}/unit.yaml", 4, "填报日期")),
    k.BAD_CHOICE: (lambda u: edit(u / "unit.yaml", "department", "乡镇"), Location(f"{UNIT}/unit.yaml", 2, "报告类型")),
    k.BAD_FORMAT: (lambda u: edit(u / "unit.yaml", "桥头镇农业服务站", "[桥头镇, 农业服务站]"), Location(f"{UNIT}/unit.yaml", 1, "单位名称")),
    k.OUT_OF_RANGE: (lambda u: edit(u / "indicators.csv", "37,", "37,8.5"), Location(f"{UNIT}/indicators.csv", 3, "自评得分")),
    k.WRONG_COUNT: (lambda u: edit(u / "unit.yaml", "评价体系", "控制数:\n  季度累计执行率: [10, 20]\n评价体系"),
                    Location(f"{UNIT}/unit.yaml", 5, "控制数.季度累计执行率")),
    k.DUPLICATE_ROW: (lambda u: edit(u / "budget.csv", "11.75\n", "11.75\n桥头镇农业服务站,1,1,1\n"),
                      Location(f"{UNIT}/budget.csv", 3, "单位名称")),
    k.DUPLICATE_COLUMN: (lambda u: u.joinpath("budget.csv").write_text(
        "单位名称,年初预算数,全年预算数,决算数,决算数\n站,1,2,1,1\n", encoding="utf-8"), Location(f"{UNIT}/budget.csv", 1, "决算数")),
    k.UNKNOWN_INDICATOR: (lambda u: edit(u / "indicators.csv", "37,\n", "37,\nP9,防汛检查,3,≥,次,3,\n"),
                          Location(f"{UNIT}/indicators.csv", 4, "指标编号")),
    k.AMBIGUOUS_INDICATOR: (_ambiguous, Location(f"{UNIT}/unit.yaml", 7, "问题清单[1].指标")),
    k.MISSING_INDICATOR: (_from_facts, Location(f"{UNIT}/indicators.csv", key="一级指标")),
    k.WEIGHTS_DIFFER: (lambda u: edit(u.parents[1] / "frameworks/tiny-fw.yaml", "权重: 12", "权重: 11"),
                       Location(FW, 10, "指标[1].权重")),
    k.BAD_RULE: (lambda u: edit(u.parents[1] / "frameworks/tiny-fw.yaml", "{类型: completion}", "{类型: completion, 超额扣分: 2}"),
                 Location(FW, 19, "指标[1].下级[2].规则.超额扣分")),
    k.BAD_FORMULA: (lambda u: edit(u / "unit.yaml", "评价体系", "测算指标:\n  巡查强度:\n    公式: 巡查次数 ** 2\n评价体系"),
                    Location(f"{UNIT}/unit.yaml", 6, "测算指标.巡查强度.公式")),
    k.BAD_FRAMEWORK: (lambda u: edit(u.parents[1] / "frameworks/tiny-fw.yaml", "    权重: 20\n", "    权重: 20\n    规则: {类型: manual}\n"),
                      Location(FW, 11, "指标[1].规则")),
    k.FRAMEWORK_MISMATCH: (lambda u: edit(u.parents[1] / "frameworks/tiny-fw.yaml", "适用: department", "适用: project"),
                           Location(FW, 2, "适用")),
    k.YEAR_MISMATCH: (lambda u: edit(u / "unit.yaml", "年度: 2031", "年度: 2030"), Location(f"{UNIT}/unit.yaml", 3, "年度")),
    k.INVALID_INPUT: (_none_applies, Location(f"{UNIT}/indicators.csv", key="不适用原因")),
}


@pytest.mark.parametrize("code", list(CASES))
def test_each_kind_of_input_problem_has_its_code_and_place(tmp_path, code):
    breaks, where = CASES[code]
    breaks(station(tmp_path))
    found = problems(tmp_path)
    assert [(p.code, p.where) for p in found if p.code == code] == [(code, where)], "\n".join(
        f"{p.code}: {p.where!r} {p}" for p in found)


@pytest.mark.parametrize(("dept", "year", "code", "where"), [
    ("xiaoshan", None, k.UNKNOWN_UNIT, Location("inputs/", key="DEPT")),
    ("qiaotou", 2029, k.UNKNOWN_YEAR, Location("inputs/qiaotou/", key="YEAR")),
])
def test_an_unknown_unit_or_year_has_its_code(tmp_path, dept, year, code, where):
    station(tmp_path)
    assert [(p.code, p.where) for p in problems(tmp_path, dept, year)] == [(code, where)]


def test_every_input_code_has_a_case():
    input_codes = {code for code, (kind, _) in k.CODES.items() if kind == "问题"} - {
        k.MISSING_SCORE_INPUT, k.UNREAD_TEXT_KEY, k.LAST_YEAR_UNREADABLE, k.EMPTY_TABLE, k.ROUNDING_DIFFERENCE,
        k.ZERO_BUDGET_SPENT, k.BUDGET_OVERRUN, k.FUNDS_SPENT_OVER_RECEIVED, k.BUDGET_ADJUSTMENT_UNEXPLAINED}
    assert input_codes - set(CASES) - {k.UNKNOWN_UNIT, k.UNKNOWN_YEAR} == set()


def test_check_json_lists_problems_by_code(tmp_path, capsys):
    """`check --json`: every problem with its code and place, for a program to filter; exit 2, as without --json."""
    unit = station(tmp_path)
    edit(unit / "budget.csv", "11.75", "11.7.5")
    edit(unit / "unit.yaml", "评价体系", "联系人: 王五\n评价体系")
    assert main(["--root", str(tmp_path), "check", "qiaotou", "--json"]) == 2
    said = json.loads(capsys.readouterr().out)
    assert said["通过"] is False
    assert sorted((p["代码"], p["位置"]["文件"], p["位置"]["行"], p["位置"]["键或列"]) for p in said["问题"]) == [
        (k.BAD_NUMBER, f"{UNIT}/budget.csv", 2, "决算数"), (k.UNKNOWN_KEY, f"{UNIT}/unit.yaml", 4, "联系人")]
    assert [p["当前值"] for p in said["问题"] if p["代码"] == k.BAD_NUMBER] == ["11.7.5"]


def test_check_json_on_a_valid_unit_passes(tmp_path, capsys):
    station(tmp_path)
    assert main(["--root", str(tmp_path), "check", "qiaotou", "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["通过"] is True and all(p["级别"] == "警告" for p in said["问题"])
