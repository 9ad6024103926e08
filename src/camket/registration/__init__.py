"""Registration of tasks before the year (*đăng ký nhiệm vụ*).

1. :func:`write_workbooks` (``camket registration``): one signed workbook per unit, pre-filled
   with its common and assigned tasks, with rows for the head's own tasks;
2. the returned workbooks are ingested like any return (``camket ingest … --round <id>``, the
   ``[registration]`` id): :mod:`.read` reads them, with findings and the structure rules;
3. :func:`proposal` shows what would change in ``danh-muc.xlsx``; :func:`apply_proposal`
   (``camket register-apply``) writes it, after a copy, once the department approves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ledger import Ledger
from ..model import Round, Severity
from ..rounds import issue
from .plan import Proposal, apply, propose

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["Applied", "Proposal", "Written", "apply_proposal", "proposal", "registration_round", "write_workbooks"]


@dataclass(frozen=True)
class Written:
    round: Round
    files: tuple[Path, ...]
    zip_path: Path
    mailing_list: Path


@dataclass(frozen=True)
class Applied:
    proposal: Proposal
    backup: Path | None       # the copy of danh-muc.xlsx kept before writing (None: nothing written)


def registration_round(ws: Workspace) -> Round:
    settings = ws.settings.registration
    if settings is None:
        raise InputError("camket.toml chưa có năm thực hiện ([programme] year) nên chưa lập được đợt đăng ký.")
    return settings.round


def write_workbooks(ws: Workspace, units: list[str] | None = None, generated: dt.datetime | None = None) -> Written:
    """One registration workbook per unit into ``out/<id>/dang-ky/``, a zip and a mailing list.
    The first time, the units and tasks the workbooks are made from are kept as the
    registration's list (what returned workbooks are checked against)."""
    from ..templates import template_filename, write_bundle
    from .book import RegistrationJob, write_registration

    round_ = registration_round(ws)
    settings = ws.settings.registration
    assert settings is not None
    generated = (generated or dt.datetime.now()).replace(microsecond=0)
    with ws.lock():
        with Ledger(ws.root, now=generated) as ledger:
            master = ledger.frozen_master(round_.id)
            if master is None:
                master = ws.master()
                issue(ledger, round_.id, master, reason="templates", now=generated)
        chosen = ws.units(units, master)
        folder = ws.out_dir(round_.id) / "dang-ky"
        groups = tuple(sorted({t.group for t in master.tasks if t.group}))
        jobs = [RegistrationJob(folder / template_filename(round_.id, unit, prefix="dang-ky_"), unit,
                                master.tasks_of(unit.code), ws.settings, settings, ws.id, ws.secret, generated, groups)
                for unit in chosen]
        for job in jobs:
            write_registration(job)
        files = [job.path for job in jobs]
        zip_path, mailing = write_bundle(folder, round_, chosen, files,
                                         f"Đăng ký nhiệm vụ trọng tâm năm {ws.settings.year}",
                                         f"{round_.id}_phieu-dang-ky.zip", f"{round_.id}_danh-sach-gui.xlsx")
        import hashlib

        with Ledger(ws.root, now=generated) as ledger, ledger.transaction():
            ledger.add_issued(round_.id, [(hashlib.sha256(p.read_bytes()).hexdigest(), j.unit.code, p.name)
                                          for j, p in zip(jobs, files, strict=True)])
    return Written(round_, tuple(files), zip_path, mailing)


def proposal(ws: Workspace, now: dt.datetime | None = None) -> Proposal:
    """What the accepted registrations would change in the master list (nothing is written)."""
    round_ = registration_round(ws)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    with ws.ledger() as ledger:
        rows = ledger.accepted_registrations(round_.id)
        accepted = [s.id for s in ledger.submissions(round_.id) if s.state == "accepted" and s.kind == "registration"]
        problems = [f for f in ledger.findings_of(accepted) if f.severity is Severity.ERROR]
    return propose(ws.master(), rows, ws.settings, round_, now, problems)


def apply_proposal(ws: Workspace, *, force: bool = False, now: dt.datetime | None = None) -> Applied:
    """Write the proposal into ``danh-muc.xlsx`` (after a copy in ``.camket/backup/``). Refuses
    while the proposal has errors, unless ``force``."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    with ws.lock():
        ws.__dict__.pop("master_read", None)  # read the list afresh: it may have been edited since
        found = proposal(ws, now)
        if found.errors and not force:
            raise InputError(f"Đề xuất danh mục còn {len(found.errors)} lỗi (xem camket register-apply --dry-run); "
                             "sửa rồi chạy lại, hoặc dùng --force nếu đơn vị tổng hợp vẫn chấp thuận.")
        if not found.changes:
            return Applied(found, None)
        backup = apply(found, ws.master_path, ws.state_dir / "backup", now)
        ws.__dict__.pop("master_read", None)
    return Applied(found, backup)
