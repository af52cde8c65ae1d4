"""The 项目支出绩效自评表: default template built by python-docx, filled by docxtpl, read back with python-docx."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import TemplateError
from pipeline.report.form import fill_form
from tests.helpers import pdf_text, require_libreoffice, to_pdf
from tools.form_template import build_form_template


def indicator(level1, level2, name, target, actual, weight, points, reason=""):
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": weight, "points": points, "reason": reason}


CONTEXT = {
    "project": {"name": "高水平医院建设", "department": "韶关市卫生健康局", "implementer": "韶关市第一人民医院",
                "leader": "张三", "phone": "0751-8888888", "year": "2024"},
    "funds": [
        {"name": "年度资金总额", "initial": "3,000.00", "budget": "3,000.00", "actual": "1,775.96", "weight": "12",
         "rate": "59.20%", "points": "7.10"},
        {"name": "其中：当年财政拨款", "initial": "3,000.00", "budget": "3,000.00", "actual": "1,775.96", "weight": "",
         "rate": "59.20%", "points": ""},
        {"name": "上年结转资金", "initial": "0.00", "budget": "0.00", "actual": "0.00", "weight": "", "rate": "—",
         "points": ""},
        {"name": "其他资金", "initial": "0.00", "budget": "0.00", "actual": "0.00", "weight": "", "rate": "—",
         "points": ""},
    ],
    "goals": {"expected": "建设临床研究中心，引进和培养高层次人才，提升医疗技术水平和科研能力。",
              "achieved": "获批广东省博士后创新实践基地，新增省级临床重点专科2个，引进博士8名。"},
    "indicators": [
        indicator("产出指标", "数量指标", "立项国家自然科学基金项目数量", "≥10项", "1项", "6.67", "0.67",
                  "R&D <立项> 未达预期"),
        indicator("产出指标", "数量指标", "引进高层次人才数量", "≥5人", "8人", "6.67", "6.67"),
        indicator("产出指标", "质量指标", "新增省级临床重点专科", "≥2个", "2个", "6.67", "6.67"),
        indicator("产出指标", "质量指标", "发表SCI论文数量", "≥30篇", "42篇", "6.67", "6.67"),
        indicator("产出指标", "时效指标", "项目按期完成率", "=100%", "100%", "6.66", "6.66"),
        indicator("产出指标", "成本指标", "项目成本控制在预算内", "≤3,000万元", "1,775.96万元", "6.66", "6.66"),
        indicator("效益指标", "社会效益指标", "区域医疗服务能力提升", "明显提升", "明显提升", "15", "15.00"),
        indicator("效益指标", "可持续影响指标", "人才梯队建设", "持续完善", "持续完善", "15", "14.00",
                  "部分学科带头人尚未到位，下一年度加快引进"),
        indicator("满意度指标", "服务对象满意度指标", "患者满意度", "≥90%", "95%", "5", "5.00"),
        indicator("满意度指标", "服务对象满意度指标", "医务人员满意度", "≥90%", "92%", "5", "5.00"),
    ],
    "others": [{"level1": "资金使用", "level2": "事项管理", "name": "监管有效性", "weight": "8", "points": "8.00",
                "reason": ""}],
    "total_weight": "100", "total": "85.77", "grade": "良", "points": "85.77", "total_label": "总分", "converted": "",
    "signer": {"filler": "李四", "head": "王五", "date": "2025年3月20日"},
}


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "自评表.docx"
    path.write_bytes(build_form_template())
    return path


@pytest.fixture
def filled(template: Path) -> bytes:
    return fill_form(template, CONTEXT)


def tables(data: bytes):
    return Document(io.BytesIO(data)).tables


def texts(row) -> list[str]:
    return [cell.text for cell in row.cells]


def indicator_cells(data: bytes) -> list[list]:
    """The indicator table's rows, its page parts joined (each part repeats the header): header, then body rows,
    each row the cells (merged ones as their first cell) as python-docx gives them."""
    parts = [t for t in tables(data) if t.rows[0].cells[0].text == "一级指标"]
    rows = [[parts[0].cell(0, c) for c in range(len(parts[0].columns))]]
    for part in parts:
        rows += [[part.cell(r, c) for c in range(len(part.columns))] for r in range(1, len(part.rows))]
    return rows


def test_template_bytes_are_stable():
    assert build_form_template() == build_form_template()


def test_header_values(filled):
    header = tables(filled)[0]
    assert texts(header.rows[0]) == ["项目名称"] + ["高水平医院建设"] * 3
    assert texts(header.rows[1]) == ["主管部门", "韶关市卫生健康局", "实施单位", "韶关市第一人民医院"]
    assert texts(header.rows[2]) == ["项目负责人", "张三", "联系电话", "0751-8888888"]
    body = "\n".join(p.text for p in Document(io.BytesIO(filled)).paragraphs)
    assert "（2024年度）" in body
    assert "填报人：李四　　单位负责人：王五　　填报日期：2025年3月20日" in body


def test_funds_rows_in_order(filled):
    funds = tables(filled)[1]
    assert texts(funds.rows[0]) == ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert [row.cells[0].text for row in funds.rows[1:]] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert texts(funds.rows[1]) == ["年度资金总额", "3,000.00", "3,000.00", "1,775.96", "12", "59.20%", "7.10"]


def test_goals(filled):
    goals = tables(filled)[2]
    assert goals.cell(1, 1).text == CONTEXT["goals"]["expected"]
    assert goals.cell(1, 2).text == CONTEXT["goals"]["achieved"]


def test_indicator_rows(filled):
    rows = indicator_cells(filled)
    assert rows[0][0].text == "一级指标"
    assert len(rows) == 1 + len(CONTEXT["indicators"]) + len(CONTEXT["others"]) + 1
    for row, item in zip(rows[1:], CONTEXT["indicators"]):
        assert [c.text for c in row] == [item[k] for k in ("level1", "level2", "name", "target", "actual", "weight",
                                                           "points", "reason")]
    assert [c.text for c in rows[-2]] == ["资金使用", "事项管理", "监管有效性", "", "", "8", "8.00", ""]
    assert [c.text for c in rows[-1]] == ["总分"] * 5 + ["100", "85.77", "自评等级：良"]


def test_the_indicator_table_follows_the_goals_on_the_first_page(filled):
    """No forced page break after the goals: the table starts where they end and continues on the next page."""
    parts = [t for t in tables(filled) if t.rows[0].cells[0].text == "一级指标"]
    assert len(parts) == 2 and len(parts[0].rows) > 2
    between = parts[0]._tbl.getprevious()
    while not between.tag.endswith("}tbl"):  # back to the goals table: no page break on the way
        assert not between.xpath(".//w:br[@w:type='page'] | .//w:pageBreakBefore")
        between = between.getprevious()


def test_hierarchy_cells_are_merged(filled):
    rows = indicator_cells(filled)
    level1 = [row[0]._tc for row in rows[1:11]]
    level2 = [row[1]._tc for row in rows[1:11]]
    parts = [t for t in tables(filled) if t.rows[0].cells[0].text == "一级指标"]
    starts = {sum(len(part.rows) - 1 for part in parts[:i]) for i in range(1, len(parts))}  # a part's first body row
    assert len(set(level1[0:6])) == 1 and len(set(level1[8:10])) == 1
    assert level1[6] is level1[7] or 7 in starts  # a group a page part cuts is merged again in the next part
    assert level1[0] is not level1[6] and level1[6] is not level1[8]
    assert level2[0] is level2[1] and level2[2] is level2[3] and level2[8] is level2[9]
    assert len({level2[i] for i in (0, 2, 4, 5, 6, 7, 8)}) == 7  # 时效/成本/社会/可持续 are runs of one
    assert rows[11][0]._tc is not level1[-1]  # 资金使用 is its own block
    # one copy of the text in a merged cell, not one per merged row
    assert rows[1][0].text == "产出指标" and rows[1][1].text == "数量指标"
    # the leaf column is never merged
    assert len({row[2]._tc for row in rows[1:11]}) == 10


def test_level2_runs_stay_within_level1(template):
    context = copy.deepcopy(CONTEXT)
    context["indicators"] = [indicator("产出指标", "数量指标", "甲", "1", "1", "5", "5"),
                             indicator("效益指标", "数量指标", "乙", "1", "1", "5", "5")]
    rows = indicator_cells(fill_form(template, context))
    assert rows[1][1]._tc is not rows[2][1]._tc


def test_ampersand_and_angle_brackets_survive(filled):
    table = tables(filled)[3]
    assert table.cell(1, 7).text == "R&D <立项> 未达预期"


def test_total_row(filled):
    total = indicator_cells(filled)[-1]
    assert total[0].text == "总分"
    assert "85.77" in [c.text for c in total]
    assert total[7].text == "自评等级：良"


@pytest.mark.parametrize("drop, name", [(("signer", "head"), "head"), (("grade",), "grade")])
def test_missing_name_is_reported(template, drop, name):
    context = copy.deepcopy(CONTEXT)
    holder = context
    for key in drop[:-1]:
        holder = holder[key]
    del holder[drop[-1]]
    with pytest.raises(TemplateError) as caught:
        fill_form(template, context)
    message = str(caught.value)
    assert name in message and template.name in message


def test_same_input_same_bytes(template):
    assert fill_form(template, CONTEXT) == fill_form(template, CONTEXT)


@pytest.mark.slow
def test_libreoffice_opens_the_form(filled, tmp_path):
    require_libreoffice()
    docx = tmp_path / "form.docx"
    docx.write_bytes(filled)
    text = pdf_text(to_pdf(docx, tmp_path))
    for phrase in ("项目支出绩效自评表", "高水平医院建设", "85.77", "自评等级：良"):
        assert phrase in text, phrase


def test_the_filled_body_is_python_docx_elements_however_long_docxtpls_parse_lives(template, monkeypatch):
    # docxtpl parses the rendered body with a plain lxml parser; while a Python proxy of that parse lives (a frame or a
    # reference cycle not yet collected keeps it), the body read back was a plain element: document.tables failed
    from docxtpl import DocxTemplate
    kept = []
    real = DocxTemplate.map_tree

    def keeping(self, tree):
        kept.append(tree)
        real(self, tree)

    monkeypatch.setattr(DocxTemplate, "map_tree", keeping)
    assert tables(fill_form(template, CONTEXT))
