"""The yearly cycle: make next rolls a unit forward, the new year is filled, and the report states 同比 figures
computed by hand here; make diff lists what changed; typed 同比 rates are checked."""
from __future__ import annotations

import csv
import io
import shutil

import pytest
from ruamel.yaml import YAML

from pipeline.__main__ import main
from pipeline.errors import ScaffoldError
from pipeline.findings.typed import RULE_CHANGE
from pipeline.inputs.load import available_units
from pipeline.run import build, check
from pipeline.tools.next_year import next_year
from tests.helpers import edit


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("dept, year", [("huadu", 2023), ("lianjiang", 2024), ("shaoguan", 2024), ("example-cdc", 2024)])
def test_every_example_rolls_forward(project, dept, year):
    created = next_year(project, dept)
    new = project / f"inputs/{dept}/{year + 1}"
    assert created.folder == new and available_units(project)[dept] == [year, year + 1]
    text = (new / "unit.yaml").read_text(encoding="utf-8")
    assert f"年度: {year + 1}" in text
    for gone in ("已公布:", "已核实差异:", "声明数:", "填报日期:"):
        assert gone not in text
    old_text = (project / f"inputs/{dept}/{year}/unit.yaml").read_text(encoding="utf-8")
    assert old_text.count("{{ 数.") == text.count("{{ 数.")  # the narrative still quotes what it quoted
    facts_old, facts_new = rows(project / f"inputs/{dept}/{year}/indicators.csv"), rows(new / "indicators.csv")
    assert [r[0] for r in facts_old] == [r[0] for r in facts_new]  # every indicator row kept
    header = facts_new[0]
    for column in ("实际值", "自评得分", "说明"):
        if column in header:
            assert all(r[header.index(column)] == "" for r in facts_new[1:])
    with pytest.raises(ScaffoldError, match="数据还不完整"):
        next_year(project, dept)  # an unfilled year is not rolled forward again


def fill_huadu_2024(project):
    """The 2024 facts: 2023's, with the 本级 budget's 决算数 up by 1,000.00 and 在职人数 up by 15."""
    old, new = project / "inputs/huadu/2023", project / "inputs/huadu/2024"
    shutil.copy(old / "indicators.csv", new / "indicators.csv")
    shutil.copy(old / "budget.csv", new / "budget.csv")
    edit(new / "budget.csv", "花都区卫生健康局（本级）,60000.00,68512.40,66890.35", "花都区卫生健康局（本级）,60000.00,68512.40,67890.35")
    before = yaml_text(old / "unit.yaml")
    fill(new / "unit.yaml", {"人员": {"编制数": 2860, "在职人数": 2650}, "控制数": dict(before["控制数"])})


def yaml_text(path):
    return YAML().load(path.read_text(encoding="utf-8"))


def fill(path, values: dict) -> None:
    """Each emptied figure given a value, the file's comments and layout kept (a round trip, as make next does)."""
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    for block, figures in values.items():
        for key, value in figures.items():
            assert key in data[block] and data[block][key] is None, (block, key)  # emptied by make next
            data[block][key] = value
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_the_new_year_report_states_year_on_year_figures(project):
    next_year(project, "huadu")
    fill_huadu_2024(project)
    result, written = build(project, "huadu", formats=("md",), charts=False)
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    # 决算数 163,020.69 → 164,020.69: +1,000.00, 1000 / 163020.69 = 0.613419…% → 0.61%
    assert "决算数164020.69万元，比上年增加1000.00万元（增长0.61%）" in report
    # 全年预算数 unchanged; 预算执行率 164020.69 / 165980.11 = 98.8195…% → 98.82%, 98.82 − 98.22 = 0.60 points
    assert "全年预算数165980.11万元，与上年持平" in report
    assert "预算执行率98.82%，比上年提高0.60个百分点" in report
    # 在职人数 2635 → 2650: +15, 15 / 2635 = 0.5693…% → 0.57%
    assert "在职人数2650人，比上年增加15人（增长0.57%）" in report
    assert "| 决算数 | 164020.69 | 163020.69 | +1000.00 | 0.61% |" in report
    assert result.quoted["上年决算数"].text == "163020.69" and result.quoted["决算数增减率"].text == "0.61%"


