"""A unit unlike any example, set up only with the README's commands and files: no change to pipeline/ or templates/."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.run import build
from tests.helpers import without_analysis

FRAMEWORK = """\
名称: 示例市部门整体支出绩效评价指标体系
适用: department
生效日期: 2024-01-01
来源: 示例市财政局（三个一级指标的结构仿深圳市各区：部门决策、部门管理、部门绩效）
指标:
  - 编号: D
    名称: 部门决策
    权重: 20
    下级:
      - 编号: D1
        名称: 预算编制
        权重: 10
        下级:
          - 编号: D11
            名称: 预算编制规范性
            权重: 10
            规则: {类型: checklist, 清单: [{名称: 按时编报, 分值: 5}, {名称: 细化到项目, 分值: 5}]}
      - 编号: D2
        名称: 目标设置
        权重: 10
        下级:
          - {编号: D21, 名称: 绩效目标合理性, 权重: 10, 规则: {类型: band}}
  - 编号: M
    名称: 部门管理
    权重: 20
    下级:
      - 编号: M1
        名称: 资金管理
        权重: 10
        下级:
          - {编号: M11, 名称: 预算执行率, 权重: 10, 规则: {类型: ratio, 测算指标: 预算执行率}}
      - 编号: M2
        名称: 资产管理
        权重: 10
        下级:
          - {编号: M21, 名称: 资产管理规范性, 权重: 10, 规则: {类型: deduction, 每项扣分: 2}}
  - 编号: P
    名称: 部门绩效
    权重: 60
    下级:
      - 编号: P1
        名称: 经济性
        权重: 20
        下级:
          - {编号: P11, 名称: 公用经费控制率, 权重: 20, 规则: {类型: tiers, 分档: [{条件: "<= 100", 得分: 20}, {得分: 10}]}}
      - 编号: P2
        名称: 效率性
        权重: 20
        下级:
          - {编号: P21, 名称: 重点工作完成率, 权重: 20, 规则: {类型: completion}}
      - 编号: P3
        名称: 效果性
        权重: 20
        下级:
          - {编号: P31, 名称: 服务对象满意度, 权重: 20, 规则: {类型: completion}}
"""

INDICATORS = """\
指标编号,指标名称,目标值,比较符,计量单位,实际值,扣分项数,已完成项,档次,自评得分,说明,来源
D11,预算编制规范性,,,,,,全部,,,,示例
D21,绩效目标合理性,,,,,,,成效显著,9,绩效目标与部门职责匹配,示例
M21,资产管理规范性,,,,,1,,,,1台设备未及时入账,示例
P11,公用经费控制率,,,%,95,,,,,,示例
P21,重点工作完成率,100,≥,%,90,,,,,1项重点工作顺延至次年,示例
P31,服务对象满意度,90,≥,%,93,,,,,,示例
"""

TEMPLATE = """\
{% extends "default/department/report.md.j2" %}

{% block outline %}
{{ self.preface() }}
{{ self.evaluation() }}
{{ self.basic() }}

## 绩效自评工作组织

本局成立自评工作小组，对照{{ framework.name }}逐项评分，自评得分{{ scores.total | score }}分。

