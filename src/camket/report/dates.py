"""The dates a round's outputs carry: the report's own date and the resend deadline.

A round's report is dated, first found: the date asked for when it is made (``camket report
--date``), the round's ``[[round]] report_date``, ``[report] date`` (every round), the day it
is made. Offices
asked to send or fix their report have ``[feedback] working_days`` working days from
that date: weekends, Vietnam's public holidays (the ``holidays`` package, with the
lunar new year and the days in lieu it observes) and the extra ``[feedback] holidays``
do not count.
"""

from __future__ import annotations

import datetime as dt
import functools

from ..config import Settings
from ..model import Round

__all__ = ["report_date", "resend_deadline", "working_days_after"]


def report_date(settings: Settings, generated: dt.datetime, round_: Round | None = None,
                asked: dt.date | None = None) -> dt.date:
    """The date written in the report's dateline (see the module's docstring for the order).

    >>> report_date(ws.settings, dt.datetime(2022, 7, 9, 8), asked=dt.date(2022, 7, 11))
    datetime.date(2022, 7, 11)
    """
    return asked or (round_.report_date if round_ is not None else None) or settings.report.date or generated.date()


@functools.cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


def working_days_after(start: dt.date, days: int, extra: tuple[dt.date, ...] = ()) -> dt.date:
    """The ``days``-th working day after ``start``.

    >>> working_days_after(dt.date(2022, 8, 29), 5)   # 1-2/9 are public holidays
    datetime.date(2022, 9, 7)
    """
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in _public_holidays(day.year) and day not in extra:
            left -= 1
    return day


def resend_deadline(settings: Settings, dated: dt.date) -> dt.date:
    """By when offices send their report again: the report's date ``dated`` plus the working
    days of ``[feedback]``."""
    feedback = settings.feedback
    return working_days_after(dated, feedback.working_days, feedback.holidays)
