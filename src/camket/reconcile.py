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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .config import Settings
from .ledger import StoredRow
from .model import Adjustment, Derived, Finding, Master, Round, Severity, Status, Task, Unit
from .schema import Answer
from .scoring import ScoreBreakdown, score_unit, self_score_check
from .targets import Target, TargetCounts, parse_target
from .vi import format_number, format_percent, percent

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

NOT_RATED = "Chưa đánh giá (chưa báo cáo)"


@dataclass(frozen=True)
class Accepted:
    """The accepted submission of a unit, as reconcile needs it."""

    id: int
    unit: str
    name: str
    submitted: dt.datetime         # when it arrived (see ``arrived_source``)
    errors: int = 0
    warnings: int = 0
    arrived_source: str = ""       # how the arrival is known: file, given, ingest, email, upload


@dataclass(frozen=True)
class PendingFile:
    """A received file waiting for the department's decision (*chờ xử lý*): not counted."""

    id: int
    name: str
    unit: str            # whose content it holds
    claimed_unit: str    # whose it says it is
    reason: str
    arrived: str


@dataclass(frozen=True, slots=True)
class TaskResult(Answer):
    """A task of the round with its unit's answer (the :class:`~camket.schema.Answer` fields)."""

    task: Task
    derived: Derived
    overdue: bool = False          # open with its deadline before as_of
    file: str = ""
    cell: str = ""
    appraised: float | None = None  # the organizing department's score, when appraised
    appraisal_note: str = ""

    @property
    def reason(self) -> str:
        """Why a task was not done, as the office wrote it."""
        return self.difficulties or self.result if self.derived is Derived.NOT_DONE else ""

    @property
    def numeric_target(self) -> Target | None:
        """The task's target as a number and a unit, when its *Chỉ tiêu* states one."""
        return parse_target(self.task.target)

    @property
    def target_met(self) -> bool | None:
        """Whether the achieved value reaches the numeric target (None: no numeric target or no value)."""
        target = self.numeric_target
        return None if target is None or self.achieved is None else target.met(self.achieved)

    @property
    def target_rate(self) -> Decimal | None:
        """Achieved over target in percent, for a target to reach (None otherwise)."""
        target = self.numeric_target
        return None if target is None or self.achieved is None else target.rate(self.achieved)

    @property
    def target_shown(self) -> str:
        """The target with what was reached against it: ``≥ 12 lớp; đạt 10 lớp (83,3%)``."""
        target = self.numeric_target
        if target is None or self.achieved is None:
            return self.task.target
        return f"{self.task.target}; {target.reached(self.achieved, long=False)}"

    @property
    def below_target(self) -> bool:
        """Reported done with an achieved value below its numeric target."""
        return self.status == Status.DONE.value and self.target_met is False


