"""A bureau's 评分表 imported as a framework skeleton: tree and weights, 评分标准 kept, rules read from the text where they can be."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.errors import InputError
from pipeline.importer.criteria import rule_for
from pipeline.inputs.yaml_files import read_yaml
from pipeline.run import check

D = Decimal
HEADER = ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分标准", "得分", "扣分原因")
ROWS = (
    ("预算执行", "30", "预算执行率", "10", "预算执行率", "10", "预算执行率×10分", "9.82", ""),
    ("预算执行", "30", "预算调整", "10", "调剂比例", "10", "调剂比例超过10%的部分，每个百分点扣0.1分，扣完为止", "10", ""),
    ("预算执行", "30", "资产管理", "10", "资产管理规范性", "10", "每发现一项问题扣1分，扣完为止", "8", "发现2项问题"),
    ("履职效能", "70", "满意度", "20", "群众满意度", "20", "满意度≥95%得20分；90%（含）-95%得15分；80%-90%得10分；低于80%得5分",
     "15", ""),
    ("履职效能", "70", "重点工作", "50", "重点工作完成情况", "30", "按完成情况酌情打分", "28", "个别工作滞后"),
    ("履职效能", "70", "重点工作", "50", "项目完成及时率", "20", "项目完成及时率×分值", "20", ""),
)
# the framework these rows should give, by hand
EXPECTED_TREE = [
    ("A", "预算执行", "30", None), ("A1", "预算执行率", "10", None),
    ("A1.1", "预算执行率", "10", {"类型": "ratio", "测算指标": "预算执行率"}),
    ("A2", "预算调整", "10", None),
    ("A2.1", "调剂比例", "10", {"类型": "deduction", "测算指标": "调剂比例", "上限": "10", "每点扣分": "0.1"}),
    ("A3", "资产管理", "10", None), ("A3.1", "资产管理规范性", "10", {"类型": "deduction", "每项扣分": 1}),
    ("B", "履职效能", "70", None), ("B1", "满意度", "20", None),
    ("B1.1", "群众满意度", "20", {"类型": "tiers", "分档": [{"条件": ">= 95", "得分": 20}, {"条件": ">= 90", "得分": 15},
                                                      {"条件": ">= 80", "得分": 10}, {"得分": 5}]}),
    ("B2", "重点工作", "50", None), ("B2.1", "重点工作完成情况", "30", {"类型": "manual"}),
    ("B2.2", "项目完成及时率", "20", {"类型": "ratio", "测算指标": "项目完成及时率"}),
]
EXPECTED_FACTS = [("A1.1", "9.82", ""), ("A2.1", "10", ""), ("A3.1", "8", "发现2项问题"), ("B1.1", "15", ""),
                  ("B2.1", "28", "个别工作滞后"), ("B2.2", "20", "")]


def score_table_docx(path: Path, rows=ROWS, header=HEADER) -> Path:
    document = Document()
    document.add_paragraph("示例区卫生健康局2024年度部门整体支出绩效自评评分表")
    document.add_paragraph("单位名称：示例区卫生健康局")
    table = document.add_table(rows=len(rows) + 3, cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, values in enumerate(rows, 1):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    for c in (0, 1, 2, 3):  # 一级, 二级 and their 分值 merged down their groups, as such tables are printed
        top = 1
        for r in range(2, len(rows) + 2):
            if r == len(rows) + 1 or rows[r - 1][c] != rows[top - 1][c] or (c > 1 and rows[r - 1][2] != rows[top - 1][2]):
                if r - 1 > top:
                    keep = table.cell(top, c).text
                    table.cell(top, c).merge(table.cell(r - 1, c)).text = keep
                top = r
    bottom = len(rows) + 1
    table.cell(bottom, 0).text, table.cell(bottom, 1).text, table.cell(bottom, 7).text = "合计", "100", "90.82"
    table.cell(bottom + 1, 0).text, table.cell(bottom + 1, 1).text = "自评等级", "优"
    document.add_paragraph("注：评分标准由区财政局制定。")
    document.save(path)
    return path


def nodes(items, out=None):
    out = [] if out is None else out
    for item in items:
        out.append((item["编号"], item["名称"], str(item["权重"]), item.get("规则")))
        nodes(item.get("下级", []), out)
    return out


def test_a_department_score_table_becomes_a_framework_and_a_unit(project, tmp_path, capsys):
    path = score_table_docx(tmp_path / "评分表.docx")
    assert main(["--root", str(project), "import", str(path), "district"]) == 0
    out = capsys.readouterr().out
    folder = project / "inputs/district/2024"
    framework = read_yaml(folder / "frameworks/district-2024.yaml", "f").data
    assert framework["适用"] == "department" and framework["名称"] == "示例区卫生健康局2024年度部门整体支出绩效自评评分表"
    got = [(i, n, w, _plain(r)) for i, n, w, r in nodes(framework["指标"])]
    assert got == [(i, n, w, _plain(r)) for i, n, w, r in EXPECTED_TREE]
    leaves = {i: n for i, n in _leaves(framework["指标"])}
    assert leaves["A3.1"]["评分标准"] == "每发现一项问题扣1分，扣完为止"  # the bureau's words kept
    with open(folder / "indicators.csv", encoding="utf-8") as handle:
        assert [(r["指标编号"], r["自评得分"], r["说明"]) for r in csv.DictReader(handle)] == [
            (i, s, n or ("照录评分表中的得分，理由待补充" if i == "B2.1" else "")) for i, s, n in EXPECTED_FACTS]
    unit = read_yaml(folder / "unit.yaml", "u").data
    assert unit["单位名称"] == "示例区卫生健康局" and unit["评价体系"] == "district-2024" and unit["报告类型"] == "department"
    assert unit["已公布"] == {"总分": "90.82", "等级": "优"}
    assert "“重点工作完成情况”的评分标准未能识别为计分规则，按 manual" in out and "评分前还需补充" in out
    # a skeleton: valid, but the facts the rules score from are the unit's to enter, and check names each
    with pytest.raises(InputError) as caught:
        check(project, "district")
    messages = "\n".join(map(str, caught.value.problems))
    assert "预算执行率" in messages and "扣分项数" in messages and "实际值" in messages


def _plain(rule):
    """A rule with its numbers as text, so hand-written expectations compare whatever YAML made of them."""
    if isinstance(rule, dict):
        return {k: _plain(v) for k, v in rule.items()}
    if isinstance(rule, list):
        return [_plain(v) for v in rule]
    return None if rule is None else str(rule)


def _leaves(items):
    for item in items:
        if "下级" in item:
            yield from _leaves(item["下级"])
        else:
            yield item["编号"], item


def test_a_two_level_workbook_with_weights_in_labels(project, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2023年度项目支出绩效评分表"])
    sheet.append(["一级指标", "二级指标", "分值", "评分细则", "自评得分"])
    sheet.append(["决策（20分）", "目标设置", 10, "目标明确得10分，否则得0分", 10])
    sheet.append([None, "资金分配", 10, "每发现一处不合规扣2分", 6])
    sheet.append(["产出（50分）", "完成数量", 30, "实际完成数/计划数×分值", 27])
    sheet.append([None, "完成质量", 20, "合格率≥98%得20分，95%-98%得15分，其余得0分", 20])
    sheet.append(["效益（30分）", "社会效益", 30, "由评价组综合评定", 25])
    sheet.append(["合计", None, 100, None, 88])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("A5:A6")
    book.save(tmp_path / "评分表.xlsx")
    assert main(["--root", str(project), "import", str(tmp_path / "评分表.xlsx"), "proj"]) == 0
    framework = read_yaml(project / "inputs/proj/2023/frameworks/proj-2023.yaml", "f").data
    assert framework["适用"] == "project"  # 产出 and 效益 among the first-level names
    assert [(i, n, w, _plain(r)) for i, n, w, r in nodes(framework["指标"])] == [
        ("A", "决策", "20", None), ("A1", "目标设置", "10", {"类型": "manual"}),  # no bound to read: manual
        ("A2", "资金分配", "10", {"类型": "deduction", "每项扣分": "2"}),
        ("B", "产出", "50", None), ("B1", "完成数量", "30", {"类型": "ratio"}),
        ("B2", "完成质量", "20", {"类型": "tiers", "分档": [{"条件": ">= 98", "得分": "20"}, {"条件": ">= 95", "得分": "15"},
                                                      {"得分": "0"}]}),
        ("C", "效益", "30", None), ("C1", "社会效益", "30", {"类型": "manual"}),
    ]
    unit = read_yaml(project / "inputs/proj/2023/unit.yaml", "u").data
    assert unit["已公布"] == {"总分": "88"} and unit["年度"] == "2023"  # numbers read back as exact text
    assert (project / "inputs/proj/2023/funds.csv").read_text(encoding="utf-8").startswith("资金来源,资金性质")


def test_weights_that_do_not_add_up_are_refused_at_the_row(project, tmp_path, capsys):
    rows = list(ROWS)
    rows[0] = rows[0][:5] + ("12",) + rows[0][6:]  # 预算执行率 12 under a 二级 of 10
    path = score_table_docx(tmp_path / "评分表.docx", rows=rows)
    assert main(["--root", str(project), "import", str(path), "district"]) == 2
    err = capsys.readouterr().err
    assert "评分表.docx 表1第2行 分值：“预算执行率”印的分值 10 与其下级指标分值之和 12 不符" in err
    assert not (project / "inputs/district").exists()


@pytest.mark.parametrize("text, weight, rule", [
    ("预算执行率×10分", 10, {"类型": "ratio", "测算指标": "预算执行率"}),
    ("得分=实际完成数/计划完成数*6", 6, {"类型": "ratio"}),
    ("按完成率乘以该项分值计分", 5, {"类型": "ratio"}),
    ("每发现一项问题扣1分，扣完为止", 5, {"类型": "deduction", "每项扣分": D(1)}),
    ("一项不合规扣0.5分", 2, {"类型": "deduction", "每项扣分": D("0.5")}),
    ("调剂比例超过10%的部分，每个百分点扣0.1分", 2, {"类型": "deduction", "测算指标": "调剂比例", "上限": D(10), "每点扣分": D("0.1")}),
    ("满意度≥95%得6分；90%-95%得4分；80%-90%得2分；<80%得1分", 6,
     {"类型": "tiers", "分档": [{"条件": ">= 95", "得分": D(6)}, {"条件": ">= 90", "得分": D(4)}, {"条件": ">= 80", "得分": D(2)},
                               {"得分": D(1)}]}),
    ("编外人员控制率<5%得1分，5%-10%得0.5分，>10%得0分", 1,
     {"类型": "tiers", "测算指标": "编外人员控制率",
      "分档": [{"条件": "< 5", "得分": D(1)}, {"条件": "<= 10", "得分": D("0.5")}, {"得分": D(0)}]}),
    ("不超过10%得2分，超过10%不得分", 2, {"类型": "tiers", "分档": [{"条件": "<= 10", "得分": D(2)}, {"得分": D(0)}]}),
    ("达到95%以上得满分，否则不得分", 4, {"类型": "tiers", "分档": [{"条件": ">= 95", "得分": D(4)}, {"得分": D(0)}]}),
    ("≥95%得6分，90%-95%得4分", 6, {"类型": "tiers", "分档": [{"条件": ">= 95", "得分": D(6)}, {"条件": ">= 90", "得分": D(4)},
                                                        {"得分": D(0)}]}),
    # no rule the tool knows, or one that cannot fit the weight: manual
    ("按实际完成情况酌情打分", 3, None),
    ("≥95%得8分，90%-95%得4分", 6, None),
    ("每个百分点扣0.1分", 2, None),
    ("", 2, None),
    ("预算执行率×分值，调整率高于20%的，得分×0.8", 10, {"类型": "ratio", "测算指标": "预算执行率"}),
])
def test_criteria_text_to_rule(text, weight, rule):
    assert rule_for(text, D(weight)) == rule


def test_unreadable_rows_are_all_named_and_nothing_is_written(project, tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "十分"  # weight in words
    rows[4][7] = "二十八"  # score in words
    rows[5][5] = ""  # no weight
    path = score_table_docx(tmp_path / "评分表.docx", rows=[tuple(r) for r in rows])
    assert main(["--root", str(project), "import", str(path), "district"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("输入有误，共 3 处，未生成任何文件：")
    assert "评分表.docx 表1第3行 分值：无法读取这个数字（当前值：'十分'）；本行内容：预算执行 | 30 | 预算调整 | 10 | 调剂比例 | 十分" in err
    assert "评分表.docx 表1第6行 得分：无法读取这个数字（当前值：'二十八'）" in err
    assert "评分表.docx 表1第7行：无法读取这一行：缺少分值（当前值：'履职效能 | 70 | 重点工作 | 50 | 项目完成及时率 | 项目完成及时率×分值" in err
    assert not (project / "inputs/district").exists()


def test_a_whole_report_imports_its_score_table_not_its_budget_table(built, project, capsys):
    """A report this program printed (a unit bringing last year's): its budget table (年初预算数, 全年预算数,
    no 分值 or 得分) is not a 自评表's funds header, so the document is read as a 评分表 and nothing crashes on
    the rows of its other, narrower tables. example-dept's has four levels and composite rules: 15 leaves in
    sichuan-dept.yaml, 政府采购执行率 printed with its weight and 不适用, read back as not applying; its 总分 is the
    折算总分 row's, not the 合计 above it."""
    for dept, year, leaves in (("huadu", 2023, 16), ("example-dept", 2024, 15)):
        report = built[dept][1] / "report.docx"
        assert main(["--root", str(project), "import", str(report), f"again-{dept}"]) == 0, capsys.readouterr()
        rows = (project / f"inputs/again-{dept}/{year}/indicators.csv").read_text(encoding="utf-8").splitlines()
        assert len(rows) - 1 == leaves
    absent = [row for row in rows if "政府采购执行率" in row]
    assert absent and absent[0].endswith(",本年度未安排政府采购预算,report.docx")
    assert "总分: 80.67" in (project / "inputs/again-example-dept/2024/unit.yaml").read_text(encoding="utf-8")
