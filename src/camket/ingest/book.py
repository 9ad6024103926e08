"""Reading a workbook's cells with python-calamine (xlsx, xlsm, xls, ods), from bytes, in
memory bounded by what the file holds.

calamine returns a sheet as a rectangle from A1 to its farthest value, and builds that
rectangle in full (one value at XFD5000 costs 2,5 GB; an ``.xls`` whose size record lies
aborts the process). So each sheet's cells are located first (:mod:`.extent`,
:mod:`.biff`) and camket reads only a *window*: the first ``max_rows`` rows and
``max_columns`` columns, which hold any report table with room to spare. Values outside
it are far cells: an ``.xlsx`` sheet is clipped before calamine reads it, an ``.xls`` or
``.ods`` sheet after (when its rectangle is small enough to build at all), and the office
is told which cells were left out. A workbook whose rectangles are too large to build is
refused with a finding before calamine opens it.

calamine is a Rust library: besides its own errors, a malformed file can make it panic,
which surfaces as ``pyo3_runtime.PanicException`` (a ``BaseException``). :func:`guarded`
turns any of these into :class:`BookError` so ingest never crashes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import python_calamine as calamine

from .. import findings as F
from ..model import Finding, Location
from ..values import shown
from ..vi import format_number
from .biff import XlsStreamError, absurd_numbers, workbook_stream, xls_extents
from .extent import Extent, Window, cell_name, ods_extents, quick, xlsx_clip, xlsx_extent
from .limits import Limits
from .package import Package, PartError, package_of
from .sniff import OLE_MAGIC

__all__ = ["Book", "BookError", "EncryptedError", "RefusedError", "guarded", "open_book"]

T = TypeVar("T")
_FILEPASS = 0x002F
_BIFF8_ROWS, _BIFF8_COLS = 65_536, 256


class BookError(Exception):
    """The workbook cannot be read."""


class EncryptedError(BookError):
    """The workbook needs a password to open."""


class ReaderPanic(BookError):
    """calamine panicked (a value it cannot convert, such as ``-INF`` in a date cell)."""


class RefusedError(BookError):
    """The workbook is refused before it is read; :meth:`finding` says why, at the cell."""

    def __init__(self, sheet: str, cell: str, reason: str, kind: str = "too-large") -> None:
        super().__init__(reason)
        self.sheet, self.cell, self.reason, self.kind = sheet, cell, reason, kind

    def finding(self, file: str) -> Finding:
        where = Location(file, self.sheet, self.cell)
        if self.kind == "unsafe":
            return F.FILE_UNSAFE(where, reason=self.reason)
        if self.kind == "corrupt":
            return F.FILE_CORRUPT(where, reason=self.reason)
        return F.SHEET_TOO_LARGE(where, sheet=self.sheet, cell=self.cell, reason=self.reason)


def guarded(call: Callable[[], T]) -> T:
    try:
        return call()
    except calamine.PasswordError as exc:
        raise EncryptedError(str(exc)) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if "password" in message.lower() or "encrypt" in message.lower():
            raise EncryptedError(message) from None
        if type(exc).__name__ == "PanicException":
            raise ReaderPanic(message) from None
        raise BookError(message) from None


def _area(window: Window) -> str:
    return f"A1:{cell_name(window.rows - 1, window.cols - 1)}"


@dataclass
class Book:
    """Sheet names and visibility, with lazily read rows (each within the window)."""

    raw: Any
    names: list[str]
    visibility: dict[str, str]
    window: Window
    package: Package | None = None          # xlsx/xlsm: sheets are located and clipped here
    data: bytes | None = None               # the file (xls: read again to name a cell calamine failed on)
    extents: dict[str, Extent] = field(default_factory=dict)  # ods/xls: measured before opening
    _cache: dict[str, list[list[Any]]] = field(default_factory=dict)
    _far: dict[str, Extent] = field(default_factory=dict)
    _unusual: set[str] | None = None        # xlsx worksheet parts the quick test cannot vouch for

    def rows(self, name: str) -> list[list[Any]]:
        """The sheet's cells from A1 within the window (read once)."""
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def part(self, name: str) -> str | None:
        """The worksheet part of sheet ``name`` (xlsx/xlsm), None for other formats."""
        return None if self.package is None else self.package.sheet_parts().get(name)

    def findings(self, file: str) -> list[Finding]:
        """A warning for each sheet read whose far cells were left out."""
        return [F.CELLS_OUTSIDE_TABLE(Location(file, sheet, cell_name(*extent.first_far)), sheet=sheet,
                                      count=extent.far, cell=cell_name(*extent.first_far), area=_area(self.window))
                for sheet, extent in self._far.items() if extent.first_far is not None]

    def _read(self, name: str) -> list[list[Any]]:
        raw = self.raw
        extent = self.extents.get(name)
        if self.package is not None:
            raw, extent = self._xlsx_sheet(name)
        try:
            rows = _cells(raw, name)
        except ReaderPanic:
            if self.package is None:
                raise self._xls_absurd() or ReaderPanic(f'sheet "{name}" có giá trị không đọc được') from None
            raw, extent = self._xlsx_sheet(name, numbers_as_text=True)
            rows = _cells(raw, name)
        if extent is not None and extent.far:
            self._far[name] = extent
            rows = [row[: self.window.cols] for row in rows[: self.window.rows]]
        return rows

    def _xlsx_sheet(self, name: str, numbers_as_text: bool = False) -> tuple[Any, Extent | None]:
        """The workbook to read sheet ``name`` from: the file itself, or a copy whose sheet part
        lost its far cells (and, with ``numbers_as_text``, holds its absurd numbers as text);
        and the extent when there were far cells."""
        assert self.package is not None
        package = self.package
        try:
            if self._unusual is None:
                self._unusual = {p for p in package.worksheets()
                                 if not package.small(p) or not quick(package.read(p), self.window)}
            if not self._unusual and not numbers_as_text:
                return self.raw, None  # the usual workbook: every sheet within the window
            part = package.sheet_parts().get(name)
            if part is None:
                raise BookError(f'không tìm thấy phần dữ liệu của sheet "{name}"')
            extent = xlsx_extent(package.chunks(part), self.window) if part in self._unusual else Extent()
            if not extent.far and not numbers_as_text:
                return self.raw, None
            rewritten = xlsx_clip(package.chunks(part), self.window, numbers_as_text)
            copy = _replace_part(package, part, rewritten)
        except PartError as exc:
            raise BookError(str(exc)) from None
        return guarded(lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(copy))), extent

    def _xls_absurd(self) -> RefusedError | None:
        """An .xls whose reading failed on a number that is no figure: refused, naming the cell."""
        if self.data is None or not self.data.startswith(OLE_MAGIC):
            return None
        try:
            found = absurd_numbers(workbook_stream(self.data))
        except XlsStreamError:
            return None
        if not found:
            return None
        index, row, col, value = found[0]
        sheet, cell = self.names[index] if index < len(self.names) else "", cell_name(row, col)
        return RefusedError(sheet, cell, f"ô {cell} chứa số không đọc được ({shown(value)})", kind="corrupt")


