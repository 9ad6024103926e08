"""Feedback workbooks for offices (``out/<round>/phan-hoi/``).

For every unit with problems: a fresh, signed template of the round pre-filled with
what the unit sent (a value that could not be accepted is shown as typed), each
problem cell highlighted with a comment saying what is wrong and how to fix it, and a
first sheet listing all problems; sent back, it is ingested as a resubmission. Units
that did not answer get the template with a reminder of the due date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..ledger import StoredRow
from ..model import Finding, Severity
from ..reconcile import Result
from ..schema import REPORT
from ..templates import TemplateJob
from ..vi import format_date

__all__ = ["feedback_jobs"]

_INPUTS = [c.key for c in REPORT.columns if not c.locked]
_LETTER_KEY = {c: k for k, c in zip((col.key for col in REPORT.columns),
                                    (chr(ord("A") + i) for i in range(len(REPORT.columns))), strict=True)}
_CODE_KEY = {
    "status": "status", "progress": "progress", "done-progress-below-100": "progress",
    "progress-100-not-done": "progress", "date": "completed_on", "done-without-date": "completed_on",
    "date-without-done": "completed_on", "score": "self_score", "not-done-without-reason": "difficulties",
}


def _column(finding: Finding) -> str | None:
    """The input column a row finding is about."""
    for prefix, key in _CODE_KEY.items():
        if finding.code == prefix or finding.code.startswith(prefix + "-"):
            return key
    letters = "".join(ch for ch in finding.location.cell if ch.isalpha())
    by_letter = _LETTER_KEY.get(letters)
    return by_letter if by_letter in _INPUTS else None


def _answers(rows: Sequence[StoredRow]) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """What the unit sent, by task; a value that was not accepted is shown raw."""
    prefill: dict[str, dict[str, Any]] = {}
    added: list[dict[str, Any]] = []
    for row in rows:
        answer: dict[str, Any] = {}
        for key in _INPUTS:
            value = getattr(row, key)
            if value is None or value == "":
                raw = row.raw.get(key)
                value = raw[1] if raw else None
            if value is not None and value != "":
                answer[key] = value
        if row.kind == "task":
            prefill[row.task] = answer
        else:
            added.append({**answer, "task_code": row.task, "content": row.content, "product": row.product,
                          "deadline": row.deadline})
    return prefill, added


def feedback_jobs(result: Result, base: Sequence[TemplateJob], rows: Sequence[StoredRow],
                  findings: Sequence[Finding]) -> list[tuple[TemplateJob, int]]:
    """One feedback job per unit with problems or no answer, with its number of problems.

    ``base`` are fresh template jobs of the round (paths already set for feedback),
    ``rows`` the accepted rows, ``findings`` those of the units' current files.
    """
    by_unit_rows: dict[str, list[StoredRow]] = {}
    for row in rows:
        by_unit_rows.setdefault(row.unit, []).append(row)
    by_unit_findings: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.unit and finding.severity is not Severity.INFO:
            by_unit_findings.setdefault(finding.unit, []).append(finding)
    units = {u.unit.code: u for u in result.units}
    jobs: list[tuple[TemplateJob, int]] = []
    for job in base:
        code = job.unit.code
        unit = units.get(code)
        problems = by_unit_findings.get(code, [])
        if unit is not None and not unit.answered:
            sent = result.rejected.get(code, 0)
            reason = (f"Đơn vị đã gửi {sent} tệp nhưng không tệp nào được tính (xem các lỗi dưới đây). "
                      if sent else "Đơn vị chưa gửi báo cáo. ")
            lines = [("Cả báo cáo", f"{reason}Điền mẫu này và gửi về trước ngày {format_date(job.round.due)}.")]
            lines += [(str(f.location) or "Tệp", f.text) for f in problems]
            jobs.append((replace(job, problems=tuple(lines),
                                 problems_title=f"NHẮC GỬI BÁO CÁO {job.round.name.upper()}"), len(lines)))
            continue
        if not problems:
            continue
        prefill, added = _answers(by_unit_rows.get(code, []))
        notes: dict[tuple[str, str], str] = {}
        for finding in problems:
            key = _column(finding)
            if finding.task and key and finding.task in prefill:
                note = notes.get((finding.task, key))
                notes[(finding.task, key)] = f"{note}\n{finding.text}" if note else finding.text
        lines = [(_where(f), f.text) for f in sorted(problems, key=_order)]
        jobs.append((replace(job, prefill=prefill, added=tuple(added), notes=notes, problems=tuple(lines)),
                     len(lines)))
    return jobs


def _order(finding: Finding) -> tuple[int, int, str]:
    """Errors first, then by row and column of the sheet."""
    cell = finding.location.cell
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (0 if finding.severity is Severity.ERROR else 1, int(digits) if digits else 0, cell)


def _where(finding: Finding) -> str:
    parts = [p for p in (finding.location.sheet, finding.location.cell and f"ô {finding.location.cell}") if p]
    if finding.task:
        parts.append(f"nhiệm vụ {finding.task}")
    return ", ".join(parts) or "Cả tệp"
