"""``danh-muc.xlsx`` -> units and tasks, with findings; and the checks of ``camket check``.

Reading is tolerant the way the organizing department needs: title rows above the
header, headers typed with or without diacritics or in another case, extra columns,
blank rows, codes with stray spaces, deadlines as dates or day-first text (``30/6/2022``,
``6/2022`` = end of that month, ``Quý II/2022``, ``Thường xuyên``), decomposed Unicode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine
from xlsxwriter.utility import xl_rowcol_to_cell

from . import findings as F
from .model import Finding, Location, Master, Task, Unit
from .schema import MASTER_TASKS, MASTER_UNITS, Sheet, find_header
from .values import is_blank, parse_deadline, parse_flag, parse_number, text_of
from .vi import fold_key, format_date, normalize_code
from .vntext import repair_legacy

__all__ = ["MasterRead", "read_master"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBERING = re.compile(r"^\(?\d+\)?$")


@dataclass(frozen=True)
class MasterRead:
    master: Master
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class _Row:
    """One data row of a master sheet: values by column key, and where each came from."""

    values: dict[str, Any]
    cells: dict[str, str]
    number: int

    def text(self, key: str) -> str:
        return text_of(self.values.get(key))

    def cell(self, key: str) -> str:
        return self.cells.get(key, f"A{self.number}")


def _sheet_rows(
    book: calamine.CalamineWorkbook, sheet: Sheet, file: str, findings: list[Finding]
) -> list[_Row] | None:
    """The data rows of a master sheet; None when the sheet or its header is unusable."""
    names = {fold_key(n): n for n in book.sheet_names}
    name = next((names[k] for k in sheet.keys if k in names), None)
    if name is None:
        findings.append(F.MASTER_SHEET_MISSING(Location(file), sheet=sheet.name))
        return None
    rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    header = find_header(rows, sheet)
    required = [c for c in sheet.columns if c.required]
    if header is None:
        findings.append(F.MASTER_HEADER_MISSING(Location(file, name), column=required[0].header))
        return None
    head_index, columns = header
    missing = [c for c in required if c.key not in columns]
    for column in missing:
        findings.append(F.MASTER_COLUMN_MISSING(
            Location(file, name, f"A{head_index + 1}"), column=column.header))
    if missing:
        return None
    out: list[_Row] = []
    first_key = required[0].key
    for index in range(head_index + 1, len(rows)):
        row = rows[index]
        values = {key: row[col] if col < len(row) else None for key, col in columns.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        if _NUMBERING.match(text_of(values.get(first_key))):
            continue  # the "(1) (2) (3)" row some forms carry under the header
        cells = {key: xl_rowcol_to_cell(index, col) for key, col in columns.items()}
        out.append(_Row(values, cells, index + 1))
    if not out:
        findings.append(F.MASTER_EMPTY(Location(file, name), sheet=name))
    return out


def read_master(path: Path, year: int | None = None) -> MasterRead:
    """Read and check the master workbook; never raises on bad content.

    >>> read = read_master(Path("danh-muc.xlsx"), 2022)  # doctest: +SKIP
    >>> len(read.master.tasks), [f.code for f in read.findings]  # doctest: +SKIP
    (107, [])
    """
    file = path.name
    findings: list[Finding] = []
    if not path.is_file():
        return MasterRead(Master((), ()), (F.MASTER_MISSING(Location(file), file=file),))
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        unit_rows = _sheet_rows(book, MASTER_UNITS, file, findings)
        task_rows = _sheet_rows(book, MASTER_TASKS, file, findings)
    except (calamine.CalamineError, OSError, ValueError) as exc:
        return MasterRead(Master((), ()), (F.MASTER_UNREADABLE(Location(file), reason=str(exc)),))
    units = _units(unit_rows or [], file, findings)
    tasks = _tasks(task_rows or [], file, year, findings)
    if unit_rows is not None and task_rows is not None:
        findings.extend(_cross_check(units, tasks))
    master = Master(tuple(u for u, _ in units), tuple(t for t, _ in tasks))
    return MasterRead(master, tuple(findings))


def _legacy(text: str, where: Location, findings: list[Finding]) -> str:
    repair = repair_legacy(text)
    if repair.encoding is not None:
        findings.append(F.MASTER_LEGACY_TEXT(where, text=text[:60], encoding=repair.encoding))
    return text


def _units(rows: list[_Row], file: str, findings: list[Finding]) -> list[tuple[Unit, Location]]:
    units: list[tuple[Unit, Location]] = []
    first: dict[str, str] = {}
    sheet = MASTER_UNITS.name
    for row in rows:
        code = normalize_code(row.text("unit_code"))
        where = Location(file, sheet, row.cell("unit_code"))
        if not code:
            findings.append(F.UNIT_CODE_MISSING(where))
            continue
        if code in first:
            findings.append(F.DUPLICATE_UNIT_CODE(where, unit=code, code=code, first=first[code]))
            continue
        first[code] = row.cell("unit_code")
        name = _legacy(row.text("unit_name"), Location(file, sheet, row.cell("unit_name")), findings)
        if not name:
            findings.append(F.UNIT_NAME_MISSING(Location(file, sheet, row.cell("unit_name")), unit=code, code=code))
        email = row.text("email")
        if email and not _EMAIL.match(email):
            findings.append(F.UNIT_EMAIL_INVALID(Location(file, sheet, row.cell("email")), unit=code, email=email))
        if not row.text("head"):
            findings.append(F.UNIT_HEAD_MISSING(Location(file, sheet, row.cell("head")), unit=code, code=code))
        unit = Unit(code, name, row.text("block"), row.text("head"), row.text("position"), email)
        units.append((unit, where))
    return units


def _tasks(
    rows: list[_Row], file: str, year: int | None, findings: list[Finding]
) -> list[tuple[Task, Location]]:
    tasks: list[tuple[Task, Location]] = []
    first: dict[str, str] = {}
    sheet = MASTER_TASKS.name
    for row in rows:
        code = normalize_code(row.text("task_code"))

        def at(key: str, row: _Row = row) -> Location:
            return Location(file, sheet, row.cell(key))

        if not code:
            findings.append(F.TASK_CODE_MISSING(at("task_code")))
            continue
        if code in first:
            findings.append(F.DUPLICATE_TASK_CODE(at("task_code"), task=code, code=code, first=first[code]))
            continue
        first[code] = row.cell("task_code")
        unit = normalize_code(row.text("unit_code"))
        content = _legacy(row.text("content"), at("content"), findings)
        deadline, deadline_text = None, ""
        raw_deadline = row.values.get("deadline")
        if is_blank(raw_deadline):
            findings.append(F.TASK_DEADLINE_MISSING(at("deadline"), unit=unit, task=code, code=code))
        else:
            try:
                deadline, deadline_text = parse_deadline(raw_deadline)
            except ValueError as exc:
                findings.append(F.TASK_DEADLINE_INVALID(
                    at("deadline"), unit=unit, task=code, code=code, reason=str(exc)))
        if deadline is not None and year is not None and deadline.year != year:
            findings.append(F.TASK_DEADLINE_OUTSIDE_YEAR(
                at("deadline"), unit=unit, task=code, code=code, deadline=format_date(deadline),
                year=year))
        points = 0.0
        raw_points = row.values.get("points")
        if is_blank(raw_points):
            findings.append(F.TASK_POINTS_MISSING(at("points"), unit=unit, task=code, code=code))
        else:
            try:
                points, _ = parse_number(raw_points)
                if points < 0:
                    raise ValueError(f"{text_of(raw_points)} là số âm")
            except ValueError as exc:
                points = 0.0
                findings.append(F.TASK_POINTS_INVALID(
                    at("points"), unit=unit, task=code, code=code, reason=str(exc)))
        group = row.text("group")
        if not group:
            findings.append(F.TASK_GROUP_MISSING(at("group"), unit=unit, task=code, code=code))
        tasks.append((Task(
            code=code, unit=unit, content=content, group=group, source=row.text("source"),
            product=row.text("product"), target=row.text("target"), deadline=deadline,
            deadline_text=deadline_text, points=points, hard=parse_flag(row.values.get("hard")),
            parent=normalize_code(row.text("parent")), note=row.text("note"),
        ), at("unit_code")))
        if not unit:
            findings.append(F.TASK_UNIT_MISSING(at("unit_code"), task=code, code=code))
        if not content:
            findings.append(F.TASK_CONTENT_MISSING(at("content"), unit=unit, task=code, code=code))
    return tasks


def _cross_check(
    units: list[tuple[Unit, Location]], tasks: list[tuple[Task, Location]]
) -> list[Finding]:
    """Tasks of unknown units, units without tasks."""
    findings: list[Finding] = []
    codes = {u.code for u, _ in units}
    for task, unit_cell in tasks:
        if task.unit and task.unit not in codes:
            findings.append(F.TASK_UNKNOWN_UNIT(
                unit_cell, task=task.code, code=task.code, unit_code=task.unit))
    with_tasks = {t.unit for t, _ in tasks}
    for unit, code_cell in units:
        if unit.code not in with_tasks:
            findings.append(F.UNIT_NO_TASKS(code_cell, unit=unit.code, code=unit.code))
    return findings
