"""Where a Word page may break a line or a page, set where the clients would choose badly: a cover title breaks
between words in balanced lines (GB/T 9704 7.3.1), "表1-1" and "附表1" never break, the 落款 stays with the text
above it and in one piece."""
from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ...inputs.kinds import KINDS
from ...limits import MAX_TITLE_PIECES
from .layout import JOINER, LINE_SLACK_EM, clusters, header_words, line_count, pieces
from .reads import PARAGRAPH, paragraph_text, style_names
from .styles import ANNEX_LABEL_STYLE

if TYPE_CHECKING:
    pass
NOTE_STYLE = "附件说明"

ANNEX_PREFIXES = ("附件", "附表")
ROOM_EM = 1.0  # a header this much narrower than its column stays on one line in every client
LABEL = re.compile(r"(?:附件|附表|表|图)\d+(?:[-－.]\d+)*")
DIGIT = re.compile(r"\d")  # a text without one holds no label (a quick test before LABEL's)
# the words a title is made of, longest first where one holds another; a unit's name splits after its places
TITLE_WORDS = tuple(sorted({*(k.label for k in KINDS.values()), "绩效自评报告", "绩效评价报告", "自评报告",
                            "执行情况", "专项资金", "项目"}, key=len, reverse=True))
PLACE = "省|自治区|自治州|市|州|盟|区|县|旗|镇|乡|街道"
TITLE_TOKEN = re.compile("|".join((
    r"[（(][^）)]*[）)]",  # a bracketed remark is one word
    r"\d{4}\s*年度?",
    *map(re.escape, TITLE_WORDS),
    rf"[\u4e00-\u9fff]{{1,6}}?(?:{PLACE})(?![\u4e00-\u9fff]?(?:{PLACE}))",  # 广州市 花都区 翟店镇 …
    r"[0-9A-Za-z]+",
)))


def joined_labels(text: str) -> str:
    """`text` with every table, figure and annex label held together by word joiners."""
    return LABEL.sub(lambda m: JOINER.join(m.group(0)), text) if DIGIT.search(text) else text


def title_words(title: str) -> list[str]:
    """The title cut where a line may break: between the words TITLE_TOKEN knows and the runs of text between them."""
    words, at = [], 0
    for found in TITLE_TOKEN.finditer(title):
        if found.start() > at:
            words.append(title[at:found.start()])
        words.append(found.group(0))
        at = found.end()
    if at < len(title):
        words.append(title[at:])
    return words


def _width(text: str) -> float:
    return sum(clusters(text))


def balanced_lines(words: list[str], capacity: float) -> list[str]:
    """The fewest lines of at most `capacity` em, as even as the words allow, the upper lines not the longer
    (a trapezoid); a word wider than a line is cut where the line ends, as no better break exists."""
    pieces: list[str] = []
    for word in words:
        while _width(word) > capacity:
            cut = max(i for i in range(1, len(word) + 1) if _width(word[:i]) <= capacity) if _width(word[0]) <= capacity else 1
            pieces.append(word[:cut])
            word = word[cut:]
        if word:
            pieces.append(word)
    if len(pieces) > MAX_TITLE_PIECES:
        pieces = pieces[:MAX_TITLE_PIECES - 1] + ["".join(pieces[MAX_TITLE_PIECES - 1:])]
    best: tuple | None = None
    for cuts in itertools.product((False, True), repeat=max(len(pieces) - 1, 0)):
        lines, current = [], pieces[0]
        for piece, cut in zip(pieces[1:], cuts):
            if cut:
                lines.append(current)
                current = piece
            else:
                current += piece
        lines.append(current)
        widths = [_width(line) for line in lines]
        if max(widths) > capacity and len(lines) < len(pieces):
            continue
        key = (len(lines), max(widths), -min(widths), [-w for w in widths[:-1]][::-1])
        if best is None or key < best[0]:
            best = (key, lines)
    return best[1] if best else pieces


