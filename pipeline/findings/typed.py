"""Numbers typed by hand in the narrative, compared with the figure they state only when the clause ties them to it
beyond doubt: the figure's name (or a common variant) right before the number, the number's unit fitting the figure's.
A number the clause does not tie is left alone, never reported. 增长/下降 x% is checked against the figure's
computed change, or against the base and the change the sentence itself states; 等级/自评为 + 优良中差 against the grade.
Each sentence is read once; the work is linear in its numbers."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from .. import numbers as n
from ..codes import CHANGE_RATE_MISMATCH, QUOTE_MISMATCH
from ..errors import Location
from ..figures.catalogue import KIND_UNITS, Quotable
from ..figures.quantity import MONEY
from ..inputs import models as m
from .recheck import ERROR, Finding
from .typed_names import NAMED_AFTER, UNIT_NAMES, Target, targets
from .typed_read import Typed, normal, numbers, same_count, unquoted

SENTENCE = re.compile(r"[^。；;！？!?\n]+")
CLAUSE = re.compile(r"(?:[^，,、（）()【】]|(?<=\d),(?=\d{3}))+")  # a thousands separator does not end a clause
# words that may stand before a figure's name without making it the name of something else (基本支出预算执行率 is not 预算执行率)
BEFORE_NAME = ("的", "为", "其中", "部门", "整体", "单位", "本级", "年度", "年", "总体", "项目", "资金", "财政", "我局", "我院", "我委",
               "我中心", "我单位", "本局", "本院", "本单位", "实际", "合计", "评价", "绩效", "及", "和", "与", "是",
               "均", "已", "共", "最终", "评定", "经", "按", "全部")
# nouns that say whose figure it is (某某项目预算资金): the name before them must be the unit's own
NOUN_QUALIFIERS = ("项目", "专项", "单位", "部门")
DETERMINERS = ("本", "我", "该", "全", "整个")
# what may stand between a name and its number: 预算执行率为98.22%, 自评得分：90分
GAP = re.compile(r"(?:\s|为|是|达到|达|共计|共|合计|总计|累计|计|了|：|:|实际完成|实际|完成)*")
# between a subject and the word for which of its figures: 资金管理指标权重, 履职效能模块自评为
BETWEEN = re.compile(r"(?:\s|的|指标|模块|项目|资金|本年度|年度|全年|\d{4}\s*年)*")
# a figure of another period or a goal, not this year's result
OTHER_PERIOD = re.compile(r"季度|半年|\d+\s*月|月底|月末|月份|上年|去年|前年|同期|上一年|往年|历年|目标|计划|预期|预计|标准|要求|考核|拟")
YEAR = re.compile(r"(\d{4})\s*年")
INDICATOR_CONTEXT = re.compile(r"该指标|本指标|此指标|该项指标|此项指标|指标权重|该项")
GRADE = re.compile(r"(?:等级|等次|自评为|评定为|评价为|结果为)[为是：:\s]*[“\"]?(优秀|优|良好|良|中等|中|合格|差|不合格)(?![\u3400-\u9fff])")
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中"}
BASE_MARK = re.compile(r"上年|去年|同期|比|较")
RULE = "叙述中手写的数与计算结果不符"
RULE_CHANGE = "同比增减率与两年数字不符"


def _quote(name: str, pipe: str = "") -> str:
    """How the text quotes a figure (it prints with its unit); `pipe`: a filter after it (元, 变化)."""
    pipe = f"|{pipe}" if pipe else ""
    return f"{{{{ 数.{name}{pipe} }}}}" if name.isidentifier() else f'{{{{ 数["{name}"]{pipe} }}}}'


def _cjk(char: str) -> bool:
    """A Chinese character (CJK Extension A and the Unified Ideographs), compared rather than matched: a regex class of
    these 27,648 characters costs every process about 2 ms to compile."""
    return "\u3400" <= char <= "\u9fff"


def _boundary(text: str, at: int) -> bool:
    """The name found at `at` starts a name of its own, not the tail of a longer one."""
    return at == 0 or not _cjk(text[at - 1]) or text[:at].endswith(BEFORE_NAME)


def _standalone(text: str, at: int, own: tuple[str, ...]) -> bool:
    """_boundary for a figure of the whole unit: a noun before its name (项目, 资金…) must itself stand alone or
    follow the unit's own name, so another's (健全现代医院管理制度项目预算资金, 等项目预算资金) is not the unit's."""
    if not _boundary(text, at):
        return False
    head = text[:at]
    while (word := next((w for w in BEFORE_NAME + ("预算",) if head.endswith(w) and w not in NOUN_QUALIFIERS), None)):
        head = head[:-len(word)]  # back over 预算资金 … to the noun that says whose it is, if any
    noun = next((w for w in NOUN_QUALIFIERS if head.endswith(w)), None)
    if noun is None:
        return True
    head = head[:-len(noun)].rstrip()
    return (not head or not _cjk(head[-1]) or head.endswith(DETERMINERS) or head.endswith(BEFORE_NAME)
            or any(name and head.endswith(name) for name in own))


