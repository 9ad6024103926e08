"""Issuing a round: one template per unit from the round's list, the zip and the mailing list.

The first time a round's templates are written, its units and tasks are frozen (see
:mod:`camket.rounds`); afterwards the frozen list is used, unless the round is re-issued.
Each template's SHA-256 is recorded, so one returned exactly as sent is recognised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .ledger import Ledger
from .ledger.frozen import diff
from .links import link_path
from .model import Adjustment, Master
from .rounds import issue

if TYPE_CHECKING:
    from .templates import Progress, TemplateJob, TemplatesResult
    from .workspace import Workspace

__all__ = ["issue_templates", "prefill", "template_jobs"]

log = logging.getLogger("camket.issuing")


def template_jobs(ws: Workspace, round_id: str, units: list[str] | None = None, prefill_from: str | None = None,
                  generated: dt.datetime | None = None, *, master: Master | None = None) -> list[TemplateJob]:
    """One job per unit of the round's list (or ``master``), pre-filled from ``prefill_from``."""
    from .templates import TemplateJob, template_filename

    round_ = ws.round(round_id)
    master = master or ws.master_for(round_id)
    chosen = ws.units(units, master)
    generated = (generated or dt.datetime.now()).replace(microsecond=0)
    answers = prefill(ws, prefill_from, [u.code for u in chosen]) if prefill_from else {}
    folder = ws.out_dir(round_.id) / "templates"
    base = ws.settings.base_url
    return [
        TemplateJob(
            path=folder / template_filename(round_.id, unit), unit=unit,
            tasks=master.tasks_of(unit.code), round=round_, settings=ws.settings,
            workspace_id=ws.id, secret=ws.secret, generated=generated,
            prefill={k: v for k, v in answers.get(unit.code, {}).items() if k != "+"},
            added=tuple(cast(dict[str, Any], v) for v in answers.get(unit.code, {}).get("+", {}).values()),
            link=base + link_path(ws.secret, ws.id, round_.id, unit.code) if base else "",
        )
        for unit in chosen
    ]


def issue_templates(ws: Workspace, round_id: str, units: list[str] | None, prefill_from: str | None,
                    generated: dt.datetime | None, on_progress: Progress | None, *, reissue: bool,
                    wait: float) -> TemplatesResult:
    """Write the round's templates, freezing its list the first time (or again, ``reissue``)."""
    from .templates import TemplatesResult, run_jobs, write_bundle

    round_ = ws.round(round_id)
    now = dt.datetime.now().replace(microsecond=0)
    with ws.lock(wait):
        with Ledger(ws.root, now=now) as ledger:
            frozen = ledger.frozen_master(round_id)
        current = ws.master() if frozen is None or reissue else None
        master = current if current is not None else frozen
        assert master is not None
        jobs = template_jobs(ws, round_id, units, prefill_from, generated, master=master)
        stamps = run_jobs(jobs, on_progress)
        files = [job.path for job in jobs]
        folder = ws.out_dir(round_.id) / "templates"
        subject = f"Báo cáo kết quả thực hiện nhiệm vụ cam kết {round_.name}"
        zip_path, mailing = write_bundle(
            folder, round_, [job.unit for job in jobs], files, subject, f"{round_.id}_mau-bao-cao.zip",
            f"{round_.id}_danh-sach-gui.xlsx")
        with Ledger(ws.root, now=now) as ledger, ledger.transaction():
            changes: list[Adjustment] = []
            if current is not None:
                changes = issue(ledger, round_id, current, reason="reissue" if frozen else "templates", now=now,
                                previous=ws.settings.previous_round(round_id))
            ledger.add_issued(round_id, [(_sha256(p), job.unit.code, p.name) for job, p in zip(jobs, files,
                                                                                              strict=True)])
    log.info("Lập %d mẫu kỳ %s%s", len(files), round_id,
             f" (phát hành lại, {len(changes)} điều chỉnh)" if reissue and frozen is not None else "")
    not_applied: list[Adjustment] = []
    if current is None and frozen is not None and ws.master_read.master.tasks:
        not_applied = diff(frozen, ws.master_read.master, round_id, now, "danh mục hiện hành")
    return TemplatesResult(round_, tuple(files), tuple(stamps), zip_path, mailing, tuple(changes),
                           tuple(not_applied))


def prefill(ws: Workspace, round_id: str, units: list[str]) -> dict[str, dict[str, dict[str, object]]]:
    """Accepted answers of an earlier round, by unit and task (added tasks under "+")."""
    ws.round(round_id)
    wanted = set(units)
    out: dict[str, dict[str, dict[str, object]]] = {}
    with ws.ledger() as ledger:
        for row in ledger.accepted_rows(round_id):
            if row.unit not in wanted:
                continue
            answer = {key: value for key, value in row.answer().items() if value not in (None, "")}
            if row.kind == "task":
                out.setdefault(row.unit, {})[row.task] = answer
            else:
                added = {**answer, "task_code": row.task, "content": row.content, "product": row.product,
                         "deadline": row.deadline}
                out.setdefault(row.unit, {}).setdefault("+", {})[str(len(out[row.unit]["+"]))] = added
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
