"""preview: the report's PDF as one PNG per page."""
from __future__ import annotations

import argparse

from . import options

NAME, HELP = "preview", "把已生成的 report.pdf 转成逐页 PNG"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.unit(parser)


def run(args: argparse.Namespace) -> int:
    from ..inputs.load import resolve
    from ..tools.preview import preview
    folder = args.root / "output" / args.dept / str(resolve(args.root, args.dept, args.year))
    pages = preview(folder)
    print(f"已生成 {len(pages)} 页预览：{pages[0].parent.relative_to(args.root)}/")
    return 0
