"""Requests as a hostile user would send them: paths out of the unit, uploads with paths for names, a zip that slips
out of its folder or unpacks to a bomb, bodies past the limit, links planted in a unit's folders."""
from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
from tests.web.helpers import local, server


@pytest.mark.parametrize("url", [
    "/u/..%2f..%2fetc/2023", "/u/huadu/2023/files/..%2funit.yaml", "/u/huadu/2023/files/..%2f..%2f..%2finputs%2fhuadu%2f2023%2funit.yaml",
    "/u/huadu/2023/files/%2fetc%2fpasswd", "/u/huadu/2023/files/unit.yaml", "/u/frameworks/2023", "/u/huadu/..",
    "/u/huadu/2023/files/report.docx%00.pdf", "/u/huadu/02023", "/u/huadu/2023%2f..%2f..%2f..", "/static/../accounts.json",
    "/static/%2e%2e/accounts.json", "/u/huadu/2023/files/%5c..%5cunit.yaml"])
def test_no_path_of_a_request_reaches_a_file_outside_the_unit(project: Path, url: str) -> None:
    (project / "accounts.json").write_text("secret", encoding="utf-8")
    answer = local(project).get(url)
    assert answer.status_code == 404 and "secret" not in answer.text and "unit.yaml" not in answer.text[:0]
    assert "评价体系" not in answer.text and "root:" not in answer.text


def test_a_link_planted_in_the_output_folder_is_not_followed(project: Path) -> None:
    folder = project / "output/huadu/2023"
    folder.mkdir(parents=True)
    (project / "secret.txt").write_text("secret", encoding="utf-8")
    os.symlink(project / "secret.txt", folder / "report.docx")
    assert local(project).get("/u/huadu/2023/files/report.docx").status_code == 404


def test_a_year_folder_linked_to_another_unit_is_not_that_unit(project: Path) -> None:
    """A unit account's folder made a link to another unit's year would show it under its own name: refused."""
    (project / "inputs/evil").mkdir()
    os.symlink(project / "inputs/shaoguan/2024", project / "inputs/evil/2024")
    client = local(project)
    for url in ("/u/evil/2024", "/u/evil/2024/workbook", "/u/evil/2024/preview"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["../../数据.xlsx", "/etc/数据.xlsx", "..\\..\\数据.xlsx", "C:数据.xlsx", "a/数据.xlsx",
                                  "数据.xlsm", ".数据.xlsx", "..", "数据\x00.xlsx"])
def test_an_upload_named_as_a_path_is_refused_and_nothing_written(project: Path, name: str) -> None:
    before = sorted(p for p in project.rglob("*"))
    answer = local(project).post("/u/huadu/2023/workbook", files={"file": (name, b"PK\x03\x04")})
    assert "工作簿未保存" in answer.text
    assert "\x00" in name or "文件名不能含" in answer.text or "不接受这种文件" in answer.text  # NUL: cut by the parser
    assert sorted(p for p in project.rglob("*")) == before


def test_an_upload_that_is_no_workbook_leaves_the_units_own(project: Path) -> None:
    client = local(project)
    client.post("/units/new", data={"dept": "tu", "kind": "department", "year": "2024"})
    book = project / "inputs/tu/2024/数据.xlsx"
    before = book.read_bytes()
    answer = client.post("/u/tu/2024/workbook", files={"file": ("数据.xlsx", b"<html>not a workbook</html>")})
    assert "无法读取工作簿" in answer.text and book.read_bytes() == before


def test_an_oversized_workbook_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.web.unit_page.MAX_WORKBOOK_BYTES", 1000)
    answer = local(project).post("/u/huadu/2023/workbook", files={"file": ("数据.xlsx", b"PK" + b"0" * 5000)})
    assert "工作簿超过 1000 字节 的上限" in answer.text
    assert not (project / "inputs/huadu/2023/数据.xlsx").exists()


