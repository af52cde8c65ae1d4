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
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FormatUnavailable("生成 PDF 需要 LibreOffice，本机未安装（Debian/Ubuntu：apt-get install -y libreoffice-writer "
                                "fonts-noto-cjk）；其他格式可用 FORMATS=md,docx,html 生成")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "report.docx").write_bytes(docx)
        # a private profile: a LibreOffice already open on the desktop would otherwise swallow the job
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                               "pdf", "--outdir", str(folder), str(folder / "report.docx")],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "FONTCONFIG_FILE": str(FONTS)})
        pdf = folder / "report.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise FormatUnavailable(f"LibreOffice 转换 PDF 失败：{(done.stderr or done.stdout).strip()[:300]}")
        return pdf.read_bytes()
