"""Reading a workbook's cells with python-calamine (xlsx, xlsm, xls, ods), from bytes.

calamine is a Rust library: besides its own errors, a malformed file can make it
panic, which surfaces as ``pyo3_runtime.PanicException`` (a ``BaseException``).
:func:`guarded` turns any of these into :class:`BookError` so ingest never crashes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import python_calamine as calamine

__all__ = ["Book", "BookError", "EncryptedError", "TooTallError", "guarded", "open_book"]

T = TypeVar("T")


class BookError(Exception):
    """The workbook cannot be read."""


class EncryptedError(BookError):
    """The workbook needs a password to open."""


class TooTallError(BookError):
    """A sheet has more rows than allowed."""

    def __init__(self, sheet: str, rows: int) -> None:
        super().__init__(f"{sheet}: {rows} rows")
        self.sheet, self.rows = sheet, rows


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
        raise BookError(message) from None


@dataclass
class Book:
    """Sheet names and visibility, with lazily read rows."""

    raw: Any
    names: list[str]
    visibility: dict[str, str]

    max_rows: int = 1_000_000
    _cache: dict[str, list[list[Any]]] | None = None

    def rows(self, name: str) -> list[list[Any]]:
        """The sheet's cells from A1 (read once); raises TooTallError past ``max_rows``."""
        if self._cache is None:
            self._cache = {}
        if name not in self._cache:
            sheet = guarded(lambda: self.raw.get_sheet_by_name(name))
            height = int(sheet.height)
            if height > self.max_rows:
                raise TooTallError(name, height)
            self._cache[name] = guarded(lambda: sheet.to_python(skip_empty_area=False))
        return self._cache[name]


def open_book(data: bytes, max_rows: int = 1_000_000) -> Book:
    raw = guarded(lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))
    metadata = guarded(lambda: raw.sheets_metadata)
    names = [m.name for m in metadata]
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1].lower() for m in metadata}
    return Book(raw, names, visibility, max_rows)
