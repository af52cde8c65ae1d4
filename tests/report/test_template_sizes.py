"""The size check of the template sandbox remembers what a render has measured: the same refusals as measuring every
list whole at every call (checked against that definition, written out below), in time that grows with the data, not
with the data times the calls; and a template that grows a list in a loop is still stopped by the size limit, quickly."""
from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.limits import MAX_TEMPLATE_DATA, MAX_TEMPLATE_TEXT
from pipeline.report.budget import Budget, BudgetExceeded, Measured, text_size
from pipeline.report.sandbox import sandbox

from .test_jinja_sandbox import chapter, hostile, refused

TOO_LARGE = f"生成的文字或列表超过 {MAX_TEMPLATE_TEXT} 个字符或项（资源限制）"


def walked(value, limit: int = MAX_TEMPLATE_TEXT) -> int:
    """The definition: every item of every list counted where it stands, a shared one each time, stopping past limit."""
    size, stack = 0, [value]
    while stack and size <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            size += len(item) + 2
        elif isinstance(item, dict):
            size += 2 + 2 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            size += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, int):
            size += item.bit_length() // 3 + 2
        else:
            size += 2
    return size


scalars = st.one_of(st.text(max_size=40), st.integers(-10**30, 10**30), st.booleans(), st.none(),
                    st.decimals(allow_nan=False, allow_infinity=False), st.binary(max_size=5))


def shared(children: st.SearchStrategy) -> st.SearchStrategy:
    """Containers whose items are often the very same object (plain data shares a block's leaves)."""
    return st.one_of(
        st.lists(children, max_size=6), st.lists(children, max_size=6).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(0, 99)), children, max_size=6),
        children.flatmap(lambda one: st.integers(0, 40).map(lambda n: [one] * n)),
        children.flatmap(lambda one: st.just({"a": one, "b": (one, one), "c": [one, {"d": one}]})))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.recursive(scalars, shared, max_leaves=60), min_size=1, max_size=4),
       limit=st.sampled_from([0, 10, 50, 300, 2_000, 20_000]))
def test_sizes_remembered_over_a_render_decide_as_walking_each_whole(values, limit):
    known = Measured()
    values = values + [values, [values[0]] * 3, values[::-1]]  # measured again, alone and inside new lists
    for value in values:
        expected, size = walked(value, limit), text_size(value, limit, known)
        assert size == expected if expected <= limit else size > limit


def test_what_is_remembered_is_kept_alive_and_bounded():
    known = Measured()
    first = ["x" * 100]
    assert text_size(first, known=known) == 2 + 1 + 102
    assert known.sizes[id(first)] == (first, 105)  # kept: its id cannot be reused while it is remembered
    for turn in range(5):  # 600,000 each, three million in all: the oldest are forgotten
        assert text_size([[f"{turn}{i:05}" * 40] for i in range(3000)], known=known) == 2 + 3000 * (1 + 2 + 1 + 242)
        assert known.kept <= MAX_TEMPLATE_TEXT
    assert id(first) not in known.sizes


def test_a_render_forgets_what_it_measured_when_it_ends():
    budget = Budget()
    env = sandbox(budget=budget)
    env.guard_filters()
    assert env.from_string("{{ (data | list + data | list) | length }}").render(data=[["x" * 50]] * 3) == "6"
    assert budget.measured is None


GROWN = [  # each would pass the limit within a few dozen turns, or a few thousand
    '{% set ns = namespace(l=[1]) %}{% for i in range(200) %}{% set ns.l = ns.l + ns.l %}{% endfor %}',
    '{% set ns = namespace(l=("ab",)) %}{% for i in range(200) %}{% set ns.l = ns.l + ns.l %}{% endfor %}',
    '{% set ns = namespace(l=["abc"]) %}{% for i in range(200) %}{% set ns.l = (ns.l + ns.l) | list %}{% endfor %}',
    '{% set ns = namespace(l=[[1, 2]]) %}{% for i in range(200) %}'
    '{% set ns.l = ns.l | list + ns.l | reverse | list %}{% endfor %}',
    '{% set ns = namespace(l=["a"]) %}{% for i in range(200) %}{% set ns.l = [ns.l, ns.l] | list %}{% endfor %}',
    '{% set ns = namespace(l=["a"]) %}{% for i in range(200) %}{% set ns.l = ns.l | batch(1) | list + ns.l %}'
    '{% endfor %}',
    '{% set ns = namespace(d={"a": 1}) %}{% for i in range(200) %}{% set ns.d = {"x": ns.d, "y": [ns.d]} %}'
    '{% endfor %}',
    # one item a turn: measured whole at every turn, this took longer than the time budget
    '{% set ns = namespace(l=[]) %}{% for i in range(99999) %}{% set ns.l = ns.l + ["x" * 100] %}{% endfor %}',
    '{% set ns = namespace(l=()) %}{% for i in range(99999) %}{% set ns.l = ns.l + (i, "x" * 90) %}{% endfor %}',
]


