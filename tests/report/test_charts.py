"""Charts: PNG bytes of a fixed size, the same bytes for the same input, drawn with the bundled CJK font."""
from __future__ import annotations

import io
import struct
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFont

from pipeline.figures.compute import BudgetLine
from pipeline.figures.score import Scored
from pipeline.report.chart_draw import decimals, ticks
from pipeline.report.charts import (
    DARK_BLUE,
    WIDTH_PX,
    budget_execution_chart,
    cjk_font_path,
    png_bytes,
    score_chart,
    wrap,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert data[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    chunks, at = {}, 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.setdefault(kind, data[at + 8:at + 8 + length])
        at += 12 + length
    return chunks


def line(name: str, rate: str | None) -> BudgetLine:
    return BudgetLine(name, Decimal("100"), Decimal("100"), Decimal("98.22"), None, None,
                      None if rate is None else Decimal(rate), False)


def block(name: str, weight: str, points: str) -> Scored:
    return Scored("A", name, 1, Decimal(weight), Decimal(points), (), None)


LINES = [line("花都区卫生健康局（本级）", "0.9822"), line("廉江市人口与计划生育考核办公室", "1.0442"),
         line("花都区卫生监督所", "1")]
BLOCKS = [block("预算编制", "20", "18.5"), block("预算执行", "30", "27.345"),
          block("预算使用效益和部门整体绩效", "50", "45.005")]


def test_font_is_the_bundled_cjk_face():
    path = cjk_font_path()
    assert path.is_file()
    assert path.suffix.lower() in {".otf", ".ttf", ".ttc"}
    assert "mplfonts" in path.parts
    family, _ = ImageFont.truetype(str(path), 10).getname()
    assert "CJK" in family or "Source Han" in family


def test_budget_chart_is_a_png_of_the_page_width():
    data = budget_execution_chart(LINES)
    assert data[:8] == PNG_MAGIC
    # 16 cm wide at 200 dpi; 3 rows, the two long names on two lines each
    assert png_size(data) == (WIDTH_PX, 150 + 90 * 3 + 30 * 2)
    assert WIDTH_PX == 1260
    phys = png_chunks(data)[b"pHYs"]
    assert struct.unpack(">IIB", phys) == (7874, 7874, 1)  # 200 dpi in pixels per metre


def test_budget_chart_height_grows_with_rows():
    one = png_size(budget_execution_chart(LINES[2:]))
    many = png_size(budget_execution_chart(LINES[2:] * 6))
    assert one == (WIDTH_PX, 240)
    assert many == (WIDTH_PX, 150 + 90 * 6)


def test_budget_chart_is_deterministic():
    assert budget_execution_chart(LINES) == budget_execution_chart(list(LINES))


def test_budget_chart_without_a_rate():
    data = budget_execution_chart([line("无预算的单位", None), line("另一单位", "0.5")])
    assert png_size(data) == (WIDTH_PX, 150 + 90 * 2)
    assert budget_execution_chart([line("无预算的单位", None)])[:8] == PNG_MAGIC


def test_score_chart_is_a_png_of_the_page_width():
    data = score_chart(BLOCKS)
    assert data[:8] == PNG_MAGIC
    assert png_size(data) == (WIDTH_PX, 640 + 40)  # one indicator name on two lines
    assert png_size(score_chart(BLOCKS[:2])) == (WIDTH_PX, 640)


def test_score_chart_is_deterministic():
    assert score_chart(BLOCKS) == score_chart(list(BLOCKS))


def test_no_software_metadata():
    for data in (budget_execution_chart(LINES), score_chart(BLOCKS)):
        assert b"matplotlib" not in data.lower()


def test_empty_input_is_refused_clearly():
    with pytest.raises(ValueError, match="没有"):
        budget_execution_chart([])
    with pytest.raises(ValueError, match="没有"):
        score_chart([])


def test_drawing_the_charts_imports_no_matplotlib():
    """The charts are drawn with Pillow: a report with charts does not pay for importing matplotlib."""
    code = ("import sys; from decimal import Decimal as D; from pipeline.figures.score import Scored; "
            "from pipeline.report.charts import score_chart; score_chart([Scored('A', '甲', 1, D(1), D(1), (), None)]); "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_wrap():
    assert wrap("花都区卫生监督所") == "花都区卫生监督所"
    assert wrap("廉江市人口与计划生育考核办公室") == "廉江市人口与计划\n生育考核办公室"
    assert wrap("一二三四五六七八九十") == "一二三四五六七八九十"
    assert all(len(part) <= 10 for part in wrap("一" * 31).split("\n"))
    assert wrap("A$B$") == "A$B$"  # drawn as it is: no formula syntax to escape


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (690, 1260)])
def test_png_writer_keeps_every_pixel(shape):
    """Our PNG writer against Pillow's reader: the same colours at the same places, and the dpi pandoc sizes by."""
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(*shape, 3), dtype=np.uint8)
    image = Image.open(io.BytesIO(png_bytes(Image.fromarray(pixels))))
    assert image.mode == "RGB" and image.size == (shape[1], shape[0])
    assert (np.asarray(image) == pixels).all()
    assert round(image.info["dpi"][0]) == 200


def test_chart_pixels_are_opaque_white_around_the_plot():
    pixels = np.asarray(Image.open(io.BytesIO(score_chart(BLOCKS))))
    assert (pixels[0, 0] == 255).all() and (pixels[-1, -1] == 255).all()


