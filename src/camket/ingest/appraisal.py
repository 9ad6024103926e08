"""A returned appraisal workbook: the organizing department's scores, checked like any
other return (signed metadata, locked context unchanged, scores within the points)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from .. import findings as F
from ..model import Finding, Location, Master
from ..schema import APPRAISAL, find_header
from ..stamp import Stamp, row_hash
from ..values import is_blank, parse_number, text_of
from ..vi import format_number, normalize_code
from .book import Book

__all__ = ["APPRAISAL_CONTEXT", "AppraisalRecord", "read_appraisal"]

APPRAISAL_CONTEXT = ("unit_code", "task_code", "content", "points", "status", "result", "self_score")
_NOT_REPORTED = "Chưa báo cáo"


@dataclass
class AppraisalRecord:
    unit: str
    task: str
    row: int
    score: float | None
    note: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


def read_appraisal(book: Book, stamp: Stamp, master: Master, file: str) -> tuple[list[AppraisalRecord], list[Finding]]:
    """The appraised scores of a returned appraisal workbook, with findings."""
    findings: list[Finding] = []
    sheet = stamp.sheet if stamp.sheet in book.names else APPRAISAL.name
    if sheet not in book.names:
        return [], [F.REPORT_SHEET_MISSING(Location(file), sheet=APPRAISAL.name)]
    rows = book.rows(sheet)
    found = find_header(rows, APPRAISAL, hint=stamp.header_row - 1)
    if found is None or "appraised_score" not in found[1]:
        return [], [F.COLUMN_MISSING(Location(file, sheet), column=APPRAISAL["appraised_score"].header)]
    header, columns = found
    expected = {code: digest for code, _, digest in stamp.tasks}
    records: list[AppraisalRecord] = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        values = {k: row[c] if c < len(row) else None for k, c in columns.items()}
        unit, task = normalize_code(text_of(values.get("unit_code"))), normalize_code(text_of(values.get("task_code")))
        if not unit or not task:
            continue
        key = f"{unit}/{task}"
        where = Location(file, sheet, xl_rowcol_to_cell(index, columns["appraised_score"]))
        if key not in expected:
            findings.append(F.APPRAISAL_ROW_UNKNOWN(where, unit=unit, task=task))
            continue
        if row_hash([values.get(k) for k in APPRAISAL_CONTEXT]) != expected[key]:
            findings.append(F.APPRAISAL_CONTEXT_CHANGED(Location(file, sheet, f"A{index + 1}"), unit=unit, task=task))
        raw = values.get("appraised_score")
        note = text_of(values.get("appraisal_note"))
        known = master.task(task)
        if is_blank(raw):
            if text_of(values.get("status")) not in ("", _NOT_REPORTED):
                findings.append(F.APPRAISAL_MISSING(where, unit=unit, task=task))
            continue
        try:
            score, _ = parse_number(raw)
            if score < 0:
                raise ValueError
        except ValueError:
            findings.append(F.APPRAISAL_SCORE_INVALID(where, unit=unit, task=task, value=f'"{text_of(raw)}"'))
            continue
        if known is not None and score > known.points:
            findings.append(F.APPRAISAL_ABOVE_POINTS(where, unit=unit, task=task, value=format_number(score),
                                                     points=format_number(known.points)))
            continue
        records.append(AppraisalRecord(unit, task, index + 1, score, note,
                                       {"appraised_score": [where.cell, raw], "appraisal_note": note}))
    return records, findings
