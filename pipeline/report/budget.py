"""The budget of a run's templates, defined once: the largest text or list a template may build, the loop turns and
calls and the seconds all templates of one run may take, and the sizes operations would build, worked out before
they run."""
from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import jinja2

from ..limits import MAX_TEMPLATE_DATA, MAX_TEMPLATE_STEPS, MAX_TEMPLATE_TEXT, RENDER_SECONDS


class BudgetExceeded(jinja2.exceptions.SecurityError):
    """A template went over the run's budget of size, steps or time."""


class Budget:
    """What is left of a run's rendering budget: steps, and seconds counted only while a template renders."""

    def __init__(self, steps: int = MAX_TEMPLATE_STEPS, seconds: float = RENDER_SECONDS):
        self.steps, self.seconds = steps, seconds
        self.deadline: float | None = None
        self.measured: Measured | None = None  # the sizes met in the render under way, if one is
        self.data: Any = None  # what the render under way was given
        self.given: int | None = None  # its size, measured when first needed

    def allowance(self) -> int:
        """What the render's data raises the limit by: its size, up to MAX_TEMPLATE_DATA. A list of the data's parts
        (a block's leaves) is no new text, and printing all of it is no abuse; measured only once a size passes
        MAX_TEMPLATE_TEXT, so that a report of ordinary size never walks its data."""
        if self.given is None:
            self.given = min(text_size(self.data, MAX_TEMPLATE_DATA, self.measured), MAX_TEMPLATE_DATA) if self.data else 0
        return self.given

    @contextmanager
    def reading(self, data: Any) -> Iterator[None]:
        """A render of `data` (a template's render call)."""
        before = self.data, self.given
        self.data, self.given = data, None
        try:
            yield
        finally:
            self.data, self.given = before

    def over(self, size: int, what: str = "生成的文字或列表") -> None:
        """Refuse `size` beyond the render's limit."""
        if size > MAX_TEMPLATE_TEXT and size > MAX_TEMPLATE_TEXT + self.allowance():
            extra = f"，另加模板得到的数据的 {self.given} 个" if self.given else ""
            raise BudgetExceeded(f"{what}超过 {MAX_TEMPLATE_TEXT} 个字符或项{extra}（资源限制）")

    def size(self, value: Any) -> int:
        """text_size, with what the render under way has already measured, counted up to the limit."""
        size = text_size(value, MAX_TEMPLATE_TEXT, self.measured)
        if size > MAX_TEMPLATE_TEXT and self.allowance():
            size = text_size(value, MAX_TEMPLATE_TEXT + self.allowance(), self.measured)
        return size

    def shown(self, value: Any) -> int:
        """The length of a text, or the size of anything else."""
        return len(value) if isinstance(value, (str, bytes)) else self.size(value)

    @contextmanager
    def running(self) -> Iterator[None]:
        if self.deadline is not None:  # a block or macro inside a render already being timed
            yield
            return
        start = time.monotonic()
        self.deadline = start + self.seconds
        self.measured = Measured()
        try:
            yield
        finally:
            self.seconds -= time.monotonic() - start
            self.deadline, self.measured = None, None

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise BudgetExceeded(f"模板的循环和调用超过 {MAX_TEMPLATE_STEPS} 次（资源限制）")
        self.tick()

    def tick(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(f"模板渲染超过 {RENDER_SECONDS} 秒（资源限制）")


def estimated(estimate: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """What `estimate` says, or 0 when the arguments do not fit: the call itself then fails with its own message."""
    try:
        return estimate(*args, **kwargs)
    except (TypeError, ValueError, AttributeError):
        return 0


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def lipsum_size(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> int:  # noqa: A002 (lipsum's names)
    return _int(n) * _int(max) * 12  # paragraphs × words × the longest word and its space


CONTAINERS = (list, tuple, dict, set, frozenset)
REMEMBERED = 32  # the smallest size worth remembering: a smaller container is quicker walked again than looked up


class Measured:
    """The sizes of the lists, tuples and dicts measured during one render, by id, so that data a template reads again
    and again (a block's leaves, in every filter and call that returns them) is walked once. Sound because nothing in
    a render can change a list or dict (the sandbox is immutable and filters build new ones); each remembered object
    is kept alive, so its id is not reused, and what is kept beyond the other kept ones (its own brackets, commas,
    texts and numbers) is at most MAX_TEMPLATE_TEXT in size (all forgotten when more would be), so remembering cannot
    exhaust memory."""

    def __init__(self) -> None:
        self.sizes: dict[int, tuple[Any, int]] = {}  # id → (the object, kept alive; its text_size)
        self.kept = 0

    def remember(self, container: Any, size: int, own: int) -> None:
        """`size`: the container's text_size; `own`: that part of it not in the containers it holds."""
        if size < REMEMBERED or size > MAX_TEMPLATE_TEXT + MAX_TEMPLATE_DATA:  # larger is refused anyway
            return
        if self.kept + own > MAX_TEMPLATE_TEXT:
            self.sizes.clear()
            self.kept = 0
        self.sizes[id(container)] = (container, size)
        self.kept += own


_TWO = frozenset([type(None), bool, Decimal, float])  # what text_size counts as 2 (a bool is an int of 0 or 1 bits)
_CLOSE = object()  # on the walk's stack: every item of the container below it has been counted


def text_size(value: Any, limit: int = MAX_TEMPLATE_TEXT, known: Measured | None = None) -> int:
    """About how many characters `value` takes as text (str() of a list shows every item, a shared one each time);
    the count stops soon after passing `limit`, so a list of a million copies of a long text costs a few steps.
    A container's size is looked up in `known` when it was measured before, and remembered there once counted whole."""
    known = Measured() if known is None else known
    sizes = known.sizes
    size, stack = 0, [value]
    inner = [0]  # for each container being walked (innermost last): the size of the containers in it so far
    while stack and size <= limit:
        item = stack.pop()
        if item is _CLOSE:
            container, whole = stack.pop(), size - stack.pop()
            known.remember(container, whole, whole - inner.pop())
            inner[-1] += whole
        elif isinstance(item, (str, bytes)):
            size += len(item) + 2
        elif isinstance(item, CONTAINERS):
            seen = sizes.get(id(item))
            if seen is not None:
                size += seen[1]
                inner[-1] += seen[1]
                continue
            stack += (size, item, _CLOSE)
            inner.append(0)
            if isinstance(item, dict):
                size += 2 + 2 * len(item)
                try:  # the keys all texts, as in the data a report is given: counted at once
                    size += len("".join(item)) + 2 * len(item)
                    items: Iterable[Any] = item.values()
                except TypeError:
                    items = itertools.chain(item.keys(), item.values())
            else:
                size += 2 + len(item)
                items = item
            for each in items:  # the plain texts and numbers at once, the rest on the stack
                kind = type(each)
                if kind is str:
                    size += len(each) + 2
                elif kind in _TWO:
                    size += 2
                else:
                    stack.append(each)
        elif isinstance(item, int):
            size += item.bit_length() // 3 + 2
        else:
            size += 2
    return size


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")


def percent_size(template: str, values: Any) -> int:
    """How long "template % values" could be: the widths and precisions it asks for, and the values' own text."""
    values = values if isinstance(values, tuple) else (values,)
    numbers = [int(n) for field in _PERCENT_FIELD.findall(template) for n in field if n.isdigit()]
    if any(n == "*" for field in _PERCENT_FIELD.findall(template) for n in field):
        numbers += [v for v in values if isinstance(v, int)]
    return len(template) + max(numbers, default=0) * (len(numbers) or 1) + sum(len(str(v)) for v in values
                                                                                if isinstance(v, str))


def _replace_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    text, old, new = str(text), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _translate_size(text: Any, table: Any) -> int:
    longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1) if isinstance(table, dict) else 1
    return len(text) * max(longest, 1)


# the sizes str/bytes/int methods would build, worked out before they run (self, *args)
METHOD_SIZES: dict[str, Callable[..., int]] = {
    "ljust": lambda s, width=0, *_: _int(width), "rjust": lambda s, width=0, *_: _int(width),
    "center": lambda s, width=0, *_: _int(width), "zfill": lambda s, width=0: _int(width),
    "expandtabs": lambda s, tabsize=8: len(s) + s.count("\t" if isinstance(s, str) else b"\t") * _int(tabsize),
    "replace": _replace_size, "translate": _translate_size, "to_bytes": lambda i, length=1, *_: _int(length),
}
# the same for filters (value, *args)
FILTER_SIZES: dict[str, Callable[..., int]] = {
    "center": lambda value, width=80: _int(width),
    "indent": lambda s, width=4, first=False, blank=False: len(str(s)) + (str(s).count("\n") + 1) * (
        _int(width) if isinstance(width, int) else len(str(width))),
    "wordwrap": lambda s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True: len(str(s)) + (
        len(str(s)) // max(_int(width), 1) + 1) * len(wrapstring or "\n"),
    "format": lambda value, *args, **kwargs: percent_size(str(value), kwargs or args),
    "replace": lambda s, old, new, count=None: _replace_size(s, old, new, -1 if count is None else count),
    "batch": lambda value, linecount, fill_with=None: _int(linecount) if fill_with is not None else 0,
    "slice": lambda value, slices, fill_with=None: _int(slices),
}
