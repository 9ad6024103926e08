"""The registration workbook of one unit (*phiếu đăng ký nhiệm vụ*): its common and assigned tasks
pre-filled (code, source and content locked; product, target, deadline, points open for the
head to detail), rows for the head's own tasks, the structure rules that apply, and the signed
metadata (:class:`~camket.stamp.Stamp` of kind ``registration``) that ingest checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ..atomic import atomic_path
from ..config import RegistrationSettings, Settings, StructureRule
from ..model import Task, Unit
from ..safetext import safe_text
from ..schema import REGISTRATION, Kind
from ..stamp import META_SHEET, Stamp, row_hash
from ..vi import fold_key, format_date
from ..xlsxkit import WORKBOOK_OPTIONS, row_height, write_value

__all__ = ["HEADER_ROW", "OWN_MARKER", "RegistrationJob", "locked_registration", "rules_for", "write_registration"]

HEADER_ROW = 6  # 0-based: the column labels on Excel row 7
OWN_MARKER = "NHIỆM VỤ TỰ ĐĂNG KÝ"
_FONT = {"font_name": "Times New Roman", "font_size": 11}
_INPUT = "#FFF2CC"
_TITLE = "PHIẾU ĐĂNG KÝ NHIỆM VỤ TRỌNG TÂM"


@dataclass(frozen=True)
class RegistrationJob:
    path: Path
    unit: Unit
    tasks: tuple[Task, ...]           # the unit's tasks already in the master list (common, assigned)
    settings: Settings
    registration: RegistrationSettings
    workspace_id: str
    secret: bytes
    generated: dt.datetime
    groups: tuple[str, ...] = ()      # the master list's groups, offered in a dropdown


def locked_registration(task: Task) -> tuple[str, str, str]:
    """The cells of a given task the head cannot change, in the order they are hashed."""
    return task.code, task.source, task.content


def rules_for(unit: Unit, rules: Sequence[StructureRule]) -> list[StructureRule]:
    """The structure rules that apply to ``unit`` (all, or those of its block)."""
    return [r for r in rules if not r.block or fold_key(r.block) == fold_key(unit.block)]


def _formats(book: Any) -> dict[str, Any]:
    base = {**_FONT, "border": 1, "valign": "top", "text_wrap": True}
    add = book.add_format
    return {
        "agency": add({**_FONT, "bold": True, "font_size": 12}),
        "title": add({**_FONT, "bold": True, "font_size": 14}),
        "subtitle": add({**_FONT, "italic": True, "text_wrap": True, "valign": "top"}),
        "label": add({**_FONT, "bold": True, "align": "right"}),
        "value": add(_FONT),
        "date": add({**_FONT, "bold": True, "num_format": "dd/mm/yyyy", "align": "left"}),
        "legend": add({**_FONT, "italic": True, "font_size": 10, "text_wrap": True, "valign": "top"}),
        "header": add({**_FONT, "bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True,
                       "align": "center", "valign": "vcenter"}),
        "locked": add(base),
        "locked_center": add({**base, "align": "center"}),
        "input": add({**base, "locked": False, "bg_color": _INPUT}),
        "input_center": add({**base, "locked": False, "bg_color": _INPUT, "align": "center"}),
        "input_date": add({**base, "locked": False, "bg_color": _INPUT, "align": "center",
                           "num_format": "dd/mm/yyyy"}),
        "marker": add({**_FONT, "bold": True, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True,
                       "valign": "vcenter"}),
        "sign": add({**_FONT, "bold": True, "align": "center"}),
        "sign_note": add({**_FONT, "italic": True, "align": "center"}),
        "guide_title": add({**_FONT, "bold": True, "font_size": 14}),
        "guide_head": add({**_FONT, "bold": True, "font_color": "#1F4E78", "font_size": 12, "text_wrap": True,
                           "valign": "top"}),
        "guide": add({**_FONT, "font_size": 12, "text_wrap": True, "valign": "top"}),
        "guide_due": add({**_FONT, "font_size": 12, "bold": True, "font_color": "#C00000", "valign": "top"}),
    }


def _input_style(key: str, fmt: dict[str, Any]) -> Any:
    kind = REGISTRATION[key].kind
    if kind is Kind.DEADLINE:
        return fmt["input_date"]
    return fmt["input_center"] if kind in (Kind.NUMBER, Kind.FLAG) else fmt["input"]


def _rules_text(job: RegistrationJob) -> list[str]:
    own = job.registration.own_source
    lines = [f'nguồn "{r.source}": {r.allowed} nhiệm vụ' for r in rules_for(job.unit, job.settings.structure)]
    if not any(fold_key(r.source) == fold_key(own) for r in rules_for(job.unit, job.settings.structure)):
        lines.append(f'nhiệm vụ tự đăng ký (nguồn "{own}"): tối đa {job.registration.own_rows} nhiệm vụ')
    return lines


def _guide(book: Any, job: RegistrationJob, fmt: dict[str, Any]) -> Any:
    ws = book.add_worksheet("Hướng dẫn")
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 92)
    contact = job.settings.contact
    send_to = "; ".join(x for x in (contact.unit, contact.email, contact.phone) if x) or job.settings.agency.name
    unit = job.unit
    rows: list[tuple[str, str, str]] = [
        ("HƯỚNG DẪN ĐĂNG KÝ NHIỆM VỤ", "", "guide_title"),
        ("", job.settings.title, "guide"),
        ("Đơn vị", f"{unit.name} (mã {unit.code})", "guide"),
        ("Thủ trưởng", ", ".join(x for x in (unit.head, unit.position) if x), "guide"),
        ("Hạn gửi", format_date(job.registration.due), "guide_due"),
        ("Gửi về", f"{send_to}. Gửi lại chính tệp này.", "guide"),
        ("", "", "guide"),
        ("CÁCH ĐIỀN", f'Điền vào sheet "{REGISTRATION.name}", chỉ vào các ô nền vàng:', "guide_head"),
        ("Nhiệm vụ đã ghi sẵn", "Nhiệm vụ chung và nhiệm vụ được giao: giữ nguyên nội dung; bổ sung sản phẩm, "
         "chỉ tiêu, thời hạn, điểm tối đa. Đề nghị điều chỉnh (nếu có) ghi ở cột Ghi chú.", "guide"),
        (OWN_MARKER.capitalize(), f'Ghi vào các dòng dưới mục "{OWN_MARKER}": mỗi dòng một nhiệm vụ, đủ nội dung, '
         "sản phẩm, thời hạn và điểm tối đa. Mã nhiệm vụ do đơn vị tổng hợp cấp khi đưa vào danh mục.", "guide"),
    ]
    rows += [(c.header, c.hint, "guide") for c in REGISTRATION.columns if c.hint]
    rows += [("", "", "guide"), ("CƠ CẤU NHIỆM VỤ", "Theo quy định, mỗi thủ trưởng đăng ký:", "guide_head")]
    rows += [("", f"- {line}.", "guide") for line in _rules_text(job)]
    rows += [("", "", "guide"), ("LƯU Ý", "Không đổi tên sheet, không thêm hoặc xóa cột, không xóa dòng nhiệm vụ "
              "đã ghi sẵn, không xóa sheet ẩn (dữ liệu kiểm soát). Có thể mở và lưu bằng Excel, LibreOffice hoặc "
              "WPS.", "guide")]
    for r, (label, text, style) in enumerate(rows):
        ws.write_string(r, 0, safe_text(label), fmt["guide_head" if label and style != "guide_title" else style])
        ws.write_string(r, 1, safe_text(text), fmt[style])
        ws.set_row(r, row_height([(label, 24), (text, 88)], font_size=12))
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    return ws


def _header(ws: Any, job: RegistrationJob, fmt: dict[str, Any], last: int) -> None:
    unit = job.unit
    ws.merge_range(0, 0, 0, 3, safe_text(job.settings.agency.name.upper()), fmt["agency"])
    title = f"{_TITLE} NĂM {job.settings.year}"
    ws.merge_range(1, 0, 1, 3, title, fmt["title"])
    ws.merge_range(2, 0, 2, 3, safe_text(job.settings.title), fmt["subtitle"])
    ws.write_string(3, 0, "", fmt["value"])
    ws.merge_range(3, 0, 3, 2, "Đơn vị:", fmt["label"])
    ws.write_string(3, 3, safe_text(unit.name), fmt["value"])
    ws.write_string(3, 5, "Mã đơn vị:", fmt["label"])
    ws.write_string(3, 6, safe_text(unit.code), fmt["value"])
    ws.merge_range(4, 0, 4, 2, "Thủ trưởng:", fmt["label"])
    ws.write_string(4, 3, safe_text(", ".join(x for x in (unit.head, unit.position) if x)), fmt["value"])
    ws.write_string(4, 5, "Hạn gửi:", fmt["label"])
    ws.write_datetime(4, 6, dt.datetime.combine(job.registration.due, dt.time()), fmt["date"])
    legend = ("Chỉ nhập vào các ô nền vàng. Nhiệm vụ đã ghi sẵn: bổ sung sản phẩm, chỉ tiêu, thời hạn, điểm. "
              f"Nhiệm vụ tự đăng ký ghi ở cuối bảng. Cơ cấu: {'; '.join(_rules_text(job))}.")
    ws.merge_range(5, 0, 5, last, legend, fmt["legend"])
    ws.set_row(5, row_height([(legend, 180)], font_size=10))
    for c, column in enumerate(REGISTRATION.columns):
        ws.write_string(HEADER_ROW, c, column.header, fmt["header"])
    ws.set_row(HEADER_ROW, 32)


_GIVEN_LOCKED = frozenset({"stt", "task_code", "source", "content"})
_OWN_LOCKED = frozenset({"stt", "task_code", "source"})


def _rows(ws: Any, job: RegistrationJob, fmt: dict[str, Any]) -> tuple[list[tuple[str, int, str]], int]:
    """The given tasks, the marker, the own rows; returns the stamped tasks and the last row."""
    stamped = []
    widths = {c.key: c.width for c in REGISTRATION.columns}
    for i, task in enumerate(job.tasks):
        r = HEADER_ROW + 1 + i
        values = {"stt": i + 1, "task_code": task.code, "source": task.source, "content": task.content,
                  "group": task.group, "product": task.product, "target": task.target,
                  "deadline": task.deadline if task.deadline is not None else task.deadline_text,
                  "points": task.points or None, "hard": "x" if task.hard else "", "note": ""}
        for c, column in enumerate(REGISTRATION.columns):
            style = (fmt["locked_center"] if column.key in ("stt", "task_code") else fmt["locked"]) \
                if column.key in _GIVEN_LOCKED else _input_style(column.key, fmt)
            write_value(ws, r, c, values[column.key], style)
        ws.set_row(r, row_height((str(values[k]), widths[k]) for k in ("content", "product", "source")))
        stamped.append((task.code, r + 1, row_hash(locked_registration(task))))
    marker = HEADER_ROW + 1 + len(job.tasks)
    last_col = len(REGISTRATION.columns) - 1
    own = job.registration.own_source
    text = (f'{OWN_MARKER} (nguồn "{own}"): mỗi dòng một nhiệm vụ; ghi đủ nội dung, sản phẩm, chỉ tiêu (nếu có), '
            "thời hạn và điểm tối đa.")
    ws.merge_range(marker, 0, marker, last_col, text, fmt["marker"])
    ws.set_row(marker, 30)
    for i in range(job.registration.own_rows):
        r = marker + 1 + i
        for c, column in enumerate(REGISTRATION.columns):
            value: Any = {"stt": f"TĐK{i + 1}", "source": own}.get(column.key)
            style = (fmt["locked_center"] if column.key != "source" else fmt["locked"]) \
                if column.key in _OWN_LOCKED else _input_style(column.key, fmt)
            write_value(ws, r, c, value, style)
        ws.set_row(r, 45)
    return stamped, marker + job.registration.own_rows


def _validations(ws: Any, job: RegistrationJob, first: int, last: int) -> None:
    def rule(key: str, spec: dict[str, Any]) -> None:
        column = REGISTRATION[key]
        c = REGISTRATION.index(key)
        ws.data_validation(first, c, last, c, {
            **spec, "input_title": column.header[:32], "input_message": column.hint[:255],
            "error_title": "Giá trị không hợp lệ", "error_message": (column.error or column.hint)[:255],
            "show_input": True})
    rule("points", {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop"})
    rule("hard", {"validate": "list", "source": ["x"], "error_type": "stop"})
    rule("deadline", {"validate": "any"})
    for key in ("content", "product", "target", "note"):
        rule(key, {"validate": "any"})
    if job.groups:
        source = list(job.groups) if sum(len(g) + 1 for g in job.groups) < 250 else None
        if source:
            rule("group", {"validate": "list", "source": source, "error_type": "warning"})


def write_registration(job: RegistrationJob) -> Stamp:
    """Write ``job``'s workbook (atomically) and return its signed stamp."""
    last_col = len(REGISTRATION.columns) - 1
    with atomic_path(job.path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {**WORKBOOK_OPTIONS, "in_memory": False})
        book.set_properties({"title": f"Phiếu đăng ký nhiệm vụ năm {job.settings.year}",
                             "subject": safe_text(f"{job.unit.code} - {job.unit.name}"),
                             "author": job.settings.agency.name, "created": job.generated,
                             "comments": "Tạo bởi camket"})
        fmt = _formats(book)
        guide = _guide(book, job, fmt)
        ws = book.add_worksheet(REGISTRATION.name)
        for c, column in enumerate(REGISTRATION.columns):
            ws.set_column(c, c, column.width)
        _header(ws, job, fmt, last_col)
        stamped, last = _rows(ws, job, fmt)
        _validations(ws, job, HEADER_ROW + 1, last)
        ws.merge_range(last + 2, last_col - 4, last + 2, last_col, "…, ngày … tháng … năm …", fmt["sign_note"])
        ws.merge_range(last + 3, last_col - 4, last + 3, last_col, "THỦ TRƯỞNG ĐƠN VỊ", fmt["sign"])
        ws.merge_range(last + 4, last_col - 4, last + 4, last_col, "(Ký, ghi rõ họ tên)", fmt["sign_note"])
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(HEADER_ROW)
        ws.print_area(0, 0, last + 4, last_col)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&CTrang &P/&N")
        ws.freeze_panes(HEADER_ROW + 1, 4)
        ws.set_zoom(90)
        ws.protect(job.settings.template_password, {
            "format_rows": True, "format_columns": True, "select_locked_cells": True,
            "select_unlocked_cells": True})
        guide.activate()
        stamp = Stamp("registration", job.workspace_id, job.registration.id, job.unit.code,
                      job.generated.isoformat(timespec="seconds"), REGISTRATION.name, HEADER_ROW + 1,
                      tuple(stamped))
        meta = book.add_worksheet(META_SHEET)
        for r, values in enumerate(stamp.rows(job.secret)):
            for c, value in enumerate(values):
                meta.write_string(r, c, value)
        meta.very_hidden()
        book.close()
    return stamp