def test_a_typed_year_on_year_rate_that_does_not_follow_is_listed(project):
    next_year(project, "huadu")
    fill_huadu_2024(project)
    edit(project / "inputs/huadu/2024/unit.yaml", "  存在的主要问题: |\n",
         "  存在的主要问题: |\n    决算数较上年增长12%。在职人数较上年增长0.57%。\n")
    found = [f.message for f in check(project, "huadu").findings if f.rule == RULE_CHANGE]
    assert found == ["写作“增长12%”，按两年数字决算数增减率为0.61%；把“增长12%”改为引用 {{ 数.决算数|变化 }}"]
    # the fix as suggested prints the direction and the rate from the two years' folders
    edit(project / "inputs/huadu/2024/unit.yaml", "决算数较上年增长12%。", "决算数较上年{{ 数.决算数|变化 }}。")
    _, written = build(project, "huadu", formats=("md",), charts=False)
    assert "决算数较上年增长0.61%。" in (written[0].parent / "report.md").read_text(encoding="utf-8")


def test_last_year_block_gives_year_on_year_without_a_folder(project):
    edit(project / "inputs/huadu/2023/unit.yaml", "人员:\n", "上年:\n  决算数: 150000\n人员:\n")
    _, written = build(project, "huadu", formats=("md",), charts=False)
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    # 163,020.69 − 150,000 = 13,020.69; 13020.69 / 150000 = 8.680…% → 8.68%
    assert "决算数163020.69万元，比上年增加13020.69万元（增长8.68%）" in report


def test_make_diff_lists_scores_figures_and_sections(project, capsys):
    next_year(project, "huadu")
    fill_huadu_2024(project)
    edit(project / "inputs/huadu/2024/unit.yaml", "  存在的主要问题: |\n", "  存在的主要问题: |\n    本年新增一段。\n")
    assert main(["--root", str(project), "diff", "huadu"]) == 0
    out = capsys.readouterr().out
    assert "# 广州市花都区卫生健康局：2023年度 → 2024年度" in out
    assert "| 决算数 | 163020.69 | 164020.69 | +1000.00 | 0.61% |" in out
    # A11 部门预算资金支出率: ratio × 10, 98.22% → 9.82, 98.82% → 9.88
    assert "| A11 | 部门预算资金支出率 | 10.00 | 9.82 | 9.88 | +0.06 |" in out
    assert "| 正文.存在的主要问题 | 已修改 |" in out and "| 正文.部门职能 | 未改（仍是上年的文字） |" in out


def test_diff_without_a_previous_year_is_a_clear_refusal(project, capsys):
    assert main(["--root", str(project), "diff", "shaoguan"]) == 2
    assert "没有 2023 年度的数据" in capsys.readouterr().err


@pytest.mark.parametrize("entered, named", [
    ("上年:\n  决算额: 150000\n", "上年.决算额"),  # a misspelt figure name
    ("上年:\n  等级: 90\n", "上年.等级"),  # a word, not a number
    ("上年:\n  决算数: 150000\n  单位名称: 1\n", "上年.单位名称"),
])
def test_last_year_block_names_only_comparable_figures(project, capsys, entered, named):
    edit(project / "inputs/huadu/2023/unit.yaml", "人员:\n", entered + "人员:\n")
    assert main(["--root", str(project), "check", "huadu"]) == 2
    err = capsys.readouterr().err
    assert f"inputs/huadu/2023/unit.yaml {named}：不是可比较的数的名称" in err and "Traceback" not in err


def png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # IHDR width, height


def test_the_execution_chart_shows_both_years(project):
    next_year(project, "huadu")
    fill_huadu_2024(project)
    result, written = build(project, "huadu", formats=("md",), charts=True)
    folder = written[0].parent
    assert "![图1-1 各单位预算执行率（2024年与2023年）](chart-budget.png)" in (folder / "report.md").read_text(encoding="utf-8")
    # last year's rates are drawn from last year's rows, matched by name: 本级 97.63% (66,890.35 / 68,512.40 = 0.97632…)
    assert {line.name: str(line.rate) for line in result.last_budget}["花都区卫生健康局（本级）"] == "0.9763"
    alone, _ = build(project, "huadu", year=2023, formats=("md",), charts=True)
    first = (folder.parent / "2023/chart-budget.png").read_bytes()
    assert png_size((folder / "chart-budget.png").read_bytes())[1] > png_size(first)[1]  # a second bar a row
    assert "年与" not in (folder.parent / "2023/report.md").read_text(encoding="utf-8") and not alone.compared


