"""同比: last year's figure beside this year's, the change and the rate of change, quotable like any other figure."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .. import numbers as n
from ..errors import Location, Problem
from ..inputs import models as m
from .catalogue import Quotable
from .score import Scored, Scores

# what 同比 can be said of; words are compared as they are (等级), not subtracted
COMPARABLE = ("金额（万元）", "百分比", "分", "人数或个数")
PREFIX = "上年"


@dataclass(frozen=True)
class Change:
    name: str
    this: Quotable
    last: Quotable
    difference: Decimal  # in the figure's own unit; percentage points for a rate
    rate: Decimal | None  # fraction; None for rates and over a zero base
    separators: bool = False  # amounts with thousands separators, as the unit prints them
    places: int = 2  # and with the unit's 金额小数位

    @property
    def difference_text(self) -> str:
        sign = "+" if self.difference > 0 else ""
        if self.this.kind == "百分比":
            return f"{sign}{n.q2(self.difference)}个百分点"
        if self.this.kind == "金额（万元）":
            return sign + n.money(self.difference, self.separators, self.places)
        if self.this.kind == "分":
            return sign + n.score(self.difference)
        return sign + n.plain(self.difference)


def changes(this: dict[str, Quotable], last: dict[str, Quotable], separators: bool = False,
            places: int = 2) -> dict[str, Change]:
    """Every numeric figure both years have, by name."""
    found = {}
    for name, q in this.items():
        old = last.get(name)
        if old is None or q.value is None or old.value is None or q.kind not in COMPARABLE or q.kind != old.kind:
            continue
        rate = None if q.kind == "百分比" else n.ratio(q.value - old.value, old.value)
        found[name] = Change(name, q, old, q.value - old.value, rate, separators, places)
    return found


def with_previous(this: dict[str, Quotable], last: dict[str, Quotable], separators: bool = False,
                  places: int = 2) -> dict[str, Quotable]:
    """This year's catalogue plus 上年X, X增减 and X增减率 for every figure both years have (and 上年等级)."""
    found = dict(this)
    for name, change in changes(this, last, separators, places).items():
        found.setdefault(f"{PREFIX}{name}", Quotable(f"{PREFIX}{name}", change.last.text, change.last.value,
                                                     change.last.kind, f"上年的{name}"))
        unit = "百分点" if change.this.kind == "百分比" else change.this.kind
        found.setdefault(f"{name}增减", Quotable(f"{name}增减", change.difference_text, n.q2(change.difference), unit,
                                               f"{name}本年减上年"))
        if change.rate is not None:
            found.setdefault(f"{name}增减率", Quotable(f"{name}增减率", n.percent(change.rate), n.q2(change.rate * n.HUNDRED),
                                                    "百分比", f"（本年−上年）/上年的{name}"))
    for name, q in last.items():
        if q.kind == "文字" and name in ("等级",):
            found.setdefault(f"{PREFIX}{name}", Quotable(f"{PREFIX}{name}", q.text, None, "文字", f"上年的{name}"))
    return found


def from_entered(entered: dict[str, Decimal], this: dict[str, Quotable], separators: bool = False,
                 places: int = 2) -> dict[str, Quotable]:
    """Last year's key figures typed in unit.yaml (上年), read in the kind of this year's figure of the same name."""
    found = {}
    for name, value in entered.items():
        kind = this[name].kind if name in this else "金额（万元）"
        text = {"百分比": f"{n.q2(value)}%", "分": n.score(value), "金额（万元）": n.money(value, separators, places)}.get(kind, n.plain(value))
        exact = value if kind == "人数或个数" else n.to_places(value, places) if kind == "金额（万元）" else n.q2(value)
        found[name] = Quotable(name, text, exact, kind, "unit.yaml 上年")
    return found


