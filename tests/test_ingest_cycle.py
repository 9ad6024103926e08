"""End to end: bo-2022 templates filled like real offices do, zipped, ingested twice,
then one unit resubmits a corrected file."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

from camket import Workspace
from camket.ledger import Ledger
from camket.model import Status
from camket.simulate import SimulationPlan, simulate_returns
from camket.templates import write_template

from .conftest import SAMPLE_TIME

RECEIVED = dt.datetime(2022, 7, 8, 9, 0)


def table_counts(root: Path) -> dict[str, int]:
    with sqlite3.connect(root / "ledger.sqlite") as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("submissions", "rows", "findings")}


def simulate(ws: Workspace, folder: Path) -> SimulationPlan:
    jobs = ws.template_jobs("2022-6T", generated=SAMPLE_TIME)
    return simulate_returns(jobs, folder, seed=11)


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.xlsx")):
            archive.write(path, path.relative_to(folder).as_posix())
    return target


def test_zip_of_returns_ingested_twice_then_a_correction(bo_2022: Path, tmp_path: Path) -> None:
    ws = Workspace.open(bo_2022)
    plan = simulate(ws, tmp_path / "nhan")
    archive = zipped(tmp_path / "nhan", tmp_path / "bao-cao-6-thang.zip")

    first = ws.ingest([archive], "2022-6T", now=RECEIVED)
    assert first.count("unpacked") == 1
    assert first.count("rejected") == len(plan.corrupt) == 1
    assert first.count("superseded") == len(plan.resubmitted) == 1   # the first, broken version
    answered = 26 - len(plan.missing) - len(plan.corrupt)
    assert first.count("accepted") == answered
    codes = {f.code for f in first.findings}
    assert {"file-corrupt", "metadata-missing", "resubmission", "task-added"} <= codes
    assert "status-synonym" in codes and "value-as-text" in codes

    with Ledger(bo_2022, create=False) as ledger:
        accepted_units = {s.unit for s in ledger.submissions("2022-6T") if s.state == "accepted"}
        rows = ledger.accepted_rows("2022-6T")
    assert accepted_units == {u.code for u in ws.master().units} - set(plan.missing) - set(plan.corrupt)
    # every accepted task row says what the simulated office wrote, normalised
    reported = {(r.unit, r.task): r for r in rows if r.kind == "task"}
    assert len(reported) == sum(len(ws.master().tasks_of(u)) for u in accepted_units)
    assert all(r.status in {s.value for s in Status} for r in reported.values())

    before = table_counts(bo_2022)
    second = ws.ingest([archive], "2022-6T", now=RECEIVED + dt.timedelta(days=1))
    assert {o.state for o in second.files} == {"duplicate"}
    assert table_counts(bo_2022) == before

    # One unit sends a corrected file: it supersedes the accepted one, which is kept.
    unit = sorted(accepted_units)[0]
    job = next(j for j in ws.template_jobs("2022-6T", units=[unit], generated=SAMPLE_TIME))
    answers = {t.code: {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2022, 6, 20),
                        "result": "Đã hoàn thành (bản sửa)", "self_score": t.points} for t in job.tasks}
    corrected = tmp_path / "bo-sung" / f"{unit}-sua.xlsx"
    write_template(replace(job, path=corrected, prefill=answers))
    third = ws.ingest([corrected], "2022-6T", now=RECEIVED + dt.timedelta(days=2))
    assert [o.state for o in third.files] == ["accepted"]
    assert third.files[0].replaces
    with Ledger(bo_2022, create=False) as ledger:
        subs = [s for s in ledger.submissions("2022-6T") if s.unit == unit]
        rows = [r for r in ledger.accepted_rows("2022-6T") if r.unit == unit and r.kind == "task"]
    assert [s.state for s in subs][-1] == "accepted"
    assert all(s.state == "superseded" for s in subs[:-1])
    assert {r.result for r in rows} == {"Đã hoàn thành (bản sửa)"}
    assert all(ws.archived_file(s.id)[1] for s in subs)


def test_dry_run_writes_nothing(bo_2022: Path, tmp_path: Path) -> None:
    ws = Workspace.open(bo_2022)
    simulate(ws, tmp_path / "nhan")
    result = ws.ingest([tmp_path / "nhan"], "2022-6T", dry_run=True, now=RECEIVED)
    assert result.dry_run and result.count("accepted") > 0
    assert not (bo_2022 / "ledger.sqlite").exists()
    assert not (bo_2022 / "archive").exists()


def test_keep_first_keeps_the_accepted_file(bo_2022: Path, tmp_path: Path) -> None:
    ws = Workspace.open(bo_2022)
    job = ws.template_jobs("2022-6T", units=["VPC"], generated=SAMPLE_TIME)[0]
    answers = {t.code: {"status": "Đang thực hiện", "progress": 50} for t in job.tasks}
    write_template(replace(job, path=tmp_path / "a" / "VPC.xlsx", prefill=answers))
    answers = {t.code: {"status": "Đang thực hiện", "progress": 60} for t in job.tasks}
    write_template(replace(job, path=tmp_path / "b" / "VPC.xlsx", prefill=answers))
    ws.ingest([tmp_path / "a"], "2022-6T", now=RECEIVED)
    second = ws.ingest([tmp_path / "b"], "2022-6T", keep_first=True, now=RECEIVED)
    assert [o.state for o in second.files] == ["superseded"]
    assert "resubmission-kept-first" in [f.code for f in second.findings]
    with Ledger(bo_2022, create=False) as ledger:
        assert {r.progress for r in ledger.accepted_rows("2022-6T")} == {50.0}


def test_next_round_templates_start_from_the_accepted_answers(bo_2022: Path, tmp_path: Path) -> None:
    ws = Workspace.open(bo_2022)
    simulate(ws, tmp_path / "nhan")
    ws.ingest([tmp_path / "nhan"], "2022-6T", now=RECEIVED)
    with Ledger(bo_2022, create=False) as ledger:
        rows = {(r.unit, r.task): r for r in ledger.accepted_rows("2022-6T") if r.kind == "task"}
        added = [r for r in ledger.accepted_rows("2022-6T") if r.kind == "added"]
    result = ws.templates("2022-9T", prefill_from="2022-6T", generated=SAMPLE_TIME)
    import openpyxl

    from camket.templates import HEADER_ROW, col
    checked = 0
    for path in result.files:
        sheet = openpyxl.load_workbook(path)["Báo cáo"]
        unit = sheet["E4"].value
        for r in range(HEADER_ROW + 2, sheet.max_row + 1):
            code = sheet.cell(r, col("task_code") + 1).value
            if (unit, code) in rows:
                assert sheet.cell(r, col("status") + 1).value == rows[(unit, code)].status
                assert sheet.cell(r, col("progress") + 1).value == rows[(unit, code)].progress
                checked += 1
    assert checked == len(rows)
    assert added, "the simulation adds a task"
    unit_files = [p for p in result.files if f"_{added[0].unit}_" in p.name]
    texts = [c.value for row in openpyxl.load_workbook(unit_files[0])["Báo cáo"].iter_rows() for c in row]
    assert added[0].content in texts


def test_accept_chooses_another_kept_file(bo_2022: Path, tmp_path: Path) -> None:
    ws = Workspace.open(bo_2022)
    job = ws.template_jobs("2022-6T", units=["VPC"], generated=SAMPLE_TIME)[0]
    for folder, progress in (("a", 50), ("b", 60)):
        answers = {t.code: {"status": "Đang thực hiện", "progress": progress} for t in job.tasks}
        write_template(replace(job, path=tmp_path / folder / "VPC.xlsx", prefill=answers))
    ws.ingest([tmp_path / "a"], "2022-6T", now=RECEIVED)
    kept = ws.ingest([tmp_path / "b"], "2022-6T", keep_first=True, now=RECEIVED).files[0]
    assert kept.submission_id is not None
    ws.accept(kept.submission_id)
    states = {s.name: s.state for s in ws.submissions("2022-6T")}
    assert states == {"a/VPC.xlsx": "superseded", "b/VPC.xlsx": "accepted"}
    with Ledger(bo_2022, create=False) as ledger:
        assert {r.progress for r in ledger.accepted_rows("2022-6T")} == {60.0}
