"""PDF through LibreOffice, the Word client available on a server: the PDF shows what users will see."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import FormatUnavailable

FONTS = Path(__file__).resolve().parent / "fonts.conf"


def docx_to_pdf(docx: bytes) -> bytes:
    pdf = docxs_to_pdfs([docx])[0]
    if pdf is None:
        raise FormatUnavailable("LibreOffice 转换 PDF 失败：没有生成 PDF 文件")
    return pdf


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
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                               "pdf", "--outdir", str(folder), *map(str, names)],
                              capture_output=True, text=True, timeout=300 + 60 * len(docxs),
                              env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
        pdfs = [name.with_suffix(".pdf") for name in names]
        if done.returncode != 0 or not any(pdf.exists() for pdf in pdfs):
            raise FormatUnavailable(f"LibreOffice 转换 PDF 失败：{(done.stderr or done.stdout).strip()[:300]}")
        return [pdf.read_bytes() if pdf.exists() else None for pdf in pdfs]
