"""One received file -> a :class:`FileResult`: what it is, whose it is, its rows and
findings. Pure (no ledger, no archive), so it can run in worker processes; it never
raises on bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import findings as F
from ..config import Settings
from ..model import Finding, Location, Master, Round, Severity
from ..schema import REPORT
from ..stamp import META_SHEET
from .appraisal import AppraisalRecord, read_appraisal
from .book import Book, BookError, EncryptedError, RefusedError, open_book
from .collect import Item
from .formulas import uncached_formulas
from .identify import Identity, find_table, from_stamp, read_stamp, without_stamp, written_unit
from .limits import Limits
from .rows import RowRecord, read_rows
from .sniff import check_package, sniff

__all__ = ["Context", "FileResult", "process"]

SPREADSHEETS = ("xlsx", "xlsm", "ods", "xls")


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


@dataclass
class FileResult:
    name: str
    source: str
    sha256: str
    size: int
    mtime: float
    container: str
    format: str = ""
    kind: str = "unreadable"      # report | appraisal | archive | unreadable
    unit: str = ""
    round: str = ""
    generated: str = ""
    template_version: str = ""
    identified_by: str = ""
    rejected: bool = False
    rows: list[RowRecord] = field(default_factory=list)
    appraisals: list[AppraisalRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def process(item: Item, ctx: Context) -> FileResult:
    """Read, identify, normalise and check one received file."""
    data = item.data
    digest, size = (_file_digest(item.big) if item.big else (hashlib.sha256(data).hexdigest(), len(data)))
    result = FileResult(item.name, item.source, digest, size, item.mtime, item.container,
                        findings=list(item.findings))
    try:
        _process(item, ctx, result)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as exc:
        result.findings.append(F.FILE_CORRUPT(Location(item.name), reason=f"lỗi khi đọc: {exc}"[:200]))
        result.rejected = True
    if result.kind != "archive" and result.errors and result.kind == "unreadable":
        result.rejected = True
    return result


def _file_digest(path: Path) -> tuple[str, int]:
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
        result.kind, result.format = "archive", "zip"
        result.rejected = any(f.severity is Severity.ERROR for f in item.findings)
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
    except RefusedError as exc:
        result.findings.append(exc.finding(item.name))
        result.rejected = True
    except EncryptedError:
        result.findings.append(F.FILE_ENCRYPTED(where))
        result.rejected = True
    except BookError as exc:
        result.findings.append(F.FILE_CORRUPT(where, reason=str(exc)))
        result.rejected = True


def _identify_and_read(item: Item, ctx: Context, result: FileResult, book: Book) -> None:
    where = Location(item.name)
    identity: Identity | None = None
    try:
        stamped = read_stamp(book)
    except ValueError as exc:
        result.findings.append(F.METADATA_DAMAGED(Location(item.name, META_SHEET), reason=str(exc)))
        result.rejected, result.kind = True, "report"
        return
    if stamped is not None:
        stamp, signature = stamped
        result.unit, result.round = stamp.unit, stamp.round
        result.generated, result.template_version = stamp.generated, stamp.format
        result.kind = "appraisal" if stamp.kind == "appraisal" else "report"
        identity, problems = from_stamp(
            stamp, signature, workspace=ctx.workspace_id, secret=ctx.secret, round_id=ctx.round.id,
            master=ctx.master, file=item.name)
        result.findings.extend(problems)
        if identity is None:
            result.rejected = True
            return
        result.identified_by = "metadata"
        if stamp.kind == "appraisal":
            result.appraisals, problems = read_appraisal(book, stamp, ctx.master, item.name)
            result.findings.extend(problems)
            return
    signed = identity.stamp if identity else None
    table = find_table(book, signed.sheet if signed else REPORT.name, signed.header_row - 1 if signed else None)
    if table is None:
        result.findings.append(F.REPORT_SHEET_MISSING(where, sheet=REPORT.name))
        result.rejected, result.kind = True, "report"
        return
    result.kind = "report"
    if identity is None:
        identity = without_stamp(table, ctx.master, ctx.round.id, item.name)
        if identity is None:
            result.findings.append(F.UNIT_UNIDENTIFIED(where))
            result.rejected = True
            return
        result.unit, result.round = identity.unit, identity.round
        result.identified_by = identity.how
        result.findings.append(F.METADATA_MISSING(
            where, unit=identity.unit, how=f"đơn vị {identity.unit} theo {identity.how}"))
    else:
        code, _, cell = written_unit(table)
        if code and code != identity.unit:
            result.findings.append(F.UNIT_CONFLICT(
                Location(item.name, table.sheet, cell), unit=identity.unit, written=code))
    if "status" not in table.columns:
        result.findings.append(F.COLUMN_MISSING(
            Location(item.name, table.sheet, f"A{table.header + 1}"), column=REPORT["status"].header))
        result.rejected = True
        return
    formulas = uncached_formulas(item.data, table.sheet) if result.format in ("xlsx", "xlsm") else {}
    rows, findings = read_rows(
        table, identity.unit, ctx.master, file=item.name, year=ctx.settings.year, today=ctx.today,
        stamp=identity.stamp, formulas=formulas)
    result.rows = rows
    result.findings.extend(findings)
