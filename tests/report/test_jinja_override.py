"""A unit overrides one chapter of the default template; the rest of the report is unchanged."""
from __future__ import annotations

import pytest

from pipeline.errors import TemplateError
from pipeline.run import build


@pytest.mark.slow
def test_override_one_block_keeps_every_other_chapter(project):
    _, written = build(project, "huadu")
    default = (written[0].parent / "report.md").read_text(encoding="utf-8")
    own = project / "inputs/huadu/2023/templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").write_text(
        '{% extends "default/department/report.md.j2" %}\n'
        "{% block problems %}\n## 存在的问题和原因\n\n本单位自己的表述。\n{% endblock %}\n", encoding="utf-8")
    _, written = build(project, "huadu")
    custom = (written[0].parent / "report.md").read_text(encoding="utf-8")
    head, tail = default.split("## 三、存在的主要问题")
    assert custom.startswith(head + "## 三、存在的问题和原因\n\n本单位自己的表述。\n\n## 四、下一步改进措施")
    assert custom.endswith(tail[tail.index("## 四、下一步改进措施"):])


def test_unknown_name_in_a_template_names_file_line_and_choices(project):
    own = project / "inputs/huadu/2023/templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").write_text(
        '{% extends "default/department/report.md.j2" %}\n{% block problems %}\n\n{{ scroes.total }}\n{% endblock %}\n',
        encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build(project, "huadu")
    message = str(caught.value)
    assert "report.md.j2:第4行" in message and "scroes" in message and "scores" in message
    assert not (project / "output").exists()
