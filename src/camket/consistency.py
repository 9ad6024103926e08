"""Cross-round consistency: each task's accepted answer against the same unit's accepted answer
in the previous round of its kind (:meth:`~camket.config.Settings.previous_round`, the round the
trend and the changes since the previous round compare with).

Pure, like :mod:`camket.reconcile`: :func:`contradictions` compares the rows of the two rounds and
:func:`as_findings` places each contradiction at its cell of the current file. The findings are
recomputed from the ledger each time a round is reconciled (:meth:`camket.Workspace.reconcile`),
never stored; they are warnings (one is information) addressed to the unit and never change a
figure: the round is counted as the office reported it.

Rules, for a task with a deadline that the unit answered with a valid status in both rounds (an
ongoing "Thường xuyên" task is reported period by period, its answers may go back and forth):

- ``status-reverted``: done in the previous round, not done now (at the status cell);
- ``date-before-previous-as-of``: done now, on or before the previous round's reporting date
  (``as_of``), when the previous round reported it not done (at the completion date);
- ``date-differs-from-previous`` (information): done in both rounds, on different dates;
- ``progress-decreased``: a lower progress than in the previous round, the task not done before and
  in progress or not started now (*Không thực hiện* gives its reason, which explains the drop; a task
  done now with less than 100% is already flagged at ingest) (at the progress cell).

Any drop of progress and any change of date counts: a progress is measured from the task's start,
so there is no tolerance to tune.

>>> from camket.model import Task
>>> half = Round("2023-6T", "6 tháng đầu năm 2023", dt.date(2023, 6, 30), dt.date(2023, 7, 5))
>>> task = Task("VP-01", "VP", "Kế hoạch", deadline=dt.date(2023, 3, 31))
>>> def row(status, **answer): return StoredRow(1, "VP", "task", "VP-01", "Báo cáo", 8, cell="I8",
...                                            status=status, **answer)
>>> found = contradictions(Master((), (task,)), [row("Hoàn thành", completed_on=dt.date(2023, 2, 1))], half,
...                        [row("Đang thực hiện", progress=80.0)])
>>> [(f.code, str(f.location)) for f in as_findings(found, {1: "VP.xlsx"}, {(1, 8): {"completed_on": "K8"}})]
[('date-before-previous-as-of', 'VP.xlsx, sheet "Báo cáo", ô K8')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from . import findings as F
from .findings import FindingKind
from .ledger import StoredRow
from .model import Finding, Location, Master, Round, Status
from .vi import format_date, format_number

__all__ = ["Contradiction", "as_findings", "contradictions"]

_DONE = Status.DONE.value
_PROGRESSING = (Status.IN_PROGRESS.value, Status.NOT_STARTED.value)


@dataclass(frozen=True)
class Contradiction:
    """A task's answer that contradicts the unit's answer in the previous round."""

    kind: FindingKind
    row: StoredRow             # the current answer
    column: str                # the input it is about, a key of the report's columns
    fields: Mapping[str, str]  # the message's values

    def finding(self, file: str, cell: str = "") -> Finding:
        """The finding at ``cell`` of ``file`` (the row's status cell when not known)."""
        where = Location(file, self.row.sheet, cell or self.row.cell or f"A{self.row.row}")
        return self.kind(where, unit=self.row.unit, task=self.row.task, **self.fields)


def contradictions(master: Master, rows: Sequence[StoredRow], before: Round,
                   before_rows: Sequence[StoredRow]) -> list[Contradiction]:
    """The contradictions between the round's accepted ``rows`` and ``before_rows``, the accepted
    rows of the round ``before`` (see the module's rules), in the order of ``rows``."""
    earlier = {(r.unit, r.task): r for r in before_rows if r.kind == "task" and r.status}
    found: list[Contradiction] = []
    for row in rows:
        was = earlier.get((row.unit, row.task)) if row.kind == "task" and row.status else None
        task = master.task(row.task) if was is not None else None
        if was is not None and task is not None and task.deadline is not None:
            found.extend(_compare(row, was, before))
    return found


def as_findings(found: Sequence[Contradiction], files: Mapping[int, str],
                cells: Mapping[tuple[int, int], Mapping[str, str]]) -> list[Finding]:
    """The findings of ``found``: ``files`` names each submission's file, ``cells`` gives the cell
    of each input by (submission, row) (the status cell is used where it does not)."""
    return [c.finding(files.get(c.row.submission_id, ""),
                      cells.get((c.row.submission_id, c.row.row), {}).get(c.column, "")) for c in found]


def _compare(now: StoredRow, was: StoredRow, before: Round) -> Iterator[Contradiction]:
    name = before.name
    done_now, done_before = now.status == _DONE, was.status == _DONE
    if done_before and not done_now:
        yield Contradiction(F.STATUS_REVERTED, now, "status",
                            {"before": name, "was": _date(was.completed_on), "status": now.status or ""})
    elif done_now and not done_before:
        if now.completed_on is not None and now.completed_on <= before.as_of:
            yield Contradiction(F.DATE_BEFORE_PREVIOUS_AS_OF, now, "completed_on", {
                "before": name, "date": format_date(now.completed_on), "as_of": format_date(before.as_of),
                "was": _said(was)})
    elif done_now:
        if now.completed_on is not None and was.completed_on is not None and now.completed_on != was.completed_on:
            yield Contradiction(F.DATE_DIFFERS_FROM_PREVIOUS, now, "completed_on", {
                "before": name, "date": format_date(now.completed_on), "was": format_date(was.completed_on)})
    elif (now.status in _PROGRESSING and now.progress is not None and was.progress is not None
          and now.progress < was.progress):
        yield Contradiction(F.PROGRESS_DECREASED, now, "progress",
                            {"before": name, "was": format_number(was.progress), "value": format_number(now.progress)})


def _date(day: dt.date | None) -> str:
    return format_date(day) if day is not None else "không ghi"


def _said(row: StoredRow) -> str:
    """What the office reported: ``Đang thực hiện, tiến độ 80%``."""
    if row.status == Status.IN_PROGRESS.value and row.progress is not None:
        return f"{row.status}, tiến độ {format_number(row.progress)}%"
    return row.status or ""
