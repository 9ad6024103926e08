"""Roll-up to the level above: fill the template the level above generated with camket
(its signed workbook for this agency) from this agency's own results.

Each task of the parent template gets the status, progress and a result text gathered
from the tasks of this agency's master list that carry its code in *Mã nhiệm vụ cấp
trên* (its children), with these rules:

- every child completed -> *Hoàn thành*, progress 100, dated by the last child's date;
- every child *Không thực hiện* -> *Không thực hiện*, with the children's reasons;
- no child completed or in progress -> *Chưa thực hiện*, progress 0;
- otherwise -> *Đang thực hiện*, with the mean progress of the children weighted by
  their points (a completed child counts 100, one not started, not done or not
  reported 0; equal weights when the children have no points);
- the self-score is the parent task's points × the children's earned share of their
  points (appraised score where present, else self-score; the progress share when the
  children have no points);
- difficulties and proposals are the children's, deduplicated.

Only the open input cells are written; the locked cells and the signed metadata of the
level above are left as they are, so its ``camket ingest`` accepts the file like any
other return.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine as calamine

from .. import findings as F
from ..atomic import atomic_path
from ..errors import InputError
from ..model import Derived, Finding, Location, Status
from ..reconcile import Result, TaskResult
from ..schema import REPORT, find_header
from ..stamp import META_SHEET, Stamp
from ..values import parse_number, text_of
from ..vi import fold_key, format_number, normalize_code

__all__ = ["Rolled", "RollupResult", "aggregate", "rollup"]


@dataclass(frozen=True)
class Rolled:
    """What one parent task gets."""

    code: str
    children: tuple[str, ...]
    status: str | None = None
    progress: float | None = None
    completed_on: dt.date | None = None
    result: str = ""
    difficulties: str = ""
    proposals: str = ""
    self_score: float | None = None


@dataclass
class RollupResult:
    path: Path
    parent: Stamp
    tasks: list[Rolled] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _progress(child: TaskResult) -> float:
    if child.derived.is_done:
        return 100.0
    if child.derived in (Derived.IN_PROGRESS_ON_TIME, Derived.IN_PROGRESS_OVERDUE):
        return child.progress or 0.0
    return 0.0


def _unique(texts: Sequence[str], limit: int = 1000) -> str:
    seen: dict[str, str] = {}
    for text in texts:
        if text and fold_key(text) not in seen:
            seen[fold_key(text)] = text
    return "; ".join(seen.values())[:limit]


def aggregate(code: str, children: Sequence[TaskResult], points: float, agency: str) -> Rolled:
    """The parent task's answer from its children (see the module's rules)."""
    names = tuple(c.task.code for c in children)
    if not children:
        return Rolled(code, names)
    weights = [c.task.points for c in children]
    if not any(weights):
        weights = [1.0] * len(children)
    total = sum(weights)
    progress = round(sum(w * _progress(c) for w, c in zip(weights, children, strict=True)) / total, 1)
    done = [c for c in children if c.derived.is_done]
    if len(done) == len(children):
        status = Status.DONE.value
        dates = [c.completed_on for c in children if c.completed_on is not None]
        completed_on = max(dates) if dates else None
        progress = 100.0
    elif all(c.derived is Derived.NOT_DONE for c in children):
        status, completed_on, progress = Status.NOT_DONE.value, None, 0.0
    elif not done and not any(c.derived in (Derived.IN_PROGRESS_ON_TIME, Derived.IN_PROGRESS_OVERDUE)
                              for c in children):
        status, completed_on, progress = Status.NOT_STARTED.value, None, 0.0
    else:
        status, completed_on = Status.IN_PROGRESS.value, None
    counts = {d: sum(1 for c in children if c.derived is d) for d in Derived}
    summary = ", ".join(f"{n} {d.value.lower()}" for d, n in counts.items() if n)
    details = [f"{c.task.code}: {c.result}" for c in children if c.result][:5]
    result = f"Tổng hợp từ {len(children)} nhiệm vụ của {agency}: {summary}." + (
        " " + "; ".join(details) if details else "")
    child_points = sum(c.task.points for c in children)
    if child_points:
        earned = sum((c.appraised if c.appraised is not None else (c.self_score or 0)) for c in children)
        share = earned / child_points
    else:
        share = progress / 100
    return Rolled(
        code, names, status, progress, completed_on, result[:1000],
        _unique([c.difficulties or (c.reason if c.derived is Derived.NOT_DONE else "") for c in children]),
        _unique([c.proposals for c in children]),
        round(points * share, 2) if points else None,
    )


def _parent_table(data: bytes, name: str) -> tuple[Stamp, str, int, dict[str, int], dict[str, tuple[int, float]]]:
    """The parent template's stamp, report sheet, header row, columns and task rows."""
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        stamp, _ = Stamp.from_rows(book.get_sheet_by_name(META_SHEET).to_python())
        rows = book.get_sheet_by_name(stamp.sheet).to_python(skip_empty_area=False)
    except (calamine.CalamineError, ValueError, KeyError) as exc:
        raise InputError(f"{name} không phải mẫu báo cáo do camket của cấp trên lập ({exc}).") from None
    except Exception as exc:
        raise InputError(f"Không đọc được {name}: {exc}.") from None
    found = find_header(rows, REPORT, hint=stamp.header_row - 1)
    if found is None or "task_code" not in found[1] or "status" not in found[1]:
        raise InputError(f"{name}: không tìm thấy bảng báo cáo có cột Mã nhiệm vụ và Tình trạng.")
    header, columns = found
    tasks: dict[str, tuple[int, float]] = {}
    for index in range(header + 1, len(rows)):
        row = rows[index]
        code = normalize_code(text_of(row[columns["task_code"]])) if columns["task_code"] < len(row) else ""
        if code and code in {c for c, _, _ in stamp.tasks}:
            points = 0.0
            if "points" in columns and columns["points"] < len(row):
                try:
                    points = parse_number(row[columns["points"]])[0]
                except ValueError:
                    points = 0.0
            tasks[code] = (index + 1, points)
    return stamp, stamp.sheet, header, columns, tasks


