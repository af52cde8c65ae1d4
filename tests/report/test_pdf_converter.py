"""The LibreOffice kept running between documents: the same PDF as a LibreOffice started for it; a converter that is
killed is restarted and the document tried again; a document that fails twice costs only its PDF, never the unit's
other files."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.__main__ import main
from pipeline.errors import FormatUnavailable, OverLimit
from pipeline.report import pdf, pdf_converter
from pipeline.run import prepare

from ..helpers import pdf_text, require_libreoffice


def require_converter() -> None:
    require_libreoffice()
    if not pdf_converter.available():
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice's Python (python3-uno) and unoserver: .ci/run installs them")
        pytest.skip("no LibreOffice Python with uno (apt-get install python3-uno) or no unoserver")


@pytest.fixture(scope="module")
def converter():
    require_converter()
    running = pdf_converter.start(pdf.FONTS)
    yield running
    pdf_converter.stop(running)


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    from ..conftest import copy_inputs
    root = copy_inputs(tmp_path_factory.mktemp("units"))
    return prepare(root, "example-cdc", None, ("docx",), False).rendered.files["report.docx"]


def text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return pdf_text(path)


def alive(converter) -> bool:
    return converter.process.poll() is None


def test_the_running_converter_makes_the_pdf_libreoffice_makes_alone(converter, docx, tmp_path):
    kept, alone = pdf.docxs_to_pdfs([docx, docx], converter), pdf.docxs_to_pdfs([docx])
    assert kept[0].startswith(b"%PDF") and kept[1].startswith(b"%PDF")
    assert text(kept[0], tmp_path, "kept.pdf") == text(alone[0], tmp_path, "alone.pdf")
    assert "示例区疾病预防控制中心" in text(kept[1], tmp_path, "again.pdf")


def test_a_killed_converter_is_restarted_and_the_document_converted(converter, docx, tmp_path):
    before = converter.process.pid
    os.killpg(before, signal.SIGKILL)  # the whole of it: unoserver and its LibreOffice
    converter.process.wait()
    made = pdf.through(converter, docx)
    assert made is not None and "示例区疾病预防控制中心" in text(made, tmp_path, "after.pdf")
    assert converter.process.pid != before and alive(converter)


def test_a_converter_started_by_a_thread_outlives_that_thread(docx, tmp_path):
    """Linux's parent-death signal follows the thread that started a child: a pool's thread that started the converter
    and ended must not end the converter with it."""
    require_converter()
    started: list[pdf_converter.Converter] = []
    thread = threading.Thread(target=lambda: started.append(pdf_converter.start(pdf.FONTS)))
    thread.start()
    thread.join()
    try:
        time.sleep(2)  # the signal, when it came, came at once and unoserver ended within a second
        assert alive(started[0])
        made = pdf_converter.convert(started[0], docx)
        assert "示例区疾病预防控制中心" in text(made, tmp_path, "thread.pdf")
    finally:
        pdf_converter.stop(started[0])


def _running(group: int) -> list[int]:
    """The processes of a process group that have not ended (a zombie has ended: it waits only to be reaped)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            state = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(state[2]) == group and state[0] != "Z":
            found.append(int(entry))
    return found


def test_the_converter_ends_with_the_process_that_started_it(tmp_path):
    """The owner killed outright (no atexit, no finalizer): unoserver and its LibreOffice end within seconds, and
    the converter's folder goes with them."""
    require_converter()
    owner = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pipeline.report import pdf, pdf_converter\n"
         "c = pdf_converter.start(pdf.FONTS)\nprint(c.process.pid, c.folder, flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    pid, named = owner.stdout.readline().split(maxsplit=1)
    group, folder = int(pid), Path(named.strip())
    try:
        assert _running(group)
        owner.kill()
        owner.wait()
        end = time.monotonic() + 20
        while (_running(group) or folder.exists()) and time.monotonic() < end:
            time.sleep(0.2)
        assert not _running(group)
        assert not folder.exists()  # its profile and log: the converter removed them, its owner could not
    finally:
        if _running(group):
            os.killpg(group, signal.SIGKILL)


def test_only_libreoffice_killed_is_noticed_too(converter, docx, tmp_path):
    """unoserver alive, its LibreOffice gone (a crash of soffice.bin): the call fails and the pair is restarted."""
    import subprocess
    children = subprocess.run(["pgrep", "-g", str(converter.process.pid), "-f", "soffice"], capture_output=True,
                              text=True).stdout.split()
    assert children, "LibreOffice runs in the converter's process group"
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)
    made = pdf.through(converter, docx)
    assert made is not None and made.startswith(b"%PDF")


