"""report: build one unit's report."""
from __future__ import annotations

import argparse

from ..run import build
from . import options
from .printed import summary, warned

NAME, HELP = "report", "生成一个单位的报告"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)
    options.output(parser)
    options.run_limits(parser)


def run(args: argparse.Namespace) -> int:
    result, written = build(args.root, args.dept, args.year, args.formats, args.charts, args.strict, args.time_limit)
    print(summary(result))
    warned(result)
    for path in written:
        print(f"  已写入 {path.relative_to(args.root)}")
    return 0
