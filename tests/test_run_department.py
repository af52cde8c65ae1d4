"""The two example units reproduce the figures their published reports print (DOMAIN §6)."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from docx import Document

from pipeline.report.word.merged import is_indicator_table
from pipeline.run import build, check


def test_huadu_reproduces_published_scores(built):
    result, _ = built["huadu"]
    blocks = {b.name: b.points for b in result.scores.blocks}
    # 2023年度…总自评为96.82分…履职效能模块自评为49.82分，管理效率模块自评为47分
    assert result.scores.total == Decimal("96.82")
    assert blocks == {"履职效能": Decimal("49.82"), "管理效率": Decimal("47.00")}
    assert result.scores.grade == "优"
    # 实际财政拨款支出 163020.69 / 预算 165980.11 = 98.22%; 49.82 = 50 − 10 × (1 − 98.22%)
    assert result.figures.measures["预算执行率"].value == Decimal("0.9822")
    assert {leaf.id: leaf.lost for leaf in result.scores.deductions()} == {
        "A11": Decimal("0.18"), "B21": Decimal("1.00"), "B31": Decimal("2.00")}


def test_lianjiang_reproduces_published_scores(built):
    result, _ = built["lianjiang"]
    assert result.scores.total == Decimal("100.00")
    assert result.scores.grade == "优"
    measures = result.figures.measures
    assert measures["在职人员控制率"].value == Decimal("0.8235")  # 28 / 34, printed 82.35%
    assert measures["日常公用经费控制率"].value == Decimal("1.0000")  # 25.58 / 25.58
    assert measures["三公经费控制率"].value == Decimal("0.9639")  # 3.47 / 3.60


def test_lianjiang_differences_are_reported(built):
    result, folder = built["lianjiang"]
    gaps = {d.what: (d.declared, d.computed) for d in result.figures.differences}
    # 基本支出 8,720.09 + 项目支出 24,233.55 = 32,953.64, printed total 32,953.63
    assert gaps["决算数合计"] == (Decimal("32953.63"), Decimal("32953.64"))
    # the eleven spending categories sum to 32,939.82
    assert result.figures.spending_total == Decimal("32939.82")
    text = (folder / "report.md").read_text(encoding="utf-8")
    # reconciliation is the check report's: the report prints the figures its tables add up to, and no machine note
    assert "核对" not in text and "尾差" not in text and "未涵盖" not in text
    assert "合计32939.82万元" in text
    checks = (folder / "checks.md").read_text(encoding="utf-8")
    assert "| 决算数合计（填报数与按各单位明细计算） | 32953.63 | 32953.64 | +0.01 |" in checks
    assert "| 支出分类明细（决算数合计与各分类相加） | 32953.64 | 32939.82 | -13.82 |" in checks


def test_markdown_states_figures_and_score_table(built):
    result, folder = built["huadu"]
    text = (folder / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# 广州市花都区卫生健康局2023年度部门整体支出绩效自评报告\n")
    for phrase in ("自评得分96.82分", "自评等级为“优”", "履职效能（权重50分）自评49.82分，得分率99.64%",
                   "管理效率（权重50分）自评47.00分，得分率94.00%", "全年预算165980.11万元",
                   "决算支出163020.69万元，预算执行率98.22%", "扣0.18分", "扣1.00分", "扣2.00分",
                   "## 一、部门基本情况", "### （五）部门整体收支情况", "## 四、下一步改进措施",
                   "| 合计 | 146900.00 | 165980.11 | 163020.69 | 98.22% |"):
        assert phrase in text, phrase
    rows = [line for line in text.splitlines() if line.startswith("| ") and "（50分）" in line]
    assert len(rows) == len(result.scores.leaves()) == 16
    assert "| 合计 |  |  | 100 |  |  |  | 96.82 | 自评等级：优 |" in text


def test_docx_carries_the_same_figures_and_table(built):
    result, folder = built["huadu"]
    document = Document(str(folder / "report.docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    for phrase in ("自评得分96.82分", "得分率99.64%", "预算执行率98.22%", "扣0.18分", "广州市花都区卫生健康局"):
        assert phrase in body, phrase
    budget = document.tables[0]
    assert [c.text for c in budget.rows[-1].cells] == ["合计", "146900.00", "165980.11", "163020.69", "98.22%"]
    # the score table comes in page parts, each with the header row and its own merged 一级/二级 cells
    parts = [table for table in document.tables if is_indicator_table(table)]
    header = ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "评分标准", "得分", "扣分原因"]
    assert all([c.text for c in part.rows[0].cells] == header for part in parts)
    body = [row for part in parts for row in part.rows[1:]]
    assert len(body) == 16 + 1
    assert [row.cells[2].text for row in body[:-1]] == [leaf.name for leaf in result.scores.leaves()]
    for part in parts:  # rows of one 一级 within a part show the same (merged) cell
        rows = part.rows[1:]
        for upper, lower in zip(rows, rows[1:]):
            same = upper.cells[0].text == lower.cells[0].text
            assert (upper.cells[0]._tc is lower.cells[0]._tc) == same
    assert body[-1].cells[7].text == "96.82"


def test_scores_json_audits_every_leaf(built):
    result, folder = built["huadu"]
    data = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    assert data["总分"] == "96.82" and data["等级"] == "优"
    leaves = [leaf for block in data["指标"] for group in block["下级"] for leaf in group["下级"]]
    a11 = next(leaf for leaf in leaves if leaf["编号"] == "A11")
    assert a11["规则"] == "ratio" and a11["得分"] == "9.82" and a11["输入"]["比率"] == "98.22%"
    assert "扣0.18分" in a11["扣分原因"]


@pytest.mark.slow
def test_same_inputs_give_same_bytes(project):
    _, first = build(project, "huadu")
    before = {p.name: p.read_bytes() for p in first}
    _, second = build(project, "huadu")
    assert {p.name: p.read_bytes() for p in second} == before


@pytest.mark.slow
def test_one_changed_fact_flows_through_everything(project):
    facts = project / "inputs/huadu/2023/indicators.csv"
    text = facts.read_text(encoding="utf-8")
    # 户籍孕产妇死亡人数: target ≤ 0, now 3 deaths → completion 0/3 = 0% → 0 of 10 points
    facts.write_text(text.replace("A31,户籍孕产妇死亡人数,0,≤,人,0,", "A31,户籍孕产妇死亡人数,0,≤,人,3,"), encoding="utf-8")
    result, written = build(project, "huadu")
    assert result.scores.total == Decimal("86.82")  # 96.82 − 10
    assert result.scores.grade == "良"
    assert result.scores.blocks[0].points == Decimal("39.82")
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    for phrase in ("自评得分86.82分", "自评等级为“良”", "履职效能（权重50分）自评39.82分，得分率79.64%",
                   "“户籍孕产妇死亡人数”（权重10分）自评0.00分", "实际3人", "未实现预期目标",
                   "| 合计 |  |  | 100 |  |  |  | 86.82 | 自评等级：良 |"):
        assert phrase in report, phrase
    assert "96.82" not in report


def test_check_writes_nothing(project):
    result = check(project, "lianjiang")
    assert result.scores.total == Decimal("100.00")
    assert not (project / "output").exists()
