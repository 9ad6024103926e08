"""The :class:`Ledger`: what was received, what was read from it, and what camket decided.

Nothing is ever overwritten. Every received file is recorded in ``submissions`` with its
state and the reason for it; every change of state (by ingest or by the department) is
appended to ``decisions``. States:

- ``accepted``: the file counted for its unit and round;
- ``superseded``: replaced by a newer accepted file (or kept aside with ``--keep-first``);
- ``pending`` (*chờ xử lý*): not counted until the department decides (``accept``);
- ``dismissed``: set aside by the department (``dismiss``; ``accept`` undoes it);
- ``rejected``: cannot be counted (unreadable, another round, forged …), with its findings;
- ``unpacked``: an archive whose members were read;
- ``error`` (*lỗi chương trình*): camket failed on it; the file is kept to be read again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import LedgerError
from ..model import Adjustment, Finding, Location, Master, Severity
from ..schema import ANSWER_KEYS, Answer
from . import archive, frozen
from .db import SCHEMA_VERSION, connect, explain, migrate, schema_version, storable
from .migrations import AFTER, STEPS

__all__ = ["ARRIVAL_LABELS", "STATE_LABELS", "SUBMISSION_KEYS", "Ledger", "StoredRow", "Submission", "row_values"]

ARRIVAL_LABELS = {  # how the date a file arrived is known
    "file": "thời điểm lưu tệp",
    "given": "ngày nhận do người tiếp nhận ghi",
    "ingest": "thời điểm tiếp nhận",
    "email": "ngày gửi thư điện tử",
    "upload": "thời điểm tải lên",
}

STATE_LABELS = {
    "accepted": "được tính",
    "superseded": "đã được thay",
    "pending": "chờ xử lý",
    "dismissed": "đã loại (theo quyết định)",
    "rejected": "không tính",
    "unpacked": "tệp nén đã giải",
    "error": "lỗi chương trình",
    "duplicate": "đã nhận trước đây",
}


@dataclass(frozen=True)
class Submission:
    """One received file, as the ledger records it."""

    id: int
    sha256: str
    size: int
    name: str
    source: str
    container: str
    received: str          # when camket took it in
    file_time: str         # the file's own modification time
    arrived: str           # when it arrived, by ``arrived_source``
    arrived_source: str    # "file" | "given" | "ingest" | "email" | "upload"
    format: str
    kind: str
    round: str
    claimed_round: str
    unit: str              # the unit it counts for (accepted) or came from, as far as known
    claimed_unit: str      # the unit the file itself claims (metadata, unit-code cell)
    template_version: str
    generated: str
    identified_by: str
    signed: bool
    state: str
    note: str
    superseded_by: int | None
    sender: str = ""       # the address of the e-mail it came with, if it came by e-mail

    @property
    def state_label(self) -> str:
        if self.kind == "email" and self.state == "unpacked":
            return "thư đã mở"
        return STATE_LABELS.get(self.state, self.state)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape of ``camket submissions --json`` (keys: :data:`SUBMISSION_KEYS`)."""
        return dict(zip(SUBMISSION_KEYS, (
            self.id, self.name, self.container, self.sha256, self.size, self.kind, self.round, self.unit,
            self.claimed_unit, self.claimed_round, self.signed, self.identified_by, self.state, self.state_label,
            self.note, self.superseded_by, self.received, self.arrived, self.arrived_source, self.sender),
            strict=True))


SUBMISSION_KEYS = ("id", "file", "container", "sha256", "size", "kind", "round", "unit", "claimed_unit",
                   "claimed_round", "signed", "identified_by", "state", "state_label", "note", "superseded_by",
                   "received", "arrived", "arrived_source", "sender")


_SUBMISSION_COLUMNS = ", ".join(f.name for f in fields(Submission))
_ROW_COLUMNS = ("kind", "task", "sheet", "row", *ANSWER_KEYS, "content", "product", "deadline", "raw", "cell")