def test_a_document_that_fails_twice_gives_none_and_leaves_a_converter_for_the_next(converter, docx, monkeypatch):
    real, calls = pdf_converter.convert, []

    def crashing(running, data, seconds=60):
        calls.append(running.process.pid)
        if data == b"crashes LibreOffice":
            os.killpg(running.process.pid, signal.SIGKILL)
        return real(running, data, seconds)

    monkeypatch.setattr(pdf_converter, "convert", crashing)
    assert pdf.docxs_to_pdfs([b"crashes LibreOffice", docx], converter)[0] is None
    assert len(calls) == 3 and len(set(calls)) == 3  # tried, restarted, tried again, restarted: the next one works
    assert pdf.docxs_to_pdfs([docx], converter)[0].startswith(b"%PDF")


def test_a_batch_writes_a_unit_whose_pdf_failed_without_its_pdf_and_says_so(project, monkeypatch, capsys):
    """Every PDF of lianjiang fails; its md and docx are written, the others get their PDF, the run exits 1."""
    require_libreoffice()
    real = pdf.docxs_to_pdfs
    lianjiang = prepare(project, "lianjiang", None, ("docx",), False).rendered.files["report.docx"]

    def failing(docxs, converter=None):
        if any(d == lianjiang for d in docxs):  # alone or in a group: LibreOffice crashes on it
            raise OverLimit("LibreOffice 超出资源上限")
        return real(docxs, converter)

    monkeypatch.setattr(pdf, "docxs_to_pdfs", failing)
    monkeypatch.setattr(batch, "kept_converter", lambda cache: None)  # the group path, then each alone
    code = main(["--root", str(project), "all", "--jobs", "1", "--no-charts", "--formats", "md,docx,pdf"])
    out = capsys.readouterr().out
    assert code == 1
    assert "lianjiang 未生成 report.pdf：" in out and "失败 lianjiang" not in out
    folder = project / "output/lianjiang/2024"
    assert {p.name for p in folder.iterdir()} >= {"report.md", "report.docx"} and not (folder / "report.pdf").exists()
    assert (project / "output/huadu/2023/report.pdf").read_bytes().startswith(b"%PDF")
    assert "lianjiang" in (project / "output/汇总表.csv").read_text("utf-8-sig")


def test_a_batch_through_the_converter_keeps_going_past_a_document_that_kills_it(project, monkeypatch, capsys):
    require_converter()
    real, cache = pdf_converter.convert, {}
    huadu = prepare(project, "huadu", None, ("docx",), False).rendered.files["report.docx"]

    def crashing(running, data, seconds=60):
        if data == huadu:
            os.killpg(running.process.pid, signal.SIGKILL)
        return real(running, data, seconds)

    monkeypatch.setattr(pdf_converter, "convert", crashing)
    monkeypatch.setattr(batch, "_CONVERTER", cache)
    try:
        outcomes = batch.build_all(project, ["huadu", "example-cdc"], formats=("md", "pdf"), charts=False, jobs=1,
                                   progress=False)
    finally:
        if cache.get("converter"):
            pdf_converter.stop(cache["converter"])
    assert [o.row is not None for o in outcomes] == [True, True]
    assert outcomes[0].missing.startswith("report.pdf：") and outcomes[1].missing == ""
    assert not (project / "output/huadu/2023/report.pdf").exists() and (project / "output/huadu/2023/report.md").exists()
    assert "示例区疾病预防控制中心" in pdf_text(next((project / "output/example-cdc").iterdir()) / "report.pdf")
    assert batch.exit_code(outcomes) == 1


def test_one_report_whose_pdf_fails_twice_is_written_without_it(project, monkeypatch, capsys):
    require_libreoffice()
    calls = []

    def crashing(docxs, converter=None):
        calls.append(len(docxs))
        raise OverLimit("LibreOffice 超出资源上限")

    monkeypatch.setattr(pdf, "docxs_to_pdfs", crashing)
    code = main(["--root", str(project), "report", "huadu", "--no-charts", "--formats", "md,docx,pdf"])
    err = capsys.readouterr().err
    assert code == 1 and calls == [1, 1]  # tried once more before giving up
    assert "未生成 report.pdf：LibreOffice 两次转换均失败" in err
    folder = project / "output/huadu/2023"
    assert (folder / "report.md").exists() and (folder / "report.docx").exists() and not (folder / "report.pdf").exists()


def test_a_converter_that_cannot_start_says_so(monkeypatch):
    monkeypatch.setattr(pdf_converter, "uno_python", lambda: None)
    with pytest.raises(FormatUnavailable, match="python3-uno"):
        pdf_converter.start()
