"""all: every unit's latest year, in parallel; one unit's failure leaves the others built."""
from __future__ import annotations

import argparse
import sys
import time

from ..deadline import run_seconds
from . import options

NAME, HELP = "all", "生成所有单位最新年度的报告"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.output(parser)
    options.run_limits(parser)
    parser.add_argument("--jobs", type=options.jobs, default=None, help="同时生成的单位数（默认：本机的处理器核数）")
    options.scheduler(parser)


def run(args: argparse.Namespace) -> int:
    from ..batch import closing, exit_code, run_all, spooled_runs, write_summary
    from ..inputs.load import available_units
    start = time.perf_counter()
    depts = list(available_units(args.root))
    with spooled_runs(depts) as outcomes:
        run_all(args.root, depts, outcomes, args.formats, args.charts, args.strict, args.jobs,
                seconds=args.time_limit or run_seconds(), scheduler=args.scheduler)
        for outcome in outcomes:
            if outcome.detail:
                print(f"{outcome.dept}：\n{outcome.detail}", file=sys.stderr)
        written = write_summary(args.root, outcomes)
        for line in closing(outcomes, time.perf_counter() - start, written, args.root):
            print(line)
        return exit_code(outcomes)
