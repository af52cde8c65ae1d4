"""The Jinja side of rendering: where templates are found, the strict read-only sandbox, and refusals in Chinese."""
from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from ..deadline import memory_cap
from ..errors import InputError, TemplateError, nth_line
from ..figures.quantity import QuantityError
from ..inputs import models as m
from ..inputs.files import located
from ..limits import size_text
from .budget import Budget, BudgetExceeded
from .compiled import CompiledTemplates, cache_folder
from .filters import filters, functions
from .markdown_text import UnknownReference, number_headings, tidy
from .sandbox import MUTATORS, SAFE_METHODS, Refused, ReportSandbox, sandbox
from .template_files import DEFAULTS, read_text, shown


class ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from the given folders only: a file whose real path lies outside `roots` (a symlink out of inputs/)
    is refused, and a file that is not UTF-8 is a located error rather than a traceback."""

    def __init__(self, searchpath: list[Path], roots: tuple[Path, ...]):
        super().__init__([str(p) for p in searchpath])
        self.roots = roots

    def get_source(self, environment: jinja2.Environment, template: str):
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            real = located(path, self.roots)
            if real is not None:
                source = read_text(real, shown(path))
                mtime = real.stat().st_mtime
                return source, str(path), lambda real=real, mtime=mtime: real.exists() and real.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)


class Syntax(TypedDict):
    """How a report template's text is read (jinja2.Environment's options of that name)."""

    keep_trailing_newline: bool
    trim_blocks: bool
    lstrip_blocks: bool
    autoescape: bool


COMPILED = CompiledTemplates(cache_folder())
# how a report template's text is read: the same for every run, so a template's syntax tree depends on its text alone
SYNTAX: Syntax = {"keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True, "autoescape": False}


def environment(search: list[Path], unit: m.Unit, roots: tuple[Path, ...] = (DEFAULTS,),
                budget: Budget | None = None) -> ReportSandbox:
    """Strict, sandboxed Jinja with a budget: a unit's own folder first, then the defaults, and 'default/…' always
    the defaults.

    The immutable sandbox refuses Python internals (__class__, __globals__ …) and changes to the data; the loader
    refuses absolute paths, '..' and symlinks out of `roots`, so no file outside the template folders is read."""
    loader = jinja2.ChoiceLoader([
        ConfinedLoader(search, roots),
        jinja2.PrefixLoader({"default": ConfinedLoader([DEFAULTS], (DEFAULTS,))}),
    ])
    env = sandbox(loader=loader, **SYNTAX, budget=budget, bytecode_cache=COMPILED)
    env.filters.update(filters(unit))
    env.globals.update({name: env.guarded(function) for name, function in functions().items()})
    env.guard_filters()
    return env


def render_markdown(env: SandboxedEnvironment, name: str, data: dict[str, Any]) -> str:
    try:
        text = env.get_template(name).render(data)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{nth_line(exc.lineno)}：模板语法错误：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_where(exc)}：{refusal(exc)}；可用的名称：" + "、".join(sorted(data))) from None
    except (TemplateError, InputError) as exc:  # a template file refused by the loader (a link out, not UTF-8)
        where = _where(exc, None)
        raise (TemplateError(f"{where}：{exc}") if where else exc) from None
    except Exception as exc:
        where = _where(exc, None)
        if where is None and not isinstance(exc, (jinja2.TemplateError, OverflowError)):
            raise  # not raised while running a template: a fault of the program, not of the template
        cause = None if isinstance(exc, jinja2.TemplateError) else exc  # keep a Python error's cause for debugging
        raise TemplateError(f"{where or name}：{refusal(exc)}") from cause
    try:
        return tidy(number_headings(text))
    except UnknownReference as exc:
        raise TemplateError(f"{name}：{exc}") from None


def _where(exc: BaseException, default: str | None = "模板") -> str | None:
    """The template file and line a Jinja runtime error came from, read off its traceback."""
    tb, found = exc.__traceback__, default
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            line = template.get_corresponding_lineno(tb.tb_lineno) if template else tb.tb_lineno
            found = f"{Path(code.co_filename).name}:{nth_line(line)}"
        tb = tb.tb_next
    return found


def refusal(exc: BaseException) -> str:
    """What a template tried and the sandbox refused (or what failed), said in Chinese."""
    import re

    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"找不到模板“{exc.name}”：模板只能按相对路径引用单位、模板组和默认模板文件夹中的模板，"
                "不允许用“..”或绝对路径读取其他文件")
    if isinstance(exc, TemplateError):
        return str(exc)
    if isinstance(exc, BudgetExceeded):
        return f"超出模板的资源限制：{message}"
    if isinstance(exc, MemoryError):  # past the process's cap (deadline.cap_memory): many large texts kept at once
        cap = memory_cap()
        return (f"超出模板的资源限制：内存不足{f'（一次运行最多 {size_text(cap)}）' if cap else ''}，"
                "模板同时保留了太多或太大的文字或列表")
    if isinstance(exc, (Refused, QuantityError)):
        return message
    if isinstance(exc, jinja2.exceptions.SecurityError):
        found = re.fullmatch(r"access to attribute '(.*)' of '(.*)' object is unsafe\.", message)
        if found is None:
            return f"沙箱拒绝了不安全的操作（{message}）"
        attribute, kind = found.groups()
        kind = kind.rsplit(".", 1)[-1]
        if attribute.startswith("_") or attribute in MUTATORS:
            what = "Python 内部属性" if attribute.startswith("_") else "会修改数据的方法"
            return f"沙箱拒绝访问 {kind} 对象的“{attribute}”（模板不能使用 {what}）"
        allowed = next((names for cls, names in SAFE_METHODS.items() if cls.__name__ == kind), None)
        usable = ("、".join(sorted(allowed)) if allowed else "无") if allowed is not None else None
        return (f"沙箱拒绝访问 {kind} 对象的“{attribute}”（模板只能读取数据，并使用少数允许的方法"
                + (f"；{kind} 对象可用的方法：{usable}）" if usable is not None else "）"))
    if isinstance(exc, jinja2.UndefinedError):
        if found := re.fullmatch(r"'(.*)' is undefined", message):
            return f"模板使用了未定义的名称“{found.group(1)}”"
        if found := re.fullmatch(r"'(.*) object' has no (?:attribute|element) '?(.*?)'?", message):
            return f"模板引用了不存在的项：{found.group(1).rsplit('.', 1)[-1]} 对象没有“{found.group(2)}”"
        return f"模板使用了未定义的名称（{message}）"
    if isinstance(exc, OverflowError) and "MAX_RANGE" in message:
        return f"range() 的范围过大，沙箱最多允许 {jinja2.sandbox.MAX_RANGE} 项"
    if isinstance(exc, RecursionError):
        return "模板递归过深（宏或 include 在反复调用自身）"
    if isinstance(exc, ArithmeticError) and "<class" in message:  # decimal's own signals
        return f"模板中的计算出错：{type(exc).__name__}（数值超出范围或无法计算）"
    return f"模板出错：{type(exc).__name__}：{message}"
