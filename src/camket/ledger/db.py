"""The ledger's two SQLite files: opened safely, created only when absent, migrated by version.

``ledger.sqlite`` holds what was received and read (runs, submissions, rows, findings, the
rounds' frozen lists); ``archive.sqlite`` holds every received file's bytes by SHA-256. The
archive is attached to the ledger's connection, so one transaction covers both (rollback
journal: SQLite commits attached files atomically).

A ledger file is never replaced: a missing one is created in a temporary file and renamed
into place; an empty, damaged or foreign one stops the command with a message
(:class:`~camket.errors.LedgerError`), so a history is never silently restarted.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import LedgerError
from ..safetext import without_surrogates
from ..schema import ANSWER_KEYS, REPORT, Kind

__all__ = [
    "ARCHIVE_NAME",
    "LEDGER_NAME",
    "SCHEMA_VERSION",
    "connect",
    "explain",
    "needs_migration",
    "schema_version",
    "storable",
]

LEDGER_NAME = "ledger.sqlite"
ARCHIVE_NAME = "archive.sqlite"
SCHEMA_VERSION = 3

STATES = ("accepted", "superseded", "pending", "dismissed", "rejected", "unpacked", "error")


def _answer_columns() -> str:
    """The ``rows`` table's answer columns, one per input column of the report sheet."""
    sql = {Kind.TEXT: "TEXT NOT NULL DEFAULT ''", Kind.STATUS: "TEXT", Kind.DATE: "TEXT"}
    return ", ".join(f"{key} {sql.get(REPORT[key].kind, 'REAL')}" for key in ANSWER_KEYS)


LEDGER_DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, round TEXT NOT NULL,
    command TEXT NOT NULL, files INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    container TEXT NOT NULL DEFAULT '',
    received TEXT NOT NULL,
    file_time TEXT NOT NULL DEFAULT '',
    arrived TEXT NOT NULL DEFAULT '',
    arrived_source TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    kind TEXT NOT NULL,
    round TEXT NOT NULL,
    claimed_round TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    claimed_unit TEXT NOT NULL DEFAULT '',
    template_version TEXT NOT NULL DEFAULT '',
    generated TEXT NOT NULL DEFAULT '',
    identified_by TEXT NOT NULL DEFAULT '',
    signed INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ({", ".join(f"'{s}'" for s in STATES)})),
    note TEXT NOT NULL DEFAULT '',
    superseded_by INTEGER REFERENCES submissions(id),
    sender TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS submissions_round_unit ON submissions(round, unit, state);
