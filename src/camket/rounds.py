"""A round's list of units and tasks: frozen when the round is issued, changed only on purpose.

A round is *issued* when its templates are first written (or its first file received):
its units and tasks (content, deadline, points, group, block, source …) are then kept in
the ledger, and every figure of that round is computed from them. Editing
``danh-muc.xlsx`` afterwards changes only rounds issued later, or a round re-issued on
purpose (``camket templates --round R --reissue``), which records each change as an
adjustment (*điều chỉnh*) shown in the reports.

>>> with Ledger(ws.root) as ledger:
...     issue(ledger, "2022-CN", ws.master(), reason="templates", now=dt.datetime(2022, 12, 1))
[]
"""

from __future__ import annotations

import datetime as dt

from .ledger import Ledger
from .ledger.frozen import diff
from .model import Adjustment, Master, Round

__all__ = ["REASONS", "differences", "issue", "issued_master"]

REASONS = {
    "templates": "lập mẫu báo cáo",
    "reissue": "phát hành lại mẫu (templates --reissue)",
    "ingest": "tiếp nhận tệp đầu tiên",
}


def issued_master(ledger: Ledger, round_id: str) -> Master | None:
    """The round's frozen list, None when it was never issued."""
    return ledger.frozen_master(round_id)


def issue(ledger: Ledger, round_id: str, master: Master, *, reason: str, now: dt.datetime,
          command: str = "", previous: Round | None = None) -> list[Adjustment]:
    """Freeze ``master`` as the round's list, in one transaction; return what changed since
    the round was last issued, or, the first time, since the list of the ``previous`` round."""
    baseline = None
    if previous is not None and ledger.frozen_master(round_id) is None:
        earlier = ledger.frozen_master(previous.id)
        baseline = (previous.name, earlier) if earlier is not None else None
    with ledger.transaction():
        run = ledger.start_run(round_id, command or REASONS.get(reason, reason), now)
        changes = ledger.freeze(round_id, master, run_id=run, at=now, reason=REASONS.get(reason, reason),
                                baseline=baseline)
        ledger.finish_run(run, 0, now)
    return changes


def differences(ledger: Ledger, current: Master, rounds: tuple[Round, ...],
                now: dt.datetime) -> dict[str, list[Adjustment]]:
    """For each issued round, how the current master list differs from its frozen list."""
    out: dict[str, list[Adjustment]] = {}
    for round_ in rounds:
        frozen = ledger.frozen_master(round_.id)
        if frozen is None:
            continue
        changes = diff(frozen, current, round_.id, now, "danh mục hiện hành")
        if changes:
            out[round_.id] = changes
    return out
