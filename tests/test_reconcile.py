"""Reconcile: derived classes at their edges, rounding, per-unit figures, JSON keys."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from camket import Workspace
from camket.config import read_config
from camket.ledger import Ledger, StoredRow
from camket.model import Derived, Master, Round, Task, Unit
from camket.reconcile import NOT_RATED, Accepted, derive, reconcile
from camket.vi import format_percent, percent

from .conftest import CONFIG

ROUND = Round("2022-6T", "6 tháng đầu năm 2022", dt.date(2022, 6, 30), dt.date(2022, 7, 5))
DEADLINE = dt.date(2022, 6, 15)


def settings(tmp_path: Path) -> Any:
    (tmp_path / "camket.toml").write_text(CONFIG, encoding="utf-8")
    return read_config(tmp_path / "camket.toml").settings


def task(code: str = "A-01", unit: str = "A", deadline: dt.date | None = DEADLINE, points: float = 10,
         group: str = "Thể chế") -> Task:
    return Task(code, unit, f"Nhiệm vụ {code}", group=group, deadline=deadline,
                deadline_text="" if deadline is None else deadline.strftime("%d/%m/%Y"), points=points)


def row(task_code: str = "A-01", unit: str = "A", status: str | None = "Hoàn thành",
        completed_on: dt.date | None = None, progress: float | None = None, self_score: float | None = None,
        kind: str = "task", submission: int = 1) -> StoredRow:
    return StoredRow(submission, unit, kind, task_code, "Báo cáo", 8, raw_json=json.dumps({"status": ["I8", status]}),
                     cell="I8", status=status, progress=progress, completed_on=completed_on, self_score=self_score)


@pytest.mark.parametrize(("deadline", "status", "completed_on", "expected"), [
    (DEADLINE, "Hoàn thành", DEADLINE, Derived.DONE_ON_TIME),                      # on the deadline day
    (DEADLINE, "Hoàn thành", DEADLINE + dt.timedelta(days=1), Derived.DONE_LATE),  # the day after
    (DEADLINE, "Hoàn thành", DEADLINE - dt.timedelta(days=30), Derived.DONE_ON_TIME),
    (DEADLINE, "Hoàn thành", None, Derived.DONE_ON_TIME),                          # no date: warned at ingest
    (None, "Hoàn thành", dt.date(2022, 6, 29), Derived.DONE_ON_TIME),              # ongoing task
    (dt.date(2022, 7, 31), "Đang thực hiện", None, Derived.IN_PROGRESS_ON_TIME),   # deadline after as_of
    (ROUND.as_of, "Đang thực hiện", None, Derived.IN_PROGRESS_ON_TIME),            # deadline on as_of
    (ROUND.as_of - dt.timedelta(days=1), "Đang thực hiện", None, Derived.IN_PROGRESS_OVERDUE),
    (None, "Đang thực hiện", None, Derived.IN_PROGRESS_ON_TIME),                   # ongoing: never overdue
    (DEADLINE, "Chưa thực hiện", None, Derived.NOT_STARTED),
    (DEADLINE, "Không thực hiện", None, Derived.NOT_DONE),
    (DEADLINE, None, None, Derived.NOT_REPORTED),                                  # row without a valid status
])
def test_derived_class_at_the_edges(deadline: dt.date | None, status: str | None,
                                    completed_on: dt.date | None, expected: Derived) -> None:
    assert derive(task(deadline=deadline), row(status=status, completed_on=completed_on), ROUND.as_of) == expected


def test_missing_row_is_not_reported() -> None:
    assert derive(task(), None, ROUND.as_of) is Derived.NOT_REPORTED


@pytest.mark.parametrize(("part", "whole", "expected", "text"), [
    (90, 97, "92.8", "92,8%"),
    (7, 97, "7.2", "7,2%"),
    (1, 8, "12.5", "12,5%"),
    (1, 16, "6.3", "6,3%"),      # 6.25 rounds half up, not to even
    (5, 16, "31.3", "31,3%"),    # 31.25
    (2, 3, "66.7", "66,7%"),
    (97, 97, "100.0", "100%"),
    (0, 0, "0.0", "0%"),
])
def test_percentages_round_half_up_with_a_decimal_comma(part: int, whole: int, expected: str, text: str) -> None:
    assert percent(part, whole) == Decimal(expected)
    assert format_percent(percent(part, whole)) == text


def ministry() -> tuple[Master, list[StoredRow]]:
    """The case of context/000: 21 heads, 97 tasks (24 on institutions, 73 on management);
    heads 1-14 complete everything, heads 15-21 leave one task open: two institution
    tasks (heads 15, 16) and five management tasks (heads 17-21)."""
    unit_list = [Unit(f"U{i:02d}", f"Đơn vị {i}") for i in range(1, 22)]
    tasks = [task(f"T{i:03d}", unit_list[i % 21].code, group="Thể chế" if i < 24 else "Quản lý")
             for i in range(97)]
    open_tasks = {f"T{i:03d}" for i in (14, 15)} | {f"T{i + 21:03d}" for i in range(16, 21)}
    rows = [row(t.code, t.unit, "Đang thực hiện" if t.code in open_tasks else "Hoàn thành",
                None if t.code in open_tasks else dt.date(2022, 6, 1), submission=int(t.unit[1:]))
            for t in tasks]
    return Master(tuple(unit_list), tuple(tasks)), rows


def accepted(master: Master, late: set[str] = frozenset()) -> dict[str, Accepted]:  # type: ignore[assignment]
    return {
        u.code: Accepted(int(u.code[1:]), u.code, f"{u.code}.xlsx",
                         dt.datetime(2022, 7, 9 if u.code in late else 4, 10))
        for u in master.units
    }


def test_the_sentences_reports_quote_come_out_exactly(tmp_path: Path) -> None:
    master, rows = ministry()
    result = reconcile(master, ROUND, settings(tmp_path), rows, accepted(master))
    assert result.overall.sentence() == "90/97 nhiệm vụ, tương ứng tỉ lệ 92,8%"
    assert result.heads_sentence() == "14/21 thủ trưởng hoàn thành 100% nhiệm vụ cam kết"
    nobody = reconcile(master, ROUND, settings(tmp_path), [], {})
    assert nobody.heads_sentence() == "chưa có thủ trưởng nào (trong số 21) hoàn thành 100% nhiệm vụ cam kết"


def test_status_json_has_the_stable_keys(tmp_path: Path) -> None:
    master, rows = ministry()
    result = reconcile(master, ROUND, settings(tmp_path), rows, accepted(master, late={"U03"}))
    data = result.status_json()
    assert set(data) >= {"round", "units", "tasks", "by_group", "heads_completed_all", "findings"}
    assert set(data["units"]) >= {"expected", "answered", "missing", "late"}  # type: ignore[arg-type]
    assert set(data["tasks"]) >= {  # type: ignore[arg-type]
        "total", "completed", "completed_on_time", "completed_late", "in_progress", "in_progress_overdue",
        "not_started", "not_done", "not_reported"}
    assert data["units"] == {"expected": 21, "answered": 21, "missing": [], "late": ["U03"]}
    assert data["tasks"]["completed"] == 90 and data["tasks"]["in_progress"] == 7  # type: ignore[index]
    assert data["by_group"] == {"Thể chế": {"total": 24, "completed": 22},
                                "Quản lý": {"total": 73, "completed": 68}}
    assert data["heads_completed_all"] == 14
    assert data["findings"] == {"error": 0, "warning": 0}


def test_unit_figures_rating_and_missing_units(tmp_path: Path) -> None:
    units = (Unit("A", "Đơn vị A"), Unit("B", "Đơn vị B"), Unit("C", "Đơn vị C"))
    tasks = (task("A-01", "A", points=60), task("A-02", "A", points=40, deadline=dt.date(2022, 5, 1)),
             task("B-01", "B", points=100), task("C-01", "C", points=100))
    rows = [row("A-01", "A", "Hoàn thành", dt.date(2022, 6, 1), 100, 60),
            row("A-02", "A", "Hoàn thành", dt.date(2022, 5, 20), 100, 35),
            row("B-01", "B", "Đang thực hiện", None, 40, 40, submission=2)]
    subs = {"A": Accepted(1, "A", "A.xlsx", dt.datetime(2022, 7, 5, 17)),
            "B": Accepted(2, "B", "B.xlsx", dt.datetime(2022, 7, 6, 8), errors=2, warnings=1)}
    result = reconcile(Master(units, tasks), ROUND, settings(tmp_path), rows, subs)
    by_code = {u.unit.code: u for u in result.units}
    a, b, c = by_code["A"], by_code["B"], by_code["C"]
    assert (a.totals.completed, a.totals.done_on_time, a.totals.done_late) == (2, 1, 1)
    assert a.all_done and a.score == Decimal("95.0") and a.rating == "Hoàn thành xuất sắc nhiệm vụ"
    assert not a.late                                   # sent on the due day
    assert b.late and (b.errors, b.warnings) == (2, 1)  # the day after
    assert b.score == Decimal("40.0") and b.rating == "Không hoàn thành nhiệm vụ"
    assert not c.answered and c.rating == NOT_RATED and c.totals.not_reported == 1
    assert [u.unit.code for u in result.missing] == ["C"]
    assert [u.unit.code for u in result.units] == ["A", "B", "C"]  # by score, missing last


def test_changes_since_the_previous_round(tmp_path: Path) -> None:
    master = Master((Unit("A", "A"),), (task("A-01"), task("A-02", deadline=dt.date(2022, 12, 31))))
    earlier = Round("2022-Q1", "Quý I", dt.date(2022, 3, 31), dt.date(2022, 4, 5))
    before = [row("A-01", status="Đang thực hiện"), row("A-02", status="Chưa thực hiện")]
    now = [row("A-01", status="Hoàn thành", completed_on=dt.date(2022, 6, 10)),
           row("A-02", status="Chưa thực hiện")]
    result = reconcile(master, ROUND, settings(tmp_path), now,
                       {"A": Accepted(1, "A", "A.xlsx", dt.datetime(2022, 7, 1))}, previous=(earlier, before, master))
    assert [(c.task.code, c.before, c.after) for c in result.changes] == [
        ("A-01", Derived.IN_PROGRESS_ON_TIME, Derived.DONE_ON_TIME)]


def test_workspace_reconcile_reads_a_ledger_built_by_hand(small_ws: Path) -> None:
    """Rows written straight into the SQLite ledger, as ingest would."""
    ws = Workspace.open(small_ws)
    with Ledger(small_ws) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "test", dt.datetime(2022, 7, 4))
        sid = ledger.add_submission(
            run, sha256="a" * 64, size=1, name="VPC.xlsx", source="VPC.xlsx", received="2022-07-04T10:00:00",
            file_time="2022-07-03T16:00:00", format="xlsx", kind="report", round="2022-6T", unit="VPC",
            state="accepted")
        ledger.add_rows(sid, [row("VPC-01", "VPC", "Hoàn thành", dt.date(2022, 9, 30), 100, 60),
                              row("VPC-02", "VPC", "Đang thực hiện", None, 50, 20)])
    result = ws.reconcile("2022-6T")
    assert result.overall.total == 5
    assert result.overall.completed == 1
    assert [u.unit.code for u in result.missing] == ["VP", "TTCNTT"]
    assert result.status_json()["units"] == {"expected": 3, "answered": 1, "missing": ["VP", "TTCNTT"],
                                             "late": []}


def test_figures_against_the_tasks_due_equal_a_count_by_hand(tmp_path: Path) -> None:
    """Tasks due by as_of (deadline on or before it; an ongoing task never) and their
    completion, per unit, group and block, as a clerk would count them from the list."""
    s = settings(tmp_path)
    units = (Unit("A", "Vụ A", block="Khối 1"), Unit("B", "Vụ B", block="Khối 2"), Unit("C", "Vụ C", block="Khối 2"))
    before, on, after = dt.date(2022, 5, 31), ROUND.as_of, dt.date(2022, 9, 30)
    tasks = (
        task("A-01", "A", before), task("A-02", "A", on, group="Quản lý"), task("A-03", "A", after),
        task("A-04", "A", None),
        task("B-01", "B", before), task("B-02", "B", after, group="Quản lý"),
        task("C-01", "C", on), task("C-02", "C", after),
    )
    rows = [
        row("A-01", "A", "Hoàn thành", before, self_score=5), row("A-02", "A", "Đang thực hiện", progress=50),
        row("A-03", "A", "Hoàn thành", dt.date(2022, 6, 1)), row("A-04", "A", "Đang thực hiện"),
        row("B-01", "B", "Hoàn thành", dt.date(2022, 6, 10), submission=2),   # done late
        row("B-02", "B", "Chưa thực hiện", submission=2),
    ]
    accepted = {"A": Accepted(1, "A", "a.xlsx", dt.datetime(2022, 7, 1)),
                "B": Accepted(2, "B", "b.xlsx", dt.datetime(2022, 7, 2))}
    result = reconcile(Master(units, tasks), ROUND, s, rows, accepted)
    # counted by hand: due = A-01, A-02, B-01, C-01; done among them = A-01, B-01 (late)
    assert (result.due.total, result.due.completed, result.due.done_late) == (4, 2, 1)
    assert result.due.rate == Decimal("50.0")
    assert (result.not_due.total, result.not_due.completed) == (4, 1)   # A-03 done early; A-04 ongoing
    assert result.due.total + result.not_due.total == result.overall.total == 8
    assert {k: (t.total, t.completed) for k, t in result.due_by_unit.items()} == {
        "A": (2, 1), "B": (1, 1), "C": (1, 0)}
    assert {k: (t.total, t.completed) for k, t in result.due_by_group.items()} == {
        "Thể chế": (3, 2), "Quản lý": (1, 0)}
    assert {k: (t.total, t.completed) for k, t in result.due_by_block.items()} == {
        "Khối 1": (2, 1), "Khối 2": (2, 1)}
    assert [u.unit.code for u in result.unscored] == ["B"]   # answered, points, no self-score
    assert not result.appraised
