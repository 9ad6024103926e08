"""Where things are in the ``Báo cáo`` sheet of a template (shared by writer and tests)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence

from xlsxwriter.utility import xl_col_to_name

from ..model import Round
from ..schema import GUIDE_SHEET, NOTES_SHEET, PROBLEMS_SHEET, REPORT, Column
from ..vi import format_date
from ..xlsxkit import text_ems

__all__ = ["ADDED_MARKER", "FROZEN_COLUMNS", "GUIDE_SHEET", "HEADER_ROW", "NOTES_SHEET", "PROBLEMS_SHEET", "WIDTHS",
           "ZOOM", "col", "example_date", "fit_height", "hint", "letter", "widths"]

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


_CODE_MAX = 16  # "Mã nhiệm vụ" grows to this width at most ("Nội dung nhiệm vụ" keeps 28)


def widths(codes: Iterable[str]) -> dict[str, float]:
    """The column widths for these task codes: "Mã nhiệm vụ" as wide as the longest code
    (11 pt Times New Roman, centred with room on both sides), "Nội dung nhiệm vụ" as much
    narrower, so the frozen block keeps its width and the inputs their place on screen.

    >>> widths(["VPC-01"])["task_code"], widths(["BGD-PGD1-01"])["task_code"], widths(["BGD-PGD1-01"])["content"]
    (10, 14, 30)
    """
    needed = max((text_ems(code) for code in codes), default=0) * 11 * 4 / 3 + 8  # pixels: text, padding
    code = min(_CODE_MAX, max(WIDTHS["task_code"], math.ceil((needed - 5) / 7)))  # whole: pixels move exactly
    return WIDTHS | {"task_code": code, "content": WIDTHS["content"] - (code - WIDTHS["task_code"])}


_PAGE_PT = 509          # printable height of landscape A4 with 0.6" margins, in points at 100%
_PAGE_PX = 1045         # printable width with 0.4" margins, in pixels at 100%
_LIBREOFFICE_ROWS = 0.95  # LibreOffice prints a row about 5% shorter than Excel at the same scale
_LAST_PAGE_SHORT = 0.2  # a last page holding less than this part of a page is folded into the others …
_SMALLER = 0.8          # … when the print stays at least this part of its size one page wide


def _pages(heights: Sequence[float], repeated: float, capacity: float) -> tuple[int, float]:
    """Pages the rows run onto, and the points the last page holds below its repeated header."""
    pages, used = 1, 0.0
    for height in heights:
        if used + height > capacity and used > repeated:
            pages, used = pages + 1, repeated
        used += height
    return pages, used - (repeated if pages > 1 else 0)


def fit_height(heights: Sequence[float], repeated: float, widths: Iterable[float]) -> int:
    """How many pages tall the sheet prints (``fit_to_pages(1, n)``; 0: as many as it takes).

    ``heights`` are the printed rows' heights in points, ``repeated`` the height of the
    header row printed again on every page, ``widths`` the columns'. Printed one page wide,
    the rows run onto pages; when the last page would hold only a few rows and the
    signature block (in Excel or in LibreOffice), the sheet is fitted to one page fewer,
    a little smaller.

    >>> fit_height([450, 40, 30], 45, [100]), fit_height([400, 300], 45, [100])  # 509 points a page
    (1, 0)
    """
    scale = min(1.0, _PAGE_PX / sum(int(w * 7 + 5) for w in widths))
    for capacity in (_PAGE_PT / scale, _PAGE_PT / scale / _LIBREOFFICE_ROWS):
        pages, last = _pages(heights, repeated, capacity)
        if pages > 1 and last <= _LAST_PAGE_SHORT * capacity:
            fewer = pages - 1
            if _PAGE_PT * fewer / (sum(heights) + repeated * (fewer - 1)) >= _SMALLER * scale:
                return fewer
    return 0


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
