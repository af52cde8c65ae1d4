"""The Jinja side of rendering: where templates are found, the strict read-only sandbox, and refusals in Chinese."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from ..errors import TemplateError, nth_line
from ..inputs import models as m
from .filters import filters
from .markdown_text import UnknownReference, number_headings, tidy

DEFAULTS = Path(__file__).resolve().parent.parent / "templates"


def template_dirs(unit_folder: Path | None, group: str | None = None) -> list[Path]:
    """Where templates, styles and forms are looked for: the unit's own folder, its group's, then the defaults."""
    if unit_folder is None:
        return [DEFAULTS]
    own = [unit_folder / "templates"] if (unit_folder / "templates").is_dir() else []
    if group is None:
        return own + [DEFAULTS]
    groups = unit_folder.parent.parent / "templates"
    if not (groups / group).is_dir():
        found = "、".join(sorted(p.name for p in groups.iterdir() if p.is_dir())) if groups.is_dir() else "无"
        raise TemplateError(f"unit.yaml 模板组“{group}”不存在：应为 inputs/templates/{group}/；现有模板组：{found}")
    return own + [groups / group, DEFAULTS]


LARGEST_TEXT = 1_000_000  # characters or items a template may build with * ; a whole report is far smaller
LARGEST_POWER = 10**12


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, also refusing huge products and powers (and so never folding them at compile time)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        sized = [(v, n) for v, n in ((left, right), (right, left)) if isinstance(v, (str, list, tuple))]
        if operator == "*" and sized and isinstance(sized[0][1], int) and len(sized[0][0]) * sized[0][1] > LARGEST_TEXT:
            raise jinja2.exceptions.SecurityError(f"重复生成的文字或列表超过 {LARGEST_TEXT} 项")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)) and (
                abs(right) > 64 or abs(left) ** min(abs(right), 64) > LARGEST_POWER):
            raise jinja2.exceptions.SecurityError("乘方结果过大")
        return super().call_binop(context, operator, left, right)


class CompiledTemplates(jinja2.BytecodeCache):
    """Each template compiled once per process, kept by file and checked against its source's hash: a batch
    of units compiles the defaults once, and a changed or unit-own template is compiled anew."""

    LARGEST = 512  # templates kept; a batch of units with templates of their own cannot grow it without bound

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self.compiled) >= self.LARGEST:
            self.compiled.clear()
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def environment(search: list[Path], unit: m.Unit) -> SandboxedEnvironment:
    """Strict, sandboxed Jinja: a unit's own folder first, then the defaults, and 'default/…' always the defaults.

    The immutable sandbox refuses Python internals (__class__, __globals__ …) and changes to the data;
    FileSystemLoader refuses absolute paths and '..', so no file outside the template folders is read."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(p) for p in search]),
        jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(DEFAULTS))}),
    ])
    env = ReportSandbox(loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                        trim_blocks=True, lstrip_blocks=True, autoescape=False, bytecode_cache=COMPILED)
    env.filters.update(filters(unit))
    return env


def render_markdown(env: SandboxedEnvironment, name: str, data: dict[str, Any]) -> str:
    try:
        text = env.get_template(name).render(data)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{nth_line(exc.lineno)}：模板语法错误：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_where(exc)}：{refusal(exc)}；可用的名称：" + "、".join(sorted(data))) from None
    except Exception as exc:
        where = _where(exc, None)
        if where is None and not isinstance(exc, (jinja2.TemplateError, OverflowError)):
            raise  # not raised while running a template: a fault of the program, not of the template
        cause = None if isinstance(exc, jinja2.TemplateError) else exc  # keep a Python error's cause for debugging
        raise TemplateError(f"{where or '模板'}：{refusal(exc)}") from cause
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
    if isinstance(exc, jinja2.exceptions.SecurityError):
        found = re.fullmatch(r"access to attribute '(.*)' of '(.*)' object is unsafe\.", message)
        if found is None:
            return f"沙箱拒绝了不安全的操作（{message}）"
        attribute, kind = found.groups()
        what = "Python 内部属性" if attribute.startswith("_") else "会修改数据的方法"
        return f"沙箱拒绝访问 {kind.rsplit('.', 1)[-1]} 对象的“{attribute}”（模板不能使用 {what}）"
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
    return f"模板出错：{type(exc).__name__}：{message}"
