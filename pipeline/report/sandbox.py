"""The sandbox every template runs in — report templates, narrative text in unit.yaml, the Word form — and its budget.

Jinja's immutable sandbox refuses Python internals and changes to the data. It does not bound size or time, so this
one adds a budget, defined here once: no text or list a template builds may pass LARGEST_TEXT (checked before the
operations that could build more — padding, repetition, replacement, joining — and after every other), and the
templates of one run may take at most MOST_STEPS loop turns and calls and RENDER_SECONDS of rendering. Exceeding
any of them stops the run with a TemplateError that names the template and line."""
from __future__ import annotations

import re
import time
import types
from contextlib import contextmanager
from functools import update_wrapper, wraps
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import EscapeFormatter, Markup

LARGEST_TEXT = 1_000_000  # characters (or items) of any text or list a template builds, the whole report included
MOST_STEPS = 1_000_000  # loop turns and calls in all the templates of one run; a real report takes a few thousand
RENDER_SECONDS = 30  # time spent rendering templates in one run; a real report takes well under a second
LARGEST_POWER = 10**12  # the largest result of **
LARGEST_INT_BITS = 1024  # the largest integer a product may give (about 300 digits)


class BudgetExceeded(jinja2.exceptions.SecurityError):
    """A template went over the run's budget of size, steps or time."""


class Budget:
    """What is left of a run's rendering budget: steps, and seconds counted only while a template renders."""

    def __init__(self, steps: int = MOST_STEPS, seconds: float = RENDER_SECONDS):
        self.steps, self.seconds = steps, seconds
        self.deadline: float | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        if self.deadline is not None:  # a block or macro inside a render already being timed
            yield
            return
        start = time.monotonic()
        self.deadline = start + self.seconds
        try:
            yield
        finally:
            self.seconds -= time.monotonic() - start
            self.deadline = None

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise BudgetExceeded(f"模板的循环和调用超过 {MOST_STEPS} 次（资源限制）")
        self.tick()

    def tick(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(f"模板渲染超过 {RENDER_SECONDS} 秒（资源限制）")


def too_large(size: int, what: str = "生成的文字或列表") -> None:
    if size > LARGEST_TEXT:
        raise BudgetExceeded(f"{what}超过 {LARGEST_TEXT} 个字符或项（资源限制）")


def estimated(estimate: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """What `estimate` says, or 0 when the arguments do not fit: the call itself then fails with its own message."""
    try:
        return estimate(*args, **kwargs)
    except (TypeError, ValueError, AttributeError):
        return 0


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


CONTAINERS = (list, tuple, dict, set, frozenset)


def text_size(value: Any, limit: int = LARGEST_TEXT) -> int:
    """About how many characters `value` takes as text (str() of a list shows every item, a shared one each time);
    the count stops soon after passing `limit`, so a list of a million copies of a long text costs a few steps."""
    size, stack = 0, [value]
    while stack and size <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            size += len(item) + 2
        elif isinstance(item, dict):
            size += 2 + 2 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, CONTAINERS):
            size += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, int):
            size += item.bit_length() // 3 + 2
        else:
            size += 2
    return size


def shown_size(value: Any) -> int:
    """The length of a text, or the text_size of anything else."""
    return len(value) if isinstance(value, (str, bytes)) else text_size(value)


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


