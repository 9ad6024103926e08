"""Write ``danh-muc.xlsx`` the way the organizing department will edit it in Excel:
styled header, widths, frozen header row, autofilter, dropdowns for Khối/Nhóm/Nguồn
and unit codes (warnings, so a new value can still be typed), and an instructions sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .atomic import atomic_path
from .schema import MASTER_TASKS, MASTER_UNITS, Kind, Sheet
from .values import ONGOING

__all__ = ["write_master"]

_LIST_ROWS = 200  # room in the hidden list sheet for values the department adds
_DATA_ROWS = 2000  # rows covered by validations below the header

_GUIDE = [
    ("DANH MỤC ĐƠN VỊ VÀ NHIỆM VỤ CAM KẾT", "title"),
    ("Tệp này là danh mục gốc mà camket dùng để lập mẫu báo cáo và tổng hợp kết quả.", ""),
    ('Sheet "Đơn vị": mỗi dòng một cơ quan, đơn vị có thủ trưởng ký cam kết.', "head"),
    ("• Mã đơn vị: viết liền, không dấu (ví dụ VPC, TTR); dùng để ghép nhiệm vụ với đơn vị.", ""),
    ("• Khối: nhóm đơn vị để tổng hợp (ví dụ Cơ quan hành chính, Đơn vị sự nghiệp).", ""),
    ("• Email: địa chỉ nhận mẫu báo cáo; dùng cho danh sách gửi thư.", ""),
    ('Sheet "Nhiệm vụ": mỗi dòng một nhiệm vụ trọng tâm đã cam kết.', "head"),
    ("• Mã nhiệm vụ: duy nhất trong danh mục (ví dụ VPC-01).", ""),
    ('• Mã đơn vị: phải có trong sheet "Đơn vị".', ""),
    ("• Nhóm, Nguồn: để tổng hợp số liệu theo nhóm nhiệm vụ và theo nguồn giao.", ""),
    ("• Chỉ tiêu định lượng: ghi một số và đơn vị tính (12 lớp; ≥ 95% hồ sơ; 1.200 người; không quá 5 ngày);", ""),
    ("   đơn vị báo cáo Giá trị đạt được để so với chỉ tiêu. Chỉ tiêu định tính ghi bằng lời.", ""),
    ("   Có thể thay bằng hai cột Chỉ tiêu (số) và Đơn vị tính (thêm vào sheet Nhiệm vụ).", ""),
    ("• Thời hạn: ngày/tháng/năm (30/06/2022), tháng/năm (6/2022 = cuối tháng 6), "
     f'quý (Quý II/2022), năm (2022) hoặc "{ONGOING}" (không tính quá hạn).', ""),
    ("• Điểm tối đa: số điểm của nhiệm vụ khi chấm điểm, tự chấm và thẩm định.", ""),
    ('• Nhiệm vụ khó: đánh dấu "x" nếu là nhiệm vụ khó, đột phá (dùng khi có điểm thưởng).', ""),
    ("• Mã nhiệm vụ cấp trên: mã nhiệm vụ của cấp trên mà nhiệm vụ này góp phần thực hiện.", ""),
    ("Sau khi sửa, chạy lệnh: camket check  (kiểm tra), rồi camket templates --round <mã kỳ>.", "head"),
    ("Có thể thêm dòng tiêu đề phía trên, thêm cột riêng, đổi chữ hoa/thường của tiêu đề: "
     "camket vẫn đọc được. Không đổi tên sheet.", ""),
]


def write_master(
    path: Path,
    units: Sequence[dict[str, Any]],
    tasks: Sequence[dict[str, Any]],
    lists: dict[str, Sequence[str]] | None = None,
) -> None:
    """Write the master workbook; ``units``/``tasks`` are rows keyed by column key.

    ``lists`` gives the dropdown values of ``block``, ``group`` and ``source``
    (by default, the values found in the rows).
    """
    lists = dict(lists or {})
    for key, rows in (("block", units), ("group", tasks), ("source", tasks)):
        lists.setdefault(key, sorted({str(r[key]) for r in rows if r.get(key)}))
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        book.set_properties({"title": "Danh mục đơn vị và nhiệm vụ cam kết", "author": "camket",
                             "created": dt.datetime(2000, 1, 1)})
        styles = _styles(book)
        _data_sheet(book, MASTER_UNITS, units, styles)
        _data_sheet(book, MASTER_TASKS, tasks, styles)
        _guide_sheet(book, styles)
        _lists_sheet(book, lists)
        _validations(book)
        book.close()


def _styles(book: Any) -> dict[str, Any]:
    return {
        "header": book.add_format({
            "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "border": 1,
            "text_wrap": True, "valign": "vcenter", "align": "center", "font_name": "Times New Roman",
            "font_size": 12}),
        "text": book.add_format({"text_wrap": True, "valign": "top", "border": 1,
                                 "font_name": "Times New Roman", "font_size": 12}),
        "date": book.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1,
                                 "align": "center", "font_name": "Times New Roman", "font_size": 12}),
        "number": book.add_format({"num_format": "#,##0.##", "valign": "top", "border": 1,
                                   "font_name": "Times New Roman", "font_size": 12}),
        "title": book.add_format({"bold": True, "font_size": 14, "font_name": "Times New Roman"}),
        "head": book.add_format({"bold": True, "font_size": 12, "font_name": "Times New Roman",
                                 "text_wrap": True}),
        "plain": book.add_format({"font_size": 12, "font_name": "Times New Roman", "text_wrap": True}),
    }


def _data_sheet(book: Any, sheet: Sheet, rows: Sequence[dict[str, Any]], styles: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet.name)
    ws.set_row(0, 32)
    for col, column in enumerate(sheet.columns):
        ws.set_column(col, col, column.width)
        ws.write_string(0, col, column.header, styles["header"])
    for r, row in enumerate(rows, start=1):
        for col, column in enumerate(sheet.columns):
            value = row.get(column.key)
            if value is None or value == "":
                ws.write_blank(r, col, None, styles["text"])
            elif isinstance(value, dt.date):
                ws.write_datetime(r, col, dt.datetime.combine(value, dt.time()), styles["date"])
            elif isinstance(value, int | float) and column.kind in (Kind.NUMBER, Kind.INTEGER):
                ws.write_number(r, col, value, styles["number"])
            else:
                ws.write_string(r, col, str(value), styles["text"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(rows)), len(sheet.columns) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def _guide_sheet(book: Any, styles: dict[str, Any]) -> None:
    ws = book.add_worksheet("Hướng dẫn")
    ws.set_column(0, 0, 110)
    for r, (text, style) in enumerate(_GUIDE):
        ws.write_string(r, 0, text, styles[style or "plain"])


def _lists_sheet(book: Any, lists: dict[str, Sequence[str]]) -> None:
    ws = book.add_worksheet("Danh sách")
    for col, key in enumerate(("block", "group", "source")):
        column = (MASTER_UNITS if key == "block" else MASTER_TASKS)[key]
        ws.write_string(0, col, column.header)
        for r, value in enumerate(lists.get(key, ()), start=1):
            ws.write_string(r, col, value)
        letter = xl_col_to_name(col)
        book.define_name(f"DS_{key}", f"='Danh sách'!${letter}$2:${letter}${_LIST_ROWS + 1}")
    ws.hide()


def _list_rule(source: str, column: Any) -> dict[str, Any]:
    return {
        "validate": "list", "source": source, "error_type": "warning",
        "input_title": column.header[:32],
        "input_message": "Chọn trong danh sách hoặc gõ giá trị mới (thêm vào sheet Danh sách).",
        "error_title": "Giá trị chưa có trong danh sách",
        "error_message": "Giá trị này chưa có trong danh sách. Bấm Yes để vẫn dùng.",
    }


def _validations(book: Any) -> None:
    units = book.get_worksheet_by_name(MASTER_UNITS.name)
    tasks = book.get_worksheet_by_name(MASTER_TASKS.name)
    last = _DATA_ROWS
    col = MASTER_UNITS.index("block")
    units.data_validation(1, col, last, col, _list_rule("=DS_block", MASTER_UNITS["block"]))
    for key in ("group", "source"):
        col = MASTER_TASKS.index(key)
        tasks.data_validation(1, col, last, col, _list_rule(f"=DS_{key}", MASTER_TASKS[key]))
    col = MASTER_TASKS.index("unit_code")
    code_range = f"='{MASTER_UNITS.name}'!$A$2:$A${last + 1}"
    tasks.data_validation(1, col, last, col, _list_rule(code_range, MASTER_TASKS["unit_code"]))
    col = MASTER_TASKS.index("points")
    tasks.data_validation(1, col, last, col, {
        "validate": "decimal", "criteria": ">=", "value": 0,
        "input_title": "Điểm tối đa", "input_message": "Số không âm, ví dụ 20 hoặc 12,5.",
        "error_title": "Điểm không hợp lệ", "error_message": "Điểm tối đa phải là số không âm.",
    })
    col = MASTER_TASKS.index("hard")
    tasks.data_validation(1, col, last, col, {
        "validate": "list", "source": ["x"], "input_title": "Nhiệm vụ khó, đột phá",
        "input_message": 'Ghi "x" nếu là nhiệm vụ khó, đột phá; để trống nếu không.',
        "error_title": "Chỉ ghi x", "error_message": 'Ghi "x" hoặc để trống.',
    })
