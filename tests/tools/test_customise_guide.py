"""docs/customise.md, executed step by step on a copy of the example units, so the guide cannot go stale."""
from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from docx import Document

from pipeline.__main__ import main

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "customise.md"
STEP = re.compile(r"<!-- (文件|运行|应包含|页眉包含)(?:：(\S+))? -->\n```(\w+)\n(.*?)\n```", re.DOTALL)


def steps() -> list[tuple[str, str | None, str, str]]:
    found = STEP.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(found) >= 10, "the guide lost its executable steps"
    return found


def run_make(line: str, root: Path) -> None:
    """`make report DEPT=huadu` → the CLI the Makefile wraps, on the copy."""
    words = shlex.split(line)
    assert words[0] == "make", line
    target, options = words[1], dict(w.split("=", 1) for w in words[2:])
    assert main(["--root", str(root), target, options.pop("DEPT")]) == 0, line
    assert not options, f"guide uses options the test does not map: {options}"


@pytest.mark.slow
def test_the_customisation_guide_works_step_by_step(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert main(["--root", str(project), "report", "huadu"]) == 0
    default = (project / "output/huadu/2023/report.md").read_text(encoding="utf-8")
    runs = 0
    for kind, path, language, body in steps():
        if kind == "文件":
            target = project / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body + "\n", encoding="utf-8")
        elif kind == "运行" and language == "sh":
            for line in body.splitlines():
                run_make(line, project)
            runs += 1
            if runs == 1:  # after step 1 only chapter three differs from the default rendering
                changed = (project / "output/huadu/2023/report.md").read_text(encoding="utf-8")
                head, tail = default.split("## 三、存在的主要问题")
                assert changed.startswith(head + "## 三、存在的问题及原因分析\n")
                assert changed.endswith(tail[tail.index("## 四、下一步改进措施"):])
        elif kind == "运行" and language == "python":
            exec(compile(body, str(GUIDE), "exec"), {})  # the guide's own snippet, run where the guide says
        elif kind == "应包含":
            text = (project / path).read_text(encoding="utf-8")
            for line in body.splitlines():
                assert line in text.splitlines(), line
        elif kind == "页眉包含":
            document = Document(str(project / path))
            headers = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
            for line in body.splitlines():
                assert line in headers, line
    assert os.path.exists(project / "inputs/huadu/2023/templates/reference.docx")
