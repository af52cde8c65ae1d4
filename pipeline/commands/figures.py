"""figures: every figure a narrative may quote, with its value."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "figures", "列出叙述文字可以引用的全部数字及其当前值"
ONE_UNIT = True  # one unit in a short process: run without the cycle collector (__main__.collector_paused)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)


def run(args: argparse.Namespace) -> int:
    from ..figures.catalogue import catalogue, listing
    from ..run import check
    result = check(args.root, args.dept, args.year)
    unit = result.inputs.unit
    print(listing(catalogue(result.inputs, result.figures, result.scores), unit.money_separators, unit.money_places))
    return 0
