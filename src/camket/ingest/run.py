"""An ingest run: every received file archived, identified, read and recorded in the
ledger in one transaction; duplicates (same bytes) change nothing; a newer file from
the same unit and round supersedes the older one unless ``keep_first``."""

from __future__ import annotations

import collections
import datetime as dt
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import findings as F
from ..ledger import Ledger, Submission, row_values, store_file, store_in_archive
from ..model import Finding, Location, Round, Severity
from .collect import Item, collect, plan
from .process import Context, FileResult, process

__all__ = ["FileOutcome", "IngestResult", "run_ingest"]

Progress = Callable[[int, int], None]


@dataclass
class FileOutcome:
    """What became of one received file."""

    name: str
    state: str          # accepted | superseded | rejected | unpacked | duplicate
    kind: str
    unit: str = ""
    submission_id: int | None = None
    replaces: str = ""
    previous: str = ""  # for duplicates: the name it was first received as
    findings: list[Finding] = field(default_factory=list)


@dataclass
class IngestResult:
    round: Round
    files: list[FileOutcome]
    dry_run: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for o in self.files for f in o.findings]

    def count(self, state: str) -> int:
        return sum(1 for o in self.files if o.state == state)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def _when(sub: Submission) -> str:
    return f"{sub.name}, nhận lúc {sub.received.replace('T', ' ')}"


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix or ".bin"


_WINDOW = 512         # files read ahead of the ledger at most (bounds memory)
_PARALLEL_FROM = 64   # below this many files, one process is faster than starting workers
_WORKER: dict[str, object] = {}


def _init_worker(ctx: Context, root: Path, archive: bool) -> None:
    _WORKER.update(ctx=ctx, root=root, archive=archive, folders=set())


def _work(item: Item) -> tuple[FileResult, str]:
    """In a worker: read one file and, unless dry-running, put it in the archive. Rows go
    back as ledger tuples (cheaper to send between processes than objects)."""
    ctx = _WORKER["ctx"]
    assert isinstance(ctx, Context)
    result = process(item, ctx)
    archived = _archive(item, result, _WORKER["root"], bool(_WORKER["archive"]), _WORKER["folders"])
    result.rows = [row_values(r) for r in result.rows]  # type: ignore[misc]
    return result, archived


def _archive(item: Item, result: FileResult, root: object, archive: bool, folders: object) -> str:
    if not archive:
        return ""
    assert isinstance(root, Path) and isinstance(folders, set)
    if item.big is not None:
        return store_file(root, item.big, result.sha256, _suffix(item.name))
    return store_in_archive(root, item.data, result.sha256, _suffix(item.name), folders)


class _Stream:
    """Received items in order, read ahead at most ``window`` items beyond those recorded.

    Iterated by the pool's feeder thread; ``pending`` keeps each item (and how many
    planned entries were done when it was read) until its result is recorded.
    """

    def __init__(self, entries: list[tuple[float, str, Path]], ctx: Context, window: int) -> None:
        self.entries, self.ctx = entries, ctx
        self.slots = threading.Semaphore(window)
        self.pending: collections.deque[tuple[int, Item]] = collections.deque()

    def __iter__(self) -> Iterator[Item]:
        for done, entry in enumerate(self.entries, start=1):
            for item in collect(entry, self.ctx.limits):
                self.slots.acquire()
                self.pending.append((done, item))
                yield item

    def recorded(self) -> tuple[int, Item]:
        done, item = self.pending.popleft()
        self.slots.release()
        return done, item


