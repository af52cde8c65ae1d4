"""Project expenditure (项目支出) reports: the Shaoguan seed reproduced, the national framework, the standard form."""
from __future__ import annotations

from decimal import Decimal

import pytest
from docx import Document

from pipeline.run import build


def test_shaoguan_reproduces_published_total(built):
    result, _ = built["shaoguan"]
    # 最终评定绩效自评得分 85.77 分 = 7.10 + 8 + 32.67 + 38.00
    assert result.scores.total == Decimal("85.77")
    assert result.scores.grade == "良"
    assert [(b.name, b.points) for b in result.scores.blocks] == [
        ("资金管理", Decimal("7.10")), ("事项管理", Decimal("8.00")),
        ("产出指标", Decimal("32.67")), ("效益指标", Decimal("38.00"))]
    m = result.figures.measures
    assert m["资金到位率"].value == Decimal("0.7333")  # 2,200.00 / 3,000.00, printed 73.33%
    assert m["支出率"].value == Decimal("0.5920")  # 1,775.96 / 3,000.00 = 59.1987%, printed 59.19%
    assert m["到位资金支出率"].value == Decimal("0.8073")  # 1,775.96 / 2,200.00, printed 80.73%


def test_shaoguan_indicator_weights_split_evenly(built):
    result, _ = built["shaoguan"]
    output = next(b for b in result.scores.blocks if b.name == "产出指标")
    # 40 points over six 产出 indicators: 6.67 × 4 + 6.66 × 2; 指标1 10% → 0.67, 指标5 80% → 5.33
    assert [leaf.weight for leaf in output.leaves()] == [Decimal("6.67")] * 4 + [Decimal("6.66")] * 2
    assert [leaf.points for leaf in output.leaves()] == [
        Decimal("0.67"), Decimal("6.67"), Decimal("6.67"), Decimal("6.67"), Decimal("5.33"), Decimal("6.66")]
    assert output.lost == Decimal("7.33")  # 依据评分标准，本项扣 7.33 分


def test_shaoguan_report_follows_the_published_outline(built):
    _, folder = built["shaoguan"]
    text = (folder / "report.md").read_text(encoding="utf-8")
    outline = ["## 一、基本情况", "### （一）本年度评价资金额度", "#### 2.绩效指标", "## 二、自评情况", "### （一）自评结论",
               "##### （1）资金管理", "##### （2）三级绩效指标完成情况", "### （三）专项资金使用绩效存在的问题",
               "未达标原因：", "## 三、改进意见", "## 附表：项目绩效自评指标评分表"]
    positions = [text.index(heading) for heading in outline]
    assert positions == sorted(positions)
    for phrase in ("最终评定绩效自评得分85.77分", "自评等级为“良”", "资金到位率73.33%", "支出率59.20%",
                   "按到位资金计算的支出率80.73%", "资金管理指标权重12分，自评7.10分", "扣4.90分",
                   "2024年共设置绩效指标10个，其中产出指标6个，效益指标2个，满意度指标2个",
                   "实际完成1项，完成率10.00%，未实现预期目标", "完成率80.00%，基本实现预期目标",
                   "依据评分标准，本项扣7.33分", "预算执行率评价资金支出率59.20%，离支出要求有差距",
                   "| 合计 | 3,000.00 | 3,000.00 | 2,200.00 | 1,775.96 | 73.33% | 59.20% |",
                   "| 总分 |  |  |  |  | 100 | 85.77 | 自评等级：良 |"):
        assert phrase in text, phrase
    assert "59.19" not in text


def test_shaoguan_checks_list_the_printed_rate(built):
    result, folder = built["shaoguan"]
    checks = (folder / "checks.md").read_text(encoding="utf-8")
    assert "| 支出率 | 59.19% | 59.20% | +0.01% |" in checks
    # the seed printed 得分率 59.19% for 资金管理, whose score 7.10 / 12 is 59.17%
    assert "| 资金管理得分率 | 59.19% | 59.17% | -0.02% |" in checks
    assert len(result.checks) == 2


@pytest.mark.slow
def test_changed_actual_flows_into_rate_points_subtotal_total_and_text(project):
    facts = project / "inputs/shaoguan/2024/indicators.csv"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("P02,发表SCI论文数量,产出指标,数量指标,10,≥,篇,13,", "P02,发表SCI论文数量,产出指标,数量指标,10,≥,篇,5,"),
                     encoding="utf-8")
    result, written = build(project, "shaoguan")
    # 5 / 10 = 50.00%; 6.67 × 0.5 = 3.335 → 3.34; 产出 32.67 − 6.67 + 3.34 = 29.34; total 85.77 − 3.33 = 82.44
    assert result.scores.total == Decimal("82.44")
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    for phrase in ("实际完成5篇，完成率50.00%，未实现预期目标。得3.34分（权重6.67分），扣3.33分",
                   "产出指标。指标权重40分，自评得分29.34分，得分率73.35%", "依据评分标准，本项扣10.66分",
                   "最终评定绩效自评得分82.44分", "| 总分 |  |  |  |  | 100 | 82.44 | 自评等级：良 |"):
        assert phrase in report, phrase


def test_standard_form_is_filled_from_the_same_data(built):
    result, folder = built["shaoguan"]
    form = Document(str(folder / "自评表.docx"))
    header, funds, goals, indicators = form.tables
    assert header.cell(0, 1).text == "高水平医院建设" and header.cell(1, 3).text == "韶关市第一人民医院"
    rows = [[c.text for c in row.cells] for row in funds.rows[1:]]
    assert [r[0] for r in rows] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    total, parts = rows[0], rows[1:]
    for column in (1, 2, 3):  # 年初预算数, 全年预算数, 全年执行数: the total row is the sum of the rows under it
        assert Decimal(total[column].replace(",", "")) == sum(Decimal(p[column].replace(",", "")) for p in parts)
    assert total[1:] == ["3,000.00", "3,000.00", "1,775.96", "12", "59.20%", "7.10"]
    body = indicators.rows[1:-1]
    assert len(body) == 10 + 1  # ten indicators and 事项管理
    first_level = [row.cells[0]._tc for row in body]
    assert len({id(tc) for tc in first_level[:6]}) == 1  # 产出指标 merged over its six rows
    assert first_level[6] is not first_level[5]
    assert [c.text for c in indicators.rows[-1].cells][-3:] == ["100", "85.77", "自评等级：良"]


def test_national_framework_example_scores(built):
    result, folder = built["example-cdc"]
    # 预算执行率 444.00 / 465.00 = 95.48% → 9.55; 冷链 18/20 → 15 × 0.9 = 13.50; 采购 ≤10月, 11月 → 10/11 = 90.91% → 9.09
    assert [(b.name, b.points) for b in result.scores.blocks] == [
        ("预算执行", Decimal("9.55")), ("产出指标", Decimal("47.59")),
        ("效益指标", Decimal("30.00")), ("满意度指标", Decimal("10.00"))]
    assert result.scores.total == Decimal("97.14") and result.scores.grade == "优"
    assert (folder / "自评表.docx").exists() and (folder / "checks.md").exists()
