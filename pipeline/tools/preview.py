"""PNG pages of a report's PDF, for a person to look at what Word users will see."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import FormatUnavailable
from ..write import recover


def preview(folder: Path, resolution: int = 60) -> list[Path]:
    recover(folder)  # a run killed mid-swap (where the swap is not atomic) leaves the output one rename away
    pdf = folder / "report.pdf"
    if not pdf.exists():
        raise FormatUnavailable(f"找不到 {pdf}，请先用 FORMATS=pdf 生成报告")
    if shutil.which("pdftoppm") is None:
        raise FormatUnavailable("生成预览需要 poppler 的 pdftoppm（apt-get install -y poppler-utils）")
    target = folder / "preview"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(target / "page")], check=True)
    return sorted(target.glob("page-*.png"))
