"""Access to the department's pages: a signed-in session, and a CSRF token on every form;
and the one way a request's files are taken in (with the same check)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .render import error_page, site_of
from .uploads import EXPIRED, Upload, UploadError, UploadLimits, receive_upload

__all__ = ["Handler", "department", "department_upload", "receive_files", "safe_next"]

Handler = Callable[[Request], Awaitable[Response]]


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never ``//other.host``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def _form_csrf_ok(request: Request) -> bool:
    """The token of a form (field ``csrf``) or of an htmx/script request (header ``X-CSRF-Token``)."""
    guard = site_of(request).guard
    header = request.headers.get("x-csrf-token")
    if header is not None:
        return guard.csrf_ok(request.state.sid, header)
    if request.headers.get("content-type", "").startswith("multipart/"):
        return False  # only handlers that stream files take multipart bodies, and they check it themselves
    form = await request.form(max_files=0, max_fields=50)
    given = form.get("csrf")
    return guard.csrf_ok(request.state.sid, given if isinstance(given, str) else None)


def _guarded(handler: Handler, streams: bool) -> Handler:
    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        if not site_of(request).guard.signed_in(request.state.sid):
            if request.method == "GET" and request.headers.get("hx-request") != "true":
                return RedirectResponse(f"/dang-nhap?next={quote(request.url.path)}", status_code=303)
            return error_page(request, 401, "Phiên làm việc đã hết hạn. Tải lại trang và đăng nhập lại.",
                              "Cần đăng nhập")
        # a handler that streams files checks the token itself, as the body arrives (receive_files)
        if request.method == "POST" and not streams and not await _form_csrf_ok(request):
            return error_page(request, 403, EXPIRED, "Biểu mẫu hết hạn")
        return await handler(request)

    return guarded


def department(handler: Handler) -> Handler:
    """Only for a signed-in session; a POST must carry the session's CSRF token."""
    return _guarded(handler, streams=False)


def department_upload(handler: Handler) -> Handler:
    """Like :func:`department`, for a handler that takes files with :func:`receive_files`."""
    return _guarded(handler, streams=True)


async def receive_files(request: Request, limits: UploadLimits, *, empty: str, csrf: bool = True,
                        folder: Path | None = None) -> Upload:
    """The request's files (field ``files``) under ``limits``, streamed to a folder of their own.

    With ``csrf``, the session's token must come in the ``X-CSRF-Token`` header or as the
    form's ``csrf`` field before the first file. Raises :class:`UploadError` (with ``empty``
    when no file was sent); nothing is kept of a refused upload.
    """
    site = site_of(request)
    sid = request.state.sid
    check = None
    if csrf:
        header = request.headers.get("x-csrf-token")
        if header is not None and not site.guard.csrf_ok(sid, header):
            raise UploadError(403, EXPIRED)
        if header is None:
            check = functools.partial(site.guard.csrf_ok, sid)
    upload = await receive_upload(request, folder or site.upload_folder(), limits, csrf=check)
    if not upload.files:
        upload.remove()
        raise UploadError(400, empty)
    return upload
