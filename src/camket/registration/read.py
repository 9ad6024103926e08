"""A returned registration workbook -> the tasks its head registered, with findings at their cells.

Given tasks (common, assigned) keep their code, source and content: an edit of those cells is
a finding and the given text is kept; a given row deleted is a finding and the task stays in
the master list. Own tasks are the filled rows under the marker (or any row without a code):
each needs content, a valid deadline and points. The registered set is checked against the
structure rules that apply to the unit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from .. import findings as F
from ..config import Settings
from ..ingest.book import Book
from ..model import Finding, Location, Master, Task
from ..schema import REGISTRATION, find_header
from ..stamp import Stamp, row_hash
from ..structure import check_structure
from ..values import is_blank, parse_deadline, parse_flag, parse_number, text_of
from ..vi import fold, fold_key, format_date, normalize_code
from .book import OWN_MARKER

__all__ = ["RegistrationRecord", "read_registration"]


@dataclass
class RegistrationRecord:
    """One registered task: a given one (``task`` is its code) or the head's own (``task`` empty)."""

    unit: str
    row: int
    task: str
    source: str
    content: str
    group: str = ""
    product: str = ""
    target: str = ""
    deadline: dt.date | None = None
    deadline_text: str = ""
    points: float | None = None
    hard: bool = False
    note: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    def values(self) -> tuple[Any, ...]:
        """As the ledger's ``registrations`` table stores it (after ``submission_id``)."""
        return (self.unit, self.row, self.task, self.source, self.content, self.group, self.product, self.target,
                self.deadline.isoformat() if self.deadline else None, self.deadline_text, self.points,
                int(self.hard), self.note, json.dumps(self.raw, ensure_ascii=False, default=str))


_MARKER = fold(OWN_MARKER)
_END = re.compile(r"ngay\W+thang\W+nam|thu truong don vi|\(ky, ghi ro ho ten\)")
_TEXTS = ("group", "product", "target", "note")


class _Reader:
    def __init__(self, file: str, sheet: str, unit: str, year: int, columns: dict[str, int]) -> None:
        self.file, self.sheet, self.unit, self.year, self.columns = file, sheet, unit, year, columns
        self.findings: list[Finding] = []

    def at(self, index: int, key: str) -> Location:
        return Location(self.file, self.sheet, xl_rowcol_to_cell(index, self.columns.get(key, 0)))

    def cells(self, row: list[Any]) -> dict[str, Any]:
        return {k: row[c] if c < len(row) else None for k, c in self.columns.items()}

    def details(self, record: RegistrationRecord, values: dict[str, Any], index: int) -> bool:
        """Group, product, target, deadline, points, hard, note into ``record``; False on an error."""
        for key in _TEXTS:
            setattr(record, key, " ".join(text_of(values.get(key)).split()))
        record.hard = parse_flag(values.get("hard"))
        record.raw = {k: text_of(v) if not isinstance(v, dt.date) else v.isoformat()
                      for k, v in values.items() if not is_blank(v)}
        content = record.content[:80]
        ok = True
        raw = values.get("deadline")
        if is_blank(raw):
            self.findings.append(F.REG_DEADLINE_MISSING(self.at(index, "deadline"), unit=self.unit,
                                                        task=record.task, content=content))
            ok = False
        else:
            try:
                record.deadline, record.deadline_text = parse_deadline(raw)
            except ValueError as exc:
                self.findings.append(F.REG_DEADLINE_INVALID(self.at(index, "deadline"), unit=self.unit,
                                                            task=record.task, value=text_of(raw), content=content,
                                                            reason=str(exc)))
                ok = False
            if record.deadline is not None and record.deadline.year != self.year:
                self.findings.append(F.REG_DEADLINE_OUTSIDE_YEAR(
                    self.at(index, "deadline"), unit=self.unit, task=record.task,
                    deadline=format_date(record.deadline), content=content, year=self.year))
        points = values.get("points")
        if is_blank(points):
            self.findings.append(F.REG_POINTS_MISSING(self.at(index, "points"), unit=self.unit, task=record.task,
                                                      content=content))
        else:
            try:
                record.points = parse_number(points)[0]
                if record.points < 0:
                    raise ValueError
            except ValueError:
                record.points = None
                self.findings.append(F.REG_POINTS_INVALID(self.at(index, "points"), unit=self.unit,
                                                          task=record.task, value=text_of(points), content=content))
                ok = False
        return ok


