"""One sandboxed pandoc process per conversion: it reads only its input and arguments, opens no URL, and runs within
the unit's remaining time and a memory limit."""
from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

from ..deadline import limited_run
from ..errors import MachineError

# pandoc's build suggests a 64 MB heap, whose first touch costs more than a report's conversion needs (about a
# sixth of its CPU time, the output the same); a pandoc built without RTS options ignores this
RTS = "-H4m"


def pandoc(source: str, form: str, to: str, args: list[str] | None = None) -> str:
    """pandoc's output as text; pypandoc.convert_text would start two more processes to list the formats."""
    done = limited_run([pandoc_path(), "--sandbox", "--from", form, "--to", to, *(args or [])], "pandoc",
                       input=source.encode("utf-8"), env=os.environ | {"GHCRTS": RTS})
    if done.returncode != 0:
        raise MachineError(f"pandoc 转换失败（{done.returncode}）：{done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout.decode("utf-8")


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc pypandoc-binary bundles (the version the project pins), found without importing pypandoc, whose
    get_pandoc_path starts a `pandoc --version` for every place pandoc might be; pypandoc's own search otherwise."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations and not os.environ.get("PYPANDOC_PANDOC"):
        bundled = Path(next(iter(spec.submodule_search_locations)), "files", "pandoc")
        if os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc
    return pypandoc.get_pandoc_path()