@pytest.mark.parametrize("template", GROWN)
def test_a_list_grown_in_a_loop_is_stopped_by_the_size_limit_quickly(template):
    env = sandbox()
    env.guard_filters()
    start = time.process_time()
    with pytest.raises(BudgetExceeded) as caught:
        env.from_string(template + "{{ ns | string }}").render()
    assert str(caught.value) == TOO_LARGE
    assert time.process_time() - start < 3


def test_a_list_grown_in_a_loop_within_the_limit_is_built():
    env = sandbox()
    env.guard_filters()
    text = env.from_string('{% set ns = namespace(l=[]) %}{% for i in range(5000) %}{% set ns.l = ns.l + [i, "ab"] %}'
                           '{% endfor %}{{ ns.l | length }} {{ ns.l[-2] }}').render()
    assert text == "10000 4999"


def test_data_read_again_and_again_is_not_measured_again():
    """A block of 2,000 leaves listed 500 times: each listing costs its length, not the leaves' whole text."""
    leaves = tuple({"name": f"第{i}项", "points": Decimal("1.25"), "facts": {"target": "100%", "rule": "完成率"},
                    "notes": tuple(f"说明{n}" for n in range(20))} for i in range(2000))
    env = sandbox()
    env.guard_filters()
    start = time.process_time()
    text = env.from_string("{% for i in range(500) %}{{ leaves | list | length }}{% endfor %}").render(leaves=leaves)
    assert text == "2000" * 500
    assert time.process_time() - start < 2  # measured whole each time: 60,000 items × 500, about 6 s


@pytest.mark.slow
def test_a_unit_template_growing_a_list_is_refused_at_its_line(project):
    hostile(project, chapter('{% set ns = namespace(l=[]) %}{% for i in range(99999) %}'
                             '{% set ns.l = ns.l + ["x" * 100] %}{% endfor %}'))
    start = time.process_time()
    message = refused(project)
    # the unit's report data counts on top of the limit (next test): its size is said, whatever it is
    assert re.fullmatch(f"report.md.j2:第5行：超出模板的资源限制：{TOO_LARGE[:-6]}，另加模板得到的数据的 [0-9]+ 个（资源限制）", message)
    assert time.process_time() - start < 10


def test_what_a_render_is_given_is_no_new_text_and_raises_the_limit_by_its_size():
    """A list of the data's parts (a block's leaves) is allowed up to MAX_TEMPLATE_TEXT beyond the data's own size;
    more is refused as before. Sizes by hand (walked above): a text its length + 2; a dict 2 + 2 an entry, and its keys
    and values."""
    text = "x" * 2_000_000
    given = 2 + 2 * 1 + (len("s") + 2) + (2_000_000 + 2)  # {"s": text}: 2,000,009
    env = sandbox()
    env.guard_filters()
    assert env.from_string("{{ [s] | list | length }}").render(s=text) == "1"  # 2,000,005 ≤ 1,000,000 + given
    with pytest.raises(BudgetExceeded) as caught:  # 4,000,007 > 3,000,009
        env.from_string("{{ [s, s] | length }}").render(s=text)
    assert str(caught.value) == f"{TOO_LARGE[:-6]}，另加模板得到的数据的 {given} 个（资源限制）"
    with pytest.raises(BudgetExceeded):  # text built from nothing: the limit as without data
        env.from_string('{{ ("y" * 1_100_000) | length }}').render(s="z")


def test_the_data_raises_the_limit_by_at_most_max_template_data():
    text = "x" * (MAX_TEMPLATE_TEXT + MAX_TEMPLATE_DATA)  # the limit 33,000,000; [text] is 33,000,005
    env = sandbox()
    env.guard_filters()
    with pytest.raises(BudgetExceeded) as caught:
        env.from_string("{{ [s] | length }}").render(s=text)
    assert f"另加模板得到的数据的 {MAX_TEMPLATE_DATA} 个" in str(caught.value)
