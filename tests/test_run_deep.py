"""Frameworks deeper than three levels (up to six), unlike the examples: a four-level department framework with
leaves at levels 2, 3 and 4 and names that repeat under different parents, a five-level project framework whose
来自指标表 sits at level 3 beside a framework leaf of its own. Every level's name appears in report.md, report.html,
report.docx and the 自评表; merged cells never cross a parent; totals add up. Every figure below is computed by hand.
Validation, pages, the form, checks.md and import: the test_deep_* files beside the package's tests."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from docx import Document

from pipeline.inputs.framework import LEVEL_NAMES
from pipeline.run import build
from tests.conftest import copy_inputs
from tests.helpers import edit

FORMATS = ("md", "docx", "html")

# A four-level department framework (huadu's data: 预算执行率 163,020.69 / 165,980.11 = 98.22%).
#   A11x/A12x and B11x/B21x sit at level 4, B12 and B22 at level 3, A2 at level 2.
#   “规范管理（10分）” is a 三级 name under A1, under B1 and under B2; “合规性” a 四级 name under B11 and B21.
DEPT_FRAMEWORK = """\
名称: 四级指标的部门整体支出绩效评价指标体系
适用: department
生效日期: 2023-01-01
来源: 测试用
指标:
  - 编号: A
    名称: 履职效能
    权重: 50
    下级:
      - 编号: A1
        名称: 重点工作
        权重: 30
        下级:
          - 编号: A11
            名称: 公共卫生服务
            权重: 20
            下级:
              - {编号: A111, 名称: 适龄儿童疫苗接种率, 权重: 10, 规则: {类型: completion}}
              - {编号: A112, 名称: 居民健康档案建档率, 权重: 10, 规则: {类型: completion}}
          - 编号: A12
            名称: 规范管理
            权重: 10
            下级:
              - {编号: A121, 名称: 制度执行, 权重: 10, 规则: {类型: deduction, 每项扣分: 2}}
      - {编号: A2, 名称: 预算执行率, 权重: 20, 规则: {类型: ratio, 测算指标: 预算执行率}}
  - 编号: B
    名称: 管理效率
    权重: 50
    下级:
      - 编号: B1
        名称: 资金管理
        权重: 25
        下级:
          - 编号: B11
            名称: 规范管理
            权重: 10
            下级:
              - 编号: B111
                名称: 合规性
                权重: 10
                规则: {类型: checklist, 清单: [{名称: 符合财经制度, 分值: 6}, {名称: 审批程序完整, 分值: 4}]}
          - {编号: B12, 名称: 支出控制, 权重: 15, 规则: {类型: completion}}
      - 编号: B2
        名称: 资产管理
        权重: 25
        下级:
          - 编号: B21
            名称: 规范管理
            权重: 10
            下级:
              - {编号: B211, 名称: 合规性, 权重: 10, 规则: {类型: deduction, 每项扣分: 1}}
          - {编号: B22, 名称: 资产使用, 权重: 15, 规则: {类型: completion}}
