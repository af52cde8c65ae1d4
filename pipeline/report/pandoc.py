"""One sandboxed pandoc process per conversion: it reads only its input and arguments, opens no URL, and runs within
the unit's remaining time and a memory limit."""
from __future__ import annotations

import pypandoc

from ..deadline import limited_run
from ..errors import MachineError


def pandoc(source: str, form: str, to: str, args: list[str] | None = None) -> str:
    """pandoc's output as text; pypandoc.convert_text would start two more processes to list the formats."""
    done = limited_run([pypandoc.get_pandoc_path(), "--sandbox", "--from", form, "--to", to, *(args or [])], "pandoc",
                       input=source.encode("utf-8"))
    if done.returncode != 0:
        raise MachineError(f"pandoc 转换失败（{done.returncode}）：{done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout.decode("utf-8")