def _ends(lead: str, word: str) -> int | None:
    """Where `word` starts when only a GAP separates it from the number, else None."""
    at = lead.rfind(word)
    while at >= 0:
        if GAP.fullmatch(lead, at + len(word)):
            return at
        at = lead.rfind(word, 0, at)
    return None


def _subject_before(lead: str, subjects: tuple[str, ...], end: int) -> int | None:
    """Length of the subject written just before position `end` (literally, or its words swapped: 资金配套 for 配套资金)."""
    head = lead[:end]
    for subject in subjects:
        at = head.rfind(subject)
        if at >= 0 and BETWEEN.fullmatch(head, at + len(subject)) and (len(subject) >= 4 or _boundary(head, at)):
            return len(subject)
        tail = head.rstrip()[-len(subject):]
        if len(subject) >= 4 and len(tail) == len(subject) and sorted(tail) == sorted(subject) \
                and _boundary(head, len(head.rstrip()) - len(subject)):
            return len(subject)
    return None


def _weight(target: Target, lead: str, context: str | None, first: bool, own: tuple[str, ...] = ()) -> float | None:
    """How specifically the lead names this figure (longer names win), or None when it does not name it."""
    if context is not None and (not target.node or target.subjects[0] != context):
        return None
    if not target.attributes:  # an indicator's actual value: its name alone, right before the number
        for subject in target.subjects:
            at = _ends(lead, subject)
            if at is not None and (len(subject) >= 4 or _boundary(lead, at)):
                return len(subject)
        return None
    best = None
    for word in target.attributes:
        at = _ends(lead, word)
        if at is None:
            continue
        if context is not None or target.subjects == ("",):
            if context is None and not _standalone(lead, at, own):
                continue
            if context is None and len(word) <= 3 and not first and not lead[:at].strip():
                continue  # “…，执行率95%” after another subject's clause: whose rate is it?
            weight = len(word) + (len(context) if context else 0)
        else:
            named = _subject_before(lead, target.subjects, at)
            if named is None:
                continue
            weight = named + len(word)
        best = max(best or 0, weight)
    if best is None and target.subjects != ("",) and context is None and not target.node:
        named = _subject_before(lead, target.subjects, len(lead) - len(lead[len(lead.rstrip(" 为是：:")):]))
        return named - 0.5 if named else None  # a fund source named alone: all its amounts must agree
    return best


def _fits(target: Target, typed: Typed) -> bool:
    if typed.kind != target.kind:
        return False
    return typed.kind != "个数" or same_count(typed.unit, target.unit)


def _expected(target: Target, typed: Typed) -> Decimal:
    """The figure as it would be written in the typed number's unit and decimals."""
    base = target.value * MONEY[KIND_UNITS["金额（万元）"]] if target.kind == "金额" else target.value
    return (base / typed.factor).quantize(n.step(typed.places), rounding=ROUND_HALF_UP)


def _tie(typed: Typed, lead: str, all_targets: list[Target], context: str | None, names_node: bool,
         first: bool, own: tuple[str, ...] = ()) -> Target | None:
    named = [(w, t) for t in all_targets if _fits(t, typed) and not (names_node and t.name == "总分")
             and (w := _weight(t, lead, context, first, own)) is not None]
    if not named:
        return None
    top = max(w for w, _ in named)
    chosen = [t for w, t in named if w == top]
    values = {_expected(t, typed) for t in chosen}
    # the same words for two figures: the number is one of them, or it is not tied
    return chosen[0] if len(values) == 1 and typed.number not in values else None


