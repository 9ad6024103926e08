"""Why a workbook cannot be read, or is refused before it is read."""

from __future__ import annotations

from .. import findings as F
from ..model import Finding, Location

__all__ = ["BookError", "EncryptedError", "ReaderPanic", "RefusedError"]


class BookError(Exception):
    """The workbook cannot be read."""


class EncryptedError(BookError):
    """The workbook needs a password to open."""


class ReaderPanic(BookError):
    """calamine panicked (a value it cannot convert, such as ``-INF`` in a date cell)."""


class RefusedError(BookError):
    """The workbook is refused before it is read; :meth:`finding` says why, at the cell.

    ``kind``: ``"too-large"`` (a sheet reaches too far), ``"too-much"`` (more cells or text
    than a report holds), ``"unsafe"`` (a claim no spreadsheet program writes) or ``"corrupt"``.
    """

    def __init__(self, sheet: str, cell: str, reason: str, kind: str = "too-large") -> None:
        super().__init__(reason)
        self.sheet, self.cell, self.reason, self.kind = sheet, cell, reason, kind

    def finding(self, file: str) -> Finding:
        where = Location(file, self.sheet, self.cell)
        if self.kind == "unsafe":
            return F.FILE_UNSAFE(where, reason=self.reason)
        if self.kind == "corrupt":
            return F.FILE_CORRUPT(where, reason=self.reason)
        if self.kind == "too-much":
            return F.FILE_TOO_LARGE(where, reason=self.reason)
        return F.SHEET_TOO_LARGE(where, sheet=self.sheet, cell=self.cell, reason=self.reason)
