"""The emulation table's rules on a small department: points per round, ties, bands, the floor."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from camket import Workspace
from camket.templates import write_template

from .conftest import CONFIG, SAMPLE_TIME

YEAR = """
[[schedule]]
every = "quý"
start = 2022-01-01
end = 2022-06-30

[emulation]
on_time_points = 1
late_points = -1
missing_points = -2
bands = [{ min = 100, label = "Xuất sắc" }]
below = "Chưa đạt"
"""


def send(ws: Workspace, round_id: str, unit: str, scores: list[float], folder: Path, day: dt.date) -> None:
    job = ws.template_jobs(round_id, units=[unit], generated=SAMPLE_TIME)[0]
    answers = {t.code: {"status": "Đang thực hiện", "progress": 50, "self_score": s}
               for t, s in zip(job.tasks, scores, strict=True)}
    write_template(replace(job, path=folder / round_id / f"{unit}.xlsx", prefill=answers))
    ws.ingest([folder / round_id / f"{unit}.xlsx"], round_id, now=dt.datetime(2022, 7, 20), received_on=day)


def test_points_ties_bands_and_the_floor(small_ws: Path, tmp_path: Path) -> None:
    (small_ws / "camket.toml").write_text(CONFIG + YEAR, encoding="utf-8")
    ws = Workspace.open(small_ws)
    assert [r.id for r in ws.settings.rounds] == ["2022-6T", "2022-QUY1", "2022-QUY2"]
    on_time, late = dt.date(2022, 4, 1), dt.date(2022, 4, 20)
    send(ws, "2022-QUY1", "VP", [0, 0], tmp_path, on_time)
    send(ws, "2022-QUY1", "VPC", [0, 0], tmp_path, late)
    for unit in ("VP", "VPC"):
        send(ws, "2022-QUY2", unit, [0, 0], tmp_path, dt.date(2022, 7, 1))
    send(ws, "2022-6T", "VP", [48, 50], tmp_path, dt.date(2022, 7, 4))     # 98 of 100 points, 3 on time: 101
    send(ws, "2022-6T", "VPC", [60, 40], tmp_path, dt.date(2022, 7, 5))    # 100, 2 on time, 1 late: 101
    send(ws, "2022-6T", "TTCNTT", [0], tmp_path, dt.date(2022, 7, 5))      # 0, 1 on time, 2 missing: -3 -> 0
    year = ws.year(dt.date(2022, 7, 31))
    assert year.basis is not None and year.basis.id == "2022-6T"
    table = {u.unit.code: (u.on_time, u.late, u.missing, u.task_score, u.score, u.rank, u.rating) for u in year.units}
    assert table == {
        "VP": (3, 0, 0, Decimal("98.0"), Decimal("101.0"), 1, "Xuất sắc"),
        "VPC": (2, 1, 0, Decimal("100.0"), Decimal("101.0"), 1, "Xuất sắc"),
        "TTCNTT": (1, 0, 2, Decimal("0.0"), Decimal("0.0"), 3, "Chưa đạt"),
    }
    assert [u.unit.code for u in year.units] == ["VP", "VPC", "TTCNTT"]
    assert year.reporting_points(year.units[2]) == Decimal("-3")
    # before the six-month round is due, the first quarter's results count and nobody is rated yet
    early = ws.year(dt.date(2022, 4, 30))
    assert [r.id for r in early.rounds] == ["2022-QUY1"] and early.basis is None
    assert {u.rating for u in early.units} == {"Chưa xếp loại (chưa có kỳ báo cáo để tính điểm nhiệm vụ)"}
    assert [(u.on_time, u.late) for u in early.units] == [(1, 0), (0, 1), (0, 0)]
