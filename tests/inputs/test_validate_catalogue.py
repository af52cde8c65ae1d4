"""The catalogue of broken inputs (tests/inputs/broken.yaml): each one stops the run with exit code 2 and a Chinese
message naming file, line or row, column or key, the bad value and a hint; no traceback, no output folder."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from pipeline.__main__ import main

CASES = yaml.safe_load((Path(__file__).parent / "broken.yaml").read_text(encoding="utf-8"))


def apply_edit(root: Path, edit: dict) -> None:
    """One edit of a case: find/replace (the find text must occur exactly once), write, delete or workbook."""
    path = root / edit["file"]
    if edit.get("delete"):
        assert path.exists(), f"{edit['file']} does not exist"
        path.unlink()
    elif "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit["write"].encode(edit.get("encoding", "utf-8")))
    elif "workbook" in edit:  # {sheet title: [[cell, ...], ...]}
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in edit["workbook"].items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(path)
    else:
        text = path.read_text(encoding="utf-8")
        count = text.count(edit["find"])
        assert count == 1, f"{edit['file']}: the text to find occurs {count} times (stale catalogue?): {edit['find']!r}"
        path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")


def apply_edits(root: Path, edits: list[dict]) -> None:
    for edit in edits:
        apply_edit(root, edit)


def test_the_catalogue_is_large_and_each_case_is_distinct():
    assert len(CASES) >= 45
    names = [case["name"] for case in CASES]
    assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]
    firsts = [case["expect"][0] for case in CASES]
    assert len(set(firsts)) == len(firsts), [f for f in firsts if firsts.count(f) > 1]
    for case in CASES:
        assert set(case) <= {"name", "unit", "edits", "strict", "expect"}, case["name"]
        assert case["unit"] in ("huadu", "lianjiang", "shaoguan", "example-cdc"), case["name"]
        assert case["edits"] and case["expect"], case["name"]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_broken_input_is_refused_with_a_located_message(case, project, capsys):
    apply_edits(project, case["edits"])
    argv = ["--root", str(project), "report", case["unit"]] + (["--strict"] if case.get("strict") else [])
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert code == 2, f"exit code {code}\n{err}"
    missing = [text for text in case["expect"] if text not in err]
    assert not missing, f"missing {missing} in:\n{err}"
    assert not (project / "output").exists()
