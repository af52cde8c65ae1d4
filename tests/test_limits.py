"""Every resource a unit's files can drive is bounded, and a hostile unit or file costs only its own row: the run's
time budget, pandoc's and LibreOffice's time and memory, Markdown nesting, the typed-number check, merged cells,
the execution chart, and make all / make review going on past a unit that hangs, crashes or runs out of memory.
Each probe sits just past its bound (and just under where that is cheap), with small limits given as settings."""
from __future__ import annotations

import io
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipeline import deadline, run
from pipeline.__main__ import main
from pipeline.deadline import limited_run, run_budget, stage
from pipeline.errors import Location, OutOfTime, OverLimit
from pipeline.figures.compute import BudgetLine
from pipeline.findings.typed import check_text
from pipeline.findings.typed_read import unquoted as _unquoted
from pipeline.limits import MAX_CHART_LINES, MAX_MARKDOWN_NESTING, RUN_SECONDS_ENV, WORKER_MEMORY
from pipeline.report import form, render
from pipeline.report.charts import budget_execution_chart, charted_lines
from pipeline.report.markdown_ast import UnsafeMarkdown, refuse_deep_nesting
from pipeline.report.word.reference import reference_docx
from tests.helpers import edit
from tests.tools.importer_forms import xlsx_form

HUADU = "inputs/huadu/2023"
FORKED = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                            reason="a patched function reaches the workers only when they are forked")


def slow(seconds: float = 30):
    def stuck(*args, **kwargs):
        end = time.monotonic() + seconds
        while time.monotonic() < end:  # a Python loop, as a runaway template or chart would be
            pass
    return stuck


# --- the run's time budget -------------------------------------------------------------------------------------------

def test_a_run_past_its_budget_stops_naming_unit_and_stage_and_writes_nothing(project, monkeypatch, capsys):
    monkeypatch.setattr(render, "chart_files", slow())
    start = time.monotonic()
    code = main(["--root", str(project), "report", "huadu", "--time-limit", "1"])
    assert time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert code == 2
    assert "单位 huadu 2023年度：生成用时超过 1 秒的上限，在“图表”阶段停止；未写入任何文件" in err
    assert "Traceback" not in err
    assert not (project / "output").exists()


def test_the_budget_comes_from_the_environment_when_not_given(project, monkeypatch, capsys):
    monkeypatch.setattr(form, "fill_form", slow())  # render imports it when a form is filled
    monkeypatch.setenv(RUN_SECONDS_ENV, "0.5")
    assert main(["--root", str(project), "check", "shaoguan"]) == 2
    assert "单位 shaoguan 2024年度：生成用时超过 0.5 秒的上限，在“自评表”阶段停止" in capsys.readouterr().err


@pytest.mark.slow
def test_a_run_just_within_its_budget_is_built(project, capsys):
    assert main(["--root", str(project), "report", "huadu", "--time-limit", "120", "--no-charts"]) == 0
    assert (project / "output/huadu/2023/report.docx").is_file()


@pytest.mark.parametrize("value", ["0", "-3", "abc", "nan", "inf"])
def test_a_budget_that_is_not_a_positive_number_is_refused(project, capsys, value):
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(project), "check", "huadu", "--time-limit", value])
    assert stopped.value.code == 2
    assert "时间上限应为正的秒数" in capsys.readouterr().err


def test_a_bad_budget_in_the_environment_is_a_message(project, monkeypatch, capsys):
    monkeypatch.setenv(RUN_SECONDS_ENV, "一分钟")
    assert main(["--root", str(project), "check", "huadu"]) == 2
    assert "时间上限应为正的秒数（当前值：'一分钟'）" in capsys.readouterr().err


def test_code_that_catches_the_stop_and_carries_on_is_stopped_again(project, monkeypatch, capsys):
    """last year's folder is read under `except PipelineError`: the budget's stop is not swallowed there."""
    real = run.evaluate

    def last_year_stuck(root, dept, year, strict, compare=True, draft=False):
        if not compare:
            slow()()
        return real(root, dept, year, strict, compare, draft)

    (project / "inputs/huadu/2022").mkdir()
    for name in ("unit.yaml", "budget.csv", "indicators.csv"):
        (project / "inputs/huadu/2022" / name).write_bytes((project / HUADU / name).read_bytes())
    edit(project / "inputs/huadu/2022/unit.yaml", "年度: 2023", "年度: 2022")
    monkeypatch.setattr(run, "evaluate", last_year_stuck)
    assert main(["--root", str(project), "check", "huadu", "--time-limit", "1"]) == 2
    assert "在“读取上年数据”阶段停止" in capsys.readouterr().err


