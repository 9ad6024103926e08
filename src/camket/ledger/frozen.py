"""A round's frozen list: the units and tasks as they were when the round was issued.

Once a round's templates are issued (or its first file received), its units and tasks are
kept in the ledger, and reconcile, status and every report of that round use them: a
later edit of ``danh-muc.xlsx`` changes only rounds issued after it. Re-issuing a round
freezes the current list again and records each difference as an :class:`Adjustment`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import fields

from ..model import Adjustment, Master, Task, Unit
from ..schema import MASTER_TASKS, MASTER_UNITS
from ..values import text_of
from ..vi import format_number
from .db import storable

__all__ = ["adjustments", "diff", "freeze", "frozen_rounds", "load"]

_UNIT_FIELDS = tuple(f.name for f in fields(Unit))
_TASK_FIELDS = tuple(f.name for f in fields(Task))
_COMPARED_UNIT = ("name", "block", "head", "position", "email")
_COMPARED_TASK = ("unit", "content", "group", "source", "product", "target", "deadline", "points", "hard",
                  "parent", "note")
_LABELS = {
    **{c.key: c.header for c in MASTER_TASKS.columns}, **{c.key: c.header for c in MASTER_UNITS.columns},
    "name": MASTER_UNITS["unit_name"].header, "unit": MASTER_TASKS["unit_code"].header,
}


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def load(db: sqlite3.Connection, round_id: str) -> Master | None:
    """The round's frozen list, or None when the round was never issued.

    Tasks repeat their unit, group, source, deadline …: as when the master list is read, one
    object stands for each distinct value (a national list of 300,000 tasks holds 40% less).
    """
    units = db.execute(f"SELECT {_quoted(_UNIT_FIELDS)} FROM round_units WHERE round = ? ORDER BY ord",
                       (round_id,)).fetchall()
    if not units:
        return None
    shared: dict[tuple[type, object], object] = {}
    share = shared.setdefault
    day = dt.date.fromisoformat
    deadline_at, hard_at = _TASK_FIELDS.index("deadline"), _TASK_FIELDS.index("hard")
    tasks = []
    for row in db.execute(f"SELECT {_quoted(_TASK_FIELDS)} FROM round_tasks WHERE round = ? ORDER BY ord",
                          (round_id,)):
        values = [share((type(v), v), v) if i not in _UNSHARED else v for i, v in enumerate(row)]
        deadline = values[deadline_at]
        values[deadline_at] = share((dt.date, deadline), day(deadline)) if deadline else None  # type: ignore[arg-type]
        values[hard_at] = bool(values[hard_at])
        tasks.append(Task(*values))  # type: ignore[arg-type]
    return Master(tuple(Unit(*u) for u in units), tuple(tasks))


_UNSHARED = frozenset(_TASK_FIELDS.index(name) for name in ("code", "content", "product"))  # unique per task


def frozen_rounds(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT round FROM round_units ORDER BY round")]


def _shown(what: str, key: str, value: object) -> str:
    if key == "deadline":
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else "Thường xuyên"
    if key == "points" and isinstance(value, float):
        return format_number(value)
    if key == "hard":
        return "có" if value else "không"
    return text_of(value)


def diff(before: Master, after: Master, round_id: str, at: dt.datetime, reason: str) -> list[Adjustment]:
    """What changed from ``before`` to ``after``: units and tasks added, removed, changed field by field."""
    out: list[Adjustment] = []

    def compare(what: str, old: dict[str, object], new: dict[str, object], keys: tuple[str, ...],
                label: str) -> None:
        for code, item in new.items():
            if code not in old:
                out.append(Adjustment(round_id, at, reason, "added", what, code, _unit_of(item), after=label_of(item)))
                continue
            previous = old[code]
            for key in keys:
                a, b = getattr(previous, key), getattr(item, key)
                if a != b:
                    out.append(Adjustment(round_id, at, reason, "changed", what, code, _unit_of(item),
                                          _LABELS.get(key, key), _shown(what, key, a), _shown(what, key, b)))
        for code, item in old.items():
            if code not in new:
                out.append(Adjustment(round_id, at, reason, "removed", what, code, _unit_of(item),
                                      before=label_of(item)))

    def label_of(item: object) -> str:
        return text_of(getattr(item, "content", None) or getattr(item, "name", ""))[:200]

    compare("unit", {u.code: u for u in before.units}, {u.code: u for u in after.units}, _COMPARED_UNIT, "")
    compare("task", {t.code: t for t in before.tasks}, {t.code: t for t in after.tasks}, _COMPARED_TASK, "")
    return out


def _unit_of(item: object) -> str:
    return str(getattr(item, "unit", "") or getattr(item, "code", ""))


def freeze(db: sqlite3.Connection, round_id: str, master: Master, *, run_id: int, at: dt.datetime,
           reason: str, baseline: tuple[str, Master] | None = None) -> tuple[int, list[Adjustment]]:
    """Keep ``master`` as the round's list (replacing an earlier one) and record the changes:
    from the round's earlier list, or the first time from ``baseline`` (the list of the round
    before, so a task added between rounds is an adjustment of the programme too).

    Returns the issue's id and the adjustments. Call inside a transaction.
    """
    previous = load(db, round_id)
    if previous is not None:
        changes = diff(previous, master, round_id, at, reason)
    elif baseline is not None:
        changes = diff(baseline[1], master, round_id, at, f"{reason}, so với danh sách kỳ {baseline[0]}")
    else:
        changes = []
    cursor = db.execute(
        "INSERT INTO round_issues (run_id, round, at, reason, units, tasks) VALUES (?, ?, ?, ?, ?, ?)",
        (run_id, round_id, at.isoformat(timespec="seconds"), reason, len(master.units), len(master.tasks)))
    issue = int(cursor.lastrowid or 0)
    db.execute("DELETE FROM round_units WHERE round = ?", (round_id,))
    db.execute("DELETE FROM round_tasks WHERE round = ?", (round_id,))
    db.executemany(
        f"INSERT INTO round_units (round, ord, {_quoted(_UNIT_FIELDS)}) "
        f"VALUES ({', '.join('?' * (len(_UNIT_FIELDS) + 2))})",
        [storable((round_id, i, *(getattr(u, f) for f in _UNIT_FIELDS))) for i, u in enumerate(master.units)])
    db.executemany(
        f"INSERT INTO round_tasks (round, ord, {_quoted(_TASK_FIELDS)}) "
        f"VALUES ({', '.join('?' * (len(_TASK_FIELDS) + 2))})",
        [storable((round_id, i, *(_stored(t, f) for f in _TASK_FIELDS))) for i, t in enumerate(master.tasks)])
    db.executemany(
        "INSERT INTO adjustments (issue_id, round, change, what, code, unit, field, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [storable((issue, a.round, a.change, a.what, a.code, a.unit, a.field, a.before, a.after)) for a in changes])
    return issue, changes


def _stored(task: Task, name: str) -> object:
    value = getattr(task, name)
    if name == "deadline":
        return value.isoformat() if value is not None else None
    if name == "hard":
        return int(value)
    return value


def adjustments(db: sqlite3.Connection, round_id: str | None = None) -> list[Adjustment]:
    """Every recorded adjustment (of one round, or all), oldest first."""
    where, args = ("WHERE a.round = ?", (round_id,)) if round_id else ("", ())
    rows = db.execute(
        "SELECT a.round, i.at, i.reason, a.change, a.what, a.code, a.unit, a.field, a.before, a.after "
        f"FROM adjustments a JOIN round_issues i ON i.id = a.issue_id {where} ORDER BY a.id", args)
    return [Adjustment(r[0], dt.datetime.fromisoformat(r[1]), *r[2:]) for r in rows]
