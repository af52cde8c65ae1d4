"""The Word report's page and styles as GB/T 9704-2012 has them, read back from the built .docx."""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from pipeline.report.word.convert import MissingImage, markdown_to_docx
from pipeline.report.word.finish import CJK_FONTS, font_table, text_width
from pipeline.report.word.merged import is_indicator_table
from pipeline.run import build
from tests.helpers import require_libreoffice, to_pdf

DEPTS = ("huadu", "lianjiang", "shaoguan", "example-cdc")
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
TOLERANCE = Mm(0.5)
CJK_FACE = re.compile(r"CJK|Song|Hei|Kai|Fang|Ming|Noto|Source ?Han", re.IGNORECASE)


def report(built, dept: str):
    _, folder = built[dept]
    return Document(str(folder / "report.docx"))


def close(length, mm: float) -> bool:
    return abs(length - Mm(mm)) <= TOLERANCE


def page(section) -> tuple:
    return (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
            section.left_margin, section.right_margin)


def expect_page(section, width, height, top, bottom, left, right) -> None:
    got = page(section)
    want = (width, height, top, bottom, left, right)
    assert all(close(g, w) for g, w in zip(got, want)), [round(g / Mm(1), 1) for g in got]


# ---------------------------------------------------------------------------------------------- page


@pytest.mark.parametrize("dept", DEPTS)
def test_portrait_a4_with_the_standard_margins(built, dept):
    document = report(built, dept)
    first = document.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    expect_page(first, 210, 297, 37, 35, 28, 26)


@pytest.mark.parametrize("dept", DEPTS)
def test_score_table_on_a_landscape_section_to_the_end(built, dept):
    document = report(built, dept)
    assert len(document.sections) == 2
    last = document.sections[-1]
    assert last.orientation == WD_ORIENT.LANDSCAPE
    expect_page(last, 297, 210, 28, 26, 37, 35)
    blocks = list(last.iter_inner_content())
    label, heading = blocks[0], blocks[1]  # GB/T 9704 §8: the bare label, then the title
    assert label.style.name == "附件标识" and label.text in ("附件", "附表"), label.text
    assert heading.style.name == "Heading 1" and heading.text.endswith("评分表"), heading.text
    tables = [b for b in blocks if isinstance(b, Table)]
    assert tables and is_indicator_table(tables[-1])
    # the columns use the landscape width, not the portrait one pandoc sized them for
    grid = sum(int(c.get(qn("w:w"))) for c in tables[-1]._tbl.tblGrid.findall(qn("w:gridCol")))
    assert abs(grid - text_width(last)) <= 2 and grid > 12000
    # a score-like table in the body (shaoguan's 表1-2) stays on the portrait pages
    portrait_blocks = list(document.sections[0].iter_inner_content())
    assert not any(isinstance(b, Table) and b._tbl is tables[-1]._tbl for b in portrait_blocks)


def footer_runs_xml(footer) -> str:
    return "".join(p._p.xml for p in footer.paragraphs)


def field_codes(footer) -> list[str]:
    return [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]


def field_chars(footer) -> list[str]:
    return [c.get(qn("w:fldCharType")) for c in footer._element.iter(qn("w:fldChar"))]


