"""Personal upload links: one per unit and round, signed with the workspace's secret.

A link is ``{base}/nop/{round}/{unit}/{signature}``; the signature is an HMAC-SHA256 over
the workspace, the round and the unit, so a link changed in any part is refused, and a
link of one workspace is worthless on another. ``camket serve`` checks it
(:func:`verify_signature`), ``camket links`` lists them (:func:`office_links`).

>>> office_links(ws, "2022-6T", "http://10.0.0.5:8765")[0].url  # doctest: +ELLIPSIS
'http://10.0.0.5:8765/nop/2022-6T/TCDL/...'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["DEFAULT_BASE_URL", "LINK_PREFIX", "OfficeLink", "link_path", "link_signature", "office_links",
           "verify_signature"]

DEFAULT_BASE_URL = "http://127.0.0.1:8765"
"""Where ``camket serve`` listens unless told otherwise (reachable from this computer only)."""

LINK_PREFIX = "/nop"
"""The path under which the offices' pages live (*nộp báo cáo*)."""


@dataclass(frozen=True)
class OfficeLink:
    """A unit's personal upload link for a round."""

    unit: str
    name: str
    url: str


def link_signature(secret: bytes, workspace_id: str, round_id: str, unit_code: str) -> str:
    """The signature part of a link: 128 bits of HMAC-SHA256, URL-safe base64 without padding."""
    message = "\x00".join(("camket-link", workspace_id, round_id, unit_code)).encode("utf-8")
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_signature(secret: bytes, workspace_id: str, round_id: str, unit_code: str, signature: str) -> bool:
    """Whether ``signature`` is this unit's and round's, compared in constant time."""
    expected = link_signature(secret, workspace_id, round_id, unit_code)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))


def link_path(secret: bytes, workspace_id: str, round_id: str, unit_code: str) -> str:
    """``/nop/2022-6T/VP/<signature>``, each part percent-encoded."""
    signature = link_signature(secret, workspace_id, round_id, unit_code)
    return f"{LINK_PREFIX}/{quote(round_id, safe='')}/{quote(unit_code, safe='')}/{signature}"


def office_links(ws: Workspace, round_id: str, base_url: str | None = None) -> list[OfficeLink]:
    """Every unit's link for a round, in the order of the round's list (frozen when its templates
    were issued); ``base_url`` is the address offices reach ``camket serve`` at (default
    ``[web] base_url`` of ``camket.toml``, else this computer)."""
    round_ = ws.round(round_id)
    base = (base_url or ws.settings.base_url or DEFAULT_BASE_URL).rstrip("/")
    return [OfficeLink(unit.code, unit.name, base + link_path(ws.secret, ws.id, round_.id, unit.code))
            for unit in ws.master_for(round_.id).units]
