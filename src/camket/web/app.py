"""The Starlette application of ``camket serve`` and the server that runs it.

>>> app = create_app(Path("ws"), WebConfig(token="bi-mat"))
>>> [route.path for route in app.routes][:3]
['/dang-nhap', '/dang-xuat', '/']

``serve(Path("ws"), WebConfig(token="bi-mat"), "127.0.0.1", 8765, on_ready)`` runs it until Ctrl+C.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..errors import CamketError, InputError, LedgerBusyError
from . import api, masterlist, office, pages
from .jobs import INTERNAL_ERROR
from .pages import NotFound
from .render import HERE, error_page
from .security import SecurityHeaders
from .site import Site, WebConfig

__all__ = ["create_app", "serve"]

log = logging.getLogger("camket.web")


async def _camket_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CamketError)
    status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, InputError) else \
        503 if isinstance(exc, LedgerBusyError) else 500
    title = "Hệ thống đang bận" if status == 503 else "Không thực hiện được"
    return error_page(request, status, str(exc), title)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "Không có trang này.", 405: "Không hỗ trợ thao tác này trên trang này.",
                400: "Yêu cầu không hợp lệ."}
    return error_page(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("camket serve: lỗi khi xử lý %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, INTERNAL_ERROR, "Lỗi chương trình")


def create_app(root: Path, config: WebConfig) -> Starlette:
    """The web application over the workspace at ``root`` (opened now, to fail early)."""
    site = Site(root, config)
    site.workspace()
    app = Starlette(
        routes=[*pages.ROUTES, *masterlist.ROUTES, *office.ROUTES, *api.ROUTES,
                Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={CamketError: _camket_error, HTTPException: _http_error, Exception: _internal_error},
    )
    app.state.site = site
    return app


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a Vietnamese error when the address is taken or wrong."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise CamketError(f"Không mở được cổng {port} trên {host} ({exc.strerror}). Có thể một camket serve "
                             "khác đang chạy; chọn cổng khác bằng --port.") from None
    return sock


def serve(root: Path, config: WebConfig, host: str, port: int, on_ready: Callable[[int], None]) -> None:
    """Run the server until Ctrl+C; ``on_ready(port)`` is called once it listens."""
    import uvicorn

    app = create_app(root, config)
    sock = bind(host, port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5,
                                           limit_concurrency=1000, server_header=False))
    on_ready(sock.getsockname()[1])
    server.run(sockets=[sock])
