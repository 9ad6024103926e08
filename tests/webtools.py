"""Helpers for the tests of ``camket serve``: a workspace with real signed returns, the app
under Starlette's test client, and a real server on a free port (for the browser)."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.testclient import TestClient

from camket import Workspace
from camket.links import link_path
from camket.web import WebConfig, create_app

DATA = Path(__file__).parent / "data"
RETURNED = DATA / "returned"
TOKEN = "ma-truy-cap-thu-nghiem"
ROUND = "2022-6T"


def fixture_workspace(tmp_path: Path) -> Path:
    """A copy of ``tests/data/ws`` (3 units, fixed secret): the returned fixtures are signed for it."""
    root = tmp_path / "ws"
    shutil.copytree(DATA / "ws", root)
    return root


def client(root: Path, **config: Any) -> TestClient:
    return TestClient(create_app(root, WebConfig(token=TOKEN, **config)), follow_redirects=False)


def signed_in(root: Path, **config: Any) -> TestClient:
    web = client(root, **config)
    answer = web.get(f"/dang-nhap?token={TOKEN}")
    assert answer.status_code == 303, answer.text
    return web


def csrf(web: TestClient, page: str = "/") -> str:
    """The CSRF token of the forms on ``page`` (for this client's session)."""
    found = re.search(r'name="csrf" value="([^"]+)"', web.get(page).text)
    assert found, page
    return found.group(1)


def office_path(root: Path, unit: str, round_id: str = ROUND) -> str:
    ws = Workspace.open(root)
    return link_path(ws.secret, ws.id, round_id, unit)


def bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(root: Path, **config: Any) -> Iterator[str]:
    """A real uvicorn server over ``root`` on a free local port, in a thread; yields its address."""
    app = create_app(root, WebConfig(token=TOKEN, **config))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()