def test_a_memory_error_in_a_run_is_a_message_naming_unit_and_stage(project, monkeypatch, capsys):
    def exhausted(*args, **kwargs):
        raise MemoryError
    monkeypatch.setattr(render, "chart_files", exhausted)
    assert main(["--root", str(project), "report", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "单位 huadu 2023年度：内存不足，在“图表”阶段停止；未写入任何文件" in err and "Traceback" not in err
    assert not (project / "output").exists()


def test_a_run_stuck_inside_a_c_library_ends_its_process_with_the_message():
    """A regular expression backtracking in C never returns to Python for the alarm: the watchdog ends the process."""
    root = str(Path(__file__).resolve().parent.parent)
    script = (f"import re, sys; sys.path.insert(0, {root!r}); from pipeline.deadline import run_budget\n"
              "with run_budget('单位 x 2024年度', 0.5):\n    re.match(r'(a+)+$', 'a' * 60 + 'b')\n")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 10
    assert done.returncode != 0 and "单位 x 2024年度：生成用时超过 0.5 秒的上限" in done.stderr


# --- pandoc and LibreOffice as limited children ----------------------------------------------------------------------

def test_a_child_past_the_remaining_time_is_killed_with_what_it_started():
    script = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); " \
             "print(flush=True); time.sleep(60)"
    start = time.monotonic()
    with pytest.raises(OutOfTime) as caught, run_budget("单位 x 2024年度", 1.0):
        with stage("Word 转换（pandoc）"):
            limited_run([sys.executable, "-c", script], "pandoc")
    assert time.monotonic() - start < 5
    assert "单位 x 2024年度：生成用时超过 1 秒的上限，在“Word 转换（pandoc）”阶段停止" in str(caught.value)
    found = subprocess.run(["pgrep", "-f", "time.sleep\\(60\\)"], capture_output=True, text=True).stdout.split()
    assert not [pid for pid in found if Path(f"/proc/{pid}/stat").exists()
                and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]


@pytest.mark.slow
def test_a_child_past_its_memory_limit_is_stopped_with_a_message():
    import pypandoc
    command = [pypandoc.get_pandoc_path(), "--sandbox", "--from", "markdown", "--to", "json"]
    text = ("段落 *强调* 文字\n\n" * 20_000).encode("utf-8")
    with pytest.raises(OverLimit) as caught:
        limited_run(command, "pandoc", input=text, seconds=20, memory=100 * 2**20)
    assert "pandoc 超出资源上限（内存 100 MB" in str(caught.value)
    assert limited_run(command, "pandoc", input=text, seconds=20).returncode == 0  # the default limit: just works


@pytest.mark.parametrize("tools", [True, False], ids=["setpriv-prlimit", "preexec"])
def test_a_child_runs_within_its_memory_and_cpu_limits_either_way_it_is_started(monkeypatch, tools):
    if not tools:  # a system without util-linux's setpriv and prlimit: set between fork and exec
        monkeypatch.setattr(deadline, "_limit_programs", lambda: None)
    done = limited_run(["sh", "-c", "ulimit -v; ulimit -t"], "sh", seconds=7.5, memory=300 * 2**20)
    assert done.returncode == 0 and done.stdout.decode().split() == [str(300 * 1024), "9"]  # KiB; ceil(7.5) + 1 s
    assert done.args == ["sh", "-c", "ulimit -v; ulimit -t"]


# --- Markdown nesting, refused before pandoc sees it -----------------------------------------------------------------

def nested_links(depth: int) -> str:
    return "[" * depth + "文字" + "](#a)" * depth


def own_template(project: Path, body: str) -> None:
    own = project / HUADU / "templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").write_text(
        '{% extends "default/department/report.md.j2" %}\n{% block problems %}\n## 存在的问题\n\n' + body
        + "\n{% endblock %}\n", encoding="utf-8")