{{ self.problems() }}
{{ self.improvements() }}
{{ self.signature() }}
{{ self.annex() }}
{% endblock %}
"""


@pytest.mark.slow
def test_a_unit_unlike_the_examples_renders_with_its_own_outline_and_letterhead(project, monkeypatch, capsys):
    root = str(project)
    # README 新建单位: make new DEPT=jiaqu KIND=department YEAR=2024
    assert main(["--root", root, "new", "jiaqu", "--kind", "department", "--year", "2024", "--csv"]) == 0
    unit = project / "inputs/jiaqu/2024"
    # README 编写评价体系: a framework of the unit's bureau, with its own first-level blocks
    (project / "inputs/frameworks/shiyi-2024.yaml").write_text(FRAMEWORK, encoding="utf-8")
    text = (unit / "unit.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^单位名称: .*$", "单位名称: 示例市甲区卫生健康局", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^评价体系: .*$", "评价体系: shiyi-2024", text, count=1, flags=re.MULTILINE)
    text = without_analysis(text)  # the scaffold's 指标分析 is written under the example framework's 一级 names
    (unit / "unit.yaml").write_text(text, encoding="utf-8")
    (unit / "indicators.csv").write_text(INDICATORS, encoding="utf-8")
    (unit / "budget.csv").write_text("单位名称,年初预算数,全年预算数,决算数\n甲区卫生健康局（本级）,1000.00,1200.00,1150.00\n",
                                     encoding="utf-8")
    # README 模板: a different chapter order and one extra chapter, in the unit's own template
    (unit / "templates/department").mkdir(parents=True, exist_ok=True)
    (unit / "templates/department/report.md.j2").write_text(TEMPLATE, encoding="utf-8")
    # README 模板: make styles DEPT=jiaqu, then the letterhead goes into the header
    assert main(["--root", root, "styles", "jiaqu", "--year", "2024"]) == 0
    styles = Document(str(unit / "templates/reference.docx"))
    styles.sections[0].header.is_linked_to_previous = False
    styles.sections[0].header.paragraphs[0].text = "示例市甲区卫生健康局"
    styles.save(str(unit / "templates/reference.docx"))

    result, written = build(project, "jiaqu", 2024, formats=("md", "docx"))

    # by hand: 10 + 9 + 10 × 95.83% (1150/1200) = 9.58 + (10 − 2) + 20 + 20 × 90% = 18 + 20 = 94.58
    assert [(b.name, b.points) for b in result.scores.blocks] == [
        ("部门决策", Decimal("19.00")), ("部门管理", Decimal("17.58")), ("部门绩效", Decimal("58.00"))]
    assert result.scores.total == Decimal("94.58") and result.scores.grade == "优"
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    chapters = re.findall(r"^## (.*)$", report, flags=re.MULTILINE)
    assert chapters == ["一、绩效自评情况综合评价分析", "二、部门基本情况", "三、绩效自评工作组织", "四、存在的主要问题",
                        "五、下一步改进措施", "附件：部门整体支出绩效自评评分表"]
    assert "本局成立自评工作小组，对照示例市部门整体支出绩效评价指标体系逐项评分，自评得分94.58分。" in report
    assert "部门决策（权重20分）自评19.00分" in report and "“重点工作完成率”（权重20分）自评18.00分" in report
    document = Document(str(written[0].parent / "report.docx"))
    assert "示例市甲区卫生健康局" in document.sections[0].header.paragraphs[0].text
    body = "".join(p.text for p in document.paragraphs)
    assert "自评得分94.58分" in body and "三、绩效自评工作组织" in body


@pytest.mark.parametrize("kind, workbook", [("department", False), ("department", True), ("project", False)])
def test_a_report_of_a_fresh_unit_says_its_figures_are_still_the_samples(project, kind, workbook):
    """make new fills every table with sample rows: a report built before they are replaced scores them, and its
    review says, table by table, that the figures are the samples (an error a bureau sends back); a row given its
    real 来源 is no longer counted."""
    assert main(["--root", str(project), "new", "xin", "--kind", kind, "--year", "2024"]
                + ([] if workbook else ["--csv"])) == 0
    result, _ = build(project, "xin", formats=("md",), charts=False)
    samples = [f for f in result.findings if f.rule == "数据仍是示例"]
    assert samples and all(f.severity == "错误" for f in samples)
    assert {f.where.file for f in samples} == ({"inputs/xin/2024/数据.xlsx"} if workbook else {
        f"inputs/xin/2024/{name}" for name in (("budget.csv", "spending.csv") if kind == "department" else ("funds.csv",))
        + ("indicators.csv",)})
    if not workbook:
        table = project / "inputs/xin/2024" / ("budget.csv" if kind == "department" else "funds.csv")
        table.write_text(table.read_text(encoding="utf-8").replace("示例数据，请改为实际来源（如", "（"), encoding="utf-8")
        again, _ = build(project, "xin", formats=("md",), charts=False)
        assert table.name not in {f.where.file.rsplit("/", 1)[-1] for f in again.findings if f.rule == "数据仍是示例"}
