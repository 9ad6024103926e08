"""The ledger: a SQLite file in the workspace and a content-addressed archive.

Nothing is ever overwritten: every received file is stored once under ``archive/``
by its SHA-256 (read-only), and recorded in ``submissions`` with its rows and
findings. A newer file from the same unit and round supersedes the older one, which
stays. An ingest run is one transaction: an interrupted run leaves the ledger as it
was, and running it again completes the work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Finding, Location, Severity

__all__ = [
    "LEDGER_NAME",
    "Ledger",
    "StoredRow",
    "Submission",
    "archive_path",
    "row_values",
    "store_file",
    "store_in_archive",
]

LEDGER_NAME = "ledger.sqlite"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, round TEXT NOT NULL,
    command TEXT NOT NULL, files INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    container TEXT NOT NULL DEFAULT '',
    received TEXT NOT NULL,
    file_time TEXT NOT NULL,
    format TEXT NOT NULL,
    kind TEXT NOT NULL,
    round TEXT NOT NULL,
    claimed_round TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    template_version TEXT NOT NULL DEFAULT '',
    generated TEXT NOT NULL DEFAULT '',
    identified_by TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('accepted', 'superseded', 'rejected', 'unpacked')),
    superseded_by INTEGER REFERENCES submissions(id),
    archive_path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_round_unit ON submissions(round, unit, state);
CREATE TABLE IF NOT EXISTS rows (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    kind TEXT NOT NULL, task TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER NOT NULL,
    status TEXT, progress REAL, completed_on TEXT, result TEXT NOT NULL, difficulties TEXT NOT NULL,
    proposals TEXT NOT NULL, self_score REAL, content TEXT NOT NULL, product TEXT NOT NULL,
    deadline TEXT NOT NULL, raw TEXT NOT NULL, cell TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS rows_submission ON rows(submission_id);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    submission_id INTEGER REFERENCES submissions(id),
    code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, advice TEXT NOT NULL,
    file TEXT NOT NULL, sheet TEXT NOT NULL, cell TEXT NOT NULL, unit TEXT NOT NULL, task TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_submission ON findings(submission_id);
CREATE TABLE IF NOT EXISTS appraisals (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    unit TEXT NOT NULL, task TEXT NOT NULL, row INTEGER NOT NULL,
    score REAL, note TEXT NOT NULL, raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS appraisals_submission ON appraisals(submission_id);
"""


def archive_path(sha256: str, suffix: str) -> str:
    """Where a file with this content lives under the workspace: ``archive/ab/abcdef….xlsx``."""
    safe = suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 6 else ".bin"
    return f"archive/{sha256[:2]}/{sha256}{safe.lower()}"


def store_in_archive(root: Path, data: bytes, sha256: str, suffix: str, folders: set[Path]) -> str:
    """Write a received file under ``archive/`` by its hash, atomically and read-only.

    Idempotent and safe from several processes: the same bytes always go to the same
    path, through a temporary file renamed into place.
    """
    relative = archive_path(sha256, suffix)
    path = root / relative
    try:
        if path.stat().st_size == len(data):
            return relative
        os.chmod(path, 0o644)
    except FileNotFoundError:
        pass
    folder = path.parent
    if folder not in folders:
        folder.mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    tmp = folder / f".{sha256[:16]}.{os.getpid()}.tmp"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o444)
    os.replace(tmp, path)
    return relative


def row_values(r: Any) -> tuple[Any, ...]:
    """A ``RowRecord`` as the ``rows`` table stores it (without its submission id)."""
    first = r.raw.get("status") or next(iter(r.raw.values()), ("",))
    return (r.kind, r.task, r.sheet, r.row, r.status, r.progress,
            r.completed_on.isoformat() if r.completed_on else None, r.result, r.difficulties,
            r.proposals, r.self_score, r.content, r.product, r.deadline,
            getattr(r, "raw_json", None) or json.dumps(r.raw, ensure_ascii=False, default=str), first[0])


