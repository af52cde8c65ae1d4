"""Fill a Word form template (docxtpl) such as templates/project/自评表.docx: strict names, escaped text, merged cells."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from .docx import FIXED_DATE, merge_hierarchy, stable_zip
from .render import TemplateProblem


def fill_form(template: Path, context: dict[str, Any]) -> bytes:
    """The filled form as .docx bytes, the same bytes for the same template and context."""
    # autoescape: without it docxtpl drops text after '&' or '<'; StrictUndefined: a missing name is an error
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    form = DocxTemplate(str(template))
    try:
        form.render(context, jinja_env=env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"{template.name}：表格模板使用了未提供的名称（{exc.message}）；可用的名称："
                              + "、".join(sorted(context))) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{template.name}：表格模板语法错误：{exc.message}") from None
    rendered = io.BytesIO()
    form.save(rendered)
    document = Document(io.BytesIO(rendered.getvalue()))
    for table in document.tables:  # docxtpl's {% vm %} would merge over the whole loop: merge runs here
        if table.rows and table.rows[0].cells and table.rows[0].cells[0].text.strip() == "一级指标":
            merge_hierarchy(table)
    document.core_properties.created = document.core_properties.modified = FIXED_DATE
    out = io.BytesIO()
    document.save(out)
    return stable_zip(out.getvalue())
