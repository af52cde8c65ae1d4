"""PDF through LibreOffice, the Word client available on a server: the PDF shows what users will see."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..deadline import limited_run, remaining
from ..errors import FormatUnavailable
from ..limits import CHILD_SECONDS
from .pdf_pages import heading_pages
from .word.contents import contents_entries, has_contents, numbered

FONTS = Path(__file__).resolve().parent / "fonts.conf"
PAGING_ROUNDS = 3  # numbering the 目录 can lengthen it by a page and move every heading: lay out again


def docx_and_pdf(docx: bytes) -> tuple[bytes, bytes]:
    """The Word report (its 目录 numbered as the PDF lays it out) and its PDF."""
    docx, pdf = paged([docx])[0]
    if pdf is None:
        raise FormatUnavailable("LibreOffice 转换 PDF 失败：没有生成 PDF 文件")
    return docx, pdf


def paged(docxs: list[bytes]) -> list[tuple[bytes, bytes | None]]:
    """Each Word report with its PDF; a report with a 目录 gets the page numbers LibreOffice gave its headings
    written into the entries, and is converted again until they hold."""
    docxs = list(docxs)
    pdfs = docxs_to_pdfs(docxs)
    contents = {i: contents_entries(docx) for i, docx in enumerate(docxs) if has_contents(docx)}
    originals, numbers = dict((i, docxs[i]) for i in contents), {}
    for _ in range(PAGING_ROUNDS):
        again = {}
        for i, (title, entries) in contents.items():
            pages = heading_pages(pdfs[i], title, entries) if pdfs[i] is not None else None
            if pages is not None and pages != numbers.get(i):
                numbers[i], again[i] = pages, numbered(originals[i], pages)
        if not again:
            break
        for i, pdf in zip(again, docxs_to_pdfs(list(again.values()))):
            docxs[i], pdfs[i] = again[i], pdf
    return list(zip(docxs, pdfs))


def docxs_to_pdfs(docxs: list[bytes]) -> list[bytes | None]:
    """Many documents through one LibreOffice process (its start-up costs more than a conversion); None where
    one document gave no PDF, so that a batch keeps the others."""
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
