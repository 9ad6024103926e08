"""``camket status --json``: every added figure equals a recount made here from the ledger's rows
and the round's list (not from reconcile), and the first keys stay as they were."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.model import Master, Unit
from camket.reconcile import Accepted, reconcile

from .test_reconcile import ROUND, row, settings, task

FIRST_KEYS = ["round", "as_of", "due", "units", "tasks", "by_group", "by_block", "heads_completed_all", "pending",
              "adjustments", "findings", "sentences"]


def rate(part: int | float, whole: int | float) -> float:
    """Percent, rounded half up to one decimal, with fractions (as a clerk's calculator would)."""
    exact = Fraction(str(part)) * 100 / Fraction(str(whole))
    return float((Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"),
                                                                                  rounding=ROUND_HALF_UP))


def status_of(ws: Workspace, round_id: str) -> Any:
    out = CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--round", round_id, "--json"],
                             catch_exceptions=False)
    return json.loads(out.stdout)


def recount(ws: Workspace, round_id: str) -> dict[str, Any]:
    """Each task's reported status from the ledger's accepted rows, by unit: done, due, answered."""
    round_ = ws.round(round_id)
    master = ws.master_for(round_id)
    with ws.ledger() as ledger:
        subs = [s for s in ledger.submissions(round_id) if s.state == "accepted" and s.kind == "report"]
        rows = {(r.unit, r.task): r for r in ledger.accepted_rows(round_id) if r.kind == "task"}
    answered = {s.unit for s in subs}
    tasks = []
    for t in master.tasks:
        row = rows.get((t.unit, t.code)) if t.unit in answered else None
        status = row.status if row is not None else None
        tasks.append({"unit": t.unit, "group": t.group, "due": t.deadline is not None and t.deadline <= round_.as_of,
                      "done": status == "Hoàn thành", "reported": status is not None, "points": t.points,
                      "self_score": (row.self_score or 0) if row is not None else 0})
    return {"tasks": tasks, "answered": answered, "units": master.units}