@pytest.mark.parametrize("dept", DEPTS)
def test_page_numbers_odd_right_even_left_none_on_the_first_page(built, dept):
    document = report(built, dept)
    assert document.settings.odd_and_even_pages_header_footer
    first = document.sections[0]
    assert first.different_first_page_header_footer
    for footer, alignment, side in ((first.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                    (first.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        assert not footer.is_linked_to_previous
        texts = [p for p in footer.paragraphs if p.text.strip()]
        assert len(texts) == 1
        paragraph = texts[0]
        assert re.fullmatch(r"\u2014 \d+ \u2014", paragraph.text), paragraph.text  # "— 1 —" until updated
        assert field_codes(footer) == ["PAGE"]
        assert field_chars(footer) == ["begin", "separate", "end"]
        fmt = paragraph.paragraph_format
        assert fmt.alignment == alignment
        indent = fmt.right_indent if side == "right" else fmt.left_indent
        assert indent == Pt(14)  # one character of 4号
        for run in paragraph.runs:
            fonts = run._r.rPr.rFonts
            assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "Times New Roman"
            assert run.font.size == Pt(14)
    blank = first.first_page_footer
    assert not blank.is_linked_to_previous
    assert "".join(p.text for p in blank.paragraphs).strip() == ""
    assert not field_codes(blank) and not field_chars(blank)
    for later in document.sections[1:]:  # the landscape annex goes on numbering, its numbers turned (GB/T 9704 §10)
        assert later.page_width > later.page_height
        assert not later.footer.is_linked_to_previous and not later.even_page_footer.is_linked_to_previous
        assert not later.different_first_page_header_footer
        assert later.start_type is not None
        assert later._sectPr.find(qn("w:pgNumType")) is None  # no restart: the numbers run on
        places = {}
        for side, footer in (("odd", later.footer), ("even", later.even_page_footer)):
            assert field_codes(footer) == ["PAGE"]
            table = footer._element.find(qn("w:tbl"))
            place = table.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}")
            assert place.get(qn("w:horzAnchor")) == place.get(qn("w:vertAnchor")) == "page"
            assert table.find(f".//{qn('w:textDirection')}").get(qn("w:val")) == "tbRl"  # read turned back to portrait
            places[side] = int(place.get(qn("w:tblpX"))), int(place.get(qn("w:tblpY")))
        # by hand, in twips (1 mm = 56.7): both 25 mm (35 − 10) from the left edge, inside its 37 mm margin; the odd
        # number ends one character (14 pt = 280) inside 184 mm (210 − 26), its 30 mm box from 154 mm on; the even one
        # starts one character inside 28 mm
        assert places["odd"] == (1417, int((154 * 36000 - 14 * 12700) / 635))
        assert places["even"] == (1417, int((28 * 36000 + 14 * 12700) / 635))


# -------------------------------------------------------------------------------------------- styles


def east_asian_face(document, style_id: str | None) -> str | None:
    """The East Asian face Word resolves for a style: its own, then its base styles', then the defaults."""
    styles = document.styles.element
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        element = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if element is None:
            break
        fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            assert not any(fonts.get(qn(a)) for a in THEME_ATTRIBUTES), style_id
            if fonts.get(qn("w:eastAsia")):
                return fonts.get(qn("w:eastAsia"))
        based = element.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    return defaults.get(qn("w:eastAsia")) if defaults is not None else None


@pytest.mark.parametrize("dept", DEPTS)
def test_every_style_in_the_body_names_an_east_asian_font(built, dept):
    document = report(built, dept)
    body = document.element.body
    used = {e.get(qn("w:val")) for tag in ("w:pStyle", "w:rStyle") for e in body.iter(qn(tag))}
    used.add(document.styles.default(document.styles["Normal"].type).style_id)
    assert {"Title", "Heading1", "TableText"} <= used
    missing = {style_id: east_asian_face(document, style_id) for style_id in used}
    assert all(missing.values()), missing
    # no theme font anywhere in the styles: it would win over the named face
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        assert not any(fonts.get(qn(a)) for a in THEME_ATTRIBUTES), fonts.attrib


def test_named_styles_follow_the_standard(built):
    document = report(built, "huadu")
    expected = {"Normal": "仿宋_GB2312", "Body Text": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体",
                "Heading 2": "楷体_GB2312", "Heading 3": "仿宋_GB2312", "Table Text": "仿宋_GB2312",
                "Table Caption": "黑体", "封面": "仿宋_GB2312", "Image Caption": "黑体", "落款": "仿宋_GB2312"}
    for name, face in expected.items():
        style = document.styles[name]
        assert east_asian_face(document, style.style_id) == face, name
    assert document.styles["Title"].font.size == Pt(22)
    assert document.styles["Body Text"].font.size == Pt(16)
    assert document.styles["Table Text"].font.size == Pt(10.5)
    cover = document.styles["封面"]
    fmt = cover.paragraph_format
    assert cover.font.size == Pt(16)
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert abs(fmt.left_indent - Pt(64)) <= Pt(8)  # about four characters
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing == Pt(28.95)
    caption = document.styles["Image Caption"]
    assert caption.font.size == Pt(12) and not caption.font.italic
    assert caption.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Figure", "Captioned Figure"):  # an exact line height would cut the picture
        fmt = document.styles[name].paragraph_format
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert fmt.line_spacing_rule != WD_LINE_SPACING.EXACTLY


@pytest.mark.parametrize("dept", DEPTS)
def test_font_table_falls_back_to_chinese_faces(built, dept):
    fonts = font_table(report(built, dept))
    want = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
    for name, alt in want.items():
        assert fonts[name]["altName"] == alt, name
    for name, *_ in CJK_FONTS:
        assert fonts[name]["charset"] == "86", name  # GB2312
        assert fonts[name]["family"] in ("roman", "modern"), name
    assert {"黑体", "宋体"} <= set(fonts)


# -------------------------------------------------------------------------------------------- tables


def cells(table: Table, row):
    from docx.table import _Cell
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


@pytest.mark.parametrize("dept", DEPTS)
def test_tables_repeat_their_header_and_keep_rows_whole(built, dept):
    """Ordinary tables keep rows whole; the score table is cut into page parts, so a long row may break."""
    document = report(built, dept)
    assert document.tables
    for table in document.tables:
        whole = not is_indicator_table(table)
        header = table.rows[0]._tr.trPr
        flag = header.find(qn("w:tblHeader"))
        assert flag is not None and flag.get(qn("w:val"), "true") in ("true", "1", "on")
        for number, row in enumerate(table.rows):
            kept = row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
            assert kept or not whole
            for cell in cells(table, row):
                assert cell.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER
                for paragraph in cell.paragraphs:
                    assert paragraph.style.name == "Table Text"
                    if number == 0:
                        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
                        assert all(run.bold for run in paragraph.runs)


def test_numbers_stay_right_aligned_and_merged_cells_centred(built):
    document = report(built, "huadu")
    table = next(t for t in document.tables if is_indicator_table(t))
    header = [c.text for c in table.rows[0].cells]
    score = header.index("得分")
    for row in table.rows[1:]:
        assert row.cells[score].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    merged = [tc for tc in table._tbl.iter(qn("w:tc")) if tc.tcPr is not None and tc.tcPr.vMerge is not None]
    assert merged
    for tc in merged:
        assert tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center"


# -------------------------------------------------------------------------------------- bytes, images


@pytest.mark.slow
def test_the_same_inputs_give_the_same_bytes(built, project):
    _, folder = built["huadu"]
    _, written = build(project, "huadu")
    again = next(p for p in written if p.name == "report.docx")
    assert again.read_bytes() == (folder / "report.docx").read_bytes()


def tiny_png(width: int = 8, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


COVER_MARKDOWN = """# 示例单位2024年度部门整体支出绩效自评报告

::: {custom-style="封面"}
评价单位（公章）：示例单位

评价年度：2024年度
:::

```{=openxml}
<w:p><w:r><w:br w:type="page"/></w:r></w:p>
```

## 一、基本情况

正文。

![图1 各单位预算执行率](chart-budget.png){width=15cm}

其后的正文。
"""


def test_cover_page_break_and_image(tmp_path):
    data = markdown_to_docx(COVER_MARKDOWN, None, resources={"chart-budget.png": tiny_png()})
    assert data == markdown_to_docx(COVER_MARKDOWN, None, resources={"chart-budget.png": tiny_png()})
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    document = Document(str(path))
    paragraphs = document.paragraphs
    styles = [p.style.name for p in paragraphs]
    assert styles[:3] == ["Title", "封面", "封面"]
    # the page break paragraph became "page break before" on what follows: no empty line on top of page 2
    assert not any(p.text == "" and p._p.find(".//" + qn("w:br")) is not None for p in paragraphs)
    heading = paragraphs[3]
    assert heading.style.name == "Heading 1" and heading.paragraph_format.page_break_before
    figure = next(p for p in paragraphs if p._p.find(".//" + qn("w:drawing")) is not None)
    assert figure.style.name in ("Captioned Figure", "Figure")
    index = [p._p for p in paragraphs].index(figure._p)
    caption = paragraphs[index + 1]
    assert caption.style.name == "Image Caption" and caption.text.replace(" ", "") == "图\u20601各单位预算执行率"  # held together
    assert len(document.inline_shapes) == 1
    assert [e.get("descr") for e in document.element.body.iter(qn("pic:cNvPr"))] == ["chart-budget.png"]
    assert "data:image" not in document.element.body.xml
    assert abs(document.inline_shapes[0].width - Mm(150)) <= TOLERANCE
    assert len(document.sections) == 1 and document.sections[0].different_first_page_header_footer


def test_an_image_not_handed_over_is_an_error():
    with pytest.raises(MissingImage, match="chart-budget.png"):
        markdown_to_docx(COVER_MARKDOWN, None, resources={})


def test_resources_are_read_from_memory_only(tmp_path, monkeypatch):
    """pandoc stays sandboxed: an image path outside `resources` is refused, not read from disk."""
    (tmp_path / "secret.png").write_bytes(tiny_png())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MissingImage, match="secret.png"):
        markdown_to_docx("![x](secret.png)\n", None)


# ------------------------------------------------------------------------------------------- client


@pytest.mark.parametrize("ci, outcome", [("1", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_without_libreoffice_skips_only_off_ci(monkeypatch, ci, outcome):
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome):
        require_libreoffice()


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=240).stdout


@pytest.mark.slow
def test_libreoffice_prints_page_numbers_and_embeds_chinese_faces(built, tmp_path):
    require_libreoffice()
    _, folder = built["huadu"]
    pdf = to_pdf(folder / "report.docx", tmp_path)
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.MULTILINE).group(1))
    assert 10 <= pages <= 40, pages
    # -raw: in its layout and reading-order modes pdftotext drops the narrow gaps next to Chinese-font dashes
    third = " ".join(run("pdftotext", "-f", "3", "-l", "3", "-raw", str(pdf), "-").split())
    assert "\u2014 3 \u2014" in third, third[-200:]
    first = " ".join(run("pdftotext", "-f", "1", "-l", "1", "-raw", str(pdf), "-").split())
    assert not re.search(r"\u2014 ?\d+ ?\u2014", first), first  # the cover/title page has no number
    last = run("pdfinfo", "-f", str(pages), "-l", str(pages), str(pdf))
    width, height = map(float, re.search(r"size:\s+([\d.]+) x ([\d.]+)", last).groups())
    assert width > height  # the score table's landscape pages
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    fonts = [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]
    assert fonts
    assert all(embedded == "yes" for _, embedded in fonts), fonts
    assert any(CJK_FACE.search(name) for name, _ in fonts), fonts  # the Chinese text in a Chinese face


# ----------------------------------------------------------------------------------- annex detection

SCORES = """| 一级指标 | 二级指标 | 三级指标 | 分值 |
|:--|:--|:--|--:|
| 产出 | 数量 | 甲 | 10 |
| 产出 | 数量 | 乙 | 10 |
"""


def sections_of(markdown: str) -> list[list[str]]:
    from io import BytesIO
    document = Document(BytesIO(markdown_to_docx(markdown, None)))
    return [[("表格" if isinstance(b, Table) else b.text.replace("\u2060", "")) for b in s.iter_inner_content()]
            for s in document.sections]


def test_annex_heading_after_a_table_starts_the_landscape_section():
    got = sections_of("# 报告\n\n正文。\n\n| 单位 | 金额 |\n|:--|--:|\n| 甲 | 1.00 |\n\n## 附件：评分表\n\n" + SCORES)
    # the annex's label alone on its first line, its title on the next (GB/T 9704 §8)
    assert got == [["报告", "正文。", "表格", ""], ["附件", "评分表", "表格"]]


def test_a_score_table_inside_the_report_stays_portrait():
    got = sections_of("# 报告\n\n## 一、绩效指标\n\n" + SCORES + "\n后文。\n")
    assert len(got) == 1


def test_a_score_table_closing_the_report_goes_landscape_with_its_caption():
    got = sections_of("# 报告\n\n正文。\n\n" + SCORES + "\nTable: 表1 评分\n")
    assert got == [["报告", "正文。"], ["表1 评分", "表格"]]
