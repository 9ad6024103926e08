"""An ingest run: every received file archived, identified, read and recorded in the ledger
in one transaction, with what camket decided about it and why.

Decisions, for one round (see :mod:`camket.ledger.core` for the states):

- the same bytes received again in the same round change nothing (a damaged archive copy
  is restored from them); in another round they are judged again;
- a file that cannot be counted is ``rejected`` with its findings, and linked to the unit
  that sent it as far as that is known; a file camket failed on is kept as ``error``;
- a template returned exactly as it was sent, or with nothing filled in, is not an answer;
- a file whose claim and content disagree, or that came through another unit's link,
  waits as ``pending`` (*chờ xử lý*) until the department decides;
- a newer answer of a unit supersedes its accepted one, except that a signed answer is
  superseded only by another signed one: an unsigned copy waits as ``pending``.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import findings as F
from ..ledger import Ledger, Submission, row_values
from ..model import Finding, Location, Round, Severity
from ..vi import vi_timestamps
from .collect import Item, collect, excluded_below, plan
from .process import SUBMISSION_MARK, Context, FileResult, process
from .workers import read_in_workers

__all__ = ["FileOutcome", "IngestResult", "run_ingest"]

Progress = Callable[[int, int], None]
log = logging.getLogger("camket.ingest")



@dataclass
class FileOutcome:
    """What became of one received file."""

    name: str
    state: str          # accepted | superseded | pending | rejected | unpacked | error | duplicate
    kind: str
    unit: str = ""
    submission_id: int | None = None
    replaces: str = ""
    previous: str = ""  # for duplicates: the name it was first received as
    note: str = ""      # why it is in its state
    claimed_unit: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass
class IngestResult:
    round: Round
    files: list[FileOutcome]
    dry_run: bool = False
    notices: list[Finding] = field(default_factory=list)   # about the run, not one file

    @property
    def findings(self) -> list[Finding]:
        return [*self.notices, *(f for o in self.files for f in o.findings)]

    def count(self, state: str) -> int:
        return sum(1 for o in self.files if o.state == state)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def internal_errors(self) -> list[FileOutcome]:
        """Files camket itself failed on (kept as ``error``; the command must say so)."""
        return [o for o in self.files if o.state == "error"]


_WINDOW = 512         # files read ahead of the ledger at most (bounds memory)
_PARALLEL_FROM = 64   # below this many files, one process is faster than starting workers
_WORKER: dict[str, object] = {}


def _init_worker(ctx: Context) -> None:
    _WORKER.update(ctx=ctx)


def _work(item: Item) -> FileResult:
    """In a worker: read one file. Rows go back as ledger tuples (cheaper to send between
    processes than objects)."""
    ctx = _WORKER["ctx"]
    assert isinstance(ctx, Context)
    result = process(item, ctx)
    for read in (result, *result.parts):
        read.rows = [row_values(r) for r in read.rows]  # type: ignore[misc]
    return result


class _Stream:
    """Received items in order, read ahead at most ``window`` items beyond those recorded.

    ``pending`` keeps each item (and how many planned entries were done when it was read)
    until its result is recorded.
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


@dataclass(frozen=True)
class _Current:
    """The accepted answer a new file would replace."""

    id: int | None
    text: str
    signed: bool


class _Run:
    """The state of one ingest run: the ledger, and what this run has recorded so far."""

    def __init__(self, ledger: Ledger, ctx: Context, now: dt.datetime, *, dry_run: bool, keep_first: bool,
                 received_on: dt.date | None) -> None:
        self.ledger, self.ctx, self.now = ledger, ctx, now
        self.dry_run, self.keep_first, self.received_on = dry_run, keep_first, received_on
        self.received = now.isoformat(timespec="seconds")
        self.via = ""
        self.run_id = 0
        self.seen: dict[str, str] = {}
        self.current: dict[tuple[str, str], _Current] = {}
        self.outcomes: dict[int, FileOutcome] = {}
        self.issued = ledger.issued(ctx.round.id) if ledger.db is not None else {}

    def current_for(self, unit: str, kind: str) -> _Current | None:
        key = (unit, kind)
        if key not in self.current:
            prev = self.ledger.current(self.ctx.round.id, unit, kind)
            self.current[key] = _Current(prev.id, _when(prev), prev.signed) if prev else _Current(None, "", False)
        found = self.current[key]
        return found if found.text else None


def _when(sub: Submission) -> str:
    return f"tệp số {sub.id}: {sub.name}, nhận lúc {vi_timestamps(sub.arrived or sub.received)}"


