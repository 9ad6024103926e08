"""The figures of a round, as :func:`camket.reconcile.reconcile` makes them: each task's class
and answer (:class:`TaskResult`), totals by class (:class:`Totals`), each unit's figures
(:class:`UnitResult`), the round's :class:`Result` and the :class:`Trend` across rounds.
Plain frozen objects: every output reads them, none recomputes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .model import Adjustment, Derived, Finding, Round, Status, Task, Unit
from .schema import Answer
from .scoring import ScoreBreakdown
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
    "is_due",
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
        """The target with what was reached against it: ``≥ 12 lớp; đạt 10 lớp, bằng 83,3% chỉ tiêu``."""
        target = self.numeric_target
        if target is None or self.achieved is None:
            return self.task.target
        return f"{self.task.target}; {target.reached(self.achieved)}"

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
        """``14/21 thủ trưởng hoàn thành 100% nhiệm vụ cam kết``; none: ``chưa có thủ trưởng nào (trong
        số 21) hoàn thành 100% nhiệm vụ cam kết``."""
        total = len(self.heads)
        if total and not self.heads_all_done:
            return f"chưa có thủ trưởng nào (trong số {count(total)}) hoàn thành 100% nhiệm vụ cam kết"
        return f"{count(self.heads_all_done)}/{count(total)} thủ trưởng hoàn thành 100% nhiệm vụ cam kết"

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


def is_due(task: Task, as_of: dt.date) -> bool:
    """Whether ``task`` had to be done by ``as_of`` (an ongoing task never has to)."""
    return task.deadline is not None and task.deadline <= as_of


def count(n: int) -> str:
    """A count as written in Vietnamese text: ``1.234``."""
    return format_number(n)
