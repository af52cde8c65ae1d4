"""Column widths planned from a table's text (em of the table's font), checked against hand counts."""
from __future__ import annotations

import numpy as np
import pytest
from docx.oxml import parse_xml
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.report.word import widths
from pipeline.report.word.layout import cell_text, clusters, count_lines, line_count, paragraph_text
from pipeline.report.word.widths import NAME_EM, QUARTER, lines_by_width, plan_widths

CRITERIA = "完成目标值得满分，未完成的按完成比例计分，低于60%不得分，" * 3


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("预算编制科学性", 3.5, 3),  # 3 characters a line once 0.3 em is kept free at its end: 3 + 3 + 1
    ("预算编制科学性", 5.0, 2),  # 4 + 3
    ("预算编制科学性", 7.5, 1),
    # the number (9 × 0.56 = 5.04 em) is cut only because it is wider than the 3.7 em line: 3.7 em on the
    # first, 1.34 em + 万 (1 + 0.25 between Latin and Chinese) + 元 = 3.59 em on the second
    ("163020.69万元", 4.0, 2),
])
def test_line_count_by_hand(text, width, lines):
    assert line_count(text, width) == lines


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARAGRAPHS = [
    "<w:p {ns}/>",
    "<w:p {ns}><w:pPr><w:jc w:val='center'/></w:pPr><w:r><w:t>预算</w:t></w:r><w:r><w:t xml:space='preserve'> 执行率 </w:t></w:r></w:p>",
    # a line break, a page break (no text), a carriage return, a tab, a non-breaking hyphen, a positional tab
    "<w:p {ns}><w:r><w:t>一</w:t><w:br/><w:t>二</w:t><w:br w:type='page'/><w:cr/><w:tab/><w:noBreakHyphen/>"
    "<w:ptab w:relativeTo='margin' w:alignment='left' w:leader='none'/><w:t>三</w:t></w:r></w:p>",
    # runs inside a link, a bookmark and a field mark between runs
    "<w:p {ns}><w:bookmarkStart w:id='0' w:name='a'/><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
    "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>5</w:t></w:r></w:p>",
]


@pytest.mark.parametrize("xml", PARAGRAPHS)
def test_paragraph_text_is_the_text_python_docx_reads(xml):
    """Read without python-docx's XPath queries, for speed; the same text, whatever the paragraph holds."""
    p = parse_xml(xml.format(ns=W_NS))
    assert paragraph_text(p) == Paragraph(p, None).text
    tc = parse_xml(f"<w:tc {W_NS}><w:tcPr/>{xml.format(ns='')}<w:p><w:r><w:t>第二段</w:t></w:r></w:p></w:tc>")
    assert cell_text(tc) == _Cell(tc, None).text


# what a cell holds: Chinese, digits and Latin words, the characters a line may not start or end with, spaces
TEXT = st.text(st.sampled_from(list("预算执行率满分（）《》，。、；：%.,0123456789AbZ -/") + ["\n"]), max_size=60)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6), st.integers(1, 40), st.integers(1, 120))
def test_lines_at_many_widths_are_those_counted_one_width_at_a_time(cells, narrowest, widths):
    """The planner counts every width at once; each count is the one count_lines gives, paragraph by paragraph."""
    pieces = [[clusters(part) for part in text.split("\n")] for text in cells]
    quarters = np.arange(narrowest, narrowest + widths)
    counted = lines_by_width(pieces, quarters * QUARTER)
    assert counted.tolist() == [[sum(count_lines(p, int(q) * QUARTER) for p in cell) for q in quarters]
                                for cell in pieces]


def test_a_name_column_is_not_squeezed_where_it_costs_no_height():
    """Rows whose height is set by their long criteria: once the criteria are as short as they get, the name's
    own lines count, and as a name column it gets NAME_EM at least."""
    texts = [["三级指标", "评分标准"]] + [["预算编制科学性", CRITERIA]] * 4
    named = plan_widths(texts, 30.0, {}, frozenset({0}))
    assert NAME_EM <= named[0]
    assert sum(named) == pytest.approx(30.0)
    assert line_count("预算编制科学性", named[0]) <= 2


def test_a_short_name_keeps_its_own_width():
    """"产出" needs 2 em and a little: no column is widened past its widest text to reach NAME_EM."""
    texts = [["一级", "评分标准"]] + [["产出", CRITERIA]] * 3
    named = plan_widths(texts, 30.0, {}, frozenset({0}))
    assert named[0] < NAME_EM


