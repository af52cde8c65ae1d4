"""Pages and fragments from the package's own Jinja templates, escaped, in Chinese; the headers every answer carries."""
from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from ..figures.catalogue import quote

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# nothing but this app's own files: no CDN, no font or script from anywhere else, no framing by another site
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
          "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'self'")
# the report preview is the unit's text: shown with no script at all, in a sandbox of its own
PREVIEW_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["quote"] = quote
    return env


def render(request: Request, name: str, **context) -> str:
    settings = request.app.state.settings
    return request.app.state.pages.get_template(name).render(
        csrf=request.state.session["c"], user=request.state.session.get("u", ""), sign_in=settings.sign_in, **context)


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(render(request, name, **context), status_code=status)


def secured(response, policy: str = POLICY):
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
