"""The archive: every received file's bytes, once, by SHA-256, in ``archive.sqlite``.

Stored in the same transaction as what was read from the file, so a file and its record
never exist one without the other. Large files are streamed in and out in pieces.
:func:`check` re-hashes a stored file; :func:`restore` replaces a damaged copy with the
original bytes when they are received again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["ArchivedFile", "check", "contains", "each", "pieces", "put", "put_stream", "read", "restore", "suffix_of"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchivedFile:
    sha256: str
    size: int
    suffix: str
    stored: str


def suffix_of(name: str) -> str:
    """The file's extension, lower-case, when it is a plain short one (else ``.bin``)."""
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot > 0 and "/" not in name[dot:] else ""
    return suffix if suffix.isascii() and suffix[1:].isalnum() and 1 < len(suffix) <= 6 else ".bin"


def contains(db: sqlite3.Connection, sha256: str) -> bool:
    return db.execute("SELECT 1 FROM archive.blobs WHERE sha256 = ?", (sha256,)).fetchone() is not None


def put(db: sqlite3.Connection, sha256: str, data: bytes, suffix: str, now: dt.datetime) -> None:
    """Store ``data`` once (a content already stored is left as it is)."""
    db.execute("INSERT OR IGNORE INTO archive.blobs (sha256, size, suffix, stored, data) VALUES (?, ?, ?, ?, ?)",
               (sha256, len(data), suffix, now.isoformat(timespec="seconds"), data))


def put_stream(db: sqlite3.Connection, sha256: str, path: Path, size: int, suffix: str, now: dt.datetime) -> None:
    """Store a large file without loading it: reserve its size, then write it piece by piece."""
    if contains(db, sha256):
        return
    cursor = db.execute(
        "INSERT INTO archive.blobs (sha256, size, suffix, stored, data) VALUES (?, ?, ?, ?, zeroblob(?))",
        (sha256, size, suffix, now.isoformat(timespec="seconds"), size))
    with path.open("rb") as source, db.blobopen("blobs", "data", int(cursor.lastrowid or 0), name="archive") as blob:
        _copy(source, blob, size)


def _copy(source: BinaryIO, blob: sqlite3.Blob, size: int) -> None:
    written = 0
    while written < size:
        piece = source.read(min(_CHUNK, size - written))
        if not piece:
            break
        blob.write(piece)
        written += len(piece)


def _rowid(db: sqlite3.Connection, sha256: str) -> tuple[int, int] | None:
    row = db.execute("SELECT rowid, length(data) FROM archive.blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def read(db: sqlite3.Connection, sha256: str) -> bytes | None:
    """A stored file's bytes (None when it is not in the archive)."""
    row = db.execute("SELECT data FROM archive.blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return bytes(row[0]) if row else None


def pieces(db: sqlite3.Connection, sha256: str) -> Iterator[bytes]:
    """A stored file's bytes, piece by piece (for exports of large files)."""
    found = _rowid(db, sha256)
    if found is None:
        return
    rowid, length = found
    with db.blobopen("blobs", "data", rowid, readonly=True, name="archive") as blob:
        done = 0
        while done < length:
            piece = blob.read(_CHUNK)
            if not piece:
                break
            done += len(piece)
            yield piece


def check(db: sqlite3.Connection, sha256: str) -> str:
    """``"ok"``, ``"missing"`` or ``"damaged"`` (its bytes no longer hash to its name)."""
    if _rowid(db, sha256) is None:
        return "missing"
    digest = hashlib.sha256()
    for piece in pieces(db, sha256):
        digest.update(piece)
    return "ok" if digest.hexdigest() == sha256 else "damaged"


def restore(db: sqlite3.Connection, sha256: str, data: bytes, suffix: str, now: dt.datetime) -> None:
    """Put the original bytes back in place of a damaged or missing copy."""
    db.execute("INSERT OR REPLACE INTO archive.blobs (sha256, size, suffix, stored, data) VALUES (?, ?, ?, ?, ?)",
               (sha256, len(data), suffix, now.isoformat(timespec="seconds"), data))


def each(db: sqlite3.Connection) -> Iterator[ArchivedFile]:
    """Every stored file's description (not its bytes)."""
    for sha, size, suffix, stored in db.execute(
            "SELECT sha256, size, suffix, stored FROM archive.blobs ORDER BY sha256").fetchall():
        yield ArchivedFile(sha, int(size), suffix, stored)
