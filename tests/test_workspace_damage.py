"""The workspace itself broken, read-only, full or tampered with: every command says so in
Vietnamese and exits 1, never prints a traceback, never starts a new ledger over the old
one; ``camket verify`` lists every problem; camket's own bugs are logged, not blamed on data.

Read-only and full-disk workspaces are made for real: as root, with an immutable attribute
(``chattr +i``) and a small tmpfs; otherwise with file permissions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli

DATA = Path(__file__).parent / "data"
RETURNED = DATA / "returned"


def camket(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "camket", *args], capture_output=True, text=True, timeout=120)


def unavailable(reason: str) -> None:
    """Fail in CI (the machine there can do it), skip with the reason elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def ingested(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(DATA / "ws", root)
    Workspace.open(root).ingest([RETURNED / "returned_clean.xlsx"], "2022-6T", now=dt.datetime(2022, 7, 3))
    return root


@pytest.mark.parametrize("damage", ["empty", "junk", "truncated"])
def test_every_command_on_a_damaged_ledger_explains_and_exits_1(ingested: Path, damage: str) -> None:
    ledger = ingested / "ledger.sqlite"
    whole = ledger.read_bytes()
    ledger.write_bytes({"empty": b"", "junk": b"\x00junk" * (len(whole) // 5),
                        "truncated": whole[: len(whole) // 3]}[damage])
    written = ledger.read_bytes()
    for args in (["ingest", str(RETURNED / "returned_clean_other_unit.xlsx"), "--round", "2022-6T"],
                 ["status", "--round", "2022-6T"], ["submissions", "--round", "2022-6T"]):
        done = camket("-w", str(ingested), *args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.startswith("Lỗi: ") and "Traceback" not in done.stderr
        assert "ledger.sqlite" in done.stderr
    assert ledger.read_bytes() == written  # never a new ledger over it
    verified = camket("-w", str(ingested), "verify")
    assert verified.returncode == 3 and "ledger-damaged" in verified.stdout


def test_a_damaged_archive_is_named_as_the_archive_not_the_ledger(ingested: Path) -> None:
    archive = ingested / "archive.sqlite"
    whole = archive.read_bytes()
    archive.write_bytes(whole[: len(whole) // 3])
    done = camket("-w", str(ingested), "ingest", str(RETURNED / "returned_clean_other_unit.xlsx"),
                  "--round", "2022-6T")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Tệp archive.sqlite bị hỏng" in done.stderr and "khôi phục archive.sqlite" in done.stderr
    verified = camket("-w", str(ingested), "verify")
    assert verified.returncode == 3
    assert "archive.sqlite: archive.sqlite bị hỏng" in verified.stdout
    assert "ledger.sqlite bị hỏng" not in verified.stdout


def test_a_lost_ledger_beside_an_archive_of_received_files_is_never_started_afresh(ingested: Path) -> None:
    (ingested / "ledger.sqlite").unlink()
    for args in (["status", "--round", "2022-6T"],
                 ["ingest", str(RETURNED / "returned_clean_other_unit.xlsx"), "--round", "2022-6T"]):
        done = camket("-w", str(ingested), *args)
        assert done.returncode == 1 and "Traceback" not in done.stderr, (args, done.stderr)
        assert "Không tìm thấy sổ tiếp nhận ledger.sqlite trong khi kho lưu archive.sqlite còn 1 tệp" in done.stderr
    assert not (ingested / "ledger.sqlite").exists()
    verified = camket("-w", str(ingested), "verify")
    assert verified.returncode == 3 and "ledger-damaged" in verified.stdout


def test_verify_finds_archived_files_no_submission_refers_to(ingested: Path, tmp_path: Path) -> None:
    older = tmp_path / "ledger-before.sqlite"
    shutil.copy(ingested / "ledger.sqlite", older)
    Workspace.open(ingested).ingest([RETURNED / "returned_clean_other_unit.xlsx"], "2022-6T",
                                    now=dt.datetime(2022, 7, 4))
    shutil.copy(older, ingested / "ledger.sqlite")  # an older ledger put back over the newer one
    verified = camket("-w", str(ingested), "verify")
    assert verified.returncode == 3
    assert "archive-unreferenced" in verified.stdout and "Kho lưu có 1 tệp không gắn" in verified.stdout


@contextlib.contextmanager
def read_only(root: Path) -> Iterator[None]:
    paths = [root, *root.rglob("*")]
    if os.name != "posix":
        unavailable("a read-only folder is made here with POSIX permissions or chattr")
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path in paths:
                path.chmod(0o755 if path.is_dir() else 0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", *map(str, paths)]).returncode:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)
        unavailable("chattr +i is not available to make a read-only workspace as root")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def test_a_read_only_workspace_is_explained_and_left_as_it_was(ingested: Path) -> None:
    before = {p: p.read_bytes() for p in ingested.rglob("*") if p.is_file()}
    with read_only(ingested):
        for args in (["ingest", str(RETURNED / "returned_clean_other_unit.xlsx"), "--round", "2022-6T"],
                     ["templates", "--round", "2022-6T"], ["report", "--round", "2022-6T"]):
            done = camket("-w", str(ingested), *args)
            assert done.returncode == 1, (args, done.stderr)
            assert "Traceback" not in done.stderr
            assert "quyền ghi" in done.stderr or "chỉ đọc" in done.stderr, done.stderr
        assert camket("-w", str(ingested), "status", "--round", "2022-6T").returncode in (0, 3)  # reading works
    assert {p: p.read_bytes() for p in ingested.rglob("*") if p.is_file()} == before


@contextlib.contextmanager
def small_disk(where: Path, kib: int) -> Iterator[Path]:
    where.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(where)]
    if os.name != "posix" or os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode:
        unavailable("mounting a small tmpfs (a disk that fills up) needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_disk_that_fills_up_leaves_the_ledger_as_it_was(tmp_path: Path) -> None:
    many = tmp_path / "nhan"
    many.mkdir()
    for i in range(60):  # 60 distinct answers (~12 KB each): more than the disk can take
        data = bytearray((RETURNED / "returned_clean.xlsx").read_bytes())
        data[-30:-26] = i.to_bytes(4, "little")  # the zip comment area: distinct bytes, still a file
        (many / f"bao-cao-{i:02}.xlsx").write_bytes(bytes(data))
    with small_disk(tmp_path / "disk", 640) as disk:
        root = disk / "ws"
        shutil.copytree(DATA / "ws", root)
        first = camket("-w", str(root), "ingest", str(RETURNED / "returned_clean_other_unit.xlsx"), "--round",
                       "2022-6T")
        assert first.returncode in (0, 3), first.stderr
        ledger = (root / "ledger.sqlite").read_bytes()
        done = camket("-w", str(root), "ingest", str(many), "--round", "2022-6T")
        assert done.returncode == 1, done.stderr
        assert "đầy" in done.stderr and "Traceback" not in done.stderr
        assert (root / "ledger.sqlite").read_bytes() == ledger  # the whole run rolled back
        status = camket("-w", str(root), "submissions", "--round", "2022-6T")
        assert status.returncode == 0 and status.stdout.count("\n") == 1


def test_a_bug_in_camket_is_logged_and_said_to_be_camkets(ingested: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import camket.reconcile

    monkeypatch.setattr(Workspace, "strict", False)
    monkeypatch.delenv("CAMKET_STRICT", raising=False)

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("derived")

    monkeypatch.setattr(camket.workspace, "reconcile", broken)
    result = CliRunner().invoke(cli, ["-w", str(ingested), "status", "--round", "2022-6T"])
    assert result.exit_code == 1
    assert "Lỗi chương trình camket" in result.stderr and "không phải của dữ liệu" in result.stderr
    log = (ingested / ".camket" / "log" / "camket.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "KeyError: 'derived'" in log
    assert camket.reconcile  # the module itself is untouched


def test_a_file_camket_fails_on_makes_ingest_exit_1_and_the_others_still_count(
        ingested: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    process = importlib.import_module("camket.ingest.process")
    monkeypatch.setattr(Workspace, "strict", False)
    monkeypatch.delenv("CAMKET_STRICT", raising=False)
    real = process.read_rows

    def broken_for_vp(table: object, unit: str, *args: object, **kwargs: object) -> object:
        if unit == "VP":
            raise TypeError("lỗi giả lập")
        return real(table, unit, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(process, "read_rows", broken_for_vp)
    result = CliRunner().invoke(cli, ["-w", str(ingested), "ingest", str(RETURNED / "returned_clean_other_unit.xlsx"),
                                      str(RETURNED / "returned_status_free_typed.xlsx"), "--round", "2022-6T"])
    assert result.exit_code == 1
    assert "lỗi chương trình" in result.stdout and "Lỗi chương trình camket khi đọc 1 tệp" in result.stderr
    states = {s.name: s.state for s in Workspace.open(ingested).submissions("2022-6T")}
    assert states["returned_clean_other_unit.xlsx"] == "error"
    assert states["returned_status_free_typed.xlsx"] == "accepted"
    log = (ingested / ".camket" / "log" / "camket.log").read_text(encoding="utf-8")
    assert "returned_clean_other_unit.xlsx" in log and "TypeError: lỗi giả lập" in log


def test_received_on_must_be_a_date(ingested: Path) -> None:
    done = camket("-w", str(ingested), "ingest", str(RETURNED / "returned_clean.xlsx"), "--round", "2022-6T",
                  "--received-on", "31/02/2022")
    assert done.returncode == 2 and "ngày/tháng/năm" in done.stderr
