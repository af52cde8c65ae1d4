"""`check` finds everything `report` would refuse, in every file at once, and writes nothing."""
from __future__ import annotations

import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.errors import InputError, TemplateError
from pipeline.run import check
from tools.form_template import TARGET
from tests.helpers import edit

UNIT = "inputs/huadu/2023"


def test_problems_in_several_files_are_reported_together(project):
    # budget.csv: a row with one cell too many (the file cannot be read as a table)
    edit(project / UNIT / "budget.csv", "花都区卫生监督所,2100.00,2315.26,2315.26,", "花都区卫生监督所,2100.00,2,315.26,2315.26,")
    # indicators.csv: a bad number; unit.yaml: an unknown key
    edit(project / UNIT / "indicators.csv", "A21,重点职业病主动监测人数,500,≥,人,523,", "A21,重点职业病主动监测人数,500,≥,人,五百,")
    edit(project / UNIT / "unit.yaml", "单位名称:", "单位名字: 多余\n单位名称:")
    with pytest.raises(InputError) as caught:
        check(project, "huadu")
    files = {p.file.rsplit("/", 1)[-1] for p in caught.value.problems}
    assert {"budget.csv", "unit.yaml"} <= files
    assert not (project / "output").exists()


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
