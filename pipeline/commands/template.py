"""template: rewrite a unit's 数据.xlsx from its framework, keeping what was filled."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "template", "按评价体系重写单位的 数据.xlsx 工作簿，保留已填的数据"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)


def run(args: argparse.Namespace) -> int:
    from ..tools.unit_template import template_help, write_template
    print(template_help(args.root, write_template(args.root, args.dept, args.year), args.dept))
    return 0