def run_ingest(
    root: Path, ctx: Context, paths: list[Path], *, now: dt.datetime, dry_run: bool = False,
    keep_first: bool = False, on_progress: Progress | None = None, processes: int | None = None,
    received_on: dt.date | None = None, exclude: dict[Path, str] | None = None, via: str = "",
) -> IngestResult:
    """Ingest ``paths`` (files, folders, zips) for ``ctx.round`` into the ledger at ``root``.

    Files are read in worker processes when there are many; the ledger and the archive are
    written by this process only, in one transaction, in the order the files were received.
    ``exclude`` maps folders and files never taken as received files (the workspace's own)
    to what they are; ``received_on`` is the date the whole batch arrived, when known; ``via``
    says the files arrive now by that way (``"upload"``: sent through camket serve).
    """
    entries, notices = _planned(paths, exclude or {})
    ledger = Ledger(root, create=not dry_run, now=now)
    run = _Run(ledger, ctx, now, dry_run=dry_run, keep_first=keep_first, received_on=received_on)
    run.via = via
    outcomes: list[FileOutcome] = []
    processes = processes if processes is not None else (os.cpu_count() or 1)
    stream = _Stream(entries, ctx, _WINDOW)
    parallel = processes > 1 and len(entries) >= _PARALLEL_FROM
    results: Iterator[FileResult] = (read_in_workers(stream, ctx, processes, _work, _init_worker) if parallel
                                     else (process(item, ctx) for item in stream))
    try:
        with _nothing() if dry_run else ledger.transaction():
            run.run_id = ledger.start_run(ctx.round.id, "ingest", now) if not dry_run else 0
            last = 0
            for result in results:
                done, item = stream.recorded()
                outcomes.extend(_record_all(run, item, result))
                if on_progress and done != last:
                    on_progress(done, len(entries))
                    last = done
            if not dry_run:
                ledger.finish_run(run.run_id, sum(o.state != "duplicate" for o in outcomes), now)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # the workers end with the run, however it ends
        ledger.close()
    ingested = IngestResult(ctx.round, outcomes, dry_run, notices)
    states = collections.Counter(o.state for o in outcomes)
    log.info("Tiếp nhận kỳ %s%s: %d tệp (%s)", ctx.round.id, " (chạy thử)" if dry_run else "", len(outcomes),
             ", ".join(f"{state} {n}" for state, n in sorted(states.items())))
    for outcome in outcomes:
        log.debug("%s: %s %s %s", outcome.name, outcome.state, outcome.unit, outcome.note)
    return ingested


def _planned(paths: list[Path], exclude: dict[Path, str]) -> tuple[list[tuple[float, str, Path]], list[Finding]]:
    """The files to read, without the workspace's own files, and a notice of what was left out."""
    resolved = {p.resolve(): what for p, what in exclude.items()}
    skipped: dict[Path, str] = {}
    for given in paths:
        if Path(given).is_dir():
            skipped.update({p: resolved[p] for p in excluded_below(Path(given), tuple(resolved)) if p.exists()})
    notices = []
    if skipped:
        shown = "; ".join(f"{p.name}{'/' if p.is_dir() else ''} ({what})" for p, what in skipped.items())
        notices.append(F.WORKSPACE_FOLDER_SKIPPED(Location(), what=shown))
    return plan(paths, exclude=tuple(resolved)), notices


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _record_all(run: _Run, item: Item, result: FileResult) -> list[FileOutcome]:
    """The outcome of a received file: one per unit of a workbook for several units, each
    decided and recorded as that unit's (the same archived bytes)."""
    duplicate = _duplicate(run, item, result)
    if duplicate is not None:
        return [duplicate]
    run.seen[result.sha256] = f"{item.name} (trong lần tiếp nhận này)"
    return [_record(run, item, part) for part in result.parts or [result]]


def _record(run: _Run, item: Item, result: FileResult) -> FileOutcome:
    outcome = FileOutcome(item.name, "rejected", result.kind, result.unit, findings=list(result.findings),
                          claimed_unit=result.claimed_unit)
    replaced = _decide(run, result, outcome)
    if run.dry_run:
        if outcome.state == "accepted":
            run.current[(result.unit, result.kind)] = _Current(None, f"{item.name} (trong lần tiếp nhận này)",
                                                               result.signed)
        return outcome
    if result.internal_error:
        log.error("Lỗi chương trình khi đọc %s (%s):\n%s", item.name, result.sha256, result.internal_error)
    ledger = run.ledger
    if item.big is not None:
        ledger.store_path(item.big, result.sha256, result.size, item.name, run.now)
    else:
        ledger.store(item.data, result.sha256, item.name, run.now)
    arrived, source = _arrival(item, run)
    submission_id = ledger.add_submission(
        run.run_id, sha256=result.sha256, size=result.size, name=item.name, source=item.source,
        container=item.container, received=run.received, file_time=_iso(item.mtime), arrived=arrived,
        arrived_source=source, format=result.format, kind=result.kind, round=run.ctx.round.id,
        claimed_round=result.round, unit=result.unit, claimed_unit=result.claimed_unit,
        template_version=result.template_version, generated=result.generated,
        identified_by=result.identified_by, signed=int(result.signed), state=outcome.state, note=outcome.note,
        superseded_by=replaced.id if outcome.state == "superseded" and replaced is not None else None,
        sender=item.sender)
    outcome.submission_id = submission_id
    outcome.findings = [_numbered(f, submission_id) for f in outcome.findings]
    run.outcomes[submission_id] = outcome
    key = (result.unit, result.kind)
    if outcome.state == "accepted":
        if replaced is not None and replaced.id is not None:
            ledger.set_state(run.run_id, replaced.id, "superseded", superseded_by=submission_id,
                             note=f"được thay bằng tệp số {submission_id} ({item.name})")
            if replaced.id in run.outcomes:
                run.outcomes[replaced.id].state = "superseded"
        run.current[key] = _Current(submission_id, f"tệp số {submission_id}: {item.name}, nhận lúc "
                                                   f"{vi_timestamps(arrived)}", result.signed)
    ledger.add_rows(submission_id, result.rows)
    if result.appraisals:
        ledger.add_appraisals(submission_id, result.appraisals)
    if result.registrations:
        ledger.add_registrations(submission_id, result.registrations)
    ledger.add_findings(run.run_id, submission_id, outcome.findings)
    return outcome


