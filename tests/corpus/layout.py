"""Layout rules on one printed page each: a rule takes a Page (tests/corpus/pages.py) and returns what broke, in
Chinese, one string per break; an empty list is a clean page."""
from __future__ import annotations

import re
from collections.abc import Callable

import pymupdf

from pipeline.report.word.layout import HEADER_WORD_EM

from .pages import Cell, Page, Table

RULE_CLEARANCE_PT = 1.0  # a table's outer rule is 0.5 pt wide, drawn on the table's edge
TOUCH_PT2 = 4.0  # overlap below this is anti-aliasing at a shared edge, not a picture over text
FOOT_ROWS = 2  # a table split across pages keeps this many rows on each side of the break
SHORT_TABLE = 8  # a table of fewer rows stays on one page
CHART_BLANK = 0.2  # a page before a picture that opens the next page is left at most this blank at its foot
PAGE_BLANK = 0.3  # a page that ends where no break was asked for (a keep chain, a table kept whole) is at most this blank
LANDSCAPE_FILL = 0.6  # a landscape page of the score table, except the last, is at least this full
CELL_PADDING = 11.0  # LibreOffice cell margins, 0.19 cm each side, in points
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
ANNEX_NOTE = "附件"  # the 附件说明 above the 落款 is no text of the report's own
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
LABEL = re.compile(r"附?[表图]\d+(?:-\d+)?")
REQUIRED = ("项目名称", "主管部门", "实施单位", "项目负责人", "联系电话", "单位名称", "填报人", "填报日期")
# words of the program, not of the unit: a rule type, a Python value, template or framework syntax
INTERNAL = re.compile(r"(?<![A-Za-z])(manual|completion|ratio|tiers|judgement|pacing|deduction|checklist|band|composite|"
                      r"None|nan|NaN|True|False)(?![A-Za-z])|\{\{|\}\}|\{%|%\}|Decimal\(|来自指标表|测算指标:|类型:")


def _where(page: Page) -> str:
    return f"第{page.number}页"


def text_under_picture(page: Page) -> list[str]:
    """No text lies under a picture."""
    broken = []
    for picture in page.pictures:
        for line in page.lines:
            overlap = picture & line.rect
            if not overlap.is_empty and overlap.get_area() >= TOUCH_PT2:
                broken.append(f"{_where(page)}：图片盖住了文字“{line.text}”")
    return broken


def picture_clear_of_table(page: Page) -> list[str]:
    """A picture above or below a table keeps clear of its outer rule: one set flush against it is drawn over the rule."""
    broken = []
    for picture in page.pictures:
        for table in page.tables:
            beside = min(picture.x1, table.rect.x1) - max(picture.x0, table.rect.x0) > 0
            gap = max(picture.y0 - table.rect.y1, table.rect.y0 - picture.y1)
            if beside and gap < RULE_CLEARANCE_PT:
                broken.append(f"{_where(page)}：图片与表格相距 {gap:.1f} 磅，盖住了表格的边线")
    return broken


def cover_title_unbroken(page: Page) -> list[str]:
    """The cover title (the page's largest type) breaks its lines between words, never inside one."""
    if not page.title_words or not page.lines:
        return []
    size = max(line.size for line in page.lines)
    title = sorted((line for line in page.lines if line.size >= size - 0.5), key=lambda item: (item.rect.y0, item.rect.x0))
    text, cuts, at = "", [], 0
    for line in title:
        at += len(line.text)
        text += line.text
        cuts.append(at)
    width = max(line.rect.width / max(len(line.text), 1) for line in title) if title else 1.0
    fits = (page.width * 0.8) / width  # characters a title line can hold
    broken = []
    for word in page.title_words:
        if len(word) > fits:
            continue
        for start in (m.start() for m in re.finditer(re.escape(word), text)):
            for cut in cuts[:-1]:
                if start < cut < start + len(word):
                    broken.append(f"{_where(page)}：封面标题在“{word}”中间换行（“{text[:cut]}”/“{text[cut:]}”）")
    return broken


def signature_not_alone(page: Page) -> list[str]:
    """The 落款 (the unit's name, then the date) never stands alone on a page (with the 附件说明 at most), nor splits: the name is never the
    last line of a page with its date on the next."""
    if not page.signature:
        return []
    words = [line.text for line in sorted(page.content(), key=lambda item: (round(item.rect.y0), item.rect.x0))]
    if words and any(page.signature[0] == text for text in words) and \
            all(text in page.signature or DATE.fullmatch(text) or text.startswith(ANNEX_NOTE) for text in words):
        return [f"{_where(page)}：落款（{'、'.join(words)}）单独成页"]
    if words and words[-1] == page.signature[0] and not page.last_of_run:
        return [f"{_where(page)}：落款被拆开，单位名称“{words[-1]}”在页末，日期在下页"]
    return []


