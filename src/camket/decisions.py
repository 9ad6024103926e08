"""The department's decisions about received files: count one (``accept``), set one aside
(``dismiss``), or read one again as another unit's (``accept --unit``).

Each decision is a run of its own in the ledger, with the new state and its reason, so it
can be seen (``camket submissions``) and reversed by another decision. Nothing is
overwritten: reading a file again as another unit's makes a new record of the same file.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import findings as F
from .errors import InputError
from .ingest import Context, Item, Limits, process
from .ledger import Ledger, Submission
from .model import Severity

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["SETTLED_BY_ACCEPT", "chosen_file", "decide", "reread"]

_DEPARTMENT = "đơn vị tổng hợp"
SETTLED_BY_ACCEPT = frozenset({F.IDENTITY_CONFLICT.code, F.LINK_MISMATCH.code, F.UNSIGNED_AFTER_SIGNED.code})
"""Findings that ask the department to decide whose answer a file is: counting it answers them."""


def chosen_file(ledger: Ledger, submission_id: int) -> Submission:
    """The received file a decision is about; only answers can be chosen (not an unreadable
    file, an archive, or one camket failed on)."""
    chosen = ledger.submission(submission_id)
    if chosen is None:
        raise InputError(f"Không có tệp nhận số {submission_id} trong sổ tiếp nhận.")
    if chosen.state in ("rejected", "unpacked", "error") or chosen.kind not in ("report", "appraisal", "registration"):
        raise InputError(
            f"Tệp số {submission_id} ({chosen.name}) không thể chọn (trạng thái: {chosen.state_label}"
            f"{'; ' + chosen.note if chosen.note else ''}). Đơn vị cần gửi lại tệp đúng.")
    return chosen


def decide(ledger: Ledger, chosen: Submission, state: str, now: dt.datetime) -> Submission:
    """``accepted``: count ``chosen`` for its unit (the unit's current answer is superseded);
    ``dismissed``: set it aside."""
    command = f"{'accept' if state == 'accepted' else 'dismiss'} {chosen.id}"
    with ledger.transaction():
        run = ledger.start_run(chosen.round, command, now)
        if state == "accepted":
            current = ledger.current(chosen.round, chosen.unit, chosen.kind)
            if current is not None and current.id != chosen.id:
                ledger.set_state(run, current.id, "superseded", superseded_by=chosen.id,
                                 note=f"được thay bằng tệp số {chosen.id} theo quyết định của {_DEPARTMENT}")
            ledger.set_state(run, chosen.id, "accepted", note=f"được tính theo quyết định của {_DEPARTMENT}")
            ledger.settle_findings(chosen.id, SETTLED_BY_ACCEPT,
                                   f"{_DEPARTMENT} đã quyết định tính tệp này cho đơn vị {chosen.unit}")
        else:
            ledger.set_state(run, chosen.id, "dismissed", note=f"được loại theo quyết định của {_DEPARTMENT}")
        ledger.finish_run(run, 1, now)
    found = ledger.submission(chosen.id)
    assert found is not None
    return found


def reread(ws: Workspace, ledger: Ledger, chosen: Submission, unit: str, now: dt.datetime) -> Submission:
    """Read an archived file again as ``unit``'s and count it for that unit (a new record of the
    same file; the old one stays, superseded)."""
    master = ws.master_for(chosen.round)
    if master.unit(unit) is None:
        raise InputError(f"Không có đơn vị mã {unit} trong danh sách của kỳ {chosen.round}.")
    data = ledger.archived(chosen.sha256)
    if data is None:
        raise InputError(f"Không còn bản lưu của tệp số {chosen.id} trong kho lưu; chạy camket verify.")
    ctx = Context(master, ws.settings, ws.round(chosen.round), ws.id, ws.secret, now.date(), Limits(),
                  assign_unit=unit, strict=ws.strict)
    result = process(Item(chosen.name, chosen.source, data, 0.0, chosen.container, sender=chosen.sender), ctx)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if result.internal_error or result.rejected:
        reasons = "; ".join(str(f) for f in errors[:3]) or "không đọc được"
        raise InputError(f"Không thể tính tệp số {chosen.id} cho đơn vị {unit}: {reasons}.")
    command = f"accept {chosen.id} --unit {unit}"
    with ledger.transaction():
        run = ledger.start_run(chosen.round, command, now)
        current = ledger.current(chosen.round, unit, chosen.kind)
        new_id = ledger.add_submission(
            run, sha256=chosen.sha256, size=chosen.size, name=chosen.name, source=chosen.source,
            container=chosen.container, received=chosen.received, file_time=chosen.file_time,
            arrived=chosen.arrived, arrived_source=chosen.arrived_source, format=result.format, kind=result.kind,
            round=chosen.round, claimed_round=result.round, unit=unit, claimed_unit=chosen.claimed_unit,
            template_version=result.template_version, generated=result.generated,
            identified_by=result.identified_by, signed=int(result.signed), state="accepted", sender=chosen.sender,
            note=f"tệp số {chosen.id} đọc lại như báo cáo của {unit} theo quyết định của {_DEPARTMENT}")
        if current is not None:
            ledger.set_state(run, current.id, "superseded", superseded_by=new_id,
                             note=f"được thay bằng tệp số {new_id} theo quyết định của {_DEPARTMENT}")
        if current is None or current.id != chosen.id:
            ledger.set_state(run, chosen.id, "superseded", superseded_by=new_id,
                             note=f"đã đọc lại thành tệp số {new_id} cho đơn vị {unit}")
        ledger.add_rows(new_id, result.rows)
        ledger.add_findings(run, new_id, result.findings)
        ledger.finish_run(run, 1, now)
    found = ledger.submission(new_id)
    assert found is not None
    return found
