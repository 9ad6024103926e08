"""An office's personal page (``/nop/{round}/{unit}/{signature}``): its name and the round,
the blank template, and an upload that answers at once with the findings of each file,
cell by cell, and the feedback workbook to download.

A link changed in any part is refused with the same answer whatever the part, and files
sent through it are ingested for its round only, as expected to be its unit's.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import CamketError, LedgerBusyError
from ..ingest import FileOutcome, IngestResult
from ..links import LINK_PREFIX, link_path, verify_signature
from ..model import Finding, Round, Severity, Unit
from ..templates import template_filename
from ..vi import text_date
from ..workspace import Workspace
from .guard import receive_files
from .jobs import INTERNAL_ERROR
from .present import ingest_json, outcome_sentence, sorted_findings
from .render import error_page, render, site_of, wants_json
from .site import BUSY
from .uploads import UploadError

__all__ = ["ROUTES"]


FOR_THE_DEPARTMENT = {"link-mismatch"}
"""Findings whose advice is the department's to follow (the office's answer says it in its own words)."""


class BadLink(Exception):
    """A link that is not one camket made for this workspace."""


@dataclass(frozen=True)
class Office:
    ws: Workspace
    round: Round
    unit: Unit
    base: str  # this link's path

    @property
    def contact(self) -> str:
        return self.ws.settings.contact.unit or "đơn vị tổng hợp"

    @property
    def late(self) -> bool:
        """Files sent now arrive after the round's due date."""
        return dt.date.today() > self.round.due


def _office(request: Request) -> Office:
    ws = site_of(request).workspace()
    round_id, code, signature = (str(request.path_params[k]) for k in ("round", "unit", "sig"))
    if not verify_signature(ws.secret, ws.id, round_id, code, signature):
        raise BadLink
    round_ = ws.settings.round(round_id)
    unit = ws.master_for(round_id).unit(code) if round_ is not None else None  # the round's own list
    if round_ is None or unit is None:
        raise BadLink
    return Office(ws, round_, unit, link_path(ws.secret, ws.id, round_.id, unit.code))


OfficeHandler = Callable[[Request, Office], Awaitable[Response]]


def office_link(handler: OfficeHandler) -> Callable[[Request], Awaitable[Response]]:
    """Only through a link camket made for this workspace, round and unit; any other gets the
    same answer, whichever part was changed."""

    @functools.wraps(handler)
    async def checked(request: Request) -> Response:
        try:
            office = await anyio.to_thread.run_sync(_office, request)
        except BadLink:
            return error_page(request, 404, "Đường dẫn không đúng hoặc đã bị thay đổi. Mở đúng đường dẫn riêng mà "
                                            "đơn vị tổng hợp đã gửi cho đơn vị (sao chép đủ, không sửa ký tự nào).",
                              "Đường dẫn không hợp lệ")
        return await handler(request, office)

    return checked


def _sent(office: Office) -> list[Any]:
    """The round's files this unit sent: its own, and those that came through its link or carry
    its name but are waiting or could not be counted."""
    mine = office.unit.code
    return [s for s in reversed(office.ws.submissions(office.round.id)) if mine in (s.unit, s.claimed_unit)]


def _template_path(office: Office) -> Path:
    """The unit's blank template of the round, as ``camket templates`` wrote it."""
    return office.ws.out_dir(office.round.id) / "templates" / template_filename(office.round.id, office.unit)


def _context(request: Request, office: Office, **extra: Any) -> dict[str, Any]:
    """What the office's page shows besides the answers."""
    return {"office": office, "sent": _sent(office), "template": _template_path(office).is_file(),
            "limits": site_of(request).config.office_upload, "late": office.late,
            "results": None, **extra}


@office_link
async def page(request: Request, office: Office) -> Response:
    return render(request, "office.html", **await anyio.to_thread.run_sync(_context, request, office))


@dataclass(frozen=True)
class Answer:
    """One file sent, as the office reads it."""

    outcome: FileOutcome
    sentence: str
    findings: list[Finding]

    @property
    def feedback(self) -> bool:
        """A counted file with something to fix: its feedback workbook marks the cells."""
        return self.outcome.state == "accepted" and any(f.severity is not Severity.INFO for f in self.findings)


