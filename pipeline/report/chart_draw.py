"""The pieces a report chart is drawn from, straight onto a Pillow image: the plot frame, ticks, grid, bars, text
blocks, title and legend, in pixels at 200 dpi.

Pillow rather than matplotlib: matplotlib spent about 60 ms on a chart of five bars (its axes, ticks and artist
tree, and each text shaped and hinted three times); these few rectangles and texts take a few milliseconds.
Every size is given in points, as in print, and turned into pixels here.
"""
from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DPI = 200
INK = "#333333"
SPINE = "#000000"
GRID = "#e5e5e5"
LINE_SPACING = 1.02  # from one line of a text block to the next, in font sizes (the face's own line height)
DESCENT = 0.12  # below the baseline, in font sizes (Noto CJK's typographic descender)
MIDDLE = 0.41  # from a line's top to Pillow's middle anchor, in font sizes
TICK = 3.5  # a tick's length and the gap from it to its label, in points
TICK_STEPS = (1, 2, Decimal("2.5"), 5, 10)  # a tick every 1, 2, 2.5 or 5 times a power of ten


def px(points: float) -> float:
    return points * DPI / 72


def font(path: Path, points: float) -> ImageFont.FreeTypeFont:
    return _font(path, points, threading.get_ident())


@functools.lru_cache(maxsize=32)
def _font(path: Path, points: float, thread: int) -> ImageFont.FreeTypeFont:
    """One per thread: a FreeType face must not be used by two threads at once (the web app serves in threads).
    Basic layout: the same glyph positions whether or not this Pillow was built with libraqm."""
    return ImageFont.truetype(str(path), px(points), layout_engine=ImageFont.Layout.BASIC)


@dataclass(frozen=True)
class Box:
    """The plot area in pixels, y downwards, and the data range each side maps to."""
    left: float
    top: float
    right: float
    bottom: float
    x0: float = 0.0
    x1: float = 1.0
    y0: float = 0.0  # the value at the bottom edge
    y1: float = 1.0  # the value at the top edge

    def x(self, value: float) -> float:
        return self.left + (value - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)


def canvas(width: int, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width, height), "white")
    return image, ImageDraw.Draw(image)


def rectangle(draw: ImageDraw.ImageDraw, x0: float, y0: float, x1: float, y1: float, colour: str) -> None:
    """A filled rectangle with its edges on whole pixels (a bar of zero width is not drawn)."""
    left, right = sorted((round(x0), round(x1)))
    top, bottom = sorted((round(y0), round(y1)))
    if right > left and bottom > top:
        draw.rectangle((left, top, right - 1, bottom - 1), fill=colour)


def line(draw: ImageDraw.ImageDraw, x0: float, y0: float, x1: float, y1: float, colour: str, points: float,
         dash: tuple[float, float] | None = None) -> None:
    """A horizontal or vertical line `points` thick, centred on its position, solid or dashed (on, off in points)."""
    half = max(round(px(points)), 1) / 2
    if dash is None:
        rectangle(draw, min(x0, x1) - (half if x0 == x1 else 0), min(y0, y1) - (half if y0 == y1 else 0),
                  max(x0, x1) + (half if x0 == x1 else 0), max(y0, y1) + (half if y0 == y1 else 0), colour)
        return
    on, off = px(dash[0]), px(dash[1])
    length = math.hypot(x1 - x0, y1 - y0)
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    at = 0.0
    while at < length:
        end = min(at + on, length)
        line(draw, x0 + dx * at, y0 + dy * at, x0 + dx * end, y0 + dy * end, colour, points)
        at = end + off


def text(draw: ImageDraw.ImageDraw, x: float, y: float, content: str, face: ImageFont.FreeTypeFont,
         horizontal: str = "l", vertical: str = "m", colour: str = INK, box: float | None = None) -> None:
    """A text of one or more lines: `horizontal` l/m/r aligns each line on x, `vertical` t/m/s/b puts the block's top,
    middle, last baseline or bottom on y. `box`: a white box around it, padded by that many points."""
    lines = content.split("\n")
    step = face.size * LINE_SPACING
    last = step * (len(lines) - 1)
    first = {"t": y + face.size * MIDDLE, "m": y - last / 2, "s": y - last, "b": y - last - face.size * DESCENT}[vertical]
    anchor = horizontal + ("m" if vertical in "tm" else "s")
    if box is not None:
        pad = px(box)
        edges = [draw.textbbox((x, first + i * step), part, font=face, anchor=anchor)
                 for i, part in enumerate(lines)]
        left, top = min(e[0] for e in edges), min(e[1] for e in edges)
        right, bottom = max(e[2] for e in edges), max(e[3] for e in edges)
        rectangle(draw, left - pad, top - pad, right + pad, bottom + pad, "white")
    for i, part in enumerate(lines):
        draw.text((x, first + i * step), part, fill=colour, font=face, anchor=anchor)


