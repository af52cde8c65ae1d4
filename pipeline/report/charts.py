"""Charts for the report: PNG bytes drawn with the Noto CJK font shipped in the mplfonts package.

Only matplotlib's object API is used (Figure + FigureCanvasAgg, no pyplot), every text gets the CJK
font through an explicit FontProperties, and drawing happens inside a style context, so importing or
calling this module leaves matplotlib's global rcParams and backend untouched. The same input gives
the same bytes: fixed size and dpi, no "Software" metadata in the PNG.
"""
from __future__ import annotations

import functools
import importlib.util
import math
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, cast

import matplotlib.style
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FixedLocator, FuncFormatter

from ..errors import MachineError
from ..limits import MAX_CHART_LINES
from ..numbers import HUNDRED, NOT_A_NUMBER, percent, ratio, score

if TYPE_CHECKING:
    from ..figures.compute import BudgetLine
    from ..figures.score import Scored

DPI = 200
WIDTH_PX = 1260  # 6.3 in = 16.0 cm at 200 dpi, the text width of an A4 portrait page
FONT_FILES = ("NotoSansCJKsc-Regular.otf", "NotoSerifCJKsc-Regular.otf")
WRAP = 10  # characters per line of a name
NAME_LINES = 4  # lines a name may take; a longer one is cut with "…"

DARK_BLUE = "#1f4e79"
LIGHT_GREY = "#c8c8c8"
INK = "#333333"


@functools.lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """The Noto Sans CJK SC file inside the installed mplfonts package (Noto Serif CJK SC if Sans is absent)."""
    spec = importlib.util.find_spec("mplfonts")  # locates the package without importing it
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        for name in FONT_FILES:
            path = Path(folder) / "fonts" / name
            if path.is_file():
                return path
    where = "、".join(folders) or "未安装"
    raise MachineError(f"找不到图表所需的中文字体文件（{' 或 '.join(FONT_FILES)}）：mplfonts 包位置：{where}。"
                       "请按 constraints.txt 安装依赖：pip install -c constraints.txt mplfonts")


def wrap(name: str, width: int = WRAP) -> str:
    """A name over `width` characters broken into balanced lines (Chinese has no spaces to break at).

    A "$" is escaped so that matplotlib prints it instead of starting a formula.
    """
    if len(name) > width * NAME_LINES:
        name = name[:width * NAME_LINES - 1] + "…"
    if len(name) > width:
        lines = math.ceil(len(name) / width)
        step = math.ceil(len(name) / lines)
        name = "\n".join(name[i:i + step] for i in range(0, len(name), step))
    return name.replace("$", r"\$")


@functools.lru_cache(maxsize=8)
def _font(size: float) -> FontProperties:
    return FontProperties(fname=cjk_font_path(), size=size)  # matplotlib copies it where it is set: shared is safe


def _figure(height_px: int) -> Figure:
    # margins are set from the labels' lengths (_margins): a layout engine measuring every text costs more than drawing
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _ems(text: str) -> float:
    """The width of the widest line in ems: a Chinese character is one, a digit or Latin letter about half."""
    return max((sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in line) for line in text.split("\n")), default=0.0)


def _margins(fig: Figure, left: float, right: float, top: float, bottom: float) -> None:
    """Room around the plot, in inches, for tick labels, the title and the legend."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(pixels: np.ndarray, dpi: int = DPI) -> bytes:
    """An opaque RGB(A) picture (rows × columns × 3 or 4, uint8) as PNG: RGB, no row filter, zlib level 1 — a chart
    is flat colour, so the file is no larger than Pillow's and it is written three times faster."""
    height, width = pixels.shape[:2]
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # each row starts with its filter type, 0: none
    rgb = rows[:, 1:].reshape(height, width, 3)
    for channel in range(3):  # a channel at a time: numpy copies a three-byte slice of each pixel five times slower
        rgb[:, :, channel] = pixels[:, :, channel]
    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join((b"\x89PNG\r\n\x1a\n",
                     _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                     _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
                     _chunk(b"IEND", b"")))


def _png(fig: Figure) -> bytes:
    fig.patch.set_facecolor("white")  # opaque: the alpha channel is dropped
    fig.canvas.draw()
    return png_bytes(np.asarray(cast(FigureCanvasAgg, fig.canvas).buffer_rgba()))  # the canvas _figure gave it


def _style_axes(ax, font: FontProperties) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(font)
    ax.tick_params(colors=INK, labelsize=font.get_size())


def charted_lines(lines: Sequence[BudgetLine]) -> tuple[list[BudgetLine], int]:
    """At most MAX_CHART_LINES bars, and how many units share the last one.

    Past the limit, the units with the largest 全年预算数 keep their bars in their order and the rest share one bar
    其他 at their combined rate (决算数 over 全年预算数 together): a finance officer reads the big budgets one by one
    and the small ones as one total, and the chart still fits on a page.
    """
    if len(lines) <= MAX_CHART_LINES:
        return list(lines), 0
    largest = set(sorted(range(len(lines)), key=lambda i: (-lines[i].budget, i))[:MAX_CHART_LINES - 1])
    rest = [line for i, line in enumerate(lines) if i not in largest]
    budget, actual = sum((line.budget for line in rest), Decimal(0)), sum((line.actual for line in rest), Decimal(0))
    other = replace(rest[0], name=f"其余{len(rest)}个单位合计", initial=sum((line.initial for line in rest), Decimal(0)), budget=budget,
                    actual=actual, basic=None, project=None, rate=ratio(actual, budget),
                    assumed=any(line.assumed for line in rest), line=None)
    return [line for i, line in enumerate(lines) if i in largest] + [other], len(rest)


