"""The printed pages as a reader sees them (LibreOffice's PDF, read with PyMuPDF), for every example unit and
for units unlike them: a 30-leaf department framework, a project framework without a money block, a target
typed with its % sign. No picture covers text, the score table keeps to its landscape page budget, no "%%",
no label left standing with nothing after it."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from pipeline.run import build
from tests.conftest import copy_inputs
from tests.helpers import edit, require_libreoffice

pytestmark = pytest.mark.slow  # LibreOffice prints each example unit's report

pymupdf = pytest.importorskip("pymupdf")  # optional (AGPL, the `pdf` extra): these read a PDF's layout with it

EXAMPLES = ("huadu", "lianjiang", "shaoguan", "example-cdc", "example-dept")
# example-dept explains each part of its composite rules: rows of six to ten lines, beyond the measure;
# its fourth level adds a name column (blank in most rows), which makes the rows taller again
TALL_ROWS = {"example-dept": 4}
# a 30-leaf score table on five landscape pages or fewer: four before its header words were kept whole (issue 25),
# which narrows the criteria columns and takes the table from 113 to 136 estimated lines
LEAVES_PER_FIVE_PAGES = 30
# a short label alone in its paragraph, "填报日期：" with its value missing (not the tail of a sentence
# introducing what follows, "…报告如下：", carried over to a new page)
BARE_LABEL = re.compile(r"^(?!.*如下)[\u4e00-\u9fff（）()]{2,10}[：:]$")
TOUCH_PT2 = 4.0  # overlap area below this is anti-aliasing at a shared edge, not a picture over text

LONG_NAMES = ("基层医疗卫生机构家庭医生签约服务重点人群覆盖率", "严重精神障碍患者规范管理率", "免费孕前优生健康检查目标人群覆盖率",
              "65岁及以上老年人城乡社区规范健康管理服务率", "院前急救平均反应时间", "职业健康检查机构备案数")


def thirty_leaves(root: Path) -> None:
    """huadu's framework replaced by one of 30 leaves (3 一级, 6 二级, 5 leaves each), with long names and
    criteria, and its indicators.csv with a row for each leaf."""
    lines = ["名称: 三十项指标的部门整体支出绩效评价指标体系", "适用: department", "生效日期: 2023-01-01",
             "来源: 测试", "指标:"]
    rows = ["指标编号,指标名称,目标值,比较符,计量单位,实际值,扣分项数,已完成项,档次,自评得分,说明,来源"]
    weights = [[4, 4, 4, 4, 4], [3, 3, 3, 3, 3], [4, 4, 4, 4, 4], [3, 3, 3, 3, 3], [3, 3, 3, 3, 3], [3, 3, 3, 3, 3]]
    # 一级 weights: 35 + 35 + 30 = 100
    tops = (("A", "履职效能", (0, 1)), ("B", "管理效率", (2, 3)), ("C", "社会效益", (4, 5)))
    for top_id, top_name, middles in tops:
        lines += [f"  - 编号: {top_id}", f"    名称: {top_name}", f"    权重: {sum(sum(weights[m]) for m in middles)}",
                  "    下级:"]
        for position, middle in enumerate(middles, 1):
            middle_id = f"{top_id}{position}"
            lines += [f"      - 编号: {middle_id}", f"        名称: 第{middle + 1}组重点工作任务完成情况",
                      f"        权重: {sum(weights[middle])}", "        下级:"]
            for leaf, weight in enumerate(weights[middle], 1):
                leaf_id = f"{middle_id}{leaf}"
                name = LONG_NAMES[(middle + leaf) % len(LONG_NAMES)] + f"（{leaf_id}）"
                lines += [f"          - 编号: {leaf_id}", f"            名称: {name}", f"            权重: {weight}",
                          "            规则: {类型: completion}",
                          "            评分标准: 完成目标值得满分，未完成的按完成比例计分，低于60%不得分"]
                actual = 95 if leaf % 2 else 100
                rows.append(f"{leaf_id},{name},100,≥,%,{actual},,,,,全年按计划推进，完成率{actual}%,测试")
    (root / "inputs/frameworks/huadu-2023.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "inputs/huadu/2023/indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def no_money_block(root: Path) -> None:
    """example-cdc under a project framework whose blocks all come from its indicator table."""
    path = root / "inputs/frameworks/national-project-2020.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  - 编号: N1\n"), text.index("  - 编号: N2\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(path, "    权重: 50\n", "    权重: 60\n")
    csv = root / "inputs/example-cdc/2024/indicators.csv"
    rows = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text("".join(row for row in rows if not row.startswith("N11,")), encoding="utf-8")
    edit(csv, ",产出指标,数量指标,15,", ",产出指标,数量指标,25,")


def percent_target(root: Path) -> None:
    """huadu with a target typed as "100%" in a column whose unit is already %."""
    edit(root / "inputs/huadu/2023/indicators.csv", "A22,老年友善医疗机构创建率,100,≥,%", "A22,老年友善医疗机构创建率,100%,≥,%")


def with_contents(root: Path) -> None:
    """huadu with a table of contents (目录: true), its 填报日期 left out."""
    unit = root / "inputs/huadu/2023/unit.yaml"
    text = unit.read_text(encoding="utf-8")
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("填报日期:"))
    unit.write_text(text + "目录: true\n", encoding="utf-8")


def project_contents(root: Path) -> None:
    """example-cdc, a project report, with a table of contents."""
    unit = root / "inputs/example-cdc/2024/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "目录: true\n", encoding="utf-8")


UNLIKE = {"thirty-leaves": ("huadu", thirty_leaves), "no-money-block": ("example-cdc", no_money_block),
          "percent-target": ("huadu", percent_target), "contents": ("huadu", with_contents),
          "project-contents": ("example-cdc", project_contents)}


def leaves(nodes: list[dict]) -> int:
    return sum(leaves(node["下级"]) if node.get("下级") else 1 for node in nodes)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[pymupdf.Document, int, list[str]]]:
    """name → (the report as LibreOffice prints it, leaves in its score table, its 一级 names)."""
    require_libreoffice()
    out = {}
    cases = {name: (name, None) for name in EXAMPLES} | UNLIKE
    for name, (dept, change) in cases.items():
        root = copy_inputs(tmp_path_factory.mktemp(name))
        if change:
            change(root)
        _, written = build(root, dept, formats=("docx", "pdf"))
        folder = written[0].parent
        scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
        out[name] = (pymupdf.open(folder / "report.pdf"), leaves(scores["指标"]), [top["名称"] for top in scores["指标"]])
    return out


CASES = EXAMPLES + tuple(UNLIKE)


def text_blocks(page: pymupdf.Page) -> list[pymupdf.Rect]:
    return [pymupdf.Rect(block[:4]) for block in page.get_text("blocks") if block[6] == 0 and block[4].strip()]


@pytest.mark.parametrize("name", CASES)
def test_no_chart_leaves_the_page_before_it_under_filled(printed, name):
    """A chart too tall for the rest of a page never leaves more than a fifth of that page blank (before the text
    after it flowed up, example-dept's page 4 was 32 % blank and huadu's page 13 30 %), and every page turned for
    the score table carries its number turned on its left edge (GB/T 9704 §10)."""
    from tests.corpus.layout import chart_page_filled
    from tests.corpus.pages import read_document
    document, _, _ = printed[name]
    pages = read_document(document)
    assert [found for page in pages for found in chart_page_filled(page)] == []
    for page in document:
        if page.rect.width > page.rect.height:
            numbers = [line for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                       if re.fullmatch(r"—\d+—", "".join("".join(s["text"].split()) for s in line["spans"]))]
            assert len(numbers) == 1 and numbers[0]["dir"] == (0.0, 1.0), page.number  # read top to bottom
            assert numbers[0]["bbox"][2] < 37 * 72 / 25.4  # inside the left margin
            odd = (page.number + 1) % 2 == 1
            assert (numbers[0]["bbox"][1] > page.rect.height / 2) == odd  # odd at the foot, even at the head


@pytest.mark.parametrize("name", CASES)
def test_no_picture_covers_text(printed, name):
    document, _, _ = printed[name]
    pictures = 0
    for number, page in enumerate(document, 1):
        for image in page.get_image_info():
            pictures += 1
            frame = pymupdf.Rect(image["bbox"])
            for block in text_blocks(page):
                overlap = frame & block
                assert overlap.is_empty or overlap.get_area() < TOUCH_PT2, (number, frame, block)
    assert pictures, "the report shows its charts"


@pytest.mark.parametrize("name", CASES)
def test_score_table_within_its_landscape_budget(printed, name):
    document, count, _ = printed[name]
    landscape = [page for page in document if page.rect.width > page.rect.height]
    assert landscape, "the score table stands on landscape pages"
    budget = TALL_ROWS.get(name, math.ceil(count * 5 / LEAVES_PER_FIVE_PAGES))
    assert len(landscape) <= budget, (len(landscape), count)
    if name == "thirty-leaves":
        assert count == 30 and len(landscape) <= 5


@pytest.mark.parametrize("name", CASES)
def test_score_table_pages_name_their_groups(printed, name):
    """Every landscape page shows a 一级 name: a group continued on the next page has its names again."""
    document, _, tops = printed[name]
    for page in document:
        if page.rect.width > page.rect.height:
            text = "".join(page.get_text().split())
            assert any(top in text for top in tops), page.number


@pytest.mark.parametrize("name", CASES)
def test_no_doubled_percent_and_no_bare_label(printed, name):
    document, _, _ = printed[name]
    for number, page in enumerate(document, 1):
        text = page.get_text()
        assert "%%" not in text and "％％" not in text, number
        assert "评分表评分表" not in text, number
        for block in page.get_text("blocks"):
            paragraph = "".join(block[4].split())
            assert not BARE_LABEL.match(paragraph), (number, paragraph)


def test_contents_page_lists_every_chapter(printed):
    """目录: true gives a page after the cover listing the chapters, as LibreOffice shows it without updating."""
    document, _, _ = printed["contents"]
    page = "".join(document[1].get_text().split())
    assert page.startswith("目录")
    chapters = ("一、部门基本情况", "二、绩效自评情况综合评价分析", "三、存在的主要问题", "四、下一步改进措施",
                "附件：部门整体支出绩效自评评分表")
    assert all(chapter in page for chapter in chapters), page
    cover = "".join(document[0].get_text().split())
    assert "填报日期" not in cover and "填报人：陈晓玲" in cover


FOOTER = re.compile(r"^—(\d+)—$")
ENTRY = re.compile(r"^(.+?)\.{3,}(\d+)$")


@pytest.mark.parametrize("name", ("contents", "project-contents"))
def test_contents_entries_carry_the_page_their_heading_is_printed_on(printed, name):
    """Each 目录 line ends with the number in the footer of the page its heading stands on, as printed."""
    document, _, _ = printed[name]
    lines = ["".join(line.split()) for line in document[1].get_text().splitlines()]
    entries = [ENTRY.match(line).groups() for line in lines[1:] if ENTRY.match(line)]
    assert len(entries) >= 4 and lines[0] == "目录", lines
    at = 2
    for heading, number in entries:
        at = next(i for i in range(at, len(document)) if heading in "".join(document[i].get_text().split()))
        footer = [m.group(1) for line in document[at].get_text().splitlines() if (m := FOOTER.match("".join(line.split())))]
        assert footer == [number], (heading, at + 1, footer)


LETTER_SPACED = 1.08  # a body line's characters this many em apart, or more, are spread out to fill the line


def _wide_char_pitch(line: dict) -> float:
    """The mean distance from one Chinese character to the next along a line of text, in em."""
    chars = [(c, span["size"]) for span in line["spans"] for c in span["chars"]]
    pitches = [(b["origin"][0] - a["origin"][0]) / size for (a, size), (b, _) in zip(chars, chars[1:])
               if "\u4e00" <= a["c"] <= "\u9fff" and "\u4e00" <= b["c"] <= "\u9fff" and size >= 14]
    return sum(pitches) / len(pitches) if pitches else 0.0


@pytest.mark.parametrize("name", ("huadu", "percent-target", "project-contents"))
def test_a_line_before_a_long_number_keeps_its_letter_spacing(printed, name):
    """Body text is not spread out to fill the line when a long amount moves to the next one (huadu's
    "全年预算165980.11万元" wraps so in LibreOffice)."""
    document, _, _ = printed[name]
    for number, page in enumerate(document, 1):
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                assert _wide_char_pitch(line) < LETTER_SPACED, (number, "".join(
                    c["c"] for span in line["spans"] for c in span["chars"]))


def test_the_last_part_of_a_split_score_table_is_not_a_row_beside_a_full_page(printed):
    """huadu's 17 leaves and 合计 take three landscape pages: the third holds three rows at least (two leaves and
    合计, each with its two-decimal score), not one leaf and 合计 while the page before has room."""
    document, _, _ = printed["huadu"]
    landscape = [page for page in document if page.rect.width > page.rect.height]
    scores = [w[4] for w in landscape[-1].get_text("words") if re.fullmatch(r"\d+\.\d\d", w[4])]
    assert len(landscape) > 1 and len(scores) >= 3, scores
