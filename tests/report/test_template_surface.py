"""What a template can reach is plain data and nothing else: report templates, the check report's template, narrative
text and the Word form are handed str, int, Decimal, bool, None, tuples and dicts of them, built once per run; the
sandbox allows a named few methods on those types. The escapes that went through pydantic's methods (evaluating text,
unpickling, reading any file) are tried from each place a unit can write to and must all be refused, located."""
from __future__ import annotations

import functools
import itertools
import time
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.__main__ import main
from pipeline.errors import TemplateError
from pipeline.figures.catalogue import quotes
from pipeline.figures.quantity import Quantity
from pipeline.report.context import context
from pipeline.report.jinja import environment, render_markdown
from pipeline.report.sandbox import SAFE_METHODS, ReportUndefined, allowed_names
from pipeline.report.template_files import DEFAULTS
from pipeline.run import check, evaluate
from tests.conftest import ROOT, copy_inputs
from tests.report.test_jinja_sandbox import with_problems_text

UNITS = sorted((p.parent.name, p.name) for p in (ROOT / "inputs").glob("*/[0-9][0-9][0-9][0-9]") if p.is_dir())
JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
OUR_FUNCTIONS = {"share", "status_counts", "target_text", "attainment", "numbered"}


def impure(value, path: str, found: list[str]) -> list[str]:
    """The places under `value` that hold anything but plain data, each as “path: type”."""
    if value is None or type(value) in (str, int, bool, Decimal, Quantity):
        return found
    if type(value) is tuple:
        for i, item in enumerate(value):
            impure(item, f"{path}[{i}]", found)
    elif type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                found.append(f"{path} key {key!r}: {type(key).__name__}")
            impure(item, f"{path}.{key}", found)
    else:
        found.append(f"{path}: {type(value).__name__}")
    return found