@dataclass(frozen=True)
class Totals:
    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    not_started: int = 0
    not_done: int = 0
    not_reported: int = 0

    @property
    def completed(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def rate(self) -> Decimal:
        """Completion rate in percent, rounded half up to one decimal."""
        return percent(self.completed, self.total)

    def sentence(self) -> str:
        """``90/97 nhiệm vụ, tương ứng tỉ lệ 92,8%``."""
        return f"{count(self.completed)}/{count(self.total)} nhiệm vụ, tương ứng tỉ lệ {format_percent(self.rate)}"

    @classmethod
    def of(cls, classes: Iterable[Derived]) -> Totals:
        counts = dict.fromkeys(Derived, 0)
        for derived in classes:
            counts[derived] += 1
        return cls(
            total=sum(counts.values()), done_on_time=counts[Derived.DONE_ON_TIME],
            done_late=counts[Derived.DONE_LATE], in_progress_on_time=counts[Derived.IN_PROGRESS_ON_TIME],
            in_progress_overdue=counts[Derived.IN_PROGRESS_OVERDUE], not_started=counts[Derived.NOT_STARTED],
            not_done=counts[Derived.NOT_DONE], not_reported=counts[Derived.NOT_REPORTED],
        )

    def count(self, derived: Derived) -> int:
        return {
            Derived.DONE_ON_TIME: self.done_on_time, Derived.DONE_LATE: self.done_late,
            Derived.IN_PROGRESS_ON_TIME: self.in_progress_on_time,
            Derived.IN_PROGRESS_OVERDUE: self.in_progress_overdue, Derived.NOT_STARTED: self.not_started,
            Derived.NOT_DONE: self.not_done, Derived.NOT_REPORTED: self.not_reported,
        }[derived]


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    totals: Totals
    points: float
    self_score: float
    score: Decimal
    rating: str
    overdue: int
    submission: Accepted | None
    late: bool
    errors: int = 0
    warnings: int = 0
    appraised: float | None = None          # total appraised score, when any task was appraised
    breakdown: ScoreBreakdown | None = None

    @property
    def gap(self) -> float | None:
        """Self-score minus appraised score (positive: the unit scored itself higher)."""
        return None if self.appraised is None else round(self.self_score - self.appraised, 2)

    @property
    def answered(self) -> bool:
        return self.submission is not None

    @property
    def all_done(self) -> bool:
        return self.totals.total > 0 and self.totals.completed == self.totals.total


@dataclass(frozen=True)
class Proposed:
    """A task an office added under "Nhiệm vụ phát sinh" (recorded, not counted)."""

    unit: str
    content: str
    product: str
    deadline: str
    status: str | None
    progress: float | None
    result: str


@dataclass(frozen=True)
class Change:
    """A task whose class changed since the previous round."""

    task: Task
    before: Derived
    after: Derived


@dataclass(frozen=True)
class Result:
    round: Round
    tasks: tuple[TaskResult, ...]
    units: tuple[UnitResult, ...]
    overall: Totals
    by_group: dict[str, Totals]
    by_block: dict[str, Totals]
    by_source: dict[str, Totals]
    proposed: tuple[Proposed, ...] = ()
    changes: tuple[Change, ...] = ()
    previous: Round | None = None
    findings: tuple[Finding, ...] = ()
    rejected: dict[str, int] = field(default_factory=dict)   # unit -> files sent but not counted
    order: tuple[str, ...] = ()                                # unit codes in master-list order
    pending: tuple[PendingFile, ...] = ()                      # files waiting for a decision
    adjustments: tuple[Adjustment, ...] = ()                   # changes of the round's frozen list
    interim: bool = False                  # figures on the tasks due (see :func:`is_interim`)
    below_target_done: bool = True         # a task done below its target counts as done ([targets])
    self_score_flags: tuple[tuple[str, str], ...] = ()  # (task code, rule) of self-scores against [self_score]
    rating_labels: tuple[str, ...] = ()    # the configured ratings, best first, then the one below

    def _in_order(self, units: Iterable[UnitResult]) -> list[UnitResult]:
        position = {code: i for i, code in enumerate(self.order)}
        return sorted(units, key=lambda u: position.get(u.unit.code, len(position)))

    @property
    def missing(self) -> list[UnitResult]:
        """Units with tasks that have no accepted submission, in master-list order."""
        return self._in_order(u for u in self.units if not u.answered and u.totals.total)

    @property
    def late(self) -> list[UnitResult]:
        """Units whose accepted submission came after the due date, in master-list order."""
        return self._in_order(u for u in self.units if u.late)

    @property
    def heads(self) -> list[UnitResult]:
        """Units with tasks (each has a head who committed)."""
        return [u for u in self.units if u.totals.total]

    @property
    def gaps(self) -> list[UnitResult]:
        """Appraised units, the largest self-score excess first."""
        appraised = [u for u in self.units if u.gap is not None]
        return sorted(appraised, key=lambda u: (-(u.gap or 0), u.unit.code))

    @property
    def heads_all_done(self) -> int:
        return sum(1 for u in self.heads if u.all_done)

    def heads_sentence(self) -> str:
        """``14/21 thủ trưởng hoàn thành 100% nhiệm vụ cam kết``."""
        return f"{count(self.heads_all_done)}/{count(len(self.heads))} thủ trưởng hoàn thành 100% nhiệm vụ cam kết"

    # --- against the tasks due (interim rounds report these first) -------------------------
    def _due_results(self) -> list[TaskResult]:
        return [t for t in self.tasks if is_due(t.task, self.round.as_of)]

    @property
    def due(self) -> Totals:
        """Totals over the tasks whose deadline is on or before ``as_of`` (ongoing tasks are never due)."""
        return Totals.of(t.derived for t in self._due_results())

    @property
    def not_due(self) -> Totals:
        """Totals over the other tasks: deadline after ``as_of``, or ongoing ("Thường xuyên")."""
        return Totals.of(t.derived for t in self.tasks if not is_due(t.task, self.round.as_of))

    @property
    def due_by_unit(self) -> dict[str, Totals]:
        """Unit code -> totals over its tasks due by ``as_of`` (every unit of the result, maybe empty)."""
        buckets: dict[str, list[Derived]] = {u.unit.code: [] for u in self.units}
        for t in self._due_results():
            buckets.setdefault(t.task.unit, []).append(t.derived)
        return {code: Totals.of(classes) for code, classes in buckets.items()}

    @property
    def due_by_group(self) -> dict[str, Totals]:
        """Task group -> totals over its tasks due by ``as_of`` (the groups of ``by_group``)."""
        return self._due_grouped(lambda t: t.task.group)

    @property
    def due_by_source(self) -> dict[str, Totals]:
        """Task source -> totals over its tasks due by ``as_of`` (the sources of ``by_source``)."""
        return self._due_grouped(lambda t: t.task.source)

    @property
    def due_by_block(self) -> dict[str, Totals]:
        """Unit block -> totals over its tasks due by ``as_of`` (the blocks of ``by_block``)."""
        block = {u.unit.code: u.unit.block for u in self.units}
        return self._due_grouped(lambda t: block.get(t.task.unit, ""))

    def _due_grouped(self, key: Callable[[TaskResult], str]) -> dict[str, Totals]:
        buckets: dict[str, list[Derived]] = {}
        for t in self.tasks:
            name = key(t) or "(chưa phân loại)"
            bucket = buckets.setdefault(name, [])
            if is_due(t.task, self.round.as_of):
                bucket.append(t.derived)
        return {name: Totals.of(classes) for name, classes in buckets.items()}

    @cached_property
    def targets(self) -> TargetCounts:
        """Numeric targets over the round's tasks (see :class:`TargetCounts`)."""
        return TargetCounts.of(self.tasks)

    @cached_property
    def targets_by_unit(self) -> dict[str, TargetCounts]:
        """Unit code -> numeric targets over its tasks (every unit of the result)."""
        buckets: dict[str, list[TaskResult]] = {u.unit.code: [] for u in self.units}
        for t in self.tasks:
            buckets.setdefault(t.task.unit, []).append(t)
        return {code: TargetCounts.of(results) for code, results in buckets.items()}

    @property
    def below_target(self) -> list[TaskResult]:
        """Tasks reported done whose achieved value is below their numeric target, in list order."""
        return [t for t in self.tasks if t.below_target]

    @property
    def unscored(self) -> list[UnitResult]:
        """Units that answered, have points to score, but entered no self-score and were not appraised."""
        scored = {t.task.unit for t in self.tasks if t.self_score is not None or t.appraised is not None}
        return self._in_order(u for u in self.heads if u.answered and u.points and u.unit.code not in scored)

    @property
    def appraised(self) -> bool:
        """Whether any unit's scores were appraised."""
        return any(u.appraised is not None for u in self.units)

    def severity_counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    def status_json(self) -> dict[str, object]:
        """The figures of ``camket status --json`` (stable keys; see docs/api.md)."""
        from .statusjson import status_json

        return status_json(self)

    # --- the basis of the round's headline figures and the heads' bands --------------------
    @property
    def basis_by_unit(self) -> dict[str, Totals]:
        """Unit code -> totals on the round's basis: the tasks due in an interim round, all tasks otherwise."""
        return self.due_by_unit if self.interim else {u.unit.code: u.totals for u in self.units}

    def head_bands(self, by_unit: Mapping[str, Totals] | None = None) -> dict[str, list[UnitResult]]:
        """Heads by completion band (see :data:`BANDS`) on ``by_unit`` (default: the round's
        basis), in master-list order (the band below 50% lowest first). Every head is in one band."""
        totals = {u.unit.code: (by_unit if by_unit is not None else self.basis_by_unit).get(u.unit.code, Totals())
                  for u in self.heads}
        heads = self._in_order(self.heads)
        counted = [u for u in heads if u.answered and totals[u.unit.code].total]
        rate = {u.unit.code: totals[u.unit.code].rate for u in counted}
        full = {u.unit.code for u in counted if totals[u.unit.code].completed == totals[u.unit.code].total}
        return {
            "100": [u for u in counted if u.unit.code in full],
            "90_to_100": [u for u in counted if u.unit.code not in full and rate[u.unit.code] >= 90],
            "50_to_90": [u for u in counted if 50 <= rate[u.unit.code] < 90],
            "below_50": sorted((u for u in counted if rate[u.unit.code] < 50),
                               key=lambda u: (rate[u.unit.code], u.unit.name)),
            "no_task_due": [u for u in heads if u.answered and not totals[u.unit.code].total],
            "not_reported": [u for u in heads if not u.answered],
        }

    def rating_shown(self, unit: UnitResult) -> str:
        """A unit's rating as the outputs show it: not rated without a report or a self-score."""
        if not unit.answered:
            return unit.rating
        return UNSCORED if unit.unit.code in self._unscored_codes else unit.rating

    @cached_property
    def _unscored_codes(self) -> frozenset[str]:
        return frozenset(u.unit.code for u in self.unscored)


BANDS = ("100", "90_to_100", "50_to_90", "below_50", "no_task_due", "not_reported")
"""Keys of :meth:`Result.head_bands`: 100%, 90% to below 100%, 50% to below 90%, below 50%,
no task due yet (interim), no report."""
UNSCORED = "Chưa tự chấm điểm"


@dataclass(frozen=True)
class Trend:
    """Progress round by round: the programme's totals and each unit's completion rate."""

    rounds: tuple[Round, ...]
    overall: tuple[Totals, ...]
    units: dict[str, tuple[Decimal | None, ...]]   # unit code -> rate per round (None: no report)

    @property
    def meaningful(self) -> bool:
        return len(self.rounds) >= 2


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


def is_due(task: Task, as_of: dt.date) -> bool:
    """Whether ``task`` had to be done by ``as_of`` (an ongoing task never has to)."""
    return task.deadline is not None and task.deadline <= as_of


def is_interim(round_: Round, rounds: Sequence[Round], result_due: Totals, overall: Totals) -> bool:
    """Whether a round is reported against the tasks due by its reporting date: it is not the
    programme's last round and some tasks are not due yet."""
    last = max(rounds, key=lambda r: r.as_of, default=round_)
    return last.id != round_.id and round_.as_of < last.as_of and result_due.total < overall.total


def count(n: int) -> str:
    """A count as written in Vietnamese text: ``1.234``."""
    return format_number(n)


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
    ``findings`` are those of the accepted submissions; ``appraisals`` maps (unit, task)
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