@dataclass(frozen=True, slots=True)
class StoredRow(Answer):
    """A row of an accepted submission, as reconcile and reports read it."""

    submission_id: int
    unit: str
    kind: str
    task: str
    sheet: str
    row: int
    content: str = ""
    product: str = ""
    deadline: str = ""
    raw_json: str = ""
    cell: str = ""  # where the row's status was read ("I8"), for reports that point to it

    @property
    def raw(self) -> dict[str, Any]:
        """Each input's cell and raw value, as read from the file."""
        value: dict[str, Any] = json.loads(self.raw_json) if self.raw_json else {}
        return value


def row_values(r: Any) -> tuple[Any, ...]:
    """An ingest record as the ``rows`` table stores it, in :data:`_ROW_COLUMNS` order."""
    first = r.raw.get("status") or next(iter(r.raw.values()), ("",))
    answer = [getattr(r, key) for key in ANSWER_KEYS]
    answer = [v.isoformat() if isinstance(v, dt.date) else v for v in answer]
    return (r.kind, r.task, r.sheet, r.row, *answer, r.content, r.product, r.deadline,
            getattr(r, "raw_json", None) or json.dumps(r.raw, ensure_ascii=False, default=str), first[0])


class Ledger:
    """The workspace's ledger and archive. Use as a context manager; write in :meth:`transaction`.

    ``create=False`` opens an existing ledger read-only (or nothing, when there is none), with
    the archive attached read-only when ``archive`` is true.
    A ledger written by an earlier camket is migrated when opened for writing.
    """

    def __init__(self, root: Path, *, create: bool = True, now: dt.datetime | None = None,
                 archive: bool = False) -> None:
        self.root = root
        self.writable = create
        self.db = connect(root, write=create, create=create, archive_ro=archive)
        if self.db is not None and create:
            try:
                migrate(self.db, root, STEPS, now or dt.datetime.now(), AFTER)
            except sqlite3.Error as exc:
                self.close()
                raise explain(exc, root / "ledger.sqlite") or exc from None
        elif self.db is not None and schema_version(self.db) < SCHEMA_VERSION:
            self.close()
            raise LedgerError("Sổ tiếp nhận do phiên bản camket cũ ghi, cần nâng cấp; chạy một lệnh ghi (ví dụ "
                              "camket verify) để nâng cấp rồi chạy lại.")

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
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # --- the archive -------------------------------------------------------------
    def store(self, data: bytes, sha256: str, name: str, now: dt.datetime) -> None:
        """Keep a received file's bytes (once per content)."""
        archive.put(self._db, sha256, data, archive.suffix_of(name), now)

    def store_path(self, path: Path, sha256: str, size: int, name: str, now: dt.datetime) -> None:
        """Keep a file too large to load, streaming it in."""
        archive.put_stream(self._db, sha256, path, size, archive.suffix_of(name), now)

    def archived(self, sha256: str) -> bytes | None:
        return archive.read(self._db, sha256)

    def archive_state(self, sha256: str) -> str:
        """``ok``, ``missing`` or ``damaged``."""
        return archive.check(self._db, sha256)

    def restore(self, sha256: str, data: bytes, name: str, now: dt.datetime) -> None:
        archive.restore(self._db, sha256, data, archive.suffix_of(name), now)

    # --- runs and submissions ------------------------------------------------------
    def start_run(self, round_id: str, command: str, now: dt.datetime) -> int:
        cur = self._db.execute("INSERT INTO runs (started, round, command) VALUES (?, ?, ?)",
                               (now.isoformat(timespec="seconds"), round_id, command))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, files: int, now: dt.datetime) -> None:
        self._db.execute("UPDATE runs SET finished = ?, files = ? WHERE id = ?",
                         (now.isoformat(timespec="seconds"), files, run_id))

    def add_submission(self, run_id: int, **values: Any) -> int:
        """Record a received file (keys: :class:`Submission`'s fields but ``id``)."""
        keys = ["run_id", *values]
        cur = self._db.execute(
            f"INSERT INTO submissions ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
            storable((run_id, *values.values())))
        submission_id = int(cur.lastrowid or 0)
        self._decided(run_id, submission_id, values.get("state", ""), values.get("note", ""))
        return submission_id

    def set_state(self, run_id: int, submission_id: int, state: str, *, note: str = "",
                  superseded_by: int | None = None) -> None:
        self._db.execute("UPDATE submissions SET state = ?, note = ?, superseded_by = ? WHERE id = ?",
                         storable((state, note, superseded_by, submission_id)))
        self._decided(run_id, submission_id, state, note)

    def _decided(self, run_id: int, submission_id: int, state: str, note: str) -> None:
        self._db.execute("INSERT INTO decisions (run_id, submission_id, state, note) VALUES (?, ?, ?, ?)",
                         storable((run_id, submission_id, state, note)))

    def decisions(self, submission_id: int) -> list[tuple[str, str, str, str]]:
        """Each decision about a submission: (when, command, state, note), oldest first."""
        if self.db is None:
            return []
        return [tuple(r) for r in self.db.execute(
            "SELECT r.started, r.command, d.state, d.note FROM decisions d JOIN runs r ON r.id = d.run_id "
            "WHERE d.submission_id = ? ORDER BY d.id", (submission_id,))]

    def _one(self, where: str, args: tuple[Any, ...]) -> Submission | None:
        if self.db is None:
            return None
        row = self.db.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE {where}", args).fetchone()
        return _submission(row) if row else None

    def known(self, sha256: str, round_id: str) -> Submission | None:
        """The latest judgement of these bytes in this round (files are de-duplicated per round)."""
        return self._one("sha256 = ? AND round = ? ORDER BY id DESC LIMIT 1", (sha256, round_id))

    def current(self, round_id: str, unit: str, kind: str = "report") -> Submission | None:
        """The accepted submission of a unit for a round, if any."""
        return self._one("round = ? AND unit = ? AND kind = ? AND state = 'accepted' ORDER BY id DESC LIMIT 1",
                         (round_id, unit, kind))

    def submission(self, submission_id: int) -> Submission | None:
        return self._one("id = ?", (submission_id,))

    def submissions(self, round_id: str | None = None) -> list[Submission]:
        if self.db is None:
            return []
        where, args = ("WHERE round = ?", (round_id,)) if round_id else ("", ())
        rows = self.db.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions {where} ORDER BY id", args)
        return [_submission(r) for r in rows]

    # --- what was read -------------------------------------------------------------
    def add_rows(self, submission_id: int, rows: Iterable[Any]) -> None:
        """Rows read from a file: ingest records, or tuples made by :func:`row_values`."""
        self._db.executemany(
            f"INSERT INTO rows (submission_id, {', '.join(_ROW_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (len(_ROW_COLUMNS) + 1))})",
            [storable((submission_id, *(r if isinstance(r, tuple) else row_values(r)))) for r in rows])

    def accepted_rows(self, round_id: str, kind: str = "report", *, raw: bool = True,
                      unit: str | None = None) -> list[StoredRow]:
        """The rows of the round's accepted submissions (of one ``unit``, or all), by unit and row;
        ``raw=False`` leaves out what each input cell held (figures never need it; it is a third of a row)."""
        if self.db is None:
            return []
        answer = ", ".join(f"r.{key}" for key in ANSWER_KEYS)
        raw_column = "r.raw" if raw else "''"
        one = " AND s.unit = ?" if unit is not None else ""
        cursor = self.db.execute(
            f"SELECT r.submission_id, s.unit, r.kind, r.task, r.sheet, r.row, {answer}, r.content, r.product, "
            f"r.deadline, {raw_column}, r.cell FROM rows r JOIN submissions s "
            f"ON s.id = r.submission_id WHERE s.round = ? AND s.kind = ? AND s.state = 'accepted'{one} "
            "ORDER BY s.unit, r.row", (round_id, kind) if unit is None else (round_id, kind, unit))
        width = len(ANSWER_KEYS)
        day = dt.date.fromisoformat
        out = []
        for values in cursor:
            head, answers, tail = values[:6], dict(zip(ANSWER_KEYS, values[6:6 + width], strict=True)), \
                values[6 + width:]
            if answers.get("completed_on"):
                answers["completed_on"] = day(answers["completed_on"])
            out.append(StoredRow(*head, *tail, **answers))
        return out

    def input_cells(self, rows: Iterable[tuple[int, int]]) -> dict[tuple[int, int], dict[str, str]]:
        """The cell each input of these rows (submission id, row) was read from: ``{"progress": "J8"}``."""
        wanted = set(rows)
        out: dict[tuple[int, int], dict[str, str]] = {}
        for cursor in self._chunked("SELECT submission_id, row, raw FROM rows WHERE submission_id IN ({})",
                                    sorted({sid for sid, _ in wanted})):
            for sid, number, raw in cursor:
                if (sid, number) in wanted and raw:
                    out[(sid, number)] = {key: value[0] for key, value in json.loads(raw).items()}
        return out

    def add_findings(self, run_id: int, submission_id: int | None, findings: Iterable[Finding]) -> None:
        self._db.executemany(
            "INSERT INTO findings (run_id, submission_id, code, severity, message, advice, file, sheet, "
            "cell, unit, task) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [storable((run_id, submission_id, f.code, f.severity.value, f.message, f.advice, f.location.file,
                       f.location.sheet, f.location.cell, f.unit, f.task)) for f in findings])

    def settle_findings(self, submission_id: int, codes: Iterable[str], note: str) -> None:
        """The findings ``codes`` of a submission, answered by a decision of the department: kept,
        as information with ``note``, no longer counted as errors or warnings."""
        wanted = sorted(set(codes))
        self._db.execute(
            f"UPDATE findings SET severity = 'info', message = message || ' (' || ? || ')', advice = ? "
            f"WHERE submission_id = ? AND severity != 'info' AND code IN ({', '.join('?' * len(wanted))})",
            (note, "Không cần làm gì thêm.", submission_id, *wanted))

    def finding_counts(self, submission_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(errors, warnings) of each submission."""
        out: dict[int, tuple[int, int]] = {}
        for cursor in self._chunked(
                "SELECT submission_id, SUM(severity = 'error'), SUM(severity = 'warning') FROM findings "
                "WHERE submission_id IN ({}) GROUP BY submission_id", submission_ids):
            out.update({sid: (int(e or 0), int(w or 0)) for sid, e, w in cursor})
        return out

    def findings_of(self, submission_ids: Iterable[int]) -> list[Finding]:
        out: list[Finding] = []
        for cursor in self._chunked(
                "SELECT code, severity, message, advice, file, sheet, cell, unit, task FROM findings "
                "WHERE submission_id IN ({}) ORDER BY id", submission_ids):
            out.extend(Finding(code, Severity(sev), msg, advice, Location(file, sheet, cell), unit, task)
                       for code, sev, msg, advice, file, sheet, cell, unit, task in cursor)
        return out

    def _chunked(self, sql: str, ids: Iterable[int]) -> Iterator[sqlite3.Cursor]:
        """``sql`` (with ``{}`` for the placeholders) run over ids in chunks SQLite accepts."""
        if self.db is None:
            return
        wanted = list(ids)
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            yield self.db.execute(sql.format(", ".join("?" * len(chunk))), chunk)

    # --- appraisals -------------------------------------------------------------------
    def add_appraisals(self, submission_id: int, records: Iterable[Any]) -> None:
        self._db.executemany(
            "INSERT INTO appraisals (submission_id, unit, task, row, score, note, raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [storable((submission_id, r.unit, r.task, r.row, r.score, r.note,
                       json.dumps(r.raw, ensure_ascii=False, default=str))) for r in records])

    def accepted_appraisals(self, round_id: str) -> dict[tuple[str, str], tuple[float | None, str]]:
        """(unit, task) -> (appraised score, note) from the round's accepted appraisal workbook."""
        if self.db is None:
            return {}
        cursor = self.db.execute(
            "SELECT a.unit, a.task, a.score, a.note FROM appraisals a JOIN submissions s ON s.id = a.submission_id "
            "WHERE s.round = ? AND s.kind = 'appraisal' AND s.state = 'accepted'", (round_id,))
        return {(unit, task): (score, note) for unit, task, score, note in cursor}

    # --- registrations ----------------------------------------------------------------
    def add_registrations(self, submission_id: int, records: Iterable[Any]) -> None:
        """Tasks read from a registration workbook (records with ``values()``, see
        :class:`camket.registration.read.RegistrationRecord`)."""
        self._db.executemany(
            'INSERT INTO registrations (submission_id, unit, row, task, source, content, "group", product, target, '
            "deadline, deadline_text, points, hard, note, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [storable((submission_id, *r.values())) for r in records])

    def accepted_registrations(self, round_id: str) -> dict[str, list[tuple[Any, ...]]]:
        """Unit -> the rows of its accepted registration (the ``registrations`` columns after the
        submission), in the order of the workbook."""
        if self.db is None:
            return {}
        out: dict[str, list[tuple[Any, ...]]] = {}
        cursor = self.db.execute(
            'SELECT r.unit, r.row, r.task, r.source, r.content, r."group", r.product, r.target, r.deadline, '
            "r.deadline_text, r.points, r.hard, r.note, r.raw FROM registrations r JOIN submissions s ON "
            "s.id = r.submission_id WHERE s.round = ? AND s.kind = 'registration' AND s.state = 'accepted' "
            "ORDER BY s.unit, r.row", (round_id,))
        for values in cursor:
            out.setdefault(values[0], []).append(tuple(values))
        return out

    # --- rounds: frozen lists, adjustments, issued templates ----------------------------
    def frozen_master(self, round_id: str) -> Master | None:
        """The round's frozen list (None when the round was never issued)."""
        return frozen.load(self.db, round_id) if self.db is not None else None

    def issue_of(self, round_id: str) -> int | None:
        """The latest issue of a round's list (changes when the round is issued again)."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT MAX(id) FROM round_issues WHERE round = ?", (round_id,)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def frozen_rounds(self) -> list[str]:
        return frozen.frozen_rounds(self.db) if self.db is not None else []

    def freeze(self, round_id: str, master: Master, *, run_id: int, at: dt.datetime, reason: str,
               baseline: tuple[str, Master] | None = None) -> list[Adjustment]:
        _, changes = frozen.freeze(self._db, round_id, master, run_id=run_id, at=at, reason=reason,
                                   baseline=baseline)
        return changes

    def adjustments(self, round_id: str | None = None) -> list[Adjustment]:
        return frozen.adjustments(self.db, round_id) if self.db is not None else []

    def add_issued(self, round_id: str, files: Iterable[tuple[str, str, str]]) -> None:
        """Templates sent out: (sha256, unit, file name) each, to recognise one returned unfilled."""
        self._db.executemany("INSERT OR IGNORE INTO issued_files (round, sha256, unit, name) VALUES (?, ?, ?, ?)",
                             [(round_id, *f) for f in files])

    def issued(self, round_id: str) -> dict[str, str]:
        """sha256 -> unit of every template issued for a round."""
        if self.db is None:
            return {}
        return dict(self.db.execute("SELECT sha256, unit FROM issued_files WHERE round = ?", (round_id,)))

    def counts(self, round_id: str) -> Mapping[str, int]:
        """Submissions of a round by state."""
        if self.db is None:
            return {}
        return dict(self.db.execute("SELECT state, COUNT(*) FROM submissions WHERE round = ? GROUP BY state",
                                    (round_id,)))


def _submission(row: tuple[Any, ...]) -> Submission:
    values = list(row)
    signed_at = [f.name for f in fields(Submission)].index("signed")
    values[signed_at] = bool(values[signed_at])
    return Submission(*values)
