"""The 自评表 of a five-level project framework: three name columns as the national form has them, every level
on each row for a bureau's own form."""
from __future__ import annotations

from decimal import Decimal

import pytest
from docx import Document

from pipeline.report.form import form_context
from tests.test_run_deep import deep  # noqa: F401 (the fixture)


@pytest.mark.slow
def test_form_joins_the_middle_levels_in_its_second_column(deep):
    """The national form has three name columns: the top level, the levels between joined, the leaf."""
    _, folder = deep["project"]
    [funds, *parts] = [t for t in Document(folder / "自评表.docx").tables
                       if t.rows[0].cells[0].text in ("项目资金（万元）", "一级指标")]
    rows = [[cell.text for cell in row.cells] for row in parts[0].rows[:1]]
    rows += [[cell.text for cell in row.cells] for part in parts for row in part.rows[1:]]  # page parts joined
    names = [row[:3] for row in rows[1:-1]]
    # in tree order, the framework's own 产出 leaf first, with its target like the unit's indicators
    assert names[0] == ["绩效指标", "产出—产出指标", "采购计划完成率"] and rows[1][3:5] == ["≥100%", "100%"]
    assert ["绩效指标", "产出—产出指标—数量指标", "国家免疫规划疫苗接种剂次"] in names
    assert ["绩效指标", "效果—满意度指标—服务对象满意度指标", "受种者家长满意度"] in names
    # 预算执行率 stands on the funds row, not among the indicators; the total adds up
    assert not any("预算执行率" in "".join(row) for row in names)
    assert [funds.rows[1].cells[4].text, funds.rows[1].cells[6].text] == ["10", "9.55"]
    points = sum((Decimal(row[6]) for row in rows[1:-1]), Decimal(0))
    assert points + Decimal("9.55") == Decimal(rows[-1][6]) == Decimal("97.14")


def test_form_rows_list_every_level_for_a_bureaus_own_form(deep):
    """A bureau's form with more name columns reads them from `levels`, padded to the framework's depth."""
    result, _ = deep["project"]
    context = form_context(result, {})
    levels = {row["name"]: row["levels"] for row in context["indicators"]}
    assert levels["采购计划完成率"] == ("绩效指标", "产出", "产出指标", "采购计划完成率", "")
    assert levels["受种者家长满意度"] == ("绩效指标", "效果", "满意度指标", "服务对象满意度指标", "受种者家长满意度")
    assert context["others"] == ()  # 预算执行率 is on the funds row
