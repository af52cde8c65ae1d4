"""A province the project did not know, written as a new user would, from its published table and docs/rules.md alone:
岳阳市's 部门整体支出绩效评价评分表 (Hunan, 2018; the table and its address are quoted in yueyang/yueyang-dept-2018.yaml).
Its measures are the bureau's own (变动率, 重点支出安排率, 预算调整率, 资金结余 in 万元) over figures each unit enters
(自定数据, 上年); `make new` then `make check` must pass untouched, and a filled unit's every figure is computed by hand."""
from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.inputs.measures import BASE_NAMES
from pipeline.run import check
from pipeline.tools.scaffold import new_unit
from tests.conftest import copy_inputs
from tests.helpers import edit

FRAMEWORK = Path(__file__).resolve().parent / "yueyang" / "yueyang-dept-2018.yaml"
UNIT = "inputs/yy/2018"

BUDGET = """单位名称,年初预算数,全年预算数,决算数,基本支出,项目支出,来源
岳阳市某某局（本级）,1000.00,1080.00,1030.00,300.00,730.00,假定
某某中心,200.00,200.00,180.00,60.00,120.00,假定
"""
INDICATORS = """指标编号,指标名称,目标值,计量单位,实际值,扣分项数,已完成项,档次,自评得分,说明,来源
A11,财政供养人员控制率,,,,,,,,在职41人超过编制40人,
A12,“三公经费”变动率,,,,,,,,接待任务增加,
A13,重点支出安排率,,,,,,,,部分项目支出为一般性支出,
B11,预算调整率,,,,,,,,年中追加专项,
B12,支付进度,,,,1,,,,1个专项未按进度下达,
B13,资金结余,,,,,,,,年末有结余,
B14,“三公经费”控制率,,,,,,,,三公经费超预算,
B21,管理制度健全性,,,,,全部,,,,
B22,资金使用合规性,,,,,支出符合规定；审批手续完整,,,1笔支出未按规定用途使用,
B23,预决算信息公开性,,,,,,按规定公开,,按时公开预决算,
B31,资产管理安全性,,,,,全部,,,,
B32,固定资产利用率,100,%,95,,,,,部分设备闲置,
C11,实际完成率,50,项,48,,,,,2项任务延至次年,
C12,完成及时率,50,项,45,,,,,5项任务延期,
C13,质量达标率,100,%,100,,,,,,
C14,重点工作办结率,10,项,10,,,,,,
D11,社会效益,,,,,,成效明显,7.5,社会效益较好,
D12,社会公众或服务对象满意度,,%,92.5,,,,,问卷调查200份,
"""


def scaffold(tmp_path: Path, csv: bool = True) -> Path:
    root = copy_inputs(tmp_path)
    shutil.copyfile(FRAMEWORK, root / "inputs" / "frameworks" / FRAMEWORK.name)
    new_unit(root, "yy", year=2018, csv=csv, framework=FRAMEWORK.stem)
    return root


def filled(tmp_path: Path, carried: str = "80.00") -> Path:
    """The scaffold filled: 1,200 → 1,280 budget, 1,210 spent (项目支出 850), 41 staff of 40, 三公 12.36 of 12.00
    (last year 12.00), 重点项目支出 680, 预算调整数 120, 上年结转 as given."""
    root = scaffold(tmp_path)
    unit = root / UNIT / "unit.yaml"
    for old, new in (("  编制数: 50\n", "  编制数: 40\n"), ("  在职人数: 46\n", "  在职人数: 41\n"),
                     ("  三公经费预算: 10.00\n", "  三公经费预算: 12.00\n"), ("  三公经费支出: 8.50\n", "  三公经费支出: 12.36\n")):
        edit(unit, old, new)
    text = unit.read_text(encoding="utf-8")
    for name, value in (("三公经费支出", "12.00"), ("重点项目支出", "680.00"), ("预算调整数", "120.00"), ("上年结转", carried)):
        text, count = re.subn(rf"^  {name}: +# 评价体系的测算指标.*$", f"  {name}: {value}", text, flags=re.MULTILINE)
        assert count == 1, name  # make new wrote the key, empty, with what needs it
    unit.write_text(text, encoding="utf-8")
    (root / UNIT / "budget.csv").write_text(BUDGET, encoding="utf-8")
    (root / UNIT / "spending.csv").write_text("支出分类,金额,来源\n一般公共服务支出,1210.00,假定\n", encoding="utf-8")
    (root / UNIT / "indicators.csv").write_text(INDICATORS, encoding="utf-8")
    return root


def points(result) -> dict[str, Decimal]:
    return {leaf.id: leaf.points for leaf in result.scores.leaves()}


@pytest.mark.parametrize("csv", [True, False])
def test_the_untouched_scaffold_checks_and_says_which_figures_to_fill(tmp_path, csv):
    root = scaffold(tmp_path, csv)
    result = check(root, "yy")
    told = "\n".join(str(w) for w in result.warnings)
    # the figures the bureau's formulas name, each told where to fill it, the leaf counted 0 for now
    for where in ("上年.三公经费支出" if csv else "工作表“上年数”", "自定数据.重点项目支出", "自定数据.预算调整数",
                  "自定数据.上年结转"):
        assert where in told, where
    assert points(result)["A12"] == points(result)["A13"] == points(result)["B11"] == Decimal(0)
    with pytest.raises(InputError) as refused:  # a report is refused until they are filled
        check(root, "yy", draft=False)
    assert "自定数据.重点项目支出" in str(refused.value)