def pixels_of(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def blue_span(row: np.ndarray) -> tuple[int, int]:
    """The first and last column of a row in the dark blue of this year's bars."""
    columns = np.flatnonzero((row == Image.new("RGB", (1, 1), DARK_BLUE).getpixel((0, 0))).all(axis=1))
    return int(columns[0]), int(columns[-1])


def test_a_bar_ends_where_its_rate_falls_on_the_axis():
    """One unit at 50 %, by hand: the axis runs 0–110 %; the plot starts after the name (3 ems of 9 pt + 0.22 in =
    0.595 in = 119 px) and ends 0.12 in (24 px) before the edge, at 1236; 50 % is at 119 + 50/110 × 1117 = 626.7,
    so the bar fills columns 119–626 (the axis line, 2 px wide on 118–119, covers the first). The picture is 240 px
    high, the plot 68–180 (0.34 in and 0.3 in off); the row's middle is at 124 and the bar is 0.6 × 0.9 of the row
    (112 px) high: 124 ± 30.24, rows 94–153."""
    picture = pixels_of(budget_execution_chart([line("甲单位", "0.5")]))
    assert picture.shape[:2] == (240, WIDTH_PX)
    assert blue_span(picture[124]) == (120, 626)
    assert blue_span(picture[:, 300:301].transpose(1, 0, 2)[0]) == (94, 153)


def test_value_labels_and_the_last_tick_stay_inside_the_picture():
    """A rate near the right end used to push its label (and the last tick label) past the picture's edge: the plot
    now ends early enough that every label ends before the last two columns."""
    lines = [line("甲单位", "1.3"), line("乙单位", "1.2999")]
    for data in (budget_execution_chart(lines), budget_execution_chart(lines, {"甲单位": Decimal("1.3")}, (2024, 2023))):
        assert (pixels_of(data)[:, -2:] == 255).all()
    plain = pixels_of(budget_execution_chart([line("甲单位", "0.5")]))
    assert (plain[60:180, 1236:] == 255).all()  # with room to spare the plot keeps its 0.12 in margin


def test_a_negative_rate_draws_no_bar_but_keeps_its_label():
    picture = pixels_of(budget_execution_chart([line("甲单位", "-0.5"), line("乙单位", "0.5")]))
    dark = (picture == Image.new("RGB", (1, 1), DARK_BLUE).getpixel((0, 0))).all(axis=2)
    rows = np.flatnonzero(dark.any(axis=1))
    assert rows.min() > picture.shape[0] / 2  # only the second unit's bar, in the lower half
    assert (picture[:picture.shape[0] // 2, 130:400] < 128).any()  # the first unit's label -50.00% is written


@pytest.mark.parametrize("top, length, size, per_label, expected", [
    (110.0, 380, 9, 3, [0, 20, 40, 60, 80, 100]),  # 380 pt / 27 pt = 14 labels fit, at most 9: step ≥ 12.2 → 20
    (1.18, 180, 9, 2, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]),  # 10 fit → 9: step ≥ 0.131 → 0.2
    (59.0, 180, 9, 2, [0, 10, 20, 30, 40, 50]),  # step ≥ 6.6 → 10
    (59.0, 40, 9, 2, [0, 50]),  # 2 labels fit: step ≥ 29.5 → 50
    (300.0, 380, 9, 3, [0, 50, 100, 150, 200, 250, 300]),  # step ≥ 33.3 → 50, and 300 itself is a tick
])
def test_ticks_at_a_round_step(top, length, size, per_label, expected):
    assert ticks(top, length, size, per_label) == [Decimal(str(value)) for value in expected]


def test_tick_labels_share_their_decimals():
    assert decimals([Decimal(0), Decimal("2.5"), Decimal("5.0")]) == 1
    assert decimals([Decimal(0), Decimal(10), Decimal("20")]) == 0
    assert decimals([Decimal("0.25"), Decimal("0.50")]) == 2


def _block(name: str, weight: str, points: str) -> Scored:
    return Scored(name, name, 1, Decimal(weight), Decimal(points), (), None)


@pytest.mark.parametrize("blocks, shown", [
    ([("决策", "20", "18"), ("过程", "30", "30"), ("产出", "50", "41")], True),  # 90 %, 100 %, 82 %: they compare
    ([("决策", "20", "20"), ("过程", "30", "30"), ("产出", "50", "50")], False),  # all full marks: bars in equal pairs
    ([("决策", "20", "15"), ("过程", "40", "30"), ("产出", "40", "30")], False),  # all 75 %: the sentence says as much
    ([("履职效能", "50", "49.82"), ("管理效率", "50", "47")], False),  # two 一级: the sentence names both
    ([("单一", "100", "88")], False),  # one group never
])
def test_score_chart_only_where_the_blocks_compare(blocks, shown):
    from types import SimpleNamespace

    from pipeline.report.context import scores_charted
    assert scores_charted(SimpleNamespace(blocks=tuple(_block(*b) for b in blocks))) is shown


@pytest.mark.parametrize("units, last_year, shown", [(1, False, False), (1, True, False), (2, False, False),
                                                     (2, True, True), (3, False, True), (12, False, True)])
def test_execution_chart_only_where_table_one_does_not_say_it(units, last_year, shown):
    from types import SimpleNamespace

    from pipeline.report.context import budget_charted
    assert budget_charted(SimpleNamespace(budget=[object()] * units), last_year) is shown
