"""A unit's own template (or the text in its unit.yaml) is untrusted: the sandbox refuses Python internals, changes to
the data, files outside the template folders and runaway ranges; each refusal is a TemplateError in Chinese that
names the template and line, and no file is written."""
from __future__ import annotations

import re

import pytest

from pipeline.__main__ import main
from pipeline.errors import TemplateError
from pipeline.run import build

OWN = "inputs/huadu/2023/templates/department/report.md.j2"
# the hostile text lands on line 5 of the unit's template
CHAPTER = '{%% extends "default/department/report.md.j2" %%}\n{%% block problems %%}\n## 存在的主要问题\n\n%s\n{%% endblock %%}\n'
INTERNAL = "模板不能使用 Python 内部属性"
MUTATION = "模板不能使用 会修改数据的方法"
NO_FILE = "不允许用“..”或绝对路径读取其他文件"


def chapter(body: str) -> str:
    return CHAPTER % body


def case(body: str, line: int, *refused: str, whole: bool = False, id: str):
    return pytest.param(body if whole else chapter(body), line, refused, id=id)


HOSTILE = [
    # attribute walks towards Python internals
    case("{{ unit.__class__ }}", 5, "dict 对象的“__class__”", INTERNAL, id="unit.__class__"),
    case("{{ unit.__class__.__mro__[1].__subclasses__() }}", 5, "“__class__”", INTERNAL, id="__subclasses__"),
    case("{{ scores.__init__.__globals__ }}", 5, "dict 对象的“__init__”", INTERNAL, id="scores.__init__.__globals__"),
    case("{{ ''.__class__.__base__ }}", 5, "str 对象的“__class__”", INTERNAL, id="str.__class__.__base__"),
    case("{{ cycler.__init__.__globals__.os }}", 5, "“__init__”", INTERNAL, id="cycler.__globals__.os"),
    case("{{ lipsum.__globals__ }}", 5, "function 对象的“__globals__”", INTERNAL, id="lipsum.__globals__"),
    case("{{ self._TemplateReference__context }}", 5, "“_TemplateReference__context”", INTERNAL,
         id="self._TemplateReference__context"),
    case("{{ unit.model_dump.__func__ }}", 5, "dict 对象没有“model_dump”", id="model_dump.__func__"),
    case("{{ range(3).__class__ }}", 5, "range 对象的“__class__”", INTERNAL, id="range.__class__"),
    case("{{ (figures.measures).__class__ }}", 5, "dict 对象的“__class__”", INTERNAL, id="measures.__class__"),
    case('{{ "{0.__class__}".format(unit) }}', 5, "dict 对象的“__class__”", INTERNAL, id="str.format walk"),
    case('{{ unit | attr("__class__") }}', 5, "dict 对象的“__class__”", INTERNAL, id="attr filter"),
    case('{{ unit["__class__"] }}', 5, "dict 对象的“__class__”", INTERNAL, id="subscript walk"),
    case('{{ "%s" % unit.__class__ }}', 5, "dict 对象的“__class__”", INTERNAL, id="percent format walk"),
    # changes to the data the report is built from
    case("{{ figures.measures.clear() }}", 5, "dict 对象的“clear”", MUTATION, id="measures.clear"),
    case('{{ text.update({"x": 1}) }}', 5, "dict 对象的“update”", MUTATION, id="text.update"),
    case('{% set _ = facts.pop("A11") %}', 5, "dict 对象的“pop”", MUTATION, id="facts.pop"),
    # files outside the template folders
    case('{% include "/etc/passwd" %}', 5, "找不到模板“/etc/passwd”", NO_FILE, id="include absolute"),
    case('{% include "../../../../etc/passwd" %}', 5, "找不到模板“../../../../etc/passwd”", NO_FILE,
         id="include dotdot"),
    case('{% include "../unit.yaml" %}', 5, "找不到模板“../unit.yaml”", NO_FILE, id="include unit.yaml"),
    case('{% include "common/../../../etc/passwd" %}', 5, "找不到模板“common/../../../etc/passwd”", NO_FILE,
         id="include dotdot inside"),
    case('{% extends "../../../../../etc/hostname" %}\n', 1, "找不到模板“../../../../../etc/hostname”", NO_FILE,
         whole=True, id="extends dotdot"),
    case('{% import "/proc/self/environ" as x %}', 5, "找不到模板“/proc/self/environ”", NO_FILE,
         id="import absolute"),
    # resource abuse
    case("{{ range(10**9) | list | length }}", 5, "range() 的范围过大，沙箱最多允许 100000 项", id="huge range"),
    case("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", 5, "模板递归过深", id="endless recursion"),
    # a plain Python error while rendering is the template's problem too, not a traceback
    case("{{ 1 / 0 }}", 5, "模板出错：ZeroDivisionError", id="division by zero"),
    # typos
    case("{{ scroes.total }}", 5, "未定义的名称“scroes”", "可用的名称：", "scores", id="typo"),
]


