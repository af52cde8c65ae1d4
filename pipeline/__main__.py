"""Command line: `python -m pipeline <command>`, installed as `selfeval <command>`; the commands are pipeline/commands/."""
from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .commands import COMMANDS
from .deadline import cap_memory
from .errors import PipelineError


def arguments(prog: str = "python -m pipeline") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="预算绩效自评报告生成")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目目录（含 inputs/ 与 output/）")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_arguments(commands.add_parser(command.NAME, help=command.HELP))
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m pipeline") -> int:
    args = arguments(prog).parse_args(argv)
    args.root = args.root.resolve()
    command = next(c for c in COMMANDS if c.NAME == args.command)
    try:
        with collector_paused(getattr(command, "ONE_UNIT", False)):
            return command.run(args)
    except PipelineError as error:
        print(error.report(), file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # the reader stopped early (`| head`): what it wanted was printed
        sys.stdout = None
        return 0


@contextmanager
def collector_paused(paused: bool) -> Iterator[None]:
    """A command of one unit runs without Python's cycle collector: it would walk the freshly loaded libraries again and
    again (a tenth of a second of a report, measured) to free little; what the run leaves is freed when it ends."""
    paused = paused and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            # what the run made joins the oldest generation: turned back on, the collector would otherwise walk all of
            # it at the next allocation (30 ms of a report) to free what the process's end frees anyway
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def ending(code: int) -> int:
    """The process ends with its command: everything loaded is left for the system to reclaim, instead of walked once
    more by the cycle collector as the interpreter shuts down (a tenth of a report's process, measured). Exit handlers
    still run; a command has written and closed its files before it returns."""
    gc.freeze()
    return code


def tolerant_console() -> None:
    """A console that cannot show a character (a GBK one on Windows, a pipe in cp936) prints a ? instead of stopping
    the program halfway through its output."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def console() -> int:
    """The `selfeval` command installed with the package."""
    tolerant_console()
    cap_memory()
    return ending(main(prog="selfeval"))


if __name__ == "__main__":
    tolerant_console()
    cap_memory()
    sys.exit(ending(main()))