def test_a_filled_unit_scores_as_computed_by_hand(tmp_path):
    result = check(filled(tmp_path), "yy")
    assert points(result) == {
        "A11": Decimal("3.75"),  # 41 / 40 = 102.50%: 2.5 points over 100 × 0.5 = 1.25 off 5
        "A12": Decimal("3.50"),  # (12.36 − 12.00) / 12.00 = 3.00%: 3 points over 0 × 0.5 = 1.50 off 5
        "A13": Decimal("4.00"),  # 680 / (730 + 120) = 80.00%: 80%（含）–90% → 4
        "B11": Decimal("2.00"),  # 120 / 1,200 = 10.00%: 0–10%（含） → 2
        "B12": Decimal("2.50"),  # one 专项 late: 3 − 0.5
        "B13": Decimal("2.00"),  # 1,280 − 1,210 = 70万元 left, not more than 上年结转 80 → 2
        "B14": Decimal("3.00"),  # 12.36 / 12.00 = 103.00%: 3 points over 100 × 1 off 6
        "B21": Decimal("3.00"), "B22": Decimal("4.00"), "B23": Decimal("6.00"), "B31": Decimal("5.00"),
        "B32": Decimal("4.75"),  # 95% × 5
        "C11": Decimal("7.68"),  # 48 / 50 = 96% × 8
        "C12": Decimal("5.40"),  # 45 / 50 = 90% × 6
        "C13": Decimal("6.00"), "C14": Decimal("5.00"), "D11": Decimal("7.50"),
        "D12": Decimal("10.00"),  # 92.5 ≥ 90
    }
    # 投入 11.25; 过程 9.50 + 13 + 9.75 = 32.25; 产出 24.08; 效果 17.50; 85.08 → 良
    assert [(b.name, b.points) for b in result.scores.blocks] == [
        ("投入", Decimal("11.25")), ("过程", Decimal("32.25")), ("产出", Decimal("24.08")), ("效果", Decimal("17.50"))]
    assert result.scores.total == Decimal("85.08") and result.scores.grade == "良"


def test_a_tier_written_as_the_bureau_writes_it_equal_to_zero(tmp_path):
    # 预算调整率=0，计3分: no 预算调整数 → 0 / 1,200 = 0.00% → B11 3 (was 2 at 10%); 85.08 + 1 = 86.08
    root = filled(tmp_path)
    edit(root / UNIT / "unit.yaml", "  预算调整数: 120.00\n", "  预算调整数: 0\n")
    result = check(root, "yy")
    assert points(result)["B11"] == Decimal("3.00") and result.scores.total == Decimal("86.08")


def test_a_balance_above_last_years_carry_over_zeroes_it_said_in_wan_yuan(tmp_path):
    # 70 − 40 = 30万元 above the carry-over: B13 0 (was 2), 85.08 − 2 = 83.08; said in 万元, never as a percent
    result = check(filled(tmp_path, carried="40.00"), "yy")
    leaf = next(leaf for leaf in result.scores.leaves() if leaf.id == "B13")
    assert leaf.points == Decimal(0) and result.scores.total == Decimal("83.08")
    # an amount is printed with its two decimals, as every 万元 figure of the report (30.00万元, not 30万元)
    assert "结余超过上年结转（结余超过上年结转30.00万元>0）" in leaf.outcome.reason and "%" not in leaf.outcome.reason


def test_a_zeroing_comparison_with_a_number_is_in_the_measures_own_unit(tmp_path):
    # 资金结余 70万元 > 100? No: B13 keeps its 2 points (read as 7000 it would have been zeroed)
    root = filled(tmp_path)
    edit(root / "inputs/frameworks/yueyang-dept-2018.yaml", "{比较: 结余超过上年结转 > 0, 说明: 结余超过上年结转}",
         "{比较: 资金结余 > 100, 说明: 结余超过100万元}")
    assert points(check(root, "yy"))["B13"] == Decimal("2.00")


def test_a_total_capped_by_a_measure_in_wan_yuan(tmp_path):
    # 资金结余 70万元 > 50 → total at most 80: 85.08 → 80.00
    root = filled(tmp_path)
    edit(root / "inputs/frameworks/yueyang-dept-2018.yaml", "\n指标:\n",
         "\n总分封顶: {测算指标: 资金结余, 分档: [{条件: \"> 50\", 最高: 80}]}\n指标:\n")
    result = check(root, "yy")
    assert result.scores.total == Decimal("80.00")
    assert result.scores.capped[0].text == "资金结余70.00万元，高于50万元，按评价体系总分最高80分，由85.08分调为80.00分"


def test_rules_md_lists_every_figure_a_formula_may_name():
    # a new user learns the names from docs/rules.md, not from an error message
    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    listed = re.search(r"名称是 unit\.yaml 与各表的合计数（([^）]*)）", text)
    assert listed is not None
    assert re.sub(r"\s", "", listed.group(1)).split("、") == list(BASE_NAMES)


def test_an_empty_figure_no_measure_needs_is_still_refused(tmp_path):
    # only the keys the framework's formulas name may wait empty; any other empty 上年 or 自定数据 is a slip
    root = filled(tmp_path)
    edit(root / UNIT / "unit.yaml", "  上年结转: 80.00\n", "  上年结转: 80.00\n  甲:\n")
    with pytest.raises(InputError) as refused:
        check(root, "yy")
    assert "自定数据.甲：不是有效的数字（当前为空）" in str(refused.value)


def test_a_measure_in_wan_yuan_is_quoted_as_every_amount_is(tmp_path):
    """数.资金结余 in the narrative and the score table's reasons print 1,280 − 1,210 = 70 万元 with its decimals."""
    from pipeline.figures.catalogue import catalogue
    result = check(filled(tmp_path), "yy")
    assert catalogue(result.inputs, result.figures, result.scores)["资金结余"].text == "70.00万元"
