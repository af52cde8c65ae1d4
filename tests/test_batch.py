"""make all: a broken unit among good ones fails alone, the others are built, its old output stays, and the
bureau's summary (汇总表.xlsx / .csv) carries the figures of the source reports."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import batch
from pipeline.__main__ import main
from pipeline.run import build

from .helpers import edit

pytestmark = pytest.mark.slow  # make all: batches of units in worker processes

# (unit, total, grade, 一级 scores, execution rate in %): from the source reports, or computed by hand
EXPECTED = {
    "huadu": ("96.82", "优", {"履职效能": "49.82", "管理效率": "47.00"}, "98.22"),  # 96.82 = 49.82 + 47.00
    "lianjiang": ("100.00", "优", {"预算执行": "40.00", "预算编制": "20.00"}, "100.00"),
    "shaoguan": ("85.77", "良", {"资金管理": "7.10", "事项管理": "8.00"}, "59.20"),  # 1775.96 / 3000.00
    "example-cdc": ("97.14", "优", {"满意度指标": "10.00"}, "95.48"),  # (305.60 + 118.40 + 20.00) / 465.00
    # hand computation in tests/test_run_example_dept.py (一级 points as scored, 不适用 not prorated);
    # execution (1150 + 300) / (1200 + 320) = 95.39%
    "example-dept": ("80.67", "良", {"部门决策": "21.00", "部门管理": "21.37", "部门绩效": "35.88"}, "95.39"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on Chinese Windows reads UTF-8 only with the mark
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("breakage", [
    ("shaoguan", "funds.csv", "2200.00,2200.00,2200.00,1775.96", "2200.00,2200.00,abc,1775.96", "到位数"),
    ("huadu", "unit.yaml", "评价体系: huadu-2023", "评价体系: no-such-framework", "no-such-framework"),
    ("lianjiang", "unit.yaml", "  前言: |\n", "  前言: |\n    {{ 数.没有这个数 }}\n", "没有这个数"),
])
def test_a_broken_unit_fails_alone_and_keeps_its_previous_output(project, capsys, jobs, breakage):
    dept, file, old, new, named = breakage
    _, written = build(project, dept)
    before = snapshot(written[0].parent)
    edit(project / "inputs" / dept / written[0].parent.name / file, old, new)

    code = main(["--root", str(project), "all", "--jobs", jobs])

    out = capsys.readouterr().out
    assert code == 2
    assert snapshot(written[0].parent) == before  # the failed unit's previous output, byte for byte
    failures = [line for line in out.splitlines() if line.strip().startswith("失败")]
    assert len(failures) == 1 and dept in failures[0] and named in failures[0], out
    good = set(EXPECTED) - {dept}
    for other in good:
        assert f"已生成 {other} " in out
        assert (project / "output" / other).is_dir()
    rows = {r["代号"]: r for r in read_csv(project / "output/汇总表.csv")}
    assert set(rows) == set(EXPECTED)  # a row per unit, whatever happened
    assert {d for d, r in rows.items() if r["状态"] == "已生成"} == good
    assert rows[dept]["状态"] == "未生成" and named in rows[dept]["未生成的原因"] and rows[dept]["总分"] == ""


def test_a_fault_of_the_program_in_one_unit_leaves_the_others_built(project, capsys, monkeypatch):
    real = batch.prepare

    def faulty(root, dept, *args):
        if dept == "lianjiang":
            raise ZeroDivisionError("a bug")
        return real(root, dept, *args)

    monkeypatch.setattr(batch, "prepare", faulty)
    code = main(["--root", str(project), "all", "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert "失败 lianjiang：程序错误（请报告）：ZeroDivisionError: a bug" in captured.out
    assert "Traceback" in captured.err  # a bug keeps its traceback
    assert not (project / "output/lianjiang").exists()
    rows = {r["代号"]: r for r in read_csv(project / "output/汇总表.csv")}
    assert {d for d, r in rows.items() if r["状态"] == "已生成"} == set(EXPECTED) - {"lianjiang"}
    assert rows["lianjiang"]["未生成的原因"] == "程序错误（请报告）：ZeroDivisionError: a bug"


def test_every_unit_broken_still_writes_an_empty_summary_and_fails(project, capsys):
    for dept in EXPECTED:
        for unit in (project / "inputs" / dept).glob("*/unit.yaml"):
            unit.write_text("单位名称: [\n", encoding="utf-8")
    assert main(["--root", str(project), "all", "--jobs", "2"]) == 2
    out = capsys.readouterr().out
    assert f"已生成 0 个，失败 {len(EXPECTED)} 个" in out
    rows = read_csv(project / "output/汇总表.csv")
    assert sorted(r["代号"] for r in rows) == sorted(EXPECTED) and {r["状态"] for r in rows} == {"未生成"}
    assert all("unit.yaml" in r["未生成的原因"] for r in rows)


@pytest.mark.parametrize("value", ["0", "-1", "two", "", "２"])
def test_jobs_must_be_a_positive_whole_number(project, capsys, value):
    with pytest.raises(SystemExit) as stop:
        main(["--root", str(project), "all", "--jobs", value])
    assert stop.value.code == 2
    assert "JOBS 应为正整数" in capsys.readouterr().err


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> Path:
    from .conftest import copy_inputs

    root = copy_inputs(tmp_path_factory.mktemp("summary"))
    outcomes = batch.build_all(root, list(EXPECTED), charts=False, jobs=2, progress=False)
    batch.write_summary(root, outcomes)
    return root / "output"


def by_code(sheet) -> dict[str, dict]:
    header = [c.value for c in sheet[1]]
    return {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}


# each framework's 一级 indicators with their weights, from inputs/frameworks/*.yaml
WEIGHTS = {"huadu": {"履职效能": 50, "管理效率": 50}, "lianjiang": {"预算执行": 40, "预算编制": 20},
           "shaoguan": {"资金管理": 12, "事项管理": 8}, "example-cdc": {"满意度指标": 10},
           "example-dept": {"部门决策": 25, "部门管理": 30, "部门绩效": 45}}


def test_the_summary_workbook_has_the_source_reports_totals_grades_and_scores(summary):
    book = load_workbook(summary / "汇总表.xlsx")
    rows = by_code(book["汇总表"])
    assert set(rows) == set(EXPECTED)
    for dept, (total, grade, blocks, rate) in EXPECTED.items():
        row = rows[dept]
        assert Decimal(str(row["总分"])) == Decimal(total) and row["等级"] == grade and row["状态"] == "已生成"
        assert round(Decimal(str(row["预算执行率（支出率）"])) * 100, 2) == Decimal(rate)
        # the 一级 scores on the sheet of the unit's own framework, headed with their weights, never mixed
        scores = by_code(book[f"得分_{row['评价体系']}"])[dept]
        for name, points in blocks.items():
            weight = WEIGHTS[dept][name]
            assert Decimal(str(scores[f"{name}（{weight}分）"])) == Decimal(points), (dept, name)
    assert all(set(by_code(sheet)) <= set(EXPECTED) for sheet in book if sheet.title.startswith("得分_"))
    assert (rows["lianjiang"]["复核提示"], rows["lianjiang"]["填报不一致"]) == (1, 2)
    assert rows["huadu"]["报告类型"] == "部门整体支出" and rows["shaoguan"]["报告类型"] == "项目支出"
    assert rows["lianjiang"]["年度"] == 2024 and rows["huadu"]["评价体系"] == "huadu-2023"
    # shaoguan: 1775.96 spent of 3000.00 (the execution rate above)
    assert (rows["shaoguan"]["全年预算数（万元）"], rows["shaoguan"]["决算数（万元）"]) == (3000, 1775.96)


def test_the_summary_workbook_is_formatted_as_finance_staff_expect(summary):
    book = load_workbook(summary / "汇总表.xlsx")
    sheet = book["汇总表"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "C2"
    assert all(sheet.cell(1, i + 1).font.b for i in range(len(header)))
    total, rate = header.index("总分") + 1, header.index("预算执行率（支出率）") + 1
    assert sheet.cell(2, total).number_format == "0.00"
    assert sheet.cell(2, header.index("全年预算数（万元）") + 1).number_format == "0.00"
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == ("landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert sheet.auto_filter.ref == f"A1:P{len(EXPECTED) + 1}"
    assert sheet.cell(2, rate).number_format == "0.00%"  # Excel's percent: the cell holds the fraction
    assert sheet.cell(2, header.index("年度") + 1).number_format == "General"  # 2024, not 2,024.00
    assert sheet.column_dimensions["B"].width >= 2 * len("广州市花都区卫生健康局")
    grades = book["等级分布"]
    assert [tuple(r) for r in grades.iter_rows(values_only=True)] == [("等级", "单位数"), ("优", 3), ("良", 2),
                                                                      ("中", 0), ("差", 0)]
    assert len(grades._charts) == 1 and grades._charts[0].tagname == "barChart"


def test_the_summary_csv_has_the_same_rows_in_percent(summary):
    rows = {r["代号"]: r for r in read_csv(summary / "汇总表.csv")}
    for dept, (total, grade, _blocks, rate) in EXPECTED.items():
        assert (rows[dept]["总分"], rows[dept]["等级"], rows[dept]["预算执行率（支出率）（%）"]) == (total, grade, rate)
        assert rows[dept]["状态"] == "已生成" and rows[dept]["未生成的原因"] == ""


def test_a_name_with_commas_quotes_and_a_new_framework_shape_lands_in_the_summary(project, capsys):
    """A unit unlike the examples: a new project on the national framework, named with CSV's special characters."""
    assert main(["--root", str(project), "new", "odd-unit", "--kind", "project"]) == 0
    unit = next((project / "inputs/odd-unit").glob("*/unit.yaml"))
    text = unit.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("单位名称:"))
    unit.write_text(text.replace(name, '单位名称: \'某县"疾控",中心\''), encoding="utf-8")
    assert main(["--root", str(project), "all", "--jobs", "2", "--no-charts"]) == 0
    rows = {r["代号"]: r for r in read_csv(project / "output/汇总表.csv")}
    assert rows["odd-unit"]["单位名称"] == '某县"疾控",中心'
    assert rows["odd-unit"]["评价体系"] == "national-project-2020"
    assert set(rows) == set(EXPECTED) | {"odd-unit"}