def _cells(raw: Any, name: str) -> list[list[Any]]:
    sheet = guarded(lambda: raw.get_sheet_by_name(name))
    rows: list[list[Any]] = guarded(lambda: sheet.to_python(skip_empty_area=False))
    return rows


# The parts calamine reads to open a workbook; with them and one sheet, it reads that sheet.
_XLSX_CORE = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
              "xl/styles.xml", "xl/sharedStrings.xml")


def _replace_part(package: Package, part: str, content: bytes) -> bytes:
    """A minimal copy of the package with ``part`` replaced (streamed, recompressed quickly)."""
    buffer = io.BytesIO()
    names = set(package.names())
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name in _XLSX_CORE:
            if name in names:
                with out.open(name, "w", force_zip64=True) as target:
                    for chunk in package.chunks(name):
                        target.write(chunk)
        out.writestr(part, content)
    return buffer.getvalue()


def open_book(data: bytes, limits: Limits) -> Book:
    """The workbook in ``data``, its sheets measured (ods, xls) or to be measured (xlsx)
    before calamine builds them. Raises :class:`BookError` (or a subclass)."""
    window = Window(limits.max_rows, limits.max_columns)
    package = package_of(data)
    extents: dict[str, Extent] = {}
    if data.startswith(OLE_MAGIC):
        extents = _xls_extents(data, window)
    elif package is not None and "content.xml" in package.names():
        extents = _ods_extents(package, window)
    raw = guarded(lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))
    metadata = guarded(lambda: raw.sheets_metadata)
    names = [m.name for m in metadata]
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1].lower() for m in metadata}
    xlsx = package is not None and "xl/workbook.xml" in package.names()
    if data.startswith(OLE_MAGIC) and len(extents) == len(names):
        extents = dict(zip(names, extents.values(), strict=True))  # BIFF names may be in a code page
    return Book(raw, names, visibility, window, package if xlsx else None, data, extents)