def read_registration(book: Book, stamp: Stamp, master: Master, settings: Settings,
                      file: str) -> tuple[list[RegistrationRecord], list[Finding]]:
    """The tasks registered in a returned registration workbook, with findings (only rows
    without an error are returned)."""
    sheet = stamp.sheet if stamp.sheet in book.names else REGISTRATION.name
    if sheet not in book.names:
        return [], [F.REPORT_SHEET_MISSING(Location(file), unit=stamp.unit, sheet=REGISTRATION.name)]
    rows = book.rows(sheet)
    found = find_header(rows, REGISTRATION, hint=stamp.header_row - 1)
    if found is None or "content" not in found[1]:
        return [], [F.COLUMN_MISSING(Location(file, sheet), unit=stamp.unit, column=REGISTRATION["content"].header)]
    header, columns = found
    year = settings.year
    reader = _Reader(file, sheet, stamp.unit, year, columns)
    given = {code: digest for code, _, digest in stamp.tasks}
    own_source = settings.registration.own_source if settings.registration else "Tự đăng ký"
    records: list[RegistrationRecord] = []
    seen: dict[str, int] = {}
    for index in range(header + 1, len(rows)):
        row = rows[index]
        values = reader.cells(row)
        joined = fold(" ".join(v for v in row if isinstance(v, str)))
        code = normalize_code(text_of(values.get("task_code")))
        first = next((fold(v) for v in row if isinstance(v, str) and v.strip()), "")
        if not code and first.startswith(_MARKER):
            continue
        if not code and _END.search(joined):
            break
        task = master.task(code) if code in given else None
        if task is not None:
            records.append(_given(reader, task, values, index, given[code]))
            seen[task.code] = index + 1
            continue
        filled = {k: v for k, v in values.items() if k not in ("stt", "source", "task_code") and not is_blank(v)}
        if not filled:
            continue
        record = RegistrationRecord(stamp.unit, index + 1, "", own_source, " ".join(text_of(values.get("content"))
                                                                                    .split()))
        if not record.content:
            what = ", ".join(REGISTRATION[k].header.lower() for k in filled)
            reader.findings.append(F.REG_CONTENT_MISSING(Location(file, sheet, f"A{index + 1}"), unit=stamp.unit,
                                                         what=what))
            continue
        key = fold_key(record.content)
        if key in seen:
            reader.findings.append(F.REG_DUPLICATE(Location(file, sheet, f"A{index + 1}"), unit=stamp.unit,
                                                   content=record.content[:80], first=seen[key], row=index + 1))
            continue
        seen[key] = index + 1
        if reader.details(record, values, index):
            records.append(record)
    for code in given:
        if code not in seen and master.task(code) is not None:
            reader.findings.append(F.REG_TASK_DROPPED(Location(file, sheet), unit=stamp.unit, task=code))
    findings = reader.findings
    findings += _structure(records, master, settings, stamp.unit, Location(file, sheet))
    return records, findings


def _given(reader: _Reader, task: Task, values: dict[str, Any], index: int, digest: str) -> RegistrationRecord:
    record = RegistrationRecord(task.unit, index + 1, task.code, task.source, task.content)
    shown = (task.code, text_of(values.get("source")), text_of(values.get("content")))
    new = " ".join(shown[2].split())
    if row_hash(shown) != digest and new != " ".join(task.content.split()):
        reader.findings.append(F.REG_LOCKED_CHANGED(reader.at(index, "content"), unit=task.unit, task=task.code,
                                                    old=task.content[:80], new=new[:80] or "(trống)"))
    if not reader.details(record, values, index):
        # a detail the head got wrong: the master list's value is kept
        record.deadline, record.deadline_text = task.deadline, task.deadline_text
        record.points = task.points if record.points is None else record.points
    return record


def _structure(records: list[RegistrationRecord], master: Master, settings: Settings, unit: str,
               where: Location) -> list[Finding]:
    if not settings.structure or master.unit(unit) is None:
        return []
    tasks = tuple(Task(r.task or f"+{r.row}", unit, r.content, source=r.source) for r in records)
    found = master.unit(unit)
    assert found is not None
    return [f for f in check_structure(Master((found,), tasks), settings.structure, where)
            if f.code == F.STRUCTURE_VIOLATION.code]
