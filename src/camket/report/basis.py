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
from ..reconcile import BANDS, Result, Totals, UnitResult, is_interim
from ..vi import text_date

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
    due = result.due
    if not is_interim(result.round, settings.series(result.round.kind), due, result.overall):
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
    Bars are labelled with the units' names as Bảng 1 gives them. Above 40 units, the bars
    are the blocks.
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
            label = u.unit.name
            if not u.answered:
                bars.append(Bar(label, None, "chưa báo cáo"))
            elif not totals.total:
                bars.append(Bar(label, None, f"chưa có {scope}"))
            else:
                bars.append(Bar(label, totals.rate))
        title = f"Tỉ lệ hoàn thành {scope} theo đơn vị"
    title += f" (tính đến ngày {basis.as_of_text})"
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
    no task due yet, then no report (:meth:`~camket.reconcile.Result.head_bands`). Every head
    is in exactly one bucket."""
    scope = basis.scope
    bands = result.head_bands(basis.by_unit)
    labels = {
        "100": f"hoàn thành 100% {scope}", "90_to_100": f"hoàn thành từ 90% đến dưới 100% {scope}",
        "50_to_90": f"hoàn thành từ 50% đến dưới 90% {scope}", "below_50": f"hoàn thành dưới 50% {scope}",
        "no_task_due": f"chưa có {scope}", "not_reported": "chưa báo cáo",
    }
    return [Bucket(labels[key], bands[key]) for key in BANDS]
