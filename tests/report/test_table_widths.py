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
from pipeline.report.word.layout import clusters, count_lines, header_words, line_count
from pipeline.report.word.reads import cell_text, paragraph_text
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
    # an empty w:t, a run with properties only, a comment inside a run
    "<w:p {ns}><w:r><w:t/><w:t>甲</w:t></w:r><w:r><w:rPr><w:b/></w:rPr></w:r><w:r><!-- 注 --><w:t>乙</w:t></w:r></w:p>",
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
    got = plan_widths([[header_words(text) for text in header]] + rows, 44.0, {}, frozenset({1}))
    assert abs(sum(got) - 44.0) < 1e-6
    for word, width in zip(words, got):
        assert width >= word + 0.3 - 1e-9  # a header word on one line (0.3 em: a line's slack)
    # by hand (10 em = 10 characters, 0.3 em of slack a line): two lines a row would need the name (19 characters)
    # 9.8 em, the rule (25) 12.8, the reason (22) 11.3, with the header words 4.3 + 2.3 + 5.3: 45.8 > 44. Three lines
    # a row fit (7.0 + 9.0 + 7.6 + 11.9 = 35.5 em), so the table is 3 lines a row, no more.
    assert _table_lines(rows, got) == 40 * 3


# a nine-column budget table on a portrait page, its headers long, unlike any table of ours
NINE = ["项目名称", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "预算执行率", "分值", "得分",
        "偏差原因分析", "改进措施"]
NINE_ROW = ["城区第一小学", "1234.56", "1300.00", "1250.40", "96.18%", "10", "9.62", "部分项目因招标延期未能按期支付",
            "加快项目前期工作"]


@pytest.mark.parametrize(("total", "whole"), [
    # by hand, each column's least width (its widest piece + 0.3 em, up to a quarter) summed. Runs of six held whole:
    # 4.5 + 5.5 × 4 (年初预算数 …, 预算执行率) + 2.5 × 2 + 6.5 (偏差原因分析) + 4.5 = 42.5 em
    (42.5, 6), (42.4, 4),
    # runs of four whole, longer ones as 年初/预算数, 预算/执行率 (3 em; its body 96.18% is 3.25 em + 0.3 → 3.75),
    # 偏差/原因/分析: 4.5 + 4.5 × 3 (（万元） 4 em) + 3.75 + 2.5 × 3 + 4.5 = 33.75 em
    (33.75, 4), (33.7, 0),
    # words of two or three: 项目/名称 and 改进/措施 2.5 each: 2.5 + 13.5 + 3.75 + 2.5 × 4 = 29.75 em; less: the last tier
    (29.75, 0), (20.0, 0),
])
def test_header_tier_by_hand(total, whole):
    assert widths.header_tier([NINE, NINE_ROW, NINE_ROW], total) == whole


@pytest.mark.parametrize("total", [45.0, 40.0, 31.0])
def test_every_header_word_of_a_nine_column_table_keeps_its_column(total):
    """Whatever the body wants, each column is at least as wide as the widest header word of its tier."""
    rows = [NINE_ROW[:7] + [NINE_ROW[7] * 3, NINE_ROW[8] * 2]] * 30  # long reasons that want every em they can get
    whole = widths.header_tier([NINE] + rows, total)
    header = [header_words(text, whole) for text in NINE]
    got = plan_widths([header] + rows, total, {})
    assert sum(got) == pytest.approx(total)
    for text, width in zip(header, got):
        assert width >= max(clusters(text)) + 0.3 - 1e-9, (text, width)


LEVELS = ["一级指标", "二级指标", "三级指标", "四级指标", "分值", "指标值", "实际完成值", "评分标准", "得分", "扣分原因"]


def test_a_landscape_four_level_table_holds_its_header_words_though_the_criteria_want_the_room():
    """57 em (a landscape page at 10.5 pt): the header words need 4.5 × 4 + 2.5 + 3.5 + 5.5 + 4.5 + 2.5 + 4.5 = 41 em;
    the criteria and reasons of 60 characters want all of it, and a table held to its header words is taller by more
    than a fifth; the words are held all the same."""
    rows = [["产出指标", f"数量指标{i // 4}", f"重点任务第{i // 2}组", f"城乡居民健康档案规范化电子建档率第{i}项", "2.5",
             "≥95%", "96.3%", CRITERIA * 2, "2.41", "部分乡镇卫生院人员不足，随访未按季度完成到位" * 2] for i in range(24)]
    merged = {0: [(1, 24)], 1: [(1 + 4 * k, 4) for k in range(6)], 2: [(1 + 2 * k, 2) for k in range(12)]}
    assert widths.header_tier([LEVELS] + rows, 57.0) == 6
    header = [header_words(text) for text in LEVELS]
    got = plan_widths([header] + rows, 57.0, merged, frozenset({3}))
    for text, width in zip(LEVELS, got):
        assert width >= len(text) + 0.3 - 1e-9, (text, width)  # every header a run of Chinese, one em a character


