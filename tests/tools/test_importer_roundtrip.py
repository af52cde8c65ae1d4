"""Round trip: each example unit's own 自评表, imported as a new unit and rendered again, gives the same totals and scores."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.importer.docx_tables import read_docx
from pipeline.importer.form import read_form
from pipeline.run import build

# every example unit that has a form, and the framework it is scored under (the national one is the default)
FORMS = {"shaoguan": "shaoguan-project-2024", "example-cdc": None}


def rows(form_path: Path) -> list[tuple]:
    form = read_form(read_docx(form_path, form_path.name))
    return [(r.level1, r.level2, r.name, r.target, r.actual, r.weight, r.points) for r in form.indicators] + [
        (f.nature, f.initial, f.budget, f.actual, f.weight, f.rate, f.points) for f in form.funds] + [form.total[1:]]


@pytest.mark.slow
@pytest.mark.parametrize("dept", FORMS)
def test_render_import_render_gives_the_same_scores(built, project, dept):
    original, folder = built[dept]
    args = ["--root", str(project), "import", str(folder / "自评表.docx"), f"{dept}-copy"]
    assert main(args + (["--framework", FORMS[dept]] if FORMS[dept] else [])) == 0
    again, written = build(project, f"{dept}-copy", formats=("md",))
    assert (again.scores.total, again.scores.grade) == (original.scores.total, original.scores.grade)
    assert [(b.name, b.weight, b.points) for b in again.scores.blocks] == \
        [(b.name, b.weight, b.points) for b in original.scores.blocks]
    assert [(leaf.name, leaf.weight, leaf.points) for leaf in again.scores.leaves()] == \
        [(leaf.name, leaf.weight, leaf.points) for leaf in original.scores.leaves()]
    # the second form prints what the first printed: every target, actual, weight and score, the funds and the total
    assert rows(written[0].parent / "自评表.docx") == rows(folder / "自评表.docx")
    # what the unit printed agrees with the rules, except where the original's own printed figures did not
    assert [c.what for c in again.checks if c.what not in {c.what for c in original.checks}] == []


def test_shaoguan_under_the_national_framework_is_refused_with_the_row(built, project, capsys):
    """Its 事项管理 row has no place in the national framework: the row is named, nothing is written."""
    _, folder = built["shaoguan"]
    assert main(["--root", str(project), "import", str(folder / "自评表.docx"), "sg"]) == 2
    err = capsys.readouterr().err
    assert "表4第12行" in err and "事项管理 | 监管有效性" in err and "FRAMEWORK=" in err
    assert not (project / "inputs" / "sg").exists()


def test_the_funds_rows_print_the_form_wording_and_read_back(built):
    # 财预〔2020〕10号's form: 其中：当年财政拨款 / 上年结转资金; older forms' 财政拨款 / 上年结转 are read as well
    # (tests/tools/test_importer_variants.py)
    _, folder = built["example-cdc"]
    form = read_form(read_docx(folder / "自评表.docx", "自评表.docx"))
    assert [(f.nature, f.name) for f in form.funds] == [
        ("合计", "年度资金总额"), ("财政拨款", "当年财政拨款"), ("上年结转", "上年结转资金"), ("其他资金", "其他资金")]