def test_links_nested_past_the_limit_are_refused_at_their_template_and_line(project, capsys):
    own_template(project, nested_links(MAX_MARKDOWN_NESTING + 1))
    start = time.monotonic()
    assert main(["--root", str(project), "report", "huadu", "--no-charts"]) == 2
    assert time.monotonic() - start < 30
    err = capsys.readouterr().err
    assert "report.md.j2" in err and f"方括号（[ ]，链接或文字标记）嵌套超过 {MAX_MARKDOWN_NESTING} 层" in err
    assert "报告第" in err and "Traceback" not in err
    assert not (project / "output").exists()


@pytest.mark.slow
def test_links_nested_to_the_limit_are_converted(project):
    own_template(project, nested_links(MAX_MARKDOWN_NESTING))
    _, written = run.build(project, "huadu", charts=False)
    assert "文字" in (written[0].parent / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, what", [
    ("段落\n\n" + "[" * 2000 + "未闭合", "方括号"),
    ("> " * (MAX_MARKDOWN_NESTING + 1) + "引文", "引用（>）"),
    ("".join("  " * i + "- 项\n" for i in range(1000)), "列表"),
])
def test_deep_quotes_lists_and_open_brackets_are_refused_at_their_line(text, what):
    with pytest.raises(UnsafeMarkdown) as caught:
        refuse_deep_nesting(text)
    assert what in str(caught.value) and "报告第" in str(caught.value)


@pytest.mark.parametrize("text", [
    "> " * MAX_MARKDOWN_NESTING + "引文",
    "".join("  " * i + "- 项\n" for i in range(MAX_MARKDOWN_NESTING)),
    "\\[" * 5000,  # escaped brackets open nothing
    "[一]\n\n" * 5000,  # many, none nested
    "```\n" + "[" * 50 + "\n```\n",  # a code block's text is literal
])
def test_nesting_within_the_limit_passes(text):
    refuse_deep_nesting(text)


@pytest.mark.parametrize("levels, refused", [(100, True), (40, False)])
def test_emphasis_nested_past_the_tree_depth_is_refused_after_pandoc_reads_it(levels, refused):
    """No line-level mark counts nested emphasis: the depth of the tree pandoc read is checked instead (100 levels of
    alternating * and ** nest about 200 deep, past MAX_MARKDOWN_TREE_DEPTH; 40 about 85)."""
    from pipeline.report.markdown_ast import write_documents
    marks = ["**" if i % 2 == 0 else "*" for i in range(levels)]
    markdown = "# 报告\n\n" + "".join(m + "甲 " for m in marks) + "乙" + "".join(reversed(marks)) + "\n"
    if refused:
        with pytest.raises(UnsafeMarkdown, match="嵌套层次过多"):
            write_documents(markdown, {}, reference=reference_docx(), html=True)
    else:
        written = write_documents(markdown, {}, reference=reference_docx(), html=True)
        assert written.docx and "乙" in written.html


