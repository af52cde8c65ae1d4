"""The scoring rules a framework attaches to a leaf (DOMAIN §4), as the framework's models name them (m.RatioRule …).

Each rule type is a module of pipeline/rules/types/; the registry finds them and builds the union `Rule`.
"""
from __future__ import annotations

from ..rules.registry import RULE_TYPES, Rule, type_name  # noqa: F401
from ..rules.schema import (  # noqa: F401
                            CONDITION,
                            DEFAULT_BANDS,
                            QUALITATIVE_BANDS,
                            ZERO_COMPARISON,
                            Band,
                            Cap,
                            CapTier,
                            PassMark,
                            TierPoints,
                            ZeroIf,
                            zero_if_field,
)
from ..rules.types.band import BandRule  # noqa: F401
from ..rules.types.checklist import ChecklistItem, ChecklistRule, Discretion  # noqa: F401
from ..rules.types.completion import CompletionRule  # noqa: F401
from ..rules.types.composite import CompositeRule, Part  # noqa: F401
from ..rules.types.deduction import DeductionRule  # noqa: F401
from ..rules.types.judgement import Choice, JudgementRule  # noqa: F401
from ..rules.types.manual import ManualRule  # noqa: F401
from ..rules.types.pacing import PacingRule  # noqa: F401
from ..rules.types.ratio import RatioRule  # noqa: F401
from ..rules.types.tiers import Tier, TiersRule  # noqa: F401

# the word a unit writes in the 评分规则 column to score a row by hand: the manual type's own name
MANUAL = type_name(ManualRule)