@pytest.fixture
def rendered(monkeypatch):
    """Every context a template is rendered with during a run: (template name, environment, the data)."""
    seen: list[tuple[str, jinja2.Environment, dict]] = []
    original = jinja2.Template.render

    def render(self, *args, **kwargs):
        seen.append((self.name or "", self.environment, dict(*args, **kwargs)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize(("dept", "year"), UNITS)
def test_every_template_context_of_every_bundled_unit_is_plain_data(tmp_path, rendered, dept, year):
    root = copy_inputs(tmp_path)
    with_quote(root / "inputs" / dept / year / "unit.yaml")
    kind = check(root, dept).inputs.unit.kind
    names = [name for name, _, _ in rendered]
    assert f"{kind}/report.md.j2" in names and "common/checks.md.j2" in names
    assert any("数" in data for _, _, data in rendered)  # the narrative text
    assert kind == "department" or any(not name and "funds" in data for name, _, data in rendered)  # the form
    for name, env, data in rendered:
        assert impure(data, name or "<文字>", []) == []
        assert set(env.globals) == JINJA_GLOBALS | OUR_FUNCTIONS
        for function in OUR_FUNCTIONS:  # ours, guarded, returning plain data
            assert env.globals[function].__wrapped__.__module__ in ("pipeline.report.filters", "pipeline.report.sentences") \
                or function == "share"


def with_quote(unit_yaml: Path) -> None:
    """A narrative key that quotes a figure, so the narrative's own context is rendered too (a key the report
    template reads and the unit has not written: any other is refused)."""
    text = unit_yaml.read_text(encoding="utf-8")
    marker = "\n正文:\n"
    assert marker in text
    read = ("前言", "机构设置", "收支情况说明") if "报告类型: department" in text else ("前言", "资金分配方式", "产出指标说明")
    key = next(key for key in read if f"\n  {key}:" not in text)
    unit_yaml.write_text(text.replace(marker, marker + f"  {key}: \"总分{{{{ 数.总分 }}}}\"\n", 1), encoding="utf-8")


# ---------------------------------------------------------------- the escapes through pydantic's methods

SECRET = "CANARY-plain-单位以外的文件"
PICKLE = "cos\\nsystem\\n(S'touch RAN'\\ntR."  # protocol 0: os.system("touch RAN") when unpickled
ESCAPES = {
    "apply_typevars_map": "{{ X.model_fields['name'].apply_typevars_map({'T': \"__import__('os').system('touch RAN')\"}) }}",
    "parse_raw pickle": "{{ X.parse_raw(\"" + PICKLE + "\", proto='pickle', allow_pickle=True) }}",
    "parse_file": "{{ X.parse_file('CANARY').name }}",
    "format walk": "{{ '{0.parse_file}'.format(X) }}",
    "attr filter": "{{ (X | attr('parse_file'))('CANARY') }}",
}
SURFACES = {  # where a unit writes template text: the names it sees there, and how its error is located
    "report": (("unit", "scores", "framework", "facts", "figures", "scores.blocks[0]", "indicators[0]"),
               r"report.md.j2:第\d+行"),
    "checks": (("unit", "checks", "findings"), r"checks.md.j2:第\d+行"),
    "narrative": (("数", "数.总分"), "unit.yaml 正文.存在的主要问题"),
}


def plant(root: Path, surface: str, body: str) -> None:
    unit = root / "inputs/huadu/2023"
    if surface == "report":
        own = unit / "templates/department/report.md.j2"
        own.parent.mkdir(parents=True, exist_ok=True)
        own.write_text('{% extends "default/department/report.md.j2" %}\n{% block problems %}\n' + body
                       + "\n{% endblock %}\n", encoding="utf-8")
    elif surface == "checks":
        group = root / "inputs/templates/probe/common/checks.md.j2"
        group.parent.mkdir(parents=True, exist_ok=True)
        group.write_text("# 核对\n\n" + body + "\n", encoding="utf-8")
        path = unit / "unit.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n模板组: probe\n", encoding="utf-8")
    else:
        with_problems_text(root, "'" + body.replace("'", "''") + "'")


@pytest.mark.slow
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("escape", ESCAPES)
def test_no_escape_through_the_data_works_from_any_template_surface(tmp_path, monkeypatch, capsys, surface, escape):
    root = copy_inputs(tmp_path)
    canary = tmp_path / "secret" / "canary.txt"
    canary.parent.mkdir()
    # a file a Unit could be read from: parse_file that worked would give a unit whose name is the secret
    canary.write_text(f'{{"单位名称": "{SECRET}", "报告类型": "department", "年度": 2023, "评价体系": "x"}}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # `touch RAN` would create tmp_path/RAN
    names, located = SURFACES[surface]
    for name in names:
        plant(copy_inputs(tmp_path / name.replace(".", "_").replace("[", "_").replace("]", "")), surface,
              ESCAPES[escape].replace("X", name).replace("CANARY", str(canary)))
    for name in names:
        folder = tmp_path / name.replace(".", "_").replace("[", "_").replace("]", "")
        assert main(["--root", str(folder), "check", "huadu"]) == 2
        out, err = capsys.readouterr()
        assert err.startswith("模板错误："), err
        assert __import__("re").search(located, err), err
        assert SECRET not in out + err and "Traceback" not in err
        assert not (folder / "output").exists()
    assert not (tmp_path / "RAN").exists()
    del root


# ---------------------------------------------------------------- everything a template can reach, at random

@functools.cache
def surface(dept: str, year: int, folder: str):
    """The report's environment and data for a bundled unit, the narrative's 数 beside them, rendering from `folder`."""
    result = evaluate(ROOT, dept, year, False)
    env = environment([Path(folder)], result.inputs.unit, (Path(folder), DEFAULTS))
    data = context(env, result)
    unit = result.inputs.unit
    return env, {**data, "数": quotes(result.quoted, unit.money_separators, unit.money_places)}


def keys_in(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if len(found) < 400:
                found.add(key)
            keys_in(item, found)
    elif isinstance(value, tuple):
        for item in value[:3]:
            keys_in(item, found)
    return found


HOSTILE_NAMES = """model_fields parse_raw parse_file apply_typevars_map model_dump model_construct __class__ __init__
    __globals__ __dict__ __self__ __func__ __reduce__ __getattribute__ mro __subclasses__ encode decode translate
    expandtabs maketrans copy fromkeys update clear pop setdefault append to_bytes from_bytes as_integer_ratio sqrt exp ln
    quantize gi_frame f_globals real numerator isoformat strftime amount unit last places separators to number _with
    _like""".split()
METHODS = sorted({name for names in SAFE_METHODS.values() for name in names})
ARGUMENTS = ["", '"x"', "0", "1", "-1", '"__class__"', '"punycode"', '"总分"', "none", '"", ""', '"a", "b"']
FUNCTIONS = ["share(1, 3)", "share(scores.total, scores.weight)", "status_counts(scores.leaves)",
             "target_text(facts.values() | first)",
             "attainment(scores.leaves | first, facts.values() | first)", "numbered(scores.leaves[0].name)",
             "dict(a=1)", "namespace(a=1)", "cycler(1, 2)", "range(3)"]


def step(names: list[str]):
    return st.one_of(
        st.sampled_from(names + HOSTILE_NAMES + METHODS).map(lambda n: "." + n),
        st.sampled_from(names + HOSTILE_NAMES + ["0", "1", "-1"]).map(
            lambda n: f"[{n}]" if n.lstrip("-").isdigit() else f"[{n!r}]"),
        st.sampled_from(ARGUMENTS).map(lambda a: f"({a})"),
        st.sampled_from(["| list", "| first", "| attr('parse_file')", "| map(attribute='name') | list", "| string",
                         "| dictsort", "| groupby('name') | first", "| items | list"]).map(lambda f: " " + f),
    )


def reachable_value(value) -> bool:
    """Plain data (lists too: str.split gives one), a refusal waiting to be used, or an allowed method of plain data."""
    if isinstance(value, ReportUndefined):
        return True
    owner = getattr(value, "__self__", None)
    if callable(value) and owner is not None and allowed_names(owner) is not None:
        return value.__name__ in allowed_names(owner)
    if callable(value) and getattr(value, "__wrapped__", None) is not None:  # str.format through the budget
        return value.__name__ in ("format", "format_map")
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, list):
        return all(reachable_value(v) for v in value)
    if isinstance(value, (jinja2.utils.Namespace, jinja2.utils.Cycler)):
        return True  # made by the template itself with Jinja's own globals
    if isinstance(value, range):
        return True
    if isinstance(value, jinja2.filters._GroupTuple):  # what groupby yields: Jinja's own, its grouper and list plain
        return all(reachable_value(v) for v in value)
    return impure(value, "", []) == [] or (type(value) is tuple and all(reachable_value(v) for v in value))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("fuzz"))


COUNTER = itertools.count()


@pytest.mark.parametrize(("dept", "year"), [("huadu", 2023), ("shaoguan", 2024)])
@settings(max_examples=150, deadline=None, derandomize=True,  # the same chains every run: CI never flakes
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(data=st.data())
def test_random_chains_reach_only_plain_data_or_a_refusal(folder, dept, year, data):
    env, values = surface(dept, year, folder)
    names = sorted(keys_in(values, set()))
    start = data.draw(st.sampled_from(sorted(values) + FUNCTIONS))
    chain = start + "".join(data.draw(st.lists(step(names), min_size=1, max_size=6)))
    try:
        value = env.compile_expression(chain, undefined_to_none=False)(**values)
    except jinja2.TemplateSyntaxError:
        return  # a chain the grammar does not allow (a filter after a call on a filter, …)
    except (jinja2.TemplateError, TypeError, ValueError, LookupError, ArithmeticError, AttributeError):
        value = None  # refused, or an ordinary error on the data: as a template, a located TemplateError (below)
    assert reachable_value(value), (chain, type(value))
    name = f"f{next(COUNTER)}.md.j2"
    Path(folder, name).write_text("{{ " + chain + " }}\n", encoding="utf-8")
    try:
        render_markdown(env, name, values)
    except TemplateError as exc:
        assert type(exc) is TemplateError and str(exc).startswith((name, "模板")), (chain, str(exc))


# ---------------------------------------------------------------- text that takes long or cannot be printed

@pytest.mark.parametrize("expression", [
    '("x" * 20000).encode("punycode")', '("x" * 20000).encode("idna")', '("x" * 20000) | attr("encode")',
    '("\\t" * 20000).expandtabs(100)', '("x" * 20000).translate({120: "yy"})', '"{}".format(("x" * 20000).encode)',
])
@pytest.mark.slow
def test_slow_or_unbounded_text_methods_are_refused_at_once(project, expression):
    own = project / "inputs/huadu/2023/templates/department/report.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text('{% extends "default/department/report.md.j2" %}\n{% block problems %}\n{{ ' + expression
                   + " }}\n{% endblock %}\n", encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        check(project, "huadu")
    assert time.monotonic() - start < 10
    assert str(caught.value).startswith("report.md.j2:第3行：沙箱拒绝访问 str 对象的“"), str(caught.value)


@pytest.mark.parametrize(("expression", "refusal"), [
    ("1e999", "不是有限数"), ("-1e999", "不是有限数"), ('"inf" | float', "不是有限数"), ('"nan" | float', "不是有限数"),
    ('["1e999"] | map("float") | list', "不是有限数"), ("1e308 * 10.0", "不是有限数"), ("-1e308 - 1e308", "不是有限数"),
    ("1e308 / 1e-308", "不是有限数"), ('[1e308, 1e308] | sum', "不是有限数"),
    ("[unit.nothing]", "没有“nothing”"), ('"%s" % [unit.nothing]', "没有“nothing”"), ("[nothing] | string", "“nothing”"),
    ('{"a": nothing}', "“nothing”"), ("[nothing] | join", "“nothing”"), ("[[nothing]] | pprint", "“nothing”"),
])
@pytest.mark.slow
def test_inf_nan_and_undefined_are_never_printed(project, expression, refusal):
    own = project / "inputs/huadu/2023/templates/department/report.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text('{% extends "default/department/report.md.j2" %}\n{% block problems %}\n{{ ' + expression
                   + " }}\n{% endblock %}\n", encoding="utf-8")
    assert main(["--root", str(project), "check", "huadu"]) == 2
    with pytest.raises(TemplateError) as caught:
        check(project, "huadu")
    message = str(caught.value)
    assert "report.md.j2:第3行：" in message and refusal in message, message
    for shown in ("inf", "nan", "Undefined"):
        assert shown not in message.split("report.md.j2:第3行：", 1)[1]


@pytest.mark.slow
@pytest.mark.parametrize("marks", ["- ", "> ", "1. ", "* > ", "- > 1. "])
def test_deeply_nested_markdown_is_a_located_error(project, marks):
    own = project / "inputs/huadu/2023/templates/department/report.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text('{% extends "default/department/report.md.j2" %}\n{% block problems %}\n{{ "' + marks
                   + '" * 3000 }}x\n{% endblock %}\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        from pipeline.run import build
        build(project, "huadu", formats=("md", "docx"))
    message = str(caught.value)  # refused before pandoc (deep marks), or after it (a tree too deep)
    assert message.startswith("inputs/huadu/2023/templates/department/report.md.j2：") and "嵌套" in message
    assert not (project / "output").exists()


@pytest.mark.slow
def test_nested_markdown_a_real_report_writes_is_fine(project):
    """Lists in quotes in lists, ten levels deep, are far from the bound."""
    own = project / "inputs/huadu/2023/templates/department/report.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text('{% extends "default/department/report.md.j2" %}\n{% block problems %}\n'
                   + "- > 1. " * 4 + "最深处\n{% endblock %}\n", encoding="utf-8")
    from pipeline.run import build
    _, written = build(project, "huadu", formats=("md", "docx"))
    assert "最深处" in (written[0].parent / "report.md").read_text(encoding="utf-8")


