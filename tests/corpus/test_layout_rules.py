"""Each layout rule on a hand-made page that breaks it, and on one that keeps it: small PDFs drawn with PyMuPDF."""
from __future__ import annotations

import pytest

pymupdf = pytest.importorskip("pymupdf")  # optional (AGPL, the `pdf` extra): these read a PDF's layout with it

from tests.corpus import layout  # noqa: E402 (needs PyMuPDF, checked above)
from tests.corpus.pages import read_document  # noqa: E402 (needs PyMuPDF, checked above)

A4 = (595, 842)
FONT = "china-s"  # PyMuPDF's own CJK font: no font file of the machine needed


def text(page: pymupdf.Page, x: float, y: float, words: str, size: float = 10.5) -> None:
    page.insert_text((x, y), words, fontname=FONT, fontsize=size)


def table(page: pymupdf.Page, x: float, y: float, widths: list[float], rows: list[list[list[str]]], height: float = 30,
          size: float = 10.5) -> None:
    """A ruled table; each cell a list of lines, written from its top left."""
    for r, row in enumerate(rows):
        left = x
        for width, lines in zip(widths, row):
            top = y + r * height
            page.draw_rect(pymupdf.Rect(left, top, left + width, top + height), color=(0, 0, 0), width=0.8)
            for i, line in enumerate(lines):
                text(page, left + 5.5, top + 4 + size * (i + 1) * 1.1, line, size)
            left += width


def pages(document: pymupdf.Document, **context) -> list:
    return read_document(document, context.pop("kind", "report"), **context)


def new(*sizes: tuple[float, float]) -> pymupdf.Document:
    document = pymupdf.open()
    for width, height in sizes:
        document.new_page(width=width, height=height)
    return document


def body_lines(page: pymupdf.Page, count: int, top: float = 105, step: float = 29) -> None:
    for i in range(count):
        text(page, 80, top + i * step, "正文第" + str(i + 1) + "行，按计划完成全年各项工作任务。", 16)


def test_text_under_picture():
    document = new(A4)
    page = document[0]
    text(page, 80, 200, "图片下面不应有文字")
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    picture.clear_with(200)
    page.insert_image(pymupdf.Rect(70, 180, 300, 260), pixmap=picture)
    page.insert_image(pymupdf.Rect(70, 400, 300, 480), pixmap=picture)
    found = layout.text_under_picture(pages(document)[0])
    assert len(found) == 1 and "图片下面不应有文字" in found[0]


@pytest.mark.parametrize("gap, broken", [(0.0, True), (0.5, True), (6.0, False)])
def test_picture_clear_of_table(gap, broken):
    """A table of two rows 60 pt high from y = 100 ends at 160; the picture starts `gap` below it."""
    document = new(A4)
    page = document[0]
    table(page, 80, 100, [200, 200], [[["单位"], ["执行率"]], [["合计"], ["100.00%"]]])
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    picture.clear_with(255)
    page.insert_image(pymupdf.Rect(100, 160 + gap, 460, 300), pixmap=picture)
    found = layout.picture_clear_of_table(pages(document)[0])
    assert bool(found) is broken, found


@pytest.mark.parametrize("first, second, broken", [("某市疾病预防控制中心2024年度项目支出绩", "效自评报告", True),
                                                   ("某市疾病预防控制中心2024年度项目支出", "绩效自评报告", False)])
def test_cover_title_unbroken(first, second, broken):
    document = new(A4)
    text(document[0], 70, 200, first, 22)
    text(document[0], 200, 236, second, 22)
    text(document[0], 100, 360, "单位名称（公章）：某市疾病预防控制中心", 16)
    found = layout.cover_title_unbroken(pages(document, title_words=("绩效", "自评报告", "2024年度"))[0])
    assert bool(found) == broken, found


@pytest.mark.parametrize("before, broken", [(0, True), (3, False)])
def test_signature_not_alone(before, broken):
    document = new(A4)
    body_lines(document[0], before)
    text(document[0], 380, 300, "某县文化馆", 16)
    text(document[0], 380, 330, "2025年3月31日", 16)
    text(document[0], 280, 800, "— 7 —", 14)
    found = layout.signature_not_alone(pages(document, signature=("某县文化馆",))[0])
    assert bool(found) == broken, found


