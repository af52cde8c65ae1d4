"""new: a unit from example data, or a copy of an existing unit."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "new", "新建一个单位：示例数据骨架，或复制现有单位"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dept", help="单位代号：字母、数字、-、_")
    parser.add_argument("--kind", help="department 部门整体支出，或 project 项目支出；--from 时可省略")
    parser.add_argument("--from", dest="source", metavar="EXISTING", help="复制这个现有单位最新年度的全部文件")
    parser.add_argument("--year", type=options.year, help="年度（默认上一年）")
    parser.add_argument("--csv", action="store_true", help="数据表写成 CSV 文件，而不是 数据.xlsx 工作簿")
    parser.add_argument("--framework", help="inputs/frameworks/ 下的评价体系（不含 .yaml）：按它的末级指标逐行生成指标表")


def run(args: argparse.Namespace) -> int:
    from ..tools.scaffold import new_unit
    root = args.root
    created = new_unit(root, args.dept, args.kind, args.source, args.year, args.csv, args.framework)
    print(f"已新建单位 {args.dept}：{created.folder.relative_to(root).as_posix()}/")
    for path in created.files:
        print(f"  {path.relative_to(root).as_posix()}")
    if args.source:
        print(f"以上文件复制自 {args.source}，请逐项改为本单位的数据。")
    else:
        print("文件中是示例数据，请逐项改为本单位的数据（各文件和各列的说明见该目录下的 README.md）。")
    for note in created.notes:
        print(f"注意：{note}")
    print(f"下一步：make check DEPT={args.dept}（校验并显示得分），无误后 make report DEPT={args.dept}")
    return 0
