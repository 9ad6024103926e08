"""``danh-muc.xlsx`` -> units and tasks, with findings; and the checks of ``camket check``.

Reading is tolerant the way the organizing department needs: title rows above the
header, headers typed with or without diacritics or in another case, extra columns,
blank rows, codes with stray spaces, deadlines as dates or day-first text (``30/6/2022``,
``6/2022`` = end of that month, ``Quý II/2022``, ``Thường xuyên``), decomposed Unicode.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine
from xlsxwriter.utility import xl_col_to_name

from . import findings as F
from .model import Finding, Location, Master, Task, Unit
from .schema import MASTER_TARGETS, MASTER_TASKS, MASTER_UNITS, Sheet, find_header, match_header
from .targets import Target, looks_numeric, parse_target
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


class _Table:
    """A master sheet found and its header understood: column positions by key."""

    def __init__(self, name: str, columns: dict[str, int]) -> None:
        self.name = name
        self.columns = columns
        self.letters = {key: xl_col_to_name(col) for key, col in columns.items()}

    def cell(self, key: str, number: int) -> str:
        """``"C12"``: where ``key``'s value is on (1-based) row ``number``."""
        return f"{self.letters.get(key, 'A')}{number}"


class _Row:
    """One data row of a master sheet: values by column key, and where each came from."""

    __slots__ = ("number", "table", "values")

    def __init__(self, table: _Table, values: dict[str, Any], number: int) -> None:
        self.table, self.values, self.number = table, values, number

    def text(self, key: str) -> str:
        return text_of(self.values.get(key))

    def cell(self, key: str) -> str:
        return self.table.cell(key, self.number)


def _sheet_rows(
    book: calamine.CalamineWorkbook, sheet: Sheet, file: str, findings: list[Finding], optional: Sheet | None = None
) -> tuple[_Table, Iterator[_Row]] | None:
    """The data rows of a master sheet, read as they are used (a national master list has
    hundreds of thousands); None when the sheet or its header is unusable. Columns of
    ``optional`` found in the header row are read too."""
    names = {fold_key(n): n for n in book.sheet_names}
    name = next((names[k] for k in sheet.keys if k in names), None)
    if name is None:
        findings.append(F.MASTER_SHEET_MISSING(Location(file), sheet=sheet.name))
        return None
    source = book.get_sheet_by_name(name).iter_rows()
    top: list[list[Any]] = list(itertools.islice(source, _HEADER_SCAN))
    header = find_header(top, sheet, scan=_HEADER_SCAN)
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
    if optional is not None:
        taken = set(columns.values())
        columns |= {k: c for k, c in match_header(top[head_index], optional).items() if c not in taken}
    table = _Table(name, columns)
    return table, _data_rows(table, itertools.chain(top[head_index + 1:], source), head_index + 1,
                             required[0].key, file, findings)


_HEADER_SCAN = 30


def _data_rows(table: _Table, rows: Iterable[list[Any]], first: int, first_key: str, file: str,
               findings: list[Finding]) -> Iterator[_Row]:
    items = list(table.columns.items())
    count = 0
    for index, row in enumerate(rows, start=first):
        width = len(row)
        values = {key: row[col] if col < width else None for key, col in items}
        if all(is_blank(v) for v in values.values()):
            continue
        if _NUMBERING.match(text_of(values.get(first_key))):
            continue  # the "(1) (2) (3)" row some forms carry under the header
        count += 1
        yield _Row(table, values, index + 1)
    if not count:
        findings.append(F.MASTER_EMPTY(Location(file, table.name), sheet=table.name))


def read_master(path: Path, year: int | None = None) -> MasterRead:
    """Read and check the master workbook; never raises on bad content.

    >>> read = read_master(Path("ws/danh-muc.xlsx"), 2022)
    >>> len(read.master.tasks), [f.code for f in read.findings]
    (107, [])
    """
    file = path.name
    findings: list[Finding] = []
    if not path.is_file():
        return MasterRead(Master((), ()), (F.MASTER_MISSING(Location(file), file=file),))
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        unit_rows = _sheet_rows(book, MASTER_UNITS, file, findings)
        units = _units(unit_rows[1] if unit_rows else (), file, findings)
        task_rows = _sheet_rows(book, MASTER_TASKS, file, findings, MASTER_TARGETS)
        tasks = _tasks(task_rows[1] if task_rows else (), file, year, findings)
    except (calamine.CalamineError, OSError, ValueError) as exc:
        return MasterRead(Master((), ()), (F.MASTER_UNREADABLE(Location(file), reason=str(exc)),))
    if unit_rows is not None and task_rows is not None:
        findings.extend(_cross_check(units, tasks, unit_rows[0], task_rows[0], file))
    master = Master(tuple(u for u, _ in units), tuple(t for t, _ in tasks))
    return MasterRead(master, tuple(findings))


def _legacy(row: _Row, key: str, file: str, sheet: str, findings: list[Finding]) -> str:
    """The cell's text; a finding when it looks legacy-encoded (TCVN3, VNI)."""
    text = row.text(key)
    repair = repair_legacy(text)
    if repair.encoding is not None:
        findings.append(F.MASTER_LEGACY_TEXT(Location(file, sheet, row.cell(key)), text=text[:60],
                                             encoding=repair.encoding))
    return text