CREATE INDEX IF NOT EXISTS submissions_round_sha ON submissions(round, sha256);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    state TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS decisions_submission ON decisions(submission_id);
CREATE TABLE IF NOT EXISTS rows (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    kind TEXT NOT NULL, task TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER NOT NULL,
    {_answer_columns()},
    content TEXT NOT NULL DEFAULT '', product TEXT NOT NULL DEFAULT '', deadline TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL DEFAULT '', cell TEXT NOT NULL DEFAULT ''
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
CREATE TABLE IF NOT EXISTS registrations (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    unit TEXT NOT NULL, row INTEGER NOT NULL, task TEXT NOT NULL, source TEXT NOT NULL, content TEXT NOT NULL,
    "group" TEXT NOT NULL, product TEXT NOT NULL, target TEXT NOT NULL, deadline TEXT, deadline_text TEXT NOT NULL,
    points REAL, hard INTEGER NOT NULL, note TEXT NOT NULL, raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registrations_submission ON registrations(submission_id);
CREATE TABLE IF NOT EXISTS round_issues (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL,
    units INTEGER NOT NULL, tasks INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS round_units (
    round TEXT NOT NULL, ord INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, block TEXT NOT NULL,
    head TEXT NOT NULL, position TEXT NOT NULL, email TEXT NOT NULL,
    PRIMARY KEY (round, code)
);
CREATE TABLE IF NOT EXISTS round_tasks (
    round TEXT NOT NULL, ord INTEGER NOT NULL, code TEXT NOT NULL, unit TEXT NOT NULL, content TEXT NOT NULL,
    "group" TEXT NOT NULL, source TEXT NOT NULL, product TEXT NOT NULL, target TEXT NOT NULL,
    deadline TEXT, deadline_text TEXT NOT NULL, points REAL NOT NULL, hard INTEGER NOT NULL,
    parent TEXT NOT NULL, note TEXT NOT NULL,
    PRIMARY KEY (round, code)
);
CREATE TABLE IF NOT EXISTS adjustments (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL REFERENCES round_issues(id),
    round TEXT NOT NULL, change TEXT NOT NULL, what TEXT NOT NULL, code TEXT NOT NULL, unit TEXT NOT NULL,
    field TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS adjustments_round ON adjustments(round);
CREATE TABLE IF NOT EXISTS issued_files (
    round TEXT NOT NULL, sha256 TEXT NOT NULL, unit TEXT NOT NULL, name TEXT NOT NULL,
    issue_id INTEGER REFERENCES round_issues(id),
    PRIMARY KEY (round, sha256)
);
"""

ARCHIVE_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, suffix TEXT NOT NULL, stored TEXT NOT NULL,
    data BLOB NOT NULL
);
"""


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _create(path: Path, ddl: str, kind: str) -> None:
    """A new SQLite file with its schema, written aside and renamed into place: a crash
    never leaves a half-made (or 0-byte) ledger under the real name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.executescript(f"BEGIN; {ddl}; INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}'); "
                         f"INSERT INTO meta VALUES ('kind', '{kind}'); COMMIT;")
    finally:
        db.close()
    os.replace(tmp, path)


def _refuse_empty(path: Path) -> None:
    if path.exists() and path.stat().st_size == 0:
        raise LedgerError(
            f"Tệp {path.name} trong thư mục làm việc rỗng (0 byte): dữ liệu đã bị xóa hoặc ghi đè. camket "
            f"không tạo sổ mới đè lên. Khôi phục {path.name} từ bản sao lưu (thư mục .camket/backup hoặc bản "
            "sao của cơ quan), hoặc đổi tên tệp rỗng này nếu chắc chắn muốn bắt đầu sổ mới.")


def connect(root: Path, *, write: bool, create: bool, archive_ro: bool = False) -> sqlite3.Connection | None:
    """The ledger of ``root`` with the archive attached (writing, or ``archive_ro``), or
    read-only without it. ``None`` when there is no ledger and ``create`` is false.
    """
    path = root / LEDGER_NAME
    archive = root / ARCHIVE_NAME
    for existing in (path, archive):
        _refuse_empty(existing)
    if not path.exists():
        _refuse_lost_ledger(path, archive)
        if not create:
            return None
        _create(path, LEDGER_DDL, "ledger")
    try:
        db = sqlite3.connect(_uri(path, "rw" if write else "ro"), uri=True, timeout=60,
                             isolation_level=None, check_same_thread=False)
        _check_is_ours(db, path, "ledger")
        if write:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = DELETE")
            db.execute("PRAGMA synchronous = FULL")
            if not archive.exists():
                _refuse_lost_archive(db, archive)
                _create(archive, ARCHIVE_DDL, "archive")
            db.execute("ATTACH DATABASE ? AS archive", (_uri(archive, "rw"),))
            _check_is_ours(db, archive, "archive", schema="archive")
        elif archive_ro and archive.exists():
            db.execute("ATTACH DATABASE ? AS archive", (_uri(archive, "ro"),))
            _check_is_ours(db, archive, "archive", schema="archive")
    except sqlite3.Error as exc:
        raise explain(exc, path) or exc from None
    return db


def _refuse_lost_ledger(path: Path, archive: Path) -> None:
    """The ledger is gone while the archive still holds received files: say so, never start an
    empty ledger beside them (their states, findings and decisions are in the ledger)."""
    if not archive.is_file():
        return
    try:
        db = sqlite3.connect(_uri(archive, "ro"), uri=True, timeout=10)
        try:
            held = db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0]
        finally:
            db.close()
    except sqlite3.DatabaseError:
        held = -1
    if held:
        what = f"còn {held} tệp đã nhận" if held > 0 else "còn đó (không đọc được)"
        raise LedgerError(
            f"Không tìm thấy sổ tiếp nhận {path.name} trong khi kho lưu {archive.name} {what}. camket không "
            f"tạo sổ mới. Khôi phục {path.name} từ bản sao lưu (thư mục .camket/backup hoặc bản sao của cơ quan); "
            f"nếu chắc chắn muốn bắt đầu lại từ đầu, chuyển cả {archive.name} ra khỏi thư mục làm việc.",
            file=path.name, detail=f"không còn tệp (đã bị xóa hoặc chuyển đi) trong khi kho lưu {archive.name} {what}")


def _refuse_lost_archive(db: sqlite3.Connection, archive: Path) -> None:
    """The archive of a ledger that already holds files is gone: say so, never start an empty one."""
    if schema_version(db) < 2:
        return  # a ledger of version 1 kept its files in archive/: the migration moves them in
    if db.execute("SELECT 1 FROM submissions LIMIT 1").fetchone() is not None:
        raise LedgerError(
            f"Không tìm thấy kho lưu tệp {archive.name} trong khi sổ tiếp nhận đã ghi các tệp đã nhận. camket "
            f"không tạo kho mới. Khôi phục {archive.name} từ bản sao lưu rồi chạy camket verify.")


def _check_is_ours(db: sqlite3.Connection, path: Path, kind: str, schema: str = "main") -> None:
    try:
        row = db.execute(f"SELECT value FROM {schema}.meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        row = None
    if row is None:
        raise LedgerError(f"Tệp {path.name} không phải sổ của camket (không có thông tin phiên bản). "
                          "Kiểm tra lại thư mục làm việc; không sửa tệp này bằng công cụ khác.")
    if int(row[0]) > SCHEMA_VERSION:
        raise LedgerError(f"Tệp {path.name} do phiên bản camket mới hơn ghi (phiên bản sổ {row[0]}, bản này đọc "
                          f"được đến {SCHEMA_VERSION}). Cập nhật camket rồi chạy lại.")


def needs_migration(root: Path) -> bool:
    """Whether the workspace's ledger was written by an earlier camket (a quick read-only look;
    any problem opening it is left for the real opening to report)."""
    path = root / LEDGER_NAME
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        db = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=60)
        try:
            return schema_version(db) < SCHEMA_VERSION
        finally:
            db.close()
    except (sqlite3.Error, TypeError):
        return False


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])


def explain(exc: BaseException, where: Path | None = None) -> LedgerError | None:
    """The Vietnamese explanation of an error of the ledger's files or the disk, or None
    when the error is camket's own (a bug must not read like damaged data)."""
    name = where.name if where is not None else "sổ tiếp nhận (ledger.sqlite, archive.sqlite)"
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            return None
        primary = code & 0xFF
        if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            if where is not None:
                name = damaged_file(where.parent) or name
            return LedgerError(
                f"Tệp {name} bị hỏng ({exc}). Không ghi thêm vào thư mục này; chạy camket verify để xem chi "
                f"tiết rồi khôi phục {name} từ bản sao lưu.", file=name, detail=str(exc))
        if primary == sqlite3.SQLITE_FULL:
            return LedgerError(f"Ổ đĩa đã đầy khi ghi {name}; không có gì bị ghi dở. Giải phóng dung lượng rồi "
                               "chạy lại lệnh.")
        if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM,
                       sqlite3.SQLITE_AUTH):
            return LedgerError(f"Không ghi được {name}: thư mục làm việc chỉ đọc hoặc không có quyền ghi. "
                               "Kiểm tra quyền của thư mục (hoặc chép thư mục sang ổ có quyền ghi) rồi chạy lại.")
        if primary == sqlite3.SQLITE_IOERR:
            return LedgerError(f"Lỗi đọc/ghi ổ đĩa với {name} ({exc}). Kiểm tra ổ đĩa (ổ mạng, USB) rồi chạy lại.")
        return None
    if isinstance(exc, OSError):
        what = f"{exc.filename}" if exc.filename else "thư mục làm việc"
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
            return LedgerError(f"Ổ đĩa đã đầy (hoặc vượt hạn mức) khi ghi {what}. Giải phóng dung lượng rồi chạy "
                               "lại; các tệp kết quả được ghi trọn vẹn hoặc không ghi.")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return LedgerError(f"Không có quyền ghi {what} (thư mục chỉ đọc hoặc tệp đang bị khóa). Kiểm tra quyền "
                               "ghi, đóng tệp đang mở trong Excel, rồi chạy lại.")
    return None


def damaged_file(root: Path) -> str | None:
    """Which of the workspace's two files is damaged (SQLite's quick check of each), when an
    error does not say: the ledger's queries read the attached archive too."""
    for name in (LEDGER_NAME, ARCHIVE_NAME):
        path = root / name
        if not path.is_file():
            continue
        try:
            db = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=10)
            try:
                if [r[0] for r in db.execute("PRAGMA quick_check(1)")] != ["ok"]:
                    return name
            finally:
                db.close()
        except sqlite3.DatabaseError:
            return name
    return None


def backup(root: Path, db: sqlite3.Connection, label: str, now: dt.datetime) -> Path:
    """A consistent copy of the ledger in ``.camket/backup/`` (before a migration)."""
    folder = root / ".camket" / "backup"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"ledger-{label}-{now:%Y%m%d-%H%M%S}.sqlite"
    copy = sqlite3.connect(target)
    try:
        db.backup(copy)
    finally:
        copy.close()
    return target


Migration = Callable[[sqlite3.Connection, Path], None]


def migrate(db: sqlite3.Connection, root: Path, steps: dict[int, Migration], now: dt.datetime,
            after: dict[int, Callable[[Path], None]] | None = None) -> int:
    """Bring a writable ledger to :data:`SCHEMA_VERSION`, one version at a time, each in a
    transaction, after a backup copy. Returns the version it had."""
    found = schema_version(db)
    if found >= SCHEMA_VERSION:
        _add_new_answer_columns(db)
        return found
    backup(root, db, f"v{found}", now)
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        for version in range(found + 1, SCHEMA_VERSION + 1):
            db.execute("BEGIN IMMEDIATE")
            try:
                steps[version](db, root)
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
                problems = db.execute("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise LedgerError(f"Nâng cấp sổ tiếp nhận lên phiên bản {version} thất bại: {problems[:3]}")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            if after and version in after:
                after[version](root)
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    _add_new_answer_columns(db)
    return found


def _add_new_answer_columns(db: sqlite3.Connection) -> None:
    """An input column added to the schema since the ledger was written gets its column."""
    have = {r[1] for r in db.execute("PRAGMA table_info(rows)")}
    sql = {Kind.TEXT: "TEXT NOT NULL DEFAULT ''", Kind.STATUS: "TEXT", Kind.DATE: "TEXT"}
    for key in ANSWER_KEYS:
        if key not in have:
            db.execute(f"ALTER TABLE rows ADD COLUMN {key} {sql.get(REPORT[key].kind, 'REAL')}")


def remove_tree(path: Path) -> None:
    """Delete a folder of read-only files (the archive of version 1), on every platform."""
    for file in sorted(path.rglob("*"), reverse=True):
        if file.is_dir():
            file.rmdir()
        else:
            os.chmod(file, 0o600)
            file.unlink()
    path.rmdir()


def storable(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The values of a row to write, each text with a lone surrogate (an undecodable byte of a
    received name, say) shown as U+FFFD: SQLite stores UTF-8, and the ledger never fails on text.

    >>> storable((1, "VTV-\\udcff.xlsx", None))
    (1, 'VTV-\ufffd.xlsx', None)
    """
    for value in values:  # most rows: one cheap test per text, nothing copied
        if type(value) is str and not value.isprintable() and without_surrogates(value) is not value:
            return tuple(without_surrogates(v) if type(v) is str else v for v in values)
    return values
