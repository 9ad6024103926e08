"""Versioned migrations of the ledger: ``STEPS[n]`` brings a ledger from version n-1 to n.

Each step runs in one transaction after a backup copy (:func:`camket.ledger.db.migrate`).

- **2**: files move from ``archive/`` (one read-only file each) into ``archive.sqlite``;
  de-duplication becomes per round; submissions gain their arrival date and its source,
  the unit the file claims, whether it was signed and the reason for their state; the
  ``decisions`` log and the rounds' frozen lists appear. The old ``archive/`` folder is
  moved to ``.camket/backup/archive-v1/`` once its files are safely in the new archive.
- **3**: submissions gain the address of the e-mail they came with (``sender``); the
  ``registrations`` table holds the tasks read from returned registration workbooks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from . import archive
from .db import LEDGER_DDL

__all__ = ["STEPS"]


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]


def _to_v2(db: sqlite3.Connection, root: Path) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    have = {r[1] for r in db.execute("PRAGMA table_info(rows)")}
    if "cell" not in have:
        db.execute("ALTER TABLE rows ADD COLUMN cell TEXT NOT NULL DEFAULT ''")
    old_columns = {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    create = next(s for s in _statements(LEDGER_DDL) if s.startswith("CREATE TABLE IF NOT EXISTS submissions"))
    db.execute(create.replace("IF NOT EXISTS submissions", "submissions_v2"))
    arrived = "CASE WHEN file_time != '' AND file_time < received THEN file_time ELSE received END"
    source = "CASE WHEN file_time != '' AND file_time < received THEN 'file' ELSE 'ingest' END"
    db.execute(
        "INSERT INTO submissions_v2 (id, run_id, sha256, size, name, source, container, received, file_time, "
        "arrived, arrived_source, format, kind, round, claimed_round, unit, claimed_unit, template_version, "
        "generated, identified_by, signed, state, note, superseded_by) "
        f"SELECT id, run_id, sha256, size, name, source, container, received, file_time, {arrived}, {source}, "
        "format, kind, round, claimed_round, unit, CASE WHEN identified_by = 'metadata' THEN unit ELSE '' END, "
        "template_version, generated, identified_by, identified_by = 'metadata', state, '', superseded_by "
        "FROM submissions")
    paths = db.execute("SELECT sha256, name, archive_path FROM submissions").fetchall() \
        if "archive_path" in old_columns else []
    db.execute("DROP TABLE submissions")
    db.execute("ALTER TABLE submissions_v2 RENAME TO submissions")
    for statement in _statements(LEDGER_DDL):
        db.execute(statement)  # the new tables and indexes (existing ones are left as they are)
    run = db.execute("INSERT INTO runs (started, finished, round, command) VALUES (?, ?, '', ?)",
                     (now.isoformat(), now.isoformat(), "nâng cấp sổ tiếp nhận lên phiên bản 2")).lastrowid
    db.execute("INSERT INTO decisions (run_id, submission_id, state, note) "
               "SELECT ?, id, state, 'trạng thái ghi trước khi nâng cấp sổ' FROM submissions", (run,))
    for sha, name, relative in paths:
        _import(db, root / relative, sha, name, now)


def _import(db: sqlite3.Connection, path: Path, sha: str, name: str, now: dt.datetime) -> None:
    """One file of the old archive into the new one, if it is still what it was."""
    try:
        data = path.read_bytes()
    except OSError:
        return  # missing: camket verify reports it
    if hashlib.sha256(data).hexdigest() == sha:
        archive.put(db, sha, data, archive.suffix_of(name), now)


def _to_v3(db: sqlite3.Connection, root: Path) -> None:
    have = {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    if "sender" not in have:
        db.execute("ALTER TABLE submissions ADD COLUMN sender TEXT NOT NULL DEFAULT ''")
    for statement in _statements(LEDGER_DDL):
        if "registrations" in statement:
            db.execute(statement)


def _after_v2(root: Path) -> None:
    """Keep the old archive folder aside (its files are now in archive.sqlite)."""
    old = root / "archive"
    if old.is_dir():
        target = root / ".camket" / "backup" / f"archive-v1-{dt.datetime.now():%Y%m%d-%H%M%S}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, target)


Step = Callable[[sqlite3.Connection, Path], None]
STEPS: dict[int, Step] = {2: _to_v2, 3: _to_v3}
AFTER: dict[int, Callable[[Path], None]] = {2: _after_v2}