def _header_row(texts: list[list[str]]):
    """A w:tr whose cells hold these runs (bold, as style_tables sets a header)."""
    cells = "".join("<w:tc><w:p>" + "".join(f"<w:r><w:rPr><w:b/></w:rPr><w:t>{run}</w:t></w:r>" for run in runs)
                    + "</w:p></w:tc>" for runs in texts)
    return parse_xml(f"<w:tr {W_NS}>{cells}</w:tr>")


def test_a_header_that_wraps_is_broken_between_its_words():
    """LibreOffice breaks Chinese anywhere, word joiners or not: a header that wraps gets its breaks from the plan, in
    balanced lines; one with a character to spare keeps its text. Runs cut inside a word are joined."""
    from pipeline.report.word.line_breaks import hold_words

    tr = _header_row([["其中：基", "本支出"], ["预算执行率（%）"], ["实际完成值"], ["一级指标"]])
    # 4.9 em: 其中： / 基本支出 (7 em in one line does not fit); 5.5 em: 预算执行率 (5) / （%） (1 + 1 + 1);
    # 3.5 em at the tier of four: 实际 / 完成值; 5.0 em: 一级指标 fits with a character to spare
    hold_words(tr, 6, [4.9, 5.5, 3.5, 5.0])
    hold_words(_header_row([]), 6, [])  # no cells: nothing to do
    texts = [_Cell(tc, None).paragraphs[0].text for tc in tr.tc_lst]
    assert texts[:2] == ["其中：\n基本支出", "预算执行率\n（%）"]
    assert texts[3] == "一级指标"
    tr = _header_row([["实际完成值"]])
    hold_words(tr, 4, [3.5])
    assert _Cell(tr.tc_lst[0], None).paragraphs[0].text == "实际\n完成值"


@pytest.mark.parametrize(("text", "whole", "words"), [
    ("预算执行率（%）", 6, ["预算执行率", "（%）"]),
    ("预算执行率", 4, ["预算", "执行率"]),  # an odd run ends on a word of three: 率, 值, 数 end a word
    ("一级指标", 0, ["一级", "指标"]),
    ("当年财政拨款", 4, ["当年", "财政", "拨款"]),
    ("偏差原因分析及改进措施", 6, ["偏差", "原因", "分析及", "改进", "措施"]),  # a conjunction ends the word before it
    ("资金拨付及时率", 6, ["资金", "拨付", "及时率"]),  # 及时 is no conjunction
    ("其中：基本支出", 6, ["其中：", "基本支出"]),
])
def test_header_words_by_hand(text, whole, words):
    from pipeline.report.word.layout import pieces

    assert pieces(header_words(text, whole)) == words


def test_a_name_ending_on_one_character_takes_the_room_a_number_column_spares():
    """By hand: 学生资助政策落实覆盖率 (11 characters) in 5.3 em holds 5 a line (0.3 em kept free): 5 + 5 + 1, 率 alone.
    At 6 characters a line, 6 + 5, whatever the client's rounding up to 0.3 em: the column takes 6.3 em, one em from
    the number column, whose 20 still takes one line. Where the number column has no em to spare, nothing moves."""
    texts = [["四级指标", "分值"], ["学生资助政策落实覆盖率", "20"]]
    assert widths.last_lines_whole(texts, [5.3, 10.0], frozenset({0})) == pytest.approx([6.3, 9.0])
    assert widths.last_lines_whole(texts, [5.3, 2.5], frozenset({0})) == [5.3, 2.5]
    full = [["四级指标", "评分标准"], ["学生资助政策落实覆盖率", "完成目标值得满分"]]  # 8 em of rule: one line in 8.3, two in 7.3
    assert widths.last_lines_whole(full, [5.3, 8.3], frozenset({0})) == [5.3, 8.3]


def test_the_room_for_a_last_character_is_gathered_from_several_columns():
    """预算编制规范性 (7 em) in 6.5 em: 6 + 1. One line takes 7.3 em: 0.8 more. Each other column may narrow to its
    header (分值, 得分: 2 em + 0.3) with no cell taking another line: from 2.8 each, 0.5 + 0.5 cover it (0.5 from
    the first, 0.3 from the other); from 2.6 each, 0.3 + 0.3 do not, and nothing moves."""
    texts = [["三级指标", "分值", "得分"], ["预算编制规范性", "10", "9.75"]]
    got = widths.last_lines_whole(texts, [6.5, 2.8, 2.8], frozenset({0}))
    assert got == pytest.approx([7.3, 2.3, 2.5], abs=0.05) and sum(got) == pytest.approx(12.1)  # tried by 0.05 em
    assert widths.last_lines_whole(texts, [6.5, 2.6, 2.6], frozenset({0})) == [6.5, 2.6, 2.6]
