"""Reconcile: master list × accepted rows × round -> the figures the leadership asks for.

Pure: no files, no ledger. :func:`reconcile` takes what ``Workspace.reconcile`` loads.

Rules, as of the round's reporting date ``as_of``:

- *Hoàn thành đúng hạn*: reported done, completed on or before the deadline (an
  ongoing "Thường xuyên" task has none). Done without a completion date counts as on
  time (ingest has warned ``done-without-date``).
- *Hoàn thành quá hạn*: reported done, completed after the deadline.
- *Đang thực hiện trong hạn / quá hạn*: in progress; overdue once the deadline is
  before ``as_of`` (a deadline on ``as_of`` itself is still in time).
- *Chưa thực hiện*, *Không thực hiện* (with its reason) as reported; a task whose
  unit sent nothing accepted, whose row is missing or has no valid status is
  *Chưa báo cáo*.
- A unit's score is its self-score total over its points, × 100 (the completion rate
  when the master list has no points); the rating comes from the configured bands.
- A submission is late when it arrived after the round's ``due`` date; when it arrived
  is recorded at ingest with how it is known (the date given for the batch, the e-mail,
  the file's own time when earlier than its receipt, or the receipt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from .config import Settings
from .figures import (
    BANDS,
    NOT_RATED,
    UNSCORED,
    Accepted,
    Change,
    PendingFile,
    Proposed,
    Result,
    TaskResult,
    Totals,
    Trend,
    UnitResult,
    count,
    is_due,
)
from .ledger import StoredRow
from .model import Adjustment, Derived, Finding, Master, Round, Severity, Status, Task, Unit
from .scoring import score_unit, self_score_check
from .targets import TargetCounts, parse_target

__all__ = [
    "BANDS",
    "NOT_RATED",
    "UNSCORED",
    "Accepted",
    "Change",
    "PendingFile",
    "Proposed",
    "Result",
    "TargetCounts",
    "TaskResult",
    "Totals",
    "Trend",
    "UnitResult",
    "count",
    "count_findings",
    "derive",
    "is_due",
    "is_interim",
    "reconcile",
    "trend",
]


def trend(results: Sequence[Result]) -> Trend:
    """Combine the results of several rounds (in order) into a trend."""
    codes: dict[str, None] = {}
    for result in results:
        for unit in result.heads:
            codes.setdefault(unit.unit.code, None)
    by_code = [{u.unit.code: u for u in result.units} for result in results]
    units: dict[str, tuple[Decimal | None, ...]] = {}
    for code in codes:
        rates: list[Decimal | None] = []
        for found_in in by_code:
            found = found_in.get(code)
            rates.append(found.totals.rate if found is not None and found.answered else None)
        units[code] = tuple(rates)
    return Trend(tuple(r.round for r in results), tuple(r.overall for r in results), units)


def is_interim(round_: Round, rounds: Sequence[Round], result_due: Totals, overall: Totals) -> bool:
    """Whether a round is reported against the tasks due by its reporting date: it is not the
    programme's last round and some tasks are not due yet."""
    last = max(rounds, key=lambda r: r.as_of, default=round_)
    return last.id != round_.id and round_.as_of < last.as_of and result_due.total < overall.total


def derive(task: Task, row: StoredRow | None, as_of: dt.date, *, below_target_done: bool = True) -> Derived:
    """The class of one task as of ``as_of`` (see the module's rules); with ``below_target_done``
    false, a task reported done below its numeric target is still in progress."""
    if row is None or row.status is None:
        return Derived.NOT_REPORTED
    status = row.status
    deadline = task.deadline
    if status == Status.DONE.value and not below_target_done and row.achieved is not None:
        target = parse_target(task.target)
        if target is not None and not target.met(row.achieved):
            status = Status.IN_PROGRESS.value
    if status == Status.DONE.value:
        if row.completed_on is None or deadline is None or row.completed_on <= deadline:
            return Derived.DONE_ON_TIME
        return Derived.DONE_LATE
    if status == Status.IN_PROGRESS.value:
        if deadline is not None and deadline < as_of:
            return Derived.IN_PROGRESS_OVERDUE
        return Derived.IN_PROGRESS_ON_TIME
    if status == Status.NOT_STARTED.value:
        return Derived.NOT_STARTED
    if status == Status.NOT_DONE.value:
        return Derived.NOT_DONE
    return Derived.NOT_REPORTED


def _group(items: Iterable[tuple[str, Derived]]) -> dict[str, Totals]:
    buckets: dict[str, list[Derived]] = {}
    for key, derived in items:
        buckets.setdefault(key or "(chưa phân loại)", []).append(derived)
    return {key: Totals.of(values) for key, values in buckets.items()}


