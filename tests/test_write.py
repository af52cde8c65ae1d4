"""Output is swapped in whole: a failed, interrupted or killed run leaves the previous output as it was."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import write as write_module
from pipeline.errors import MachineError
from pipeline.run import build
from pipeline.write import write

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60

# A build whose every fsync takes half a second, so the parent has time to kill it while it writes.
SLOW_BUILD = """
import os, time
from pathlib import Path
import pipeline.write
from pipeline.run import build
real_fsync = os.fsync
def slow_fsync(fd):
    time.sleep(0.5)
    real_fsync(fd)
pipeline.write.os.fsync = slow_fsync
build(Path('.'), 'huadu')
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def leftovers(target: Path) -> list[str]:
    """Staging or old folders, or a lock file, beside the target."""
    return sorted(path.name for path in target.parent.iterdir() if path.name.startswith(f".{target.name}."))


def test_write_creates_then_replaces(tmp_path: Path):
    target = tmp_path / "out" / "x"
    assert write({"a.md": b"one", "b.md": b"two"}, target) == [target / "a.md", target / "b.md"]
    assert snapshot(target) == {"a.md": b"one", "b.md": b"two"}
    assert write({"a.md": b"new", "c.md": b"three"}, target) == [target / "a.md", target / "c.md"]
    assert snapshot(target) == {"a.md": b"new", "c.md": b"three"}
    assert leftovers(target) == []


def test_exchange_swaps_two_folders(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_bytes(b"a")
    (tmp_path / "b").mkdir()
    if not write_module.exchange(tmp_path / "a", tmp_path / "b"):
        assert sys.platform != "linux", "renameat2(RENAME_EXCHANGE) should work on a Linux tmp folder"
        return
    assert sorted(os.listdir(tmp_path / "b")) == ["from-a"]
    assert os.listdir(tmp_path / "a") == []


def test_stale_staging_is_cleaned_and_nothing_else(tmp_path: Path):
    target = tmp_path / "x"
    write({"a.md": b"old"}, target)
    (tmp_path / ".x.new-123").mkdir()
    (tmp_path / ".x.new-123" / "half.md").write_bytes(b"half")
    (tmp_path / ".y.new-123").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "notes.txt").write_bytes(b"keep")
    write({"a.md": b"new"}, target)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".y.new-123", "notes.txt", "other", "x"]
    assert (tmp_path / "notes.txt").read_bytes() == b"keep"
    assert snapshot(target) == {"a.md": b"new"}


def test_fallback_without_renameat2_replaces_and_recovers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(write_module, "exchange", lambda a, b: False)
    target = tmp_path / "x"
    write({"a.md": b"one"}, target)
    write({"b.md": b"two"}, target)
    assert snapshot(target) == {"b.md": b"two"}
    assert leftovers(target) == []
    target.rename(tmp_path / ".x.old")  # as left by a run killed between the two renames
    write_module.recover(target)
    assert snapshot(target) == {"b.md": b"two"}
    target.rename(tmp_path / ".x.old")
    write({"c.md": b"three"}, target)
    assert snapshot(target) == {"c.md": b"three"}
    assert leftovers(target) == []


def test_fallback_failure_between_renames_puts_old_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(write_module, "exchange", lambda a, b: False)
    target = tmp_path / "x"
    write({"a.md": b"old"}, target)
    real_rename = Path.rename

    def rename(self: Path, to: Path):
        if self.name.startswith(".x.new-"):
            raise OSError("disk gone")
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(MachineError, match="disk gone"):
        write({"a.md": b"new"}, target)
    assert snapshot(target) == {"a.md": b"old"}
    assert leftovers(target) == []


@pytest.mark.slow
def test_failed_run_leaves_previous_output(project: Path, monkeypatch: pytest.MonkeyPatch):
    build(project, "huadu")
    out = project / "output" / "huadu" / "2023"
    before = snapshot(out)
    opened = []

    def failing_open(path, mode="r", *args, **kwargs):
        opened.append(path)
        if len(opened) == 2:
            raise OSError("disk full")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(write_module, "open", failing_open, raising=False)
    with pytest.raises(MachineError, match="disk full"):
        build(project, "huadu")
    assert snapshot(out) == before
    assert leftovers(out) == []


