"""不适用: a framework of three leaves, one marked 不适用. Every table prints the framework's weights as published, the
leaf that does not apply in its row with 不适用, a 合计 the rows add up to, and the 总分 worked out from it. By hand:

  预算执行率 (A1, 20): spent 305.60 + 118.40 + 20.00 = 444.00 of 320.00 + 120.00 + 25.00 = 465.00 = 95.48%
                       × 20 = 19.096… → 19.10
  接种人数 (B1, 50):    900 of ≥ 1000 = 90% × 50 = 45.00
  满意度 (B2, 30):      不适用
  合计 19.10 + 45.00 = 64.10 of 20 + 50 = 70 that apply; 总分 64.10 ÷ 70 × 100 = 91.571… → 91.57 → 优
"""
from __future__ import annotations

from decimal import Decimal

import docx
import pytest

from pipeline.report.score_table import score_table
from pipeline.run import build
from tests.conftest import copy_inputs
from tests.helpers import edit, outputs

FRAMEWORK = """\
名称: 三项指标测试体系
适用: project
生效日期: 2020-01-01
来源: 测试用评价体系（虚构）
指标:
  - 编号: A
    名称: 投入
    权重: 20
    下级:
      - {编号: A1, 名称: 预算执行率, 权重: 20, 规则: {类型: ratio, 测算指标: 预算执行率}, 评分标准: 预算执行率×20分}
  - 编号: B
    名称: 产出效益
    权重: 80
    下级:
      - {编号: B1, 名称: 接种人数, 权重: 50, 规则: {类型: completion}, 评分标准: 按完成率计分}
      - {编号: B2, 名称: 满意度, 权重: 30, 规则: {类型: completion}, 评分标准: 按完成率计分}
"""

FACTS = """\
指标编号,指标名称,目标值,比较符,计量单位,实际值,说明,偏差原因,不适用原因
A1,预算执行率,,,,,结转资金年末未付完,,
B1,接种人数,1000,≥,人,900,接种人数未达目标,部分门诊停诊改造,
B2,满意度,,,,,,,本年度未开展满意度调查
"""


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    root = copy_inputs(tmp_path_factory.mktemp("three"))
    folder = root / "inputs" / "example-cdc" / "2024"
    (folder / "frameworks").mkdir()
    (folder / "frameworks" / "three.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (folder / "indicators.csv").write_text(FACTS, encoding="utf-8")
    edit(folder / "unit.yaml", "评价体系: national-project-2020", "评价体系: three")
    text = (folder / "unit.yaml").read_text(encoding="utf-8")  # its 问题清单 names indicators this framework has not
    (folder / "unit.yaml").write_text(text[:text.index("问题清单:")], encoding="utf-8")
    result, written = build(root, "example-cdc", formats=("md", "docx"), charts=False)
    return result, written[0].parent


def test_weights_stay_and_the_total_is_worked_out(three):
    result, _ = three
    scores = result.scores
    assert {leaf.id: (leaf.weight, leaf.points) for leaf in scores.leaves()} == {
        "A1": (20, Decimal("19.10")), "B1": (50, Decimal("45.00"))}
    assert [(b.name, b.weight, b.points) for b in scores.blocks] == [("投入", 20, Decimal("19.10")),
                                                                     ("产出效益", 80, Decimal("45.00"))]
    assert scores.blocks[1].applicable == 50 and scores.blocks[1].lost == 5
    assert scores.scored == Decimal("64.10") and scores.applicable == 70
    assert scores.total == Decimal("91.57") and scores.grade == "优"


def test_the_score_table_adds_up(three):
    result, _ = three
    table = score_table(result.scores, result.inputs.facts, result.inputs.framework, "总分")
    keys = [c.key for c in table.columns]
    cell = lambda row, key: row[keys.index(key)]  # noqa: E731
    assert [(row[1], cell(row, "分值"), cell(row, "得分")) for row in table.rows] == [
        ("预算执行率", "20", "19.10"), ("接种人数", "50", "45.00"), ("满意度", "30", "不适用")]
    assert table.rows[2][0] == "产出效益（80分）"  # the published weight, not the 50 that applies
    subtotal, total = table.totals
    # 分值 20 + 50 + 30 = 100; 得分 19.10 + 45.00 = 64.10; then 64.10 ÷ 70 × 100 = 91.57
    assert (subtotal[0], cell(subtotal, "分值"), cell(subtotal, "得分")) == ("合计", "100", "64.10")
    assert (total[0], cell(total, "分值"), cell(total, "得分")) == ("折算总分", "100", "91.57")
    assert "64.10÷70×100" in "".join(total) and "自评等级：优" in "".join(total)


def test_the_report_says_it_once(three):
    _, folder = three
    report, _, audit = outputs(folder)
    assert report.count("不适用，不计分") == 1 and "分值由" not in report
    assert ("以下指标本年度不适用，不计分：满意度（分值30分，本年度未开展满意度调查）；其余指标分值合计70分，"
            "得分64.10分，按100分折算为总分91.57分（64.10÷70×100）。") in report
    assert audit["总分"] == "91.57" and audit["得分合计"] == "64.10" and audit["适用指标分值"] == "70.00"
    [b] = [b for b in audit["指标"] if b["编号"] == "B"]
    assert b["下级"][1] == {"编号": "B2", "名称": "满意度", "权重": "30.00", "得分": "不适用",
                          "不适用原因": "本年度未开展满意度调查"}


def test_the_form_adds_up(three):
    _, folder = three
    document = docx.Document(str(folder / "自评表.docx"))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    [b2] = [row for row in rows if "满意度" in row]
    assert "30" in b2 and "不适用" in b2 and "不适用：本年度未开展满意度调查" in b2
    [last] = [row for row in rows if row[0] == "合计"]
    assert "100" in last and "64.10" in last
    assert "折算总分91.57分（64.10÷70×100）" in last[-1] and "自评等级：优" in last[-1]