def unknown_entered(entered: dict[str, Decimal], this: dict[str, Quotable], unit_file: str) -> list[Problem]:
    """Names in the 上年 block that are no figure of this year's, so a typo is not silently left out of 同比."""
    unknown = [name for name in entered if name not in this or this[name].kind not in COMPARABLE]
    if not unknown:
        return []
    import difflib  # only a mistake needs it: a run without one does not load it
    numeric = [name for name, q in this.items() if q.kind in COMPARABLE]
    return [Problem(Location(unit_file, key=f"上年.{name}"), "不是可比较的数的名称", name,
                    "相近的名称：" + "、".join(difflib.get_close_matches(name, numeric, n=4, cutoff=0.3) or numeric[:4]))
            for name in unknown]


SCORE_FIGURES = ("得分", "分值", "扣分", "得分率")
# every figure the catalogue gives a node, by the suffix after its name or 编号
NODE_FIGURES = SCORE_FIGURES + ("完成率", "目标值", "实际值")


@dataclass(frozen=True)
class Renamed:
    """A node of the framework with the same 编号 both years and another name this year."""

    id: str
    before: str
    now: str


def _walk(scores: Scores):
    def walk(node: Scored):
        yield node
        for child in node.children:
            yield from walk(child)
    for block in scores.blocks:
        yield from walk(block)


def _signature(node: Scored) -> tuple:
    """The leaves (by 编号 and weight) that make a node's score: two years compare where these match."""
    return tuple((leaf.id, leaf.weight) for leaf in node.leaves())


def unmatched_scores(this: Scores, last: Scores) -> set[str]:
    """Last year's score figures below 一级 that do not measure the same leaves this year (a changed framework),
    nodes matched by 编号 so that a renamed one still compares; 总分 and each 一级 are always compared, the report
    saying that the framework changed."""
    new = {node.id: _signature(node) for node in _walk(this)}
    return {f"{key}{suffix}" for node in _walk(last) if node.level > 1 and new.get(node.id) != _signature(node)
            for key in (node.name, node.id) for suffix in SCORE_FIGURES}


def renames(this: Scores, last: Scores, this_fw: m.Framework, last_fw: m.Framework) -> tuple[Renamed, ...]:
    """The framework's nodes matched by 编号 across its two versions whose name changed (the unit's own indicators,
    numbered afresh each year, are not matched)."""
    framework_ids = {n.id for n in _framework_nodes(this_fw)} & {n.id for n in _framework_nodes(last_fw)}
    before = {node.id: node.name for node in _walk(last) if node.id in framework_ids}
    return tuple(Renamed(node.id, before[node.id], node.name) for node in _walk(this)
                 if node.id in before and before[node.id] != node.name)


def _framework_nodes(fw: m.Framework):
    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.children)
    return walk(fw.indicators)


def renamed_figures(last: dict[str, Quotable], renamed: tuple[Renamed, ...]) -> dict[str, Quotable]:
    """Last year's figures of a renamed node under this year's name, so 同比 finds them."""
    moved = {f"{r.before}{suffix}": f"{r.now}{suffix}" for r in renamed for suffix in NODE_FIGURES}
    found = {name: q for name, q in last.items() if name not in moved}
    for old, new in moved.items():
        if old in last:
            found[new] = replace(last[old], name=new, subject=new[: len(new) - len(last[old].attribute)])
    return found


@dataclass(frozen=True)
class YearChanges:
    """What changed since last year besides the figures, for the report and `make diff` to say."""

    renamed: tuple[Renamed, ...] = ()
    units_added: tuple[str, ...] = ()
    units_removed: tuple[str, ...] = ()


def unit_changes(this: tuple, last: tuple) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The units (budget lines) listed this year and not last, and last year's no longer listed, in their order."""
    now, before = [line.name for line in this], [line.name for line in last]
    return tuple(n for n in now if n not in before), tuple(n for n in before if n not in now)


def framework_version(framework: m.Framework) -> str:
    """A framework as a reader tells it from another: its name and the date its version took effect."""
    begun = framework.valid_from
    return f"{framework.name} {begun.year}年{begun.month}月{begun.day}日起施行的版本"
