"""Command line: python -m pipeline report|check|all|units."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import InputError
from .load import available_units
from .numbers import score
from .pdf import FormatUnavailable
from .publish import DEFAULT_FORMATS, FORMATS
from .render import TemplateProblem
from .preview import preview
from .run import Result, build, check, resolve


def summary(result: Result) -> str:
    unit, s = result.inputs.unit, result.scores
    lines = [f"{unit.name} {unit.year}年度：总分 {score(s.total)}，等级 {s.grade}"]
    lines += [f"  {b.name}：{score(b.points)} / {score(b.weight)}" for b in s.blocks]
    if result.checks:
        lines.append(f"  核对：{len(result.checks)} 处与单位填报不一致（报告采用计算结果，明细见 checks.md）")
    lines += [f"    {c.what}：填报 {c.entered}，计算 {c.computed}（{c.where}）" for c in result.checks]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="预算绩效自评报告生成")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目目录（含 inputs/ 与 output/）")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("report", "生成一个单位的报告"), ("check", "只校验和计算，不写文件"), ("all", "生成所有单位最新年度的报告")):
        command = commands.add_parser(name, help=text)
        if name != "all":
            command.add_argument("dept")
            command.add_argument("--year", type=int)
        if name != "check":
            command.add_argument("--formats", type=formats, default=DEFAULT_FORMATS,
                                 help="输出格式，逗号分隔：" + ",".join(FORMATS) + "（默认 md,docx）")
            command.add_argument("--no-charts", dest="charts", action="store_false", help="不生成图表")
    command = commands.add_parser("preview", help="把已生成的 report.pdf 转成逐页 PNG")
    command.add_argument("dept")
    command.add_argument("--year", type=int)
    commands.add_parser("units", help="列出现有单位和年度")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "units":
            for name, years in available_units(root).items():
                print(f"{name}\t{' '.join(map(str, years))}")
        elif args.command == "preview":
            folder = root / "output" / args.dept / str(resolve(root, args.dept, args.year))
            pages = preview(folder)
            print(f"已生成 {len(pages)} 页预览：{pages[0].parent.relative_to(root)}/")
        elif args.command == "check":
            print(summary(check(root, args.dept, args.year)))
            print("校验通过，未写入文件。")
        else:
            depts = list(available_units(root)) if args.command == "all" else [args.dept]
            for dept in depts:
                result, written = build(root, dept, None if args.command == "all" else args.year, args.formats,
                                        args.charts)
                print(summary(result))
                for path in written:
                    print(f"  已写入 {path.relative_to(root)}")
    except InputError as error:
        print(error.report(), file=sys.stderr)
        return 2
    except TemplateProblem as error:
        print(f"模板错误：{error}", file=sys.stderr)
        return 2
    except FormatUnavailable as error:
        print(f"无法生成：{error}；未写入任何文件。", file=sys.stderr)
        return 1
    return 0


def formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"未知的格式 {','.join(unknown) or text}；可选：{','.join(FORMATS)}")
    return chosen


if __name__ == "__main__":
    sys.exit(main())
