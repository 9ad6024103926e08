"""Formula cells that carry no value (xlsx only).

Excel, LibreOffice and WPS store each formula with its last value, which calamine
reads. Some programs (openpyxl, converters) store the formula alone; such a cell reads
as empty although the office typed something. This finds those cells of one sheet so
ingest can say so instead of silently treating them as blank. The sheet's part is found
through the workbook's relationships (parsed with defusedxml) and its cells are placed
exactly as the reader places them (:func:`.extent.xlsx_cells`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

from .extent import cell_name, holds_value, xlsx_cells
from .package import PartError, package_of

__all__ = ["uncached_formulas"]

_HAS_FORMULA = (re.compile(rb"<f[\s/>]"), re.compile(rb":f[\s/>]"))  # not "<formula>" of validations
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?f(?=[\s/>])[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.\-]*:)?f\s*>)", re.S)


def _formulas_in(xml: bytes) -> bool:
    return any(pattern.search(xml) is not None for pattern in _HAS_FORMULA)


def uncached_formulas(data: bytes, sheet: str) -> dict[str, str]:
    """``{cell: formula}`` of the formula cells of ``sheet`` that store no value."""
    package = package_of(data)
    if package is None:
        return {}
    try:
        if not any(not package.small(p) or _formulas_in(package.read(p)) for p in package.worksheets()):
            return {}  # the usual workbook: no formula anywhere (known without reading workbook.xml)
        part = package.sheet_parts().get(sheet)
        if part is None or not _any_formula(package.chunks(part)):
            return {}
        return _uncached(package.chunks(part))
    except PartError:
        return {}


def _any_formula(chunks: Iterator[bytes]) -> bool:
    tail = b""
    for chunk in chunks:
        if _formulas_in(tail + chunk):
            return True
        tail = chunk[-16:]
    return False


def _uncached(chunks: Iterator[bytes]) -> dict[str, str]:
    found: dict[str, str] = {}
    for row, col, _, body in xlsx_cells(chunks):
        if body is None or holds_value(body):
            continue
        formula = _FORMULA.search(body)
        if formula is not None:
            found[cell_name(row, col)] = _text((formula.group(1) or b"").decode("utf-8", "replace"))
    return found


def _text(xml: str) -> str:
    """The text of an XML element's content: entities and character references (``&#224;``, as
    openpyxl writes letters outside ASCII in a formula) decoded.

    >>> _text('"Ho&#224;n th&#xE0;nh" &amp; &quot;x&quot;')
    '"Hoàn thành" & "x"'
    """
    return unescape(xml) if "&" in xml else xml