def test_a_dict_key_comes_before_a_dict_method():
    from pipeline.report.sandbox import sandbox

    env = sandbox()
    data = {"d": {"items": "键的值", "get": "另一个"}}
    assert env.from_string("{{ d.items }}|{{ d.get }}|{{ d['items'] }}").render(data) == "键的值|另一个|键的值"
    assert env.from_string("{{ d.values() | list | length }}").render(data) == "2"
    assert env.compile_expression("e.items()")(e={"a": 1, "b": 2}) == (("a", 1), ("b", 2))  # a tuple, not a view


def test_what_templates_commonly_do_still_works():
    """groupby's groups, loop and namespace, format and filters over plain records: Jinja's own objects keep working."""
    from pipeline.report.sandbox import sandbox

    xs = ({"level": 1, "n": "a"}, {"level": 1, "n": "b"}, {"level": 2, "n": "c"})
    template = ('{% for g in xs | groupby("level") %}{{ g.grouper }}:{{ g.list | map(attribute="n") | join(",") }};'
                '{% endfor %}{% for x in xs %}{{ loop.index }}{{ loop.cycle("a", "b") }}{% endfor %}'
                '{% set ns = namespace(i=0) %}{% set ns.i = 3 %}{{ ns.i }}|{{ "%.2f" | format(1.5) }}|{{ "{:>3}".format("x") }}|'
                '{{ xs[0].n.upper() }}{{ xs | selectattr("level", "equalto", 2) | map(attribute="n") | first }}'
                '{{ xs | sort(attribute="n", reverse=true) | map(attribute="n") | join }}|{{ "a,b".split(",") | length }}')
    assert sandbox().from_string(template).render(xs=xs) == "1:a,b;2:c;1a2b3a3|1.50|  x|Accba|2"