@pytest.mark.parametrize("actual, refused", [
    ("5" * 20_000, True),  # was decimal.InvalidOperation out of the rate, a traceback
    ("1000000000001", True), ("1000000000000", False),
    ("0.00000000001", True), ("0.0000000001", False),
])
def test_an_indicator_value_past_its_bound_is_a_located_message(project, capsys, actual, refused):
    edit(project / HUADU / "indicators.csv", ",500,≥,人,523,", f",500,≥,人,{actual},")
    code = main(["--root", str(project), "check", "huadu"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if refused:
        assert code == 2 and "indicators.csv 第3行 实际值：" in err and "超过上限" in err
    else:
        assert "超过上限" not in err


# --- the typed-number check ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_sentence_of_4000_numbers_is_checked_in_linear_time():
    # each number is read once and tied (or not) on its own clause: no pairs of numbers are tried
    sentence = "支出增长12%，" + "，".join(f"{i}万元" for i in range(1, 4001))
    start = time.monotonic()
    check_text(sentence, {}, 2024, Location("unit.yaml", key="正文.概述"))
    small = time.monotonic() - start
    start = time.monotonic()
    check_text(sentence * 4, {}, 2024, Location("unit.yaml", key="正文.概述"))
    assert time.monotonic() - start < max(2.0, small * 12)


def test_unclosed_quotes_are_removed_in_linear_time():
    start = time.monotonic()
    assert _unquoted("{{" * 200_000 + "{% if %}余下") == "{{" * 200_000 + "余下"
    assert _unquoted("甲{{ 数.x }}乙{% if %}丙{{") == "甲乙丙{{"
    assert time.monotonic() - start < 2


# --- workbooks: merged cells counted from the XML before openpyxl loads them -----------------------------------------

def merged_workbook(path: Path, merge: bytes) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "预算执行"
    for row in (("单位名称", "年初预算数", "全年预算数", "决算数"), ("本级", "1.00", "2.00", "1.50")):
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData><mergeCells count='1'>" + merge + b"</mergeCells>")
            target.writestr(name, data)
    return path


@pytest.mark.parametrize("merge", [
    b"<mergeCell ref='A200:XFD1048576'/>",  # single quotes
    b'<mergeCell xmlns:x="urn:x" x:other="1" ref = "A200:XFD1048576" />',  # another attribute first, spaces
    b'<mergeCell ref="A200&#58;XFD1048576"/>',  # the colon as a character reference
], ids=["single-quotes", "attribute-order", "character-reference"])
def test_a_workbook_merging_a_whole_sheet_is_refused_before_it_is_loaded(project, capsys, merge):
    (project / HUADU / "budget.csv").unlink()
    merged_workbook(project / HUADU / "数据.xlsx", merge)
    assert main(["--root", str(project), "check", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "inputs/huadu/2023/数据.xlsx 合并单元格：合并区域共覆盖" in err and "超过 1000000 个的上限" in err
    assert "Traceback" not in err


def test_a_review_folder_with_a_hostile_workbook_reviews_the_others(project, tmp_path, capsys):
    folder = tmp_path / "收到的自评表"
    folder.mkdir()
    xlsx_form(folder / "a-良好.xlsx")
    merged_workbook(folder / "b-合并整表.xlsx", b"<mergeCell ref='A200:XFD1048576'/>")
    assert main(["--root", str(project), "review", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "a-良好.xlsx：已重算" in out and "b-合并整表.xlsx：无法读取或有错误，未重算" in out
    rows = list(openpyxl.load_workbook(project / "output/复核汇总.xlsx")["问题明细"].iter_rows(values_only=True))
    assert any(r[0] == "b-合并整表.xlsx" and "单元格" in (r[6] or "") for r in rows)


@pytest.mark.slow
def test_a_form_that_hangs_or_crashes_the_review_is_its_own_row(project, tmp_path, capsys, monkeypatch):
    from pipeline.importer import review
    folder = tmp_path / "收到的自评表"
    folder.mkdir()
    for name in ("a.xlsx", "b-卡住.xlsx", "c-崩溃.xlsx", "d.xlsx"):
        xlsx_form(folder / name)
    real = review.read_grid

    def hostile(path):
        if "卡住" in path.name:
            slow()()
        if "崩溃" in path.name:
            raise MemoryError
        return real(path)
    monkeypatch.setattr(review, "read_grid", hostile)
    monkeypatch.setenv(RUN_SECONDS_ENV, "1")
    assert main(["--root", str(project), "review", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "复核 4 份表格：2 份已重算，2 份无法读取或有错误" in out
    rows = list(openpyxl.load_workbook(project / "output/复核汇总.xlsx")["问题明细"].iter_rows(values_only=True))
    said = {r[0]: r[6] for r in rows if r[1] == "无法重算"}
    assert "生成用时超过 1 秒的上限" in said["b-卡住.xlsx"] and "内存不足" in said["c-崩溃.xlsx"]


# --- the execution chart ---------------------------------------------------------------------------------------------

def budget_line(name: str, budget: str, actual: str) -> BudgetLine:
    return BudgetLine(name, Decimal(budget), Decimal(budget), Decimal(actual), None, None,
                      (Decimal(actual) / Decimal(budget)).quantize(Decimal("0.0001")), False)


def test_a_chart_of_10000_lines_shows_the_largest_and_the_rest_as_one_bar():
    # units 0..9999 with budgets 1..10000 and each 90% spent, except that the small ones are 50% spent
    lines = [budget_line(f"单位{i}", str(i + 1), str((i + 1) * (Decimal("0.9") if i >= 100 else Decimal("0.5"))))
             for i in range(10_000)]
    shown, folded = charted_lines(lines)
    assert len(shown) == MAX_CHART_LINES and folded == 10_000 - (MAX_CHART_LINES - 1)
    assert [line.name for line in shown[:-1]] == [f"单位{i}" for i in range(10_000 - MAX_CHART_LINES + 1, 10_000)]
    rest = range(0, 10_000 - MAX_CHART_LINES + 1)  # budgets 1..9989: 49,895,055 in all; 100 of them (5,050) at 50%
    budget_sum = sum(i + 1 for i in rest)
    actual_sum = Decimal(5050) * Decimal("0.5") + (budget_sum - 5050) * Decimal("0.9")
    assert shown[-1].name == f"其余{folded}个单位合计" and shown[-1].budget == budget_sum == 49_895_055
    assert shown[-1].rate == (actual_sum / budget_sum).quantize(Decimal("0.0001"))
    start = time.monotonic()
    picture = budget_execution_chart(lines, {line.name: Decimal("0.8") for line in lines}, (2024, 2023))
    assert time.monotonic() - start < 10 and len(picture) < 2 * 2**20


def test_a_chart_just_within_the_limit_shows_every_line():
    lines = [budget_line(f"单位{i}", "10", "9") for i in range(MAX_CHART_LINES)]
    assert charted_lines(lines) == (lines, 0)


# --- make all: one unit's hang, crash or memory is its own row; workers die with the parent --------------------------

@pytest.mark.slow
@FORKED
def test_a_unit_that_hangs_or_runs_out_of_memory_fails_alone(project, monkeypatch, capsys):
    real = run.evaluate

    def hostile(root, dept, year, strict, compare=True):
        if dept == "lianjiang":
            slow()()
        if dept == "shaoguan":
            raise MemoryError
        return real(root, dept, year, strict, compare)
    monkeypatch.setattr(run, "evaluate", hostile)
    code = main(["--root", str(project), "all", "--jobs", "2", "--formats", "md", "--no-charts",
                 "--time-limit", "3"])  # no pandoc: the others are quick
    out = capsys.readouterr().out
    assert code == 2
    assert "失败 lianjiang：单位 lianjiang 2024年度：生成用时超过 3 秒的上限，在“读取与校验输入”阶段停止" in out
    assert "失败 shaoguan：单位 shaoguan" in out and "内存不足" in out
    assert "已生成 huadu 2023" in out and "已生成 example-cdc" in out


@pytest.mark.slow
def test_workers_die_with_the_make_all_parent(tmp_path):
    """The parent killed outright (no cleanup of its own): its worker ends too."""
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from concurrent.futures import ProcessPoolExecutor
        from pipeline.batch import worker_start
        pool = ProcessPoolExecutor(max_workers=1, initializer=worker_start, initargs=(os.getpid(),))
        print(pool.submit(os.getpid).result(), flush=True)
        time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(worker):
        time.sleep(0.05)
    assert not alive(worker)


def alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


# --- the memory of the process that runs a unit ----------------------------------------------------------------------

ENTRY = "import atexit, resource, runpy, sys; sys.path.insert(0, {root!r}); {before}" \
        "atexit.register(lambda: print('cap', resource.getrlimit(resource.RLIMIT_AS)[0]));" \
        "sys.argv = ['pipeline', *sys.argv[1:]]; runpy.run_module('pipeline', run_name='__main__')"


def test_the_command_lines_process_caps_its_memory_as_a_batch_worker_does():
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", ENTRY.format(root=root, before=""), "rules"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and f"cap {WORKER_MEMORY}" in done.stdout


@pytest.mark.slow
def test_a_template_keeping_texts_past_the_memory_cap_is_refused_at_its_line_and_nothing_is_written(project):
    """Each text is within the size limit (999,990 < 1,000,000); 4,000 of them kept at once (4 GB) pass a cap of 2 GB
    set before the program starts (a lower cap is kept, never raised)."""
    own = project / "inputs/huadu/2023/templates/department"
    own.mkdir(parents=True)
    sets = "\n".join(f'{{% set v{i} = "x" * 999990 %}}' for i in range(4000))
    (own / "report.md.j2").write_text('{% extends "default/department/report.md.j2" %}\n{% block problems %}\n' + sets
                                      + "\n{{ v0 | length }}\n{% endblock %}\n", encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    before = "resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30)); "
    done = subprocess.run([sys.executable, "-c", ENTRY.format(root=root, before=before), "--root", str(project),
                           "report", "huadu", "--formats", "md", "--no-charts"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2 and f"cap {2 * 2**30}" in done.stdout, done.stderr
    assert "超出模板的资源限制：内存不足（一次运行最多 2 GB），模板同时保留了太多或太大的文字或列表" in done.stderr
    assert "report.md.j2:第" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "output").exists()
