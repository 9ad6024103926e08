"""Small helpers for the workbooks camket writes with xlsxwriter.

- :func:`write_value` writes any value by type; text is always text (never a formula,
  number or URL), so a cell from an office starting with ``=`` stays literal;
- :func:`row_height` estimates the height of a row of wrapped text, because neither
  Excel nor LibreOffice grows rows of generated files by itself;
- :func:`text_ems` estimates how wide a text is in Times New Roman, to size a column
  or a chart's labels to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from .safetext import XLSX_CELL_LIMIT, safe_text
from .vi import fold

__all__ = ["WORKBOOK_OPTIONS", "row_height", "text_ems", "write_value"]

# in_memory: small workbooks are built without temporary files (it turns constant_memory off,
# so large outputs pass "in_memory": False, "constant_memory": True)
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                    "in_memory": True}


def write_value(ws: Any, row: int, col: int, value: Any, cell_format: Any = None) -> None:
    """Write ``value`` by its type; ``None``/``""`` as a blank that keeps the format."""
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_string(row, col, "TRUE" if value else "FALSE", cell_format)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, cell_format)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), cell_format)
    elif isinstance(value, int | float):
        if math.isfinite(value):
            ws.write_number(row, col, value, cell_format)
        else:
            ws.write_string(row, col, str(value), cell_format)
    else:
        ws.write_string(row, col, safe_text(str(value), XLSX_CELL_LIMIT), cell_format)


def row_height(cells: Iterable[tuple[Any, float]], font_size: float = 11, minimum: float = 15) -> float:
    """Points needed to show every ``(text, column width)`` cell wrapped.

    A column width counts characters of the default font; Times New Roman text fits
    about 1.1 characters per unit at 11 pt (fewer at larger sizes).
    """
    per_unit = 1.1 * 11 / font_size
    lines = 1
    for value, width in cells:
        if not isinstance(value, str) or not value:
            continue
        capacity = max(1, int(width * per_unit) - 1)
        if len(value) <= capacity and "\n" not in value:
            continue
        needed = sum(-(-len(part) // capacity) or 1 for part in value.split("\n"))
        if needed > lines:
            lines = needed
    return max(minimum, round(lines * font_size * 1.32 + 3, 1))


# widths of Times New Roman's letters in ems (a letter with diacritics as wide as its base letter)
_EMS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", (
    .722, .667, .667, .722, .611, .556, .722, .722, .333, .389, .722, .611, .889, .722, .722, .556, .722, .667,
    .556, .611, .722, .722, .944, .722, .722, .611, .444, .5, .444, .5, .444, .333, .5, .5, .278, .278, .5, .278,
    .778, .5, .5, .5, .5, .333, .389, .278, .5, .5, .722, .5, .5, .444), strict=True)) | {
    " ": .25, ",": .25, ".": .25, "-": .333, "(": .333, ")": .333, "…": 1.0}


def text_ems(text: str) -> float:
    """How wide ``text`` is in Times New Roman, in ems (digits and other signs count half an em).

    >>> round(text_ems("BGD-GD-01"), 2)
    5.22
    """
    total = 0.0
    for ch in text:
        base = fold(ch)[:1] if ch.isalpha() else ch
        total += _EMS.get(base.upper() if ch.isupper() else base, .5)
    return total
