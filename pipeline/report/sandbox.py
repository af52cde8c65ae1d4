"""The sandbox every template runs in — report templates, narrative text in unit.yaml, the Word form — and its budget.

Templates see plain data only (plain.py): str, int, Decimal, bool, None, tuples and dicts, and figures with their
unit (Quantity, whose operators follow the rules of units). On these the sandbox allows
a named few pure, bounded methods (SAFE_METHODS) and nothing else; Jinja's own objects (loop, macros, namespace …)
keep the rules of Jinja's immutable sandbox; any other object is refused outright. A dict's keys come before its
methods (d.items is the key "items" when d has one). No template can make or print inf, nan or an undefined value.
Jinja's sandbox does not bound size or time, so this one adds a budget (budget.py): no text or list a template builds may
pass MAX_TEMPLATE_TEXT beyond the size of the data its render was given (checked before the operations that could
build more — padding, repetition, replacement, joining, adding lists — and after every other; what a render has
measured is remembered for that render, so data read again is not walked again), and the templates of one run may
take at most MAX_TEMPLATE_STEPS loop turns and calls and RENDER_SECONDS of rendering. Exceeding any of them stops the
run with a TemplateError that names the template and line."""
from __future__ import annotations

import math
import re
import types
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import update_wrapper, wraps
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.environment import TemplateModule
from jinja2.filters import make_attrgetter
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum
from markupsafe import EscapeFormatter, Markup

from ..figures.quantity import Quantity
from ..limits import MAX_INT_BITS, MAX_POWER, MAX_TEMPLATE_DATA, MAX_TEMPLATE_TEXT
from .budget import (
    FILTER_SIZES,
    METHOD_SIZES,
    Budget,
    BudgetExceeded,
    estimated,
    lipsum_size,
    percent_size,
)

# the only attributes a template may read, and methods it may call, on the plain types; nothing else on them
_TEXT_TESTS = "isalnum isalpha isascii isdecimal isdigit islower isnumeric isspace istitle isupper"
SAFE_METHODS: dict[type, frozenset[str]] = {  # looked up in this order: a subclass before its base
    jinja2.filters._GroupTuple: frozenset(["grouper", "list", "index", "count"]),  # what {% for g in x|groupby %} reads
    str: frozenset(f"""startswith endswith strip lstrip rstrip split rsplit splitlines partition rpartition replace join
        format format_map upper lower title capitalize count find rfind index rindex removeprefix removesuffix
        center ljust rjust zfill {_TEXT_TESTS}""".split()),  # replace, join, padding and format are size-checked
    dict: frozenset(["get", "items", "keys", "values"]),
    list: frozenset(["index", "count"]),
    tuple: frozenset(["index", "count"]),
    bool: frozenset(), int: frozenset(), float: frozenset(), Decimal: frozenset(), type(None): frozenset(),
    Quantity: frozenset(),  # a number with its unit: printed, converted by filters, computed with by operators only
}
# Jinja's own objects a template works with: Jinja's immutable sandbox rules for them
JINJA_OWN = (LoopContext, Macro, TemplateModule, TemplateReference, BlockReference, Namespace, Cycler, Joiner,
             jinja2.Undefined)
VIEWS = {"items", "keys", "values"}  # dict methods whose views become tuples, so a template only ever holds plain data
# methods that would change a list, dict or set: named as such when refused
MUTATORS = frozenset("""append extend insert pop popitem remove reverse sort clear update setdefault add discard
    difference_update intersection_update symmetric_difference_update""".split())


def allowed_names(obj: Any) -> frozenset[str] | None:
    """The attributes a template may use on `obj` when it is one of the plain types (None when it is not)."""
    for kind, names in SAFE_METHODS.items():
        if isinstance(obj, kind):
            return names
    return None


class Refused(jinja2.exceptions.SecurityError):
    """Something a template may not make or print, said in Chinese."""


class ReportUndefined(jinja2.StrictUndefined):
    """Strict, and not printable inside a list either: “[Undefined]” is an error like the name on its own."""

    __repr__ = jinja2.StrictUndefined._fail_with_undefined_error


def finite(value: Any) -> Any:
    """`value`, unless it is a number that is not finite (inf, nan), which no report may print."""
    if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
        raise Refused("模板算出的结果不是有限数（无穷大或非数）：报告中不能出现这样的数，请检查除数和数值的大小")
    return value


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
        widest = max((int(n) for n in re.findall(r"\d+", format_spec)), default=0)
        cast(ReportSandbox, self._env).budget.over(widest, "格式化的宽度或精度")
        return super().format_field(value, format_spec)


class BudgetEscapeFormatter(BudgetFormatter, EscapeFormatter):
    pass


