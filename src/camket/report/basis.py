"""The figures a round's outputs state, on the basis the round calls for.

An interim round (not the last of the programme, with tasks not yet due) is reported
against the tasks due by its reporting date, the whole-year figure following as
*lũy kế*; the last round, or one where every task is due, against all tasks. The Word
report and the consolidated workbook both take their headline figures, the heads'
buckets and the chart of units from here, so they always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..config import Settings
from ..reconcile import Result, Totals, UnitResult
from ..vi import short_name, text_date

__all__ = ["Bar", "Basis", "Bucket", "basis_of", "completion_bars", "unit_buckets"]

_UNITS_ON_CHART = 40  # above this many units, charts show blocks


@dataclass(frozen=True)
class Basis:
    """``interim``: figures count the tasks due by ``as_of``; otherwise every task."""

    interim: bool
    as_of: dt.date
    overall: Totals                 # the headline totals (due tasks in an interim round)
    year: Totals                    # every task of the programme (the cumulative figure)
    by_unit: dict[str, Totals]      # unit code -> totals on the basis
    by_group: dict[str, Totals]
    by_block: dict[str, Totals]

    @property
    def scope(self) -> str:
        """What the rate is a rate of: "nhiệm vụ đến hạn" or "nhiệm vụ"."""
        return "nhiệm vụ đến hạn" if self.interim else "nhiệm vụ"

    @property
    def as_of_text(self) -> str:
        return text_date(self.as_of)


def basis_of(result: Result, settings: Settings) -> Basis:
    """The basis of ``result``'s round under ``settings`` (see the module's docstring)."""
    last = max(settings.rounds, key=lambda r: r.as_of, default=result.round)
    due = result.due
    interim = last.id != result.round.id and result.round.as_of < last.as_of and due.total < result.overall.total
    if not interim:
        return Basis(False, result.round.as_of, result.overall, result.overall,
                     {u.unit.code: u.totals for u in result.units}, result.by_group, result.by_block)
    return Basis(True, result.round.as_of, due, result.overall, result.due_by_unit, result.due_by_group,
                 result.due_by_block)


@dataclass(frozen=True)
class Bar:
    """One bar of the completion chart: ``rate`` None when there is nothing to show, ``note`` says why."""

    label: str
    rate: Decimal | None
    note: str = ""


def completion_bars(result: Result, basis: Basis) -> tuple[list[Bar], str]:
    """The completion chart's bars, highest rate first, and its title.

    Units that did not report come last, marked *chưa báo cáo*; in an interim round,
    units with no task due yet come before them, marked *chưa có nhiệm vụ đến hạn*.
    Above 40 units, the bars are the blocks.
    """
    scope = basis.scope
    if len(result.heads) > _UNITS_ON_CHART:
        bars = [Bar(name, t.rate) if t.total else Bar(name, None, f"chưa có {scope}")
                for name, t in basis.by_block.items()]
        title = f"Tỉ lệ hoàn thành {scope} theo khối"
    else:
        bars = []
        for u in result.heads:
            totals = basis.by_unit.get(u.unit.code, Totals())
            label = short_name(u.unit.name)
            if not u.answered:
                bars.append(Bar(label, None, "chưa báo cáo"))
            elif not totals.total:
                bars.append(Bar(label, None, f"chưa có {scope}"))
            else:
                bars.append(Bar(label, totals.rate))
        title = f"Tỉ lệ hoàn thành {scope} theo đơn vị"
    if basis.interim:
        title += f" (đến ngày {basis.as_of_text})"
    order = {"": 0, "chưa báo cáo": 2}
    bars.sort(key=lambda b: (order.get(b.note, 1), -(b.rate or 0), b.label))
    return bars, title


@dataclass(frozen=True)
class Bucket:
    """Heads whose completion rate (on the basis) falls in one band."""

    label: str
    units: list[UnitResult]


def unit_buckets(result: Result, basis: Basis) -> list[Bucket]:
    """Heads by completion band on the basis: 100%, 90–<100%, 50–<90%, <50%, then (interim)
    no task due yet, then no report. Every head is in exactly one bucket."""
    scope = basis.scope
    totals = {u.unit.code: basis.by_unit.get(u.unit.code, Totals()) for u in result.heads}
    position = {code: i for i, code in enumerate(result.order)}
    heads = sorted(result.heads, key=lambda u: position.get(u.unit.code, len(position)))  # master-list order
    answered = [u for u in heads if u.answered and totals[u.unit.code].total]

    def rate(u: UnitResult) -> Decimal:
        return totals[u.unit.code].rate

    def full(u: UnitResult) -> bool:
        t = totals[u.unit.code]
        return t.completed == t.total

    lowest = sorted((u for u in answered if rate(u) < 50), key=lambda u: (rate(u), u.unit.name))
    return [
        Bucket(f"hoàn thành 100% {scope}", [u for u in answered if full(u)]),
        Bucket(f"hoàn thành từ 90% đến dưới 100% {scope}", [u for u in answered if not full(u) and rate(u) >= 90]),
        Bucket(f"hoàn thành từ 50% đến dưới 90% {scope}", [u for u in answered if 50 <= rate(u) < 90]),
        Bucket(f"hoàn thành dưới 50% {scope}", lowest),
        Bucket(f"chưa có {scope}", [u for u in heads if u.answered and not totals[u.unit.code].total]),
        Bucket("chưa báo cáo", [u for u in heads if not u.answered]),
    ]