def test_a_renamed_leaf_is_matched_by_its_number_and_said(project, capsys):
    next_year(project, "huadu")
    fill_huadu_2024(project)
    frameworks = project / "inputs/frameworks"
    text = (frameworks / "huadu-2023.yaml").read_text(encoding="utf-8")
    (frameworks / "huadu-2024.yaml").write_text(
        text.replace("名称: 花都区部门整体支出绩效评价指标体系", "名称: 花都区部门整体支出绩效评价指标体系（2024年版）")
            .replace("名称: 预算编制规范性", "名称: 预算编制完整性"), encoding="utf-8")
    edit(project / "inputs/huadu/2024/unit.yaml", "评价体系: huadu-2023", "评价体系: huadu-2024")
    result, written = build(project, "huadu", formats=("md",), charts=False)
    sentence = next(line for line in (written[0].parent / "report.md").read_text(encoding="utf-8").splitlines()
                    if line.startswith("与上年相比："))
    # 履职效能 A11–A32: 49.82 → 49.88 (+0.06); 管理效率 (B11 renamed, same 编号 and weight): 47.00 both years;
    # 总分 96.82 → 96.88: +0.06, 0.06 / 96.82 = 0.0620% → 0.06%
    assert "履职效能得分49.88分，比上年增加0.06分" in sentence
    assert "管理效率得分47.00分，与上年持平" in sentence
    assert "总分96.88分，比上年增加0.06分（增长0.06%）" in sentence
    assert "指标“预算编制规范性”（B11）更名为“预算编制完整性”，按编号与上年比较。" in sentence
    assert "管理效率得分增减" in result.quoted and "预算编制完整性得分增减" in result.quoted
    assert main(["--root", str(project), "diff", "huadu"]) == 0
    out = capsys.readouterr().out
    assert "| B11 | 预算编制规范性 | 预算编制完整性 |" in out
    assert "| 总分 | 96.82 | 96.88 | +0.06 | 0.06% |" in out and "| 管理效率得分 | 47.00 | 47.00 | 0.00 | 0.00% |" in out


def test_next_year_picks_the_framework_version_by_date(project):
    """huadu's framework file given a second version in force from 2024-01-01 (B11 renamed): make next names it,
    the 2024 report is scored under it and says that last year's version differed."""
    import yaml

    path = project / "inputs/frameworks/huadu-2023.yaml"
    old = yaml.safe_load(path.read_text(encoding="utf-8"))
    renamed = yaml.safe_load(yaml.safe_dump(old["指标"], allow_unicode=True).replace("预算编制规范性", "预算编制完整性"))
    dated = {key: old[key] for key in ("名称", "适用", "来源")}
    dated["版本"] = [{"生效日期": "2023-01-01", "指标": old["指标"]}, {"生效日期": "2024-01-01", "指标": renamed}]
    path.write_text(yaml.safe_dump(dated, allow_unicode=True, sort_keys=False), encoding="utf-8")
    created = next_year(project, "huadu")
    assert "评价体系“huadu-2023”：2024 年度按 2024-01-01 起施行的版本评分（上一年度为 2023-01-01 版）" in created.notes
    fill_huadu_2024(project)
    result, written = build(project, "huadu", formats=("md",), charts=False)
    assert result.inputs.framework.valid_from.isoformat() == "2024-01-01"
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "本年度的评价体系与上年（花都区部门整体支出绩效评价指标体系 2023年1月1日起施行的版本）不同" in report
    assert "预算编制完整性" in report and "履职效能得分49.88分" in report


def test_make_next_keeps_a_workbook_unit_in_a_workbook(project, capsys):
    """A unit kept in 数据.xlsx rolls into a 数据.xlsx for the new year, from the console as from the web page: no
    CSV files appear, and what to fill is said by sheet."""
    assert main(["--root", str(project), "new", "baiyun", "--kind", "department", "--year", "2024"]) == 0
    capsys.readouterr()
    assert main(["--root", str(project), "next", "baiyun"]) == 0
    out = capsys.readouterr().out
    folder = project / "inputs/baiyun/2025"
    assert (folder / "数据.xlsx").is_file() and not list(folder.glob("*.csv")) and not (folder / "原数据").exists()
    assert "inputs/baiyun/2025/数据.xlsx" in out and ".csv" not in out
    assert "数据.xlsx：填写各工作表中空着的本年数字" in out and "unit.yaml：填写 人员" not in out
