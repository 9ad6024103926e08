"""Atomic writes: every file camket writes appears whole or not at all, and nothing else
ever appears among the outputs.

A file is written under a temporary name, then renamed over its target in one step. Inside
a workspace the temporary file lives in the workspace's own ``.camket/tmp/`` (when that is
on the same filesystem as the target, so the rename stays atomic): a run killed half-way,
even by SIGKILL, leaves no hidden file among the outputs, only a leftover in ``.camket/tmp/``
that the next writing command removes (:func:`clean_temporaries`). Outside a workspace the
temporary file is written beside the target, as a hidden file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "clean_temporaries", "temporary_folder", "write_bytes_atomic", "write_text_atomic"]

STATE_DIR = ".camket"          # the workspace's state folder (camket.workspace.STATE_DIR)
TMP_DIR = "tmp"
_STALE_AFTER = 3600.0          # seconds (where a process cannot be asked whether it still runs)
_FOUND: dict[Path, Path] = {}  # target folder -> its temporary folder (only workspaces found are kept)
_CLEANED: set[Path] = set()    # temporary folders this process has cleaned


def temporary_folder(folder: Path) -> Path | None:
    """The ``.camket/tmp`` of the workspace holding ``folder``, when it is on the same filesystem;
    None outside a workspace."""
    folder = folder.absolute()
    known = _FOUND.get(folder)
    if known is not None and known.is_dir():
        return known
    for parent in (folder, *folder.parents):
        state = parent / STATE_DIR
        if state.is_dir():
            tmp = state / TMP_DIR
            try:
                tmp.mkdir(exist_ok=True)
                if tmp.stat().st_dev != folder.stat().st_dev:
                    return None
            except OSError:
                return None
            _FOUND[folder] = tmp
            return tmp
    return None


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_temporaries(root: Path) -> int:
    """Remove what killed runs left in the workspace's ``.camket/tmp`` (files of processes that
    no longer run, or older than an hour where that cannot be known); returns how many."""
    tmp = root / STATE_DIR / TMP_DIR
    removed = 0
    if not tmp.is_dir():
        return 0
    for leftover in tmp.iterdir():
        pid_text = leftover.name.split("-", 1)[0]
        try:
            stale = not _running(int(pid_text)) or time.time() - leftover.stat().st_mtime > _STALE_AFTER
        except (ValueError, OSError):
            stale = False
        if stale and leftover.is_file():
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed += 1
    return removed


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path; on success rename it over ``path``.

    >>> with atomic_path(Path("ws/out/ghi-chu.txt")) as tmp:
    ...     _ = tmp.write_text("đã ghi trọn vẹn", encoding="utf-8")
    >>> Path("ws/out/ghi-chu.txt").read_text(encoding="utf-8")
    'đã ghi trọn vẹn'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = temporary_folder(path.parent)
    if folder is None:
        tmp = _create(path.parent, f".{path.stem[:40]}.", f".tmp{path.suffix}")
    else:
        if folder not in _CLEANED:
            _CLEANED.add(folder)
            clean_temporaries(folder.parent.parent)
        tmp = _create(folder, f"{os.getpid()}-", path.suffix)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _create(folder: Path, prefix: str, suffix: str) -> Path:
    """A new empty file with a name nobody else uses, readable as any file the user creates
    (``tempfile.mkstemp`` would make it private to its owner)."""
    while True:
        path = folder / f"{prefix}{secrets.token_hex(6)}{suffix}"
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return path
        except FileExistsError:
            continue


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
