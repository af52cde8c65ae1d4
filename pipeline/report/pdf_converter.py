"""A LibreOffice kept running between documents (unoserver, driven over XML-RPC): a batch or a long-lived server pays
LibreOffice's start once, not once a document. unoserver's own process needs LibreOffice's Python (the `uno` module,
Debian's python3-uno); this program only talks to it, so our own environment does not need `uno`."""
from __future__ import annotations

import http.client
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import cast

from ..errors import FormatUnavailable
from ..limits import CHILD_MEMORY, CHILD_SECONDS, CONVERTER_START_SECONDS
from .pdf_converter_server import FOLDER_ENV, OWNER_ENV

UNO_PYTHON_ENV = "PIPELINE_UNO_PYTHON"  # where LibreOffice's Python is not /usr/bin/python3
UNO_PYTHONS = ("/usr/bin/python3", "python3")
SERVER = Path(__file__).resolve().with_name("pdf_converter_server.py")  # unoserver, documents opened hidden


@dataclass
class Converter:
    """A running unoserver: its process (whose group holds LibreOffice too), its port, and its private folder."""

    process: subprocess.Popen
    port: int
    folder: Path
    ended: bool = False  # stopped by us: its group id may belong to someone else by now


def uno_python() -> str | None:
    """A Python that can import LibreOffice's `uno`, or None."""
    for name in filter(None, (os.environ.get(UNO_PYTHON_ENV), *UNO_PYTHONS)):
        path = shutil.which(name)
        if path and subprocess.run([path, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0:
            return path
    return None


def available() -> bool:
    """unoserver installed beside us, LibreOffice and its Python on this machine."""
    return (find_spec("unoserver") is not None and (shutil.which("soffice") or shutil.which("libreoffice")) is not None
            and uno_python() is not None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unoserver_path(folder: Path, package: Path) -> Path:
    """A folder holding only unoserver (its package folder, and its metadata, which it reads at import) and our
    server module for LibreOffice's Python: the rest of our environment stays out of that interpreter."""
    lib = folder / "lib"
    lib.mkdir()
    (lib / "unoserver").symlink_to(package)
    (lib / SERVER.name).symlink_to(SERVER)
    # the .dist-info folder; an installed package's metadata is a folder on disk (a PathDistribution)
    info = Path(str(cast(metadata.PathDistribution, metadata.distribution("unoserver"))._path))
    (lib / info.name).symlink_to(info)
    return lib


def _limit_memory() -> None:
    """The memory of any LibreOffice run (not a batch worker's, which it would inherit). Not the parent-death signal:
    Linux sends it when the *thread* that started the child ends, which would end a converter started by a pool's
    thread; the server watches its owner instead (pdf_converter_server)."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    limit = CHILD_MEMORY if hard == resource.RLIM_INFINITY else min(hard, CHILD_MEMORY)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def start(fonts: Path | None = None) -> Converter:
    """Start unoserver with a private LibreOffice profile and wait until it converts; FormatUnavailable if it cannot."""
    python, spec = uno_python(), find_spec("unoserver")
    if python is None or spec is None or not spec.submodule_search_locations:
        raise FormatUnavailable("常驻的 PDF 转换服务需要 unoserver 和 LibreOffice 的 Python（Debian：apt-get install -y python3-uno）")
    folder = Path(tempfile.mkdtemp(prefix="pdf-converter-"))
    port, uno_port = _free_port(), _free_port()
    env = {**os.environ, "PYTHONPATH": str(_unoserver_path(folder, Path(spec.submodule_search_locations[0]))),
           OWNER_ENV: str(os.getpid()), FOLDER_ENV: str(folder)}
    env.pop("PYTHONHOME", None)
    if fonts is not None:
        env["FONTCONFIG_FILE"] = str(fonts)
    with open(folder / "log.txt", "wb") as log:
        process = subprocess.Popen(
            [python, "-m", SERVER.stem, "--interface", "127.0.0.1", "--port", str(port), "--uno-port",
             str(uno_port), "--user-installation", str(folder / "profile"), "--conversion-timeout", str(CHILD_SECONDS)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd=folder, start_new_session=True,
            preexec_fn=_limit_memory)
    converter = Converter(process, port, folder)
    end = time.monotonic() + CONVERTER_START_SECONDS
    while time.monotonic() < end and process.poll() is None:
        try:
            _proxy(converter, 5).system.listMethods()
            return converter
        except (OSError, http.client.HTTPException, xmlrpc.client.Error):
            time.sleep(0.2)
    said = (folder / "log.txt").read_text("utf-8", "replace").strip()[-300:]
    stop(converter)
    raise FormatUnavailable(f"常驻的 PDF 转换服务未能启动：{said or '超时'}")


def stop(converter: Converter) -> None:
    """End unoserver and the LibreOffice it started (one process group), and remove its folder."""
    if converter.ended:
        return
    try:
        os.killpg(converter.process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    converter.process.wait()
    converter.ended = True
    shutil.rmtree(converter.folder, ignore_errors=True)


def restart(converter: Converter, fonts: Path | None = None) -> None:
    """A fresh unoserver in place of this one (which may have crashed or hung): the same handle goes on working."""
    stop(converter)
    fresh = start(fonts)
    converter.process, converter.port, converter.folder, converter.ended = fresh.process, fresh.port, fresh.folder, False


def stop_at_exit(converter: Converter) -> None:
    """Stopped when this process ends normally, a pool's worker included (those skip atexit, not their finalizers)."""
    import atexit
    from multiprocessing import util
    atexit.register(stop, converter)
    util.Finalize(converter, stop, args=(converter,), exitpriority=10)


class _Timed(xmlrpc.client.Transport):
    """xmlrpc's transport with a socket timeout: a LibreOffice that hangs does not hang the batch."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.seconds
        return connection


def _proxy(converter: Converter, seconds: float) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{converter.port}", transport=_Timed(seconds), allow_none=True)


def convert(converter: Converter, docx: bytes, seconds: float = CHILD_SECONDS) -> bytes:
    """One Word document's PDF; FormatUnavailable when the converter fails or is gone."""
    try:
        # the 目录 is left as written (update_index off), as LibreOffice's --convert-to leaves it
        pdf = _proxy(converter, seconds + 5).convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, [], False)
    except (OSError, http.client.HTTPException, xmlrpc.client.Error) as error:
        raise FormatUnavailable(f"LibreOffice 转换 PDF 失败：{str(error)[:200]}") from None
    if not isinstance(pdf, xmlrpc.client.Binary) or not pdf.data.startswith(b"%PDF"):
        raise FormatUnavailable("LibreOffice 转换 PDF 失败：没有生成 PDF 文件")
    return pdf.data
