"""rules: the scoring rule types a framework may use, with their parameters."""
from __future__ import annotations

import argparse

NAME, HELP = "rules", "列出评价体系可用的评分规则类型及其参数"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from ..tools.rule_listing import rules_listing
    print(rules_listing(), end="")
    return 0
