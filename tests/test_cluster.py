"""make all and make review on a Dask cluster (a LocalCluster of several worker processes here): the same files and
summary rows as this machine's pool, and a unit that raises, hangs or kills its worker costs that unit only."""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline import batch, cluster
from pipeline.__main__ import main
from pipeline.limits import RUN_SECONDS_ENV

from .conftest import copy_inputs
from .helpers import edit

distributed = pytest.importorskip("distributed", reason="dask/distributed (the [cluster] extra) not installed")


WORKERS = 3


@contextmanager
def started_cluster():
    import dask
    # as the README tells a bureau: a task whose worker dies is tried once more elsewhere, not three times (each try
    # may kill a worker); once, because a task queued behind a hung one dies with its worker when that is restarted.
    # A LocalCluster closes a worker's nanny for good when no worker of its name is connected 15 s (lost-worker-timeout)
    # after one left: a worker restarted after a hang, killed again and slow to come back on a loaded machine was
    # lost. Workers started with `dask worker`, as the README tells, have no such clock.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.deploy.lost-worker-timeout": "1h"}):
        with distributed.LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as local:
            yield local.scheduler_address


@pytest.fixture(scope="module")
def scheduler():
    """One cluster for the tests that leave every worker as they found it."""
    with started_cluster() as address:
        yield address


@pytest.fixture
def own_scheduler():
    """A cluster of its own for a test that hangs or kills workers: one still restarting when the next test starts
    would cost that test a unit."""
    with started_cluster() as address:
        with distributed.Client(address, timeout=60) as client:  # every worker up and this module imported on it,
            client.wait_for_workers(WORKERS, timeout=120)  # so that the first task's clock does not pay for either
            client.run(doubled, 1)
        yield address


@pytest.fixture(autouse=True)
def unhurried(monkeypatch):
    """A unit's own budget far above its need: these tests are about the cluster, not a loaded test machine's speed."""
    monkeypatch.setenv(RUN_SECONDS_ENV, "900")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_cluster_builds_the_same_files_and_rows_as_the_local_pool(scheduler, tmp_path):
    here, there = copy_inputs(tmp_path / "here"), copy_inputs(tmp_path / "there")
    for root in (here, there):  # a broken unit fails alone in both
        edit(root / "inputs/shaoguan/2024/funds.csv", "1775.96", "1775.9x")
    depts = ["huadu", "lianjiang", "shaoguan", "example-cdc", "example-dept"]
    local = batch.build_all(here, depts, formats=("md", "docx"), charts=False, jobs=2, progress=False)
    remote = batch.build_all(there, depts, formats=("md", "docx"), charts=False, progress=False, scheduler=scheduler)
    assert [o.dept for o in remote] == depts
    assert [(o.error, o.exit_code) for o in remote] == [(o.error, o.exit_code) for o in local]
    assert [o.row for o in remote] == [o.row for o in local]
    assert remote[2].row is None and "1775.9x" in remote[2].error and remote[2].exit_code == 2
    assert snapshot(there / "output") == snapshot(here / "output") != {}
    assert batch.write_summary(there, remote) and snapshot(there / "output") != {}


def test_make_all_takes_the_scheduler_and_writes_the_summary(scheduler, project, capsys):
    assert main(["--root", str(project), "all", "--no-charts", "--scheduler", scheduler]) == 0
    out = capsys.readouterr().out
    assert "共 5 个单位：已生成 5 个，失败 0 个" in out
    assert (project / "output/汇总表.xlsx").exists()
    assert (project / "output/huadu/2023/report.docx").exists()


