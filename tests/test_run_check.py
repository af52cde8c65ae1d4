"""`check` finds everything `report` would refuse, in every file at once, and writes nothing."""
from __future__ import annotations

import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.errors import InputError, TemplateError
from pipeline.run import check
from tests.helpers import edit
from tools.form_template import TARGET

UNIT = "inputs/huadu/2023"


def test_problems_in_several_files_are_reported_together(project):
    # budget.csv: a row with one cell too many (the file cannot be read as a table)
    edit(project / UNIT / "budget.csv", "花都区卫生监督所,2100.00,2315.26,2315.26,", "花都区卫生监督所,2100.00,2,315.26,2315.26,")
    # indicators.csv: a bad number; unit.yaml: an unknown key
    edit(project / UNIT / "indicators.csv", "A21,重点职业病主动监测人数,500,≥,人,523,", "A21,重点职业病主动监测人数,500,≥,人,五百,")
    edit(project / UNIT / "unit.yaml", "单位名称:", "单位名字: 多余\n单位名称:")
    with pytest.raises(InputError) as caught:
        check(project, "huadu")
    files = {p.where.file.rsplit("/", 1)[-1] for p in caught.value.problems}
    assert {"budget.csv", "unit.yaml"} <= files
    assert not (project / "output").exists()


def test_broken_data_and_a_broken_framework_are_all_told_in_one_run(project, capsys):
    # budget.csv: 花都区卫生健康局（本级）决算数 66890.35 written in words; indicators.csv: A21 (“完成523名劳动者主动
    # 监测”) 实际值 in words, which only scoring can tell; the framework: A2 产出指标 20 = 7 + 7 + 6, one 7 made 8
    edit(project / UNIT / "budget.csv", "60000.00,68512.40,66890.35,", "60000.00,68512.40,六万六千,")
    edit(project / UNIT / "indicators.csv", "A21,重点职业病主动监测人数,500,≥,人,523,", "A21,重点职业病主动监测人数,500,≥,人,五百二十三,")
    edit(project / "inputs/frameworks/huadu-2023.yaml", "            名称: 重点职业病主动监测人数\n            权重: 7",
         "            名称: 重点职业病主动监测人数\n            权重: 8")
    assert main(["--root", str(project), "check", "huadu"]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in err and err.startswith("输入有误，共 3 处")
    lines = err.splitlines()[1:]
    assert "inputs/frameworks/huadu-2023.yaml 第23行 指标[1].下级[2].权重：下级指标权重合计 21，与本级权重 20 不符" in lines[0]
    assert "inputs/huadu/2023/budget.csv 第2行 决算数：不是有效的数字（当前值：'六万六千'）；应为数字，例如 1234.56" in lines[1]
    assert "inputs/huadu/2023/indicators.csv 第3行 实际值：指标 A21“重点职业病主动监测人数”" in lines[2]
    assert "（当前值：'五百二十三'）；例如 98.5" in lines[2]
    assert not (project / "output").exists()


def test_a_broken_tree_stops_scoring_but_not_reading(project, capsys):
    # a leaf without a rule: nothing sound to score by, so A21's 实际值 is not tried; budget.csv still is
    edit(project / UNIT / "budget.csv", "60000.00,68512.40,66890.35,", "60000.00,68512.40,六万六千,")
    edit(project / UNIT / "indicators.csv", "A21,重点职业病主动监测人数,500,≥,人,523,", "A21,重点职业病主动监测人数,500,≥,人,五百二十三,")
    edit(project / "inputs/frameworks/huadu-2023.yaml", "            权重: 7\n            规则: {类型: completion}\n", "            权重: 7\n", )
    assert main(["--root", str(project), "check", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "末级指标缺少评分规则" in err and "'六万六千'" in err and "五百二十三" not in err


def test_a_broken_quote_in_narrative_fails_check_as_it_fails_report(project, capsys):
    edit(project / UNIT / "unit.yaml", "  存在的主要问题: |\n", "  存在的主要问题: |\n    总分{{ 数.总份 }}。\n")
    edit(project / UNIT / "unit.yaml", "  下一步改进措施: |\n", "  下一步改进措施: |\n    执行率{{ 数.执行律 }}。\n")
    assert main(["--root", str(project), "check", "huadu"]) == 2
    err = capsys.readouterr().err
    # both keys at once, each with the names closest to what was typed
    assert "正文.存在的主要问题" in err and "正文.下一步改进措施" in err
    assert "“总份”" in err and "总分" in err
    assert "“执行律”" in err and "预算执行率" in err
    assert not (project / "output").exists()


def test_check_renders_the_form_too(project):
    form = project / "inputs/shaoguan/2024/templates/project"
    form.mkdir(parents=True)
    document = Document(str(TARGET))
    document.add_paragraph("{{ 不存在的名称 }}")
    document.save(str(form / "自评表.docx"))
    with pytest.raises(TemplateError) as caught:
        check(project, "shaoguan")
    assert "不存在的名称" in str(caught.value)


def test_a_difference_between_two_entered_figures_names_both(project, capsys):
    """lianjiang's spending.csv adds to 32939.82 (its own rows, as published) against the 决算数合计 32953.64 of its
    budget.csv: neither is "computed" by us, so the line names each figure as what it is."""
    assert main(["--root", str(project), "check", "lianjiang"]) == 0
    out = capsys.readouterr().out
    assert "支出分类明细：决算数合计 32953.64，各分类相加 32939.82（inputs/lianjiang/2024/spending.csv 金额）" in out
    assert "决算数合计：填报数 32953.63，按各单位明细计算 32953.64" in out
