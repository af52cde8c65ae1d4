"""styles: the default Word styles as the unit's templates/reference.docx, to edit."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "styles", "把默认 Word 样式写到单位的 templates/reference.docx 供修改"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)


def run(args: argparse.Namespace) -> int:
    from ..tools.scaffold import styles_help, write_styles
    print(styles_help(args.root, write_styles(args.root, args.dept, args.year), args.dept))
    return 0
