"""Reading a workbook's cells with python-calamine (xlsx, xlsm, xls, ods), from bytes, in
memory bounded by what the file holds.

calamine returns a sheet as a rectangle from A1 to its farthest value, built in full (one
value at XFD5000 costs 2,5 GB; an ``.xls`` whose size record lies aborts the process). So
a workbook is measured first (:mod:`.measure`) and camket reads only a *window*: the first
``max_rows`` rows and ``max_columns`` columns, which hold any report table with room to
spare. Values outside it are far cells: left out of an ``.xlsx`` before calamine reads it, of
an ``.xls`` or ``.ods`` after (when its rectangles are small enough to build at all), and
named in a warning (:meth:`Book.findings`).

calamine is a Rust library: besides its own errors, a malformed file can make it panic,
which surfaces as ``pyo3_runtime.PanicException`` (a ``BaseException``). :func:`guarded`
turns any of these into :class:`BookError` so ingest never crashes. A panic on a number
that is no figure (``-INF`` in a date cell) is answered by reading that sheet again with
such numbers as text, so that ingest reports them at their cells.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import python_calamine as calamine

from .. import findings as F
from ..model import Finding, Location
from ..values import shown
from .biff import XlsStreamError, absurd_numbers, workbook_stream
from .extent import Extent, Window, cell_name
from .limits import Limits
from .measure import OLE_MAGIC, Measured, area, measure, rewritten
from .readerrors import BookError, EncryptedError, ReaderPanic, RefusedError, SheetLostError, explain

__all__ = ["Book", "BookError", "EncryptedError", "RefusedError", "guarded", "open_book"]

T = TypeVar("T")
_KEPT_SHEETS = 3  # sheets whose rows are kept once read (the report, the metadata, one more)


def guarded(call: Callable[[], T], sheet: str = "") -> T:
    """``call()``, any error of the reader raised as a :class:`BookError` that says in Vietnamese
    what is wrong (with ``sheet``, the sheet being read)."""
    try:
        return call()
    except calamine.PasswordError as exc:
        raise EncryptedError(str(exc)) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:
        kind, message = type(exc).__name__, str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if "password" in message.lower() or "encrypt" in message.lower():
            raise EncryptedError(message) from None
        if kind == "WorksheetNotFound" and sheet:
            raise SheetLostError(sheet) from None
        if kind == "PanicException":
            raise ReaderPanic(*explain(kind, message, sheet)) from None
        raise BookError(*explain(kind, message, sheet)) from None


def _open(data: bytes) -> Any:
    return guarded(lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))


@dataclass
class Book:
    """Sheet names and visibility, with lazily read rows (each within the window)."""

    raw: Any
    names: list[str]
    visibility: dict[str, str]
    window: Window
    measured: Measured
    _cache: OrderedDict[str, list[list[Any]]] = field(default_factory=OrderedDict)
    _far: dict[str, Extent] = field(default_factory=dict)

    def rows(self, name: str) -> list[list[Any]]:
        """The sheet's cells from A1 within the window (the last few sheets read are kept)."""
        if name in self._cache:
            self._cache.move_to_end(name)
        else:
            self._cache[name] = self._read(name)
            while len(self._cache) > _KEPT_SHEETS:
                self._cache.popitem(last=False)
        return self._cache[name]

    def findings(self, file: str) -> list[Finding]:
        """A warning for each sheet read whose far cells were left out."""
        return [F.CELLS_OUTSIDE_TABLE(Location(file, sheet, cell_name(*extent.first_far)), sheet=sheet,
                                      count=extent.far, cell=cell_name(*extent.first_far), area=area(self.window))
                for sheet, extent in self._far.items() if extent.first_far is not None]

    def _read(self, name: str) -> list[list[Any]]:
        try:
            rows = _cells(self.raw, name)
        except ReaderPanic:
            if self.measured.package is None:
                raise self._xls_absurd() or ReaderPanic(f'sheet "{name}" có giá trị không đọc được', name) from None
            self.raw = _open(rewritten(self.measured, name, self.window))
            rows = _cells(self.raw, name)
        extent = self.measured.extents.get(name)
        if extent is not None and extent.far:
            self._far[name] = extent
            rows = [row[: self.window.cols] for row in rows[: self.window.rows]]
        return rows

    def _xls_absurd(self) -> RefusedError | None:
        """An .xls whose reading failed on a number that is no figure: refused, naming the cell."""
        data = self.measured.data
        if not data.startswith(OLE_MAGIC):
            return None
        try:
            found = absurd_numbers(workbook_stream(data))
        except XlsStreamError:
            return None
        if not found:
            return None
        index, row, col, value = found[0]
        sheet, cell = self.names[index] if index < len(self.names) else "", cell_name(row, col)
        return RefusedError(sheet, cell, f"ô {cell} chứa số không đọc được ({shown(value)})", kind="corrupt")


def _cells(raw: Any, name: str) -> list[list[Any]]:
    sheet = guarded(lambda: raw.get_sheet_by_name(name), name)
    rows: list[list[Any]] = guarded(lambda: sheet.to_python(skip_empty_area=False), name)
    return rows


def open_book(data: bytes, limits: Limits) -> Book:
    """The workbook in ``data``, measured before calamine builds any of it. Raises
    :class:`BookError` (:class:`RefusedError` when it must not be read)."""
    window = Window(limits.max_rows, limits.max_columns)
    measured = measure(data, limits)
    raw = _open(measured.data)
    metadata = guarded(lambda: raw.sheets_metadata)
    names = [m.name for m in metadata]
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1].lower() for m in metadata}
    if data.startswith(OLE_MAGIC) and len(measured.extents) == len(names):  # BIFF names may be in a code page
        measured.extents = dict(zip(names, measured.extents.values(), strict=True))
    return Book(raw, names, visibility, window, measured)
