"""diff: what changed from the year before (Markdown)."""
from __future__ import annotations

import argparse

from ..errors import ScaffoldError
from . import options

NAME, HELP = "diff", "最新年度与上一年度相比有什么变化（Markdown）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)


def run(args: argparse.Namespace) -> int:
    from ..inputs.load import available_units, resolve
    from ..run import check
    from ..tools.year_diff import year_diff
    root = args.root
    year = resolve(root, args.dept, args.year)
    if year - 1 not in available_units(root)[args.dept]:
        raise ScaffoldError(f"单位 {args.dept} 没有 {year - 1} 年度的数据，无从对比")
    print(year_diff(check(root, args.dept, year), check(root, args.dept, year - 1)), end="")
    return 0
