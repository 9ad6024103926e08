"""From the accepted registrations to the master list: what would change, and applying it.

:func:`propose` builds the proposed list: each registered unit's given tasks with the details
its head filled in (a blank cell keeps the list's value), its own tasks added with generated
codes (``<UNIT>-NN`` after the unit's highest number) or, registered again with the same
content, updated; units without a registration keep their tasks. :func:`apply` writes the
changes into ``danh-muc.xlsx`` in place (openpyxl: the department's formatting, extra
columns and sheets stay), after a copy in ``.camket/backup/``, atomically, and reads the
result back to check it is exactly the proposal.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import findings as F
from ..atomic import atomic_path
from ..config import Settings
from ..errors import WorkspaceError
from ..ledger.frozen import diff
from ..model import Adjustment, Finding, Location, Master, Round, Severity, Task
from ..schema import MASTER_TASKS, find_header
from ..structure import check_structure
from ..values import text_of
from ..vi import fold_key, normalize_code

__all__ = ["Proposal", "apply", "propose"]

PROPOSAL = "danh mục đề xuất"
_FIELDS = ("content", "group", "source", "product", "target", "deadline", "points", "hard", "note")


@dataclass(frozen=True)
class Proposal:
    round: Round
    current: Master
    proposed: Master
    changes: tuple[Adjustment, ...]
    findings: tuple[Finding, ...]
    registered: tuple[str, ...]     # units whose registration was accepted
    missing: tuple[str, ...]        # units that sent none

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def added(self) -> list[Task]:
        codes = {t.code for t in self.current.tasks}
        return [t for t in self.proposed.tasks if t.code not in codes]


def _next_code(unit: str, taken: set[str]) -> str:
    pattern = re.compile(rf"^{re.escape(unit)}-(\d+)$")
    numbers = [int(m.group(1)) for code in taken if (m := pattern.match(code))]
    n = max(numbers, default=0) + 1
    while f"{unit}-{n:02d}" in taken:
        n += 1
    return f"{unit}-{n:02d}"


def _detailed(task: Task, row: Sequence[Any]) -> Task:
    """``task`` with what its head registered (a blank detail keeps the list's value)."""
    _, _, _, _, _, group, product, target, deadline, deadline_text, points, hard, note, _ = row
    return replace(
        task, group=group or task.group, product=product or task.product, target=target or task.target,
        deadline=dt.date.fromisoformat(deadline) if deadline else (None if deadline_text else task.deadline),
        deadline_text=deadline_text or task.deadline_text, points=task.points if points is None else float(points),
        hard=bool(hard), note=note or task.note)


def propose(current: Master, registrations: Mapping[str, list[tuple[Any, ...]]], settings: Settings,
            round_: Round, now: dt.datetime, problems: Iterable[Finding] = ()) -> Proposal:
    """The proposed master list from ``current`` and the accepted ``registrations`` (unit -> rows of
    the ledger's ``registrations`` table); ``problems`` are the error findings of those files."""
    taken = {t.code for t in current.tasks}
    tasks: list[Task] = []
    findings = [f for f in problems if f.code != F.STRUCTURE_VIOLATION.code]  # checked again on the whole list
    missing = []
    for unit in current.units:
        own = list(current.tasks_of(unit.code))
        rows = registrations.get(unit.code)
        if rows is None:
            tasks.extend(own)
            missing.append(unit.code)
            findings.append(F.REG_NOT_RETURNED(Location(PROPOSAL), unit=unit.code, name=unit.name))
            continue
        by_code = {t.code: i for i, t in enumerate(own)}
        by_content = {fold_key(t.content): i for i, t in enumerate(own)}
        for row in rows:
            code, content = row[2], row[4]
            index = by_code.get(code) if code else by_content.get(fold_key(content))
            if index is not None:
                own[index] = _detailed(own[index], row)
                continue
            if code:
                continue  # a given task taken out of the list since the registration was sent
            new = _next_code(unit.code, taken)
            taken.add(new)
            own.append(_detailed(Task(new, unit.code, content, source=row[3]), row))
            by_content[fold_key(content)] = len(own) - 1
        tasks.extend(own)
    listed = {u.code for u in current.units}
    tasks.extend(t for t in current.tasks if t.unit not in listed)
    proposed = Master(current.units, tuple(tasks))
    findings += check_structure(proposed, settings.structure, Location(PROPOSAL))
    changes = diff(current, proposed, round_.id, now, "đăng ký nhiệm vụ")
    return Proposal(round_, current, proposed, tuple(changes), tuple(findings),
                    tuple(u for u in (x.code for x in current.units) if u in registrations), tuple(missing))


# --- writing danh-muc.xlsx -------------------------------------------------------------------

def _cell_value(task: Task, key: str) -> Any:
    if key == "deadline":
        return dt.datetime.combine(task.deadline, dt.time()) if task.deadline is not None else task.deadline_text
    if key == "points":
        return int(task.points) if float(task.points).is_integer() else task.points
    if key == "hard":
        return "x" if task.hard else None
    return getattr(task, key) or None


def _same(a: Task, b: Task, key: str) -> bool:
    if key == "deadline":
        return (a.deadline, a.deadline_text) == (b.deadline, b.deadline_text)
    return bool(getattr(a, key) == getattr(b, key))


def apply(proposal: Proposal, path: Path, backup_dir: Path, now: dt.datetime) -> Path:
    """Write ``proposal`` into the master workbook at ``path``; return the backup copy's path."""
    import openpyxl

    backup_dir.mkdir(parents=True, exist_ok=True)
    backup = backup_dir / f"{path.stem}-truoc-dang-ky-{now:%Y%m%d-%H%M%S}{path.suffix}"
    shutil.copy2(path, backup)
    book = openpyxl.load_workbook(path)
    sheet = next((book[n] for n in book.sheetnames if fold_key(n) in MASTER_TASKS.keys), None)
    if sheet is None:
        raise WorkspaceError(f'{path.name} không có sheet "{MASTER_TASKS.name}".')
    top = [list(r) for r in sheet.iter_rows(min_row=1, max_row=30, values_only=True)]
    found = find_header(top, MASTER_TASKS)
    if found is None or "task_code" not in found[1]:
        raise WorkspaceError(f'Không tìm thấy dòng tiêu đề của sheet "{sheet.title}" trong {path.name}.')
    header, positions = found
    columns = {k: c + 1 for k, c in positions.items()}
    _add_columns(sheet, header + 1, columns)
    rows = {normalize_code(text_of(sheet.cell(r, columns["task_code"]).value)): r
            for r in range(header + 2, sheet.max_row + 1)}
    rows.pop("", None)
    before = {t.code: t for t in proposal.current.tasks}
    for task in proposal.proposed.tasks:
        old = before.get(task.code)
        if old is None or task.code not in rows:
            continue
        for key in _FIELDS:
            if not _same(old, task, key):
                _write(sheet.cell(rows[task.code], columns[key]), _cell_value(task, key))
    last = max(rows.values(), default=header + 1)
    for offset, task in enumerate(proposal.added, start=1):
        r = last + offset
        values = {"task_code": task.code, "unit_code": task.unit, **{k: _cell_value(task, k) for k in _FIELDS}}
        for key, c in columns.items():
            target = sheet.cell(r, c)
            model = sheet.cell(last, c)
            if model.has_style:
                target._style = copy(model._style)
            if key in values:
                _write(target, values[key])
    with atomic_path(path) as tmp:
        book.save(tmp)
    _verify(path, proposal, backup)
    return backup


def _write(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = "dd/mm/yyyy"


def _add_columns(sheet: Any, header_row: int, columns: dict[str, int]) -> None:
    """Columns the proposal needs that the sheet lacks get their header after the last one."""
    last = max(columns.values())
    model = sheet.cell(header_row, last)
    for key in ("task_code", "unit_code", *_FIELDS):
        if key in columns:
            continue
        last += 1
        cell = sheet.cell(header_row, last)
        cell.value = MASTER_TASKS[key].header
        if model.has_style:
            cell._style = copy(model._style)
        columns[key] = last


def _verify(path: Path, proposal: Proposal, backup: Path) -> None:
    """The written list read back must be the proposal, task by task; otherwise the copy is put back."""
    from ..master import read_master

    written = read_master(path).master
    want = {t.code: t for t in proposal.proposed.tasks}
    got = {t.code: t for t in written.tasks}
    wrong = sorted(code for code in set(want) | set(got)
                   if code not in want or code not in got
                   or any(not _same(want[code], got[code], k) for k in _FIELDS if k != "note"))
    if wrong:
        shutil.copy2(backup, path)
        raise WorkspaceError(f"Ghi danh mục không đúng như đề xuất (nhiệm vụ {', '.join(wrong[:5])}); đã khôi phục "
                             f"{path.name} từ bản sao {backup.name}. Đây là lỗi của camket, không phải của dữ liệu.")
