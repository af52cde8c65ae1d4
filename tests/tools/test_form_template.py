"""The committed default 自评表.docx is exactly what the template builder produces today."""
from __future__ import annotations

from tools.form_template import TARGET, build_form_template


def test_committed_form_template_is_current():
    assert build_form_template() == TARGET.read_bytes(), \
        "run python -m tools.form_template and commit pipeline/templates/project/自评表.docx"
