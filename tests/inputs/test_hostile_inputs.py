"""Input no one here wrote, built to break the reader: each is a located Chinese message and exit 2, never a
traceback, and nothing is written (huge cells, deep or cyclic YAML, lone surrogates, damaged workbook parts, odd
unit names and folders)."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from pipeline.__main__ import main

HUADU = "inputs/huadu/2023"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def budget_workbook(root: Path) -> bytes:
    """huadu's budget.csv as the sheet 预算执行 of a workbook whose text is in a shared-string table, as Excel saves it."""
    unit = root / HUADU
    book = openpyxl.Workbook()
    book.active.title = "预算执行"
    for row in csv.reader((unit / "budget.csv").open(encoding="utf-8")):
        book.active.append(row)
    (unit / "budget.csv").unlink()
    saved = io.BytesIO()
    book.save(saved)
    strings: list[bytes] = []

    def shared(match: re.Match) -> bytes:  # openpyxl writes inline strings; Excel writes shared ones
        strings.append(match.group(2))
        return match.group(1) + b' t="s"><v>%d</v></c>' % (len(strings) - 1)

    parts = {}
    with zipfile.ZipFile(saved) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    parts[SHEET] = re.sub(rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="inlineStr"><is><t>(.*?)</t></is></c>', shared,
                          parts[SHEET])
    parts[STRINGS] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      + b"".join(b"<si><t>" + text + b"</t></si>" for text in strings) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    return pack(parts)


def pack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def damaged(part: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        book = budget_workbook(root)
        with zipfile.ZipFile(io.BytesIO(book)) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        parts[part] = change(parts[part])
        (root / HUADU / "数据.xlsx").write_bytes(pack(parts))
    return apply


def the_workbook_intact(root: Path) -> None:
    (root / HUADU / "数据.xlsx").write_bytes(budget_workbook(root))


LONG = 140_000  # over csv's own field limit (131,072), which raises instead of reporting

CASES: dict[str, tuple[Callable[[Path], None], list[str], list[str]]] = {
    # name: (change, extra arguments, texts the message must hold)
    "csv cell over csv's field limit": (
        lambda root: replace(root / HUADU / "budget.csv", "假定（原报告只列示合计）", "x" * LONG), [],
        ["budget.csv 第2行", "单元格超过 32767 个字符的上限"]),
    "quoted csv cell over csv's field limit": (
        lambda root: replace(root / HUADU / "budget.csv", "假定（原报告只列示合计）", '"' + "x\n" * (LONG // 2) + '"'), [],
        ["budget.csv 第", "单元格超过 32767 个字符的上限"]),
    "yaml nested in flow style": (
        lambda root: append(root / HUADU / "unit.yaml", "深: " + "[" * 5000 + "]" * 5000 + "\n"), [],
        ["unit.yaml 第", "嵌套层数超过 50 层"]),
    "yaml nested by indentation": (
        lambda root: append(root / HUADU / "unit.yaml", "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "x\n"),
        [], ["unit.yaml 第", "嵌套层数超过 50 层"]),
    "yaml alias cycle in a list": (
        lambda root: append(root / HUADU / "unit.yaml", "环: &a [*a]\n"), [], ["unit.yaml 第", "循环引用"]),
    "yaml alias cycle in a mapping": (
        lambda root: append(root / "inputs/frameworks/huadu-2023.yaml", "环: &a {x: *a}\n"), [],
        ["huadu-2023.yaml 第", "循环引用"]),
    "lone surrogate in a yaml value": (
        lambda root: append(root / HUADU / "unit.yaml", '备注: "a\\ud800b"\n'), [], ["unit.yaml 第", "孤立的 UTF-16 代理项"]),
    "lone surrogate in a yaml key": (
        lambda root: append(root / HUADU / "unit.yaml", '"\\udc80": 1\n'), [], ["unit.yaml 第", "孤立的 UTF-16 代理项"]),
    "encoded surrogate in a csv": (
        lambda root: (root / HUADU / "budget.csv").write_bytes(
            (root / HUADU / "budget.csv").read_bytes().replace("假定".encode(), b"\xed\xa0\x80", 1)), [],
        ["budget.csv", "无法识别文件编码"]),
    "shared strings cut in half": (
        damaged(STRINGS, lambda body: body[: len(body) // 2]), [], ["数据.xlsx", "无法读取工作簿"]),
    "shared strings missing the entries a sheet names": (
        damaged(STRINGS, lambda body: body[: body.index(b"<si>")] + b"</sst>"), [], ["数据.xlsx", "工作簿已损坏"]),
    "shared strings empty": (damaged(STRINGS, lambda body: b""), [], ["数据.xlsx", "无法读取工作簿"]),
    "sheet xml truncated": (damaged(SHEET, lambda body: body[: len(body) * 2 // 3]), [], ["数据.xlsx", "工作簿已损坏"]),
    "sheet xml not well formed": (damaged(SHEET, lambda body: body.replace(b"<row", b"<row <", 1)), [],
                                  ["数据.xlsx", "工作簿已损坏"]),
    "sheet with a surrogate character reference": (
        damaged(SHEET, lambda body: body.replace(b"<v>0</v>", b"<v>&#xD800;</v>", 1)), [], ["数据.xlsx", "工作簿已损坏"]),
    "year given with a superscript": (lambda root: None, ["--year", "2023²"], ["年度应为四位数字", "'2023²'"]),
    "year given in full-width digits": (lambda root: None, ["--year", "２０２３"], ["年度应为四位数字"]),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_is_a_located_message(name, project, capsys):
    change, extra, expected = CASES[name]
    change(project)
    try:
        code = main(["--root", str(project), "report", "huadu", *extra])
    except SystemExit as stop:  # argparse refuses a bad argument by exiting 2 with its message
        code = stop.code
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert code == 2, f"exit code {code}\n{err}"
    assert all(text in err for text in expected), err
    assert not (project / "output").exists()


def test_the_shared_string_workbook_itself_is_read(project):
    """The damaged workbooks above are damaged copies of a readable one."""
    the_workbook_intact(project)
    assert main(["--root", str(project), "check", "huadu"]) == 0


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["inputs/shaoguan/2024²", "inputs/huadu/2023²", "inputs/huadu/２０２４",
                                    "inputs/huadu/2023 copy"])
def test_an_odd_year_folder_breaks_no_command(project, folder, capsys):
    (project / folder).mkdir()
    assert main(["--root", str(project), "check", "huadu"]) == 0
    assert main(["--root", str(project), "units"]) == 0
    assert main(["--root", str(project), "all", "--formats", "md"]) == 0
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("name, shown", [("ab\ncd", "ab\\ncd"), ("x\ty", "x\\ty"), ("../up", "../up"), ("a/b", "a/b"),
                                         ("", ""), ("名字", "名字")])
def test_new_with_an_odd_name_is_refused_and_shown_readably(project, capsys, name, shown):
    before = sorted(p.name for p in (project / "inputs").iterdir())
    code = main(["--root", str(project), "new", name, "--kind", "department", "--year", "2024"])
    err = capsys.readouterr().err
    assert code == 2 and f"单位代号“{shown}”不合法" in err, err
    assert "\n" not in err.strip()
    assert sorted(p.name for p in (project / "inputs").iterdir()) == before