def budget_execution_chart(lines: Sequence[BudgetLine], last: Mapping[str, Decimal | None] | None = None,
                           years: tuple[int, int] | None = None) -> bytes:
    """Horizontal bars of each unit's 预算执行率 with a dashed line at 100%; a unit without a rate gets "—".

    With last year's rates by unit name, each unit gets a light bar for last year under this year's dark one.
    """
    if not lines:
        raise ValueError("预算执行率图：没有单位数据，无法作图。")
    lines, _ = charted_lines(lines)
    rows = len(lines)
    names = [wrap(line.name) for line in lines]
    name_lines = sum(name.count("\n") + 1 for name in names)
    series = [("本年" if years is None else f"{years[0]}年", [line.rate for line in lines], DARK_BLUE)]
    if last is not None:
        series.append(("上年" if years is None else f"{years[1]}年", [last.get(line.name) for line in lines], LIGHT_GREY))
    per_row, legend = (90, 0) if len(series) == 1 else (130, 60)
    height_px = 150 + legend + per_row * rows + 30 * max(name_lines - rows, 0)
    shown = [rate * HUNDRED for _, rates, _ in series for rate in rates if rate is not None]  # in percent, exact
    top = max([Decimal(110)] + [r + 10 for r in shown])
    bar = 0.6 / len(series)
    with matplotlib.style.context("default"):
        fig = _figure(height_px)
        _margins(fig, left=max(map(_ems, names)) * 9 / 72 + 0.22, right=0.12, top=0.34, bottom=0.3)
        ax = fig.add_subplot()
        text, small = _font(9), _font(8.5 if len(series) == 1 else 7.5)
        ys = list(range(rows))
        for index, (label, rates, colour) in enumerate(series):
            offsets = [y + (index - (len(series) - 1) / 2) * bar for y in ys]
            ax.barh(offsets, [0.0 if r is None else float(r * HUNDRED) for r in rates], height=bar * 0.9,
                    color=colour, zorder=2, label=label)
            for y, rate in zip(offsets, rates):
                x = 0.0 if rate is None else float(rate * HUNDRED)
                ax.text(x + float(top) * 0.012, y, NOT_A_NUMBER if rate is None else percent(rate),
                        va="center", ha="left", color=INK, fontproperties=small, zorder=3,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
        ax.axvline(100, color="#7f7f7f", linestyle="--", linewidth=1, zorder=1)
        ax.set_xlim(0, float(top))
        ax.set_ylim(rows - 0.5, -0.5)  # first unit on top
        ax.yaxis.set_major_locator(FixedLocator(ys))
        ax.set_yticks(ys, names)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
        _style_axes(ax, text)
        ax.set_title("各单位预算执行率", fontproperties=_font(11), color=INK, y=1.0)  # y given: not placed by measuring the axes
        if len(series) > 1:
            ax.legend(prop=text, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2,
                      borderaxespad=0.2, handlelength=1.2, columnspacing=1.2)
        return _png(fig)


def score_chart(blocks: Sequence[Scored]) -> bytes:
    """Grouped bars per first-level indicator: 权重 in light grey, 得分 in dark blue, each labelled."""
    count = len(blocks)
    if not count:
        raise ValueError("指标得分图：没有一级指标，无法作图。")
    per_group_chars = max(4, int(15.0 / max(count, 1) / 0.34))  # 9 pt ≈ 0.32 cm per character
    names = [wrap(block.name, min(WRAP, per_group_chars)) for block in blocks]
    extra_lines = max((name.count("\n") for name in names), default=0)
    height_px = 640 + 40 * extra_lines
    top = max([block.weight for block in blocks] + [block.points for block in blocks] + [Decimal(1)])
    with matplotlib.style.context("default"):
        fig = _figure(height_px)
        ticks = max(_ems(f"{float(top) * 1.18:.0f}"), 1.2)  # the widest score on the y axis
        _margins(fig, left=ticks * 9 / 72 + 0.16, right=0.1, top=0.42, bottom=(extra_lines + 1) * 9 * 1.25 / 72 + 0.1)
        ax = fig.add_subplot()
        text, small = _font(9), _font(7.5 if count > 5 else 8.5)
        xs = list(range(count))
        width = 0.4
        weights = ax.bar([x - width / 2 for x in xs], [float(b.weight) for b in blocks], width,
                         color=LIGHT_GREY, label="权重", zorder=2)
        points = ax.bar([x + width / 2 for x in xs], [float(b.points) for b in blocks], width,
                        color=DARK_BLUE, label="得分", zorder=2)
        for bars, values in ((weights, [b.weight for b in blocks]), (points, [b.points for b in blocks])):
            ax.bar_label(bars, labels=[score(v) for v in values], padding=2, color=INK, fontproperties=small)
        ax.set_xlim(-0.6, count - 0.4)
        ax.set_ylim(0, float(top) * 1.18)
        ax.xaxis.set_major_locator(FixedLocator(xs))
        ax.set_xticks(xs, names)
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
        _style_axes(ax, text)
        ax.set_title("各一级指标得分", fontproperties=_font(11), color=INK, y=1.0)
        # beside the title, above the plot, so it never covers a bar or a value label
        ax.legend(prop=text, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2,
                  borderaxespad=0.2, handlelength=1.2, columnspacing=1.2)
        return _png(fig)
