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


def test_the_review_gives_each_unit_its_notice_to_download(project: Path, tmp_path: Path) -> None:
    """The 复核意见 the console's review writes are offered on the page too, a Word letter a unit's forms together."""
    from docx import Document
    good = docx_form(tmp_path / "a-良好.docx")
    off = [list(r) for r in ROWS]
    off[4][6] = "9.50"
    wrong = xlsx_form(tmp_path / "b-有误.xlsx", rows=[tuple(r) for r in off], total=(100, 91, "自评等级：优"))
    client = server(project)
    client.sign_in("czj")
    fragment = finished(client, client.post("/bureau/review", files=[
        ("files", ("a-良好.docx", good.read_bytes())), ("files", ("b-有误.xlsx", wrong.read_bytes()))]).text)
    links = [part.split('"', 1)[0] for part in fragment.split('href="')[1:] if "/notices/" in part.split('"', 1)[0]]
    assert links and "下载 复核意见：" in fragment, fragment
    letters = [Document(io.BytesIO(client.get(link).content)) for link in links]
    text = "\n".join(p.text for letter in letters for p in letter.paragraphs)
    assert "复核意见" in text and "a-良好.docx" in text and "b-有误.xlsx" in text and "已收悉" in text
    job = links[0].split("/")[2]
    assert client.get(f"/jobs/{job}/notices/{len(links)}").status_code == 404
    assert client.get(f"/jobs/{job}/notices/-1").status_code == 404
    other = type(client)(client.app, host="bureau.example")  # a unit's account on the same app reaches no letter
    other.sign_in("huadu-cw")
    assert other.get(links[0]).status_code in (403, 404)