@pytest.mark.slow
def test_sigkill_during_write_leaves_previous_output(project: Path):
    build(project, "huadu")
    out = project / "output" / "huadu" / "2023"
    before = snapshot(out)
    assert before
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", SLOW_BUILD], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not any(any(staging.iterdir()) for staging in out.parent.glob(".2023.new-*")):
            if child.poll() is not None:
                pytest.fail(f"the build ended before it could be killed: {child.stderr.read().decode()}")
            assert time.monotonic() < deadline, "no staging folder with a file appeared"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=TIMEOUT)
        child.stderr.close()
    assert snapshot(out) == before
    assert [name for name in leftovers(out) if name.startswith(".2023.new-")], "the kill should leave a staging folder"

    build(project, "huadu")
    assert sorted(snapshot(out)) == sorted(before)
    assert leftovers(out) == []


@pytest.mark.parametrize("code, said", [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EDQUOT, "磁盘空间不足"),
    (errno.EROFS, "不可写（只读或没有权限）"), (errno.EACCES, "不可写（只读或没有权限）"),
])
@pytest.mark.parametrize("failing", ["open", "fsync", "mkdir"])
def test_a_disk_that_refuses_is_a_machine_error_with_the_previous_output_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, said: str, failing: str):
    target = tmp_path / "out" / "x"
    write({"a.md": b"old", "b.md": b"old"}, target)

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    if failing == "open":
        monkeypatch.setattr(write_module, "open", refuse, raising=False)
    elif failing == "fsync":
        monkeypatch.setattr(write_module.os, "fsync", refuse)
    else:
        monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(MachineError) as caught:
        write({"a.md": b"new", "c.md": b"new"}, target)
    assert caught.value.exit_code == 1
    assert said in caught.value.report() and "原有报告保持不变" in caught.value.report()
    monkeypatch.undo()
    assert snapshot(target) == {"a.md": b"old", "b.md": b"old"}
    assert leftovers(target) == []


def test_disk_full_from_the_command_line_exits_1_in_chinese(project: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    from pipeline.__main__ import main

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write_module.os, "fsync", full)
    assert main(["--root", str(project), "report", "huadu", "--formats", "md"]) == 1
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "Traceback" not in err
    assert not (project / "output" / "huadu" / "2023").exists()


def test_a_run_that_finds_the_unit_locked_waits_then_says_so(tmp_path: Path):
    import fcntl
    target = tmp_path / "x"
    write({"a.md": b"old"}, target)
    holder = os.open(tmp_path / ".x.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as another run writing the same unit would
    try:
        with pytest.raises(MachineError, match="正在由另一次运行生成") as caught:
            write({"a.md": b"new"}, target, wait=0.3)
        assert caught.value.exit_code == 1
        assert snapshot(target) == {"a.md": b"old"}
    finally:
        os.close(holder)
    write({"a.md": b"new"}, target, wait=0.3)
    assert snapshot(target) == {"a.md": b"new"}


# Writes the same unit's output with a slow fsync: the staging folder lives long enough for a second run to find it.
SLOW_WRITE = """
import os, sys, time
from pathlib import Path
import pipeline.write as w
real_fsync = os.fsync
def slow_fsync(fd):
    time.sleep(0.2)
    real_fsync(fd)
w.os.fsync = slow_fsync
tag = sys.argv[1].encode()
w.write({f"{i}.md": tag for i in range(5)}, Path("out/x"))
"""


@pytest.mark.slow
def test_two_runs_of_one_unit_both_finish_and_never_mix(tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-c", SLOW_WRITE, tag], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for tag in ("first", "second")]
    for run in runs:
        assert run.wait(timeout=TIMEOUT) == 0, run.stderr.read().decode()
        run.stderr.close()
    target = tmp_path / "out" / "x"
    contents = set(snapshot(target).values())
    assert len(contents) == 1 and contents <= {b"first", b"second"}
    assert sorted(snapshot(target)) == [f"{i}.md" for i in range(5)]
    assert leftovers(target) == []


def test_a_single_file_is_replaced_whole_and_no_staging_file_is_left(tmp_path, monkeypatch):
    from pipeline.write import replace_file

    target = tmp_path / "output" / "汇总表.csv"
    replace_file(target, b"old")
    replace_file(target, b"new")
    assert target.read_bytes() == b"new"

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_module.os, "fsync", full_disk)
    with pytest.raises(MachineError, match="磁盘空间不足"):
        replace_file(target, b"half")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["汇总表.csv"]
