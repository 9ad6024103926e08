"""One received file -> a :class:`FileResult`: what it is, whose it is, its rows and
findings. Pure (no ledger, no archive), so it can run in worker processes; it never
raises on bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import findings as F
from ..config import Settings
from ..model import Finding, Location, Master, Round, Severity
from ..schema import DETAIL, REPORT, UNIT_SUMMARY
from ..stamp import META_SHEET
from .appraisal import AppraisalRecord, read_appraisal
from .book import Book, BookError, open_book
from .collect import Item
from .formulas import uncached_formulas
from .identify import (
    Identity,
    Table,
    content_unit,
    find_table,
    from_stamp,
    other_tables,
    owners,
    read_stamp,
    unit_in_name,
    without_stamp,
    written_unit,
)
from .limits import Limits
from .mail import MAIL_FORMATS, unit_of_sender
from .rows import RowRecord, read_rows
from .shared import covered_units, unattributed, unit_table
from .sniff import check_package, sniff

__all__ = ["Context", "FileResult", "process"]

SPREADSHEETS = ("xlsx", "xlsm", "ods", "xls")
LOG_HINT = ".camket/log/camket.log"
SUBMISSION_MARK = "<số tệp>"  # replaced by the submission's number once it is recorded


@dataclass(frozen=True)
class Context:
    """What processing a file needs to know; picklable for worker processes."""

    master: Master
    settings: Settings
    round: Round
    workspace_id: str
    secret: bytes
    today: dt.date
    limits: Limits = field(default_factory=Limits)
    expected_unit: str = ""   # the unit whose personal link the file came through, if any
    assign_unit: str = ""     # read the file as this unit's (camket accept --unit)
    strict: bool = False      # let camket's own errors raise (tests) instead of recording them


@dataclass
class FileResult:
    name: str
    source: str
    sha256: str
    size: int
    mtime: float
    container: str
    format: str = ""
    kind: str = "unreadable"      # report | appraisal | registration | archive | email | unreadable
    unit: str = ""
    round: str = ""
    generated: str = ""
    template_version: str = ""
    identified_by: str = ""
    claimed_unit: str = ""        # the unit the file says it is
    signed: bool = False          # identified by the template's valid signature
    pending: str = ""             # why it must wait for the department (chờ xử lý), if so
    internal_error: str = ""      # camket's own failure on this file (traceback)
    rejected: bool = False
    rows: list[RowRecord] = field(default_factory=list)
    appraisals: list[AppraisalRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    parts: list[FileResult] = field(default_factory=list)  # one per unit of a workbook for several units
    registrations: list[Any] = field(default_factory=list)  # tasks of a registration workbook

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def process(item: Item, ctx: Context) -> FileResult:
    """Read, identify, normalise and check one received file.

    Problems of the file become findings. An error of camket itself is not blamed on the
    file: it is kept in ``internal_error`` (with the traceback) and a finding that says so,
    or raised when ``ctx.strict``.
    """
    data = item.data
    digest, size = (file_digest(item.big) if item.big else (hashlib.sha256(data).hexdigest(), len(data)))
    result = FileResult(item.name, item.source, digest, size, item.mtime, item.container,
                        findings=list(item.findings))
    try:
        _process(item, ctx, result)
    except MemoryError:
        result.rows, result.appraisals = [], []
        result.findings.append(F.FILE_TOO_LARGE(Location(item.name), reason="không đủ bộ nhớ để đọc tệp"))
        result.rejected = True
    except Exception as exc:
        if ctx.strict:
            raise
        result.rows, result.appraisals = [], []
        result.internal_error = traceback.format_exc()
        result.findings.append(F.INTERNAL_ERROR(
            Location(item.name), error=f"{type(exc).__name__}: {exc}"[:160], log=LOG_HINT))
    if result.kind != "archive" and result.errors and result.kind == "unreadable":
        result.rejected = True
    if result.rejected and not result.unit and not result.internal_error:
        _attribute_rejected(item, ctx, result)
    return result


def _attribute_rejected(item: Item, ctx: Context, result: FileResult) -> None:
    """A file that could not be counted nor identified is linked to the unit whose personal
    link it came through or, failing that, whose code or name its file name carries, so that
    unit is told its file must be sent again (it is never counted)."""
    found = ((ctx.expected_unit, "gửi qua đường dẫn riêng của đơn vị") if ctx.expected_unit
             else unit_in_name(item.name, ctx.master))
    if found is None:
        return
    result.unit, result.identified_by = found[0], found[1]
    result.findings = [replace(f, unit=f.unit or found[0]) for f in result.findings]


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        pass
    return digest.hexdigest(), size


def _process(item: Item, ctx: Context, result: FileResult) -> None:
    where = Location(item.name)
    if item.is_archive:
        result.kind, result.format = ("email", item.format) if item.format in MAIL_FORMATS else ("archive", "zip")
        result.rejected = any(f.severity is Severity.ERROR for f in item.findings)
        if result.kind == "email":
            result.unit = unit_of_sender(item.sender, ctx.master) or ""
            result.rejected = result.rejected or any(f.code == F.MAIL_NO_WORKBOOK.code for f in item.findings)
        return
    if result.errors:
        result.rejected = True
        return
    kind = sniff(item.data)
    result.format = kind
    if kind == "empty":
        result.findings.append(F.FILE_EMPTY(where))
    elif kind == "corrupt" and item.name.lower().endswith(".zip"):
        result.kind, result.format = "archive", "zip"
        result.findings.append(F.ARCHIVE_CORRUPT(where, reason="tệp nén bị cắt cụt hoặc hỏng"))
    elif kind == "corrupt":
        result.findings.append(F.FILE_CORRUPT(where, reason="tệp nén bị cắt cụt hoặc hỏng"))
    elif kind == "encrypted":
        result.findings.append(F.FILE_ENCRYPTED(where))
    elif kind not in SPREADSHEETS:
        result.findings.append(F.FILE_NOT_SPREADSHEET(where, detected=kind))
    if result.errors:
        result.rejected = True
        return
    if kind != "xls":
        problem = check_package(item.data, ctx.limits)
        if problem is not None:
            what, why = problem
            maker = {"too-large": F.FILE_TOO_LARGE, "unsafe": F.FILE_UNSAFE, "corrupt": F.FILE_CORRUPT}[what]
            result.findings.append(maker(where, reason=why))
            result.rejected = True
            return
    try:
        book = open_book(item.data, ctx.limits)
        _identify_and_read(item, ctx, result, book)
        result.findings.extend(book.findings(item.name))
    except BookError as exc:  # refused, encrypted, damaged: the error knows its finding
        result.findings.append(exc.finding(item.name))
        result.rejected = True


def _identify_and_read(item: Item, ctx: Context, result: FileResult, book: Book) -> None:
    where = Location(item.name)
    identity: Identity | None = None
    try:
        stamped = read_stamp(book)
    except ValueError as exc:
        result.findings.append(F.METADATA_DAMAGED(Location(item.name, META_SHEET), reason=str(exc)))
        result.rejected, result.kind = True, "report"
        _attribute_by_content(book, ctx, result)
        return
    if stamped is not None:
        stamp, signature = stamped
        result.claimed_unit, result.round = stamp.unit, stamp.round
        result.generated, result.template_version = stamp.generated, stamp.format
        result.kind = stamp.kind if stamp.kind in ("appraisal", "registration") else "report"
        identity, problems = from_stamp(
            stamp, signature, workspace=ctx.workspace_id, secret=ctx.secret, round_id=ctx.round.id,
            master=ctx.master, file=item.name)
        result.findings.extend(problems)
        if identity is None:
            result.rejected = True
            if any(f.code == F.SIGNATURE_INVALID.code for f in problems):
                _attribute_by_content(book, ctx, result)  # never the unit it imitates
            else:
                result.unit = stamp.unit
            return
        result.unit, result.signed, result.identified_by = stamp.unit, True, "metadata"
        if stamp.kind == "appraisal":
            result.appraisals, problems = read_appraisal(book, stamp, ctx.master, item.name)
            result.findings.extend(problems)
            return
        if stamp.kind == "registration":
            from ..registration.read import read_registration

            result.registrations, problems = read_registration(book, stamp, ctx.master, ctx.settings, item.name)
            result.findings.extend(problems)
            return
    if ctx.round.kind == "registration":  # only the signed forms are registrations
        result.kind, result.rejected = "registration", True
        result.findings.append(F.REG_NOT_A_FORM(where))
        return
    if identity is None and _consolidated(book):
        result.findings.append(F.CAMKET_OUTPUT(where, what="bảng tổng hợp kết quả"))
        result.rejected, result.kind = True, "report"
        return
    signed = identity.stamp if identity else None
    table = find_table(book, signed.sheet if signed else REPORT.name, signed.header_row - 1 if signed else None)
    if table is None:
        result.findings.append(F.REPORT_SHEET_MISSING(where, sheet=REPORT.name))
        result.rejected, result.kind = True, "report"
        return
    result.kind = "report"
    result.findings.extend(other_tables(book, table, item.name))
    if identity is None and not ctx.assign_unit:
        covered = covered_units(table, ctx.master)
        if len(covered) >= 2 and "status" in table.columns:
            _several(item, ctx, result, table, covered)
            return
    identity = _whose(item, ctx, result, table, identity)
    if identity is None:
        return
    if "status" not in table.columns:
        result.findings.append(F.COLUMN_MISSING(
            Location(item.name, table.sheet, f"A{table.header + 1}"), unit=identity.unit,
            column=REPORT["status"].header))
        result.rejected = True
        return
    formulas = uncached_formulas(item.data, table.sheet) if result.format in ("xlsx", "xlsm") else {}
    rows, findings = read_rows(
        table, identity.unit, ctx.master, file=item.name, year=ctx.settings.year, today=ctx.today,
        stamp=identity.stamp, formulas=formulas, settings=ctx.settings)
    if not rows:
        findings = [f for f in findings if f.code != F.TASK_NOT_FILLED.code]
        findings.append(F.TEMPLATE_NOT_FILLED(where, unit=identity.unit, why="không nhiệm vụ nào được điền"))
        result.rejected = True
    result.rows = rows
    result.findings.extend(findings)


def _consolidated(book: Book) -> bool:
    """camket's own consolidated workbook (its detail and per-unit sheets, no report sheet), which
    holds every unit's rows and must never be read as anyone's answer."""
    names = set(book.names)
    return REPORT.name not in names and {DETAIL.name, UNIT_SUMMARY.name} <= names


def _several(item: Item, ctx: Context, result: FileResult, table: Table, covered: list[str]) -> None:
    """A workbook holding the rows of several units counts for each (one part per unit, each
    read with its own rows only). Its claim does not make it wait: it is nobody's own report;
    sent through a unit's personal link, the parts of other units wait as usual."""
    where = Location(item.name)
    code, _, _ = written_unit(table)
    names = ", ".join(covered)
    formulas = uncached_formulas(item.data, table.sheet) if result.format in ("xlsx", "xlsm") else {}
    uncounted = unattributed(table, ctx.master, covered, item.name)
    for unit in covered:
        part = replace(result, unit=unit, claimed_unit=code if ctx.master.unit(code) else "", parts=[],
                       identified_by=f"mã nhiệm vụ trong bảng (tệp chung của {len(covered)} đơn vị: {names})",
                       findings=[*result.findings, F.MULTI_UNIT_WORKBOOK(where, unit=unit, count=len(covered),
                                                                         units=names)])
        if not result.parts:
            part.findings.extend(uncounted)
        if ctx.expected_unit and unit != ctx.expected_unit:
            part.pending = f"gửi qua đường dẫn của {ctx.expected_unit} nhưng là báo cáo của {unit}"
            part.claimed_unit = part.claimed_unit or ctx.expected_unit
            part.findings.append(F.LINK_MISMATCH(where, unit=ctx.expected_unit, content=unit,
                                                 submission=SUBMISSION_MARK))
        rows, findings = read_rows(unit_table(table, unit, ctx.master), unit, ctx.master, file=item.name,
                                   year=ctx.settings.year, today=ctx.today, formulas=formulas, settings=ctx.settings)
        part.rows = rows
        part.findings.extend(f for f in findings if rows or f.code != F.TASK_NOT_FILLED.code)
        if not rows:
            part.findings.append(F.TEMPLATE_NOT_FILLED(where, unit=unit, why="không nhiệm vụ nào được điền"))
            part.rejected = True
        result.parts.append(part)
    result.unit, result.identified_by = covered[0], result.parts[0].identified_by


