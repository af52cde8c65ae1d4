"""The corpus's expectations (figures, findings, imports, what each output holds) under pytest, without PDF: each
case is built once in md, docx and html. An expectation marked expected_failure is a strict xfail: when it starts to
hold the test fails until the mark is taken off. The PDF layout pass is `make corpus`."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.corpus.expect import Built, Expectation, cases, expectations, outcome, prepare

pytestmark = pytest.mark.slow  # the real-world corpus: every case built and imported

FORMATS = ("md", "docx", "html")
CASES = {case["name"]: case for case in cases()}
ALL = [e for case in CASES.values() for e in expectations(case)]


@pytest.fixture(scope="session")
def corpus_built() -> dict[str, Built]:
    """case name → the case built, filled as the tests ask (each case once a session)."""
    return {}


@pytest.mark.parametrize("expectation", [pytest.param(e, id=e.id, marks=pytest.mark.xfail(strict=True, reason=e.expected_failure))
                                         if e.expected_failure else pytest.param(e, id=e.id) for e in ALL])
def test_expectation(expectation, corpus_built, tmp_path_factory):
    if expectation.case not in corpus_built:
        corpus_built[expectation.case] = prepare(CASES[expectation.case], tmp_path_factory.mktemp("corpus"), FORMATS)
    # the mark is pytest's (strict xfail): the expectation itself is tried unmarked
    status, detail = outcome(replace(expectation, expected_failure=""), corpus_built[expectation.case])
    assert status == "PASS", detail


def test_every_case_names_an_existing_unit_or_form():
    root = Path(__file__).resolve().parent
    for case in CASES.values():
        if "form" in case:
            assert (root / "forms" / case["form"]).is_file(), case["name"]
        else:
            assert (root / "units" / case["unit"] / case["year"] / "unit.yaml").is_file(), case["name"]


def test_expected_failures_name_their_issue():
    """Each known failure says which issue will fix it, so that the fix can promote it."""
    marks = [e.expected_failure for e in ALL if e.expected_failure]
    marks += [mark for case in CASES.values() for rules in (case.get("layout") or {}).values() for mark in rules.values()]
    assert all(re.match(r"issue \d+: \S", mark) for mark in marks), marks  # none at all is the goal


@pytest.mark.parametrize("problem, mark, status", [(None, "", "PASS"), ("缺少", "", "FAIL"),
                                                   ("缺少", "issue 25: x", "XFAIL"), (None, "issue 25: x", "XPASS")])
def test_outcome_is_strict(problem, mark, status, tmp_path):
    """A known failure that now holds is reported (XPASS), and make corpus fails on it until the mark is removed."""
    built = Built("case", tmp_path, "unit", result=object(), folder=tmp_path)
    assert outcome(Expectation("case", "case:x", lambda _: problem, mark), built)[0] == status


def test_a_case_that_did_not_build_fails_each_expectation(tmp_path):
    built = Built("case", tmp_path, "unit", error="输入有误，共 1 处")
    status, detail = outcome(Expectation("case", "case:x", lambda _: None), built)
    assert status == "FAIL" and "输入有误" in detail


def test_an_edit_must_name_its_text_once(tmp_path):
    # case5's “自评得分90分” is in a comment as well as in 正文.前言: an edit of it could change the comment only
    case = {"name": "x", "unit": "case5", "year": "2017",
            "edits": [{"file": "case5/2017/unit.yaml", "old": "自评得分90分", "new": "自评得分89分"}]}
    with pytest.raises(ValueError, match="2 times, not once"):
        prepare(case, tmp_path, ("md",))
