"""Crash safety and concurrency: ingest killed at random points leaves the ledger as it
was; a rerun completes; two ingests on one workspace take turns."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from camket import Workspace
from camket.masterbook import write_master
from camket.samples import load_sample
from camket.simulate import Profile, scale_rows, simulate_returns

from .conftest import SAMPLE_TIME


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """A workspace of 160 units and their 160 returned files (pristine: copy before use)."""
    base = tmp_path_factory.mktemp("crash")
    root = base / "ws"
    Workspace.init(root, sample="bo-2022")
    sample = load_sample("bo-2022")
    units, tasks = scale_rows(sample.units, sample.tasks, 160, 12)
    write_master(root / "danh-muc.xlsx", units, tasks)
    ws = Workspace.open(root)
    plan = simulate_returns(ws.template_jobs("2022-6T", generated=SAMPLE_TIME), base / "nhan", seed=3,
                            profile=Profile(), special=False)
    return root, base / "nhan", len(plan.files)


def ingest_process(root: Path, inbox: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "camket", "-w", str(root), "ingest", str(inbox), "--round", "2022-6T", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def ledger_state(root: Path) -> tuple[str, int]:
    """(integrity check, submissions) of the ledger; ("none", 0) when there is none."""
    path = root / "ledger.sqlite"
    if not path.exists():
        return "none", 0
    with sqlite3.connect(path) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        count = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] if "submissions" in tables else 0
    return check, count


def assert_complete(root: Path, files: int) -> None:
    """Every file recorded once, and archived with exactly its bytes; both databases intact."""
    with sqlite3.connect(root / "ledger.sqlite") as db:
        db.execute("ATTACH DATABASE ? AS archive", (str(root / "archive.sqlite"),))
        rows = db.execute("SELECT s.sha256, b.data FROM submissions s LEFT JOIN archive.blobs b "
                          "ON b.sha256 = s.sha256").fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA archive.integrity_check").fetchone()[0] == "ok"
    assert len(rows) == files
    assert len({sha for sha, _ in rows}) == files
    for sha, data in rows:
        assert data is not None and hashlib.sha256(data).hexdigest() == sha


@pytest.mark.parametrize("delay", [0.15, 0.45, 0.8, 1.2, 1.8])
def test_ingest_killed_at_a_random_point_leaves_all_or_nothing(
        many: tuple[Path, Path, int], tmp_path: Path, delay: float) -> None:
    pristine, inbox, files = many
    root = tmp_path / "ws"
    shutil.copytree(pristine, root)
    process = ingest_process(root, inbox)
    time.sleep(delay * random.Random(delay).uniform(0.8, 1.2))
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    check, count = ledger_state(root)
    assert check in ("ok", "none")
    assert count in (0, files), "a killed run must leave all or none of its files"
    rerun = ingest_process(root, inbox)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode in (0, 3), err.decode()
    assert_complete(root, files)


def test_a_second_ingest_waits_for_the_lock_or_stops_with_a_clear_message(
        many: tuple[Path, Path, int], tmp_path: Path) -> None:
    pristine, inbox, files = many
    root = tmp_path / "ws"
    shutil.copytree(pristine, root)
    first = ingest_process(root, inbox)
    deadline = time.monotonic() + 30
    while not (root / ".camket" / "write.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    impatient = ingest_process(root, inbox, "--wait", "0.1")
    _, err = impatient.communicate(timeout=60)
    patient = ingest_process(root, inbox, "--wait", "120")
    first.communicate(timeout=120)
    assert first.returncode in (0, 3)
    out, _ = patient.communicate(timeout=120)
    if impatient.returncode == 1:
        assert "Một lệnh camket khác đang ghi vào thư mục làm việc" in err.decode()
    else:  # the first run had already finished: then it just saw duplicates
        assert impatient.returncode == 0
    assert patient.returncode == 0
    assert "đã nhận trước đây" in out.decode()
    assert_complete(root, files)


@pytest.mark.parametrize("delay", [0.4, 1.0, 1.8])
def test_templates_reissue_killed_at_a_random_point_leaves_the_old_or_the_new_list(
        many: tuple[Path, Path, int], tmp_path: Path, delay: float) -> None:
    """A round re-issued after the master list changed: killed midway, the round's frozen list is
    entirely the old one or entirely the new one (with its adjustments); a rerun completes."""
    from camket.ledger import Ledger

    pristine, _, _ = many
    root = tmp_path / "ws"
    shutil.copytree(pristine, root)
    Workspace.open(root).templates("2022-6T")
    sample = load_sample("bo-2022")
    units, tasks = scale_rows(sample.units, sample.tasks, 160, 12)
    moved = [{**t, "deadline": dt.date(2022, 11, 30)} for t in tasks]  # an adjustment of every deadline
    write_master(root / "danh-muc.xlsx", units, moved)
    reissue = subprocess.Popen(
        [sys.executable, "-m", "camket", "-w", str(root), "templates", "--round", "2022-6T", "--reissue"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(delay * random.Random(delay).uniform(0.8, 1.2))
    os.killpg(reissue.pid, signal.SIGKILL)
    reissue.communicate()

    def frozen() -> tuple[set[dt.date | None], int]:
        with Ledger(root, create=False) as ledger:
            master = ledger.frozen_master("2022-6T")
            assert master is not None
            return {t.deadline for t in master.tasks}, len(ledger.adjustments("2022-6T"))

    deadlines, adjustments = frozen()
    assert (deadlines == {dt.date(2022, 11, 30)}) == (adjustments > 0)  # all new with its record, or all old
    assert ledger_state(root)[0] == "ok"
    rerun = subprocess.run([sys.executable, "-m", "camket", "-w", str(root), "templates", "--round", "2022-6T",
                            "--reissue"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    deadlines, adjustments = frozen()
    assert deadlines == {dt.date(2022, 11, 30)} and adjustments > 0
    out = root / "out" / "2022-6T" / "templates"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no half-written file among the outputs


def test_a_file_that_kills_its_reader_neither_hangs_nor_sinks_the_batch(
        many: tuple[Path, Path, int], tmp_path: Path) -> None:
    """A native crash of the spreadsheet reader (simulated: the worker aborts on one file) ends a
    worker process: the batch goes on, that file is camket's own error, every other file counts."""
    pristine, inbox, files = many
    root = tmp_path / "ws"
    shutil.copytree(pristine, root)
    poison = sorted(inbox.rglob("*.xlsx"))[40].name
    script = f"""
import datetime as dt, importlib, json, os
from pathlib import Path
from camket import Workspace
process = importlib.import_module("camket.ingest.process")
real = process.read_rows
def reader(table, unit, *args, **kwargs):
    if kwargs.get("file", "").endswith({poison!r}):
        os.abort()  # what a crash in native code does to the process
    return real(table, unit, *args, **kwargs)
process.read_rows = reader
result = Workspace.open(Path({str(root)!r})).ingest([Path({str(inbox)!r})], "2022-6T",
                                                  now=dt.datetime(2022, 7, 3), processes=2)
print(json.dumps({{o.name: o.state for o in result.files}}))
"""
    env = {k: v for k, v in os.environ.items() if k != "CAMKET_STRICT"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    states = json.loads(done.stdout.splitlines()[-1])
    [state] = [s for n, s in states.items() if n.endswith(poison)]
    assert state == "error"
    assert sum(s == "accepted" for s in states.values()) == files - 1
    assert_complete(root, files)  # the dead file is recorded and archived too
