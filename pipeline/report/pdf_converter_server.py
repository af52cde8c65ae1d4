"""The converter's server, run by LibreOffice's Python (pdf_converter.start) with nothing of ours importable: unoserver,
each document opened hidden, as LibreOffice's own --convert-to opens it. No window is built for it: the same pages,
some 0.04-0.08 s less of LibreOffice's time a document."""
from __future__ import annotations

import os
import shutil
import signal
import threading
import time

OWNER_ENV = "PIPELINE_CONVERTER_OWNER"  # the process id whose end ends this server, set by pdf_converter.start
FOLDER_ENV = "PIPELINE_CONVERTER_FOLDER"  # its private folder (profile, log), removed by its owner or, owner gone, by it


class _Hidden:
    """LibreOffice's desktop as unoserver uses it (to open documents), opening each one hidden."""

    def __init__(self, desktop):
        self.desktop = desktop

    def loadComponentFromURL(self, url, target, flags, properties):  # noqa: N802 (the UNO method's name)
        from com.sun.star.beans import PropertyValue
        return self.desktop.loadComponentFromURL(url, target, flags,
                                                 (*properties, PropertyValue(Name="Hidden", Value=True)))


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_owner(owner: int, every: float = 0.5) -> None:
    """SIGTERM to this server once `owner` has ended, however it ended (its children are handed to another parent at
    once; the id is checked too, for a Python started through a wrapper): unoserver passes it on to its LibreOffice
    and exits. Polled, since the parent-death signal follows the thread that started us, not the process."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent and _exists(owner):
            time.sleep(every)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    """unoserver's server, its converter given the hidden-opening desktop, ending with the process that started it."""
    from unoserver import converter, server  # LibreOffice's `uno` is importable only in its own Python
    if os.environ.get(OWNER_ENV, "").isdigit():
        watch_owner(int(os.environ[OWNER_ENV]))
    opening = converter.UnoConverter.__init__

    def opening_hidden(self, *args, **kwargs) -> None:
        opening(self, *args, **kwargs)
        self.desktop = _Hidden(self.desktop)

    converter.UnoConverter.__init__ = opening_hidden
    server.main()
    owner = os.environ.get(OWNER_ENV, "")
    if owner.isdigit() and not _exists(int(owner)) and os.environ.get(FOLDER_ENV):
        shutil.rmtree(os.environ[FOLDER_ENV], ignore_errors=True)  # an owner killed outright could not remove it


if __name__ == "__main__":
    main()