def rollup(template: Path, result: Result, agency: str, output: Path) -> RollupResult:
    """Fill the parent ``template`` from ``result`` and write it to ``output``."""
    data = template.read_bytes()
    stamp, sheet, _, columns, parents = _parent_table(data, template.name)
    outcome = RollupResult(output, stamp)
    by_parent: dict[str, list[TaskResult]] = {}
    for task in result.tasks:
        if task.task.parent:
            by_parent.setdefault(task.task.parent, []).append(task)
    for code, children in sorted(by_parent.items()):
        if code not in parents:
            for child in children:
                outcome.findings.append(F.ROLLUP_UNKNOWN_PARENT(Location(template.name), unit=child.task.unit,
                                                                task=child.task.code, parent=code))
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet]
    for code, (row, points) in parents.items():
        rolled = aggregate(code, by_parent.get(code, []), points, agency)
        outcome.tasks.append(rolled)
        if not rolled.children:
            outcome.findings.append(F.ROLLUP_NO_CHILDREN(Location(template.name, sheet, f"A{row}"), task=code))
            continue
        values: dict[str, Any] = {"status": rolled.status, "progress": rolled.progress,
                                  "completed_on": rolled.completed_on, "result": rolled.result,
                                  "difficulties": rolled.difficulties, "proposals": rolled.proposals,
                                  "self_score": rolled.self_score}
        for key, value in values.items():
            if key in columns and value not in (None, ""):
                cell = ws.cell(row, columns[key] + 1)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # office text, never a formula
    with atomic_path(output) as tmp:
        book.save(tmp)
    return outcome


def describe(outcome: RollupResult) -> list[str]:
    lines = []
    for rolled in outcome.tasks:
        if rolled.status:
            lines.append(f"{rolled.code}: {rolled.status}, tiến độ {format_number(rolled.progress or 0)}% "
                         f"(từ {len(rolled.children)} nhiệm vụ)")
        else:
            lines.append(f"{rolled.code}: không có nhiệm vụ gắn với mã này, để trống")
    return lines
