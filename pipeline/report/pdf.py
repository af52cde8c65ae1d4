"""PDF through LibreOffice, the Word client available on a server: the PDF shows what users will see."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..deadline import limited_run, remaining
from ..errors import FormatUnavailable, OutOfTime, OverLimit
from ..limits import CHILD_SECONDS
from .pdf_pages import SIGNATURE_BLANK, Pages, boxes, chart_gaps, closer_may_help, heading_pages, signature_blank
from .word.contents import contents_entries, has_contents, numbered
from .word.floats import captions, flowed
from .word.signature import TIGHT_LINES, relaid, signature_lines
from .word.styles import LINE_PT, SIGNATURE_SPACE_BEFORE_LINES

FONTS = Path(__file__).resolve().parent / "fonts.conf"
if TYPE_CHECKING:  # the converter's XML-RPC client is imported only by a run that keeps one
    from .pdf_converter import Converter

PDF_FAILED = "report.pdf：LibreOffice 两次转换均失败（可能是本机负载过高时 LibreOffice 异常退出），其他文件已写入；请稍后重试"
PAGING_ROUNDS = 3  # numbering the 目录 can lengthen it by a page and move every heading: lay out again
CLOSER_PT = LINE_PT * (SIGNATURE_SPACE_BEFORE_LINES - TIGHT_LINES)  # what relaid's first way takes off the 落款's space
SPARE_PT = LINE_PT * 2  # the spacing LibreOffice drops at a page's top, and more, allowed before that way is left untried


def docx_and_pdf(docx: bytes) -> tuple[bytes, bytes | None]:
    """The Word report (its 目录 numbered as the PDF lays it out) and its PDF; None for the PDF when LibreOffice
    failed twice (it crashes now and then on a loaded machine), so that the other files are still written."""
    for _ in range(2):
        try:
            made, pdf = paged([docx])[0]
        except OutOfTime:
            raise
        except (FormatUnavailable, OverLimit):
            if not installed():
                raise
            continue
        if pdf is not None:
            return made, pdf
    return docx, None


def installed() -> bool:
    return (shutil.which("soffice") or shutil.which("libreoffice")) is not None


def paged(docxs: list[bytes], converter: Converter | None = None) -> list[tuple[bytes, bytes | None]]:
    """Each Word report with its PDF; a report with a 目录 gets the page numbers LibreOffice gave its headings
    written into the entries, and is converted again until they hold. With a running converter, through it."""
    docxs, read = list(docxs), dict[bytes, Pages | None]()
    pdfs = docxs_to_pdfs(docxs, converter)
    docxs, pdfs = charts_placed(docxs, pdfs, converter, read)
    docxs, pdfs = signatures_placed(docxs, pdfs, converter, read)
    contents = {i: contents_entries(docx) for i, docx in enumerate(docxs) if has_contents(docx)}
    originals = {i: docxs[i] for i in contents}
    numbers: dict[int, list[str]] = {}  # the page numbers last written into each report's 目录
    for _ in range(PAGING_ROUNDS):
        again = {}
        for i, (title, entries) in contents.items():
            pdf = pdfs[i]
            pages = heading_pages(pdf, title, entries) if pdf is not None else None
            if pages is not None and pages != numbers.get(i):
                numbers[i], again[i] = pages, numbered(originals[i], pages)
        if not again:
            break
        for i, pdf in zip(again, docxs_to_pdfs(list(again.values()), converter)):
            docxs[i], pdfs[i] = again[i], pdf
    return list(zip(docxs, pdfs))


def read_once(pdf: bytes, read: dict[bytes, Pages | None]) -> Pages | None:
    """The PDF's lines and their places (pdf_pages.boxes), read by pdftotext once for the checks of one run."""
    if pdf not in read:
        read[pdf] = boxes(pdf)
    return read[pdf]


def charts_placed(docxs: list[bytes], pdfs: list[bytes | None], converter: Converter | None = None,
                  read: dict[bytes, Pages | None] | None = None) -> tuple[list[bytes], list[bytes | None]]:
    """Each report whose PDF shows a chart pushed to the next page, leaving the foot of the page before it blank,
    laid out again with the text after the chart moved up to fill that foot (kept where LibreOffice then fails)."""
    docxs, pdfs, again, read = list(docxs), list(pdfs), {}, {} if read is None else read
    for i, (docx, pdf) in enumerate(zip(docxs, pdfs)):
        found = captions(docx) if pdf is not None else []
        gaps = chart_gaps(read_once(pdf, read), found) if found and pdf is not None else None
        if gaps:
            again[i] = flowed(docx, gaps)
    for i, pdf in zip(again, docxs_to_pdfs(list(again.values()), converter) if again else []):
        if pdf is not None:
            docxs[i], pdfs[i] = again[i], pdf
    return docxs, pdfs


