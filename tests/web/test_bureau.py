"""The bureau's page and the import of forms: several forms, or a zip of them in folders, through the existing
importer and review; the review workbook downloaded from the job."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from tests.tools.importer_forms import ROWS, docx_form, xlsx_form
from tests.web.helpers import finished, local, server


def test_a_zip_of_received_forms_gives_the_review_workbook(project: Path, tmp_path: Path) -> None:
    good = docx_form(tmp_path / "a-良好.docx")
    off = [list(r) for r in ROWS]
    off[4][6] = "9.50"  # 10 × 85/90 = 9.44: the printed total 91 against 90.94 computed
    wrong = xlsx_form(tmp_path / "b-有误.xlsx", rows=[tuple(r) for r in off], total=(100, 91, "自评等级：优"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.write(good, "收到/第一批/a-良好.docx")
        package.write(wrong, "收到/b-有误.xlsx")
        package.writestr("收到/说明.txt", "不是表格")
    client = server(project)
    client.sign_in("czj")
    fragment = finished(client, client.post("/bureau/review", files={"files": ("收到的自评表.zip", archive.getvalue())}).text)
    assert "已完成" in fragment and "a-良好.docx" in fragment and "b-有误.xlsx" in fragment
    link = fragment.split('href="/jobs/', 1)[1].split('"', 1)[0]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/jobs/{link}").content))
    header, *lines = book["汇总"].iter_rows(values_only=True)
    rows = {line[0]: dict(zip(header, line)) for line in lines}
    totals = ("印出总分", "计算总分", "差额")
    assert [rows["a-良好.docx"][k] for k in totals[:2]] == [90.94, 90.94]
    assert [rows["b-有误.xlsx"][k] for k in totals] == [91, 90.94, -0.06]
    assert (project / "output/复核汇总.xlsx").is_file()


def test_several_forms_are_imported_as_units(project: Path, tmp_path: Path) -> None:
    client = local(project)
    forms = [("a.docx", docx_form(tmp_path / "a.docx").read_bytes()), ("b.docx", docx_form(tmp_path / "b.docx").read_bytes())]
    fragment = finished(client, client.post("/units/import", data={"dept": "jky"},
                                            files=[("files", form) for form in forms]).text)
    assert "已完成" in fragment and "总分 90.94" in fragment
    assert (project / "inputs/jky-1").is_dir() and (project / "inputs/jky-2").is_dir()
    assert 'href="/u/jky-1/' in fragment
