"""``camket verify`` and ``camket archive export``: the ledger and the archive checked end to
end, and the received files taken back out.

:func:`verify` runs SQLite's integrity check on both files, re-hashes every archived file
against its name, and checks that every recorded submission has its file and every row
its submission. It lists every problem as a finding and never changes anything (a damaged
archive copy is restored by ingesting the original again).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import findings as F
from .errors import LedgerError
from .ledger import ARCHIVE_NAME, LEDGER_NAME, Submission
from .ledger import archive as blobs
from .ledger.db import connect, damaged_file
from .model import Finding, Location

__all__ = ["VerifyReport", "export_archive", "safe_name", "verify"]


@dataclass(frozen=True)
class VerifyReport:
    findings: tuple[Finding, ...]
    submissions: int = 0
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(root: Path) -> VerifyReport:
    """Every problem of the ledger and the archive of the workspace at ``root``."""
    try:
        db = connect(root, write=False, create=False, archive_ro=True)
    except LedgerError as exc:
        file = exc.file or LEDGER_NAME
        return VerifyReport((F.LEDGER_DAMAGED(Location(file), file=file, detail=exc.detail or str(exc)),))
    if db is None:
        return VerifyReport(())
    try:
        return _verify(root, db)
    except sqlite3.DatabaseError as exc:
        file = damaged_file(root) or LEDGER_NAME
        return VerifyReport((F.LEDGER_DAMAGED(Location(file), file=file, detail=str(exc)),))
    finally:
        db.close()


def _verify(root: Path, db: sqlite3.Connection) -> VerifyReport:
    found: list[Finding] = []
    has_archive = (root / ARCHIVE_NAME).exists()
    for schema, name in (("main", LEDGER_NAME), ("archive", ARCHIVE_NAME)):
        if schema == "archive" and not has_archive:
            continue
        problems = [r[0] for r in db.execute(f"PRAGMA {schema}.integrity_check(20)")]
        if problems != ["ok"]:
            found.append(F.LEDGER_DAMAGED(Location(name), file=name, detail="; ".join(problems[:5])))
    for table, column, parent in (("rows", "submission_id", "submissions"), ("findings", "submission_id",
                                  "submissions"), ("decisions", "submission_id", "submissions")):
        orphans = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN "
                             f"(SELECT id FROM {parent})").fetchone()[0]
        if orphans:
            found.append(F.LEDGER_ORPHANS(Location(LEDGER_NAME), count=orphans, table=table))
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for sid, sha, name in db.execute("SELECT id, sha256, name FROM submissions ORDER BY id"):
        names[sha].append((sid, name))
    stored = {f.sha256 for f in blobs.each(db)} if has_archive else set()
    for sha, which in names.items():
        label = ", ".join(f"tệp số {sid}" for sid, _ in which)
        if sha not in stored:
            found.append(F.ARCHIVE_MISSING(Location(which[0][1]), name=which[0][1], which=label))
        elif blobs.check(db, sha) != "ok":
            found.append(F.ARCHIVE_DAMAGED(Location(which[0][1]), name=which[0][1], which=label))
    unreferenced = len(stored - names.keys())
    if unreferenced:
        found.append(F.ARCHIVE_UNREFERENCED(Location(ARCHIVE_NAME), count=unreferenced))
    return VerifyReport(tuple(found), sum(len(w) for w in names.values()), len(stored))


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(name: str, limit: int = 120) -> str:
    """A file name valid on Windows as on Linux: no ``<>:"/\\|?*`` or control characters, no
    reserved device name (CON, NUL …), no trailing dot or space, at most ``limit`` characters."""
    clean = _UNSAFE.sub("-", name).strip(" .") or "tep"
    stem, dot, suffix = clean.rpartition(".")
    if not dot:
        stem, suffix = clean, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    room = limit - (len(suffix) + 1 if suffix else 0)
    stem = stem[:max(1, room)].rstrip(" .") or "tep"
    return f"{stem}.{suffix}" if suffix else stem


def export_archive(root: Path, target: Path, submissions: list[Submission]) -> list[Path]:
    """Write each submission's archived file into ``target/<round>/<number>_<name>``."""
    db = connect(root, write=False, create=False, archive_ro=True)
    written: list[Path] = []
    if db is None:
        return written
    try:
        for sub in submissions:
            folder = target / safe_name(sub.round)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / safe_name(f"{sub.id}_{Path(sub.name.replace(chr(92), '/')).name}")
            with path.open("wb") as out:
                for piece in blobs.pieces(db, sub.sha256):
                    out.write(piece)
            written.append(path)
    finally:
        db.close()
    return written
