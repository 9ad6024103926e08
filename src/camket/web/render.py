"""Pages from Jinja2 templates (autoescaped), with what every page needs in its context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .present import FILTERS, SETTLEABLE
from .site import Site

__all__ = ["HERE", "csrf_of", "error_page", "render", "site_of", "wants_json"]

HERE = Path(__file__).parent

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(FILTERS)
_ENV.globals.update(settleable=SETTLEABLE)


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def csrf_of(request: Request) -> str:
    return site_of(request).guard.csrf(request.state.sid)


def render(request: Request, template: str, code: int = 200, /, **context: Any) -> HTMLResponse:
    """A page (or a fragment, for htmx) with the CSRF token and the signed-in state."""
    site = site_of(request)
    context.setdefault("signed_in", site.guard.signed_in(request.state.sid))
    context.setdefault("agency", _agency(site))
    html = _ENV.get_template(template).render(request=request, csrf=csrf_of(request), **context)
    return HTMLResponse(html, status_code=code)


def _agency(site: Site) -> str:
    try:
        return site.workspace().settings.agency.name
    except Exception:  # a broken camket.toml is shown by the page itself; the header just goes without
        return ""


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str, title: str = "Không thực hiện được") -> Response:
    """An error in Vietnamese: a page, a fragment for htmx, or ``{"error": …}`` for scripts."""
    if request.url.path.startswith("/api/") or wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    fragment = request.headers.get("hx-request") == "true"
    return render(request, "_error.html" if fragment else "error.html", status, title=title, message=message)
