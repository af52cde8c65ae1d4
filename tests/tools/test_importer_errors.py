"""A broken form: every row that cannot be read named with its row and content, all at once; nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.codes import INVALID_INPUT
from pipeline.errors import Location
from tests.tools.importer_forms import FUNDS, ROWS, docx_form, refusal


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "inputs").rglob("*")) if p.is_file()}


def refused(root: Path, capsys, *args: str) -> str:
    before = tree(root)
    assert main(["--root", str(root), "import", *args]) == 2
    assert tree(root) == before  # nothing written, nothing half-made
    assert not [p for p in (root / "inputs").iterdir() if p.name.startswith(".")]
    return capsys.readouterr().err


def with_row(index: int, column: int, value: str) -> list[tuple]:
    rows = [list(r) for r in ROWS]
    rows[index][column] = value
    return [tuple(r) for r in rows]


def test_unreadable_rows_are_all_named_with_row_and_content(project, tmp_path, capsys):
    rows = with_row(0, 5, "二十")  # weight in words
    rows[2] = ("产出指标", "时效指标", "", "≤12月", "12月", "", "", "")  # no name, no weight
    rows.insert(3, ("成本指标", "经济成本指标", "人均培训成本", "≤200元", "180元", "10", "10", ""))  # not a national class
    funds = (FUNDS[0][:3] + ("一百一十四",) + FUNDS[0][4:],) + FUNDS[1:]
    form = docx_form(tmp_path / "坏表.docx", rows=rows, funds=funds)
    err = refused(project, capsys, str(form), "broken")
    assert err.startswith("输入有误，共 4 处，未生成任何文件：")
    for expected in ("坏表.docx 表2第2行 全年执行数：无法读取这个数字（当前值：'一百一十四'）",
                     "坏表.docx 表4第2行 分值：无法读取这个数字（当前值：'二十'）",
                     "坏表.docx 表4第4行：无法读取这一行指标：缺少分值（当前值：'产出指标 | 时效指标 | ≤12月 | 12月'）",
                     "坏表.docx 表4第5行 一级指标：评价体系“项目支出绩效自评指标（财预〔2020〕10号）”中没有这个指标，也不接收“成本指标”类指标"):
        assert expected in err, expected


@pytest.mark.parametrize("change, expected", [
    (lambda: with_row(0, 6, "25"), "坏表.docx 表4第2行 得分：得分超过该指标的权重 20（当前值：'25'）"),
    (lambda: with_row(1, 5, "15"), "“产出指标”类指标权重合计 45，与评价体系中的 50 不符"),
    (lambda: with_row(3, 6, ""), "坏表.docx 表4第5行 得分：指标 P04“群众健康意识”（completion）：定性指标需要选择档次"),
    (lambda: with_row(4, 4, "约八成"), "坏表.docx 表4第6行 实际完成值：指标 P05“培训对象满意度”（completion）：需要数字（当前值：'约八成'）"),
], ids=["score over weight", "weights off the class", "qualitative without score", "actual not a number"])
@pytest.mark.slow
def test_what_the_normal_checks_find_is_told_at_the_form_row(project, tmp_path, capsys, change, expected):
    err = refused(project, capsys, str(docx_form(tmp_path / "坏表.docx", rows=change())), "broken")
    assert expected in err


def test_an_existing_unit_is_never_overwritten(project, tmp_path, capsys):
    form = docx_form(tmp_path / "f.docx")
    assert main(["--root", str(project), "import", str(form), "health"]) == 0
    capsys.readouterr()
    assert "inputs/health/2024/ 已存在" in refused(project, capsys, str(form), "health")
    assert "inputs/shaoguan/2024/ 已存在" in refused(project, capsys, str(form), "shaoguan")
    assert main(["--root", str(project), "import", str(form), "health", "--year", "2025"]) == 0  # a new year is new


@pytest.mark.slow
def test_a_broken_xls_is_refused_whatever_libreoffice_makes_of_it(project, tmp_path, capsys):
    """LibreOffice without Calc converts nothing; with it, a broken file comes out as an empty workbook."""
    (tmp_path / "坏的.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 100)
    err = refused(project, capsys, str(tmp_path / "坏的.xls"), "x")
    assert ("坏的.xls：LibreOffice 无法把这个 .xls 文件转换为 .xlsx" in err or "坏的.xls：没有找到自评表或评分表的表头" in err
            or "读取 .xls 文件需要 LibreOffice" in err)


@pytest.mark.parametrize("name, content, expected", [
    ("网页.doc", b"<html><img src='http://example.com/x.png'></html>", "这不是 Word/WPS 或 Excel 保存的旧版 .doc 文件"),
    ("图片.png", b"\x89PNG", "只能导入 Word（.docx、.doc、.wps）、Excel（.xlsx、.xls、.et）或 PDF 文件"),
    ("假的.docx", b"not a zip", "假的.docx：无法读取 Word 文档"),
    ("假的.xlsx", b"not a zip", "假的.xlsx：无法读取工作簿"),
    ("不存在.docx", None, "找不到这个文件"),
], ids=["html named doc", "png", "fake docx", "fake xlsx", "missing"])
def test_files_that_are_not_forms(project, tmp_path, capsys, name, content, expected):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    assert expected in refused(project, capsys, str(tmp_path / name), "x")


def test_a_document_without_a_form_header(project, tmp_path, capsys):
    from docx import Document
    document = Document()
    document.add_paragraph("关于开展绩效自评的通知")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "序号"
    document.save(tmp_path / "通知.docx")
    assert "没有找到自评表或评分表的表头" in refused(project, capsys, str(tmp_path / "通知.docx"), "x")


@pytest.mark.slow
@pytest.mark.parametrize("dept", ["../escape", "frameworks", "a b", "名称"])
def test_unit_names_outside_inputs_or_reserved_are_refused(project, tmp_path, capsys, dept):
    assert "不合法" in refused(project, capsys, str(docx_form(tmp_path / "f.docx")), dept, "--year", "2024")


def test_no_year_in_the_form_asks_for_year(project, tmp_path, capsys):
    form = docx_form(tmp_path / "f.docx", year="")
    [problem] = refusal(project, form)
    assert (problem.where, problem.message, problem.code) == (Location("f.docx", key="YEAR"), "表中没有写明年度", INVALID_INPUT)
    assert main(["--root", str(project), "import", str(form), "x", "--year", "2023"]) == 0
    assert (project / "inputs/x/2023/unit.yaml").exists()


def test_a_department_framework_cannot_score_a_project_form(project, tmp_path, capsys):
    err = refused(project, capsys, str(docx_form(tmp_path / "f.docx")), "x", "--framework", "huadu-2023")
    assert "适用于 department" in err
    assert "找不到这个评价体系" in refused(project, capsys, str(docx_form(tmp_path / "f.docx")), "x", "--framework", "nope")


def test_a_row_of_free_text_across_the_indicator_table_is_named_once(project, tmp_path, capsys):
    from docx import Document
    form = docx_form(tmp_path / "坏表.docx")
    document = Document(str(form))
    table = document.tables[3]
    row = table.add_row()
    row.cells[0].merge(row.cells[-1]).text = "以上指标由项目组自行确定"
    table.rows[-2]._tr.addprevious(row._tr)  # above 总分
    document.save(form)
    err = refused(project, capsys, str(form), "x")
    assert err.startswith("输入有误，共 1 处")
    assert "坏表.docx 表4第7行：无法读取这一行指标：整行只有一段文字（当前值：'以上指标由项目组自行确定'）" in err


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_a_package_that_unpacks_to_more_than_a_form_is_refused_unread(project, tmp_path, capsys, suffix):
    import zipfile

    from tests.tools.importer_forms import xlsx_form
    form = (docx_form if suffix == "docx" else xlsx_form)(tmp_path / f"大.{suffix}")
    with zipfile.ZipFile(form, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("media/zeros.bin", "w") as member:  # 65 MB of zeros packs into some 64 KB
            for _ in range(65):
                member.write(bytes(2**20))
    [problem] = refusal(project, form)
    assert problem.where == Location(f"大.{suffix}") and problem.message.startswith("文件解压后超过 64 MB")


def _huge_span(path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    document = Document(str(path))
    tc_pr = document.tables[0].cell(0, 0)._tc.get_or_add_tcPr()
    tc_pr.append(tc_pr.makeelement(qn("w:gridSpan"), {qn("w:val"): "100000000"}))
    document.save(path)


def _many_rows(path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    document = Document(str(path))
    table = document.tables[0]._tbl
    for _ in range(11000):
        table.append(table.makeelement(qn("w:tr"), {}))
    document.save(path)


def _huge_merge(path: Path) -> None:
    import zipfile
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b'ref="A1:H1"', b'ref="A1:XFD1048576"')
    with zipfile.ZipFile(path, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)


@pytest.mark.parametrize("suffix, spoil, expected", [
    ("docx", _huge_span, "表1第1行超过 63 列，不像一份自评表或评分表"),
    ("docx", _many_rows, "表格超过 10000 行，不像一份自评表或评分表"),
    ("xlsx", _huge_merge, "个单元格（含合并的），不像一份自评表或评分表"),
], ids=["a cell spanning a hundred million columns", "thousands of rows", "a merge over the whole sheet"])
def test_a_small_file_claiming_a_huge_table_is_refused_before_it_is_built(project, tmp_path, capsys, suffix, spoil, expected):
    from tests.tools.importer_forms import xlsx_form
    form = (docx_form if suffix == "docx" else xlsx_form)(tmp_path / f"f.{suffix}")
    spoil(form)
    assert expected in refused(project, capsys, str(form), "x")


@pytest.mark.parametrize("command, expected", [
    (["import", "", "x"], "FILE：没有指定；make import FILE=自评表.docx DEPT=baiyun"),
    (["import", " ", "x"], "FILE：没有指定"),
    (["review", ""], "DIR：没有指定；make review DIR=收到的自评表"),
], ids=["import without FILE", "FILE blank", "review without DIR"])
def test_make_variables_left_empty_are_asked_for_not_read_as_this_folder(project, capsys, command, expected):
    before = tree(project)
    assert main(["--root", str(project), *command]) == 2
    assert expected in capsys.readouterr().err
    assert tree(project) == before and not (project / "output").exists()


def _two_docx(path: Path) -> Path:
    import copy

    from docx import Document
    docx_form(path)
    document = Document(str(path))
    body = document.element.body
    parts = [child for child in body.iterchildren() if not child.tag.endswith("sectPr")]
    for child in parts:
        body.insert(len(body) - 1, copy.deepcopy(child))
    document.save(path)
    return path


def _two_xlsx(path: Path) -> Path:
    import openpyxl

    from tests.tools.importer_forms import xlsx_form
    book = openpyxl.load_workbook(xlsx_form(path))
    book.copy_worksheet(book.active).title = "第二个项目"
    book.save(path)
    return path


def test_a_word_file_holding_two_forms_is_refused_at_the_second(project, tmp_path, capsys):
    [problem] = refusal(project, _two_docx(tmp_path / "两份.docx"))
    assert problem.where == Location("两份.docx", 1, table=6)
    assert problem.message == "这里又开始了一份自评表：一个工作表或 Word 文件只能有一份"


def test_a_workbook_of_one_form_a_sheet_gives_a_unit_a_sheet(project, tmp_path, capsys):
    assert main(["--root", str(project), "import", str(_two_xlsx(tmp_path / "两份.xlsx")), "x"]) == 0
    out = capsys.readouterr().out
    assert "《两份.xlsx》中有 2 份表格，每个工作表导入为一个单位" in out
    assert "工作表“自评表”作为自评表导入为单位 x-1" in out and "工作表“第二个项目”作为自评表导入为单位 x-2" in out
    assert sorted(p.name for p in (project / "inputs").iterdir() if p.name.startswith("x")) == ["x-1", "x-2"]
    assert not (project / "inputs" / "x").exists()


def test_a_workbook_of_several_forms_writes_none_while_one_is_wrong(project, tmp_path, capsys):
    import openpyxl
    path = _two_xlsx(tmp_path / "两份.xlsx")
    book = openpyxl.load_workbook(path)
    book["第二个项目"]["F12"] = "二十"  # 培训人次's 分值
    book.save(path)
    [problem] = refusal(project, path)
    assert (problem.where, problem.message, problem.value) == (
        Location("两份.xlsx", 12, "分值", sheet="第二个项目"), "无法读取这个数字", "二十")
    assert not [p for p in (project / "inputs").iterdir() if p.name.startswith("x")]


@pytest.mark.parametrize("command, said", [
    ("import", "磁盘空间不足，无法写入目录 inputs/x；现有的单位不受影响，请清理磁盘后重试"),
    ("review", "磁盘空间不足，无法写入文件 output/复核汇总.xlsx；原有文件保持不变"),
])
@pytest.mark.slow
def test_a_full_disk_is_a_machine_error_in_chinese(project, tmp_path, capsys, monkeypatch, command, said):
    import errno
    import os

    from pipeline import write as write_module
    folder = tmp_path / "forms"
    folder.mkdir()
    form = docx_form(folder / "f.docx")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write_module.os, "fsync", full)
    before = tree(project)
    args = [str(form), "x"] if command == "import" else [str(folder)]
    assert main(["--root", str(project), command, *args]) == 1
    assert said in capsys.readouterr().err
    assert tree(project) == before and not [p for p in (project / "inputs").iterdir() if p.name.startswith(".")]
