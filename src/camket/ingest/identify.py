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
from ..schema import GUIDE_SHEET, NOTES_SHEET, PROBLEMS_SHEET, REPORT, find_header
from ..stamp import FORMAT_VERSION, META_SHEET, Stamp
from ..values import text_of
from ..vi import fold_key, normalize_code
from .book import Book, BookError

__all__ = ["Identity", "Table", "content_unit", "find_table", "from_stamp", "other_tables", "owners", "unit_in_name",
           "without_stamp"]

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
    """Whose file it is (``unit``, read and counted as that unit's) and what it claims."""

    unit: str
    round: str
    kind: str = "report"
    stamp: Stamp | None = None
    how: str = "dữ liệu kiểm soát của mẫu"
    claimed: str = ""       # the unit the file says it is (metadata, unit-code cell, name)
    claimed_how: str = ""


def find_table(book: Book, preferred: str | None = None, header: int | None = None) -> Table | None:
    """The sheet holding the report table: ``preferred`` if its header is there, else the
    sheet (visible first) whose header row matches most report columns. ``header`` is
    the 0-based row where the header should be in ``preferred``."""
    names = sorted(book.names, key=lambda n: (n != preferred, book.visibility.get(n) != "visible"))
    best: Table | None = None
    for name in names:
        if name == META_SHEET:
            continue
        table = _table_in(name, book.rows(name), header if name == preferred else None)
        if table is None:
            continue
        if name == preferred:
            return table
        if best is None or len(table.columns) > len(best.columns):
            best = table
    return best


def _table_in(sheet: str, rows: list[list[Any]], header: int | None = None) -> Table | None:
    """The report table of a sheet: a header row with three report columns or more, the task's
    code or content among them."""
    found = find_header(rows, REPORT, hint=header)
    if found is None or len(found[1]) < 3 or ("task_code" not in found[1] and "content" not in found[1]):
        return None
    return Table(sheet, rows, found[0], found[1])


_TEMPLATE_SHEETS = frozenset({REPORT.name, GUIDE_SHEET, PROBLEMS_SHEET, NOTES_SHEET, META_SHEET})


def other_tables(book: Book, table: Table, file: str) -> list[Finding]:
    """A warning when sheets other than ``table``'s also hold a report table (a copy of the report
    sheet, say, answered instead of it): only ``table`` is read. The template's own sheets are
    not looked at, so a template's workbook costs nothing more; a sheet that cannot be read is
    no table."""
    others = []
    for name in book.names:
        if name == table.sheet or name in _TEMPLATE_SHEETS:
            continue
        try:
            if _table_in(name, book.rows(name)) is not None:
                others.append(name)
        except BookError:
            continue
    if not others:
        return []
    return [F.REPORT_SHEET_COPY(Location(file, others[0]), sheet=table.sheet,
                                others=", ".join(f'"{name}"' for name in others))]


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
        return None, [F.SIGNATURE_INVALID(where, claimed=stamp.unit, round=stamp.round)]
    if stamp.round != round_id:
        return None, [F.OTHER_ROUND(where, unit=stamp.unit, found=stamp.round, expected=round_id)]
    if stamp.unit and master.unit(stamp.unit) is None:
        return None, [F.UNKNOWN_UNIT(where, unit=stamp.unit)]
    return Identity(stamp.unit, stamp.round, stamp.kind, stamp, claimed=stamp.unit,
                    claimed_how="dữ liệu kiểm soát có chữ ký của mẫu"), []


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


def owners(table: Table, master: Master) -> Counter[str]:
    """How many task codes of the table belong to each unit of the master list."""
    found: Counter[str] = Counter()
    task_col = table.columns.get("task_code")
    if task_col is None:
        return found
    for row in table.rows[table.header + 1:]:
        if task_col < len(row):
            task = master.task(normalize_code(text_of(row[task_col])))
            if task is not None:
                found[task.unit] += 1
    return found


def content_unit(found: Counter[str], claimed: str) -> str | None:
    """The unit the table's task codes say the file is, when it is not ``claimed``: the unit
    owning most codes, if no other owns as many and ``claimed`` owns fewer. None otherwise."""
    ranked = found.most_common(2)
    if not ranked:
        return None
    top, count = ranked[0]
    if top == claimed or found.get(claimed, 0) >= count:
        return None
    if len(ranked) > 1 and ranked[1][1] == count:
        return None  # no single owner: the codes do not say whose file it is
    return top


def without_stamp(table: Table, master: Master, round_id: str, file: str, sender: str = "") -> Identity | None:
    """Identify the unit of a file that has no metadata (None when it honestly cannot be).

    What the file says of itself (the unit-code cell or the unit name written in it) is the
    *claim*; the task codes in the table are its *content*. When both are known and disagree,
    the identity is the content's and ``claimed`` keeps the claim: the caller does not count
    such a file until the department decides. When the table says nothing, the unit whose
    address e-mailed the file (``sender``) is used, then the file name.
    """
    code, name, cell = written_unit(table)
    claimed, how = "", ""
    if code and master.unit(code):
        claimed, how = code, f'mã đơn vị "{code}" ghi ở ô {cell}'
    elif name:
        units = {u.code: fold_key(u.name) for u in master.units}
        match = process.extractOne(fold_key(name), units, scorer=fuzz.ratio, score_cutoff=88)
        if match:
            claimed, how = match[2], f'tên đơn vị "{name}" ghi trong tệp'
    content = content_unit(owners(table, master), claimed)
    if content is not None:
        by_codes = f"mã nhiệm vụ trong bảng (thuộc đơn vị {content})"
        return Identity(content, round_id, how=by_codes, claimed=claimed, claimed_how=how)
    if claimed:
        return Identity(claimed, round_id, how=how, claimed=claimed, claimed_how=how)
    by_sender = master.unit(sender) if sender else None
    if by_sender is not None:
        return Identity(by_sender.code, round_id, how=f"địa chỉ thư điện tử người gửi ({by_sender.email})")
    found_in_name = unit_in_name(file, master)  # a weak hint, used only when the table says nothing
    if found_in_name:
        return Identity(found_in_name[0], round_id, how=found_in_name[1])
    return None


def unit_in_name(file: str, master: Master) -> tuple[str, str] | None:
    """(unit, how) when the file's name carries one unit's code or, failing that, its name."""
    stem = fold_key(PurePosixPath(file).stem)
    tokens = set(stem.split())
    by_code = [u.code for u in master.units if fold_key(u.code) in tokens]
    if len(by_code) == 1:
        return by_code[0], f'mã đơn vị "{by_code[0]}" trong tên tệp'
    units = {u.code: fold_key(u.name) for u in master.units}
    scored = sorted(((fuzz.partial_ratio(n, stem), c) for c, n in units.items() if len(n) >= 6),
                    reverse=True)
    if scored and scored[0][0] >= 90 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1], "tên đơn vị trong tên tệp"
    return None


def _a1(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col))