def _named_after(typed: Typed, clause_head: str, sentence: str, all_targets: list[Target]) -> Target | None:
    """An amount the clause names only by a word for funds (资金), said of after it (全部到位): the unit's figure,
    when the amount differs from it (as _tie)."""
    for name, (words, after) in NAMED_AFTER.items():
        if clause_head.strip() in words and re.match(after, sentence[typed.end:]):
            target = next((t for t in all_targets if t.name == name and t.kind == typed.kind and t.subjects == ("",)), None)
            return target if target is not None and _expected(target, typed) != typed.number else None
    return None


def _context(before: str, node_names: re.Pattern | None) -> str | None:
    """The indicator a sentence saying 该指标 speaks of: the last one named before it."""
    named = [] if node_names is None else [match.group(0) for match in node_names.finditer(before)]
    return named[-1] if named else None


def check_text(text: str, found: dict[str, Quotable], year: int, where: Location,
               all_targets: list[Target] | None = None, own: tuple[str, ...] = ()) -> list[Finding]:
    """`own`: the unit's and its project's names, which may qualify its figures (高水平医院建设项目预算资金)."""
    # every tied number of one narrative text that differs from its figure; every 增减 and grade that does not follow
    all_targets = targets(found) if all_targets is None else all_targets
    nodes = sorted({t.subjects[0] for t in all_targets if t.node}, key=len, reverse=True)
    node_names = re.compile("|".join(map(re.escape, nodes))) if nodes else None
    text = normal(unquoted(text))
    findings: list[Finding] = []
    for sentence in SENTENCE.finditer(text):
        context = None
        said = INDICATOR_CONTEXT.search(sentence.group(0))
        if said:
            context = _context(text[:sentence.start() + said.start()], node_names)
        findings += _sentence(sentence.group(0), found, all_targets, year, where, said is not None, context, node_names,
                              own)
    return findings


def _sentence(sentence: str, found: dict[str, Quotable], all_targets: list[Target], year: int, where: Location,
              indicator_level: bool, context: str | None, node_names: re.Pattern | None,
              own: tuple[str, ...] = ()) -> list[Finding]:
    findings: list[Finding] = []
    read = numbers(sentence)
    clauses, k = [c.span() for c in CLAUSE.finditer(sentence)], 0
    start = clauses[0][0] if clauses else 0
    for typed in read:  # numbers and clauses walked together: linear in both
        while k < len(clauses) and clauses[k][1] < typed.end:
            k += 1
        if k == len(clauses) or typed.start < clauses[k][0]:
            continue
        clause_start = clauses[k][0]
        start = max(start, clause_start)
        lead, start = sentence[start:typed.start], typed.end
        if typed.condition or typed.direction or not typed.kind or OTHER_PERIOD.search(lead) \
                or any(int(y) != year for y in YEAR.findall(lead)) or (indicator_level and context is None):
            continue
        target = _tie(typed, lead, all_targets, context, bool(node_names and node_names.search(lead)), clause_start == 0,
                      own) or _named_after(typed, sentence[clause_start:typed.start], sentence, all_targets)
        if target is not None:
            unit = KIND_UNITS["金额（万元）"] if target.kind == "金额" else "分" if target.kind == "分" else ""
            # the quote prints the figure with its unit; in the unit the sentence wrote it in, for an amount
            pipe = typed.unit if target.kind == "金额" and typed.unit in MONEY and typed.unit != unit else ""
            findings.append(Finding(QUOTE_MISMATCH, ERROR, RULE, f"写作“{typed.text}”，计算的{target.name}为{target.text}{unit}；"
                                    f"把“{typed.text}”改为引用 {_quote(target.name, pipe)}", where))
    findings += _changes(sentence, read, found, all_targets, where)
    grade = GRADE.search(sentence)
    if grade and not indicator_level and "等级" in found:
        written = GRADE_WORDS.get(grade.group(1), grade.group(1))
        clause = re.split(r"[，,、]", sentence[:grade.start()])[-1]
        if written != found["等级"].text and not OTHER_PERIOD.search(clause):
            findings.append(Finding(QUOTE_MISMATCH, ERROR, RULE, f"写作等级“{grade.group(1)}”，按计算的总分{found['总分'].text}，等级为"
                                    f"“{found['等级'].text}”；改为引用 {_quote('等级')}", where))
    return findings


def _named(lead: str, name: str) -> bool:
    for word in UNIT_NAMES.get(name, (name,)):
        at = lead.rfind(word)
        if at >= 0 and _boundary(lead, at):
            return True
    return False