def run_ingest(
    root: Path, ctx: Context, paths: list[Path], *, now: dt.datetime, dry_run: bool = False,
    keep_first: bool = False, on_progress: Progress | None = None, processes: int | None = None,
) -> IngestResult:
    """Ingest ``paths`` (files, folders, zips) for ``ctx.round`` into the ledger at ``root``.

    Files are read in worker processes when there are many; the ledger is written by
    this process only, in one transaction, in the order the files were received.
    """
    entries = plan(paths)
    outcomes: list[FileOutcome] = []
    if not dry_run:
        _remove_stale_temporaries(root)
    ledger = Ledger(root, create=not dry_run)
    seen: dict[str, str] = {}
    current: dict[tuple[str, str], tuple[int | None, str]] = {}
    by_id: dict[int, FileOutcome] = {}
    received = now.isoformat(timespec="seconds")
    processes = processes if processes is not None else (os.cpu_count() or 1)
    pool = None
    if processes > 1 and len(entries) >= _PARALLEL_FROM:
        gc.collect()
        gc.freeze()  # the workers need not scan what they inherit
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = multiprocessing.get_context(method).Pool(
            processes, initializer=_init_worker, initargs=(ctx, root, not dry_run))
    folders: set[Path] = set()
    stream = _Stream(entries, ctx, _WINDOW)
    if pool is not None:
        pairs: Iterator[tuple[FileResult, str]] = pool.imap(_work, stream, chunksize=8)
    else:
        pairs = ((r := process(item, ctx), _archive(item, r, root, not dry_run, folders)) for item in stream)
    try:
        with _nothing() if dry_run else ledger.transaction():
            run_id = ledger.start_run(ctx.round.id, "ingest", now) if not dry_run else 0
            last = 0
            for count, (result, archived) in enumerate(pairs, start=1):
                done, item = stream.recorded()
                outcomes.append(_record(ledger, run_id, item, result, archived, ctx, received, seen,
                                        current, dry_run, keep_first, by_id))
                if count % 512 == 0:
                    gc.freeze()
                if on_progress and done != last:
                    on_progress(done, len(entries))
                    last = done
            if not dry_run:
                ledger.finish_run(run_id, sum(o.state != "duplicate" for o in outcomes), now)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        ledger.close()
        gc.unfreeze()
    return IngestResult(ctx.round, outcomes, dry_run)


def _remove_stale_temporaries(root: Path) -> None:
    """Temporary files an interrupted run left in the archive (the caller holds the lock)."""
    archive = root / "archive"
    if archive.is_dir():
        for stale in archive.glob("*/.*.tmp"):
            stale.unlink(missing_ok=True)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _record(
    ledger: Ledger, run_id: int, item: Item, result: FileResult, archive: str, ctx: Context, received: str,
    seen: dict[str, str], current: dict[tuple[str, str], tuple[int | None, str]], dry_run: bool,
    keep_first: bool, by_id: dict[int, FileOutcome],
) -> FileOutcome:
    known = ledger.known(result.sha256)
    if known is not None or result.sha256 in seen:
        previous = _when(known) if known else seen[result.sha256]
        return FileOutcome(item.name, "duplicate", result.kind, known.unit if known else result.unit,
                           known.id if known else None, previous=previous)
    seen[result.sha256] = f"{item.name} (trong lần tiếp nhận này)"
    outcome = FileOutcome(item.name, "rejected", result.kind, result.unit, findings=result.findings)
    if result.kind == "archive":
        outcome.state = "rejected" if result.rejected else "unpacked"
    elif not result.rejected and (result.unit or result.kind == "appraisal"):
        key = (result.unit, result.kind)
        if key not in current:
            prev = ledger.current(ctx.round.id, result.unit, result.kind)
            current[key] = (prev.id, _when(prev)) if prev else (None, "")
        prev_id, prev_text = current[key]
        if prev_text and keep_first:
            outcome.state = "superseded"
            outcome.findings.append(F.RESUBMISSION_KEPT_FIRST(
                Location(item.name), unit=result.unit, previous=prev_text))
        else:
            outcome.state = "accepted"
            if prev_text:
                outcome.replaces = prev_text
                outcome.findings.append(F.RESUBMISSION(Location(item.name), unit=result.unit, previous=prev_text))
    if dry_run:
        if outcome.state == "accepted":
            current[(result.unit, result.kind)] = (None, f"{item.name} (trong lần tiếp nhận này)")
        return outcome
    submission_id = ledger.add_submission(
        run_id, sha256=result.sha256, size=result.size, name=item.name, source=item.source,
        container=item.container, received=received,
        file_time=dt.datetime.fromtimestamp(item.mtime).isoformat(timespec="seconds") if item.mtime else "",
        format=result.format, kind=result.kind, round=ctx.round.id, claimed_round=result.round,
        unit=result.unit, template_version=result.template_version, generated=result.generated,
        identified_by=result.identified_by, state=outcome.state, archive_path=archive)
    outcome.submission_id = submission_id
    by_id[submission_id] = outcome
    if outcome.state == "accepted":
        key = (result.unit, result.kind)
        prev_id = current.get(key, (None, ""))[0]
        if prev_id is not None:
            ledger.set_state(prev_id, "superseded", submission_id)
            if prev_id in by_id:
                by_id[prev_id].state = "superseded"
        current[key] = (submission_id, f"{item.name}, nhận lúc {received.replace('T', ' ')}")
    elif outcome.state == "superseded":
        ledger.set_state(submission_id, "superseded", current[(result.unit, result.kind)][0])
    ledger.add_rows(submission_id, result.rows)
    if result.appraisals:
        ledger.add_appraisals(submission_id, result.appraisals)
    ledger.add_findings(run_id, submission_id, outcome.findings)
    return outcome
