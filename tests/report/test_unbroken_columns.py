"""A form's columns are widened for what must not break — a number ("100.00", never "100.0/0") and a short header
word ("分值") — taking the width from the column with the most to spare; the table keeps its width."""
from __future__ import annotations

from docx import Document
from docx.shared import Pt

from pipeline.report.word.layout import grid_widths
from pipeline.report.word.unbroken import unbroken_columns


def table_of(rows: list[list[str]], widths: list[int]):
    document = Document()
    table = document.add_table(rows=len(rows), cols=len(widths))
    for col, width in zip(table._tbl.tblGrid.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"), widths):
        col.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w", str(width))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            run = table.cell(r, c).paragraphs[0].add_run(text)
            run.font.size = Pt(10.5)
    return document, table


def test_a_total_score_column_is_widened_from_the_text_column():
    document, table = table_of([["指标名称", "分值", "得分"], ["合计", "100", "100.00"]], [4000, 500, 600])
    unbroken_columns(table, document)
    grid = grid_widths(table)
    # "100.00": five digits of 0.5 em and a point of 0.25 em (Times New Roman's advances) = 2.75 em × 10.5 pt × 20 twips
    # = 577.5 → 578, + 40 slack + 2 × 108 margins = 834
    # "分值" as a header word: 2 em × 10.5 × 20 = 420, + 40 + 216 = 676
    assert grid[2] == 834 and grid[1] == 676
    assert sum(grid) == 5100 and grid[0] == 5100 - 834 - 676


def test_a_table_with_no_room_to_spare_is_left_as_it_is():
    document, table = table_of([["甲", "得分"], ["1", "100.00"]], [300, 300])
    unbroken_columns(table, document)
    assert sum(grid_widths(table)) == 600


def test_a_long_header_may_wrap():
    document, table = table_of([["偏差原因分析及改进措施", "名称"], ["", "某某"]], [1200, 4000])
    unbroken_columns(table, document)
    assert grid_widths(table) == [1200, 4000]


def test_a_name_never_ends_on_one_character_however_the_client_draws_it():
    # "发放(缴纳)覆盖率": 7 Chinese characters and two parentheses. In a column 7.2 em wide (text width, 10.5 pt)
    # the line holds "发放(缴纳)覆盖" when the client adds no space between Chinese and Latin (6 + 2 × 0.333 = 6.67
    # em), leaving "率" alone; the column is narrowed to put "覆盖率" on the second line, its width given to the
    # widest column, or widened to hold the whole name (7 + 2 × 0.333 + 4 × 0.25 spacing = 8.666 em).
    text_twips = round(7.2 * 10.5 * 20)
    document, table = table_of([["三级指标", "偏差原因分析及改进措施"], ["发放(缴纳)覆盖率", ""]],
                               [text_twips + 216 + 40, 4000])
    unbroken_columns(table, document)
    grid = grid_widths(table)
    assert sum(grid) == text_twips + 216 + 40 + 4000
    em = (grid[0] - 216 - 40) / 20 / 10.5
    assert em <= 6.0 or em >= 8.666, em  # "发放(缴纳)/覆盖率" or one line (8.666 em: 1820 twips at 10.5 pt)


def test_numbers_and_header_words_come_before_a_lone_character():
    # "100.00" needs 2.75 em (834 twips with margins and slack); the name column may not take that width back
    document, table = table_of([["指标名称", "得分"], ["城乡居民医疗保险参保率", "100.00"]], [2600, 600])
    unbroken_columns(table, document)
    assert grid_widths(table)[1] >= 834


def _orphan_free_by_definition(text: str, width_em: float, give_em: float) -> float:
    """orphan_free as its docstring defines it: every width at which a run of whole pieces ends, less each rounding,
    tried from the narrowest up."""
    from pipeline.report.word.layout import clusters
    from pipeline.report.word.unbroken import _lone_last
    width, gives = width_em, (0.0, give_em / 2, give_em)
    for paragraph in text.split("\n"):
        if len(paragraph.strip()) < 2:
            continue
        estimates = [clusters(paragraph), clusters(paragraph, autospace=0.0)]
        ends = {sum(p[i:j]) - give for p in estimates for i in range(len(p)) for j in range(i + 1, len(p) + 1)
                for give in gives}
        for tried in [width] + sorted(end for end in ends if end > width):
            if not any(_lone_last(pieces, tried + give) for pieces in estimates for give in gives):
                width = tried
                break
    return width if width > width_em else 0.0


def test_the_widths_tried_are_those_of_the_definition_made_one_at_a_time():
    import random

    from pipeline.report.word.layout import clusters
    from pipeline.report.word.unbroken import orphan_free
    chars = "预算执行率覆盖发放（缴纳）满意度《》“”100.00%ABCDEFGH abcdefgh，。、—-()12345\n\u2060 "
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 60)))
        pieces = clusters(text.replace("\n", ""))
        ends = [sum(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)]
        for width in [rng.uniform(0.5, 20), *rng.sample(ends, min(2, len(ends)))]:  # on a line's end exactly, too
            give = rng.choice((0.0, 0.1875, 0.5))
            assert orphan_free(text, width, give) == _orphan_free_by_definition(text, width, give), (text, width, give)


def test_a_long_cell_is_checked_in_time():
    import time

    from pipeline.report.word.unbroken import orphan_free
    # every width a run of pieces ends at, 3000 characters: 4.5 million runs each summed anew took a minute
    text = ("资金使用效益有待提高，部分项目执行进度偏慢ABC 12.5%。" * 100)[:3000] + "率"
    start = time.process_time()
    orphan_free(text, 7.3, 0.2)
    assert time.process_time() - start < 5


def test_widths_come_out_the_same_whatever_an_earlier_form_left_remembered():
    """What a cell needs at a width is remembered across forms: a table laid out after others, with long cells
    (never remembered) beside short ones, gets the widths it gets in a fresh process."""
    from pipeline.report.word import unbroken

    rows = [["三级指标", "指标值", "偏差原因分析及改进措施"],
            ["发放(缴纳)覆盖率", "≥95%", "资金下达较晚，部分项目未能按期完成，下一年度将提前谋划、加快执行进度" * 2],
            ["群众满意度", "100.00", "无"]]
    widths = [1700, 700, 2600]
    laid = []
    for clear in (True, False, False):
        if clear:
            unbroken._remembered_need.cache_clear()
            unbroken._remembered_alone.cache_clear()
        document, table = table_of(rows, widths)
        unbroken_columns(table, document)
        laid.append(grid_widths(table))
    assert laid[0] == laid[1] == laid[2]
    assert unbroken._remembered_need.cache_info().hits > 0