def signatures_placed(docxs: list[bytes], pdfs: list[bytes | None], converter: Converter | None = None,
                      read: dict[bytes, Pages | None] | None = None) -> tuple[list[bytes], list[bytes | None]]:
    """Each report whose PDF shows its 落款 alone, split, or pulled to the next page with more than the text above it
    (the page before left more than SIGNATURE_BLANK blank), laid out again with the 落款 set closer
    (word/signature.py): the first way that leaves at most that blank is kept, else the best that does better than
    the report as it was, else the report as it was. The first way is not tried where the PDF shows that it cannot
    change the page before the 落款's (pdf_pages.closer_may_help): each way costs a conversion."""
    docxs, pdfs, read = list(docxs), list(pdfs), {} if read is None else read
    for i, (docx, pdf) in enumerate(zip(docxs, pdfs)):
        lines = signature_lines(docx) if pdf is not None else []
        pages = read_once(pdf, read) if pdf is not None and lines else None
        blank = signature_blank(pages, lines)
        if pages is None or blank is None or blank <= SIGNATURE_BLANK:
            continue
        ways = relaid(docx)
        for candidate in ways if closer_may_help(pages, lines, CLOSER_PT, SPARE_PT) else ways[1:]:
            [again] = docxs_to_pdfs([candidate], converter)
            better = signature_blank(boxes(again), lines) if again is not None else None
            if better is not None and better < blank:
                docxs[i], pdfs[i], blank = candidate, again, better
                if better <= SIGNATURE_BLANK:
                    break
    return docxs, pdfs


def docxs_to_pdfs(docxs: list[bytes], converter: Converter | None = None) -> list[bytes | None]:
    """Many documents through one LibreOffice process (its start-up costs more than a conversion): the running
    converter when given, else one started for these documents; None where one document gave no PDF."""
    if converter is not None:
        return [through(converter, docx) for docx in docxs]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FormatUnavailable("生成 PDF 需要 LibreOffice，本机未安装（Debian/Ubuntu：apt-get install -y libreoffice-writer "
                                "fonts-noto-cjk）；其他格式可用 FORMATS=md,docx,html 生成")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = [folder / f"report-{i:05d}.docx" for i in range(len(docxs))]
        for name, docx in zip(names, docxs):
            name.write_bytes(docx)
        # a private profile: a LibreOffice already open on the desktop would otherwise swallow the job
        # within the unit's remaining time; a batch's reports (outside any one unit's run) have CHILD_SECONDS each
        done = limited_run([soffice, "--headless", "-env:UserInstallation=" + (folder / "profile").as_uri(), "--convert-to",
                            "pdf", "--outdir", str(folder), *map(str, names)], "LibreOffice",
                           seconds=remaining(CHILD_SECONDS * len(docxs)), env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
        pdfs = [name.with_suffix(".pdf") for name in names]
        if done.returncode != 0 or not any(pdf.exists() for pdf in pdfs):
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:300]
            raise FormatUnavailable(f"LibreOffice 转换 PDF 失败：{said}")
        return [pdf.read_bytes() if pdf.exists() else None for pdf in pdfs]


def through(converter: Converter, docx: bytes) -> bytes | None:
    """One document through the running converter; a failure (LibreOffice crashed, hung or refused) restarts it and
    tries once more; None when that fails too (the converter is restarted again, for the next document)."""
    from . import pdf_converter
    for _ in range(2):
        try:
            return pdf_converter.convert(converter, docx, remaining(CHILD_SECONDS))
        except FormatUnavailable:
            try:
                pdf_converter.restart(converter, FONTS)
            except FormatUnavailable:
                return None
    return None


def kept_converter(cache: dict[str, Converter | None]) -> Converter | None:
    """The converter of this process (a batch worker's), started at its first PDF and kept for the next ones in
    `cache`; None where none can run (the caller then starts LibreOffice per group of documents)."""
    from . import pdf_converter
    if "converter" not in cache:
        try:
            cache["converter"] = pdf_converter.start(FONTS) if pdf_converter.available() else None
        except FormatUnavailable:
            cache["converter"] = None
        if cache["converter"] is not None:
            pdf_converter.stop_at_exit(cache["converter"])
    return cache["converter"]