def test_the_first_keys_are_unchanged_and_new_ones_only_added(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, _ = bo_2022_reported
    status = status_of(ws, "2022-6T")
    assert list(status)[:len(FIRST_KEYS)] == FIRST_KEYS
    assert set(status["tasks"]) == {"total", "completed", "completed_on_time", "completed_late", "in_progress",
                                    "in_progress_on_time", "in_progress_overdue", "not_started", "not_done",
                                    "not_reported", "completion_rate"}
    assert {"basis", "due_tasks", "not_due_tasks", "due_by_group", "due_by_block", "head_bands", "ratings",
            "unit_results"} <= set(status)


def test_figures_against_the_tasks_due_equal_a_recount(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, _ = bo_2022_reported
    status = status_of(ws, "2022-6T")
    counted = recount(ws, "2022-6T")
    tasks = counted["tasks"]
    due = [t for t in tasks if t["due"]]
    assert status["basis"] == "due"  # 6 months of a programme with rounds after it
    assert status["due_tasks"]["total"] == len(due) > 0
    assert status["due_tasks"]["completed"] == sum(t["done"] for t in due)
    assert status["due_tasks"]["not_reported"] == sum(not t["reported"] for t in due)
    assert status["due_tasks"]["completion_rate"] == rate(sum(t["done"] for t in due), len(due))
    assert status["not_due_tasks"]["total"] == len(tasks) - len(due)
    assert status["not_due_tasks"]["completed"] == sum(t["done"] for t in tasks if not t["due"])
    for name, figures in status["due_by_group"].items():
        mine = [t for t in due if (t["group"] or "(chưa phân loại)") == name]
        assert figures == {"total": len(mine), "completed": sum(t["done"] for t in mine)}, name
    assert sum(g["total"] for g in status["due_by_group"].values()) == len(due)


def test_head_bands_and_unit_results_equal_a_recount(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, _ = bo_2022_reported
    status = status_of(ws, "2022-6T")
    counted = recount(ws, "2022-6T")
    expected: dict[str, list[str]] = {k: [] for k in ("100", "90_to_100", "50_to_90", "below_50", "no_task_due",
                                                      "not_reported")}
    for unit in counted["units"]:
        mine = [t for t in counted["tasks"] if t["unit"] == unit.code]
        if not mine:
            continue
        due = [t for t in mine if t["due"]]
        done = sum(t["done"] for t in due)
        if unit.code not in counted["answered"]:
            expected["not_reported"].append(unit.code)
        elif not due:
            expected["no_task_due"].append(unit.code)
        elif done == len(due):
            expected["100"].append(unit.code)
        elif done * 100 >= 90 * len(due):
            expected["90_to_100"].append(unit.code)
        elif done * 100 >= 50 * len(due):
            expected["50_to_90"].append(unit.code)
        else:
            expected["below_50"].append(unit.code)
    bands = status["head_bands"]
    assert {k: sorted(v["units"]) for k, v in bands.items()} == {k: sorted(v) for k, v in expected.items()}
    assert all(v["count"] == len(v["units"]) for v in bands.values())
    assert sum(v["count"] for v in bands.values()) == status["units"]["expected"]
    assert bands["not_reported"]["units"] == status["units"]["missing"]

    by_code = {u["code"]: u for u in status["unit_results"]}
    assert [u["code"] for u in status["unit_results"]] == [u.code for u in counted["units"]]  # list order
    for unit in counted["units"]:
        mine = [t for t in counted["tasks"] if t["unit"] == unit.code]
        due = [t for t in mine if t["due"]]
        shown = by_code[unit.code]
        assert shown["tasks"]["total"] == len(mine) and shown["tasks"]["completed"] == sum(t["done"] for t in mine)
        assert shown["due_tasks"]["total"] == len(due)
        assert shown["due_tasks"]["completed"] == sum(t["done"] for t in due)
        assert shown["due_tasks"]["completion_rate"] == (rate(sum(t["done"] for t in due), len(due)) if due
                                                         else None)
        assert shown["answered"] == (unit.code in counted["answered"])


def test_counts_per_rating_equal_a_recount_of_the_scores(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, _ = bo_2022_reported
    status = status_of(ws, "2022-6T")
    counted = recount(ws, "2022-6T")
    bands = [(b.minimum, b.label) for b in ws.settings.rating]
    ratings: Counter[str] = Counter()
    for unit in counted["units"]:
        mine = [t for t in counted["tasks"] if t["unit"] == unit.code]
        if not mine:
            continue
        if unit.code not in counted["answered"]:
            ratings["Chưa đánh giá (chưa báo cáo)"] += 1
            continue
        points = sum(t["points"] for t in mine)
        if points and _no_score_entered(ws, unit.code):
            ratings["Chưa tự chấm điểm"] += 1
            continue
        score = rate(sum(t["self_score"] for t in mine), points) if points else rate(
            sum(t["done"] for t in mine), len(mine))
        ratings[next((label for minimum, label in bands if score >= minimum), ws.settings.rating_below)] += 1
    shown = status["ratings"]
    assert shown["source"] == "self_score"
    assert list(shown["counts"])[:len(bands) + 1] == [label for _, label in bands] + [ws.settings.rating_below]
    assert {k: v for k, v in shown["counts"].items() if v} == dict(ratings)
    assert sum(shown["counts"].values()) == status["units"]["expected"]


def _no_score_entered(ws: Workspace, unit: str) -> bool:
    with ws.ledger() as ledger:
        return all(r.self_score is None for r in ledger.accepted_rows("2022-6T") if r.unit == unit)


def test_every_band_holds_the_heads_a_clerk_would_put_there(tmp_path: Path) -> None:
    """Ten tasks per unit, all due: 10/10, 9/10 (90%), 5/10 (50%), 4/10, and a unit that sent nothing."""
    units = tuple(Unit(code, f"Đơn vị {code}") for code in ("A", "B", "C", "D", "E"))
    done = {"A": 10, "B": 9, "C": 5, "D": 4, "E": 0}
    tasks = tuple(task(f"{u.code}-{i:02d}", u.code) for u in units for i in range(10))
    rows = [row(t.code, t.unit, "Hoàn thành" if int(t.code[-2:]) < done[t.unit] else "Đang thực hiện",
                submission=ord(t.unit)) for t in tasks if t.unit != "E"]
    subs = {u.code: Accepted(ord(u.code), u.code, f"{u.code}.xlsx", dt.datetime(2022, 7, 4)) for u in units[:4]}
    data = reconcile(Master(units, tasks), ROUND, settings(tmp_path), rows, subs).status_json()
    assert data["basis"] == "all"  # the only round of the programme
    assert {k: v["units"] for k, v in data["head_bands"].items()} == {
        "100": ["A"], "90_to_100": ["B"], "50_to_90": ["C"], "below_50": ["D"], "no_task_due": [],
        "not_reported": ["E"]}
    assert [u["band"] for u in data["unit_results"]] == ["100", "90_to_100", "50_to_90", "below_50", "not_reported"]
    assert [u["tasks"]["completion_rate"] for u in data["unit_results"]] == [100.0, 90.0, 50.0, 40.0, 0.0]
