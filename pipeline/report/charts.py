"""Charts for the report: PNG bytes drawn with the Noto CJK font shipped in the mplfonts package.

The pictures are drawn with Pillow (chart_draw); the layout is fixed from the labels' lengths. The same input gives
the same bytes: fixed size and dpi, no metadata in the PNG but its dpi.
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
from typing import TYPE_CHECKING

from PIL import Image, ImageFont

from ..errors import MachineError
from ..limits import MAX_CHART_LINES
from ..numbers import HUNDRED, NOT_A_NUMBER, percent, ratio, score
from . import chart_draw as draw
from .chart_draw import Box, px

if TYPE_CHECKING:
    from ..figures.compute import BudgetLine
    from ..figures.score import Scored

DPI = draw.DPI
WIDTH_PX = 1260  # 6.3 in = 16.0 cm at 200 dpi, the text width of an A4 portrait page
FONT_FILES = ("NotoSansCJKsc-Regular.otf", "NotoSerifCJKsc-Regular.otf")
WRAP = 10  # characters per line of a name
LABEL_GAP = 0.012  # from a bar's end to its label, as a share of the rate axis
EDGE = 2  # pixels kept clear at the picture's right edge
NAME_LINES = 4  # lines a name may take; a longer one is cut with "…"

DARK_BLUE = "#1f4e79"
LIGHT_GREY = "#c8c8c8"


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
    """A name over `width` characters broken into balanced lines (Chinese has no spaces to break at)."""
    if len(name) > width * NAME_LINES:
        name = name[:width * NAME_LINES - 1] + "…"
    if len(name) > width:
        lines = math.ceil(len(name) / width)
        step = math.ceil(len(name) / lines)
        name = "\n".join(name[i:i + step] for i in range(0, len(name), step))
    return name


def _ems(text: str) -> float:
    """The width of the widest line in ems: a Chinese character is one, a digit or Latin letter about half."""
    return max((sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in line) for line in text.split("\n")), default=0.0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(image: Image.Image, dpi: int = DPI) -> bytes:
    """An RGB picture as PNG: no row filter, zlib level 1 — a chart is flat colour, so the file is no larger than
    Pillow's and it is written three times faster. The rows go to zlib one by one, each after its filter byte."""
    width, height = image.size
    pixels, stride = memoryview(image.convert("RGB").tobytes()), width * 3
    packer = zlib.compressobj(1)
    data: list[bytes] = []
    for start in range(0, height * stride, stride):
        data += (packer.compress(b"\0"), packer.compress(pixels[start:start + stride]))  # filter type 0: none
    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join((b"\x89PNG\r\n\x1a\n",
                     _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                     _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", b"".join(data) + packer.flush()),
                     _chunk(b"IEND", b"")))


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




def _font(points: float) -> ImageFont.FreeTypeFont:
    return draw.font(cjk_font_path(), points)


def _right_end(left: float, top: float, reaches: list[tuple[float, float]]) -> float:
    """Where the execution chart's plot ends, in pixels: 0.12 in from the picture's edge, or further in so that each
    label ends inside the picture; a label is (where it starts on the rate axis, in percent; its width right of that,
    in pixels)."""
    limit = WIDTH_PX - EDGE
    return min([WIDTH_PX - 0.12 * DPI] + [left + (limit - width - left) * top / start for start, width in reaches])


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
    text, small = _font(9), _font(8.5 if len(series) == 1 else 7.5)
    # where each bar ends, in percent (a negative rate draws no bar: the axis starts at 0), and its label
    labels = [[(0.0 if rate is None else max(0.0, float(rate * HUNDRED)), NOT_A_NUMBER if rate is None else percent(rate))
               for rate in rates] for _, rates, _ in series]
    # margins from the labels' lengths: room for the names, the title and the tick labels
    left = (max(map(_ems, names)) * 9 / 72 + 0.22) * DPI
    ticks = draw.ticks(float(top), (WIDTH_PX - 0.12 * DPI - left) * 72 / DPI, 9, 3)
    reaches = [(x + float(top) * LABEL_GAP, small.getlength(label)) for row in labels for x, label in row]
    right = _right_end(left, float(top), reaches + [(float(ticks[-1]), text.getlength(f"{ticks[-1]:.0f}%") / 2)])
    box = Box(left, 0.34 * DPI, right, height_px - 0.3 * DPI, 0.0, float(top), rows - 0.5, -0.5)
    image, pen = draw.canvas(WIDTH_PX, height_px)
    ticks = draw.ticks(float(top), (box.right - box.left) * 72 / DPI, 9, 3)
    draw.x_ticks(pen, box, [float(v) for v in ticks], [f"{v:.0f}%" for v in ticks], text, grid=True)
    draw.line(pen, box.x(100), box.bottom, box.x(100), box.top, "#7f7f7f", 1, dash=(3.7, 1.6))
    for index, ((_, _, colour), row_labels) in enumerate(zip(series, labels)):
        for row, (x, _) in enumerate(row_labels):
            y = row + (index - (len(series) - 1) / 2) * bar
            draw.rectangle(pen, box.x(0), box.y(y - bar * 0.45), box.x(x), box.y(y + bar * 0.45), colour)
    for index, row_labels in enumerate(labels):  # after every bar, so a long bar never hides a label
        for row, (x, label) in enumerate(row_labels):
            y = row + (index - (len(series) - 1) / 2) * bar
            draw.text(pen, box.x(x + float(top) * LABEL_GAP), box.y(y), label, small, "l", "m",
                      box=0.1 * small.size * 72 / DPI)
    draw.y_ticks(pen, box, list(range(rows)), names, text)
    draw.frame(pen, box)
    draw.title(pen, box, "各单位预算执行率", _font(11))
    if len(series) > 1:
        draw.legend(pen, box, [(label, colour) for label, _, colour in series], text)
    return png_bytes(image)


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
    upper = float(top) * 1.18
    ticks_ems = max(_ems(f"{upper:.0f}"), 1.2)  # the widest score on the y axis
    box = Box((ticks_ems * 9 / 72 + 0.16) * DPI, 0.42 * DPI, WIDTH_PX - 0.1 * DPI,
              height_px - ((extra_lines + 1) * 9 * 1.25 / 72 + 0.1) * DPI, -0.6, count - 0.4, 0.0, upper)
    image, pen = draw.canvas(WIDTH_PX, height_px)
    text, small = _font(9), _font(7.5 if count > 5 else 8.5)
    values = draw.ticks(upper, (box.bottom - box.top) * 72 / DPI, 9, 2)
    places = draw.decimals(values)
    draw.y_ticks(pen, box, [float(v) for v in values], [f"{v:.{places}f}" for v in values], text, grid=True)
    width = 0.4
    for shift, colour, key in ((-width / 2, LIGHT_GREY, "weight"), (width / 2, DARK_BLUE, "points")):
        for x, block in enumerate(blocks):
            value = getattr(block, key)
            height = max(0.0, float(value))  # the axis starts at 0
            draw.rectangle(pen, box.x(x + shift - width / 2), box.y(height), box.x(x + shift + width / 2), box.y(0),
                           colour)
            draw.text(pen, box.x(x + shift), box.y(height) - px(2), score(value), small, "m", "b")
    draw.x_ticks(pen, box, list(range(count)), names, text, mark=False)
    draw.frame(pen, box)
    draw.title(pen, box, "各一级指标得分", _font(11))
    # beside the title, above the plot, so it never covers a bar or a value label
    draw.legend(pen, box, [("权重", LIGHT_GREY), ("得分", DARK_BLUE)], text)
    return png_bytes(image)