def page_filled_before_break(page: Page) -> list[str]:
    """A report page that ends where the document asked for no new page (a keep chain pulled its foot away: a
    heading with its text, the 落款 with the paragraph above it) is at most 30 % blank; the last page of a run of one
    orientation and a page before a deliberate break may end anywhere."""
    if page.document != "report" or page.last_of_run or page.breaks_after or (page.landscape and page.tables):
        return []
    blank = 1 - page.filled()
    if blank > PAGE_BLANK:
        return [f"{_where(page)}：未有意换页，本页底部却空了{blank:.0%}"]
    return []


def _body_rows(table: Table) -> int:
    return len(table.rows) - 1


def short_table_not_split(page: Page) -> list[str]:
    """A table of fewer than 8 rows is never split across pages (reported on the page it continues on)."""
    broken = []
    for table in page.tables:
        if table.before:
            total = 1 + table.before + _body_rows(table) + table.after
            if total < SHORT_TABLE:
                broken.append(f"{_where(page)}：只有{total}行的表格跨页（上页{table.before}行）")
    return broken


def table_foot_rows(page: Page) -> list[str]:
    """A table of any length that goes on to the next page leaves two rows at least under its header at this page's
    foot, and takes two at least onto the next."""
    broken = []
    for table in page.tables:
        if table.after and _body_rows(table) < FOOT_ROWS:
            broken.append(f"{_where(page)}：表格在页脚只留{_body_rows(table)}行，其余{table.after}行在下页")
        if table.before and not table.after and _body_rows(table) < FOOT_ROWS and table.before >= FOOT_ROWS:
            broken.append(f"{_where(page)}：表格只有{_body_rows(table)}行转到本页（上页{table.before}行）")
    return broken


def label_unbroken(page: Page) -> list[str]:
    """No line break inside a label like 表1-1, 附表1 or 图2-1."""
    broken = []
    lines = sorted(page.content(), key=lambda item: (round(item.rect.y0), item.rect.x0))
    for one, two in zip(lines, lines[1:]):
        if two.rect.y0 < one.rect.y1 - 1 or abs(two.rect.x0 - one.rect.x0) > page.width / 2:
            continue  # not the next line of the same paragraph
        joined, cut = one.text + two.text, len(one.text)
        for match in LABEL.finditer(joined):
            if match.start() < cut < match.end():
                broken.append(f"{_where(page)}：编号“{match.group()}”被拆在两行（“{one.text}”/“{two.text}”）")
    return broken


def _slack(table: Table) -> list[float]:
    """Room left in each column: its narrowest cell less its widest line."""
    columns = max((len(row) for row in table.rows), default=0)
    room = []
    for index in range(columns):
        cells = [row[index] for row in table.rows if index < len(row) and row[index] is not None]
        spare = [cell.rect.width - CELL_PADDING - max((line.rect.width for line in cell.lines), default=0) for cell in cells]
        room.append(min(spare) if spare else 0.0)
    return room


def _char_width(cell: Cell) -> float:
    return max(line.size for line in cell.lines)


def _inside_word(cell: Cell) -> bool:
    """Whether a line of the cell ends inside a header word: a run of Chinese of HEADER_WORD_EM characters at most."""
    cuts = [len("".join(line.text for line in cell.lines[:i])) for i in range(1, len(cell.lines))]
    return any(m.start() < cut < m.end() for m in HAN_RUN.finditer(cell.text) if len(m.group()) <= HEADER_WORD_EM
               for cut in cuts)


def header_word_unsplit(page: Page) -> list[str]:
    """A header word wraps only when no column arrangement could hold it: it is split while the columns beside it
    have the room it lacks. A header broken between its words ("其中：/基本支出") is not."""
    broken = []
    for table in page.tables:
        if not table.rows:
            continue
        slack = _slack(table)
        for index, cell in enumerate(table.rows[0]):
            if cell is None or len(cell.lines) < 2 or not _inside_word(cell):
                continue
            need = sum(line.rect.width for line in cell.lines) - (cell.rect.width - CELL_PADDING)
            spare = sum(room for i, room in enumerate(slack) if i != index and room > 0)
            if need <= spare:
                broken.append(f"{_where(page)}：表头“{cell.text}”拆成{len(cell.lines)}行，相邻列有空余")
    return broken


