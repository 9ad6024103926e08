"""The department's token, sessions and CSRF tokens, and the headers every response carries.

- The token is compared in constant time (:func:`hmac.compare_digest`).
- Every browser gets a random session id in an HttpOnly, SameSite=Strict cookie; logging in
  with the token replaces it with a new one, remembered as signed in (so a session id
  planted before login is worth nothing).
- A form's CSRF token is an HMAC of the session id with a key made when the server starts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

__all__ = ["COOKIE", "Guard", "SecurityHeaders", "new_session_id", "new_token"]

COOKIE = "camket_sid"
SESSION_HOURS = 12
_MAX_SESSIONS = 1000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def new_token() -> str:
    """A token for ``camket serve`` when none is given (as Jupyter makes one)."""
    return secrets.token_hex(24)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_session_id() -> str:
    """A random session id (43 characters)."""
    return _b64(secrets.token_bytes(32))


class Guard:
    """Who may see the department's pages: the token, signed-in sessions, CSRF tokens."""

    def __init__(self, token: str, key: bytes | None = None) -> None:
        if not token:
            raise ValueError("empty token")
        self._token = token.encode("utf-8")
        self._key = key or secrets.token_bytes(32)
        self._sessions: dict[str, float] = {}
        self._lock = threading.Lock()

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), self._token)

    def bearer_ok(self, authorization: str | None) -> bool:
        """``Authorization: Bearer TOKEN`` with the right token."""
        scheme, _, given = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(given.strip())

    def sign_in(self) -> str:
        """A new signed-in session id (to set as the cookie)."""
        sid = new_session_id()
        now = time.monotonic()
        with self._lock:
            expired = [s for s, until in self._sessions.items() if until < now]
            for old in expired:
                del self._sessions[old]
            while len(self._sessions) >= _MAX_SESSIONS:
                del self._sessions[next(iter(self._sessions))]
            self._sessions[sid] = now + SESSION_HOURS * 3600
        return sid

    def signed_in(self, sid: str | None) -> bool:
        if not sid:
            return False
        with self._lock:
            until = self._sessions.get(sid)
        return until is not None and until >= time.monotonic()

    def sign_out(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def csrf(self, sid: str) -> str:
        """The CSRF token of a session's forms."""
        return _b64(hmac.new(self._key, b"csrf\x00" + sid.encode("ascii", "replace"), hashlib.sha256).digest())

    def csrf_ok(self, sid: str | None, given: str | None) -> bool:
        if not sid or not given:
            return False
        return hmac.compare_digest(self.csrf(sid).encode("ascii"), given.encode("utf-8", "replace"))


def session_id(scope: Scope) -> str | None:
    """The session cookie of a request, if it looks like one of ours."""
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is the browser's, not ours: ignore it
                continue
            morsel = cookie.get(COOKIE)
            if morsel is not None and 20 <= len(morsel.value) <= 64 and morsel.value.isascii():
                return morsel.value
    return None


def cookie_header(sid: str, secure: bool) -> bytes:
    flags = "; Secure" if secure else ""
    return f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Strict{flags}".encode("ascii")


_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
     b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),  # an office's link never leaks through a Referer
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """ASGI middleware: gives each browser a session cookie (``scope["state"]["sid"]``) and
    adds the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sid = session_id(scope)
        fresh = sid is None
        if sid is None:
            sid = new_session_id()
        scope.setdefault("state", {})["sid"] = sid
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _HEADERS if name not in present]
                current = scope["state"].get("sid", sid)
                if fresh or current != sid:
                    headers.append((b"set-cookie", cookie_header(current, secure)))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
