"""A 正文 key the report template never reads is refused with the nearest key it does, at its line, instead of
vanishing while the default (“无。”) prints; the keys come from the template, so a unit's own template adds its own."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.report.template_files import DEFAULTS
from pipeline.run import build, check
from tests.helpers import edit


def refusal(project, dept: str) -> str:
    with pytest.raises(InputError) as caught:
        check(project, dept)
    return caught.value.report()


def test_a_mistyped_key_is_refused_with_the_key_meant(project):
    edit(project / "inputs/example-cdc/2024/unit.yaml", "  改进意见: |", "  改进意建: |")
    text = refusal(project, "example-cdc")
    assert "inputs/example-cdc/2024/unit.yaml 第28行 正文.改进意建：报告模板不读这个键" in text
    assert "是否想写“改进意见”？" in text


def test_a_key_of_the_department_template_is_refused_in_a_project_report(project):
    # 下一步改进措施 is what the department template reads; the project template prints 改进意见
    edit(project / "inputs/example-cdc/2024/unit.yaml", "  改进意见: |", "  下一步改进措施: |")
    text = refusal(project, "example-cdc")
    assert "正文.下一步改进措施：报告模板不读这个键" in text and "是否想写“改进意见”？" in text


def test_an_analysis_under_another_frameworks_first_level_is_refused(project):
    # huadu's framework has 履职效能 and 管理效率; 产出指标 is a first level of the national project framework
    edit(project / "inputs/huadu/2023/unit.yaml", "    履职效能: |", "    产出指标: |")
    text = refusal(project, "huadu")
    assert "正文.指标分析.产出指标：评价体系中没有这个一级指标" in text and "可用的一级指标：履职效能、管理效率" in text


def test_a_block_note_is_read_under_the_frameworks_own_first_level_names(project):
    # the project template prints text[<一级指标>说明]: 产出指标说明 is read, 产出说明 is not
    unit = project / "inputs/example-cdc/2024/unit.yaml"
    edit(unit, "  自评结论:", "  产出指标说明: 冷链设备全部到位。\n  自评结论:")
    check(project, "example-cdc")
    edit(unit, "  产出指标说明:", "  产出说明:")
    assert "是否想写“产出指标说明”？" in refusal(project, "example-cdc")


def test_a_units_own_template_reads_keys_of_its_own(project):
    folder = project / "inputs/example-cdc/2024"
    edit(folder / "unit.yaml", "  自评结论:", "  项目亮点: 成立自评小组。\n  自评结论:")
    assert "正文.项目亮点" in refusal(project, "example-cdc")
    (folder / "templates" / "project").mkdir(parents=True)
    text = (DEFAULTS / "project" / "report.md.j2").read_text(encoding="utf-8")
    (folder / "templates" / "project" / "report.md.j2").write_text(
        text.replace("{% if text.get(\"前言\") %}", "{{ text.get(\"项目亮点\", \"\") }}\n\n{% if text.get(\"前言\") %}", 1),
        encoding="utf-8")
    result, written = build(project, "example-cdc", formats=("md",), charts=False)
    assert "成立自评小组。" in (written[0].parent / "report.md").read_text(encoding="utf-8")


def test_what_a_shipped_template_reads_is_kept_for_later_processes_and_is_what_parsing_finds(monkeypatch, tmp_path):
    from pipeline.report import text_keys
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = (DEFAULTS / "department/report.md.j2").read_text(encoding="utf-8")
    parsed = text_keys._source_reads(source)
    assert text_keys._shipped_reads(source) == parsed  # made and written
    kept = list((tmp_path / "selfeval-pipeline/files").glob("reads-*.json"))
    assert len(kept) == 1
    monkeypatch.setattr(text_keys, "_source_reads", lambda source: pytest.fail("parsed again"))
    assert text_keys._shipped_reads(source) == parsed  # read back, the same
    kept[0].write_text("{not json", encoding="utf-8")  # garbled: read from the template again
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert text_keys._shipped_reads(source) == parsed


def test_a_units_own_template_is_never_kept_on_disk(project, monkeypatch, tmp_path):
    import json
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = project / "inputs/example-cdc/2024/templates/project"
    folder.mkdir(parents=True)
    own = (DEFAULTS / "project/report.md.j2").read_text(encoding="utf-8") + "{{ text.get(\"本单位自己的键\", \"\") }}\n"
    (folder / "report.md.j2").write_text(own, encoding="utf-8")
    check(project, "example-cdc")
    kept = [json.loads(path.read_text(encoding="utf-8")) for path in (tmp_path / "cache").rglob("reads-*.json")]
    assert kept and not [reads for reads in kept if "本单位自己的键" in reads["keys"]]