def _refuse_if_too_large(extents: dict[str, Extent], slots: int, window: Window, kind: str) -> None:
    """Refuse a workbook whose rectangles, built whole by calamine, would exceed the window's size."""
    if slots <= window.rows * window.cols:
        return
    sheet, extent = max(extents.items(), key=lambda item: item[1].dense)
    cell = cell_name(*extent.first_far) if extent.first_far else cell_name(extent.rows - 1, extent.cols - 1)
    raise RefusedError(sheet, cell, f"tệp {kind} có dữ liệu tới ô {cell}, ngoài vùng {_area(window)} "
                                    "mà camket đọc")


def _ods_extents(package: Package, window: Window) -> dict[str, Extent]:
    try:
        if b"encryption-data" in package.read("META-INF/manifest.xml"):
            raise EncryptedError("tệp .ods được đặt mật khẩu")
    except PartError:
        pass  # no manifest: calamine decides
    try:
        extents = ods_extents(package.chunks("content.xml"), window)
    except (PartError, ValueError) as exc:
        raise BookError(f"content.xml: {exc}") from None
    _refuse_if_too_large(extents, sum(e.dense for e in extents.values()), window, ".ods")
    return extents


def _xls_extents(data: bytes, window: Window) -> dict[str, Extent]:
    try:
        stream = workbook_stream(data)
    except XlsStreamError as exc:
        raise BookError(str(exc)) from None
    if _has_filepass(stream):
        raise EncryptedError("tệp .xls được đặt mật khẩu")
    layout = xls_extents(stream, window)
    for sheet in layout.sheets:
        rows, cols = sheet.claim
        if rows > _BIFF8_ROWS or cols > _BIFF8_COLS:  # no spreadsheet program writes that
            raise RefusedError(sheet.name, "", f"sheet khai báo kích thước {format_number(rows)} dòng × "
                                               f"{format_number(cols)} cột", kind="unsafe")
        if rows * cols > window.rows * window.cols:
            cell = cell_name(rows - 1, cols - 1)
            raise RefusedError(sheet.name, cell, f"tệp .xls có vùng dữ liệu hoặc định dạng tới ô {cell}, "
                                                 f"ngoài vùng {_area(window)} mà camket đọc")
    extents = {sheet.name: sheet.extent for sheet in layout.sheets}
    _refuse_if_too_large(extents, layout.slots, window, ".xls")
    return extents


def _has_filepass(stream: bytes) -> bool:
    """The globals of a BIFF stream say it is encrypted (a FILEPASS record before the first EOF)."""
    pos = 0
    while pos + 4 <= len(stream):
        kind = int.from_bytes(stream[pos:pos + 2], "little")
        length = int.from_bytes(stream[pos + 2:pos + 4], "little")
        if kind == _FILEPASS:
            return True
        if kind == 0x000A:
            return False
        pos += 4 + length
    return False