class ReportTemplate(jinja2.Template):
    """A template whose every render is budgeted on the data it is given (Budget.reading)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with cast(ReportSandbox, self.environment).budget.reading(dict(*args, **kwargs)):
            return super().render(*args, **kwargs)


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a budget (see the module's doc); one per run, so the budget is the run's."""

    intercepted_binops = frozenset(["*", "**", "+", "%", "-", "/", "//"])
    code_generator_class = BudgetedCode
    template_class = ReportTemplate

    def __init__(self, *args: Any, budget: Budget | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.budget = budget or Budget()
        self.globals["lipsum"] = self.guarded(
            generate_lorem_ipsum, lipsum_size)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """A template whose literal is not a finite number (1e999) is refused when it is read."""
        tree = super()._parse(source, name, filename)
        for const in tree.find_all(nodes.Const):
            if isinstance(const.value, float) and not math.isfinite(const.value):
                raise jinja2.TemplateSyntaxError("模板中写的数字超出范围，不是有限数（无穷大或非数），报告中不能出现这样的数",
                                                 const.lineno, name, filename)
        return tree

    # -- what a template may touch
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        allowed = allowed_names(obj)
        if allowed is not None:
            return attr in allowed
        return isinstance(obj, JINJA_OWN) and super().is_safe_attribute(obj, attr, value)

    # -- time and steps
    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        __self.budget.step()
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        plain = {key: value for key, value in kwargs.items() if key not in ("_block_vars", "_loop_vars")}
        if isinstance(owner, (str, bytes, int)) and not isinstance(owner, bool):
            if name == "join" and args and isinstance(owner, (str, bytes)):
                args = (list(args[0]),) + args[1:]
                __self.budget.over(sum(len(x) if isinstance(x, (str, bytes)) else 0 for x in args[0])
                          + len(owner) * max(len(args[0]) - 1, 0))
            elif name in METHOD_SIZES:
                __self.budget.over(estimated(METHOD_SIZES[name], owner, *args, **plain))
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(owner, dict) and name in VIEWS:
            result = tuple(result)
        __self.budget.over(__self.budget.size(result))
        return finite(result)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        if isinstance(obj, dict) and attribute in obj:  # the data's own key before a method of the same name
            return obj[attribute]
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
            self.budget.over(len(value))
        else:
            self.budget.over(self.budget.size(value))
        return value

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]  # every render, block and macro body
        with self.budget.running():
            kept, size = [], 0
            for piece in pieces:
                size += len(piece)
                self.budget.over(size, "模板输出的文字")
                kept.append(piece)
            return "".join(kept)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        sized = [(v, n) for v, n in ((left, right), (right, left)) if isinstance(v, (str, list, tuple))]
        if operator == "*" and sized and isinstance(sized[0][1], int):
            self.budget.over(self.budget.shown(sized[0][0]) * sized[0][1], "重复生成的文字或列表")
        if operator == "*" and isinstance(left, int) and isinstance(right, int) and (
                left.bit_length() + right.bit_length() > MAX_INT_BITS):
            raise BudgetExceeded("乘积过大（资源限制）")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)) and (
                abs(right) > 64 or abs(left) ** min(abs(right), 64) > MAX_POWER):
            raise BudgetExceeded("乘方结果过大（资源限制）")
        if operator == "%" and isinstance(left, str):
            self.budget.over(percent_size(left, right), "格式化的文字")
        if operator == "+" and type(left) is type(right) and type(left) in (list, tuple):
            return self.added_lists(left, right)
        result = finite(super().call_binop(context, operator, left, right))
        return self.sized(result) if operator == "+" else result

    def added_lists(self, left: Any, right: Any) -> Any:  # two lists, or two tuples
        """left + right, its size counted from theirs (one pair of brackets less) before it is built, so a list that
        grows by + in a loop is not walked whole at every turn."""
        size = self.budget.size(left) + self.budget.size(right) - 2
        self.budget.over(size)
        result = left + right
        if self.budget.measured is not None:
            self.budget.measured.remember(result, size, size)
        return result

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
                kwargs, args = args[0], ()
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
                self.budget.over(estimated(estimate, *args[passes:], **kwargs))
            return finite(self.sized(function(*args, **kwargs)))

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
            self.budget.over(sum(self.budget.shown(item) for item in items[:MAX_TEMPLATE_TEXT + MAX_TEMPLATE_DATA + 1])
                      + len(str(d)) * max(len(items) - 1, 0))
            return join(eval_ctx, items, d)

        self.filters["join"] = joined


def sandbox(kind: type[ReportSandbox] = ReportSandbox, **options: Any) -> ReportSandbox:
    """A strict sandbox (undefined names are errors) with the budget; `options` as for jinja2.Environment."""
    return kind(undefined=ReportUndefined, **options)