def ticks(top: float, length_points: float, label_points: float, per_label: int) -> list[Decimal]:
    """Tick values from 0 to at most `top`, at a round step, no more than fit along the axis (a label takes
    `per_label` times its size: 3 along a horizontal axis, 2 up a vertical one), and never more than ten."""
    bins = max(1, min(9, int(length_points // (label_points * per_label))))
    raw = Decimal(repr(top)) / bins
    power = Decimal(10) ** (raw.adjusted())
    step = next(power * s for s in TICK_STEPS if power * s >= raw)
    count = int(Decimal(repr(top)) // step)
    return [step * i for i in range(count + 1)]


def decimals(values: list[Decimal]) -> int:
    """The fewest decimals that show every value exactly."""
    return max((max(0, -int(value.normalize().as_tuple().exponent)) for value in values), default=0)  # finite


def frame(draw: ImageDraw.ImageDraw, box: Box) -> None:
    """The left and bottom edges of the plot."""
    line(draw, box.left, box.top, box.left, box.bottom + px(0.4), SPINE, 0.8)
    line(draw, box.left - px(0.4), box.bottom, box.right, box.bottom, SPINE, 0.8)


def x_ticks(draw: ImageDraw.ImageDraw, box: Box, values: list[float], labels: list[str], face: ImageFont.FreeTypeFont,
            mark: bool = True, grid: bool = False) -> None:
    """Labels under the plot at `values` (`mark`: with a tick mark each; `grid`: and a light line up the plot)."""
    gap = px(TICK) * (2 if mark else 1)
    for value, label in zip(values, labels):
        x = box.x(value)
        if grid:
            line(draw, x, box.top, x, box.bottom, GRID, 0.6)
        if mark:
            line(draw, x, box.bottom, x, box.bottom + px(TICK), INK, 0.8)
        text(draw, x, box.bottom + gap, label, face, "m", "t")


def y_ticks(draw: ImageDraw.ImageDraw, box: Box, values: list[float], labels: list[str], face: ImageFont.FreeTypeFont,
            grid: bool = False) -> None:
    """Labels left of the plot at `values`, each with a tick mark (`grid`: and a light line across the plot)."""
    for value, label in zip(values, labels):
        y = box.y(value)
        if grid:
            line(draw, box.left, y, box.right, y, GRID, 0.6)
        line(draw, box.left - px(TICK), y, box.left, y, INK, 0.8)
        text(draw, box.left - 2 * px(TICK), y, label, face, "r", "m")


def title(draw: ImageDraw.ImageDraw, box: Box, content: str, face: ImageFont.FreeTypeFont) -> None:
    text(draw, (box.left + box.right) / 2, box.top - px(6), content, face, "m", "s")


def legend(draw: ImageDraw.ImageDraw, box: Box, entries: list[tuple[str, str]], face: ImageFont.FreeTypeFont) -> None:
    """Colour swatches and their labels in a row above the plot's right end, so they never cover a bar."""
    em = face.size
    widths = [em * 1.2 + em * 0.8 + face.getlength(label) for label, _ in entries]
    # 0.2 em of 9 pt from the plot's corner, then 0.4 em of padding: the row's right end and its middle
    x = box.right - px(0.2 * 9) - em * 0.4 - sum(widths) - em * 1.2 * (len(entries) - 1)
    y = box.top - px(0.2 * 9) - em * 0.4 - em * 0.55
    for (label, colour), width in zip(entries, widths):
        rectangle(draw, x, y - em * 0.35, x + em * 1.2, y + em * 0.35, colour)
        text(draw, x + em * 2.0, y, label, face, "l", "m")
        x += width + em * 1.2
