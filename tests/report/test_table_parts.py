"""A long score table cut into page-sized parts (layout.plan_parts), checked by hand and against the rule written
out plainly: a part is its header, its rows, and for each merged run it reaches what the run's label needs beyond
the run's rows in that part."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.report.word.layout import plan_parts


def test_parts_by_hand():
    """Header 10 pt, rows of 20 pt; the first part has 55 pt left on its page, the next ones 100 pt.
    Rows 1–3 are one merged run whose label needs 70 pt.
    - Part 1: header + row 0 = 30 pt; row 1 would add 20 pt and its label's 70 − 20 = 50 pt: 100 > 55.
    - Part 2: header + rows 1–3 = 70 pt, and the label needs 70 − 60 = 10 pt more: 80; row 4 makes it 100, which
      still fits.
    - Part 3: row 5, since 100 + 20 > 100."""
    assert plan_parts([20.0] * 6, 10.0, 55.0, 100.0, [(1, 3, 70.0)]) == [[0], [1, 2, 3, 4], [5]]


def test_a_run_cut_by_a_page_needs_its_label_again_on_the_next():
    """Rows 0–3 in one run whose label needs 50 pt, on 60 pt pages with a 10 pt header.
    - Rows 0–1: 10 + 40, and the label needs 10 more: 60.
    - Row 2 would make 70, so it starts the next part.
    - There rows 2–3 take 25 pt, but the label needs its 50 pt again: 10 + 50 = 60."""
    assert plan_parts([20.0, 20.0, 20.0, 5.0], 10.0, 60.0, 60.0, [(0, 4, 50.0)]) == [[0, 1], [2, 3]]


def plainly(heights, header, first, page, runs):
    """The rule as written in plan_parts' docstring, every part summed over every run afresh."""
    parts, room = [[]], first

    def height(rows):
        total = header + sum(heights[r] for r in rows)
        for start, count, need in runs:
            inside = [r for r in rows if start <= r < start + count]
            if inside:
                total += max(0.0, need - sum(heights[r] for r in inside))
        return total

    for row in range(len(heights)):
        if parts[-1] and height(parts[-1] + [row]) > room:
            parts, room = parts + [[]], page
        parts[-1].append(row)
    return parts


QUARTERS = st.integers(1, 400).map(lambda q: q / 4)  # quarter points add up exactly in any order


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(QUARTERS, min_size=1, max_size=60), QUARTERS, st.integers(1, 300), st.integers(40, 300), st.data())
def test_parts_are_those_of_the_rule_written_plainly(heights, header, first, page, data):
    runs = data.draw(st.lists(st.tuples(st.integers(0, len(heights) - 1), st.integers(1, 12), QUARTERS), max_size=30))
    assert plan_parts(heights, header, first, page, runs) == plainly(heights, header, first, page, runs)
