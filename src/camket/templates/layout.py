"""Where things are in the ``Báo cáo`` sheet of a template (shared by writer and tests)."""

from __future__ import annotations

import datetime as dt
import re

from xlsxwriter.utility import xl_col_to_name

from ..model import Round
from ..schema import GUIDE_SHEET, PROBLEMS_SHEET, REPORT, Column
from ..vi import format_date

__all__ = ["ADDED_MARKER", "FROZEN_COLUMNS", "GUIDE_SHEET", "HEADER_ROW", "PROBLEMS_SHEET", "WIDTHS", "ZOOM", "col",
           "example_date", "hint", "letter"]

HEADER_ROW = 6  # 0-based: Excel row 7 holds the column labels; tasks start on row 8
ADDED_MARKER = "NHIỆM VỤ PHÁT SINH"
FROZEN_COLUMNS = 3  # STT, Mã nhiệm vụ, Nội dung nhiệm vụ stay on screen while the inputs scroll
ZOOM = 90           # the Báo cáo sheet opens at 90%: on a 1366-pixel screen the inputs up to
                    # "Kết quả" are in view beside the frozen task column, "Khó khăn, vướng mắc" begins

# Column widths of the Báo cáo sheet. The read-only columns after the frozen block are kept
# narrow (their text wraps), so on a 1366-pixel screen the yellow inputs start mid-screen.
WIDTHS = {c.key: c.width for c in REPORT.columns} | {
    "content": 34, "group": 10, "product": 11, "target": 10, "deadline": 10.5, "points": 6.5,
    "status": 14, "progress": 8, "achieved": 8.5, "completed_on": 11, "result": 22, "difficulties": 22,
    "proposals": 18, "self_score": 8,
}


def col(key: str) -> int:
    """0-based column of a REPORT column key."""
    return _COLUMNS[key]


_COLUMNS = {c.key: i for i, c in enumerate(REPORT.columns)}


def letter(key: str) -> str:
    """Column letter of a REPORT column key (``"status"`` -> ``"I"``)."""
    return str(xl_col_to_name(col(key)))


def example_date(round_: Round, year: int) -> dt.date:
    """A completion date to show as an example: the 15th of the reporting month (or the
    reporting date itself, early in a month), always inside the cell's own validation
    (1 January of the programme's year to the round's due date)."""
    day = round_.as_of.replace(day=15) if round_.as_of.day > 15 else round_.as_of
    return min(max(day, dt.date(year, 1, 1)), round_.due)


_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def hint(column: Column, round_: Round, year: int) -> str:
    """A column's instructions for this round: an example date is one the cell accepts."""
    return _DATE.sub(format_date(example_date(round_, year)), column.hint)
