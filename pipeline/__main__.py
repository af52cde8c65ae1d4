"""Command line: python -m pipeline report|check|all|units|preview|new|template|blocks|styles|import|review|rules."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .deadline import run_seconds
from .errors import BadSetting, PipelineError, ScaffoldError
from .figures.catalogue import catalogue, listing
from .figures.numbers import score
from .inputs.load import available_units, resolve
from .report.render import DEFAULT_FORMATS, FORMATS
from .run import Result, build, check
from .tools.preview import preview
from .tools.rule_listing import rules_listing
from .tools.year_diff import year_diff


def summary(result: Result) -> str:
    unit, s = result.inputs.unit, result.scores
    lines = [f"{unit.name} {unit.year}年度：总分 {score(s.total)}，等级 {s.grade}"]
    lines += [f"  {b.name}：{score(b.points)} / {score(b.weight)}" for b in s.blocks]
    if result.findings:
        errors = sum(f.severity == "错误" for f in result.findings)
        lines.append(f"  复核：错误 {errors} 处，提示 {len(result.findings) - errors} 处（明细见 checks.md）")
    if result.checks:
        lines.append(f"  核对：{len(result.checks)} 处与单位填报不一致（报告采用计算结果，明细见 checks.md）")
    lines += [f"    {c.what}：填报 {c.entered}，计算 {c.computed}（{c.where}）" for c in result.checks]
    return "\n".join(lines)


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="预算绩效自评报告生成")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目目录（含 inputs/ 与 output/）")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("report", "生成一个单位的报告"), ("check", "只校验和计算，不写文件"), ("all", "生成所有单位最新年度的报告")):
        command = commands.add_parser(name, help=text)
        if name != "all":
            command.add_argument("dept")
            command.add_argument("--year", type=year)
        if name != "check":
            command.add_argument("--formats", type=formats, default=DEFAULT_FORMATS,
                                 help="输出格式，逗号分隔：" + ",".join(FORMATS) + "（默认 md,docx）")
            command.add_argument("--no-charts", dest="charts", action="store_false", help="不生成图表")
        command.add_argument("--strict", action="store_true", help="严格模式：警告（如尾差、超预算）按错误处理")
        command.add_argument("--time-limit", type=seconds, default=None, metavar="SECONDS",
                             help="每个单位生成用时的上限，秒（默认取环境变量 REPORT_TIME_LIMIT，否则 60）")
        if name == "all":
            command.add_argument("--jobs", type=jobs, default=None, help="同时生成的单位数（默认：本机的处理器核数）")
    command = commands.add_parser("preview", help="把已生成的 report.pdf 转成逐页 PNG")
    command.add_argument("dept")
    command.add_argument("--year", type=year)
    command = commands.add_parser("figures", help="列出叙述文字可以引用的全部数字及其当前值")
    command.add_argument("dept")
    command.add_argument("--year", type=year)
    command = commands.add_parser("next", help="从最新年度生成下一年度的输入目录（数据清空，叙述沿用为草稿）")
    command.add_argument("dept")
    command = commands.add_parser("diff", help="最新年度与上一年度相比有什么变化（Markdown）")
    command.add_argument("dept")
    command.add_argument("--year", type=year)
    commands.add_parser("units", help="列出现有单位和年度")
    command = commands.add_parser("new", help="新建一个单位：示例数据骨架，或复制现有单位")
    command.add_argument("dept", help="单位代号：字母、数字、-、_")
    command.add_argument("--kind", help="department 部门整体支出，或 project 项目支出；--from 时可省略")
    command.add_argument("--from", dest="source", metavar="EXISTING", help="复制这个现有单位最新年度的全部文件")
    command.add_argument("--year", type=year, help="年度（默认上一年）")
    command.add_argument("--csv", action="store_true", help="数据表写成 CSV 文件，而不是 数据.xlsx 工作簿")
    command = commands.add_parser("template", help="按评价体系重写单位的 数据.xlsx 工作簿，保留已填的数据")
    command.add_argument("dept")
    command.add_argument("--year", type=year)
    commands.add_parser("blocks", help="列出默认报告模板中的块（block）名称")
    commands.add_parser("rules", help="列出评价体系可用的评分规则类型及其参数")
    command = commands.add_parser("import", help="把已填好的自评表或评分表（.docx/.xlsx）导入为一个新单位")
    command.add_argument("file")
    command.add_argument("dept", help="新单位的代号：字母、数字、-、_")
    command.add_argument("--year", type=int, help="年度（默认取表中写明的年度）")
    command.add_argument("--kind", choices=("department", "project"), help="评分表导入为哪种报告（默认按指标判断）")
    command.add_argument("--framework", help="自评表按哪个评价体系计分（默认 national-project-2020）")
    command = commands.add_parser("review", help="复核一个文件夹中的全部自评表，写出汇总工作簿，不建单位")
    command.add_argument("folder")
    command.add_argument("--framework", help="自评表按哪个评价体系重算（默认 national-project-2020）")
    command = commands.add_parser("styles", help="把默认 Word 样式写到单位的 templates/reference.docx 供修改")
    command.add_argument("dept")
    command.add_argument("--year", type=year)
    return parser


def warned(result: Result) -> None:
    for problem in result.warnings:
        print(f"警告：{problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    root = args.root.resolve()
    # a command imports the tools only it uses (openpyxl, docxtpl, PyMuPDF, tqdm…): a report does not pay for them
    try:
        if args.command == "units":
            for name, years in available_units(root).items():
                print(f"{name}\t{' '.join(map(str, years))}")
        elif args.command == "new":
            from .tools.scaffold import new_unit
            created = new_unit(root, args.dept, args.kind, args.source, args.year, args.csv)
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
        elif args.command == "template":
            from .tools.unit_template import template_help, write_template
            print(template_help(root, write_template(root, args.dept, args.year), args.dept))
        elif args.command == "import":
            from .importer.cli import import_command
            print(import_command(root, args.file, args.dept, args.year, args.kind, args.framework))
        elif args.command == "review":
            from .importer.cli import review_command
            print(review_command(root, args.folder, args.framework))
        elif args.command == "blocks":
            from .tools.scaffold import blocks_listing
            print(blocks_listing())
        elif args.command == "rules":
            print(rules_listing(), end="")
        elif args.command == "styles":
            from .tools.scaffold import styles_help, write_styles
            print(styles_help(root, write_styles(root, args.dept, args.year), args.dept))
        elif args.command == "preview":
            folder = root / "output" / args.dept / str(resolve(root, args.dept, args.year))
            pages = preview(folder)
            print(f"已生成 {len(pages)} 页预览：{pages[0].parent.relative_to(root)}/")
        elif args.command == "next":
            from .tools.next_year import next_year
            created = next_year(root, args.dept)
            print(f"已生成 {created.folder.relative_to(root).as_posix()}/：")
            for path in created.files:
                print(f"  {path.relative_to(root).as_posix()}")
            print("需要填写：")
            for note in created.notes:
                print(f"  - {note}")
            print(f"填好后：make check DEPT={args.dept}，再 make report DEPT={args.dept}（报告会自动与上年对比）")
        elif args.command == "diff":
            year = resolve(root, args.dept, args.year)
            if year - 1 not in available_units(root)[args.dept]:
                raise ScaffoldError(f"单位 {args.dept} 没有 {year - 1} 年度的数据，无从对比")
            print(year_diff(check(root, args.dept, year), check(root, args.dept, year - 1)), end="")
        elif args.command == "figures":
            result = check(root, args.dept, args.year)
            print(listing(catalogue(result.inputs, result.figures, result.scores)))
        elif args.command == "check":
            result = check(root, args.dept, args.year, args.strict, args.time_limit)
            print(summary(result))
            warned(result)
            print("校验通过，未写入文件。")
        elif args.command == "all":
            return build_everything(root, args)
        else:
            result, written = build(root, args.dept, args.year, args.formats, args.charts, args.strict, args.time_limit)
            print(summary(result))
            warned(result)
            for path in written:
                print(f"  已写入 {path.relative_to(root)}")
    except PipelineError as error:
        print(error.report(), file=sys.stderr)
        return error.exit_code
    return 0


def build_everything(root: Path, args: argparse.Namespace) -> int:
    """make all: every unit's latest year, in parallel; one unit's failure leaves the others built."""
    from .batch import build_all, closing, exit_code, write_summary
    start = time.perf_counter()
    outcomes = build_all(root, list(available_units(root)), args.formats, args.charts, args.strict, args.jobs,
                         seconds=args.time_limit or run_seconds())
    for outcome in outcomes:
        if outcome.detail:
            print(f"{outcome.dept}：\n{outcome.detail}", file=sys.stderr)
    written = write_summary(root, outcomes)
    print(closing(outcomes, time.perf_counter() - start, written, root))
    return exit_code(outcomes)


def jobs(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"JOBS 应为正整数（当前值：{text!r}），例如 4")
    return int(text)


def seconds(text: str) -> float:
    try:
        return run_seconds(text)
    except BadSetting as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def year(text: str) -> int:
    """A year typed on the command line: four ASCII digits (2024², ２０２４ and 24 are refused in Chinese)."""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"年度应为四位数字，例如 2024（当前值：{text!r}）")
    return int(text)


def formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"未知的格式 {','.join(unknown) or text}；可选：{','.join(FORMATS)}")
    return chosen


if __name__ == "__main__":
    sys.exit(main())
