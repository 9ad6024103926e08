"""Scoring rules, one table row each: the points a rule adds or removes in a small case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from camket.config import ScoringRules
from camket.model import Derived, Task
from camket.reconcile import TaskResult
from camket.scoring import score_unit

DEADLINE = dt.date(2022, 6, 15)


def task(derived: Derived, points: float = 25, self_score: float | None = None, hard: bool = False,
         overdue: bool = False, appraised: float | None = None) -> TaskResult:
    t = Task(f"T-{id(object())}", "U", "Nhiệm vụ", deadline=DEADLINE, deadline_text="15/06/2022", points=points,
             hard=hard)
    earned = self_score if self_score is not None else (points if derived.is_done else 0)
    return TaskResult(t, derived, self_score=earned, overdue=overdue, appraised=appraised)


# four tasks of 25 points: one hard and done, one done late, one overdue, one done on time
UNIT = [
    task(Derived.DONE_ON_TIME, hard=True),
    task(Derived.DONE_LATE),
    task(Derived.IN_PROGRESS_OVERDUE, self_score=10, overdue=True),
    task(Derived.DONE_ON_TIME),
]
BASE = Decimal("85.0")  # (25 + 25 + 10 + 25) / 100


@pytest.mark.parametrize(("rule", "answered", "late", "expected"), [
    ({}, True, False, BASE),                                   # every rule off: the base
    ({"hard_bonus": 5}, True, False, BASE + 5),                # one hard task completed
    ({"late_completion_penalty": 2}, True, False, BASE - 2),   # one task completed late
    ({"overdue_penalty": 3}, True, False, BASE - 3),           # one task overdue
    ({"late_report_penalty": 10}, True, True, BASE - 10),      # the report came late
    ({"late_report_penalty": 10}, True, False, BASE),          # … but not when on time
    ({"missing_report_penalty": 20}, False, False, BASE - 20), # no report that counts
    ({"hard_bonus": 5, "late_completion_penalty": 2, "overdue_penalty": 3, "late_report_penalty": 10},
     True, True, BASE + 5 - 2 - 3 - 10),                       # together
])
def test_each_rule_adds_or_removes_its_points(rule: dict[str, float], answered: bool, late: bool,
                                              expected: Decimal) -> None:
    assert score_unit(UNIT, answered=answered, late=late, rules=ScoringRules(**rule)).total == expected


def test_a_hard_task_not_completed_earns_no_bonus() -> None:
    tasks = [task(Derived.IN_PROGRESS_ON_TIME, self_score=10, hard=True), task(Derived.DONE_ON_TIME)]
    breakdown = score_unit(tasks, answered=True, late=False, rules=ScoringRules(hard_bonus=5))
    assert breakdown.hard_bonus == 0


def test_the_appraised_score_replaces_the_self_score_where_present() -> None:
    tasks = [task(Derived.DONE_ON_TIME, appraised=20), task(Derived.DONE_ON_TIME)]  # 20 + 25 of 50
    breakdown = score_unit(tasks, answered=True, late=False, rules=ScoringRules())
    assert (breakdown.source, breakdown.earned, breakdown.total) == ("thẩm định", 45, Decimal("90.0"))


def test_without_points_the_completion_rate_is_the_base() -> None:
    tasks = [task(Derived.DONE_ON_TIME, points=0), task(Derived.NOT_STARTED, points=0),
             task(Derived.DONE_LATE, points=0)]
    breakdown = score_unit(tasks, answered=True, late=False, rules=ScoringRules())
    assert (breakdown.source, breakdown.total) == ("tỉ lệ hoàn thành", Decimal("66.7"))


def test_the_score_never_goes_below_zero() -> None:
    tasks = [task(Derived.NOT_STARTED)]
    assert score_unit(tasks, answered=False, late=False, rules=ScoringRules(missing_report_penalty=50)).total == 0
