"""Charts: PNG bytes of a fixed size, the same bytes for the same input, drawn with the bundled CJK font."""
from __future__ import annotations

import struct
from decimal import Decimal

import matplotlib
import pytest
from matplotlib.font_manager import FontProperties

from pipeline.figures.compute import BudgetLine
from pipeline.figures.score import Scored
from pipeline.report.charts import WIDTH_PX, budget_execution_chart, cjk_font_path, png_bytes, score_chart, wrap

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
    family = FontProperties(fname=path).get_name()
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


def test_charts_leave_global_settings_alone():
    before = dict(matplotlib.rcParams)
    budget_execution_chart(LINES)
    score_chart(BLOCKS)
    assert dict(matplotlib.rcParams) == before


def test_wrap():
    assert wrap("花都区卫生监督所") == "花都区卫生监督所"
    assert wrap("廉江市人口与计划生育考核办公室") == "廉江市人口与计划\n生育考核办公室"
    assert wrap("一二三四五六七八九十") == "一二三四五六七八九十"
    assert all(len(part) <= 10 for part in wrap("一" * 31).split("\n"))
    assert wrap("A$B$") == r"A\$B\$"


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (690, 1260)])
def test_png_writer_keeps_every_pixel(shape):
    """Our PNG writer against Pillow's reader: the same colours at the same places, and the dpi pandoc sizes by."""
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(*shape, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    image = Image.open(io.BytesIO(png_bytes(pixels)))
    assert image.mode == "RGB" and image.size == (shape[1], shape[0])
    assert (np.asarray(image) == pixels[..., :3]).all()
    assert round(image.info["dpi"][0]) == 200


def test_chart_pixels_are_opaque_white_around_the_plot():
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(score_chart(BLOCKS))))
    assert (pixels[0, 0] == 255).all() and (pixels[-1, -1] == 255).all()


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