# ---------------------------------------------------------------- a figure with its unit: its operations, nothing more

UNIT_FIGURES = {  # baoshan 2022: 120 人 × 300 元/人 = 36,000 元 = 3.60 万元; last year's 3.30 万元 (assumed)
    "人数": Quantity(Decimal(120), "人", separators=True), "标准": Quantity(Decimal(300), "元/人", separators=True),
    "资金": Quantity(Decimal("3.60"), "万元", separators=True, last=Quantity(Decimal("3.30"), "万元")),
}


@pytest.mark.parametrize(("body", "printed"), [
    ("{{ 数.资金 }}", "3.60万元"),
    ("{{ 数.资金|元 }}", "36,000元"),
    ("{{ 数.资金|亿元 }}", "0.00亿元"),
    ("{{ (数.人数 * 数.标准)|万元 }}（{{ 数.人数 }}×{{ 数.标准 }}）", "3.60万元（120人×300元/人）"),
    ("{{ 数.资金|变化 }}，{{ 数.资金|增减 }}", "增长9.09%，增加0.30万元"),  # 0.30 / 3.30 = 9.09%
    ("{{ 数.资金|变化(数.人数 * 数.标准) }}", "持平"),
    ("{{ 数.资金 / (数.人数 * 数.标准) }}", "100.00%"),
    ("{{ 数.资金 * 2 }}，{{ -数.资金 }}，{{ 数.资金|abs }}", "7.20万元，-3.60万元，3.60万元"),
    ("{{ '多' if 数.资金 > 数.人数 * 数.标准 else '不多' }}", "不多"),
])
def test_a_figure_with_its_unit_prints_converts_and_computes(tmp_path, body, printed):
    result = evaluate(ROOT, "huadu", 2023, False, compare=False)
    env = environment([tmp_path], result.inputs.unit, (tmp_path, DEFAULTS))
    (tmp_path / "q.md.j2").write_text(body + "\n", encoding="utf-8")
    assert render_markdown(env, "q.md.j2", {"数": UNIT_FIGURES}).strip() == printed


