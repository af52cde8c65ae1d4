"""Arguments several commands share, and how a typed value is read: refused in Chinese, never a traceback."""
from __future__ import annotations

import argparse

from ..deadline import run_seconds
from ..errors import BadSetting
from ..report.formats import DEFAULT_FORMATS, FORMATS


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


def jobs(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"JOBS 应为正整数（当前值：{text!r}），例如 4")
    return int(text)


def seconds(text: str) -> float:
    try:
        return run_seconds(text)
    except BadSetting as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def unit(parser: argparse.ArgumentParser, year_help: str | None = None) -> None:
    """DEPT and --year: which unit, which of its years (default: the latest)."""
    parser.add_argument("dept")
    parser.add_argument("--year", type=year, help=year_help)


def output(parser: argparse.ArgumentParser) -> None:
    """What a build writes: --formats and --no-charts."""
    parser.add_argument("--formats", type=formats, default=DEFAULT_FORMATS,
                        help="输出格式，逗号分隔：" + ",".join(FORMATS) + "（默认 md,docx）")
    parser.add_argument("--no-charts", dest="charts", action="store_false", help="不生成图表")


SCHEDULER_HELP = "在 Dask 集群上运行：调度器地址，如 tcp://10.0.0.5:8786（各机器须在同一路径挂载同一项目目录）"


def scheduler(parser: argparse.ArgumentParser) -> None:
    """--scheduler: run on a Dask cluster instead of this machine's own pool."""
    parser.add_argument("--scheduler", help=SCHEDULER_HELP)


def run_limits(parser: argparse.ArgumentParser) -> None:
    """How strictly and how long a unit's run goes: --strict and --time-limit."""
    parser.add_argument("--strict", action="store_true", help="严格模式：警告（如尾差、超预算）按错误处理")
    parser.add_argument("--time-limit", type=seconds, default=None, metavar="SECONDS",
                        help="每个单位生成用时的上限，秒（默认取环境变量 REPORT_TIME_LIMIT，否则 60）")
