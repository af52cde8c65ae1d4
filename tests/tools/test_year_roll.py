"""A unit rolled 2023 → 2024 as a bureau does it: unit.yaml written in flow style with quoted keys, a sub-unit added
and one removed, a leaf renamed in the framework's new version. make next empties every figure of the year whatever
the style and keeps the comments; the report and make diff compare by 编号 and say what changed. Figures by hand."""
from __future__ import annotations

import io
import shutil

import yaml
from ruamel.yaml import YAML

from pipeline.__main__ import main
from pipeline.run import build, check
from pipeline.tools.next_year import next_unit_yaml, next_year
from tests.helpers import edit

OLD_PEOPLE = "人员:\n  编制数: 2860        # 假定值：原报告未列示\n  在职人数: 2635      # 假定值：原报告未列示\n"
NEW_UNIT = "花都区妇幼保健院,3000.00,3200.00,2950.00,2024年决算报表"


def bureau_style(project):
    """huadu 2023 as another bureau writes it: a flow mapping, quoted keys; and a second framework version (2024)
    in which A11 部门预算资金支出率 is renamed 部门预算执行率, same 编号 and weight."""
    unit = project / "inputs/huadu/2023/unit.yaml"
    edit(unit, OLD_PEOPLE, '"人员": {"编制数": 2860, 在职人数: 2635}  # 人员：年末数\n')
    edit(unit, '填报日期: "2024-04-15"', '"填报日期": "2024-04-15"')
    path = project / "inputs/frameworks/huadu-2023.yaml"
    old = yaml.safe_load(path.read_text(encoding="utf-8"))
    renamed = yaml.safe_load(yaml.safe_dump(old["指标"], allow_unicode=True).replace("部门预算资金支出率", "部门预算执行率"))
    dated = {key: old[key] for key in ("名称", "适用", "来源")}
    dated["版本"] = [{"生效日期": "2023-01-01", "指标": old["指标"]}, {"生效日期": "2024-01-01", "指标": renamed}]
    path.write_text(yaml.safe_dump(dated, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fill_2024(project):
    """2024: 2023's rows, 花都区卫生监督所 gone, 花都区妇幼保健院 new (3200.00 budget, 2950.00 spent); 在职人数 2650."""
    old, new = project / "inputs/huadu/2023", project / "inputs/huadu/2024"
    shutil.copy(old / "indicators.csv", new / "indicators.csv")
    lines = [line for line in (old / "budget.csv").read_text(encoding="utf-8").splitlines() if "卫生监督所" not in line]
    (new / "budget.csv").write_text("\n".join(lines + [NEW_UNIT]) + "\n", encoding="utf-8")
    round_trip = YAML()
    data = round_trip.load((new / "unit.yaml").read_text(encoding="utf-8"))
    before = round_trip.load((old / "unit.yaml").read_text(encoding="utf-8"))
    data["人员"]["编制数"], data["人员"]["在职人数"] = 2860, 2650
    for key, value in before["控制数"].items():
        data["控制数"][key] = value
    data.insert(len(data) - 1, "填报日期", "2025-04-10")
    out = io.StringIO()
    round_trip.dump(data, out)
    (new / "unit.yaml").write_text(out.getvalue(), encoding="utf-8")


def test_make_next_empties_every_figure_whatever_the_style(project):
    bureau_style(project)
    assert check(project, "huadu", 2023).scores.total > 0  # the bureau's style reads as before
    next_year(project, "huadu")
    text = (project / "inputs/huadu/2024/unit.yaml").read_text(encoding="utf-8")
    data = YAML().load(text)
    assert data["年度"] == 2024
    assert dict(data["人员"]) == {"编制数": None, "在职人数": None}  # the flow mapping emptied, key by key
    assert all(value is None for value in data["控制数"].values())
    for gone in ("2860", "2635", "2024-04-15", "填报日期", "已公布", "声明数", "98.22"):
        assert gone not in text, gone
    assert '"编制数":' in text  # a quoted key stays quoted
    assert text.count("# 假定值：原报告未列示") > 0 and "# 本文件内容转录自广州市花都区卫生健康局" in text
    assert "# 人员：年末数" in text


def test_a_dropped_key_takes_its_own_comments_and_leaves_the_next_keys():
    text = ("# 头\n年度: 2023\n# 填报日期（选填）：写入封面\n填报日期: \"2024-03-31\"  # 去年的日期\n"
            "# 金额千分位（选填）：true 时写作 527,711.12\n金额千分位: false\n"
            "控制数: {\"三公经费预算\": 10.00, 三公经费支出: 8.50}\n# 上年（选填）\n上年: {决算数: 1380.00}\n"
            "# 正文：叙述文字\n正文:\n  部门职能: 职能\n")  # 上年 after a flow value: its comment goes with it
    out = next_unit_yaml(text, 2023, 2024)
    assert out.splitlines() == [
        "# 由 make next 从 2023 年度生成：本年的数据已清空，叙述文字沿用上年作为草稿，请逐项更新。",
        "# 头", "年度: 2024", "# 填报日期（选填）：写入封面", "# 金额千分位（选填）：true 时写作 527,711.12",
        "金额千分位: false", "控制数:", '  "三公经费预算":', "  三公经费支出:", "# 正文：叙述文字", "正文:",
        "  # 草稿：以下文字沿用上年，请逐段改为本年度的情况；引用的数字（数.名称）会按本年数据自动更新", "  部门职能: 职能"]


def test_the_rolled_year_compares_by_number_and_says_what_changed(project, capsys):
    bureau_style(project)
    next_year(project, "huadu")
    fill_2024(project)
    result, written = build(project, "huadu", formats=("md",), charts=False)
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "2025年4月10日" in report and "2024年4月15日" not in report  # this year's date on the cover, not last
    sentence = next(line for line in report.splitlines() if line.startswith("与上年相比："))
    # 全年预算数 165980.11 − 2315.26 + 3200.00 = 166864.85: +884.74, 884.74 / 165980.11 = 0.533% → 0.53%
    assert "全年预算数166864.85万元，比上年增加884.74万元（增长0.53%）" in sentence
    # 决算数 163020.69 − 2315.26 + 2950.00 = 163655.43: +634.74, 634.74 / 163020.69 = 0.389% → 0.39%
    assert "决算数163655.43万元，比上年增加634.74万元（增长0.39%）" in sentence
    # 预算执行率 163655.43 / 166864.85 = 98.08% (98.0766…), last year 98.22%: −0.14 points
    assert "预算执行率98.08%，比上年下降0.14个百分点" in sentence
    # A11 (renamed, same 编号): 10 × 98.08% → 9.81 (9.8077), last year 9.82; 履职效能 49.82 → 49.81;
    # 管理效率 47.00 both years; 总分 96.82 → 96.81: −0.01, 0.01 / 96.82 = 0.0103% → 0.01%
    assert "履职效能得分49.81分，比上年减少0.01分" in sentence and "管理效率得分47.00分，与上年持平" in sentence
    assert "总分96.81分，比上年减少0.01分（下降0.01%）" in sentence
    assert "指标“部门预算资金支出率”（A11）更名为“部门预算执行率”，按编号与上年比较。" in sentence
    assert "本年新增花都区妇幼保健院。上年的花都区卫生监督所本年不再列入。" in sentence
    assert result.quoted["部门预算执行率得分增减"].text == "-0.01"
    assert main(["--root", str(project), "diff", "huadu"]) == 0
    out = capsys.readouterr().out
    assert "| A11 | 部门预算资金支出率 | 部门预算执行率 |" in out
    assert "- 本年新增：花都区妇幼保健院" in out and "- 本年不再列入：花都区卫生监督所" in out
    assert "| A11 | 部门预算执行率（上年为“部门预算资金支出率”） | 10.00 | 9.82 | 9.81 | -0.01 |" in out
    assert "| 总分 | 96.82 | 96.81 | -0.01 | -0.01% |" in out
