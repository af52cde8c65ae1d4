"""A long four-level score table as a reader sees it: cut into page parts in Word, every level's name repeated on
each part, LibreOffice's landscape pages showing them."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from pipeline.inputs.framework import LEVEL_NAMES
from pipeline.run import build
from tests.conftest import copy_inputs
from tests.helpers import edit, require_libreoffice, to_pdf

pytestmark = pytest.mark.slow  # LibreOffice prints the deep units' reports

pymupdf = pytest.importorskip("pymupdf")  # optional (AGPL, the `pdf` extra): these read a PDF's layout with it


LONG_NAMES = ("基层医疗卫生机构家庭医生签约服务重点人群覆盖率", "严重精神障碍患者规范管理率", "免费孕前优生健康检查目标人群覆盖率",
              "65岁及以上老年人城乡社区规范健康管理服务率", "院前急救平均反应时间")


def long_deep(root: Path) -> str:
    """huadu under a four-level framework of 40 leaves (2 一级 × 2 二级 × 2 三级 × 5 四级, 2.5 points each), the
    same 三级 names under every 二级, long names: a table that runs over several landscape pages."""
    lines = ["名称: 四十项四级指标的评价体系", "适用: department", "生效日期: 2023-01-01", "来源: 测试用", "指标:"]
    rows = ["指标编号,指标名称,目标值,比较符,计量单位,实际值,说明,来源"]
    for a, top in enumerate(("履职效能", "管理效率"), 1):
        lines += [f"  - 编号: T{a}", f"    名称: {top}", "    权重: 50", "    下级:"]
        for b, middle in enumerate(("公共卫生服务能力提升", "医疗服务体系建设"), 1):
            lines += [f"      - 编号: T{a}{b}", f"        名称: {middle}（{top}）", "        权重: 25", "        下级:"]
            for c, group in enumerate(("年度重点任务", "常规业务工作"), 1):
                lines += [f"          - 编号: T{a}{b}{c}", f"            名称: {group}", "            权重: 12.5",
                          "            下级:"]
                for d in range(1, 6):
                    leaf = f"T{a}{b}{c}{d}"
                    lines += [f"              - {{编号: {leaf}, 名称: {LONG_NAMES[d - 1]}, 权重: 2.5, "
                              "规则: {类型: completion}, 评分标准: 完成目标值得满分，未完成的按完成比例计分}"]
                    actual = 95 if d % 2 else 100
                    rows.append(f"{leaf},{LONG_NAMES[d - 1]},100,≥,%,{actual},全年按计划推进，完成率{actual}%,测试")
    (root / "inputs/frameworks/long-deep.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    edit(root / "inputs/huadu/2023/unit.yaml", "评价体系: huadu-2023", "评价体系: long-deep")
    (root / "inputs/huadu/2023/indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return "huadu"


def test_long_deep_table_repeats_every_level_on_each_page(tmp_path):
    """Cut into page parts in Word, each part's first row carries all four names; LibreOffice's pages show them."""
    root = copy_inputs(tmp_path)
    result, written = build(root, long_deep(root), formats=("docx",), charts=False)
    # leaves 1, 3, 5 of each five at 95%: 2.5 × 95% = 2.375 → 2.38; leaves 2, 4 at 100% → 2.50;
    # a 三级 group 3 × 2.38 + 2 × 2.50 = 12.14; eight groups 97.12
    assert result.scores.total == Decimal("97.12")
    parts = [t for t in Document(written[0].parent / "report.docx").tables if t.rows[0].cells[0].text == "一级指标"]
    assert len(parts) >= 2
    firsts = []
    for part in parts:
        header = [tc.xpath("string(.)") for tc in part.rows[0]._tr.tc_lst]
        assert header[:5] == list(LEVEL_NAMES[:4]) + ["分值"]
        first = [tc.xpath("string(.)") for tc in part.rows[1]._tr.tc_lst][:4]
        assert all(first), first  # no continuation part starts with a blank name
        firsts.append(first)
    require_libreoffice()
    pdf = to_pdf(written[0].parent / "report.docx", tmp_path)
    pages = ["".join(page.get_text().split()) for page in pymupdf.open(pdf) if page.rect.width > page.rect.height]
    assert len(pages) >= len(parts)
    for first in firsts:  # every part's names, as printed (a long name may wrap: compare without white space)
        assert any(all(name.split("（")[0] in page for name in first) for page in pages), first