"""
DEPT_FACTS = """\
指标编号,指标名称,目标值,比较符,计量单位,实际值,扣分项数,已完成项,档次,自评得分,说明,来源
A111,适龄儿童疫苗接种率,95,≥,%,96,,,,,,测试
A112,居民健康档案建档率,90,≥,%,81,,,,,流动人口建档滞后,测试
A121,制度执行,,,,,1,,,,1项制度未按时修订,测试
A2,预算执行率,,,,,,,,,部分专项资金年底下达,测试
B111,合规性,,,,,,全部,,,,测试
B12,支出控制,100,≤,%,92,,,,,,测试
B211,合规性,,,,,3,,,,3项资产未及时入账,测试
B22,资产使用,95,≥,%,90,,,,,部分设备闲置,测试
"""
# A111 96 ≥ 95 → 10;  A112 81/90 = 90.00% × 10 = 9.00;  A121 10 − 1 × 2 = 8;  A2 98.22% × 20 = 19.644 → 19.64
# B111 all items → 10;  B12 92 ≤ 100 → 15;  B211 10 − 3 × 1 = 7;  B22 90/95 = 94.74% × 15 = 14.211 → 14.21
DEPT_POINTS = {"A111": "10.00", "A112": "9.00", "A121": "8.00", "A2": "19.64", "B111": "10.00", "B12": "15.00",
               "B211": "7.00", "B22": "14.21"}
# 履职效能 10 + 9 + 8 + 19.64 = 46.64 (重点工作 27.00: 公共卫生服务 19.00, 规范管理 8.00);
# 管理效率 10 + 15 + 7 + 14.21 = 46.21 (资金管理 25.00, 资产管理 21.21); total 92.85 → 优
DEPT_NODES = {"A": "46.64", "A1": "27.00", "A11": "19.00", "A12": "8.00", "B": "46.21", "B1": "25.00", "B11": "10.00",
              "B2": "21.21", "B21": "7.00"}
DEPT_NAMES = ("履职效能", "重点工作", "公共卫生服务", "适龄儿童疫苗接种率", "居民健康档案建档率", "规范管理", "制度执行",
              "预算执行率", "管理效率", "资金管理", "合规性", "支出控制", "资产管理", "资产使用")

# A five-level project framework (example-cdc's data): 预算执行率 at level 4; 来自指标表 at level 3, so the unit's
# indicators stand at level 5, and under 产出指标 a leaf of the framework's own (P2111, level 4) beside them.
PROJECT_FRAMEWORK = """\
名称: 五级指标的项目支出绩效自评指标
适用: project
生效日期: 2020-01-01
来源: 测试用
指标:
  - 编号: P1
    名称: 预算执行
    权重: 10
    下级:
      - 编号: P11
        名称: 资金
        权重: 10
        下级:
          - 编号: P111
            名称: 资金执行
            权重: 10
            下级:
              - {编号: P1111, 名称: 预算执行率, 权重: 10, 规则: {类型: ratio, 测算指标: 预算执行率}}
  - 编号: P2
    名称: 绩效指标
    权重: 90
    下级:
      - 编号: P21
        名称: 产出
        权重: 50
        下级:
          - 编号: P211
            名称: 产出指标
            权重: 50
            下级:
              - {编号: P2111, 名称: 采购计划完成率, 权重: 10, 规则: {类型: completion}}
            来自指标表: {一级指标: [产出指标], 分配: 权重, 规则: {类型: completion}}
      - 编号: P22
        名称: 效果
        权重: 40
        下级:
          - 编号: P221
            名称: 效益指标
            权重: 30
            来自指标表: {一级指标: [效益指标], 分配: 权重, 规则: {类型: completion}}
          - 编号: P222
            名称: 满意度指标
            权重: 10
            来自指标表: {一级指标: [满意度指标], 分配: 权重, 规则: {类型: completion}}
"""
# funds: 全年预算 320 + 120 + 25 = 465.00, 已支出 305.60 + 118.40 + 20.00 = 444.00; 444 / 465 = 95.48% × 10 = 9.548 → 9.55
# P2111 100 ≥ 100 → 10; C01 126540 ≥ 120000 → 5 (its weight cut from 15 to 5 to leave 10 for P2111);
# C02 18/20 = 90% × 15 = 13.50; C03 97.2 ≥ 95 → 10; C04 ≤ 10 月, 11 月: 10/11 = 90.91% × 10 = 9.091 → 9.09;
# C05 达成预期指标, own score 15; C06 100 ≥ 100 → 15; C07 93.6 ≥ 90 → 10
PROJECT_POINTS = {"P1111": "9.55", "P2111": "10.00", "C01": "5.00", "C02": "13.50", "C03": "10.00", "C04": "9.09",
                  "C05": "15.00", "C06": "15.00", "C07": "10.00"}
# 产出 10 + 5 + 13.50 + 10 + 9.09 = 47.59; 效果 15 + 15 + 10 = 40; 绩效指标 87.59; total 9.55 + 87.59 = 97.14 → 优
PROJECT_NAMES = ("预算执行", "资金", "资金执行", "预算执行率", "绩效指标", "产出", "产出指标", "采购计划完成率", "数量指标",
                 "质量指标", "时效指标", "国家免疫规划疫苗接种剂次", "效果", "效益指标", "社会效益指标", "满意度指标",
                 "服务对象满意度指标", "受种者家长满意度")


def deep_department(root: Path) -> str:
    """huadu's data under the four-level framework."""
    (root / "inputs/frameworks/deep-dept.yaml").write_text(DEPT_FRAMEWORK, encoding="utf-8")
    unit = root / "inputs/huadu/2023"
    edit(unit / "unit.yaml", "评价体系: huadu-2023", "评价体系: deep-dept")
    (unit / "indicators.csv").write_text(DEPT_FACTS, encoding="utf-8")
    return "huadu"


