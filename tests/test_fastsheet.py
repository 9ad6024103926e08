"""fastsheet writes rows behind xlsxwriter's back (its Format indexes, zipfile's compression
level): the workbook it makes must read, cell by cell, exactly as the same rows written by
plain xlsxwriter. This test is why pyproject pins the xlsxwriter versions fastsheet was
tested with."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as calamine
import xlsxwriter

from camket.fastsheet import FastRows, splice

ROWS: list[list[Any]] = [
    ["Đã ban hành văn bản", 100, 0.8, dt.date(2022, 6, 15), True, None],
    ["a & b < c > d", -3, 1e-7, dt.datetime(2022, 6, 15, 13, 30), False, ""],
    ["  leading and trailing spaces  ", 2**31, 123456789.125, dt.date(1900, 3, 1), None, "x"],
    ['=HYPERLINK("http://example.com","bấm")', 0, -0.5, None, True, "+84 912"],
    ["dòng 1\ndòng 2", 7, 66.5, dt.date(2023, 1, 1), False, "_x0041_ giữ nguyên"],
    ["@SUM(1+1)", 1, 2.0, dt.date(2022, 12, 31), True, "-Đề nghị"],
]
HEIGHTS = [None, 30.0, None, 45.5, None, None]


def formats(book: Any) -> list[Any]:
    return [
        book.add_format({"text_wrap": True, "valign": "top", "border": 1, "locked": False}),
        book.add_format({"num_format": "#,##0", "bold": True, "bg_color": "#FFF2CC"}),
        book.add_format({"num_format": "0.0%", "font_color": "#C00000", "italic": True}),
        book.add_format({"num_format": "dd/mm/yyyy", "align": "center"}),
        None,
        book.add_format({"font_name": "Times New Roman", "font_size": 13, "underline": 1}),
    ]


def header(sheet: Any, styles: list[Any]) -> None:
    """Rows xlsxwriter writes itself, before and after the table (spliced in order)."""
    sheet.write_string(0, 0, "BÁO CÁO", styles[1])
    sheet.write_string(1, 0, "Ghi chú dưới bảng", styles[0])


def plain(path: Path) -> None:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Bảng")
    styles = formats(book)
    header(sheet, styles)
    for r, (values, height) in enumerate(zip(ROWS, HEIGHTS, strict=True), start=3):
        if height:
            sheet.set_row(r, height)
        for c, (value, style) in enumerate(zip(values, styles, strict=True)):
            if isinstance(value, str):
                if value:
                    sheet.write_string(r, c, value, style)
                elif style is not None:
                    sheet.write_blank(r, c, None, style)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, style)
            elif value is None:
                if style is not None:
                    sheet.write_blank(r, c, None, style)
            else:
                sheet.write(r, c, value, style)
    sheet.write_string(len(ROWS) + 4, 0, "Người lập biểu", styles[1])
    book.close()


def fast(path: Path, memory: bool) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Bảng")
    styles = formats(book)
    header(sheet, styles)
    rows = FastRows(sheet, 3, memory=memory)
    for values, height in zip(ROWS, HEIGHTS, strict=True):
        rows.add(values, styles, height=height)
    sheet.write_string(len(ROWS) + 4, 0, "Người lập biểu", styles[1])
    book.close()
    path.write_bytes(b"")
    splice(path, [rows], source=buffer.getvalue())


def style_of(cell: Any) -> tuple[Any, ...]:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    return (cell.number_format, font.b, font.i, font.u, font.name, font.sz, font.color and font.color.rgb,
            fill.fill_type, fill.fgColor.rgb, border.left.style, border.top.style, align.horizontal,
            align.vertical, align.wrap_text, cell.protection.locked)


def dump(path: Path) -> tuple[list[tuple[Any, ...]], dict[int, float]]:
    """Each cell: its value and type as camket's reader (calamine) reads it, its style as openpyxl
    reads it (openpyxl does not decode ``_xHHHH_`` in inline strings, so it is not asked for values);
    and the row heights."""
    values = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Bảng").to_python(
        skip_empty_area=False)
    sheet = openpyxl.load_workbook(path)["Bảng"]
    cells = []
    for row in sheet.iter_rows():
        for cell in row:
            value = values[cell.row - 1][cell.column - 1] if cell.row <= len(values) else ""
            if value != "" or cell.has_style:
                cells.append((cell.coordinate, value, type(value).__name__, *style_of(cell)))
    return cells, {r: d.height for r, d in sheet.row_dimensions.items() if d.height}


@pytest.mark.parametrize("memory", [False, True])
def test_fast_rows_read_cell_by_cell_as_plain_xlsxwriter_rows(tmp_path: Path, memory: bool) -> None:
    plain(tmp_path / "plain.xlsx")
    fast(tmp_path / "fast.xlsx", memory)
    (expected, plain_heights), (cells, fast_heights) = dump(tmp_path / "plain.xlsx"), dump(tmp_path / "fast.xlsx")
    assert cells == expected
    values = {c[1] for c in expected}
    assert {dt.datetime(2022, 6, 15, 13, 30), "a & b < c > d", "_x0041_ giữ nguyên", 2**31} <= values
    # xlsxwriter rounds a row height to Excel's pixel grid (0,75 pt); fastsheet writes it as given
    assert plain_heights.keys() == fast_heights.keys()
    assert all(abs(plain_heights[r] - fast_heights[r]) < 0.75 for r in plain_heights)


def test_xlsxwriter_is_a_version_fastsheet_was_tested_with() -> None:
    """fastsheet reads ``Format._get_xf_index``; pyproject pins xlsxwriter to the tested series."""
    major, minor = (int(x) for x in xlsxwriter.__version__.split(".")[:2])
    assert (major, minor) == (3, 3)
    assert callable(getattr(xlsxwriter.format.Format, "_get_xf_index", None))
