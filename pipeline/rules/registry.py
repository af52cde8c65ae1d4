"""Every rule type, found as the modules of rules/types/, and the one door to them: the union a framework's 规则 is
read as, the parameter checks, the columns a row fills, the tier names it may choose, the scoring and the wording.

A rule type is one module in rules/types/ that keeps this contract:
  POSITION   an int: its place in `make rules` and in the union (ties by module name)
  MODEL      its parameter model (pydantic): a `type: Literal["<名称>"]` field aliased 类型, a docstring saying the
             rule in one line (printed by `make rules`), each parameter with a Chinese description, and `zero_if`
             (zero_if_field()) last; a field typed `Rule` holds a rule inside (resolved here)
  score(node, rule, facts, figures, framework, again) -> Outcome; a fact missing raises MissingInput.
             again.score(node, rule, facts) scores a rule inside it, again.rows is every row by 指标编号
and may have
  ENTRIES    (title, model) of the models its parameters are lists of, listed by `make rules`
  problems(rule, weight, known_measures, again) -> [(path below 规则, what is wrong, what fits, bad value)]
             (weight None: the unit sets it); again(rule, weight, known) checks a rule inside
  reads(rule, again) -> the indicators.csv columns a row fills for it; again(rule) for a rule inside
  choices(rule, again) -> the names its 档次 column takes; again(rule) for a rule inside
  inner(rule) -> the rules inside it (their zeroing situations count as its own)
  wording(outcome, weight) -> Shown: how the score table, form and narrative print it (default: worded())
  TARGETED   True when its rows state a 年度指标值 (目标值) they are measured against (the review asks for it)
  READS      the unit's figures it reads besides its 指标 (registry.figures_read) (季度累计执行率 …), for the workbook to ask for them
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeAlias, Union, get_args

from pydantic import BaseModel, Field

from . import types as package
from .outcome import Outcome, Shown, worded
from .schema import ZeroIf

if TYPE_CHECKING:
    from .reads import Facts, Figures, Framework, Node

REQUIRED = ("POSITION", "MODEL", "score")


def found(where: Any = package) -> tuple[ModuleType, ...]:
    """The rule type modules of a package, in their POSITION order; one that breaks the contract is named at once."""
    modules = [importlib.import_module(f"{where.__name__}.{info.name}") for info in pkgutil.iter_modules(where.__path__)]
    for module in modules:
        lacking = [name for name in REQUIRED if not hasattr(module, name)]
        if lacking:
            raise TypeError(f"rule type module {module.__name__} lacks {', '.join(lacking)}")
    return tuple(sorted(modules, key=lambda module: (module.POSITION, module.__name__)))


class RuleModel(Protocol):
    """What a rule of any type has, as the stages read it; a type's own parameters are read after isinstance."""

    @property
    def type(self) -> str: ...

    @property
    def zero_if(self) -> list[ZeroIf]: ...


def type_name(model: type[BaseModel]) -> str:
    return get_args(model.model_fields["type"].annotation)[0]


MODULES = found()
# rule type name → its module; and → its parameter model, read off the models so that each name is written once
BY_NAME = {type_name(module.MODEL): module for module in MODULES}
RULE_TYPES = {name: module.MODEL for name, module in BY_NAME.items()}
if TYPE_CHECKING:  # the union is built at run time from the modules found; a checker sees what they share
    Rule: TypeAlias = RuleModel
else:
    Rule = Annotated[Union[tuple(RULE_TYPES.values())], Field(discriminator="type")]  # noqa: UP007 (built at run time)
ENTRIES = tuple(entry for module in MODULES for entry in getattr(module, "ENTRIES", ()))
for _model in [model for _, model in ENTRIES] + list(RULE_TYPES.values()):
    # only a model that names the union (or holds one that does) waits for it: the others were built with their class
    _model.model_rebuild(_types_namespace={"Rule": Rule})


def _module(rule: Any) -> ModuleType:
    return BY_NAME[rule.type]


# what is wrong with a rule's parameters: (the path below 规则, what is wrong, what would fit, the bad value)
RuleProblem: TypeAlias = tuple[tuple[str | int, ...], str, str, str | None]


def problems(rule: Any, weight: Decimal | None, known: dict,
             again: Callable | None = None) -> list[RuleProblem]:
    """What in a rule's own parameters cannot fit its weight (None: the unit's to set); `again` checks a rule inside
    it (the caller's whole check, the parameters every type shares included)."""
    check = getattr(_module(rule), "problems", None)
    return check(rule, weight, known, again or problems) if check else []


def reads(rule: Any, again: Callable | None = None) -> set[str]:
    """The columns of its row a rule's type reads; `again` for a rule inside it."""
    read = getattr(_module(rule), "reads", None)
    return set(read(rule, again or reads)) if read else set()


def choices(rule: Any) -> tuple[str, ...]:
    """The names the 档次 column may take under this rule."""
    named = getattr(_module(rule), "choices", None)
    return tuple(named(rule, choices)) if named else ()


def inner(rule: Any) -> list[Any]:
    within = getattr(_module(rule), "inner", None)
    return list(within(rule)) if within else []


def targeted(name: str) -> bool:
    """Whether rows of the rule type of this name state a 年度指标值 (目标值) they are measured against."""
    return getattr(BY_NAME.get(name), "TARGETED", False)


def figures_read(name: str) -> tuple[str, ...]:
    """The unit's figures a rule type of this name reads besides its own measure."""
    return tuple(getattr(BY_NAME.get(name), "READS", ()))


def wording(outcome: Outcome, rule: Any, weight: Decimal) -> Shown:
    say = getattr(_module(rule), "wording", None)
    return say(outcome, weight) if say else worded(outcome)


@dataclass(frozen=True)
class Again:
    """What a rule made of rules is handed to score the rules inside it."""

    score: Callable[[Node, Any, Facts | None], Outcome]
    rows: Mapping[str, Facts]


def score(node: Node, rule: Any, facts: Facts | None, figures: Figures, fw: Framework,
          again: Again) -> Outcome:
    """The outcome of a rule by its own type, its zeroing conditions not yet applied."""
    return _module(rule).score(node, rule, facts, figures, fw, again)


def listed() -> list[tuple[str, type, str]]:
    """(name, model, one line) of every rule type, for `make rules`."""
    return [(name, model, (model.__doc__ or "").strip()) for name, model in RULE_TYPES.items()]