@pytest.mark.parametrize(("body", "said"), [
    ("{{ 数.资金.amount }}", "Quantity 对象的“amount”"),
    ("{{ 数.资金.to('元') }}", "Quantity 对象的“to”"),
    ("{{ 数.资金.last }}", "Quantity 对象的“last”"),
    ("{{ 数.资金.__class__ }}", "Python 内部属性"),
    ("{{ 数.资金.number() }}", "Quantity 对象的“number”"),
    ("{{ 数.资金 + 1 }}", "不带单位"),
    ("{{ 数.资金 + 数.人数 }}", "单位不同"),
    ("{{ 数.人数 * 数.人数 }}", "没有意义"),
    ("{{ 数.资金 / 0 }}", "除数为零"),
    ("{{ 数.资金 * 10 ** 20 }}", "过大"),
    ("{{ 数.资金|int }}", "不能转为"),  # not Jinja's silent 0
    ("{{ 数.资金|round }}", "不能转为"),
    ("{{ 数.人数|元 }}", "只有金额"),
    ("{{ 数.人数|变化 }}", "没有上年的数"),
])
def test_a_figure_with_its_unit_allows_nothing_else(tmp_path, body, said):
    result = evaluate(ROOT, "huadu", 2023, False, compare=False)
    env = environment([tmp_path], result.inputs.unit, (tmp_path, DEFAULTS))
    (tmp_path / "q.md.j2").write_text(body + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as refused:
        render_markdown(env, "q.md.j2", {"数": UNIT_FIGURES})
    assert said in str(refused.value) and str(refused.value).startswith("q.md.j2:第1行")
