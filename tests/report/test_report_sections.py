"""What real reports have beside the scores, each a block a unit fills or drops: the sections 自评工作开展情况, 经验做法
and 后续工作计划; the preface citing the notice; a problem's indicator with its 分值 and 得分; the budget adjustment and
its cause. One test per sentence shape, the expected figures computed by hand, and the unit without the data."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError, Location
from pipeline.run import build, check
from tests.helpers import edit

HUADU = Path("inputs") / "huadu" / "2023"
CDC = Path("inputs") / "example-cdc" / "2024"
DEPT = Path("inputs") / "example-dept" / "2024"


def _report(root: Path, dept: str) -> str:
    _, written = build(root, dept, formats=("md",), charts=False)
    return (written[0].parent / "report.md").read_text(encoding="utf-8")


def _add_text(unit_yaml: Path, entries: str) -> None:
    """Entries added at the top of the unit's 正文 (two-space keys, four-space text)."""
    edit(unit_yaml, "正文:\n", "正文:\n" + entries)


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


# ---------- sections a unit fills or drops ----------

def test_sections_filled_appear_in_the_order_of_real_reports(project):
    _add_text(project / HUADU / "unit.yaml",
              "  后续工作计划: |\n    2024年将继续推进医疗高地建设。\n"
              "  经验做法: |\n    坚持预算与绩效一体化管理。\n"
              "  自评工作开展情况: |\n    成立自评工作小组，对照指标逐项核实。\n")
    text = _report(project, "huadu")
    assert _headings(text) == ["## 一、部门基本情况", "## 二、自评工作开展情况", "## 三、绩效自评情况综合评价分析",
                               "## 四、经验做法", "## 五、存在的主要问题", "## 六、下一步改进措施", "## 七、后续工作计划",
                               "## 附件：部门整体支出绩效自评评分表"]
    assert "## 二、自评工作开展情况\n\n成立自评工作小组，对照指标逐项核实。\n" in text
    assert "## 七、后续工作计划\n\n2024年将继续推进医疗高地建设。\n" in text


def test_sections_not_filled_leave_no_heading(project):
    _add_text(project / HUADU / "unit.yaml", "  经验做法: \"\"\n")
    text = _report(project, "huadu")  # huadu writes none of the three; 经验做法 left empty
    for name in ("自评工作开展情况", "经验做法", "后续工作计划"):
        assert name not in text
    assert "\n无。\n" not in text


def test_project_sections_sit_where_the_project_report_puts_them(project):
    _add_text(project / CDC / "unit.yaml",
              "  自评工作开展情况: 中心成立自评小组开展自评。\n  经验做法: 冷链设备统一招标。\n"
              "  后续工作计划: 2025年完成剩余2台设备更新。\n")
    text = _report(project, "example-cdc")
    order = [text.index(s) for s in ("## 一、基本情况", "## 二、自评工作开展情况", "## 三、自评情况", "### （三）经验做法",
                                     "### （四）专项资金使用绩效存在的问题", "## 四、改进意见", "## 五、后续工作计划")
             if s in text]
    assert len(order) == 7 and order == sorted(order), order


# ---------- the preface ----------

def test_preface_cites_the_frameworks_notice_when_the_unit_names_none(project):
    edit(project / "inputs/frameworks/huadu-2023.yaml", "来源: 广州市花都区财政局部门整体支出绩效评价",
         "来源: 广州市花都区财政局《关于开展2023年度部门整体支出绩效自评工作的通知》（花财绩〔2024〕3号）")
    text = _report(project, "huadu")  # 96.82 分 “优” as the unit published
    assert ("\n根据《关于开展2023年度部门整体支出绩效自评工作的通知》（花财绩〔2024〕3号）要求，我单位开展了2023年度部门整体支出"
            "绩效自评工作，自评得分96.82分，自评等级为“优”。现将有关情况报告如下：\n") in text