@pytest.mark.parametrize("rows_after, broken", [(3, True), (8, False)])
def test_short_table_not_split(rows_after, broken):
    document = new(A4, A4)
    body_lines(document[0], 20)
    header = [["资金来源"], ["全年预算数"], ["已支出"]]
    row = [["财政拨款"], ["100.00"], ["98.00"]]
    table(document[0], 80, 700, [150, 150, 150], [header, row])
    table(document[1], 80, 105, [150, 150, 150], [header] + [row] * rows_after)
    read = pages(document)
    assert read[1].tables[0].before == 1
    found = layout.short_table_not_split(read[1])
    assert bool(found) == broken, found


@pytest.mark.parametrize("first, second, broken", [("资金安排及使用情况见表1-", "1。其余资金已按规定收回。", True),
                                                   ("资金安排及使用情况见", "表1-1。其余资金已按规定收回。", False),
                                                   ("各项得分见附", "表1。", True)])
def test_label_unbroken(first, second, broken):
    document = new(A4)
    text(document[0], 80, 200, first, 16)
    text(document[0], 80, 229, second, 16)
    found = layout.label_unbroken(pages(document)[0])
    assert bool(found) == broken, found


def test_header_word_unsplit():
    """“实际完成值” wraps in a 40-point column while the column beside it has 200 points to spare."""
    document = new(A4)
    rows = [[["三级指标"], ["实际完", "成值"]], [["培训人次"], ["215"]]]
    table(document[0], 80, 200, [260, 40], rows, height=40)
    found = layout.header_word_unsplit(pages(document)[0])
    assert found and "实际完成值" in found[0]
    document = new(A4)
    table(document[0], 80, 200, [60, 40], rows, height=40)  # no room anywhere: the wrap is needed
    assert layout.header_word_unsplit(pages(document)[0]) == []
    document = new(A4)  # broken between its words, “其中：” and “基本支出”: no word is split
    table(document[0], 80, 200, [260, 50], [[["三级指标"], ["其中：", "基本支出"]], [["培训人次"], ["215"]]], height=40)
    assert layout.header_word_unsplit(pages(document)[0]) == []


def test_cell_orphan_char():
    document = new(A4)
    rows = [[["指标"], ["得分"]], [["培训考核合格", "率"], ["20.00"]]]
    table(document[0], 80, 200, [80, 200], rows, height=40)
    found = layout.cell_orphan_char(pages(document)[0])
    assert found and "率" in found[0]


@pytest.mark.slow
@pytest.mark.parametrize("rows_first, broken", [(4, True), (14, False)])
def test_landscape_filled(rows_first, broken):
    document = new((842, 595), (842, 595), (842, 595))
    row = [["产出指标"], ["数量指标"], ["培训人次"], ["30"], ["30.00"]]
    table(document[0], 100, 80, [120] * 5, [row] * rows_first)
    table(document[1], 100, 80, [120] * 5, [row] * 14)
    table(document[2], 100, 80, [120] * 5, [row] * 2)  # the last page may be short
    read = pages(document)
    assert layout.landscape_filled(read[2]) == []
    found = layout.landscape_filled(read[0])
    assert bool(found) == broken, found


@pytest.mark.parametrize("first_rows, broken", [(5, True), (22, False)])
def test_form_fewest_pages(first_rows, broken):
    document = new(A4, A4)
    row = [["项目名称"], ["重大传染病防控"]]
    table(document[0], 70, 72, [150, 300], [row] * first_rows)
    table(document[1], 70, 72, [150, 300], [row] * 4)
    found = layout.form_fewest_pages(pages(document, kind="form")[1])
    assert bool(found) == broken, found


@pytest.mark.parametrize("phone, broken", [("", True), ("0875-2123456", False)])
def test_required_field_filled(phone, broken):
    document = new(A4)
    table(document[0], 70, 100, [120, 300], [[["项目名称"], ["春节慰问经费"]], [["联系电话"], [phone] if phone else []]])
    found = layout.required_field_filled(pages(document, kind="form")[0])
    assert bool(found) == broken, found


def test_required_field_on_a_line():
    document = new(A4)
    text(document[0], 100, 400, "填报人：", 16)
    text(document[0], 100, 440, "联系电话：", 16)
    text(document[0], 190, 440, "020-12345678", 16)
    found = layout.required_field_filled(pages(document)[0])
    assert len(found) == 1 and "填报人" in found[0]


@pytest.mark.parametrize("cell, broken", [("manual", True), ("None", True), ("{{ 数.总分 }}", True),
                                          ("按评价小组认定计分", False), ("Manually", False)])
def test_no_internal_wording(cell, broken):
    document = new(A4)
    table(document[0], 70, 100, [120, 300], [[["评分标准"], [cell]]])
    found = layout.no_internal_wording(pages(document)[0])
    assert bool(found) == broken, found


