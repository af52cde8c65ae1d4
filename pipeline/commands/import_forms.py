"""import: a filled-in 自评表 or score table (.docx/.xlsx/…) as a new unit; or every form in a folder, a unit each."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME, HELP = "import", "把已填好的自评表或评分表（.docx/.xlsx）导入为一个新单位；给文件夹时每份表格导入为一个单位"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="一份表格；或一个文件夹（其中每份表格导入为 DEPT-1、DEPT-2 …）")
    parser.add_argument("dept", help="新单位的代号：字母、数字、-、_")
    parser.add_argument("--year", type=int, help="年度（默认取表中写明的年度）")
    parser.add_argument("--kind", choices=("department", "project"), help="评分表导入为哪种报告（默认按指标判断）")
    parser.add_argument("--framework", help="自评表按哪个评价体系计分（默认 national-project-2020）")


def run(args: argparse.Namespace) -> int:
    from ..importer.cli import import_command, import_folder
    if args.file.strip() and Path(args.file).is_dir():
        said, failed = import_folder(args.root, Path(args.file), args.dept, args.year, args.kind, args.framework)
        print(said)
        if failed is not None:
            print(failed.report(), file=sys.stderr)
            return failed.exit_code
        return 0
    print(import_command(args.root, args.file, args.dept, args.year, args.kind, args.framework))
    return 0
