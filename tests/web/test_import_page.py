"""Forms imported from the first page as an officer sees it: the framework chosen on the page, the next steps told
as the page's own (no make target, no file to edit), and a link to every unit made, a workbook of two forms too."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.tools.importer_forms import docx_form, xlsx_form
from tests.web.helpers import finished, local


def test_the_import_says_what_to_do_on_the_page_and_uses_the_chosen_framework(project: Path, tmp_path: Path) -> None:
    client = local(project)
    form = ("a.docx", docx_form(tmp_path / "a.docx").read_bytes())
    # the form's 产出指标 weigh 50 as in 财预〔2020〕10号; framework 101 gives them 40: refused, and the way out told
    other = finished(client, client.post("/units/import", data={"dept": "jky", "framework": "national-project-101"},
                                         files=[("files", form)]).text)
    assert "合计 50，与评价体系中的 40 不符" in other and "请在“评价体系”中选择它后重新导入" in other
    assert not (project / "inputs/jky").exists()
    fragment = finished(client, client.post("/units/import", data={"dept": "jky", "framework": "national-project-2020"},
                                            files=[("files", form)]).text)
    assert "评价体系 national-project-2020" in fragment and "总分 90.94" in fragment, fragment
    for console in ("make ", "unit.yaml", "indicators.csv", "已写入"):
        assert console not in fragment, console
    assert "打开单位 jky 的页面" in fragment and 'href="/u/jky/' in fragment


def test_an_unknown_framework_is_refused_before_anything_is_imported(project: Path, tmp_path: Path) -> None:
    client = local(project)
    form = ("a.docx", docx_form(tmp_path / "a.docx").read_bytes())
    answer = client.post("/units/import", data={"dept": "jky", "framework": "没有的体系"}, files=[("files", form)]).text
    assert "没有这个评价体系" in answer and "national-project-2020" in answer
    assert not (project / "inputs/jky").exists()


def test_a_workbook_of_two_forms_links_both_units(project: Path, tmp_path: Path) -> None:
    path = xlsx_form(tmp_path / "两张.xlsx")
    book = openpyxl.load_workbook(path)
    book.copy_worksheet(book.worksheets[0]).title = "第二个单位"
    book.save(path)
    client = local(project)
    fragment = finished(client, client.post("/units/import", data={"dept": "two"},
                                            files=[("files", ("两张.xlsx", path.read_bytes()))]).text)
    assert (project / "inputs/two-1").is_dir() and (project / "inputs/two-2").is_dir(), fragment
    assert 'href="/u/two-1/' in fragment and 'href="/u/two-2/' in fragment


def test_a_build_replaces_its_progress_instead_of_nesting_it(project: Path) -> None:
    page = local(project).get("/u/huadu/2023").text
    build = page.split('id="build"', 1)[0].rsplit("<button", 1)[1]
    assert 'hx-target="#job"' in build and 'hx-swap="outerHTML"' in build


def test_a_zip_from_windows_keeps_its_chinese_names(project: Path, tmp_path: Path) -> None:
    """Windows' 压缩 writes GBK names without the UTF-8 flag: the review lists them as their author wrote them."""
    import io
    import zipfile

    from tests.web.helpers import server
    class Gbk(zipfile.ZipInfo):  # the name's bytes as Windows writes them: GBK, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits

    form = docx_form(tmp_path / "a.docx").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(Gbk("收到的/花都区卫健局.docx"), form)
    assert not zipfile.ZipFile(io.BytesIO(archive.getvalue())).infolist()[0].flag_bits & 0x800
    client = server(project)
    client.sign_in("czj")
    fragment = finished(client, client.post("/bureau/review", files={"files": ("收到.zip", archive.getvalue())}).text)
    assert "花都区卫健局.docx" in fragment, fragment
