"""Feedback workbooks for offices (``out/<round>/phan-hoi/``), each worded for its case.

- **Never sent**: the template with a reminder of the deadline missed and a new one.
- **File could not be read**: the office is told its file arrived but could not be
  read, why, and that it must send the report again (it is not told it never sent).
- **Errors to fix**: a fresh, signed template of the round pre-filled with what the unit
  sent (a value that could not be accepted shown as typed), each cell to fix highlighted
  with a comment, a first sheet listing what to fix and by when; sent back, it is
  ingested as a resubmission.
- **Information only**: the report was counted and nothing is to be resent; the first
  sheet lists notes for next time, without highlighted cells or a deadline.

Offices resend by the report's date plus ``[feedback] working_days`` working days
(:func:`~camket.report.dates.resend_deadline`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..findings import for_next_time
from ..ledger import StoredRow
from ..model import Finding, Severity
from ..reconcile import Result
from ..schema import REPORT
from ..templates import TemplateJob
from ..vi import text_date, vi_timestamps

__all__ = ["FeedbackJob", "feedback_jobs"]

_INPUTS = [c.key for c in REPORT.columns if not c.locked]
_LETTER_KEY = {c: k for k, c in zip((col.key for col in REPORT.columns),
                                    (chr(ord("A") + i) for i in range(len(REPORT.columns))), strict=True)}
_CODE_KEY = {
    "status": "status", "progress": "progress", "done-progress-below-100": "progress",
    "progress-100-not-done": "progress", "date": "completed_on", "done-without-date": "completed_on",
    "date-without-done": "completed_on", "score": "self_score", "not-done-without-reason": "difficulties",
    "self-score": "self_score", "achieved": "achieved", "target-not-met": "achieved",
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


@dataclass(frozen=True)
class FeedbackJob:
    """One office's feedback workbook: its job, how many items it lists, what it asks
    (the mailing list's "Nội dung") and by when (None: nothing to resend)."""

    job: TemplateJob
    items: int
    case: str
    deadline: dt.date | None


def feedback_jobs(result: Result, base: Sequence[TemplateJob], rows: Sequence[StoredRow],
                  findings: Sequence[Finding], dated: dt.date, resend: dt.date, contact: str = "") -> list[FeedbackJob]:
    """One feedback job per unit that did not report, sent an unreadable file, or has
    something to fix or note.

    ``base`` are fresh template jobs of the round (paths already set for feedback),
    ``rows`` the accepted rows, ``findings`` those of the units' current files, ``dated``
    the report's date, ``resend`` the deadline to send again, ``contact`` who receives.
    """
    by_unit_rows: dict[str, list[StoredRow]] = {}
    for row in rows:
        by_unit_rows.setdefault(row.unit, []).append(row)
    by_unit_findings: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.unit and finding.severity is not Severity.INFO:
            by_unit_findings.setdefault(finding.unit, []).append(finding)
    units = {u.unit.code: u for u in result.units}
    to = f" về {contact}" if contact else ""
    jobs: list[FeedbackJob] = []
    for job in base:
        code = job.unit.code
        unit = units.get(code)
        problems = by_unit_findings.get(code, [])
        round_ = job.round
        name = job.unit.name
        if unit is not None and not unit.answered and unit.totals.total:
            if result.rejected.get(code):
                intro = (f"{name}: đơn vị đã gửi báo cáo {round_.name} nhưng tệp gửi đến không đọc được nên chưa "
                         f"được tổng hợp (lý do dưới đây). Đề nghị điền báo cáo vào tệp này (hoặc mở tệp đã gửi "
                         f"bằng Excel, LibreOffice, lưu lại) và gửi lại{to} chậm nhất ngày {text_date(resend)}.")
                lines = tuple((_sent_file(f), vi_timestamps(f.text)) for f in problems)
                jobs.append(FeedbackJob(replace(
                    job, problems=lines, problems_intro=intro, deadline=resend,
                    problems_title=f"ĐỀ NGHỊ GỬI LẠI BÁO CÁO {round_.name.upper()}"), len(lines) or 1,
                    "Tệp đã gửi không đọc được, đề nghị gửi lại", resend))
            else:
                intro = (f"{name}: đến ngày {text_date(dated)}, chưa nhận được báo cáo {round_.name} của đơn vị "
                         f"(hạn gửi ngày {text_date(round_.due)}). Đề nghị điền báo cáo vào tệp này và gửi{to} "
                         f"chậm nhất ngày {text_date(resend)}.")
                jobs.append(FeedbackJob(replace(
                    job, problems_intro=intro, deadline=resend,
                    problems_title=f"NHẮC GỬI BÁO CÁO {round_.name.upper()}"), 1, "Nhắc gửi báo cáo", resend))
            continue
        if not problems:
            continue
        to_fix = sorted((f for f in problems if not for_next_time(f)), key=_order)
        remarks = tuple((_where(f), vi_timestamps(f.text)) for f in sorted(problems, key=_order) if for_next_time(f))
        if not to_fix:
            intro = (f"{name}: báo cáo {round_.name} của đơn vị đã được tiếp nhận và tổng hợp, không cần gửi lại. "
                     "Đề nghị lưu ý các nội dung dưới đây trong lần báo cáo sau.")
            jobs.append(FeedbackJob(replace(
                job, remarks=remarks, problems_intro=intro,
                problems_title=f"LƯU Ý VỀ BÁO CÁO {round_.name.upper()}"), len(remarks),
                "Lưu ý cho lần sau, không cần gửi lại", None))
            continue
        prefill, added = _answers(by_unit_rows.get(code, []))
        notes: dict[tuple[str, str], str] = {}
        for finding in to_fix:
            key = _column(finding)
            if finding.task and key and finding.task in prefill:
                note = notes.get((finding.task, key))
                text = vi_timestamps(finding.text)
                notes[(finding.task, key)] = f"{note}\n{text}" if note else text
        lines = tuple((_where(f), vi_timestamps(f.text)) for f in to_fix)
        where = (f"các ô tô đỏ ở sheet \"{REPORT.name}\", rê chuột vào ô để xem ghi chú" if notes
                 else "danh sách dưới đây")
        intro = (f"{name}: báo cáo {round_.name} của đơn vị đã được tiếp nhận; còn {len(lines)} nội dung cần sửa "
                 f"({where}). Đề nghị sửa và gửi lại tệp này{to} chậm nhất ngày {text_date(resend)}.")
        jobs.append(FeedbackJob(replace(job, prefill=prefill, added=tuple(added), notes=notes, problems=lines,
                                        remarks=remarks, problems_intro=intro, deadline=resend),
                                len(lines) + len(remarks), "Sửa và gửi lại báo cáo", resend))
    return jobs


def _order(finding: Finding) -> tuple[int, int, str]:
    """Errors first, then by row and column of the sheet."""
    cell = finding.location.cell
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (0 if finding.severity is Severity.ERROR else 1, int(digits) if digits else 0, cell)


def _sent_file(finding: Finding) -> str:
    """Where a problem of a file that could not be read is, as the office knows it: the file's
    own name, never the folders it was received in (``nhan-2023-6T/VP.xlsx`` -> ``VP.xlsx``)."""
    where = finding.location
    return str(replace(where, file=re.split(r"[\\/]", where.file)[-1])) or "Tệp đã gửi"


def _where(finding: Finding) -> str:
    parts = [p for p in (finding.location.sheet, finding.location.cell and f"ô {finding.location.cell}") if p]
    if finding.task:
        parts.append(f"nhiệm vụ {finding.task}")
    return ", ".join(parts) or "Cả tệp"
