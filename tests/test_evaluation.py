"""One value through the run: evaluate() makes an Evaluation once; the report, its context, the form and the bureau's
summary row are all made from it, never from figures worked out again on the way."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import run
from pipeline.batch import build_one, with_pdf
from pipeline.errors import Location
from pipeline.evaluation import Evaluation
from pipeline.figures.catalogue import Quotable
from pipeline.findings.checks import Check
from pipeline.findings.recheck import Finding
from pipeline.inputs.load import unit_dir
from pipeline.report.render import Rendered, render
from pipeline.report.summary import summary_row


def quoting(project: Path, dept: str, year: int, sentence: str) -> None:
    """The unit's first 正文 text with a sentence added that quotes a figure."""
    path = unit_dir(project, dept, year) / "unit.yaml"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("正文:\n", 1)
    key, body = rest.split("\n", 1)
    path.write_text(f"{head}正文:\n{key}\n    {sentence}\n{body}", encoding="utf-8")


def test_an_evaluation_is_a_frozen_value_without_files(project):
    evaluation = run.evaluate(project, "lianjiang", 2024, strict=False)
    assert type(evaluation) is Evaluation
    assert (evaluation.dept, evaluation.year) == ("lianjiang", 2024)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evaluation.quoted = {}  # type: ignore[misc]
    assert "rendered" not in {f.name for f in dataclasses.fields(evaluation)}


def test_a_result_always_has_its_files():
    """Result is an evaluation with its rendered files: it cannot be made without them (no None to check for)."""
    field = next(f for f in dataclasses.fields(run.Result) if f.name == "rendered")
    assert field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    assert field.type in ("Rendered", Rendered)


def test_the_report_quotes_the_evaluations_figures_not_figures_worked_out_again(project):
    """A figure the evaluation holds is what the narrative prints: render and its context do not recompute the
    catalogue (a hand-set value, unlike any the unit's data gives, comes out)."""
    quoting(project, "lianjiang", 2024, "本年决算{{ 数.决算数 }}。")
    evaluation = run.evaluate(project, "lianjiang", 2024, strict=False)
    assert "决算数" in evaluation.quoted
    hand = Quotable("决算数", "9876.54万元", Decimal("9876.54"), "金额（万元）", "by hand")
    made = render(dataclasses.replace(evaluation, quoted={**evaluation.quoted, "决算数": hand}),
                  unit_dir(project, "lianjiang", 2024), ("md",), charts=False)
    assert "本年决算9876.54万元。" in made.files["report.md"].decode("utf-8")


def test_render_takes_its_checks_and_findings_from_the_evaluation(project):
    evaluation = run.evaluate(project, "lianjiang", 2024, strict=False)
    check = Check("declared-total-differs", "决算数", "100.00", "90.00", "10.00", Location("budget.csv", 2))
    finding = Finding("hand-written", "错误", "手写规则", "一句手写的复核意见", Location("unit.yaml", key="正文"))
    made = render(dataclasses.replace(evaluation, checks=[check], findings=[finding]),
                  unit_dir(project, "lianjiang", 2024), ("md",), charts=False)
    assert "一句手写的复核意见" in made.files["checks.md"].decode("utf-8")
    assert "一句手写的复核意见" in made.files["checks.json"].decode("utf-8")
    assert "budget.csv 第2行" in made.files["checks.json"].decode("utf-8")


def test_the_summary_row_counts_what_the_evaluation_holds(project):
    evaluation = run.evaluate(project, "lianjiang", 2024, strict=False)
    w = Location("w")
    findings = [Finding("c", "错误", "r", "m", w), Finding("c", "错误", "r", "m", w), Finding("c", "提示", "r", "m", w)]
    checks = [Check("c", "a", "1", "2", "1", w)] * 4
    row = summary_row(dataclasses.replace(evaluation, dept="另一个代号", findings=findings, checks=checks))
    assert (row.dept, row.errors, row.notes, row.mismatches) == ("另一个代号", 2, 1, 4)


def test_last_year_is_an_evaluation_read_once_per_run(project, monkeypatch):
    """A run evaluates this year, and last year once for its 同比; the catalogue of quotable figures is made once a
    year, by evaluate(), and nowhere else on the way to the files."""
    calls = []
    real = run.catalogue
    monkeypatch.setattr(run, "catalogue", lambda *a: calls.append(a[0].unit.year) or real(*a))
    framework = project / "inputs/frameworks/huadu-2023.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace("生效日期: 2023-01-01", "生效日期: 2022-01-01"),
                         encoding="utf-8")
    (project / "inputs/huadu/2022").mkdir()
    for path in unit_dir(project, "huadu", 2023).iterdir():
        text = path.read_bytes().replace("年度: 2023".encode(), "年度: 2022".encode())
        (project / "inputs/huadu/2022" / path.name).write_bytes(text)
    result = run.prepare(project, "huadu", 2023, ("md",), charts=False)
    # huadu adjusted its budget without giving the cause: that warning is its own, not last year's
    assert not [w for w in result.warnings if w.code != "budget-adjustment-unexplained"], result.warnings
    assert sorted(calls) == [2022, 2023]
    assert type(result) is run.Result and result.rendered.files["report.md"]


def test_a_pdf_libreoffice_could_not_make_is_said_and_the_rest_kept(project):
    result = run.check(project, "lianjiang")
    docx = b"numbered docx"
    kept = with_pdf(dataclasses.replace(result, rendered=Rendered("", {"report.docx": b"x", "report.md": b"m"})),
                    docx, None, "report.pdf：没有生成", keep_docx=True)
    assert kept.rendered.files == {"report.docx": docx, "report.md": b"m"}
    assert kept.rendered.missing == ("report.pdf：没有生成",)
    made = with_pdf(kept, docx, b"%PDF", "", keep_docx=False)
    assert made.rendered.files == {"report.md": b"m", "report.pdf": b"%PDF"} and made.rendered.missing == ()


def test_make_report_and_make_all_write_the_same_files(tmp_path):
    """Both go through the one writer: the same unit gives the same files byte for byte, by either command."""
    from tests.conftest import copy_inputs
    one, many = copy_inputs(tmp_path / "one"), copy_inputs(tmp_path / "many")
    _, written = run.build(one, "shaoguan", formats=("md", "html"), charts=False)
    outcome = build_one(many, "shaoguan", ("md", "html"), charts=False)
    assert outcome.row is not None, outcome.error
    folder = run.output_dir(many, "shaoguan", outcome.row.year)
    assert {p.name: p.read_bytes() for p in written} == {p.name: p.read_bytes() for p in folder.iterdir()}
