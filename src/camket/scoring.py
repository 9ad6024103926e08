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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from .config import ScoringRules
from .model import Derived, Task
from .vi import percent

__all__ = ["ScoreBreakdown", "Scored", "score_unit"]

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