def _whose(item: Item, ctx: Context, result: FileResult, table: Table, identity: Identity | None) -> Identity | None:
    """The unit a report table is read as, and whether the file must wait (``result.pending``).

    A file counts for a unit only when what it claims (signed metadata, unit-code cell, unit
    name) and what it holds (its task codes) agree, and, sent through a unit's personal link,
    when it is that unit's. Otherwise it is read as the unit its content says and waits.
    """
    where = Location(item.name)
    if ctx.assign_unit:
        keep = identity.stamp if identity and identity.unit == ctx.assign_unit else None
        chosen = Identity(ctx.assign_unit, ctx.round.id, stamp=keep, how="chọn khi xử lý (camket accept --unit)",
                          claimed=result.claimed_unit)
        result.unit, result.identified_by = chosen.unit, chosen.how
        return chosen
    if identity is None:
        identity = without_stamp(table, ctx.master, ctx.round.id, item.name,
                                 sender=unit_of_sender(item.sender, ctx.master) or "")
        if identity is None:
            result.findings.append(F.UNIT_UNIDENTIFIED(where))
            result.rejected = True
            return None
        result.findings.append(F.METADATA_MISSING(where, unit=identity.unit, how=f"đơn vị {identity.unit} theo "
                                                                                 f"{identity.how}"))
    else:
        content = content_unit(owners(table, ctx.master), identity.unit)
        code, _, cell = written_unit(table)
        if content is not None:  # a signed sheet of one unit pasted into another's workbook
            identity = Identity(content, ctx.round.id, how=f"mã nhiệm vụ trong bảng (thuộc đơn vị {content})",
                                claimed=identity.unit, claimed_how=identity.claimed_how)
        elif code and code != identity.unit:
            result.findings.append(F.UNIT_CONFLICT(
                Location(item.name, table.sheet, cell), unit=identity.unit, written=code))
    result.unit, result.identified_by = identity.unit, identity.how
    result.claimed_unit = identity.claimed or result.claimed_unit
    if identity.claimed and identity.claimed != identity.unit:
        result.signed = False
        result.pending = f"tệp ghi là của {identity.claimed} nhưng nội dung là của {identity.unit}"
        result.findings.append(F.IDENTITY_CONFLICT(
            where, unit=identity.unit, claimed=identity.claimed, how=identity.claimed_how, submission=SUBMISSION_MARK))
    elif ctx.expected_unit and identity.unit != ctx.expected_unit:
        result.pending = f"gửi qua đường dẫn của {ctx.expected_unit} nhưng là báo cáo của {identity.unit}"
        result.claimed_unit = result.claimed_unit or ctx.expected_unit  # the link is the sender's claim
        result.findings.append(F.LINK_MISMATCH(where, unit=ctx.expected_unit, content=identity.unit,
                                               submission=SUBMISSION_MARK))
    return identity


def _attribute_by_content(book: Book, ctx: Context, result: FileResult) -> None:
    """A forged or damaged file is attributed to the unit its task codes belong to (the one
    that really sent it, as far as can be known), never to the unit it claims to be."""
    table = find_table(book, REPORT.name)
    content = content_unit(owners(table, ctx.master), "") if table is not None else None
    result.unit = content or ""
    if content:
        result.identified_by = f"mã nhiệm vụ trong bảng (thuộc đơn vị {content})"
    result.findings = [replace(f, unit=content or "") if f.code in _REATTRIBUTED else f for f in result.findings]


_REATTRIBUTED = frozenset({F.SIGNATURE_INVALID.code, F.METADATA_DAMAGED.code})
