"""review: re-check every 自评表 in a folder and write the summary workbook, creating no unit."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "review", "复核一个文件夹中的全部自评表，写出汇总工作簿，不建单位"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder")
    parser.add_argument("--framework", help="自评表都按这个评价体系重算（默认按各表的表式和分值匹配）")
    parser.add_argument("--previous", help="上年收到的自评表所在文件夹，上年得分列在旁边")
    options.scheduler(parser)


def run(args: argparse.Namespace) -> int:
    from ..importer.cli import review_command
    for line in review_command(args.root, args.folder, args.framework, args.previous, args.scheduler):
        print(line)
    return 0
