"""One function that makes any text safe for every file camket writes.

The ledger keeps what offices typed, and a cell can hold anything a spreadsheet can:
control characters, a vertical tab (Word's manual line break pasted into Excel), form
feeds, lone surrogates decoded from ``_xD800_``, the non-characters U+FFFE/U+FFFF, or
a whole document pasted into one cell. XML 1.0 forbids most of these, so lxml (Word),
openpyxl and the UTF-8 encoder refuse them. :func:`safe_text` turns them into what a
reader expects to see: line breaks stay line breaks, invisible controls disappear, a
broken character shows as U+FFFD, and an over-long text is cut with an ellipsis.
"""

from __future__ import annotations

import re

__all__ = ["XLSX_CELL_LIMIT", "safe_text", "without_surrogates"]

XLSX_CELL_LIMIT = 32_767  # characters a spreadsheet cell holds (Excel's limit)

_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_DROPPED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_text(text: str, limit: int | None = None) -> str:
    """``text`` with nothing any writer refuses; at most ``limit`` characters.

    >>> safe_text("Dòng 1\\x0bDòng 2\\x00")
    'Dòng 1\\nDòng 2'
    >>> safe_text("abcdef", limit=4)
    'abc…'
    """
    if not text.isprintable():  # one C pass clears ordinary text (tabs and newlines come here too)
        text = _SURROGATE.sub("\ufffd", _DROPPED.sub("", _BREAKS.sub("\n", text)))
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a byte of a name no codec could decode) shown as U+FFFD,
    so that it can be written as UTF-8; anything else is kept as it is.

    >>> without_surrogates("VTV-\\udcff.xlsx")
    'VTV-\ufffd.xlsx'
    """
    if text.isprintable() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)
