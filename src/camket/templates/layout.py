"""Where things are in the ``Báo cáo`` sheet of a template (shared by writer and tests)."""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name

from ..schema import REPORT

__all__ = ["ADDED_MARKER", "GUIDE_SHEET", "HEADER_ROW", "PROBLEMS_SHEET", "col", "letter"]

HEADER_ROW = 6  # 0-based: Excel row 7 holds the column labels; tasks start on row 8
GUIDE_SHEET = "Hướng dẫn"
PROBLEMS_SHEET = "Cần sửa"
ADDED_MARKER = "NHIỆM VỤ PHÁT SINH"


def col(key: str) -> int:
    """0-based column of a REPORT column key."""
    return _COLUMNS[key]


_COLUMNS = {c.key: i for i, c in enumerate(REPORT.columns)}


def letter(key: str) -> str:
    """Column letter of a REPORT column key (``"status"`` -> ``"I"``)."""
    return str(xl_col_to_name(col(key)))