def _answers(office: Office, result: IngestResult) -> list[Answer]:
    """What the office is told of each file. A file received before is answered with what was
    found in it then, when it was this unit's; another unit's file is said to be so, with
    nothing of its content, number or name."""
    mine = office.unit.code
    earlier = [o.submission_id for o in result.files
               if o.state == "duplicate" and o.unit == mine and o.submission_id is not None]
    with office.ws.ledger() as ledger:
        known = {i: ledger.findings_of([i]) for i in earlier}
    counted = [o for o in result.files if o.state == "accepted" and o.unit == mine]
    # the file that now counts is also checked against the unit's report of the previous round
    across = office.ws.contradictions(office.round.id, unit=mine) if counted else []
    answers = []
    for o in result.files:
        if o.state == "duplicate" and o.unit != mine:
            answers.append(Answer(o, _NOT_MINE.format(unit=office.unit.name) if o.unit else _SENT_BEFORE, []))
            continue
        found = known.get(o.submission_id or 0, []) if o.state == "duplicate" else o.findings
        if counted and o is counted[-1]:
            found = [*found, *across]
        sentence = outcome_sentence(o, office.contact)
        if office.late and o.state == "accepted":
            sentence += f" Tệp gửi sau hạn {text_date(office.round.due)} nên được ghi là gửi muộn."
        answers.append(Answer(o, sentence, sorted_findings(f for f in found if f.code not in FOR_THE_DEPARTMENT)))
    return answers


_NOT_MINE = ("Tệp này đã được gửi trước đây và là báo cáo của đơn vị khác, không phải của {unit}; tệp không được "
             "tính cho đơn vị. Hãy gửi đúng tệp báo cáo của đơn vị mình.")
_SENT_BEFORE = "Tệp này đã được gửi trước đây; không nhận lại lần nữa."


@office_link
async def upload(request: Request, office: Office) -> Response:
    site = site_of(request)
    try:
        received = await receive_files(request, site.config.office_upload, empty="Chưa chọn tệp nào. Chọn tệp báo "
                                       "cáo (.xlsx, .xls, .ods hoặc .zip) rồi gửi.")
    except UploadError as exc:
        return error_page(request, exc.status, exc.message, "Chưa nhận tệp")
    try:
        result = await site.take_in(received, office.round.id, expected_unit=office.unit.code)
    except LedgerBusyError:
        return error_page(request, 503, BUSY, "Hệ thống đang bận")
    except CamketError as exc:
        return error_page(request, 500, str(exc))
    except Exception:
        return error_page(request, 500, INTERNAL_ERROR + " Tệp của đơn vị đã được giữ lại ở máy chủ.",
                          "Lỗi chương trình")
    if wants_json(request):
        return JSONResponse(ingest_json(result))
    fragment = "_office_result.html" if request.headers.get("x-requested-with") == "fetch" else "office.html"
    context = await anyio.to_thread.run_sync(lambda: _context(request, office, results=_answers(office, result)))
    return render(request, fragment, **context)


@office_link
async def blank_template(request: Request, office: Office) -> Response:
    path = _template_path(office)
    if not path.is_file():
        return error_page(request, 404, f"Mẫu báo cáo của đơn vị chưa được lập. Liên hệ {office.contact}.",
                          "Chưa có mẫu")
    return FileResponse(path, filename=path.name)


@office_link
async def feedback(request: Request, office: Office) -> Response:
    site = site_of(request)
    try:
        made = await anyio.to_thread.run_sync(
            lambda: office.ws.feedback(office.round.id, units=[office.unit.code], wait=site.config.upload_wait))
    except LedgerBusyError:
        return error_page(request, 503, "Hệ thống đang bận; mở lại đường dẫn tải tệp phản hồi sau ít phút.",
                          "Hệ thống đang bận")
    if not made:
        notice = "Báo cáo đơn vị đã gửi không có lỗi hay cảnh báo nào cần sửa; không có tệp phản hồi."
        return render(request, "office.html", **_context(request, office, notice=notice))
    return FileResponse(made[0], filename=made[0].name)


ROUTES = [
    Route(LINK_PREFIX + "/{round}/{unit}/{sig}", page),
    Route(LINK_PREFIX + "/{round}/{unit}/{sig}", upload, methods=["POST"]),
    Route(LINK_PREFIX + "/{round}/{unit}/{sig}/mau", blank_template),
    Route(LINK_PREFIX + "/{round}/{unit}/{sig}/phan-hoi", feedback),
]
