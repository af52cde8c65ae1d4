"""review: re-check every 自评表 in a folder and write the summary workbook, creating no unit."""
from __future__ import annotations

import argparse

NAME, HELP = "review", "复核一个文件夹中的全部自评表，写出汇总工作簿，不建单位"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder")
    parser.add_argument("--framework", help="自评表按哪个评价体系重算（默认 national-project-2020）")


def run(args: argparse.Namespace) -> int:
    from ..importer.cli import review_command
    print(review_command(args.root, args.folder, args.framework))
    return 0
