"""check: validate and compute one unit, write nothing."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "check", "只校验和计算，不写文件"
ONE_UNIT = True  # one unit in a short process: run without the cycle collector (__main__.collector_paused)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)
    options.run_limits(parser)


def run(args: argparse.Namespace) -> int:
    from ..run import check
    from .printed import summary, warned
    result = check(args.root, args.dept, args.year, args.strict, args.time_limit)
    print(summary(result))
    warned(result)
    print("校验通过，未写入文件。")
    return 0
