"""report: build one unit's report."""
from __future__ import annotations

import argparse
import sys

from . import options

NAME, HELP = "report", "生成一个单位的报告"
ONE_UNIT = True  # one unit in a short process: run without the cycle collector (__main__.collector_paused)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)
    options.output(parser)
    options.run_limits(parser)


def run(args: argparse.Namespace) -> int:
    word, html = bool({"docx", "pdf"} & set(args.formats)), "html" in args.formats
    if word or html:
        from ..report.markdown_ast import warm_up
        warm_up(word, html)
    from ..run import build
    from .printed import summary, warned
    result, written = build(args.root, args.dept, args.year, args.formats, args.charts, args.strict, args.time_limit)
    print(summary(result))
    warned(result)
    for path in written:
        print(f"  已写入 {path.relative_to(args.root)}")
    for note in result.rendered.missing:  # what was made is written; what was not is said, and the run fails
        print(f"未生成 {note}", file=sys.stderr)
    return 1 if result.rendered.missing else 0
