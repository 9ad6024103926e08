"""The JSON API, for scripts: the same answers as the command line's ``--json``.

- ``GET /api/health`` (no token);
- ``GET /api/rounds/{round}/status``: ``camket status --round R --json``;
- ``GET /api/rounds/{round}/submissions``: ``camket submissions --round R --json``;
- ``POST /api/rounds/{round}/files`` (multipart field ``files``, one or more): the ingest result.

Every other request carries ``Authorization: Bearer TOKEN``.
"""

from __future__ import annotations

import functools
from importlib.metadata import version

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .guard import Handler, receive_files
from .pages import round_of
from .present import ingest_json, submissions_json
from .render import site_of
from .uploads import UploadError

__all__ = ["ROUTES"]


def bearer(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        if not site_of(request).guard.bearer_ok(request.headers.get("authorization")):
            return JSONResponse({"error": "Cần mã truy cập: Authorization: Bearer <mã>."}, status_code=401,
                                headers={"www-authenticate": "Bearer"})
        return await handler(request)

    return guarded


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", "version": version("camket")})


@bearer
async def status(request: Request) -> Response:
    ws = site_of(request).workspace()
    round_id = round_of(ws, request)
    result = await anyio.to_thread.run_sync(ws.reconcile, round_id)
    return JSONResponse(result.status_json())


@bearer
async def submissions(request: Request) -> Response:
    ws = site_of(request).workspace()
    return JSONResponse(submissions_json(ws.submissions(round_of(ws, request))))


@bearer
async def files(request: Request) -> Response:
    site = site_of(request)
    round_id = round_of(site.workspace(), request)
    try:
        upload = await receive_files(request, site.config.upload, empty="Không có tệp nào trong trường files.",
                                     csrf=False)
    except UploadError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    result = await site.take_in(upload, round_id)
    return JSONResponse(ingest_json(result))


ROUTES = [
    Route("/api/health", health),
    Route("/api/rounds/{round}/status", status),
    Route("/api/rounds/{round}/submissions", submissions),
    Route("/api/rounds/{round}/files", files, methods=["POST"]),
]