def test_a_scheduler_that_does_not_answer_is_said_in_chinese(project, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)
    assert main(["--root", str(project), "all", "--no-charts", "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9" in err and "Traceback" not in err


# tasks for on_cluster: module-level, so that the workers import them by name


def doubled(x: int) -> int:
    return 2 * x


def raises(x: int) -> int:
    raise ValueError(f"坏的输入 {x}")


def hangs(x: int) -> int:
    time.sleep(3600)
    return x


def dies(x: int) -> int:
    os._exit(9)


def test_a_task_that_raises_or_hangs_costs_only_itself(own_scheduler, monkeypatch):
    monkeypatch.setattr(cluster, "MARGIN_SECONDS", 1)
    tasks = {"a": (doubled, 1), "raises": (raises, 7), "hangs": (hangs, 0), "b": (doubled, 2),
             **{f"more-{i}": (doubled, i) for i in range(6)}}
    seen: list[str] = []
    start = time.monotonic()
    got = cluster.on_cluster(own_scheduler, tasks, seconds=8, done=seen.append)
    assert sorted(seen) == sorted(tasks)
    assert (got["a"], got["b"]) == (2, 4) and [got[f"more-{i}"] for i in range(6)] == [0, 2, 4, 6, 8, 10]
    assert got["raises"] == cluster.Failure("程序错误（请报告）：ValueError: 坏的输入 7")
    assert got["hangs"] == cluster.Failure(cluster.HUNG.format(seconds=9))
    assert time.monotonic() - start < 60


def test_a_task_that_kills_its_worker_costs_only_itself(own_scheduler, monkeypatch):
    # the others' clocks run while a killed worker restarts (tens of seconds on a loaded machine): a unit's budget
    monkeypatch.setattr(cluster, "MARGIN_SECONDS", 1)
    tasks = {"a": (doubled, 1), "dies": (dies, 0), "b": (doubled, 2), **{f"more-{i}": (doubled, i) for i in range(6)}}
    got = cluster.on_cluster(own_scheduler, tasks, seconds=120)
    assert (got["a"], got["b"]) == (2, 4) and [got[f"more-{i}"] for i in range(6)] == [0, 2, 4, 6, 8, 10]
    assert got["dies"] == cluster.Failure(cluster.DIED)


def test_review_on_the_cluster_gives_the_workbook_of_the_local_review(scheduler, project, tmp_path, capsys):
    from tests.tools.importer_forms import ROWS, docx_form, xlsx_form
    folder = tmp_path / "收到的自评表"
    folder.mkdir()
    docx_form(folder / "a-良好.docx")
    off = [list(r) for r in ROWS]
    off[4][6] = "9.50"
    xlsx_form(folder / "b-有误.xlsx", rows=[tuple(r) for r in off], total=(100, 91, "自评等级：优"))
    broken = [list(r) for r in ROWS]
    broken[0][5] = "二十"
    docx_form(folder / "c-坏表.docx", rows=[tuple(r) for r in broken])
    (folder / "d-链接.docx").symlink_to(folder / "a-良好.docx")
    assert main(["--root", str(project), "review", str(folder)]) == 0
    here = capsys.readouterr().out
    import openpyxl
    local = [list(s.iter_rows(values_only=True)) for s in openpyxl.load_workbook(project / "output/复核汇总.xlsx")]
    assert main(["--root", str(project), "review", str(folder), "--scheduler", scheduler]) == 0
    assert capsys.readouterr().out == here
    remote = [list(s.iter_rows(values_only=True)) for s in openpyxl.load_workbook(project / "output/复核汇总.xlsx")]
    assert remote == local and len(local[0]) == 5  # a header and four forms, the link among them unread


def test_after_a_hang_and_a_death_every_worker_takes_work_again(own_scheduler, monkeypatch):
    scheduler = own_scheduler
    monkeypatch.setattr(cluster, "MARGIN_SECONDS", 1)
    cluster.on_cluster(scheduler, {"hangs": (hangs, 0), "dies": (dies, 0), "a": (doubled, 1)}, seconds=8)
    with distributed.Client(scheduler) as client:
        client.wait_for_workers(WORKERS, timeout=120)
    assert cluster.on_cluster(scheduler, {str(i): (doubled, i) for i in range(6)}, seconds=60) == {
        str(i): 2 * i for i in range(6)}


def test_a_unit_named_with_a_control_character_is_summarised_from_the_cluster(scheduler, project, capsys):
    import shutil
    shutil.copytree(project / "inputs/lianjiang", project / "inputs/lian\x07jiang")
    assert main(["--root", str(project), "all", "--no-charts", "--formats", "md", "--scheduler", scheduler]) == 0
    assert "共 6 个单位：已生成 6 个，失败 0 个" in capsys.readouterr().out
    from openpyxl import load_workbook
    codes = [r[0] for r in load_workbook(project / "output/汇总表.xlsx")["汇总表"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["example-cdc", "example-dept", "huadu", "lian\u2407jiang", "lianjiang", "shaoguan"]