def deep_project(root: Path) -> str:
    """example-cdc's data under the five-level framework, with a row for the framework's own 产出 leaf."""
    (root / "inputs/frameworks/deep-project.yaml").write_text(PROJECT_FRAMEWORK, encoding="utf-8")
    unit = root / "inputs/example-cdc/2024"
    edit(unit / "unit.yaml", "评价体系: national-project-2020", "评价体系: deep-project")
    facts = unit / "indicators.csv"
    edit(facts, "N11,预算执行率,", "P1111,预算执行率,")
    edit(facts, "C01,国家免疫规划疫苗接种剂次,产出指标,数量指标,15,", "C01,国家免疫规划疫苗接种剂次,产出指标,数量指标,5,")
    with facts.open("a", encoding="utf-8") as out:
        out.write("P2111,采购计划完成率,,,,100,≥,%,100,,,采购计划全部完成,,测试\n")
    return "example-cdc"


@pytest.fixture(scope="module")
def deep(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """name → (result, output folder) of each deep unit, built once in md, docx and html."""
    out = {}
    for name, change in (("dept", deep_department), ("project", deep_project)):
        root = copy_inputs(tmp_path_factory.mktemp(name))
        result, written = build(root, change(root), formats=FORMATS, charts=False)
        out[name] = (result, written[0].parent)
    return out


@pytest.mark.slow
def test_four_level_department_scores_as_computed_by_hand(deep):
    result, _ = deep["dept"]
    scores = result.scores
    assert {leaf.id: str(leaf.points) for leaf in scores.leaves()} == DEPT_POINTS
    assert {node.id: str(node.points) for node in scores.nodes() if node.children} == DEPT_NODES
    assert [leaf.level for leaf in scores.leaves()] == [4, 4, 4, 2, 4, 3, 4, 3]
    assert scores.total == Decimal("92.85") and scores.grade == "优"
    for node in scores.nodes():  # every parent is the sum of its children, at every level
        if node.children:
            assert node.points == sum((c.points for c in node.children), Decimal(0))
            assert node.weight == sum((c.weight for c in node.children), Decimal(0))


def test_five_level_project_scores_as_computed_by_hand(deep):
    result, _ = deep["project"]
    scores = result.scores
    assert {leaf.id: str(leaf.points) for leaf in scores.leaves()} == PROJECT_POINTS
    assert {leaf.id: leaf.level for leaf in scores.leaves()} == {
        "P1111": 4, "P2111": 4, "C01": 5, "C02": 5, "C03": 5, "C04": 5, "C05": 5, "C06": 5, "C07": 5}
    assert [str(b.points) for b in scores.blocks] == ["9.55", "87.59"]
    assert scores.total == Decimal("97.14") and scores.grade == "优"


def markdown_rows(report: str) -> list[list[str]]:
    """The score table of report.md as cells: header first, the total row last."""
    lines = report[report.rindex("| 一级指标"):].split("\n\n")[0].splitlines()  # the annex: the last table
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if not line.startswith("|:")
            and not line.startswith("|-")]


@pytest.mark.parametrize("name, depth, names", [("dept", 4, DEPT_NAMES), ("project", 5, PROJECT_NAMES)])
def test_score_table_has_a_column_a_level(deep, name, depth, names):
    result, folder = deep[name]
    rows = markdown_rows((folder / "report.md").read_text(encoding="utf-8"))
    assert rows[0][:depth + 1] == list(LEVEL_NAMES[:depth]) + [rows[0][depth]] and rows[0][depth] not in LEVEL_NAMES
    body, total = rows[1:-1], rows[-1]
    assert len(body) == len(result.scores.leaves())
    for row, path in zip(body, result.scores.paths()):
        # each ancestor with its weight, the leaf by its name, the columns below a shallower leaf left blank
        assert row[:len(path) - 1] == [f"{node.name}（{node.weight.normalize():f}分）" for node in path[:-1]]
        assert row[len(path) - 1] == path[-1].name and row[len(path):depth] == [""] * (depth - len(path))
    header = rows[0]
    points = [Decimal(row[header.index("得分")]) for row in body]
    assert sum(points) == result.scores.total == Decimal(total[header.index("得分")])