def test_pdfs_of_a_batch_come_from_one_libreoffice_process_each_to_its_own_unit(project, monkeypatch, capsys):
    from pipeline.report import pdf as pdf_module

    from .helpers import pdf_text, require_libreoffice

    require_libreoffice()
    calls = []
    real = pdf_module.docxs_to_pdfs

    def counted(docxs, converter=None):
        calls.append(len(docxs))
        return real(docxs, converter)

    monkeypatch.setattr(pdf_module, "docxs_to_pdfs", counted)
    edit(project / "inputs/shaoguan/2024/funds.csv", "1775.96", "1775.9x")
    depts = ["huadu", "shaoguan", "example-cdc"]
    outcomes = batch.build_all(project, depts, formats=("md", "pdf"), charts=False, jobs=1, progress=False)
    # the two good units in one call (one process, kept running or started for them); after it, single documents only:
    # a report whose 落款 printed alone or split is laid out again (pdf.signatures_placed), in the same converter
    assert calls[0] == 2 and all(n == 1 for n in calls[1:])
    assert [o.row is not None for o in outcomes] == [True, False, True]
    for dept, name in (("huadu", "广州市花都区卫生健康局"), ("example-cdc", "示例区疾病预防控制中心")):
        folder = next((project / "output" / dept).iterdir())
        assert not (folder / "report.docx").exists()  # not asked for: made for the PDF only
        assert name in pdf_text(folder / "report.pdf")
    assert not (project / "output/shaoguan").exists()


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.com","点我")', "+1+2", "-2+3", "@SUM(A1:A9)"])
def test_a_unit_name_that_looks_like_a_formula_stays_text_in_the_summary(project, capsys, name):
    unit = project / "inputs/example-cdc/2024/unit.yaml"
    edit(unit, "单位名称: 示例区疾病预防控制中心", "单位名称: '" + name.replace("'", "''") + "'")
    assert main(["--root", str(project), "all", "--jobs", "1", "--no-charts"]) == 0
    sheet = load_workbook(project / "output/汇总表.xlsx")["汇总表"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "example-cdc")
    assert (cell.value, cell.data_type) == (name, "s")
    rows = {r["代号"]: r for r in read_csv(project / "output/汇总表.csv")}
    assert rows["example-cdc"]["单位名称"] == "'" + name  # an apostrophe keeps Excel from running it