def _duplicate(run: _Run, item: Item, result: FileResult) -> FileOutcome | None:
    """The same bytes already received in this round: nothing changes, except that a damaged
    archive copy is restored from them. A file camket failed on is read again."""
    known = run.ledger.known(result.sha256, run.ctx.round.id) if run.ledger.db is not None else None
    if result.sha256 in run.seen:
        return FileOutcome(item.name, "duplicate", result.kind, result.unit, previous=run.seen[result.sha256])
    if known is None or known.state == "error":
        return None
    outcome = FileOutcome(item.name, "duplicate", result.kind, known.unit, known.id, previous=_when(known))
    if not run.dry_run and item.big is None and run.ledger.archive_state(result.sha256) != "ok":
        run.ledger.restore(result.sha256, item.data, item.name, run.now)
        outcome.findings.append(F.ARCHIVE_RESTORED(Location(item.name), unit=known.unit))
    return outcome


def _decide(run: _Run, result: FileResult, outcome: FileOutcome) -> _Current | None:
    """Set ``outcome``'s state and the reason for it; return the accepted answer it replaces
    (or, kept aside with ``--keep-first``, the one it leaves in place)."""
    where = Location(outcome.name)
    if result.internal_error:
        outcome.state, outcome.note = "error", "camket gặp lỗi chương trình khi đọc tệp (không phải lỗi của tệp)"
        return None
    if result.kind in ("archive", "email"):
        outcome.state = "rejected" if result.rejected else "unpacked"
        if result.kind == "email" and result.rejected:
            notes = [f.message for f in outcome.findings if f.severity is not Severity.INFO]
            outcome.note = notes[0][:200] if notes else ""
        return None
    if not result.rejected and result.sha256 in run.issued:
        outcome.findings.append(F.TEMPLATE_NOT_FILLED(where, unit=result.unit, why="giống hệt mẫu đã gửi"))
        result.rejected = True
    if result.rejected or not (result.unit or result.kind == "appraisal"):
        errors = [f for f in outcome.findings if f.severity is Severity.ERROR]
        outcome.state, outcome.note = "rejected", errors[0].message[:200] if errors else "không được tính"
        return None
    if result.pending:
        outcome.state, outcome.note = "pending", result.pending
        return None
    current = run.current_for(result.unit, result.kind)
    if current is None:
        outcome.state = "accepted"
        return None
    if run.keep_first:
        outcome.state, outcome.note = "superseded", f"giữ bản nhận trước ({current.text}) theo --keep-first"
        outcome.findings.append(F.RESUBMISSION_KEPT_FIRST(where, unit=result.unit, previous=current.text))
        return current
    if current.signed and not result.signed and result.kind == "report":
        outcome.state = "pending"
        outcome.note = f"bản không có dữ liệu kiểm soát gửi sau bản có chữ ký ({current.text})"
        outcome.findings.append(F.UNSIGNED_AFTER_SIGNED(where, unit=result.unit, previous=current.text,
                                                        submission=SUBMISSION_MARK))
        return None
    outcome.state, outcome.replaces = "accepted", current.text
    outcome.note = f"thay cho {current.text}"
    outcome.findings.append(F.RESUBMISSION(where, unit=result.unit, previous=current.text))
    return current


def _numbered(finding: Finding, submission_id: int) -> Finding:
    if SUBMISSION_MARK not in finding.advice and SUBMISSION_MARK not in finding.message:
        return finding
    number = str(submission_id)
    return replace(finding, message=finding.message.replace(SUBMISSION_MARK, number),
                   advice=finding.advice.replace(SUBMISSION_MARK, number))


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).isoformat(timespec="seconds") if timestamp else ""


def _arrival(item: Item, run: _Run) -> tuple[str, str]:
    """When the file arrived, and how that is known (see :data:`ARRIVAL_LABELS`)."""
    if item.arrived is not None:
        return item.arrived
    if run.received_on is not None:
        return run.received_on.isoformat(), "given"
    if run.via:
        return run.received, run.via
    own = _iso(item.mtime)
    if own and own < run.received:
        return own, "file"
    return run.received, "ingest"