def test_preface_cites_a_bare_document_number_as_a_document(project):
    edit(project / "inputs/frameworks/huadu-2023.yaml", "来源: 广州市花都区财政局部门整体支出绩效评价",
         "来源: 花财绩〔2024〕3号；广州市花都区财政局部门整体支出绩效评价")
    assert "\n根据花财绩〔2024〕3号文件要求，我单位开展了2023年度" in _report(project, "huadu")


def test_preface_cites_no_inferred_notice(project):
    edit(project / "inputs/frameworks/huadu-2023.yaml", "来源: 广州市花都区财政局部门整体支出绩效评价",
         "来源: 据花都区报告推断（花财绩〔2024〕3号）；广州市花都区财政局部门整体支出绩效评价")
    text = _report(project, "huadu")
    assert "花财绩" not in text.split("## ")[0] and "根据" not in text.split("## ")[0]
    assert "\n广州市花都区卫生健康局2023年度部门整体支出绩效自评得分96.82分，自评等级为“优”。" in text


def test_the_units_own_notice_comes_before_the_frameworks(project):
    text = _report(project, "example-cdc")
    assert "\n根据《关于开展2024年度项目支出绩效自评工作的通知》（示财绩〔2025〕1号）要求，" in text
    edit(project / CDC / "unit.yaml", "评价通知: 《关于开展2024年度项目支出绩效自评工作的通知》（示财绩〔2025〕1号）\n", "")
    assert "\n根据《项目支出绩效评价管理办法》（财预〔2020〕10号）要求，我单位开展了" in _report(project, "example-cdc")


# ---------- a problem and the indicator it concerns ----------

HUADU_ISSUE = ("问题清单:\n  - 标题: 固定资产利用率偏低\n    说明: 闲置房产入账金额较大。\n"
               "    改进措施: 盘活闲置房产。\n    指标: {key}\n")


def test_problem_by_name_says_the_indicators_weight_and_score(project):
    edit(project / HUADU / "unit.yaml", "正文:\n", HUADU_ISSUE.format(key="固定资产利用率") + "正文:\n")
    text = _report(project, "huadu")
    # B31 固定资产利用率, 4 分: 85% is in the ≥80% tier, 2 分
    assert "\n该问题涉及“固定资产利用率”指标，该指标分值4分，实际得分2.00分。\n" in text


def test_problem_by_number_in_paired_chapters(project):
    edit(project / HUADU / "unit.yaml", "正文:\n", HUADU_ISSUE.format(key="A11") + "问题与措施: 逐项\n正文:\n")
    text = _report(project, "huadu")
    # A11 部门预算资金支出率, 10 分: 98.22% × 10 = 9.822 → 9.82
    part = text.split("### （一）固定资产利用率偏低")[1]
    assert part.startswith("\n\n闲置房产入账金额较大。\n\n该问题涉及“部门预算资金支出率”指标，该指标分值10分，实际得分9.82分。\n\n"
                           "改进措施：盘活闲置房产。")


def test_problem_without_an_indicator_says_no_score(project):
    edit(project / CDC / "unit.yaml", "    指标: C02", "    ")
    text = _report(project, "example-cdc")
    assert "该问题涉及" not in text and "实际得分" not in text


def test_problem_naming_no_indicator_is_refused_with_file_key_and_example(project):
    edit(project / HUADU / "unit.yaml", "正文:\n", HUADU_ISSUE.format(key="固定资产使用率") + "正文:\n")
    with pytest.raises(InputError) as caught:
        check(project, "huadu")
    [problem] = caught.value.problems
    line = (project / HUADU / "unit.yaml").read_text(encoding="utf-8").splitlines().index("    指标: 固定资产使用率") + 1
    assert problem.where == Location(f"{HUADU}/unit.yaml", line, "问题清单[1].指标")
    assert (problem.message, problem.value) == ("评价体系中没有这个指标", "固定资产使用率")
    assert problem.hint == "写指标编号或名称，如 A11 或 部门预算资金支出率"


