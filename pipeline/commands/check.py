"""check: validate and compute one unit, write nothing."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "check", "只校验和计算，不写文件"
ONE_UNIT = True  # one unit in a short process: run without the cycle collector (__main__.collector_paused)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)
    options.run_limits(parser)
    parser.add_argument("--json", action="store_true",
                        help="以 JSON 输出全部问题（含代码、位置），便于按代码筛选，如 jq '.问题[] | select(.代码==\"bad-number\")'")


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError, problems_json
    from ..run import check
    from .printed import summary, warned
    if args.json:
        try:
            found = check(args.root, args.dept, args.year, args.strict, args.time_limit)
        except InputError as error:
            print(problems_json(False, error.problems, []))
            return error.exit_code
        print(problems_json(True, [], found.warnings))
        return 0
    result = check(args.root, args.dept, args.year, args.strict, args.time_limit)
    print(summary(result))
    warned(result)
    print("校验通过，未写入文件。")
    return 0
