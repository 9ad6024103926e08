"""The year view (``camket year``): what the ledger holds for every round of the year, turned into
the emulation table of :mod:`camket.report.year`.

Only the rounds actually run count: a round due by the view's date whose templates were issued
(its list frozen in the ledger) or for which files were received; the others are left out and
named (:attr:`~camket.report.year.YearResult.skipped`).

>>> year = year_view(ws, as_of=dt.date(2022, 12, 31))
>>> sorted(r.id for r in (*year.rounds, *year.skipped))
['2022-6T', '2022-9T', '2022-CN']
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Round
from .report.year import YearResult, emulation

if TYPE_CHECKING:
    from .ledger import Ledger
    from .workspace import Workspace

__all__ = ["basis_round", "issued_rounds", "year_view"]


def basis_round(ws: Workspace, as_of: dt.date, with_data: set[str]) -> Round | None:
    """The round whose task results count: ``[emulation] round``, else the last round of
    ``[[round]]`` reported by ``as_of`` that has counted reports."""
    chosen = ws.settings.emulation.round
    if chosen:
        return ws.round(chosen)
    rounds = [r for r in ws.settings.series("") if r.as_of <= as_of and r.id in with_data]
    return rounds[-1] if rounds else None


def year_view(ws: Workspace, as_of: dt.date | None = None, basis: str | None = None) -> YearResult:
    """The emulation table of the year as of ``as_of`` (today by default): every round run and due
    by then, and the task results of ``basis`` (see :func:`basis_round`)."""
    as_of = as_of or dt.date.today()
    due = sorted((r for r in ws.settings.rounds if r.due <= as_of), key=lambda r: (r.as_of, r.kind, r.id))
    current = ws.master()
    rounds = []
    with ws.ledger() as ledger:
        run = issued_rounds(ledger)
        counted = [r for r in due if r.id in run]
        with_data = set()
        for round_ in counted:
            master = ledger.frozen_master(round_.id) or current
            expected = {u.code for u in master.units if master.tasks_of(u.code)}
            arrived = {s.unit: dt.datetime.fromisoformat(s.arrived or s.received) for s in ledger.submissions(round_.id)
                       if s.state == "accepted" and s.kind == "report"}
            if arrived:
                with_data.add(round_.id)
            rounds.append((round_, expected, arrived))
        if basis is None:
            found = basis_round(ws, as_of, with_data | {s.round for s in ledger.submissions()
                                                       if s.state == "accepted" and s.kind == "report"})
        else:
            found = ws.round(basis)
    if found is not None and found.kind:
        raise InputError(f"Kỳ {found.id} là kỳ báo cáo định kỳ ({found.name}); kết quả nhiệm vụ cả năm lấy theo một kỳ "
                         "của [[round]] (quý, 6 tháng, 9 tháng, năm).")
    result = ws.reconcile(found.id) if found is not None else None
    return emulation(ws.settings, current, rounds, result, as_of, tuple(r for r in due if r.id not in run))


def issued_rounds(ledger: Ledger) -> set[str]:
    """The rounds that were run: their templates issued (the list frozen) or files received for them."""
    return set(ledger.frozen_rounds()) | {s.round for s in ledger.submissions() if s.kind != "appraisal"}
