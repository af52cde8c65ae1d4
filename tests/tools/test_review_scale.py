"""make review of a season's folder: each form is kept on disk as it arrives, so ten times the forms take the memory of
a few more names, not of the forms; the workbook, the 主管部门 sheets, the notices and last year's scores are those of
every form all the same. The review of each form is replaced by a made row (its own cost is the form's, then freed)."""
from __future__ import annotations

import tracemalloc
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipeline.importer import review
from pipeline.importer.reviewed import ERROR, HINT, MISMATCH, Reviewed

PER_NOTICE = 10  # forms of one unit


def made_form(number: int, name: str) -> Reviewed:
    """A form as a review gives it back: a unit of ten forms, one of 40 主管部门, six findings of realistic length."""
    unit = f"示例市第{number // PER_NOTICE}卫生院"
    findings = [(MISMATCH, f"工作表“自评表”第{n}行", "培训对象满意度得分", "9.50", "9.44", "差额 -0.06") for n in (16, 17)]
    findings += [(ERROR, "工作表“自评表”第6行", "扣分没有写明原因", "", "", "“预算执行率”扣0.50分，但没有写明扣分原因或偏差原因"),
                 (HINT, "工作表“自评表”第16行", "满意度没有说明调查", "", "", "“培训对象满意度”得9.44分，没有说明满意度调查（样本量、方式）")] * 2
    return Reviewed(name, "自评表", unit, f"项目{number}", Decimal("91.00"), Decimal("90.94") + number % 7, "优", "优",
                    findings=findings, department=f"示例市第{number % 40}部门", framework="national-project-2020",
                    match="按表式和分值匹配 national-project-2020：指标均可归类，印出的分值与其相符",
                    budget=Decimal("120.00"), spent=Decimal("114.00"))


@pytest.fixture
def quick(monkeypatch):
    """Each form's review made, each notice's Word conversion a few bytes: what is measured is what holds them all."""
    from pipeline.report.word import convert, inert
    monkeypatch.setattr(review, "review_alone", lambda root, path, at=None: [made_form(int(path.stem), path.name)])
    monkeypatch.setattr(convert, "markdown_to_docx", lambda text, reference: text.encode())
    monkeypatch.setattr(inert, "inert_docx", lambda data: data)


def folder_of(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / f"forms{count}"
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:06d}.xlsx").touch()
    return folder


@pytest.mark.slow
def test_ten_times_the_forms_take_the_memory_of_a_few(project, tmp_path, quick):
    def peak(count: int) -> int:
        folder = folder_of(tmp_path, count)  # the folder is the bureau's, made before the review measured
        tracemalloc.start()
        try:
            with review.reviewing(project, folder, previous=folder) as done:
                assert done.notices == count // PER_NOTICE
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    tracemalloc.start()
    held = [made_form(n, f"{n:06d}.xlsx") for n in range(1000)]
    one_form = tracemalloc.get_traced_memory()[0] / len(held)  # what a review holding every form holds for each
    tracemalloc.stop()
    del held
    peak(10)  # openpyxl's imports and first-use caches are not the forms' cost
    small, large = peak(400), peak(4_000)
    # what stays per form: its file's name and place (the folder's listing, the spool's order), not the form
    grown = (large - small) / 3_600
    assert grown < one_form / 3, (grown, one_form)


def test_the_forms_of_a_unit_far_apart_share_its_notice_and_each_department_its_sheet(project, tmp_path, quick,
                                                                                      monkeypatch):
    """Units and 主管部门 met again far down the folder are found by the index, in the order each first comes; last
    year's score beside each form from the previous folder."""
    monkeypatch.setattr(review, "review_alone", lambda root, path, at=None: [
        made_form(int(path.stem) % 3 * PER_NOTICE + (int(path.stem) % 2) * 400, path.name)])
    folder = folder_of(tmp_path, 12)
    with review.reviewing(project, folder, previous=folder) as done:
        forms = list(done.forms)
    assert done.notices == 6 and len(forms) == 12
    written = sorted(p.name for p in (project / "output/复核意见").iterdir())
    # numbers 0, 10, 20 and 400, 410, 420: units 第0, 1, 2, 40, 41, 42 卫生院
    assert written == sorted(f"示例市第{n}卫生院.docx" for n in (0, 1, 2, 40, 41, 42))
    assert "《000000.xlsx》、《000006.xlsx》" in (project / "output/复核意见/示例市第0卫生院.docx").read_text()
    book = openpyxl.load_workbook(project / "output/复核汇总.xlsx")
    # 主管部门 by number % 40: 0, 10, 20 and 400 % 40 = 0, 410 % 40 = 10, 420 % 40 = 20
    assert book.sheetnames == ["汇总", "示例市第0部门", "示例市第10部门", "示例市第20部门", "问题明细"]
    header, *rows = book["示例市第10部门"].iter_rows(values_only=True)
    files = [dict(zip(header, row))["文件"] for row in rows]
    # 10: numbers with stem % 3 == 1, odd or even: 1, 4, 7, 10
    assert files == ["000001.xlsx", "000004.xlsx", "000007.xlsx", "000010.xlsx"]
    summary = [dict(zip(header, row)) for row in list(book["汇总"].iter_rows(values_only=True))[1:]]
    # each form's own score last year (the folder reviewed as its own previous year): 90.94 + number % 7, numbers
    # 0, 1 % 3 * 10 + 400 = 410 (410 % 7 = 4), 2 % 3 * 10 = 20 (20 % 7 = 6)
    assert [r["上年得分"] for r in summary] == [r["计算总分"] for r in summary]
    assert [r["计算总分"] for r in summary][:3] == [90.94, 94.94, 96.94]