def test_a_body_past_the_limit_is_cut_off(project: Path) -> None:
    answer = local(project).post("/bureau/review", files={"files": ("大.docx", b"0" * (MAX_UPLOAD_BYTES + 1))})
    assert answer.status_code == 413 and "上限" in answer.text


def zipped(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            package.writestr(info, "/etc/passwd")
    return out.getvalue()


def test_a_zip_that_slips_out_of_its_folder_writes_nothing_outside(project: Path, tmp_path: Path) -> None:
    client = server(project)
    client.sign_in("czj")
    archive = zipped({"../../evil.docx": b"x", "/tmp/abs-evil.docx": b"x", "a/../../../slip.docx": b"x"})
    answer = client.post("/bureau/review", files={"files": ("收到的.zip", archive)})
    assert "复核 3 份表格" in answer.text  # each taken by its own name, inside the scratch folder
    assert not list(tmp_path.rglob("*evil.docx")) and not list(tmp_path.rglob("slip.docx"))
    assert not Path("/tmp/abs-evil.docx").exists()


def test_a_link_inside_a_zip_is_refused(project: Path) -> None:
    client = server(project)
    client.sign_in("czj")
    answer = client.post("/bureau/review", files={"files": ("收到的.zip", zipped({"a.docx": b"x"}, ("b.docx",)))})
    assert "符号链接" in answer.text and "未复核" in answer.text


def test_a_zip_bomb_stops_at_the_limit(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.web.uploads.MAX_ZIP_UNPACKED", 2**20)
    client = server(project)
    client.sign_in("czj")
    bomb = zipped({f"{i}.docx": b"\0" * 2**20 for i in range(3)})
    assert len(bomb) < 20_000
    answer = client.post("/bureau/review", files={"files": ("炸弹.zip", bomb)})
    assert "解压后超过 1 MB 的上限" in answer.text and "未复核" in answer.text


def test_a_zip_of_too_many_files_is_refused(project: Path) -> None:
    client = server(project)
    client.sign_in("czj")
    many = zipped({f"{i}.docx": b"" for i in range(MAX_UPLOAD_FILES + 1)})
    assert f"超过 {MAX_UPLOAD_FILES} 个" in client.post("/bureau/review", files={"files": ("多.zip", many)}).text


def test_a_unit_account_cannot_review_or_import_for_another_unit(project: Path) -> None:
    client = server(project)
    client.sign_in("huadu-cw")
    assert client.post("/bureau/review", files={"files": ("a.docx", b"x")}).status_code == 403
    answer = client.post("/units/import", data={"dept": "shaoguan"}, files={"files": ("a.docx", b"x")})
    assert "本账号只能建立或导入单位 huadu" in answer.text


@pytest.mark.parametrize("dept", ["../x", "a/b", "", "x y"])
def test_an_import_under_a_bad_code_is_refused(project: Path, dept: str) -> None:
    answer = local(project).post("/units/import", data={"dept": dept}, files={"files": ("a.docx", b"x")})
    assert "未导入" in answer.text and not (project / "inputs/x").exists()


def test_a_unit_account_imports_one_form_only(project: Path) -> None:
    """Several forms become 代号-1, 代号-2…: units the account could not see, so it may not make them."""
    client = server(project)
    client.sign_in("huadu-cw")
    answer = client.post("/units/import", data={"dept": "huadu"}, files=[("files", ("a.docx", b"x")), ("files", ("b.docx", b"x"))])
    assert "单位账号一次只能导入一份表格" in answer.text


def test_a_workbook_that_is_a_link_is_not_replaced(project: Path) -> None:
    (project / "secret.xlsx").write_bytes(b"secret")
    os.symlink(project / "secret.xlsx", project / "inputs/huadu/2023/数据.xlsx")
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    answer = local(project).post("/u/huadu/2023/workbook", files={"file": ("数据.xlsx", book.getvalue())})
    assert "工作簿未保存" in answer.text
    assert not list((project / "inputs/huadu/2023").rglob("原数据"))