def test_a_unit_that_kills_its_worker_fails_alone(project, monkeypatch, capsys):
    """A worker process that dies (killed, out of memory) takes its pool down; the other units are still built."""
    import multiprocessing
    import os

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched function reaches the workers only when they are forked")
    real = batch.prepare

    def dying(root, dept, *args):
        if dept == "lianjiang":
            os._exit(9)
        return real(root, dept, *args)

    monkeypatch.setattr(batch, "prepare", dying)  # the workers are forked: they see the patched function
    code = main(["--root", str(project), "all", "--jobs", "2", "--no-charts"])
    out = capsys.readouterr().out
    assert code == 1
    assert "失败 lianjiang：工作进程异常退出" in out
    assert [line for line in out.splitlines() if "失败" in line and "失败 0" not in line and "共" not in line] == [
        line for line in out.splitlines() if line.strip().startswith("失败 lianjiang")]
    rows = {r["代号"]: r for r in read_csv(project / "output/汇总表.csv")}
    assert {d for d, r in rows.items() if r["状态"] == "已生成"} == set(EXPECTED) - {"lianjiang"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_control_characters_in_a_units_name_and_a_failures_reason_reach_the_summary(project, capsys, monkeypatch,
                                                                                    jobs):
    """A folder named with a control character and a failure quoting one: the summary is written all the same, each
    shown as its picture (\\x07 → ␇, \\x0b → ␋); openpyxl refused them, and the batch ended with a traceback."""
    import shutil
    shutil.copytree(project / "inputs/lianjiang", project / "inputs/lian\x07jiang")
    real = batch.prepare

    def faulty(root, dept, *args):
        if dept == "huadu":
            raise ZeroDivisionError("引用\x07文本\x0b")
        return real(root, dept, *args)

    monkeypatch.setattr(batch, "prepare", faulty)  # the pool's workers are forked: they run it too
    code = main(["--root", str(project), "all", "--jobs", jobs, "--no-charts", "--formats", "md"])
    assert code == 1 and "Traceback" not in capsys.readouterr().out
    sheet = load_workbook(project / "output/汇总表.xlsx")["汇总表"]
    rows = by_code(sheet)
    assert set(rows) == set(EXPECTED) | {"lian\u2407jiang"} and rows["lian\u2407jiang"]["状态"] == "已生成"
    assert rows["huadu"]["未生成的原因"] == "程序错误（请报告）：ZeroDivisionError: 引用\u2407文本\u240b"
    csv_rows = {r["代号"]: r for r in read_csv(project / "output/汇总表.csv")}  # the CSV keeps the text as it was
    assert csv_rows["huadu"]["未生成的原因"] == "程序错误（请报告）：ZeroDivisionError: 引用\x07文本\x0b"
