"""How a unit's score is made up: one pure function for every scoring rule.

The base is 100 × (points earned) / (points committed), where a task earns its
appraised score when it has one and its self-score otherwise (a master list without
points uses the completion rate). The optional rules of ``[scoring]`` in camket.toml,
each 0 (off) by default, then add or remove points on that 100-point scale:

- ``hard_bonus``: added for each task flagged *nhiệm vụ khó, đột phá* that is completed;
- ``late_completion_penalty``: removed for each task completed after its deadline;
- ``overdue_penalty``: removed for each task still open after its deadline;
- ``late_report_penalty``: removed when the unit's report came after the due date;
- ``missing_report_penalty``: removed when the unit sent no report that counts.

The total never goes below 0; it is rounded half up to one decimal. See docs/scoring.md.

:func:`self_score_check` holds the guidance a self-score must follow (``[self_score]``):
no more than ``not_started_max`` / ``not_done_max`` percent of the points on a task *Chưa
thực hiện* / *Không thực hiện*; on a task *Đang thực hiện*, never the full points (with
``full_points_only_done``) and no more than its progress plus ``progress_margin``
percentage points of the points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from .config import ScoringRules, SelfScoreRules
from .model import Derived, Status, Task
from .vi import percent

__all__ = ["ScoreBreakdown", "Scored", "SelfScoreCheck", "score_unit", "self_score_check"]

_TENTH = Decimal("0.1")


class Scored(Protocol):
    """What a task contributes to its unit's score."""

    @property
    def task(self) -> Task: ...

    @property
    def derived(self) -> Derived: ...

    @property
    def self_score(self) -> float | None: ...

    @property
    def appraised(self) -> float | None: ...

    @property
    def overdue(self) -> bool: ...


@dataclass(frozen=True)
class ScoreBreakdown:
    points: float
    earned: float
    source: str
    base: Decimal
    hard_bonus: Decimal = Decimal(0)
    late_completion: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    late_report: Decimal = Decimal(0)
    missing_report: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        raw = (self.base + self.hard_bonus - self.late_completion - self.overdue - self.late_report
               - self.missing_report)
        return max(Decimal(0), raw).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _points(value: float) -> Decimal:
    return Decimal(str(value))


def score_unit(tasks: Sequence[Scored], *, answered: bool, late: bool, rules: ScoringRules) -> ScoreBreakdown:
    """The score of one unit from its tasks and the rules (see the module's docstring)."""
    points = sum(t.task.points for t in tasks)
    appraised = any(t.appraised is not None for t in tasks)
    earned = sum((t.appraised if t.appraised is not None else (t.self_score or 0)) for t in tasks)
    if points:
        base = percent(earned, points)
        source = "thẩm định" if appraised else "tự chấm"
    else:
        done = sum(1 for t in tasks if t.derived.is_done)
        base = percent(done, len(tasks))
        source = "tỉ lệ hoàn thành"
    if not answered:
        source = "chưa báo cáo"  # no report: nothing was scored, the deduction for not reporting applies
    hard = sum(1 for t in tasks if t.task.hard and t.derived.is_done)
    done_late = sum(1 for t in tasks if t.derived is Derived.DONE_LATE)
    overdue = sum(1 for t in tasks if t.overdue)
    return ScoreBreakdown(
        points=points, earned=earned, source=source, base=base,
        hard_bonus=_points(rules.hard_bonus) * hard,
        late_completion=_points(rules.late_completion_penalty) * done_late,
        overdue=_points(rules.overdue_penalty) * overdue,
        late_report=_points(rules.late_report_penalty) if answered and late else Decimal(0),
        missing_report=_points(rules.missing_report_penalty) if not answered else Decimal(0),
    )


@dataclass(frozen=True)
class SelfScoreCheck:
    """A self-score against the guidance: ``rule`` broken (``not-started``, ``not-done``,
    ``full-unfinished``, ``above-progress``) and the most it allows, in points."""

    rule: str
    allowed: Decimal


def _share(points: float, share: float) -> Decimal:
    """``share`` percent of ``points``, to two decimals (half up)."""
    exact = _points(points) * _points(share) / 100
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def self_score_check(status: str | None, progress: float | None, score: float | None, points: float,
                     rules: SelfScoreRules) -> SelfScoreCheck | None:
    """The rule a self-score breaks, or None (see the module's docstring).

    >>> self_score_check("Đang thực hiện", 40, 9, 10, SelfScoreRules())
    SelfScoreCheck(rule='above-progress', allowed=Decimal('5.00'))
    """
    if not rules.check or score is None or points <= 0 or status is None or status == Status.DONE.value:
        return None
    given = _points(score)
    if status in (Status.NOT_STARTED.value, Status.NOT_DONE.value):
        started = status == Status.NOT_STARTED.value
        allowed = _share(points, rules.not_started_max if started else rules.not_done_max)
        return SelfScoreCheck("not-started" if started else "not-done", allowed) if given > allowed else None
    if status != Status.IN_PROGRESS.value:
        return None
    allowed = _points(points)
    if progress is not None:
        allowed = min(allowed, _share(points, progress + rules.progress_margin))
    if rules.full_points_only_done and given >= _points(points):
        return SelfScoreCheck("full-unfinished", allowed)
    return SelfScoreCheck("above-progress", allowed) if given > allowed else None
