"""Which unit and round a returned workbook belongs to, and how we know.

The signed metadata of a template says it exactly (:func:`from_stamp`). A file
without it (a table copied into a new workbook) is identified where it honestly can
be (:func:`without_stamp`): the unit-code cell of the header block, the task codes in
the table, the unit name written in the header block, or the file name; diacritics-
and case-insensitive, fuzzy for names. The finding says which way was used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from rapidfuzz import fuzz, process

from .. import findings as F
from ..model import Finding, Location, Master
from ..schema import REPORT, find_header
from ..stamp import FORMAT_VERSION, META_SHEET, Stamp
from ..values import text_of
from ..vi import fold_key, normalize_code
from .book import Book

__all__ = ["Identity", "Table", "find_table", "from_stamp", "without_stamp"]

_UNIT_CODE_LABEL = fold_key("Mã đơn vị")
_UNIT_NAME_LABELS = {fold_key(x) for x in ("Đơn vị", "Tên đơn vị", "Cơ quan, đơn vị", "Đơn vị báo cáo")}


@dataclass
class Table:
    """The report table found in a sheet: where its header is and which column is which."""

    sheet: str
    rows: list[list[Any]]
    header: int  # 0-based row index
    columns: dict[str, int]


@dataclass
class Identity:
    unit: str
    round: str
    kind: str = "report"
    stamp: Stamp | None = None
    how: str = "dữ liệu kiểm soát của mẫu"


def find_table(book: Book, preferred: str | None = None, header: int | None = None) -> Table | None:
    """The sheet holding the report table: ``preferred`` if its header is there, else the
    sheet (visible first) whose header row matches most report columns. ``header`` is
    the 0-based row where the header should be in ``preferred``."""
    names = sorted(book.names, key=lambda n: (n != preferred, book.visibility.get(n) != "visible"))
    best: Table | None = None
    for name in names:
        if name == META_SHEET:
            continue
        rows = book.rows(name)
        found = find_header(rows, REPORT, hint=header if name == preferred else None)
        if found is None or len(found[1]) < 3:
            continue
        if "task_code" not in found[1] and "content" not in found[1]:
            continue
        table = Table(name, rows, found[0], found[1])
        if name == preferred:
            return table
        if best is None or len(table.columns) > len(best.columns):
            best = table
    return best


def read_stamp(book: Book) -> tuple[Stamp, str] | None:
    """The metadata sheet's stamp and signature; None when there is no metadata sheet.

    Raises ValueError when the sheet is there but damaged.
    """
    if META_SHEET not in book.names:
        return None
    return Stamp.from_rows(book.rows(META_SHEET))


def from_stamp(
    stamp: Stamp, signature: str, *, workspace: str, secret: bytes, round_id: str, master: Master,
    file: str,
) -> tuple[Identity | None, list[Finding]]:
    """Check a stamp: version, workspace, signature, round, unit. None means rejected."""
    where = Location(file, META_SHEET)
    if stamp.format != FORMAT_VERSION:
        return None, [F.FORMAT_UNSUPPORTED(where, version=stamp.format)]
    if stamp.workspace != workspace:
        return None, [F.FOREIGN_WORKSPACE(where, workspace=stamp.workspace)]
    if not stamp.verify(signature, secret):
        return None, [F.SIGNATURE_INVALID(where, unit=stamp.unit, round=stamp.round)]
    if stamp.round != round_id:
        return None, [F.OTHER_ROUND(where, unit=stamp.unit, found=stamp.round, expected=round_id)]
    if stamp.unit and master.unit(stamp.unit) is None:
        return None, [F.UNKNOWN_UNIT(where, unit=stamp.unit)]
    return Identity(stamp.unit, stamp.round, stamp.kind, stamp), []


def written_unit(table: Table) -> tuple[str, str, str]:
    """(code, name, cell) written in the header block above the table, if any."""
    code = name = cell = ""
    for r, row in enumerate(table.rows[: table.header]):
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value or len(value) > 40:
                continue  # labels are short texts
            label = fold_key(value)
            if label not in _UNIT_NAME_LABELS and label != _UNIT_CODE_LABEL:
                continue
            rest = [(i, text_of(v)) for i, v in enumerate(row[c + 1:], start=c + 1) if text_of(v)]
            if not rest:
                continue
            i, text = rest[0]
            if label == _UNIT_CODE_LABEL:
                code, cell = normalize_code(text), _a1(r, i)
            elif not name:
                name = text
                cell = cell or _a1(r, i)
    return code, name, cell


def without_stamp(table: Table, master: Master, round_id: str, file: str) -> Identity | None:
    """Identify the unit of a file that has no metadata (None when it honestly cannot be)."""
    code, name, cell = written_unit(table)
    if code and master.unit(code):
        return Identity(code, round_id, how=f'mã đơn vị "{code}" ghi ở ô {cell}')
    task_col = table.columns.get("task_code")
    if task_col is not None:
        owners: Counter[str] = Counter()
        for row in table.rows[table.header + 1:]:
            if task_col < len(row):
                task = master.task(normalize_code(text_of(row[task_col])))
                if task is not None:
                    owners[task.unit] += 1
        if len(owners) == 1:
            unit = next(iter(owners))
            return Identity(unit, round_id, how=f"mã nhiệm vụ trong bảng (thuộc đơn vị {unit})")
    units = {u.code: fold_key(u.name) for u in master.units}
    if name:
        match = process.extractOne(fold_key(name), units, scorer=fuzz.ratio, score_cutoff=88)
        if match:
            return Identity(match[2], round_id, how=f'tên đơn vị "{name}" ghi trong tệp')
    stem = fold_key(PurePosixPath(file).stem)
    tokens = set(stem.split())
    by_code = [u.code for u in master.units if fold_key(u.code) in tokens]
    if len(by_code) == 1:
        return Identity(by_code[0], round_id, how=f'mã đơn vị "{by_code[0]}" trong tên tệp')
    scored = sorted(((fuzz.partial_ratio(n, stem), c) for c, n in units.items() if len(n) >= 6),
                    reverse=True)
    if scored and scored[0][0] >= 90 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return Identity(scored[0][1], round_id, how="tên đơn vị trong tên tệp")
    return None


def _a1(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col))