def test_every_rule_is_listed():
    assert set(layout.RULES) == {name for name in dir(layout) if callable(getattr(layout, name))
                                 and getattr(getattr(layout, name), "__module__", "") == layout.__name__
                                 and not name.startswith("_") and name not in ("breaks", "pdf_pages")}


@pytest.mark.parametrize("lines_before, text_above, broken", [(12, False, True), (21, False, False), (12, True, False)])
def test_chart_page_filled(lines_before, text_above, broken):
    # page 1 full (24 lines) gives the printable area; page 2 holds `lines_before` of them: 12 leave half of it blank,
    # 21 leave 3 lines of 24 (12.5 %); page 3 opens with a picture, or with a line above it
    document = new(A4, A4, A4)
    body_lines(document[0], 24)
    body_lines(document[1], lines_before)
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    picture.clear_with(200)
    if text_above:
        body_lines(document[2], 1)
    document[2].insert_image(pymupdf.Rect(80, 120 if text_above else 90, 500, 400), pixmap=picture)
    found = [f for page in pages(document) for f in layout.chart_page_filled(page)]
    assert bool(found) == broken, found
    if broken:
        assert found[0].startswith("第3页：") and "空了" in found[0]


@pytest.mark.parametrize("rows_before, rows_after, broken", [(1, 28, True), (2, 28, False), (20, 1, True), (20, 2, False)])
def test_table_foot_rows(rows_before, rows_after, broken):
    # a table split across two pages, ending at the foot of page 1: one row alone there, or alone on page 2
    document = new(A4, A4)
    header = [["一级指标"], ["三级指标"], ["年度指标值"]]
    row = [["产出指标"], ["居民健康档案"], ["≥38508人"]]
    if rows_before <= 2:
        body_lines(document[0], 20)
    table(document[0], 80, 770 - 30 * (rows_before + 1), [150, 150, 150], [header] + [row] * rows_before)
    table(document[1], 80, 105, [150, 150, 150], [header] + [row] * rows_after, height=20)
    found = [f for page in pages(document) for f in layout.table_foot_rows(page)]
    assert bool(found) == broken, found


@pytest.mark.parametrize("date_on_next_page, broken", [(True, True), (False, False)])
def test_signature_not_split(date_on_next_page, broken):
    # page 1 full of text, its last line the unit's name; the date at its foot or on page 2 with text of its own
    document = new(A4, A4)
    body_lines(document[0], 22)
    text(document[0], 380, 105 + 22 * 29, "某县文化馆", 16)
    if not date_on_next_page:
        text(document[0], 380, 105 + 23 * 29, "2025年3月31日", 16)
    text(document[1], 380, 105, "2025年3月31日" if date_on_next_page else "附表", 16)
    body_lines(document[1], 3, top=160)
    found = [f for page in pages(document, signature=("某县文化馆",)) for f in layout.signature_not_alone(page)]
    assert bool(found) == broken, found
    if broken:
        assert found[0].startswith("第1页：") and "拆开" in found[0]


@pytest.mark.parametrize("lines_on_page_2, deliberate, broken", [(12, (), True), (18, (), False), (12, ("附表",), False)])
def test_page_filled_before_break(lines_on_page_2, deliberate, broken):
    # page 1 full (24 lines) gives the printable area; page 2 ends `lines_on_page_2` lines down: 12 leave half of it
    # blank, 18 a quarter; page 3 opens with "附表", a break the document asked for when `deliberate` names it
    document = new(A4, A4, A4)
    body_lines(document[0], 24)
    body_lines(document[1], lines_on_page_2)
    text(document[2], 80, 105, "附表", 16)
    body_lines(document[2], 2, top=140)
    found = [f for page in pages(document, deliberate=deliberate) for f in layout.page_filled_before_break(page)]
    assert bool(found) == broken, found
    if broken:
        assert found[0].startswith("第2页：") and "空了" in found[0]


def test_deliberate_starts_read_from_word():
    import io

    import docx

    from tests.corpus.pages import deliberate_starts
    document = docx.Document()
    document.add_paragraph("封面标题")
    document.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    document.add_paragraph("一、基本情况\u2060与目标")
    document.add_paragraph("正文照常排下去。")
    document.add_paragraph("附表1 评分表").paragraph_format.page_break_before = True
    out = io.BytesIO()
    document.save(out)
    assert deliberate_starts(out.getvalue()) == ("一、基本情况", "附表1评分表")
