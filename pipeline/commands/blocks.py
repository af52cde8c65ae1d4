"""blocks: the blocks of the default report template."""
from __future__ import annotations

import argparse

NAME, HELP = "blocks", "列出默认报告模板中的块（block）名称"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from ..tools.scaffold import blocks_listing
    print(blocks_listing())
    return 0