@pytest.mark.parametrize("name, names", [("dept", DEPT_NAMES), ("project", PROJECT_NAMES)])
def test_every_level_named_in_every_output(deep, name, names):
    _, folder = deep[name]
    report = (folder / "report.md").read_text(encoding="utf-8")
    html = lxml.html.fromstring((folder / "report.html").read_bytes()).text_content()
    docx = "\n".join(cell.text for table in Document(folder / "report.docx").tables for row in table.rows
                     for cell in row.cells)
    outputs = {"report.md": report, "report.html": html, "report.docx": docx}
    if name == "project":
        outputs["自评表.docx"] = "\n".join(cell.text for table in Document(folder / "自评表.docx").tables
                                          for row in table.rows for cell in row.cells)
    for output, text in outputs.items():
        # the form puts 预算执行率's points on its funds row, as the national form does, without the names above it
        skip = ("预算执行", "资金", "资金执行", "预算执行率") if output == "自评表.docx" else ()
        missing = [n for n in names if n not in text and n not in skip]
        assert not missing, (output, missing)


def test_narrative_names_every_level_with_its_points(deep):
    _, folder = deep["dept"]
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "其中重点工作27.00分（权重30分），预算执行率19.64分（权重20分）。" in report
    assert "重点工作中，公共卫生服务19.00分（权重20分），规范管理8.00分（权重10分）。" in report
    assert "资金管理中，规范管理10.00分（权重10分），支出控制15.00分（权重15分）。" in report
    assert "资产管理中，规范管理7.00分（权重10分），资产使用14.21分（权重15分）。" in report
    _, folder = deep["project"]
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "其中资金9.55分（权重10分）。资金中，资金执行9.55分（权重10分）。" in report
    # the unit's own indicators stand at level 5: their section says so, and every level above them has its points
    assert "五级绩效指标完成情况" in report
    assert ("各级得分：产出47.59分（权重50分），效果40.00分（权重40分）。产出中，产出指标47.59分（权重50分）。"
            "产出指标中，采购计划完成率10.00分（权重10分），数量指标18.50分（权重20分），") in report
    assert "绩效指标共8个，其中产出5个、效果3个；" in report  # leaves counted at any depth


def test_merged_cells_never_cross_a_parent(deep):
    """In Word and HTML: 规范管理 (three times at level 3) and 合规性 (twice at level 4) never merge with each
    other; each 一级/二级/三级 name spans exactly its own rows."""
    result, folder = deep["dept"]
    # rows of each parent (0-based body rows): 履职效能 0–3, 重点工作 0–2, 公共卫生服务 0–1; 管理效率 4–7,
    # 资金管理 4–5, 资产管理 6–7; one-row parents (规范管理 ×3, leaves) never merge
    expected = {(0, 0, 4), (1, 0, 3), (2, 0, 2), (0, 4, 4), (1, 4, 2), (1, 6, 2)}
    # the table may be cut into page parts: a name spans its own rows within each part, merged again in the next
    parts = [t for t in Document(folder / "report.docx").tables if t.rows[0].cells[0].text == "一级指标"]
    rows = [row._tr for part in parts for row in part.rows[1:]][:-1]  # the total row left out
    starts = {sum(len(part.rows) - 1 for part in parts[:i]) for i in range(len(parts))}
    spans = set()
    for column in range(4):
        for first, tr in enumerate(rows):
            if tr.tc_lst[column].vMerge == "restart":
                count = 1
                while first + count < len(rows) and rows[first + count].tc_lst[column].vMerge == "continue":
                    count += 1
                spans.add((column, first, count))
    cut = set()
    for column, first, count in expected:
        bounds = [first, *sorted(s for s in starts if first < s < first + count), first + count]
        cut |= {(column, a, b - a) for a, b in zip(bounds, bounds[1:]) if b - a > 1}
    assert spans == cut
    page = lxml.html.fromstring((folder / "report.html").read_bytes())
    [scores] = [t for t in page.xpath("//table") if t.xpath(".//th")[0].text_content().strip() == "一级指标"]
    found = set()
    for r, row in enumerate(scores.xpath(".//tbody/tr")):
        for cell in row.xpath("./td[@rowspan]"):
            found.add((cell.text_content().strip(), r, int(cell.get("rowspan"))))
    assert {(r, n) for _, r, n in found} == {(first, count) for _, first, count in expected}
    assert ("管理效率（50分）", 4, 4) in found and ("资产管理（25分）", 6, 2) in found
