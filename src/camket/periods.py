"""Periodic rounds: a ``[[schedule]]`` of ``camket.toml`` -> one round per week, month or quarter.

A period's round is judged as of the period's last day (Sunday for an ISO week) and is due
``due_days`` calendar days later. Only periods that end between ``start`` and ``end`` are
generated. Identifiers and names follow one pattern per kind:

>>> for r in generate(Schedule("month", dt.date(2023, 1, 1), dt.date(2023, 2, 28), 5)):
...     print(r.id, r.name, r.as_of, r.due)
2023-T01 tháng 01 năm 2023 2023-01-31 2023-02-05
2023-T02 tháng 02 năm 2023 2023-02-28 2023-03-05
>>> generate(Schedule("week", dt.date(2023, 1, 2), dt.date(2023, 1, 8), 2))[0].name
'tuần 01 năm 2023 (từ ngày 02/01 đến ngày 08/01/2023)'
>>> generate(Schedule("quarter", dt.date(2023, 1, 1), dt.date(2023, 12, 31), 5))[3].id
'2023-QUY4'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Round
from .vi import fold_key

__all__ = ["KIND_WORDS", "Schedule", "generate", "kind_of"]

KIND_WORDS = {"week": "week", "weekly": "week", "tuan": "week", "month": "month", "monthly": "month",
              "thang": "month", "quarter": "quarter", "quarterly": "quarter", "quy": "quarter"}
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Schedule:
    """``every`` is ``week``, ``month`` or ``quarter``; rounds are due ``due_days`` after their period."""

    every: str
    start: dt.date
    end: dt.date
    due_days: int


def kind_of(word: str) -> str | None:
    """The kind a word of ``camket.toml`` means (``"tháng"``, ``"monthly"`` -> ``"month"``), or None."""
    return KIND_WORDS.get(fold_key(word).replace(" ", ""))


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _padded(n: int) -> str:
    """Months 1 and 2 and days below 10 are written with a leading zero, as in a dateline."""
    return f"{n:02d}"


def _periods(schedule: Schedule) -> list[tuple[str, str, dt.date]]:
    """(id, name, last day) of every period ending between ``start`` and ``end``."""
    out: list[tuple[str, str, dt.date]] = []
    if schedule.every == "week":
        monday = schedule.start - dt.timedelta(days=schedule.start.weekday())
        while monday <= schedule.end:
            sunday = monday + dt.timedelta(days=6)
            if schedule.start <= sunday <= schedule.end:
                year, week, _ = monday.isocalendar()
                span = (f"từ ngày {_padded(monday.day)}/{_padded(monday.month)} đến ngày "
                        f"{_padded(sunday.day)}/{_padded(sunday.month)}/{sunday.year}")
                out.append((f"{year}-W{week:02d}", f"tuần {week:02d} năm {year} ({span})", sunday))
            monday += dt.timedelta(days=7)
        return out
    step = 1 if schedule.every == "month" else 3
    year, month = schedule.start.year, schedule.start.month
    if step == 3:
        month = (month - 1) // 3 * 3 + 1
    while dt.date(year, month, 1) <= schedule.end:
        last = _month_end(year, month + step - 1 if month + step - 1 <= 12 else 12)
        if schedule.start <= last <= schedule.end:
            if step == 1:
                month_text = _padded(month) if month <= 2 else str(month)
                out.append((f"{year}-T{month:02d}", f"tháng {month_text} năm {year}", last))
            else:
                quarter = (month - 1) // 3
                out.append((f"{year}-QUY{quarter + 1}", f"quý {_ROMAN[quarter]} năm {year}", last))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return out


def generate(schedule: Schedule) -> tuple[Round, ...]:
    """The rounds of a schedule, in order."""
    due = dt.timedelta(days=schedule.due_days)
    return tuple(Round(rid, name, last, last + due, schedule.every) for rid, name, last in _periods(schedule))
