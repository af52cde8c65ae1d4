"""Every framework shipped in inputs/frameworks/ validates, names its source and marks what it assumes."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.inputs import models as m
from pipeline.inputs.framework_checks import check_file
from pipeline.inputs.parse import parse_yaml
from pipeline.inputs.yaml_files import read_yaml

LIBRARY = sorted((Path(__file__).resolve().parents[2] / "inputs" / "frameworks").glob("*.yaml"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_shipped_framework_is_valid_and_sourced(path: Path):
    doc = read_yaml(path, path.name)
    file, problems = parse_yaml(doc, m.FrameworkFile)
    assert not problems, [str(p) for p in problems]
    versions, problems = check_file(doc, file)
    assert not problems, [str(p) for p in problems]
    for version in versions:
        assert version.source
    text = path.read_text(encoding="utf-8")
    # a framework whose weights or rules are not in its source says so in its source line
    if "假定" in text:
        assert all("假定" in v.source for v in versions), path.name


def test_the_library_holds_the_shapes_bureaus_use():
    names = {p.stem for p in LIBRARY}
    assert {"national-project-2020", "national-project-101", "sichuan-dept", "common-dept-53"} <= names