def _changes(sentence: str, read: list[Typed], found: dict[str, Quotable], all_targets: list[Target],
             where: Location) -> Iterator[Finding]:
    """增长/下降 x%: against the named figure's computed change, or the base and change the sentence states."""
    for i, rate in enumerate(read):
        if not rate.direction or rate.kind != "百分比" or rate.condition:
            continue
        step = n.step(rate.places)
        written = f"{'增长' if rate.direction > 0 else '下降'}{rate.text}"
        said = rate.number * rate.direction
        named = [q for name, q in found.items() if name.endswith("增减率") and q.value is not None
                 and _named(sentence[:rate.start], name[:-3])]
        if named:
            claim = max(named, key=lambda q: len(q.name))
            if claim.value is not None and claim.value.quantize(step, rounding=ROUND_HALF_UP) != said:  # named has values only
                # |变化 prints the direction with the rate (增长 9.55% / 下降 4.86%), the base being last year's figure
                fix = f"；把“{written}”改为引用 {_quote(claim.name[:-len('增减率')], '变化')}"
                yield Finding(CHANGE_RATE_MISMATCH, ERROR, RULE_CHANGE, f"写作“{written}”，按两年数字{claim.name}为{claim.text}{fix}", where)
            continue
        amount = read[i - 1] if i and read[i - 1].direction and read[i - 1].kind in ("个数", "金额") else None
        if amount is None:
            continue
        base = _base(sentence, read[:i - 1], amount, found)
        if base is None or base[1] == 0:
            continue
        what, value = base
        if amount.direction != rate.direction:
            yield Finding(CHANGE_RATE_MISMATCH, ERROR, RULE_CHANGE, f"写作“{written}”，但同句写的是{'增加' if amount.direction > 0 else '减少'}"
                                              f"{amount.text}", where)
            continue
        exact = amount.in_base() / value * n.HUNDRED
        if exact.quantize(step, rounding=ROUND_HALF_UP) != rate.number:
            yield Finding(CHANGE_RATE_MISMATCH, ERROR, RULE_CHANGE, f"写作“{written}”，按{what}与{'增加' if amount.direction > 0 else '减少'}"
                                              f"{amount.text}应为{n.q2(exact)}%", where)


def _base(sentence: str, before: list[Typed], amount: Typed, found: dict[str, Quotable]) -> tuple[str, Decimal] | None:
    """Last year's figure a change is measured against: written in the sentence (比上年的120000剂次), or the named
    figure's last-year value (在职人员减少61人 → 上年在职人数)."""
    for typed in reversed(before[-8:]):  # the base is written close by; a bounded look keeps the pass linear
        if typed.kind == amount.kind and (typed.kind != "个数" or same_count(typed.unit, amount.unit)) and not typed.direction:
            lead = sentence[max(0, typed.start - 8):typed.start]
            if BASE_MARK.search(lead):
                return f"上年数{typed.text}", typed.in_base()
    head = sentence[:amount.start]
    for name, q in found.items():
        last = found.get(f"上年{name}")
        if last is None or last.value is None or q.kind not in ("人数或个数", "金额（万元）") or not _named(head, name):
            continue
        if (q.kind == "人数或个数") != (amount.kind == "个数"):
            continue
        return f"上年{name}{last.text}", last.value * (MONEY[KIND_UNITS[q.kind]] if q.kind == "金额（万元）" else 1)
    return None


def _texts(unit: m.Unit) -> Iterator[tuple[str, str]]:
    for key, value in unit.text.items():
        if isinstance(value, str):
            yield f"正文.{key}", value
        else:
            yield from ((f"正文.{key}.{k}", v) for k, v in value.items())
    for i, issue in enumerate(unit.issues, 1):
        yield f"问题清单[{i}].说明", issue.detail
        yield f"问题清单[{i}].未达标原因", issue.cause


def _place(inputs: m.Inputs, key: str) -> Location:
    return Location(inputs.files["unit"], inputs.unit_lines.get(key.replace("[", ".").replace("]", "")), key)


def own_names(unit: m.Unit) -> tuple[str, ...]:
    return tuple(name for name in (unit.name, unit.project) if name)


def typed_figures(inputs: m.Inputs, found: dict[str, Quotable]) -> list[Finding]:
    findings: list[Finding] = []
    all_targets = targets(found)
    for key, text in _texts(inputs.unit):
        findings += check_text(text, found, inputs.unit.year, _place(inputs, key), all_targets, own_names(inputs.unit))
    return findings
