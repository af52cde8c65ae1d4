"""What every re-check rule reads: the unit's inputs, figures, scores and last year's text, and where to point."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import Location
from ..figures.compute import Figures
from ..figures.score import Scores
from ..inputs import models as m


@dataclass(frozen=True)
class Context:
    inputs: m.Inputs
    figures: Figures
    scores: Scores
    last_text: dict  # last year's 正文, or empty

    def fact_place(self, leaf_id: str, column: str) -> Location:
        return Location(self.inputs.files.get("facts", "indicators.csv"), self.inputs.fact_lines.get(leaf_id), column)

    def unit_place(self, key: str) -> Location:
        return Location(self.inputs.files["unit"], self.inputs.unit_lines.get(key), key)

    def text(self, keys: tuple[str, ...]) -> tuple[str, str] | None:
        """The first of these 正文 keys the unit wrote, with its content (a dict of sub-keys joined)."""
        for key in keys:
            value = self.inputs.unit.text.get(key)
            if value is not None:
                return key, value if isinstance(value, str) else "\n".join(value.values())
        return None
