"""import: a filled-in 自评表 or score table (.docx/.xlsx) as a new unit."""
from __future__ import annotations

import argparse

NAME, HELP = "import", "把已填好的自评表或评分表（.docx/.xlsx）导入为一个新单位"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file")
    parser.add_argument("dept", help="新单位的代号：字母、数字、-、_")
    parser.add_argument("--year", type=int, help="年度（默认取表中写明的年度）")
    parser.add_argument("--kind", choices=("department", "project"), help="评分表导入为哪种报告（默认按指标判断）")
    parser.add_argument("--framework", help="自评表按哪个评价体系计分（默认 national-project-2020）")


def run(args: argparse.Namespace) -> int:
    from ..importer.cli import import_command
    print(import_command(args.root, args.file, args.dept, args.year, args.kind, args.framework))
    return 0
