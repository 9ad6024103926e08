"""The ledger and the archive: content-addressed, read-only, idempotent; older ledgers open."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from camket.ledger import _SCHEMA, Ledger, archive_path, store_in_archive


def test_the_archive_stores_each_content_once_read_only(tmp_path: Path) -> None:
    data = "báo cáo".encode()
    sha = hashlib.sha256(data).hexdigest()
    folders: set[Path] = set()
    first = store_in_archive(tmp_path, data, sha, ".xlsx", folders)
    again = store_in_archive(tmp_path, data, sha, ".XLSX", folders)
    assert first == again == archive_path(sha, ".xlsx") == f"archive/{sha[:2]}/{sha}.xlsx"
    stored = tmp_path / first
    assert stored.read_bytes() == data
    assert not stored.stat().st_mode & 0o222
    assert archive_path(sha, ".t&p") == f"archive/{sha[:2]}/{sha}.bin"  # odd suffixes are not trusted
    assert not list(stored.parent.glob(".*.tmp"))


def test_a_ledger_from_before_the_cell_column_opens(tmp_path: Path) -> None:
    old = _SCHEMA.replace(", cell TEXT NOT NULL DEFAULT ''", "")  # the rows table as first released
    assert old != _SCHEMA
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        db.executescript(old)
    with Ledger(tmp_path, create=False) as ledger:  # read-only: nothing to migrate, reads work
        assert ledger.accepted_rows("2022-6T") == []
        assert ledger.accepted_appraisals("2022-6T") == {}
    with Ledger(tmp_path) as ledger:  # writable: brought up to date
        columns = [r[1] for r in ledger._db.execute("PRAGMA table_info(rows)")]
        assert "cell" in columns
        assert ledger.accepted_rows("2022-6T") == []


def test_a_duplicate_content_cannot_be_recorded_twice(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "test", __import__("datetime").datetime(2022, 7, 1))
        fields = dict(sha256="a" * 64, size=1, name="a.xlsx", source="a.xlsx", received="2022-07-01T00:00:00",
                      file_time="", format="xlsx", kind="report", round="2022-6T", unit="VP", state="accepted",
                      archive_path="archive/aa/a.xlsx")
        ledger.add_submission(run, **fields)
        try:
            ledger.add_submission(run, **fields)
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("the same content was recorded twice")


def test_accepted_rows_keep_texts_that_look_like_dates_as_texts(tmp_path: Path) -> None:
    import datetime as dt

    with Ledger(tmp_path) as ledger, ledger.transaction():
        run = ledger.start_run("2022-6T", "test", dt.datetime(2022, 7, 1))
        submission = ledger.add_submission(
            run, sha256="b" * 64, size=1, name="b.xlsx", source="b.xlsx", received="2022-07-01T00:00:00",
            file_time="", format="xlsx", kind="report", round="2022-6T", unit="2022-06-30", state="accepted",
            archive_path="archive/bb/b.xlsx")
        row = ("task", "T1", "Báo cáo", 8, "Hoàn thành", 100.0, "2022-06-30", "", "", "", None, "", "", "", "{}", "I8")
        ledger.add_rows(submission, [row, (*row[:1], "T2", *row[2:])])
    with Ledger(tmp_path, create=False) as ledger:
        rows = ledger.accepted_rows("2022-6T", raw=False)
    assert [r.unit for r in rows] == ["2022-06-30", "2022-06-30"]  # a unit code, not a date
    assert [r.completed_on for r in rows] == [dt.date(2022, 6, 30)] * 2
