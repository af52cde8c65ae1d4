"""The pandoc kept for a process's reports: a conversion past the unit's time or memory stops it and the next one
gets a fresh pandoc; one that ended between reports is replaced unseen; a forked child never talks to its parent's."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from pipeline.deadline import run_budget, stage
from pipeline.errors import MachineError, OutOfTime, OverLimit
from pipeline.report import pandoc
from pipeline.report.markdown_ast import write_documents


@pytest.fixture(autouse=True)
def fresh():
    """Each test from no kept pandoc (one a test left behind is stopped)."""
    kept = pandoc._KEPT.pop(os.getpid(), None)
    if kept is not None and kept.worker is not None:
        pandoc._stop(kept.worker)


def page(markdown: str) -> str:
    return write_documents(markdown, {}, word=False, html=True).html or ""


def kept_pid() -> int:
    worker = pandoc._KEPT[os.getpid()].worker
    assert worker is not None
    return worker.process.pid


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_conversion_past_the_remaining_time_is_stopped_and_the_next_one_runs(tmp_path, monkeypatch):
    stuck = tmp_path / "stuck.lua"
    stuck.write_text("io.stdin:read('l')\nwhile true do end\n", encoding="utf-8")  # reads a request, never answers
    monkeypatch.setattr(pandoc, "WORKER", stuck)
    start = time.monotonic()
    with pytest.raises(OutOfTime) as caught, run_budget("单位 x 2024年度", 1.0), stage("Word 转换（pandoc）"):
        page("# 报告\n\n正文\n")
    assert time.monotonic() - start < 5
    assert "单位 x 2024年度：生成用时超过 1 秒的上限，在“Word 转换（pandoc）”阶段停止" in str(caught.value)
    assert pandoc._KEPT[os.getpid()].worker is None  # killed, not left spinning
    monkeypatch.undo()
    assert "<p>正文</p>" in page("# 报告\n\n正文\n")


def test_a_pandoc_that_ended_between_reports_is_replaced_unseen():
    assert "甲" in page("甲\n")
    first = kept_pid()
    os.kill(first, 9)
    time.sleep(0.2)
    assert "乙" in page("乙\n")
    assert kept_pid() != first and not alive(first)


def test_a_fresh_pandoc_after_its_share_of_conversions(monkeypatch):
    monkeypatch.setattr(pandoc, "WORKER_CONVERSIONS", 2)
    page("一\n")
    pids = [kept_pid()]
    for text in ("二\n", "三\n"):
        page(text)
        pids.append(kept_pid())
    assert pids[0] == pids[1] != pids[2] and not alive(pids[0])


def test_pandoc_s_own_refusal_is_a_message_and_the_next_report_converts(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")  # pandoc ends on it (an error its Lua cannot catch)
    with pytest.raises(MachineError) as caught:
        write_documents("正文\n", {}, reference=broken)
    assert "pandoc 转换失败" in str(caught.value) and "central directory" in str(caught.value)
    assert "<p>正文</p>" in page("正文\n")


@pytest.mark.slow
def test_a_conversion_over_the_memory_limit_is_stopped_with_a_message(monkeypatch):
    monkeypatch.setattr(pandoc, "CHILD_MEMORY", 100 * 2**20)
    with pytest.raises(OverLimit) as caught:
        page("段落 *强调* 文字\n\n" * 20_000)
    assert "pandoc 超出资源上限（内存 100 MB" in str(caught.value)
    monkeypatch.undo()
    assert "<p>正文</p>" in page("正文\n")


def _in_child(answer) -> None:
    answer.send((os.getpid(), "子" in page("子\n"), kept_pid()))


def test_a_forked_child_starts_its_own_pandoc_and_the_parent_s_goes_on():
    page("父\n")
    parent = kept_pid()
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_in_child, args=(send,))
    child.start()
    child_pid, converted, its_pandoc = receive.recv()
    child.join()
    assert converted and its_pandoc != parent and child_pid != os.getpid()
    assert "父" in page("父\n") and kept_pid() == parent


def test_the_running_pandoc_s_time_can_be_counted():
    assert pandoc.worker_seconds() == 0.0  # none running yet
    for _ in range(3):
        page("正文\n\n" * 2000)
    assert pandoc.worker_seconds() > 0


def test_a_unit_given_more_time_than_the_pandoc_has_left_gets_a_fresh_one(monkeypatch):
    page("一\n")
    first = kept_pid()
    monkeypatch.setattr(pandoc, "_used", lambda worker: pandoc.WORKER_CPU_SECONDS - 5)  # nearly used up
    with run_budget("单位 x 2024年度", 30):  # 30 s of CPU might be needed: more than the 5 s left
        page("二\n")
    second = kept_pid()
    assert second != first and not alive(first)
    with run_budget("单位 x 2024年度", 2):  # 2 s fit in what is left: the same pandoc
        page("三\n")
    assert kept_pid() == second


def test_a_report_in_markdown_only_starts_no_pandoc(project):
    from pipeline.__main__ import main
    assert main(["--root", str(project), "report", "huadu", "--formats", "md", "--no-charts"]) == 0
    assert os.getpid() not in pandoc._KEPT or pandoc._KEPT[os.getpid()].worker is None


def test_a_word_report_starts_its_pandoc_warmed_up_before_it_loads_the_program(project, monkeypatch):
    from pipeline.report import markdown_ast
    started = []
    real = pandoc.start_early
    monkeypatch.setattr(markdown_ast, "start_early", lambda request: started.append(request) or real(request))
    from pipeline.__main__ import main
    assert main(["--root", str(project), "report", "huadu", "--formats", "md,docx", "--no-charts"]) == 0
    assert [(r["word"], r["html"], "reference" in r) for r in started] == [(True, False, False)]
    worker = pandoc._KEPT[os.getpid()].worker
    assert worker is not None and worker.pending == 0 and worker.served == 1  # the warm-up's answer let go
    # its report answered, it was killed at once (its ending overlaps the Word layout), and is reaped at exit
    assert worker.process.wait(timeout=10) == -signal.SIGKILL


def test_a_warm_up_s_answer_never_mixes_with_the_next(tmp_path):
    pandoc.start_early({"markdown": "先", "from": "markdown", "east_asian": False, "images": {}, "depth": 100,
                        "word": True, "html": True})
    pandoc.start_early({"markdown": "再", "from": "markdown", "east_asian": False, "images": {}, "depth": 100,
                        "word": False, "html": True})
    assert "<p>正文</p>" in page("正文\n") and pandoc._KEPT[os.getpid()].worker.pending == 0


def test_a_pandoc_killed_after_its_one_report_is_never_asked_again():
    """A one-unit command's pandoc is killed once it has answered (start_early); a conversion right after, before it
    has even died, gets a fresh one, never the dying one's closed pipe."""
    pandoc.start_early({"markdown": "先", "from": "markdown", "east_asian": False, "images": {}, "depth": 100,
                        "word": False, "html": True})
    assert "<p>一</p>" in page("一\n")
    first = kept_pid()
    for text in ("二", "三"):
        assert f"<p>{text}</p>" in page(f"{text}\n")
    assert kept_pid() != first and not alive(first)
