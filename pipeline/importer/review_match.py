"""Which framework a 自评表 was filled under, as a bureau tells it: the one whose indicator categories take every row of
the form and whose weights are those the form prints."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import PipelineError
from ..inputs import models as m
from ..inputs.framework_checks import walk
from .form import Form
from .form_unit import category, form_unit, own_indicators
from .grid import plain
from .write_unit import Draft


@dataclass(frozen=True)
class Match:
    framework: str
    said: str  # how it was chosen, for the bureau


def project_frameworks(root: Path, load) -> dict[str, m.Framework]:
    """The shared frameworks for project forms, by name; one that cannot be read is left out of the matching."""
    found = {}
    for path in sorted((root / "inputs" / "frameworks").glob("*.yaml")):
        try:
            framework = load(root, path.stem)
        except PipelineError:
            continue
        if framework.kind == "project":
            found[path.stem] = framework
    return found


def fit(form: Form, framework: m.Framework) -> tuple[int, int]:
    """(rows the framework cannot take, weights that differ from it: printed ones, a category's rows adding up to
    another weight, a category it scores that the form lacks): (0, 0) is a form of that framework."""
    draft = Draft(form.name, "match", 2000, "match")
    refused = form_unit(form, framework, draft)
    classes = {plain(c): node for _, node in walk(framework.indicators) if node.from_facts for c in node.from_facts.classes}
    sums: dict[str, Decimal] = {}
    for row in form.indicators:
        name = category(plain(row.level1), classes)
        if name is not None:
            node = classes[name]
            sums[node.id] = sums.get(node.id, Decimal(0)) + (row.weight or Decimal(0))
    nodes = {node.id: node for node in classes.values()}
    lacking = sum(node_id not in sums for node_id in nodes)
    added = sum(form.weights and own_indicators(nodes[i]).split == "权重" and total != nodes[i].weight
                for i, total in sums.items())
    return len(refused), draft.weight_gaps + lacking + added


def match(form: Form, frameworks: dict[str, m.Framework], default: str) -> Match:
    if not frameworks:
        return Match(default, f"没有可用于项目支出的评价体系，按 {default}")
    fits = {name: fit(form, framework) for name, framework in frameworks.items()}
    best = min(fits, key=lambda name: (fits[name], name != default, name))
    refused, gaps = fits[best]
    same = [name for name in fits if fits[name] == fits[best] and name != best]
    if refused:
        said = f"没有完全相符的评价体系，按最接近的 {best}（{refused} 行指标不能归入其指标类别）"
    elif gaps:
        said = f"按表式匹配 {best}：指标均可归类，{gaps} 处分值与其不同"
    else:
        said = f"按表式和分值匹配 {best}：指标均可归类，印出的分值与其相符"
    if same:
        said += f"（{'、'.join(same)} 同样相符，可在复核设置中指定）"
    return Match(best, said)