class BudgetedCode(CodeGenerator):
    """Compiled templates count every loop turn and check the size of every `~` concatenation."""

    def visit_For(self, node: nodes.For, frame) -> None:
        node.iter = nodes.Call(nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None, lineno=node.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")

    def _sized_literal(self, visit: Callable[..., None], node: nodes.Expr, frame) -> None:
        """A list, tuple or dict written in a template ([a, a, a]) is checked like one built by an operation."""
        if getattr(node, "ctx", "load") != "load":
            return visit(node, frame)
        self.write("environment.sized(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame) -> None:
        self._sized_literal(super().visit_List, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame) -> None:
        self._sized_literal(super().visit_Tuple, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame) -> None:
        self._sized_literal(super().visit_Dict, node, frame)


class BudgetFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        too_large(max((int(n) for n in re.findall(r"\d+", format_spec)), default=0), "格式化的宽度或精度")
        return super().format_field(value, format_spec)


class BudgetEscapeFormatter(BudgetFormatter, EscapeFormatter):
    pass


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a budget (see the module's doc); one per run, so the budget is the run's."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = BudgetedCode

    def __init__(self, *args: Any, budget: Budget | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.budget = budget or Budget()
        self.globals["lipsum"] = self.guarded(
            generate_lorem_ipsum, lambda n=5, html=True, min=20, max=100: _int(n) * _int(max) * 12)

    # -- time and steps
    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        __self.budget.step()
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        plain = {key: value for key, value in kwargs.items() if key not in ("_block_vars", "_loop_vars")}
        if isinstance(owner, (str, bytes, int)) and not isinstance(owner, bool):
            if name == "join" and args:
                args = (list(args[0]),) + args[1:]
                too_large(sum(len(x) if isinstance(x, (str, bytes)) else 0 for x in args[0])
                          + len(owner) * max(len(args[0]) - 1, 0))
            elif name in METHOD_SIZES:
                too_large(estimated(METHOD_SIZES[name], owner, *args, **plain))
        result = super().call(__context, __obj, *args, **kwargs)
        too_large(text_size(result))
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.tick()
        return super().getitem(obj, argument)

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """A loop's items, each one a step of the budget."""
        for item in iterable:
            self.budget.step()
            yield item

    # -- size
    def sized(self, value: Any) -> Any:
        if isinstance(value, str):  # the common case, counted exactly
            too_large(len(value))
        else:
            too_large(text_size(value))
        return value

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]  # every render, block and macro body
        with self.budget.running():
            kept, size = [], 0
            for piece in pieces:
                size += len(piece)
                too_large(size, "模板输出的文字")
                kept.append(piece)
            return "".join(kept)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        sized = [(v, n) for v, n in ((left, right), (right, left)) if isinstance(v, (str, list, tuple))]
        if operator == "*" and sized and isinstance(sized[0][1], int):
            too_large(shown_size(sized[0][0]) * sized[0][1], "重复生成的文字或列表")
        if operator == "*" and isinstance(left, int) and isinstance(right, int) and (
                left.bit_length() + right.bit_length() > LARGEST_INT_BITS):
            raise BudgetExceeded("乘积过大（资源限制）")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)) and (
                abs(right) > 64 or abs(left) ** min(abs(right), 64) > LARGEST_POWER):
            raise BudgetExceeded("乘方结果过大（资源限制）")
        if operator == "%" and isinstance(left, str):
            too_large(percent_size(left, right), "格式化的文字")
        result = super().call_binop(context, operator, left, right)
        return self.sized(result) if operator == "+" else result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map through a formatter that refuses huge widths (Jinja's own, otherwise)."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or value.__name__ not in (
                "format", "format_map") or not isinstance(value.__self__, str):
            return None
        text: str = value.__self__
        formatter = (BudgetEscapeFormatter(self, escape=text.escape) if isinstance(text, Markup)
                     else BudgetFormatter(self))

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format_map":
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(text)(self.sized(formatter.vformat(text, args, kwargs)))

        return update_wrapper(wrapper, value)

    # -- filters
    def guarded(self, function: Callable[..., Any], estimate: Callable[..., int] | None = None) -> Callable[..., Any]:
        """`function` (a filter or global) checked against the budget: its likely size before, its result after."""
        passes = 1 if getattr(function, "jinja_pass_arg", None) else 0

        @wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            self.budget.tick()
            if estimate is not None:
                too_large(estimated(estimate, *args[passes:], **kwargs))
            return self.sized(function(*args, **kwargs))

        return checked

    def guard_filters(self) -> None:
        """Every filter (Jinja's and ours) under the budget; call after all filters are registered."""
        for name, function in list(self.filters.items()):
            self.filters[name] = self.guarded(function, FILTER_SIZES.get(name))
        join = self.filters["join"]

        @jinja2.pass_eval_context
        def joined(eval_ctx, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
            items = list(value)
            if attribute is not None:
                items = list(map(make_attrgetter(eval_ctx.environment, attribute), items))
            too_large(sum(shown_size(item) for item in items[:LARGEST_TEXT + 1]) + len(str(d)) * max(len(items) - 1, 0))
            return join(eval_ctx, items, d)

        self.filters["join"] = joined


def sandbox(**options: Any) -> ReportSandbox:
    """A strict sandbox (undefined names are errors) with the budget; `options` as for jinja2.Environment."""
    return ReportSandbox(undefined=jinja2.StrictUndefined, **options)
