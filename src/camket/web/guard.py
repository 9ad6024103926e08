"""Access to the department's pages: a signed-in session, and a CSRF token on every form."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .render import error_page, site_of
from .uploads import EXPIRED

__all__ = ["Handler", "department", "safe_next"]

Handler = Callable[[Request], Awaitable[Response]]


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never ``//other.host``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def csrf_ok(request: Request) -> bool:
    """The token of a form (field ``csrf``) or of an htmx/script request (header ``X-CSRF-Token``).

    A multipart body is not read here: uploads check the field as it streams in.
    """
    guard = site_of(request).guard
    sid = request.state.sid
    header = request.headers.get("x-csrf-token")
    if header is not None:
        return guard.csrf_ok(sid, header)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        request.state.csrf_pending = True
        return True
    form = await request.form()
    given = form.get("csrf")
    return guard.csrf_ok(sid, given if isinstance(given, str) else None)


def department(handler: Handler) -> Handler:
    """Only for a signed-in session; a POST must carry the session's CSRF token."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        request.state.csrf_pending = False
        if not site_of(request).guard.signed_in(request.state.sid):
            if request.method == "GET" and request.headers.get("hx-request") != "true":
                return RedirectResponse(f"/dang-nhap?next={quote(request.url.path)}", status_code=303)
            return error_page(request, 401, "Phiên làm việc đã hết hạn. Tải lại trang và đăng nhập lại.",
                              "Cần đăng nhập")
        if request.method == "POST" and not await csrf_ok(request):
            return error_page(request, 403, EXPIRED, "Biểu mẫu hết hạn")
        return await handler(request)

    return guarded
