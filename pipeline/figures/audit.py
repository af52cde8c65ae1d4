"""The audit record of a run (scores.json): every leaf with its rule, inputs, points and reason, and every measure."""
from __future__ import annotations

import json
from typing import Any

from .. import numbers as n
from ..inputs import models as m
from .compute import Figures
from .score import Scores


def audit_json(inputs: m.Inputs, figures: Figures, scores: Scores) -> str:
    """Every leaf with its rule, inputs, points and reason, for audit (scores.json)."""
    def node(s) -> dict[str, Any]:
        item: dict[str, Any] = {"编号": s.id, "名称": s.name, "权重": n.score(s.weight), "得分": n.score(s.points),
                                "得分率": n.percent(s.rate)}
        if s.not_applicable:
            item = {"编号": s.id, "名称": s.name, "权重": n.score(s.weight), "得分": "不适用", "不适用原因": s.not_applicable}
        if s.children or s.absent:
            item["下级"] = [node(c) for c in s.every_child()]
        elif s.outcome is not None:
            item.update({"规则": s.rule_type, "评分标准": s.outcome.standard, "输入": s.outcome.inputs,
                         "扣分原因": s.outcome.reason})
            if s.outcome.parts:
                item["部分"] = [{"名称": name, "分值": n.score(points), "得分": n.score(o.points), "评分标准": o.standard,
                               "扣分原因": o.reason} for name, points, o in s.outcome.parts]
            if s.outcome.reference is not None:
                item["按规则得分"] = n.score(s.outcome.reference.points)
        return item

    data = {
        "单位": inputs.unit.name, "年度": inputs.unit.year, "评价体系": inputs.framework.name,
        "评价体系文件": inputs.files["framework"], "评价体系生效日期": inputs.framework.valid_from.isoformat(),
        "总分": n.score(scores.total), "满分": n.score(scores.weight),
        **({"适用指标分值": n.score(scores.applicable), "得分合计": n.score(scores.scored)} if scores.dropped else {}),
        "等级": scores.grade,
        "测算指标": {k: n.percent(v.value) for k, v in figures.measures.items() if v.available},
        "指标": [node(b) for b in scores.every_block()],
    }
    if scores.capped:
        data["封顶"] = [{"编号": c.id, "名称": c.name, "封顶前": n.score(c.before), "封顶后": n.score(c.after), "说明": c.text}
                      for c in scores.capped]
    if scores.dropped:
        data["不适用指标"] = [{"编号": d.id, "名称": d.name, "分值": n.score(d.weight), "原因": d.reason}
                         for d in scores.dropped]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