def store_file(root: Path, source: Path, sha256: str, suffix: str) -> str:
    """Copy a file too large to load into the archive, streaming."""
    relative = archive_path(sha256, suffix)
    path = root / relative
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{sha256[:16]}.{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    return relative


@dataclass(frozen=True)
class Submission:
    id: int
    sha256: str
    name: str
    received: str
    file_time: str
    format: str
    kind: str
    round: str
    claimed_round: str
    unit: str
    state: str
    superseded_by: int | None
    archive_path: str
    identified_by: str
    container: str


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A row of an accepted submission, as reconcile and reports read it."""

    submission_id: int
    unit: str
    kind: str
    task: str
    sheet: str
    row: int
    status: str | None
    progress: float | None
    completed_on: dt.date | None
    result: str
    difficulties: str
    proposals: str
    self_score: float | None
    content: str
    product: str
    deadline: str
    raw_json: str
    cell: str = ""  # where the row's status was read ("I8"), for reports that point to it

    @property
    def raw(self) -> dict[str, Any]:
        """Each input's cell and raw value, as read from the file."""
        value: dict[str, Any] = json.loads(self.raw_json) if self.raw_json else {}
        return value


_SUBMISSION_COLUMNS = ("id, sha256, name, received, file_time, format, kind, round, claimed_round, unit, "
                       "state, superseded_by, archive_path, identified_by, container")


class Ledger:
    """The workspace's SQLite ledger. Use as a context manager; write inside :meth:`transaction`.

    ``create=False`` opens an existing ledger read-only (or nothing, when there is none).
    """

    def __init__(self, root: Path, *, create: bool = True) -> None:
        self.root = root
        self.path = root / LEDGER_NAME
        self._folders: set[Path] = set()
        self.db: sqlite3.Connection | None = None
        if not create:
            if self.path.exists():
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                          timeout=60, isolation_level=None)
            return
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = DELETE")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.executescript(
            f"BEGIN IMMEDIATE; {_SCHEMA}; INSERT OR IGNORE INTO meta VALUES "
            f"('schema_version', '{SCHEMA_VERSION}'); COMMIT;")
        if not self._has_column("rows", "cell"):  # a ledger written before the column existed
            self.db.execute("ALTER TABLE rows ADD COLUMN cell TEXT NOT NULL DEFAULT ''")

    def _has_column(self, table: str, column: str) -> bool:
        return any(row[1] == column for row in self._db.execute(f"PRAGMA table_info({table})"))

    def _has(self, table: str) -> bool:
        """Whether a table exists (a ledger written by an older camket, opened read-only, may lack it)."""
        row = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        return row is not None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            raise RuntimeError("ledger is closed")
        return self.db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: commit at the end, roll back on any exception."""
        db = self._db
        if db.in_transaction:
            yield
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # --- archive ---------------------------------------------------------------
    def store(self, data: bytes, sha256: str, suffix: str) -> str:
        """Write ``data`` to the archive (once; read-only) and return its relative path."""
        return store_in_archive(self.root, data, sha256, suffix, self._folders)

    # --- writes ----------------------------------------------------------------
    def start_run(self, round_id: str, command: str, now: dt.datetime) -> int:
        cur = self._db.execute("INSERT INTO runs (started, round, command) VALUES (?, ?, ?)",
                               (now.isoformat(timespec="seconds"), round_id, command))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, files: int, now: dt.datetime) -> None:
        self._db.execute("UPDATE runs SET finished = ?, files = ? WHERE id = ?",
                         (now.isoformat(timespec="seconds"), files, run_id))

    def add_submission(self, run_id: int, **fields: Any) -> int:
        keys = ["run_id", *fields]
        cur = self._db.execute(
            f"INSERT INTO submissions ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
            [run_id, *fields.values()])
        return int(cur.lastrowid or 0)

    def set_state(self, submission_id: int, state: str, superseded_by: int | None = None) -> None:
        self._db.execute("UPDATE submissions SET state = ?, superseded_by = ? WHERE id = ?",
                         (state, superseded_by, submission_id))

    def add_rows(self, submission_id: int, rows: Iterable[Any]) -> None:
        """Rows read from a file: ``RowRecord`` objects, or tuples made by :func:`row_values`."""
        self._db.executemany(
            "INSERT INTO rows (submission_id, kind, task, sheet, row, status, progress, completed_on, "
            "result, difficulties, proposals, self_score, content, product, deadline, raw, cell) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(submission_id, *(r if isinstance(r, tuple) else row_values(r))) for r in rows])

    def add_findings(self, run_id: int, submission_id: int | None, findings: Iterable[Finding]) -> None:
        self._db.executemany(
            "INSERT INTO findings (run_id, submission_id, code, severity, message, advice, file, sheet, "
            "cell, unit, task) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, submission_id, f.code, f.severity.value, f.message, f.advice, f.location.file,
              f.location.sheet, f.location.cell, f.unit, f.task) for f in findings])

    # --- reads -----------------------------------------------------------------
    def known(self, sha256: str) -> Submission | None:
        if self.db is None:
            return None
        row = self.db.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE sha256 = ?",
                              (sha256,)).fetchone()
        return Submission(*row) if row else None

    def current(self, round_id: str, unit: str, kind: str = "report") -> Submission | None:
        """The accepted submission of a unit for a round, if any."""
        if self.db is None:
            return None
        row = self.db.execute(
            f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE round = ? AND unit = ? AND kind = ? "
            "AND state = 'accepted' ORDER BY id DESC LIMIT 1", (round_id, unit, kind)).fetchone()
        return Submission(*row) if row else None

    def submission(self, submission_id: int) -> Submission | None:
        if self.db is None:
            return None
        row = self.db.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE id = ?",
                              (submission_id,)).fetchone()
        return Submission(*row) if row else None

    def submissions(self, round_id: str | None = None) -> list[Submission]:
        if self.db is None:
            return []
        where, args = ("WHERE round = ?", (round_id,)) if round_id else ("", ())
        rows = self.db.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions {where} ORDER BY id", args)
        return [Submission(*r) for r in rows]

    def accepted_rows(self, round_id: str, kind: str = "report", *, raw: bool = True) -> list[StoredRow]:
        """The rows of the round's accepted submissions, by unit and row; ``raw=False`` leaves
        out what each input cell held (figures never need it; it is a third of a row)."""
        if self.db is None:
            return []
        cell = "r.cell" if self._has_column("rows", "cell") else "''"
        raw_column = "r.raw" if raw else "''"
        cursor = self.db.execute(
            "SELECT r.submission_id, s.unit, r.kind, r.task, r.sheet, r.row, r.status, r.progress, "
            "r.completed_on, r.result, r.difficulties, r.proposals, r.self_score, r.content, r.product, "
            f"r.deadline, {raw_column}, {cell} FROM rows r JOIN submissions s ON s.id = r.submission_id "
            "WHERE s.round = ? AND s.kind = ? AND s.state = 'accepted' ORDER BY s.unit, r.row",
            (round_id, kind))
        out = []
        day = dt.date.fromisoformat
        shared: dict[Any, Any] = {}  # one object for the texts rows repeat (codes, sheet, status)
        share = shared.setdefault
        dates: dict[str, dt.date] = {}  # each completion date parsed once
        for values in cursor:
            (submission, unit, row_kind, task, sheet, number, status, progress, done, result, difficulties,
             proposals, score, content, product, deadline, raw_json, where) = values
            if done:
                done = dates.get(done) or dates.setdefault(done, day(done))
            out.append(StoredRow(
                submission, share(unit, unit), share(row_kind, row_kind), task, share(sheet, sheet), number,
                share(status, status), progress, done or None, result, difficulties,
                proposals, score, content, product, deadline, raw_json, where))
        return out

    def add_appraisals(self, submission_id: int, records: Iterable[Any]) -> None:
        self._db.executemany(
            "INSERT INTO appraisals (submission_id, unit, task, row, score, note, raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(submission_id, r.unit, r.task, r.row, r.score, r.note, json.dumps(r.raw, ensure_ascii=False, default=str))
             for r in records])

    def accepted_appraisals(self, round_id: str) -> dict[tuple[str, str], tuple[float | None, str]]:
        """(unit, task) -> (appraised score, note) from the round's accepted appraisal workbook."""
        if self.db is None or not self._has("appraisals"):
            return {}
        cursor = self.db.execute(
            "SELECT a.unit, a.task, a.score, a.note FROM appraisals a JOIN submissions s ON s.id = a.submission_id "
            "WHERE s.round = ? AND s.kind = 'appraisal' AND s.state = 'accepted'", (round_id,))
        return {(unit, task): (score, note) for unit, task, score, note in cursor}

    def finding_counts(self, submission_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(errors, warnings) of each submission."""
        ids = list(submission_ids)
        out: dict[int, tuple[int, int]] = {}
        if self.db is None:
            return out
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            cursor = self.db.execute(
                "SELECT submission_id, SUM(severity = 'error'), SUM(severity = 'warning') FROM findings "
                f"WHERE submission_id IN ({', '.join('?' * len(chunk))}) GROUP BY submission_id", chunk)
            out.update({sid: (int(e or 0), int(w or 0)) for sid, e, w in cursor})
        return out

    def accept(self, submission_id: int, now: dt.datetime) -> Submission:
        """Make a kept submission the one used for its unit and round (an explicit choice)."""
        chosen = self.submission(submission_id)
        if chosen is None:
            raise KeyError(submission_id)
        with self.transaction():
            run_id = self.start_run(chosen.round, f"accept {submission_id}", now)
            current = self.current(chosen.round, chosen.unit, chosen.kind)
            if current is not None and current.id != chosen.id:
                self.set_state(current.id, "superseded", chosen.id)
            self.set_state(chosen.id, "accepted")
            self.finish_run(run_id, 1, now)
        return self.submission(submission_id) or chosen

    def findings_of(self, submission_ids: Iterable[int]) -> list[Finding]:
        ids = list(submission_ids)
        if self.db is None or not ids:
            return []
        out: list[Finding] = []
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            cursor = self.db.execute(
                "SELECT code, severity, message, advice, file, sheet, cell, unit, task FROM findings "
                f"WHERE submission_id IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk)
            out.extend(
                Finding(code, Severity(sev), msg, advice, Location(file, sheet, cell), unit, task)
                for code, sev, msg, advice, file, sheet, cell, unit, task in cursor)
        return out