def reconcile(
    master: Master,
    round_: Round,
    settings: Settings,
    rows: Sequence[StoredRow],
    accepted: Mapping[str, Accepted],
    findings: Sequence[Finding] = (),
    previous: tuple[Round, Sequence[StoredRow], Master] | None = None,
    rejected: Mapping[str, int] | None = None,
    appraisals: Mapping[tuple[str, str], tuple[float | None, str]] | None = None,
    pending: Sequence[PendingFile] = (),
    adjustments: Sequence[Adjustment] = (),
) -> Result:
    """Every task's class, every unit's figures, totals by group, block and source.

    ``rows`` are the accepted rows of the round; ``accepted`` maps a unit code to its
    accepted submission; ``previous`` is the round before (its rows and its own list);
    ``findings`` are those of the files shown, with the answers' contradictions with the
    previous round (:mod:`camket.consistency`: listed, never counted); ``appraisals`` maps (unit, task)
    to the appraised score and note; ``pending`` are the files waiting for a decision and
    ``adjustments`` the changes of the round's list (both shown, never counted).
    """
    appraisals = appraisals or {}
    counted = settings.targets.count_below_target_as_done
    reported = {(r.unit, r.task): r for r in rows if r.kind == "task"}
    file_of = {a.id: a.name for a in accepted.values()}
    task_results: list[TaskResult] = []
    for task in master.tasks:
        row = reported.get((task.unit, task.code)) if task.unit in accepted else None
        derived = derive(task, row, round_.as_of, below_target_done=counted)
        overdue = derived is Derived.IN_PROGRESS_OVERDUE or (
            derived in (Derived.NOT_STARTED, Derived.NOT_REPORTED)
            and task.deadline is not None and task.deadline < round_.as_of)
        appraised, note = appraisals.get((task.unit, task.code), (None, ""))
        if row is None:
            task_results.append(TaskResult(task, derived, overdue=overdue, appraised=appraised,
                                           appraisal_note=note))
            continue
        cell = row.cell or f"A{row.row}"
        task_results.append(TaskResult(
            task, derived, overdue, file_of.get(row.submission_id, ""), f"{row.sheet}!{cell}", appraised, note,
            **row.answer()))
    units_by_code = {u.code: u for u in master.units}
    by_unit: dict[str, list[TaskResult]] = {u.code: [] for u in master.units}
    for result in task_results:
        by_unit.setdefault(result.task.unit, []).append(result)
    unit_results = []
    for code, results in by_unit.items():
        unit = units_by_code.get(code) or Unit(code, code)
        unit_results.append(_unit(unit, results, accepted.get(code), round_, settings))
    unit_results.sort(key=lambda u: (not u.answered, -u.score, u.unit.code))
    unit_of = {u.code: u for u in master.units}
    classes = [(r.task, r.derived) for r in task_results]
    changes: tuple[Change, ...] = ()
    if previous is not None:
        before_round, before_rows, before_master = previous
        before = {(r.unit, r.task): r for r in before_rows if r.kind == "task"}
        changes = tuple(
            Change(r.task, b, r.derived) for r in task_results
            if (b := derive(before_master.task(r.task.code) or r.task, before.get((r.task.unit, r.task.code)),
                            before_round.as_of, below_target_done=counted)) != r.derived
        )
    proposed = tuple(
        Proposed(r.unit, r.content, r.product, r.deadline, r.status, r.progress, r.result)
        for r in rows if r.kind == "added")
    overall = Totals.of(d for _, d in classes)
    due = Totals.of(d for t, d in classes if is_due(t, round_.as_of))
    return Result(
        round=round_,
        tasks=tuple(task_results),
        units=tuple(unit_results),
        overall=overall,
        by_group=_group((t.group, d) for t, d in classes),
        by_block=_group((unit_of[t.unit].block if t.unit in unit_of else "", d) for t, d in classes),
        by_source=_group((t.source, d) for t, d in classes),
        proposed=proposed,
        changes=changes,
        previous=previous[0] if previous else None,
        findings=tuple(findings),
        rejected=dict(rejected or {}),
        order=tuple(u.code for u in master.units),
        pending=tuple(pending),
        adjustments=tuple(adjustments),
        interim=is_interim(round_, settings.series(round_.kind), due, overall),
        below_target_done=counted,
        self_score_flags=tuple((r.task.code, found.rule) for r in task_results if (found := self_score_check(
            r.status, r.progress, r.self_score, r.task.points, settings.self_score)) is not None),
        rating_labels=(*(band.label for band in settings.rating), settings.rating_below),
    )


def _unit(unit: Unit, results: list[TaskResult], submission: Accepted | None, round_: Round,
          settings: Settings) -> UnitResult:
    totals = Totals.of(r.derived for r in results)
    points = sum(r.task.points for r in results)
    self_score = sum(r.self_score or 0 for r in results)
    answered = submission is not None
    late = answered and submission is not None and submission.submitted.date() > round_.due
    breakdown = score_unit(results, answered=answered, late=late, rules=settings.scoring)
    appraised_any = any(r.appraised is not None for r in results)
    appraised = sum(r.appraised for r in results if r.appraised is not None) if appraised_any else None
    rating = settings.rate(float(breakdown.total)) if answered else NOT_RATED
    return UnitResult(
        unit=unit, totals=totals, points=points, self_score=self_score, score=breakdown.total, rating=rating,
        overdue=sum(1 for r in results if r.overdue), submission=submission, late=late,
        errors=submission.errors if submission else 0, warnings=submission.warnings if submission else 0,
        appraised=appraised, breakdown=breakdown,
    )


def count_findings(findings: Iterable[Finding]) -> tuple[int, int]:
    errors = warnings = 0
    for f in findings:
        if f.severity is Severity.ERROR:
            errors += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
    return errors, warnings
