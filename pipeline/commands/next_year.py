"""next: next year's inputs from the latest year (figures emptied, the narrative kept as a draft)."""
from __future__ import annotations

import argparse

NAME, HELP = "next", "从最新年度生成下一年度的输入目录（数据清空，叙述沿用为草稿）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dept")


def run(args: argparse.Namespace) -> int:
    from ..tools.next_year import next_year
    root = args.root
    created = next_year(root, args.dept)
    print(f"已生成 {created.folder.relative_to(root).as_posix()}/：")
    for path in created.files:
        print(f"  {path.relative_to(root).as_posix()}")
    print("需要填写：")
    for note in created.notes:
        print(f"  - {note}")
    print(f"填好后：make check DEPT={args.dept}，再 make report DEPT={args.dept}（报告会自动与上年对比）")
    return 0
