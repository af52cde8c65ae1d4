"""The .docx as a user sees it: opened and converted by LibreOffice, read back as text from the PDF."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = ("soffice", "pdftotext")


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must have {', '.join(missing)}: .ci/run installs them")
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install libreoffice-writer poppler-utils)")


def to_pdf_text(docx: Path, workdir: Path) -> str:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{workdir}/profile",
                    "--convert-to", "pdf", "--outdir", str(workdir), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = workdir / (docx.stem + ".pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("dept, phrases", [
    # every sub-unit's 执行率, by hand: 66890.35/68512.40, 12101.20/12406.55, 2315.26/2315.26, 44560.18/45210.00,
    # 37153.70/37535.90
    ("huadu", ["广州市花都区卫生健康局2023年度部门整体支出绩效自评报告", "96.82", "优", "98.22%", "一级指标", "扣分原因",
               "预算执行率", "97.63%", "97.54%", "100.00%", "98.56%", "98.98%", "部门名称（公章）"]),
    ("lianjiang", ["廉江市卫生健康局2024年度部门整体支出绩效自评报告", "100.00", "优", "82.35%", "32953.64"]),
    ("shaoguan", ["韶关市第一人民医院2024年高水平医院建设项目预算执行情况绩效自评报告", "85.77", "良", "59.20%",
                  "偏差原因分析"]),
])
def test_libreoffice_opens_the_report(built, tmp_path, dept, phrases):
    require_tools()
    _, folder = built[dept]
    # LibreOffice spaces Latin from CJK text and wraps lines; compare without white space
    text = "".join(to_pdf_text(folder / "report.docx", tmp_path).split())
    for phrase in phrases:
        assert phrase in text, phrase


def test_libreoffice_opens_the_standard_form(built, tmp_path):
    require_tools()
    _, folder = built["shaoguan"]
    text = "".join(to_pdf_text(folder / "自评表.docx", tmp_path).split())
    for phrase in ("项目支出绩效自评表", "高水平医院建设", "年度资金总额", "3,000.00", "1,775.96", "85.77", "自评等级：良"):
        assert phrase in text, phrase
