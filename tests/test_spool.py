"""The batch's spool: each unit's outcome on disk as it arrives, read back in the units' order as often as the
summary needs, nothing of it left behind; the summary written from it is the one written from a list."""
from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.report.summary import Row, failed_row, row_from_record, row_record
from pipeline.spool import spooled
from pipeline.write import replace_file
from tools.bench_scale import made_row


@pytest.fixture
def own_temp(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, here: what the spool leaves in it is seen."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_outcomes_arriving_in_any_order_are_read_in_the_units_order_again_and_again(own_temp):
    names = ["c", "a", "b"]
    with spooled(names) as spool:
        for name in ("b", "c", "a"):  # as workers finish
            spool.add(name, {"unit": name, "first": True})
        spool.add("a", {"unit": "a", "first": False})  # a unit run again replaces its outcome
        assert list(own_temp.iterdir()) == []  # the file has no name: nothing to find, nothing to leave
        assert [o["unit"] for o in spool] == ["c", "a", "b"] == [o["unit"] for o in spool]
        assert [o["first"] for o in spool] == [True, False, True]
        assert len(spool) == 3
    assert list(own_temp.iterdir()) == []


def test_a_unit_without_outcome_is_a_fault_not_a_silent_gap():
    with spooled(["a", "b"]) as spool:
        spool.add("a", 1)
        with pytest.raises(KeyError):
            list(spool)


def test_the_spool_is_gone_when_the_batch_is_interrupted(own_temp):
    with pytest.raises(KeyboardInterrupt), spooled(["a"]) as spool:
        spool.add("a", 1)
        raise KeyboardInterrupt
    assert list(own_temp.iterdir()) == []


def test_a_row_comes_back_from_its_record_exactly():
    """Figures keep their digits and exponent (90.00 is not 90, 1E+2 is not 100): the summary prints what they show."""
    row = Row("x", "名称", "项目支出", 2024, "fw", Decimal("90.00"), "优", ("优", "良"),
              (("产出", Decimal("1E+2"), Decimal("50")), ("效益", Decimal("0.10"), Decimal("30.5"))),
              Decimal("0.98216"), 0, 2, None, "部门", None, Decimal("-0.00"), "已生成", "")
    for original in (row, made_row(7), failed_row("bad", "原因")):
        back = row_from_record(row_record(original))
        assert back == original and [str(v) for v in vars(back).values()] == [str(v) for v in vars(original).values()]
    run = batch.UnitRun("x", row, warnings=2, missing="report.pdf：原因", seconds=1.5, peak_mb=100.25)
    assert batch.run_from_record(batch.run_record(run)) == run
    failed = batch.UnitRun("y", error="错误", problems=3, exit_code=2, detail="Traceback …")
    assert batch.run_from_record(batch.run_record(failed)) == failed


def test_the_summary_from_the_spool_is_the_summary_from_a_list(tmp_path):
    """Units finishing out of order, a failed one with control characters in its reason and name: the same bytes."""
    depts = [f"u{i:03d}" for i in range(40)]
    runs = {d: batch.UnitRun(d, _renamed(made_row(i), d)) for i, d in enumerate(depts)}
    runs["u005"] = batch.UnitRun("u005", error="第3行：'引用\x07文本\x0b'", problems=2, exit_code=2)
    runs["u006"] = batch.UnitRun("u006", _renamed(made_row(6), "u006", name="名\x01称"))
    listed = tmp_path / "listed"
    from_list = batch.write_summary(listed, [runs[d] for d in depts])
    with batch.spooled_runs(depts) as spool:
        for d in reversed(depts):
            spool.add(d, runs[d])
        from_spool = batch.write_summary(tmp_path / "spooled", spool)
        lines = list(batch.closing(spool, 1.0, from_spool, tmp_path / "spooled"))
    assert [p.read_bytes() for p in from_spool] == [p.read_bytes() for p in from_list]
    assert lines == list(batch.closing([runs[d] for d in depts], 1.0, from_spool, tmp_path / "spooled"))
    assert lines[0].startswith("共 40 个单位：已生成 39 个，失败 1 个")


def _renamed(row: Row, dept: str, **changes) -> Row:
    from dataclasses import replace
    return replace(row, dept=dept, **changes)


def test_a_file_whose_pieces_fail_midway_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "汇总表.csv"
    target.write_bytes(b"old")

    def pieces():
        yield b"new, half"
        raise KeyboardInterrupt  # the batch interrupted while the summary is being written

    with pytest.raises(KeyboardInterrupt):
        replace_file(target, pieces())
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.csv"] and target.read_bytes() == b"old"
    replace_file(target, iter([b"a", b"", b"b"]))
    assert target.read_bytes() == b"ab"


def test_a_temporary_folder_that_cannot_be_written_is_said_in_chinese(tmp_path, monkeypatch):
    from pipeline.errors import MachineError
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(MachineError, match="无法写入批处理的临时文件.*TMPDIR"), spooled(["a"]):
        pass