def test_problem_naming_a_shared_name_asks_for_the_number(project):
    edit(project / "inputs/frameworks/huadu-2023.yaml", "名称: 资产管理规范性", "名称: 固定资产利用率")
    edit(project / HUADU / "unit.yaml", "正文:\n", HUADU_ISSUE.format(key="固定资产利用率") + "正文:\n")
    with pytest.raises(InputError) as caught:
        check(project, "huadu")
    said = [p for p in caught.value.problems if p.where.key == "问题清单[1].指标"]
    assert [(p.message, p.hint) for p in said] == [("几个指标同名，请改写编号", "可用的编号：B31、B32")]


# ---------- the budget adjustment ----------

def test_department_adjustment_up_with_its_cause(project):
    text = _report(project, "example-dept")
    # 年初 1000 + 300 = 1300, 全年 1200 + 320 = 1520: 调增 220, 220 / 1300 = 16.923% → 16.92%
    assert ("\n全年预算较年初预算调增220.00万元，占年初预算的16.92%。主要是年中追加公共卫生服务补助资金和重大疫情防控经费。\n"
            in text)


def test_department_adjustment_down(project):
    budget = project / DEPT / "budget.csv"
    edit(budget, "某某单位（本级）,1000.00,1200.00,1150.00", "某某单位（本级）,1400.00,1200.00,1150.00")
    text = _report(project, "example-dept")
    # 年初 1400 + 300 = 1700, 全年 1520: 调减 180, 180 / 1700 = 10.588% → 10.59%
    assert "\n全年预算较年初预算调减180.00万元，占年初预算的10.59%。主要是" in text


def test_without_a_cause_the_adjustment_ends_at_its_share_and_is_warned(project):
    edit(project / DEPT / "unit.yaml", "  预算调整原因: 主要是年中追加公共卫生服务补助资金和重大疫情防控经费。\n", "")
    text = _report(project, "example-dept")
    assert "\n全年预算较年初预算调增220.00万元，占年初预算的16.92%。\n" in text
    assert [w.where.key for w in check(project, "example-dept").warnings
            if w.code == "budget-adjustment-unexplained"] == ["正文.预算调整原因"]


def test_no_adjustment_sentence_without_an_adjustment(project):
    budget = project / DEPT / "budget.csv"
    edit(budget, "某某单位（本级）,1000.00,1200.00", "某某单位（本级）,1200.00,1200.00")
    edit(budget, "某某中心,300.00,320.00", "某某中心,320.00,320.00")
    text = _report(project, "example-dept")
    assert "调增" not in text and "调减" not in text and "主要是年中追加" not in text


def test_project_adjustment_from_the_funds(project):
    text = _report(project, "example-cdc")
    # 年初 300 + 120 + 0 = 420, 全年 320 + 120 + 25 = 465: 调增 45, 45 / 420 = 10.714% → 10.71%
    assert "\n全年预算较年初预算调增45.00万元，占年初预算的10.71%。年中追加中央转移支付资金20.00万元" in text


def test_project_adjustment_with_nothing_budgeted_at_first_has_no_share(project):
    funds = project / CDC / "funds.csv"
    edit(funds, "中央转移支付资金,财政拨款,300.00", "中央转移支付资金,财政拨款,0.00")
    edit(funds, "区级配套资金,财政拨款,120.00", "区级配套资金,财政拨款,0.00")
    text = _report(project, "example-cdc")
    assert "\n全年预算较年初预算调增465.00万元。年中追加" in text and "占年初预算" not in text


# ---------- the web editor ----------

def test_the_web_editor_offers_each_section_and_the_report_prints_it(project):
    from tests.web.helpers import local
    client = local(project)
    page = client.get("/u/huadu/2023").text
    for key in ("自评工作开展情况", "经验做法", "后续工作计划", "预算调整原因"):
        assert f'data-block="{key}"' in page, key
    saved = client.post("/u/huadu/2023/text", data={"key": "经验做法", "text": "坚持预算与绩效一体化管理。"})
    assert "已保存“经验做法”" in saved.text
    assert "## 三、经验做法\n\n坚持预算与绩效一体化管理。\n" in _report(project, "huadu")
