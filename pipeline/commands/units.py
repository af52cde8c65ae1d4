"""units: the units and their years."""
from __future__ import annotations

import argparse

NAME, HELP = "units", "列出现有单位和年度"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from ..inputs.load import available_units
    for name, years in available_units(args.root).items():
        print(f"{name}\t{' '.join(map(str, years))}")
    return 0
