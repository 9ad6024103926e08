"""A round as pandas DataFrames, for analysts who work in pandas or Excel.

Each frame comes from the same reconciled figures as ``camket status --json`` (or, for
received files, from the ledger as ``camket submissions --json`` shows them); columns
have stable snake_case names, documented in ``docs/api.md``. pandas is imported here
only, when a frame is asked for.

>>> frame = tasks_frame(ws.reconcile("2022-6T"))
>>> len(frame), list(frame.columns[:4])
(107, ['round', 'unit_code', 'unit_name', 'block'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .findings import title
from .ledger import SUBMISSION_KEYS, Submission
from .reconcile import Result
from .schema import ANSWER_KEYS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TASK_COLUMNS", "UNIT_COLUMNS", "findings_frame", "submissions_frame", "tasks_frame", "units_frame"]

TASK_COLUMNS = (
    "round", "unit_code", "unit_name", "block", "task_code", "content", "group", "source", "product", "target",
    "target_value", "target_unit", "deadline", "deadline_text", "points", "hard", "due", *ANSWER_KEYS, "derived",
    "done", "overdue", "target_met", "target_rate", "appraised_score", "file", "cell",
)
UNIT_COLUMNS = (
    "round", "unit_code", "unit_name", "block", "head", "tasks", "completed", "completed_on_time",
    "completed_late", "in_progress", "in_progress_on_time", "in_progress_overdue", "not_started", "not_done",
    "not_reported", "completion_rate", "all_done", "targets", "targets_met", "targets_not_met", "targets_no_value",
    "points", "self_score", "score", "rating", "appraised_score", "answered", "late", "submission_id", "file",
    "arrived", "arrived_source", "errors", "warnings",
)
FINDING_COLUMNS = ("round", "code", "title", "severity", "message", "advice", "file", "sheet", "cell", "unit_code",
                   "task_code")


def _frame(rows: Sequence[dict[str, Any]], columns: Sequence[str], numbers: Sequence[str] = ()) -> pd.DataFrame:
    """A frame of ``rows``; ``numbers`` are whole-number columns that may be empty (kept whole)."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(columns))
    for name in numbers:
        frame[name] = frame[name].astype("Int64")
    return frame


def tasks_frame(result: Result) -> pd.DataFrame:
    """One row per task of the round: the task, its unit, the answer, its derived class and
    where the answer was read (file and cell)."""
    units = {u.unit.code: u.unit for u in result.units}
    due = result.round.as_of
    rows = []
    for r in result.tasks:
        t = r.task
        unit = units.get(t.unit)
        target = r.numeric_target
        rate = r.target_rate
        rows.append({
            "round": result.round.id, "unit_code": t.unit, "unit_name": unit.name if unit else "",
            "block": unit.block if unit else "", "task_code": t.code, "content": t.content, "group": t.group,
            "source": t.source, "product": t.product, "target": t.target,
            "target_value": target.value if target else None, "target_unit": target.unit if target else "",
            "deadline": t.deadline, "deadline_text": t.deadline_text, "points": t.points, "hard": t.hard,
            "due": t.deadline is not None and t.deadline <= due, **r.answer(), "derived": r.derived.value,
            "done": r.derived.is_done, "overdue": r.overdue, "target_met": r.target_met,
            "target_rate": float(rate) if rate is not None else None, "appraised_score": r.appraised, "file": r.file,
            "cell": r.cell,
        })
    frame = _frame(rows, TASK_COLUMNS)
    frame["target_met"] = frame["target_met"].astype("boolean")
    return frame


def units_frame(result: Result) -> pd.DataFrame:
    """One row per unit: its tasks by class, completion rate, score and rating, and its answer."""
    rows = []
    targets = result.targets_by_unit
    for u in result.units:
        t, s, g = u.totals, u.submission, targets[u.unit.code]
        rows.append({
            "round": result.round.id, "unit_code": u.unit.code, "unit_name": u.unit.name, "block": u.unit.block,
            "head": u.unit.head, "tasks": t.total, "completed": t.completed, "completed_on_time": t.done_on_time,
            "completed_late": t.done_late, "in_progress": t.in_progress, "in_progress_on_time": t.in_progress_on_time,
            "in_progress_overdue": t.in_progress_overdue, "not_started": t.not_started, "not_done": t.not_done,
            "not_reported": t.not_reported, "completion_rate": float(t.rate), "all_done": u.all_done,
            "targets": g.numeric, "targets_met": g.met, "targets_not_met": g.not_met, "targets_no_value": g.no_value,
            "points": u.points, "self_score": u.self_score, "score": float(u.score), "rating": u.rating,
            "appraised_score": u.appraised, "answered": u.answered, "late": u.late,
            "submission_id": s.id if s else None, "file": s.name if s else "",
            "arrived": s.submitted if s else None, "arrived_source": s.arrived_source if s else "",
            "errors": u.errors, "warnings": u.warnings,
        })
    return _frame(rows, UNIT_COLUMNS, numbers=("submission_id",))


def findings_frame(result: Result) -> pd.DataFrame:
    """One row per finding of the round's files (those ``status`` counts)."""
    rows = [{"round": result.round.id, "code": f.code, "title": title(f.code), "severity": f.severity.value,
             "message": f.message, "advice": f.advice, "file": f.location.file, "sheet": f.location.sheet,
             "cell": f.location.cell, "unit_code": f.unit, "task_code": f.task} for f in result.findings]
    return _frame(rows, FINDING_COLUMNS)


def submissions_frame(submissions: Sequence[Submission]) -> pd.DataFrame:
    """One row per received file, as ``camket submissions --json`` gives it."""
    return _frame([s.as_dict() for s in submissions], SUBMISSION_KEYS, numbers=("superseded_by",))