def _text_runs(paragraph) -> list | None:
    """The paragraph's runs when it holds plain text runs only (else None: left as the client would set it)."""
    runs = paragraph.findall(qn("w:r"))
    for child in paragraph:
        if child.tag not in (qn("w:r"), qn("w:pPr"), qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            return None
    if not runs or any(c.tag not in (qn("w:rPr"), qn("w:t")) for r in runs for c in r):
        return None
    return runs


def break_title(paragraph, capacity: float, cut=title_words) -> None:
    """Set the title paragraph's text in balanced lines with explicit breaks, cut into words by `cut`."""
    runs = _text_runs(paragraph)
    if runs is None:
        return
    text = "".join(t.text or "" for r in runs for t in r.findall(qn("w:t")))
    lines = balanced_lines(cut(text), capacity)
    if len(lines) < 2:
        return
    keep, *rest = runs
    for run in rest:
        paragraph.remove(run)
    for t in keep.findall(qn("w:t")):
        keep.remove(t)
    for i, line in enumerate(lines):
        if i:
            keep.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        keep.append(t)


def hold_words(tr, whole: int, widths_em: list[float]) -> None:
    """Each header cell of the row that wraps in its column (`widths_em`: each grid column's text width) set in
    balanced lines with explicit breaks between its words (layout.header_words at `whole`), as the plan counted them:
    LibreOffice breaks Chinese text anywhere, word joiners or not. A header with a character to spare stays one line."""
    column = 0
    for tc in tr.tc_lst:
        room, column = sum(widths_em[column:column + tc.grid_span]), column + tc.grid_span
        for p in (p for p in tc if p.tag == PARAGRAPH):
            if line_count(paragraph_text(p), room - ROOM_EM) > 1:
                break_title(p, room - LINE_SLACK_EM, lambda text: pieces(header_words(text, whole)))


def title_capacity(document, style_name: str, section=None) -> float:
    """How many em of the style's font a section's measure holds (the first section's by default)."""
    section = section if section is not None else document.sections[0]
    size = document.styles[style_name].font.size
    measure = section.page_width - section.left_margin - section.right_margin
    return measure / size if size else 0.0


def line_breaks(document) -> None:
    """Titles (the cover's, an annex's) broken between words, labels held together, the 落款 kept with the text above it and whole."""
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    capacity = title_capacity(document, "Title")
    style_of = style_names(document)
    for p in paragraphs[:3]:
        if capacity and style_of(p) == "Title":
            break_title(p, capacity)
    for p in body.findall(qn("w:p")):  # an annex title too long for a line breaks between words, not before “目）”
        style, before = style_of(p), p.getprevious()
        labelled = before is not None and before.tag == qn("w:p") and style_of(before) == ANNEX_LABEL_STYLE
        if style.startswith("Heading") and (labelled or "".join(p.itertext()).strip().startswith(ANNEX_PREFIXES)):
            indent = document.styles[style].paragraph_format.first_line_indent or 0
            size = document.styles[style].font.size
            capacity = title_capacity(document, style, document.sections[-1]) - (indent / size if size else 0)
            if capacity > 0:
                break_title(p, capacity)
    for t in body.iter(qn("w:t")):
        if t.text and (joined := joined_labels(t.text)) != t.text:
            t.text = joined
    signature = [p for p in body.findall(qn("w:p")) if style_of(p) == "落款"]
    if signature:
        held, before = [], signature[0].getprevious()
        # the 附件说明 above the 落款 goes with it, and the text above both: the 落款 never stands without text
        while before is not None and before.tag == qn("w:p") and (not "".join(before.itertext()).strip()
                                                                 or style_of(before) == NOTE_STYLE):
            held.append(before)
            before = before.getprevious()
        if before is not None and before.tag != qn("w:p"):
            before = None  # after a table: the table's last row cannot be held to it
        for p in ([before] if before is not None else []) + held + signature[:-1]:
            Paragraph(p, document._body).paragraph_format.keep_with_next = True
        for p in signature:
            Paragraph(p, document._body).paragraph_format.keep_together = True
