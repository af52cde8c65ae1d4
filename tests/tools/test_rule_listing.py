"""`make rules` lists every rule type and every parameter a framework may write, read off the models."""
from __future__ import annotations

from pipeline.__main__ import main
from pipeline.inputs.rule_types import RULE_TYPES


def test_every_rule_type_and_parameter_is_listed(capsys, tmp_path):
    assert main(["--root", str(tmp_path), "rules"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    for name, model in RULE_TYPES.items():
        assert any(line.startswith(f"{name}  ") for line in lines), name
        for field, info in model.model_fields.items():
            if field != "type":
                assert f"    {info.alias}" in out, (name, info.alias)
    for new in ("composite", "judgement", "及格线", "超过100%（默认 封顶）", "得0分条件", "超额说明线", "得分率"):
        assert new in out