def _units(rows: Iterable[_Row], file: str, findings: list[Finding]) -> list[tuple[Unit, int]]:
    """Units with the row each came from."""
    units: list[tuple[Unit, int]] = []
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
        name = _legacy(row, "unit_name", file, sheet, findings)
        if not name:
            findings.append(F.UNIT_NAME_MISSING(Location(file, sheet, row.cell("unit_name")), unit=code, code=code))
        email = row.text("email")
        if email and not _EMAIL.match(email):
            findings.append(F.UNIT_EMAIL_INVALID(Location(file, sheet, row.cell("email")), unit=code, email=email))
        if not row.text("head"):
            findings.append(F.UNIT_HEAD_MISSING(Location(file, sheet, row.cell("head")), unit=code, code=code))
        unit = Unit(code, name, row.text("block"), row.text("head"), row.text("position"), email)
        units.append((unit, row.number))
    return units


def _tasks(
    rows: Iterable[_Row], file: str, year: int | None, findings: list[Finding]
) -> list[tuple[Task, int]]:
    """Tasks with the row each came from."""
    tasks: list[tuple[Task, int]] = []
    first: dict[str, int] = {}
    # Tasks repeat their unit, group, source, deadline …: one object per distinct value holds a national
    # list (300,000 tasks) in 40% less memory (54 instead of 92 MiB at 90,000 tasks, measured). Keyed by
    # type too, so that equal values of different types (1 and 1.0, a code and a date) stay apart.
    shared: dict[tuple[type, Any], Any] = {}

    def share(value: Any) -> Any:
        return shared.setdefault((type(value), value), value)

    sheet = MASTER_TASKS.name
    for row in rows:
        code = normalize_code(row.text("task_code"))

        def at(key: str, row: _Row = row) -> Location:
            return Location(file, sheet, row.cell(key))

        if not code:
            findings.append(F.TASK_CODE_MISSING(at("task_code")))
            continue
        if code in first:
            findings.append(F.DUPLICATE_TASK_CODE(at("task_code"), task=code, code=code,
                                                  first=row.table.cell("task_code", first[code])))
            continue
        first[code] = row.number
        unit = normalize_code(row.text("unit_code"))
        content = _legacy(row, "content", file, sheet, findings)
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
        source, parent = row.text("source"), normalize_code(row.text("parent"))
        target = _target(row, code, unit, at, findings)
        tasks.append((Task(
            code=code, unit=share(unit), content=content, group=share(group),
            source=share(source), product=row.text("product"), target=share(target),
            deadline=share(deadline), deadline_text=share(deadline_text),
            points=share(points), hard=parse_flag(row.values.get("hard")),
            parent=share(parent), note=row.text("note"),
        ), row.number))
        if not unit:
            findings.append(F.TASK_UNIT_MISSING(at("unit_code"), task=code, code=code))
        if not content:
            findings.append(F.TASK_CONTENT_MISSING(at("content"), unit=unit, task=code, code=code))
    return tasks


def _target(row: _Row, code: str, unit: str, at: Callable[[str], Location], findings: list[Finding]) -> str:
    """The *Chỉ tiêu* text; with the columns Chỉ tiêu (số) and Đơn vị tính filled, the text that
    states their target ("12 lớp", or "Mở lớp bồi dưỡng: 12 lớp" after a descriptive text)."""
    text = row.text("target")
    raw = row.values.get("target_value")
    if not is_blank(raw):
        try:
            value, _ = parse_number(raw)
            if value < 0:
                raise ValueError(f"{text_of(raw)} là số âm")
        except ValueError as exc:
            findings.append(F.TASK_TARGET_VALUE_INVALID(at("target_value"), unit=unit, task=code, code=code,
                                                        reason=str(exc)))
        else:
            return _with_numbers(text, Target(value, row.text("target_unit")), code, unit, at, findings)
    if text and parse_target(text) is None and looks_numeric(text):
        findings.append(F.TASK_TARGET_UNREAD(at("target"), unit=unit, task=code, code=code, text=text[:80]))
    return text


def _with_numbers(text: str, numeric: Target, code: str, unit: str, at: Callable[[str], Location],
                  findings: list[Finding]) -> str:
    stated = parse_target(text) if text else None
    if not text:
        return numeric.text
    if stated is not None and stated.value == numeric.value and fold_key(stated.unit) == fold_key(numeric.unit):
        return text  # the same target written both ways (the text may say more: "≤", "trở lên")
    if stated is None and not looks_numeric(text):
        return f"{text.rstrip(' .;,:')}: {numeric.text}"
    findings.append(F.TASK_TARGET_CONFLICT(at("target_value"), unit=unit, task=code, code=code, text=text[:80],
                                           numeric=numeric.text))
    return numeric.text


def _cross_check(units: list[tuple[Unit, int]], tasks: list[tuple[Task, int]], unit_sheet: _Table,
                 task_sheet: _Table, file: str) -> list[Finding]:
    """Tasks of unknown units, units without tasks."""
    findings: list[Finding] = []
    codes = {u.code for u, _ in units}
    for task, number in tasks:
        if task.unit and task.unit not in codes:
            findings.append(F.TASK_UNKNOWN_UNIT(
                Location(file, MASTER_TASKS.name, task_sheet.cell("unit_code", number)),
                task=task.code, code=task.code, unit_code=task.unit))
    with_tasks = {t.unit for t, _ in tasks}
    for unit, number in units:
        if unit.code not in with_tasks:
            findings.append(F.UNIT_NO_TASKS(Location(file, MASTER_UNITS.name, unit_sheet.cell("unit_code", number)),
                                            unit=unit.code, code=unit.code))
    return findings