def hostile(project, template: str) -> None:
    own = project / OWN
    own.parent.mkdir(parents=True)
    own.write_text(template, encoding="utf-8")


def refused(project) -> str:
    with pytest.raises(TemplateError) as caught:
        build(project, "huadu")
    assert type(caught.value) is TemplateError
    assert not (project / "output").exists()
    message = str(caught.value)
    assert re.search(r"[\u4e00-\u9fff]", message)
    for internal in ("Traceback", "<class", "<function", "<module", "__builtins__", "root:", "environ("):
        assert internal not in message
    return message


@pytest.mark.slow
@pytest.mark.parametrize(("template", "line", "refusal"), HOSTILE)
def test_a_hostile_unit_template_is_refused_and_nothing_is_written(project, template, line, refusal):
    hostile(project, template)
    message = refused(project)
    assert message.startswith(f"report.md.j2:第{line}行：")
    for part in refusal:
        assert part in message


def test_the_command_line_reports_a_refusal_without_a_traceback(project, capsys):
    hostile(project, chapter("{{ cycler.__init__.__globals__.os }}"))
    assert main(["--root", str(project), "report", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("模板错误：report.md.j2:第5行：") and INTERNAL in err
    assert not (project / "output").exists()


def with_problems_text(project, value: str) -> None:
    """Replace the 存在的主要问题 block of the unit's 正文 by one quoted line."""
    path = project / "inputs/huadu/2023/unit.yaml"
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(r"^  存在的主要问题: \|\n(?:    .*\n|\n)+?(?=  \S)", f"  存在的主要问题: {value}\n",
                             text, flags=re.MULTILINE)
    assert count == 1
    path.write_text(changed, encoding="utf-8")


@pytest.mark.parametrize(("value", "refusal"), [
    pytest.param('"{{ 数.__class__ }}"', ("dict 对象的“__class__”", INTERNAL), id="internals"),
    pytest.param('"{{ 数.不存在 }}"', ("不存在的项", "“不存在”", "make figures"), id="unknown name"),
    pytest.param('"{{ 数.预算执行律 }}"', ("“预算执行律”", "相近的可引用名称：", "预算执行率"), id="close name"),
    pytest.param('"{{ range(10**9) | list }}"', ("range() 的范围过大",), id="huge range"),
])
def test_hostile_narrative_text_names_unit_yaml_and_the_key(project, value, refusal):
    with_problems_text(project, value)
    message = refused(project)
    assert message.startswith("unit.yaml 正文.存在的主要问题：")
    for part in refusal:
        assert part in message


def test_narrative_text_may_still_quote_figures(project):
    with_problems_text(project, '"总分{{ 数.总分 }}，等级{{ 数.等级 }}。"')
    _, written = build(project, "huadu", formats=("md",))
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "## 三、存在的主要问题\n\n总分96.82分，等级优。\n" in report


@pytest.mark.parametrize(("value", "twice"), [
    ('"总分{{ 数.总分 }}分。"', "{{ 数.总分 }} 已带单位（印作“96.82分”），其后手写的“分”会重复；删去“分”"),
    ('"预算执行率为{{ 数.预算执行率 }}%。"', "手写的“%”会重复"),
    ('"全年支出{{ 数[\'决算数\'] }} 万元。"', "手写的“万元”会重复"),
    ('"全年支出{{ 数.决算数|元 }}元。"', "手写的“元”会重复"),
])
def test_a_unit_typed_after_a_figure_that_prints_its_own_is_refused(project, value, twice):
    # text written for the old quotes (a bare number, the unit typed after it) would print 96.82分分: said instead
    with_problems_text(project, value)
    message = refused(project)
    assert message.startswith("unit.yaml 正文.存在的主要问题：") and twice in message


def test_an_ordinary_unit_template_still_renders(project):
    hostile(project, (
        '{% import "common/macros.md.j2" as t %}\n'
        '{% from "default/common/macros.md.j2" import signature %}\n'
        "# {{ title | md }}\n\n"
        "## 自评结论\n\n"
        "总分{{ scores.total | score }}分：{% for b in scores.blocks %}{{ b.name }}{{ '、' if not loop.last }}{% endfor %}。\n\n"
        "{{ text.get(\"存在的主要问题\", \"\") }}\n\n"
        "编号示例：{{ 3 | ordinal }}{{ 2 | ordinal(2) }}\n\n"
        "{{ t.score_table(score_sheet, framework.name ~ '评分表') }}\n\n"
        "{{ signature(unit) }}\n"))
    # the unit keeps only the 正文 its own template prints (any other key would be refused, not dropped)
    unit = project / "inputs/huadu/2023/unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[:text.index("正文:\n") + 4] + text[text.index("  存在的主要问题:"):text.index("  下一步改进措施:")]
                    + text[text.index("\n# 以下数字用于计算和核对"):], encoding="utf-8")
    _, written = build(project, "huadu", formats=("md",))
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# 广州市花都区卫生健康局2023年度部门整体支出绩效自评报告\n\n## 一、自评结论\n\n"
                             "总分96.82分：履职效能、管理效率。\n\n一是部分下属医疗机构")
    assert "编号示例：三、（二）\n" in report
    assert "**表1-1 花都区部门整体支出绩效评价指标体系评分表**" in report
    assert "| 合计 |  |  | 100 |  |  |  | 96.82 | 自评等级：优 |" in report
    assert "广州市花都区卫生健康局\n\n2024年4月15日" in report


