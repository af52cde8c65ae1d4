"""Malformed input stops the run with a Chinese message naming file, place, column and value; nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.errors import InputError
from pipeline.run import build
from tests.helpers import edit


def problems_of(project: Path, dept: str = "huadu") -> list[str]:
    with pytest.raises(InputError) as caught:
        build(project, dept)
    return [str(p) for p in caught.value.problems]


def test_weight_that_is_not_a_number(project):
    framework = project / "inputs/frameworks/huadu-2023.yaml"
    edit(framework, "            名称: 预算编制规范性\n            权重: 8", "            名称: 预算编制规范性\n            权重: abc")
    line = framework.read_text(encoding="utf-8").splitlines().index("            权重: abc") + 1
    [message] = [p for p in problems_of(project) if "abc" in p]
    assert message.startswith(f"inputs/frameworks/huadu-2023.yaml 第{line}行 指标[2].下级[1].下级[1].权重：不是有效的数字")
    assert "'abc'" in message and "例如 1234.56" in message


def test_weights_that_do_not_add_up(project):
    framework = project / "inputs/frameworks/huadu-2023.yaml"
    edit(framework, "            名称: 绩效信息公开\n            权重: 4", "            名称: 绩效信息公开\n            权重: 5")
    found = problems_of(project)
    assert any("指标[2].下级[2].权重：下级指标权重合计 9，与本级权重 8 不符" in p for p in found), found
    assert any("inputs/frameworks/huadu-2023.yaml" in p and "清单分值合计 4，与权重 5 不符" in p for p in found), found


def test_missing_required_column(project):
    budget = project / "inputs/huadu/2023/budget.csv"
    edit(budget, "单位名称,年初预算数,全年预算数,决算数,来源", "单位名称,年初预算数,全年预算数,实际支出,来源")
    found = problems_of(project)
    assert "inputs/huadu/2023/budget.csv 第1行 决算数：缺少必需的列" in found[0]
    assert any("未知的列" in p and "实际支出" in p for p in found)


def test_every_problem_is_reported_at_once(project):
    edit(project / "inputs/huadu/2023/budget.csv", "花都区卫生监督所,2100.00", "花都区卫生监督所,二千一百")
    edit(project / "inputs/huadu/2023/indicators.csv", "B21,预决算公开合规性,,,,,1,", "B21,预决算公开合规性,,,,,-1,")
    edit(project / "inputs/huadu/2023/unit.yaml", "  编制数: 2860", "  编制数: 两千")
    found = problems_of(project)
    assert len(found) == 3, found
    assert any(p.startswith("inputs/huadu/2023/budget.csv 第4行 年初预算数：不是有效的数字（当前值：'二千一百'）") for p in found)
    assert any(p.startswith("inputs/huadu/2023/indicators.csv 第9行 扣分项数：不能小于下限（当前值：'-1'）") for p in found)
    assert any(p.startswith("inputs/huadu/2023/unit.yaml 第") and "人员.编制数：不是整数" in p for p in found)


def test_unknown_rule_type_lists_the_allowed_ones(project):
    edit(project / "inputs/frameworks/huadu-2023.yaml", "{类型: ratio, 测算指标: 政府采购执行率}", "{类型: percent}")
    [message] = problems_of(project)
    assert "未知的规则类型" in message and "'percent'" in message and "ratio、completion、tiers" in message


def test_fact_a_rule_needs_is_missing(project):
    edit(project / "inputs/huadu/2023/indicators.csv", "B21,预决算公开合规性,,,,,1,", "B21,预决算公开合规性,,,,,,")
    [message] = problems_of(project)
    assert message.startswith("inputs/huadu/2023/indicators.csv 第9行 扣分项数：指标 B21“预决算公开合规性”（deduction）：缺少扣分项数")


@pytest.mark.slow
def test_failed_run_leaves_earlier_output_untouched(project, capsys):
    assert main(["--root", str(project), "report", "huadu"]) == 0
    output = project / "output/huadu/2023"
    before = {p.name: p.read_bytes() for p in output.iterdir()}
    edit(project / "inputs/huadu/2023/budget.csv", "66890.35", "abc")
    assert main(["--root", str(project), "report", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "输入有误，共 1 处，未生成任何文件" in err and "budget.csv 第2行 决算数" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in output.iterdir()} == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["2023"]  # no staging folder left behind


def test_unknown_unit_lists_the_ones_that_exist(project, capsys):
    assert main(["--root", str(project), "report", "../../etc"]) == 2
    err = capsys.readouterr().err
    assert "没有这个单位" in err and "huadu（2023）" in err and "lianjiang（2024）" in err
    assert not (project / "output").exists()


def test_project_indicator_weights_must_fill_their_class(project):
    facts = project / "inputs/example-cdc/2024/indicators.csv"
    edit(facts, "C01,国家免疫规划疫苗接种剂次,产出指标,数量指标,15,", "C01,国家免疫规划疫苗接种剂次,产出指标,数量指标,12,")
    edit(facts, "C07,受种者家长满意度,满意度指标,服务对象满意度指标,10,", "C07,受种者家长满意度,满意度指标,,10,")
    found = problems_of(project, "example-cdc")
    assert "inputs/example-cdc/2024/indicators.csv 权重：“产出指标”类指标权重合计 47，与评价体系中的 50 不符" in found[0]
    assert any(p.startswith("inputs/example-cdc/2024/indicators.csv 第9行 二级指标：单位自设的指标需要填写此列") for p in found)


def test_project_indicator_of_an_unknown_class(project):
    facts = project / "inputs/example-cdc/2024/indicators.csv"
    edit(facts, "C06,预防接种信息化管理覆盖率,效益指标,", "C06,预防接种信息化管理覆盖率,效果指标,")
    found = problems_of(project, "example-cdc")
    assert any("indicators.csv 第8行 一级指标：评价体系不接收这一类指标（当前值：'效果指标'）；可选：产出指标、效益指标、满意度指标" in p
               for p in found), found
