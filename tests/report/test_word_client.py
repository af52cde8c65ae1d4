"""The .docx as a user sees it: opened and converted by LibreOffice, read back as text from the PDF."""
from __future__ import annotations

import pytest

from tests.helpers import pdf_text, require_libreoffice, to_pdf

pytestmark = pytest.mark.slow  # LibreOffice opens the Word files


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
    require_libreoffice()
    _, folder = built[dept]
    text = pdf_text(to_pdf(folder / "report.docx", tmp_path))
    for phrase in phrases:
        assert phrase in text, phrase


def test_libreoffice_opens_the_standard_form(built, tmp_path):
    require_libreoffice()
    _, folder = built["shaoguan"]
    text = pdf_text(to_pdf(folder / "自评表.docx", tmp_path))
    for phrase in ("项目支出绩效自评表", "高水平医院建设", "年度资金总额", "3,000.00", "1,775.96", "85.77", "自评等级：良"):
        assert phrase in text, phrase