def test_an_overridden_chapter_may_use_the_default_macros(project):
    hostile(project, chapter('{% import "common/macros.md.j2" as m %}{{ scores.total | score }}分。'
                             '{{ m.signature(unit) }}'))
    _, written = build(project, "huadu", formats=("md",))
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "## 三、存在的主要问题\n\n96.82分。" in report


@pytest.mark.parametrize("expression, reason", [
    ('{{ ("x" * 10**9) | length }}', "超过 1000000 个字符或项"),
    ('{{ ("x" * 10000000) | length }}', "超过 1000000 个字符或项"),
    ('{{ [1] * 5000000 }}', "超过 1000000 个字符或项"),
    ("{{ 10**10**10 }}", "乘方结果过大"),
])
def test_huge_products_and_powers_are_refused_before_they_are_built(project, expression, reason):
    own = project / "inputs/huadu/2023/templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").write_text(
        '{% extends "default/department/report.md.j2" %}\n{% block problems %}\n\n' + expression + "\n{% endblock %}\n",
        encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build(project, "huadu")
    assert "report.md.j2:第4行" in str(caught.value) and reason in str(caught.value)
    assert not (project / "output").exists()


BUDGET = "（资源限制）"


@pytest.mark.parametrize("expression", [
    # string methods that pad or repeat
    '{{ "x".ljust(3*10**9) }}', '{{ "x".rjust(10**8) }}', '{{ "x".center(3*10**9) }}', '{{ "7".zfill(10**8) }}',
'{{ ("x"*900000).replace("x", "yy") }}', '{{ "-".join(["x"*600000]*2) }}',
    # format padding, in each spelling
    '{{ "{:>9999999999}".format("x") }}', '{{ "{0:{1}}".format("x", 10**9) }}', '{{ "%10000000000s" % "x" }}',
    '{{ "%*d" % (10**9, 1) }}', '{{ "%.*f" % (10**9, 1.0) }}', '{{ "%(a)99999999s" % {"a": 1} }}',
    '{{ "%s" | format("x") | center(10**8) }}',
    # filters and globals that build text
    '{{ "x" | center(10**8) }}', '{{ "x" | indent(10**9) }}', '{{ ("x\\n" * 400000) | indent(100) }}',
    '{{ ("x" * 999999) | wordwrap(1, wrapstring="yyyyyy") }}', '{{ lipsum(10**6) }}', '{{ lipsum(10000, false, 100, 1000) }}',
    '{{ range(99999) | map("string") | join("x" * 100) }}', '{{ (range(99999) | list) | batch(10**9, "x") | list }}',
    # joining and doubling what is already large
    '{% set s = "x" * 900000 %}{{ s ~ s }}', '{% set s = "x" * 900000 %}{{ s + s }}',
    '{% set ns = namespace(s="x") %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}',
    # lists whose text is huge although they hold few objects
    '{{ ["x" * 999999] * 999999 }}', '{{ (["x" * 999999] * 999999) | string }}', '{{ (["x" * 999999] * 999) | tojson }}',
    '{% set a = ["x" * 99999] %}{% set b = [a, a, a, a, a, a, a, a, a, a] %}{{ [b, b] | length }}',
    '{% set a = ["x" * 99999] %}{{ {1: a, 2: a, 3: a, 4: a, 5: a, 6: a, 7: a, 8: a, 9: a, 10: a, 11: a, 12: a, 13: a, 14: a, '
    '15: a, 16: a, 17: a, 18: a, 19: a, 20: a} | length }}',  # 2 million: over the limit and the report's data
    '{{ dict(a=["x" * 999999] * 2) | length }}', '{{ "%s" % (["x" * 999999] * 999,) }}',
    # numbers
    "{{ (10**100) * (10**100) }}", "{{ 9**9**9 }}", "{{ 2 ** 1000 }}",
    # loops and calls without end
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    '{% macro m() %}{% for i in range(1000) %}{{ caller() }}{% endfor %}{% endmacro %}'
    '{% call m() %}{% call m() %}{% call m() %}x{% endcall %}{% endcall %}{% endcall %}',
])
@pytest.mark.slow
def test_every_way_of_building_huge_text_or_running_long_is_stopped(project, expression):
    hostile(project, chapter(expression))
    message = refused(project)
    assert message.startswith("report.md.j2:第5行：超出模板的资源限制："), message
    assert message.endswith(BUDGET)


@pytest.mark.parametrize("expression", [
    '{{ "x".ljust(10**9) }}', '{{ ["x" * 999999] * 999999 }}', "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
])
@pytest.mark.slow
def test_narrative_text_has_the_same_budget(project, expression):
    with_problems_text(project, f"'{expression}'")
    message = refused(project)
    assert message.startswith("unit.yaml 正文.存在的主要问题：超出模板的资源限制：") and BUDGET in message


def test_the_budget_leaves_real_templates_alone(project):
    """Long but reasonable work — a 600,000-character text, 90,000 loop turns — is no budget matter."""
    hostile(project, chapter('{{ ("x" * 600000) | length }}-{% for i in range(300) %}{% for j in range(300) %}'
                             '{% endfor %}{% endfor %}{{ "%-8s|" % "a" }}{{ "{:>6}".format(12) }}{{ "ab".center(6) }}'))
    _, written = build(project, "huadu", formats=("md",))
    assert "600000-a       |    12  ab\n" in (written[0].parent / "report.md").read_text(encoding="utf-8")


def test_the_time_budget_stops_a_render_that_runs_too_long():
    """The budget's seconds are the run's: with none left, the first loop turn stops the render."""
    from pipeline.report.budget import Budget, BudgetExceeded
    from pipeline.report.sandbox import sandbox

    env = sandbox(budget=Budget(seconds=0))
    with pytest.raises(BudgetExceeded) as caught:
        env.from_string("{% for i in range(1000) %}{{ i }}{% endfor %}").render()
    assert "秒（资源限制）" in str(caught.value)
    env = sandbox(budget=Budget(steps=10))
    with pytest.raises(BudgetExceeded) as caught:
        env.from_string("{% for i in range(5) %}{% for j in range(5) %}{% endfor %}{% endfor %}").render()
    assert "循环和调用" in str(caught.value)