def cell_orphan_char(page: Page) -> list[str]:
    """No cell ends on a line of one character while a neighbouring column has room for it."""
    broken = []
    for table in page.tables:
        slack = _slack(table)
        for row in table.rows:
            for index, cell in enumerate(row):
                if cell is None or len(cell.lines) < 2 or len(cell.lines[-1].text) != 1:
                    continue
                near = [slack[i] for i in (index - 1, index + 1) if 0 <= i < len(slack)]
                if near and max(near) >= _char_width(cell):
                    broken.append(f"{_where(page)}：单元格“{cell.text}”末行只有一个字“{cell.lines[-1].text}”，相邻列有空余")
    return broken


def landscape_filled(page: Page) -> list[str]:
    """A landscape page of the score table, other than the last, is at least 60 % full."""
    if not page.landscape or page.last_of_run or not page.tables:
        return []
    filled = page.filled()
    if filled < LANDSCAPE_FILL:
        return [f"{_where(page)}：横向评分表页只排了{filled:.0%}（下一页还有内容）"]
    return []


def chart_page_filled(page: Page) -> list[str]:
    """A picture that opens a page left the page before it at least 80 % full: a chart too tall for the foot of a
    page lets the text after it fill that foot, or is not there at all."""
    if not page.pictures:
        return []
    top = min(picture.y0 for picture in page.pictures)
    if any(line.rect.y1 <= top + 1 for line in page.content()) or any(t.rect.y1 <= top + 1 for t in page.tables):
        return []  # text above it: the picture does not open the page
    blank = page.spare_before / (page.body[1] - page.body[0]) if page.body[1] > page.body[0] else 0.0
    if blank > CHART_BLANK:
        return [f"{_where(page)}：图片移到本页，上一页底部空了{blank:.0%}"]
    return []


def form_fewest_pages(page: Page) -> list[str]:
    """The 自评表 takes no more pages than its content needs: no page whose content would fit in the room the page
    before left free."""
    if page.document != "form" or page.number == 1:
        return []
    lines = page.content()
    if not lines:
        return [f"{_where(page)}：自评表有空白页"]
    tops = [line.rect.y0 for line in lines] + [t.rect.y0 for t in page.tables]
    bottoms = [line.rect.y1 for line in lines] + [t.rect.y1 for t in page.tables]
    height = max(bottoms) - min(tops)
    if height <= page.spare_before:
        return [f"{_where(page)}：自评表本页内容（高{height:.0f}磅）放得进上页余下的{page.spare_before:.0f}磅，多占了一页"]
    return []


def _label(text: str) -> str:
    return text.rstrip("：:").replace("（公章）", "")


def required_field_filled(page: Page) -> list[str]:
    """No required field printed empty: a label cell with an empty cell after it, or a label line with nothing after
    its colon."""
    broken = []
    for table in page.tables:
        for row in table.rows:
            cells = [cell for cell in row if cell is not None]
            for cell, after in zip(cells, cells[1:]):
                if _label(cell.text) in REQUIRED and not after.text.strip():
                    broken.append(f"{_where(page)}：必填项“{_label(cell.text)}”为空")
    for line in page.content():
        if line.text.endswith(("：", ":")) and _label(line.text) in REQUIRED:
            same_row = [other for other in page.content() if other is not line and abs(other.rect.y0 - line.rect.y0) < 2
                        and other.rect.x0 >= line.rect.x1 - 1]
            if not same_row:
                broken.append(f"{_where(page)}：必填项“{_label(line.text)}”为空")
    return broken


def no_internal_wording(page: Page) -> list[str]:
    """No printed cell carries the program's own words: a rule type, None/nan, template or framework syntax."""
    broken = []
    for table in page.tables:
        for row in table.rows:
            for cell in row:
                if cell is not None and (found := INTERNAL.search(cell.text)):
                    broken.append(f"{_where(page)}：单元格“{cell.text[:40]}”含程序内部用语“{found.group()}”")
    return broken


RULES: dict[str, Callable[[Page], list[str]]] = {rule.__name__: rule for rule in (
    text_under_picture, picture_clear_of_table, cover_title_unbroken,
    signature_not_alone, page_filled_before_break, short_table_not_split, table_foot_rows, label_unbroken,
    header_word_unsplit, cell_orphan_char, landscape_filled, chart_page_filled, form_fewest_pages, required_field_filled,
    no_internal_wording)}


def breaks(pages: list[Page]) -> dict[str, list[str]]:
    """Every rule on every page: rule name → what broke (empty lists for rules that held)."""
    return {name: [found for page in pages for found in rule(page)] for name, rule in RULES.items()}


def pdf_pages(data: bytes, kind: str, title_words: tuple[str, ...] = (), signature: tuple[str, ...] = (),
              deliberate: tuple[str, ...] = ()) -> list[Page]:
    from .pages import read_document
    with pymupdf.open(stream=data, filetype="pdf") as document:
        return read_document(document, kind, title_words, signature, deliberate)
