"""The ledger and its archive: content stored once and checked, de-duplication per round, a
ledger of the previous release migrated, and a damaged or missing ledger never replaced."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from camket import Workspace
from camket.errors import LedgerError
from camket.ledger import SCHEMA_VERSION, Ledger
from camket.ledger import archive as blobs

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2022, 7, 5, 9, 0)


def submission(ledger: Ledger, run: int, sha: str, round_id: str = "2022-6T", **extra: object) -> int:
    fields = dict(sha256=sha, size=1, name="a.xlsx", source="a.xlsx", received="2022-07-01T00:00:00",
                  format="xlsx", kind="report", round=round_id, unit="VP", state="accepted")
    return ledger.add_submission(run, **{**fields, **extra})


def test_the_archive_keeps_each_content_once_and_knows_when_it_was_damaged(tmp_path: Path) -> None:
    data = "báo cáo".encode()
    sha = hashlib.sha256(data).hexdigest()
    with Ledger(tmp_path) as ledger, ledger.transaction():
        ledger.store(data, sha, "bao-cao.XLSX", NOW)
        ledger.store(data, sha, "ban-khac.xlsx", NOW)
        assert ledger.archived(sha) == data
        assert ledger.archive_state(sha) == "ok"
        assert ledger.archive_state("0" * 64) == "missing"
        count = ledger._db.execute("SELECT COUNT(*), MIN(suffix) FROM archive.blobs").fetchone()
        assert count == (1, ".xlsx")
        ledger._db.execute("UPDATE archive.blobs SET data = ? WHERE sha256 = ?", (b"x" * len(data), sha))
        assert ledger.archive_state(sha) == "damaged"
        ledger.restore(sha, data, "bao-cao.xlsx", NOW)
        assert ledger.archive_state(sha) == "ok"
    assert blobs.suffix_of("a.t&p") == ".bin"  # odd suffixes are not trusted
    assert blobs.suffix_of("thu.muc/tep") == ".bin"


def test_a_large_file_is_streamed_into_the_archive_and_out(tmp_path: Path) -> None:
    big = tmp_path / "lon.bin"
    big.write_bytes(os.urandom(3 * 2**20 + 5))
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    with Ledger(tmp_path) as ledger, ledger.transaction():
        ledger.store_path(big, sha, big.stat().st_size, big.name, NOW)
        assert b"".join(blobs.pieces(ledger._db, sha)) == big.read_bytes()
        assert ledger.archive_state(sha) == "ok"


def test_the_same_bytes_are_one_file_per_round(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "test", NOW)
        first = submission(ledger, run, "a" * 64, "2022-6T", state="rejected")
        second = submission(ledger, run, "a" * 64, "2022-9T")
        assert ledger.known("a" * 64, "2022-6T").id == first  # type: ignore[union-attr]
        assert ledger.known("a" * 64, "2022-9T").id == second  # type: ignore[union-attr]
        assert ledger.known("a" * 64, "2022-Q4") is None


def test_every_state_change_is_kept_with_its_reason(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "ingest", NOW)
        sid = submission(ledger, run, "b" * 64, state="pending", note="tệp ghi là của VP nhưng nội dung là của VPC")
        later = ledger.start_run("2022-6T", "accept 1", NOW)
        ledger.set_state(later, sid, "accepted", note="được tính theo quyết định (camket accept)")
        history = ledger.decisions(sid)
    assert [(command, state) for _, command, state, _ in history] == [("ingest", "pending"), ("accept 1", "accepted")]
    assert "nội dung là của VPC" in history[0][3]


def test_text_with_lone_surrogates_is_stored_readably_never_refused(tmp_path: Path) -> None:
    """SQLite stores UTF-8, which a lone surrogate (an undecodable byte of a file name) has none
    of: one such text once rolled back the whole run."""
    from camket.model import Finding, Location, Severity

    broken = "VTV-\udcff.xlsx"
    with Ledger(tmp_path) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "ingest", NOW)
        sid = submission(ledger, run, "d" * 64, name=broken, source=f"/nhan/{broken}", note=f"tệp {broken}")
        ledger.set_state(run, sid, "rejected", note=f"không tính {broken}")
        ledger.add_findings(run, sid, [Finding("file-corrupt", Severity.ERROR, f"Tệp {broken} hỏng", "Gửi lại",
                                               Location(broken, "Báo \ud800cáo"))])
        ledger.add_rows(sid, [("task", "T1", "Báo cáo", 8, "Hoàn thành", 100.0, None, "2022-06-30", broken, "", "",
                               None, "", "", "", "{}", "I8")])
    shown = "VTV-\ufffd.xlsx"
    with Ledger(tmp_path, create=False) as ledger:
        [stored] = ledger.submissions("2022-6T")
        assert (stored.name, stored.source, stored.note) == (shown, f"/nhan/{shown}", f"không tính {shown}")
        assert [note for *_, note in ledger.decisions(sid)] == [f"tệp {shown}", f"không tính {shown}"]
        [finding] = ledger.findings_of([sid])
        assert (finding.message, finding.location.file, finding.location.sheet) == (
            f"Tệp {shown} hỏng", shown, "Báo \ufffdcáo")
        assert ledger.db is not None
        assert ledger.db.execute("SELECT result FROM rows").fetchone() == (shown,)


def test_accepted_rows_keep_texts_that_look_like_dates_as_texts(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "test", NOW)
        sid = submission(ledger, run, "c" * 64, unit="2022-06-30")
        row = ("task", "T1", "Báo cáo", 8, "Hoàn thành", 100.0, None, "2022-06-30", "", "", "", None, "", "", "", "{}",
               "I8")
        ledger.add_rows(sid, [row, (*row[:1], "T2", *row[2:])])
    with Ledger(tmp_path, create=False) as ledger:
        rows = ledger.accepted_rows("2022-6T", raw=False)
    assert [r.unit for r in rows] == ["2022-06-30", "2022-06-30"]  # a unit code, not a date
    assert [r.completed_on for r in rows] == [dt.date(2022, 6, 30)] * 2


def test_an_input_column_added_to_the_schema_gets_its_ledger_column(tmp_path: Path) -> None:
    """What adding an input column to schema.REPORT does to an existing ledger (here the column
    is taken away first, as a ledger written before it existed would lack it)."""
    Ledger(tmp_path).close()
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        db.execute("ALTER TABLE rows DROP COLUMN proposals")
    with Ledger(tmp_path) as ledger:
        columns = [r[1] for r in ledger._db.execute("PRAGMA table_info(rows)")]
    assert "proposals" in columns


# --- the ledger of the previous release ---------------------------------------------------
@pytest.fixture
def v1(tmp_path: Path) -> Path:
    """A workspace whose ledger and archive/ folder camket 0.1 (ledger version 1) wrote:
    5 files received (VPC twice, VP, a truncated file, a file of another round)."""
    root = tmp_path / "ws"
    shutil.copytree(DATA / "ledger_v1", root)
    return root


def test_a_ledger_of_the_previous_release_is_migrated_with_its_files(v1: Path) -> None:
    ws = Workspace.open(v1)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (v1 / "archive").rglob("*.xlsx")}
    result = ws.reconcile("2022-6T")  # a reading command migrates first (under the lock)
    assert result.overall.total == 6 and result.overall.completed == 5 and result.overall.not_reported == 1
    subs = ws.submissions("2022-6T")
    assert [(s.id, s.state, s.unit) for s in subs] == [
        (1, "superseded", "VPC"), (2, "accepted", "VP"), (3, "rejected", ""), (4, "accepted", "VPC"),
        (5, "rejected", "VPC")]
    assert all(s.arrived and s.arrived_source in ("file", "ingest") for s in subs)
    assert subs[1].signed and subs[1].claimed_unit == "VP"
    with Ledger(v1) as ledger:
        assert ledger._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == \
            str(SCHEMA_VERSION)
        assert all(ledger.archive_state(s.sha256) == "ok" for s in subs)
        assert {s.sha256 for s in subs} == set(before.values())
        assert ledger.decisions(1)[0][3] == "trạng thái ghi trước khi nâng cấp sổ"
    assert not (v1 / "archive").exists()  # moved aside, not deleted
    backup = v1 / ".camket" / "backup"
    assert len(list(backup.glob("ledger-v1-*.sqlite"))) == 1
    assert len(list(backup.glob("archive-v1-*/*/*.xlsx"))) == len(before)
    again = ws.ingest([DATA / "returned" / "returned_clean_other_unit.xlsx"], "2022-6T", now=NOW)
    assert [o.state for o in again.files] == ["duplicate"]


def test_a_file_of_another_round_rejected_before_the_migration_counts_in_its_own_round(v1: Path) -> None:
    ws = Workspace.open(v1)
    later = ws.ingest([DATA / "returned" / "returned_other_round.xlsx"], "2022-9T", now=NOW)
    assert [(o.state, o.unit) for o in later.files] == [("accepted", "VPC")]


# --- a ledger that is not what it should be -------------------------------------------------
@pytest.fixture
def ingested(small_ws: Path) -> Path:
    ws = Workspace.open(small_ws)
    ws.ingest([DATA / "returned" / "returned_clean.xlsx"], "2022-6T", now=NOW)
    return small_ws


@pytest.mark.parametrize("damage", ["empty", "junk", "truncated"])
def test_a_damaged_ledger_stops_every_command_and_is_never_replaced(ingested: Path, damage: str) -> None:
    path = ingested / "ledger.sqlite"
    whole = path.read_bytes()
    path.write_bytes({"empty": b"", "junk": os.urandom(len(whole)), "truncated": whole[: len(whole) // 3]}[damage])
    written = path.read_bytes()
    ws = Workspace.open(ingested)
    with pytest.raises(LedgerError) as caught:
        ws.ingest([DATA / "returned" / "returned_clean_other_unit.xlsx"], "2022-6T", now=NOW)
        ws.reconcile("2022-6T")
    message = str(caught.value)
    assert "ledger.sqlite" in message and ("rỗng" in message or "hỏng" in message or "không phải sổ" in message)
    assert path.read_bytes() == written  # untouched: never a new ledger over it


def test_a_missing_archive_is_reported_not_silently_restarted(ingested: Path) -> None:
    (ingested / "archive.sqlite").unlink()
    with pytest.raises(LedgerError, match=r"archive\.sqlite"):
        Workspace.open(ingested).ingest([DATA / "returned" / "returned_clean_other_unit.xlsx"], "2022-6T", now=NOW)
    assert not (ingested / "archive.sqlite").exists()


def test_a_ledger_from_a_newer_camket_is_not_touched(ingested: Path) -> None:
    with sqlite3.connect(ingested / "ledger.sqlite") as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match="mới hơn"):
        Workspace.open(ingested).reconcile("2022-6T")