def test_a_name_column_stays_narrow_where_widening_it_makes_the_table_taller():
    """On a 9 em table, a 5 em name leaves the criteria 4 em: far more lines than the 3 % the name may cost."""
    texts = [["三级指标", "评分标准"]] + [["预算编制科学性", CRITERIA]] * 4
    named = plan_widths(texts, 9.0, {}, frozenset({0}))
    assert named[0] < NAME_EM and sum(named) == pytest.approx(9.0)


@pytest.mark.parametrize("budget", [64, 4000])  # trials a column at a time; two or more columns together
def test_a_table_of_thousands_of_rows_is_planned_in_batches_to_the_same_widths(monkeypatch, budget):
    """Past ARRAY_CELLS numbers, lines are counted and trial widths measured a few at a time (memory stays
    bounded for a hostile table of thousands of rows or a cell of 30,000 characters); the widths are the same."""
    # merged labels longer than their runs' rows are tall, in two columns, so each column's own labels count
    texts = [["一级指标", "二级指标", "三级指标", "分值", "评分标准"]] + [
        ["产出与效益" * (1 + row // 20), f"第{row // 2}组项目产出数量与质量的二级指标", "指标" + "甲" * (row % 9), "5",
         CRITERIA[:row % 60] + "分"] for row in range(40)]
    merged = {0: [(1, 20), (21, 20)], 1: [(first, 2) for first in range(1, 41, 2)]}
    whole = plan_widths(texts, 40.0, merged, frozenset({2}))
    monkeypatch.setattr(widths, "ARRAY_CELLS", budget)
    assert plan_widths(texts, 40.0, merged, frozenset({2})) == whole


HEADER = ["一级指标", "二级指标", "三级指标", "四级指标", "分值", "得分"]


@pytest.mark.parametrize(("rows", "columns"), [
    # three levels in a four-level table: the leaves stand in 三级, 四级 blank; the total row is no leaf
    ([["部门管理", "资产管理", "资产配置合规性", "", "4", "4.00"], ["合计", "", "", "", "100", "80.67"]], {2}),
    # mixed depths: leaves in 二级, 三级 and 四级
    ([["部门管理", "资金管理", "预算执行与经费控制", "预算执行率", "6", "5.48"],
      ["部门管理", "资产管理", "资产配置合规性", "", "4", "4.00"],
      ["部门决策", "目标设定", "", "", "5", "5.00"]], {1, 2, 3}),
    # only the total row: the last level column, as before
    ([["合计", "", "", "", "100", "80.67"]], {3}),
])
def test_leaf_columns_by_hand(rows, columns):
    from pipeline.report.word.tables import leaf_columns

    assert leaf_columns([HEADER] + rows) == columns


def _table_lines(texts: list[list[str]], widths_em: list[float]) -> int:
    """Lines of a table without merged cells: each row as tall as its tallest cell."""
    return sum(max(count_lines(clusters(cell), w) for cell, w in zip(row, widths_em)) for row in texts)


def test_header_words_held_and_two_tall_columns_solved_together():
    # a unit unlike the bundled ones: 40 leaves, long names, a rule and a reason of 30 characters on every row, so
    # widening the rule alone or the reason alone saves nothing: both must grow at once. The header words
    # ("实际完成值" 5 em, "一级指标" 4 em) fit the 44 em together with what the rows need.
    header = ["一级指标", "三级指标", "分值", "实际完成值", "评分标准", "扣分原因"]
    rule, reason = "完成年度目标得满分，每低于目标一个百分点扣零点一分", "部分乡镇卫生院人员不足，随访未按季度完成到位"
    rows = [[f"产出{i}", f"城乡居民公共卫生服务第{i}项任务完成率", "2", "98%", rule, reason] for i in range(40)]
    words = [4.0, 4.0, 2.0, 5.0, 4.0, 4.0]
    got = plan_widths([header] + rows, 44.0, {}, frozenset({1}), words)
    assert abs(sum(got) - 44.0) < 1e-6
    for word, width in zip(words, got):
        assert width >= word + 0.3 - 1e-9  # a header word on one line (0.3 em: a line's slack)
    # by hand (10 em = 10 characters, 0.3 em of slack a line): two lines a row would need the name (19 characters)
    # 9.8 em, the rule (25) 12.8, the reason (22) 11.3, with the header words 4.3 + 2.3 + 5.3: 45.8 > 44. Three lines
    # a row fit (7.0 + 9.0 + 7.6 + 11.9 = 35.5 em), so the table is 3 lines a row, no more.
    assert _table_lines(rows, got) == 40 * 3
