"""Atomic writes: a command killed at any point leaves no partial and no hidden file among
its outputs; what it was writing is left in the workspace's ``.camket/tmp`` and the next
writing command removes it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from camket import Workspace
from camket.atomic import atomic_path, clean_temporaries, write_text_atomic
from camket.simulate import simulate_returns

from .conftest import SAMPLE_TIME


def test_a_temporary_file_of_a_workspace_lives_in_its_state_folder(small_ws: Path) -> None:
    target = small_ws / "out" / "2022-6T" / "bao-cao.docx"
    with atomic_path(target) as tmp:
        assert tmp.parent == small_ws / ".camket" / "tmp"
        assert not list(target.parent.iterdir())  # nothing among the outputs while writing
        tmp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert list((small_ws / ".camket" / "tmp").iterdir()) == []
    assert target.stat().st_mode & 0o044  # readable by others, as any file the user saves


def test_outside_a_workspace_the_temporary_file_is_beside_its_target(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "a.xlsx") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".a.")
        tmp.write_bytes(b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_leftovers_of_dead_processes_are_removed_and_live_ones_kept(small_ws: Path) -> None:
    tmp = small_ws / ".camket" / "tmp"
    tmp.mkdir(exist_ok=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    (tmp / f"{dead.stdout.strip()}-abc.xlsx").write_bytes(b"half")
    (tmp / f"{os.getpid()}-def.xlsx").write_bytes(b"mine, being written")
    assert clean_temporaries(small_ws) == 1
    assert [p.name for p in tmp.iterdir()] == [f"{os.getpid()}-def.xlsx"]
    write_text_atomic(small_ws / "note.txt", "x")  # a writing command cleans before it writes
    assert [p.name for p in tmp.iterdir()] == [f"{os.getpid()}-def.xlsx"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bo-2022 with simulated returns ingested, not yet reported (pristine: copy before use)."""
    root = tmp_path_factory.mktemp("killed") / "ws"
    Workspace.init(root, sample="bo-2022")
    ws = Workspace.open(root)
    simulate_returns(ws.template_jobs("2022-6T", generated=SAMPLE_TIME), root.parent / "nhan", seed=5)
    ws.ingest([root.parent / "nhan"], "2022-6T", now=dt.datetime(2022, 7, 8, 9))
    return root


def report(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "camket", "-w", str(root), "report", "--round", "2022-6T"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def outputs(root: Path) -> list[Path]:
    return sorted(p for p in (root / "out").rglob("*") if p.is_file())


def being_written(root: Path) -> set[str]:
    """Temporary files that exist now: in the state folder, or (as camket once wrote them)
    hidden among the outputs."""
    staging = root / ".camket" / "tmp"
    found = {p.name for p in staging.iterdir()} if staging.is_dir() else set()
    out = root / "out"
    return found | ({p.name for p in out.rglob(".*")} if out.is_dir() else set())


def assert_whole(root: Path) -> None:
    """No hidden or temporary file among the outputs, and every output opens in full."""
    for path in outputs(root):
        relative = path.relative_to(root)
        assert not any(part.startswith(".") for part in relative.parts), relative
        assert ".tmp" not in path.name, relative
        if path.suffix in (".xlsx", ".docx", ".zip"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, relative


@pytest.mark.slow
@pytest.mark.parametrize("writes", [1, 2, 4, 8])
def test_report_killed_while_writing_leaves_whole_outputs_and_a_rerun_completes(
        ingested: Path, tmp_path: Path, writes: int) -> None:
    """SIGKILL the report (and its workers) while it writes its ``writes``-th file."""
    root = tmp_path / "ws"
    shutil.copytree(ingested, root)
    process = report(root)
    seen: set[str] = set()
    deadline = time.monotonic() + 120
    while process.poll() is None and len(seen) < writes and time.monotonic() < deadline:
        seen |= being_written(root)
        time.sleep(0.002)
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    assert killed, f"the report ended before its {writes}th write"
    assert_whole(root)
    rerun = report(root)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode in (0, 3), err.decode()
    assert_whole(root)
    names = {p.name for p in outputs(root)}
    assert {"2022-6T_tong-hop.xlsx", "2022-6T_bao-cao.docx", "2022-6T_phan-hoi.zip"} <= names
    assert being_written(root) == set()  # the killed run's leftovers removed, none of the rerun's
