"""Long work in the web app has make all's time limit for a unit: a run that hangs is stopped, its failure shown on
the page, and the app answers meanwhile."""
from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from pipeline.web import jobs

from .helpers import finished, local


def spin(*args, **kwargs):
    while True:  # a run that never returns: stopped by the budget's alarm in its process
        pass


def deaf(*args, **kwargs):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as a C library deaf to the alarm would be
    time.sleep(3600)


@pytest.mark.parametrize("hang, said", [(spin, "生成用时超过 3 秒的上限，在“读取与校验输入”阶段停止"),
                                        (deaf, "用时超过 3 秒的上限，已停止")])
def test_a_build_that_hangs_is_stopped_at_the_time_limit_and_told_on_the_page(project: Path, monkeypatch, hang, said):
    # 3 s, not 1: on a loaded machine the job's own start could use up a 1 s budget before the hang is reached
    monkeypatch.setenv("REPORT_TIME_LIMIT", "3")
    monkeypatch.setattr("pipeline.web.unit_page.build", hang)
    client = local(project)
    started = time.monotonic()
    fragment = client.post("/u/huadu/2023/build").text
    assert client.get("/").status_code == 200  # the app answers while the job runs
    fragment = finished(client, fragment, 40)
    assert time.monotonic() - started < 25
    assert "未完成" in fragment and said in fragment and 'hx-trigger="every 1s"' not in fragment


def test_progress_and_the_result_come_back_from_the_jobs_process():
    def work(job):
        job.total, job.step = 3, "第二步"
        job.done = 2
        return {"lines": ["完成"], "id": job.id}
    table: dict = {}
    job = jobs.start(table, "someone", "试运行", work)
    end = time.monotonic() + 30
    while not job.finished and time.monotonic() < end:
        time.sleep(0.05)
    assert job.finished and not job.failed
    assert job.result == {"lines": ["完成"], "id": job.id} and (job.done, job.total) == (2, 3)
    assert job.step == "已完成"


def test_an_error_in_the_work_is_told():
    def work(job):
        raise ValueError("坏了")
    job = jobs.start({}, "someone", "试运行", work)
    end = time.monotonic() + 30
    while not job.finished and time.monotonic() < end:
        time.sleep(0.05)
    assert job.failed == ["程序错误：ValueError: 坏了"]
