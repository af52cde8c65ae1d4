"""make new / blocks / styles: a new unit passes check and report at once; copies keep the data; nothing half-made."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from docx import Document

from pipeline.__main__ import main
from pipeline.inputs import models as m
from pipeline.run import check

LAST_YEAR = dt.date.today().year - 1
PROJECT_ONLY = {"项目名称", "主管部门", "实施单位", "项目负责人", "问题清单"}
DEPARTMENT_ONLY = {"人员", "控制数"}


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "inputs").rglob("*")) if p.is_file()}


def keys(model: type[m.Model]) -> set[str]:
    return {field.alias for field in model.model_fields.values()}


@pytest.mark.parametrize("kind, tables, framework", [
    ("department", {"数据.xlsx"}, "huadu-2023"),  # the tables in one workbook (make template); --csv writes CSV files
    ("project", {"数据.xlsx"}, "national-project-2020"),
])
@pytest.mark.slow
def test_a_new_unit_passes_check_and_report_at_once(project, capsys, kind, tables, framework):
    assert run(project, "new", "newunit", "--kind", kind) == 0
    printed = capsys.readouterr().out
    folder = project / "inputs" / "newunit" / str(LAST_YEAR)  # YEAR defaults to last calendar year
    assert "make check DEPT=newunit" in printed
    assert f"inputs/newunit/{LAST_YEAR}/unit.yaml" in printed
    assert {p.name for p in folder.iterdir()} == tables | {"unit.yaml", "README.md", "templates"}
    assert [p.name for p in (folder / "templates").iterdir()] == ["README.md"]
    unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    assert unit["报告类型"] == kind and unit["评价体系"] == framework and unit["年度"] == LAST_YEAR

    assert run(project, "check", "newunit") == 0
    result = check(project, "newunit")
    total, grade = f"{result.scores.total:.2f}", result.scores.grade
    assert f"总分 {total}，等级 {grade}" in capsys.readouterr().out
    assert result.checks == []  # the example data agree with themselves

    assert run(project, "report", "newunit", "--formats", "md") == 0
    assert f"总分 {total}，等级 {grade}" in capsys.readouterr().out
    report = (project / "output" / "newunit" / str(LAST_YEAR) / "report.md").read_text(encoding="utf-8")
    assert f"自评得分{total}分" in report and f"自评等级为“{grade}”" in report
    assert "{{" not in report and "__" not in report  # quoted figures filled, no scaffold token left


def test_department_skeleton_has_a_row_for_every_leaf_of_its_framework(project):
    assert run(project, "new", "d", "--kind", "department", "--year", "2024", "--csv") == 0
    framework = yaml.safe_load((project / "inputs/frameworks/huadu-2023.yaml").read_text(encoding="utf-8"))

    def leaves(nodes):
        for node in nodes:
            yield from leaves(node["下级"]) if "下级" in node else [node["编号"]]

    rows = (project / "inputs/d/2024/indicators.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == list(leaves(framework["指标"]))


@pytest.mark.parametrize("kind, skipped", [("department", PROJECT_ONLY), ("project", DEPARTMENT_ONLY)])
def test_skeleton_unit_yaml_names_every_key_with_a_comment(project, kind, skipped):
    # with CSV files: with a workbook, 人员, 控制数 and 上年 are rows of its sheets (tests/tools/test_figure_sheets.py)
    assert run(project, "new", "u", "--kind", kind, "--year", "2024", "--csv") == 0
    text = (project / "inputs/u/2024/unit.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    written = {match.group(1) for match in re.finditer(r"^[#\s]*([^\s#:：]+):", text, re.MULTILINE)}
    expected = keys(m.Unit) - skipped
    if kind == "department":
        expected |= keys(m.Staffing) | keys(m.Controls)
    expected |= keys(m.Declared) - ({"基本支出", "项目支出"} if kind == "project" else set()) | keys(m.Published)
    assert expected <= written, expected - written
    assert not skipped & written
    for key in keys(m.Unit) - skipped:  # each key has a comment naming it in the comment lines right above it
        at = next(i for i, line in enumerate(lines) if re.match(rf"^(# )?{key}:", line))
        above = []
        while lines[at - 1].startswith("#") and not re.match(r"^# \S+:", lines[at - 1]):
            at -= 1
            above.append(lines[at])
        assert any(line.startswith(f"# {key}") for line in above), key
    assert "{{ 数.预算执行率 }}" in text


def test_new_from_an_existing_unit_copies_it_and_keeps_the_data(project, capsys):
    source = project / "inputs/huadu/2023"
    (source / "templates/department").mkdir(parents=True)
    (source / "templates/department/report.md.j2").write_text('{% extends "default/department/report.md.j2" %}\n',
                                                              encoding="utf-8")
    assert run(project, "new", "copy", "--from", "huadu", "--year", "2024") == 0
    assert "make check DEPT=copy" in capsys.readouterr().out
    folder = project / "inputs/copy/2024"
    copied = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    original = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    assert original <= copied and copied - original == {"templates/README.md"}
    for name in original - {"unit.yaml"}:
        assert (folder / name).read_bytes() == (source / name).read_bytes()
    first, rest = (folder / "unit.yaml").read_bytes().split(b"\n", 1)
    assert first.decode("utf-8") == "# 由 huadu 复制，请逐项改为本单位的数据"
    # only 年度 follows the new folder (validation requires it); every other byte is the original's
    assert rest == (source / "unit.yaml").read_bytes().replace("年度: 2023".encode(), "年度: 2024".encode(), 1)

    assert run(project, "check", "copy") == 0
    assert "总分 96.82，等级 优" in capsys.readouterr().out
    assert check(project, "copy").scores.total == check(project, "huadu").scores.total


def test_new_from_refuses_a_kind_other_than_the_copied_units(project, capsys):
    before = tree(project)
    assert run(project, "new", "copy", "--from", "huadu", "--kind", "project") == 2
    assert "department" in capsys.readouterr().err
    assert tree(project) == before and not (project / "inputs/copy").exists()
    assert run(project, "new", "copy", "--from", "shaoguan", "--kind", "project") == 0


@pytest.mark.parametrize("args, says", [
    (("new", "a b", "--kind", "department"), "不合法"),
    (("new", "../x", "--kind", "department"), "不合法"),
    (("new", "huadu", "--kind", "project"), "已存在"),
    (("new", "shaoguan", "--from", "huadu"), "已存在"),
    (("new", "frameworks", "--kind", "project"), "保留"),
    (("new", "x"), "--kind"),
    (("new", "x", "--kind", "both"), "报告类型"),
    (("new", "x", "--from", "nobody"), "没有单位"),
    (("new", "x", "--kind", "project", "--year", "1999"), "年度"),
])
def test_bad_or_duplicate_names_are_refused_and_nothing_is_created(project, capsys, args, says):
    before = tree(project)
    folders = sorted(p.name for p in (project / "inputs").iterdir())
    assert run(project, *args) == 2
    error = capsys.readouterr().err
    assert says in error and "未创建任何文件" in error
    assert tree(project) == before
    assert sorted(p.name for p in (project / "inputs").iterdir()) == folders  # no staging folder left either


def _blocks(text: str, kind: str) -> list[tuple[int, str]]:
    section = text.split(f"{kind}（", 1)[1].split("\n\n", 1)[0]
    return [(len(line) - len(line.lstrip()), line.strip()) for line in section.splitlines()[2:]]


def test_blocks_lists_the_default_blocks_nested(project, capsys):
    assert run(project, "blocks") == 0
    out = capsys.readouterr().out
    department, project_blocks = _blocks(out, "department"), _blocks(out, "project")
    indent = dict((name, depth) for depth, name in department)
    names = [name for _, name in department]
    assert "problems" in names and "annex" in names
    assert indent["finance"] > indent["basic"] and names.index("basic") < names.index("finance")
    assert indent["title"] == indent["cover"] == indent["outline"] < indent["basic"]  # chapters sit in `outline`
    assert all(indent[name] == indent["basic"] for name in ("preface", "evaluation", "problems", "signature"))
    assert indent["conclusion"] > indent["evaluation"]
    project_indent = dict((name, depth) for depth, name in project_blocks)
    assert project_indent["funds"] > project_indent["basic"]
    assert project_indent["problems"] > project_indent["evaluation"]  # in the project report, inside evaluation


@pytest.mark.parametrize("kind", ["department", "project"])
def test_the_templates_readme_example_overrides_one_block(project, capsys, kind):
    assert run(project, "new", "custom", "--kind", kind, "--year", "2024") == 0
    guide = (project / "inputs/custom/2024/templates/README.md").read_text(encoding="utf-8")
    example = re.search(r"```jinja\n(.*?)```", guide, re.DOTALL).group(1)
    example = "\n".join(line.removeprefix("   ") for line in example.splitlines()) + "\n"
    assert f'{{% extends "default/{kind}/report.md.j2" %}}' in example and "{{ super() }}" in example
    assert "make styles DEPT=custom" in guide and "make blocks" in guide and "自评表.docx" in guide
    own = project / f"inputs/custom/2024/templates/{kind}/report.md.j2"
    own.parent.mkdir()
    own.write_text(example, encoding="utf-8")
    assert run(project, "report", "custom", "--formats", "md") == 0
    report = (project / "output/custom/2024/report.md").read_text(encoding="utf-8")
    assert "以上问题已报主管部门，我单位将逐项整改。" in report


def test_styles_writes_word_styles_once(project, capsys):
    assert run(project, "styles", "huadu") == 0
    out = capsys.readouterr().out
    target = project / "inputs/huadu/2023/templates/reference.docx"
    assert "inputs/huadu/2023/templates/reference.docx" in out and "页眉" in out
    document = Document(str(target))
    assert "Heading 1" in {style.name for style in document.styles}
    written = target.read_bytes()
    assert run(project, "styles", "huadu") == 2
    assert "已存在" in capsys.readouterr().err
    assert target.read_bytes() == written
    assert run(project, "styles", "nobody") == 2

