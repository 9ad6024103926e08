"""The appraisal workbook (``camket appraise``): for the organizing department, every
task with what its unit reported and self-scored, locked, and two open columns,
*Điểm thẩm định* and *Nhận xét thẩm định*; a per-unit summary with formulas; signed like
a template so that ``camket ingest`` recognises it when it comes back filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from ..atomic import atomic_path
from ..config import Settings
from ..model import Master
from ..reconcile import Result
from ..schema import APPRAISAL, APPRAISAL_SUMMARY, Kind
from ..stamp import META_SHEET, Stamp, row_hash
from ..xlsxkit import WORKBOOK_OPTIONS, row_height, write_value

__all__ = ["write_appraisal"]

_HEADER = 3  # 0-based header row of the appraisal sheet
_NOT_REPORTED = "Chưa báo cáo"


def write_appraisal(path: Path, result: Result, master: Master, settings: Settings, workspace_id: str,
                    secret: bytes, generated: dt.datetime) -> Stamp:
    """Write the appraisal workbook of a round; appraised scores already recorded are pre-filled."""
    names = {u.code: u.name for u in master.units}
    col = {c.key: i for i, c in enumerate(APPRAISAL.columns)}
    stamped: list[tuple[str, int, str]] = []
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": f"Thẩm định kết quả {result.round.name}", "author": settings.agency.name,
                             "created": generated})
        font = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "text_wrap": True}
        fmt = {
            "title": book.add_format({**font, "bold": True, "font_size": 14, "text_wrap": False}),
            "note": book.add_format({**font, "italic": True, "text_wrap": False}),
            "header": book.add_format({**font, "bold": True, "border": 1, "bg_color": "#D9E1F2",
                                       "align": "center", "valign": "vcenter"}),
            "locked": book.add_format({**font, "border": 1}),
            "number": book.add_format({**font, "border": 1, "num_format": "#,##0.0#"}),
            "input": book.add_format({**font, "border": 1, "locked": False, "bg_color": "#FFF2CC"}),
            "input_number": book.add_format({**font, "border": 1, "locked": False, "bg_color": "#FFF2CC",
                                             "num_format": "#,##0.0#"}),
        }
        ws = book.add_worksheet(APPRAISAL.name)
        ws.write_string(0, 0, f"BẢNG THẨM ĐỊNH KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRỌNG TÂM - {result.round.name.upper()}",
                        fmt["title"])
        ws.write_string(1, 0, settings.agency.name, fmt["note"])
        ws.write_string(2, 0, "Chỉ ghi vào hai cột nền vàng (Điểm thẩm định, Nhận xét thẩm định); điểm từ 0 đến "
                              "Điểm tối đa. Lưu và nhập lại bằng: camket ingest <tệp> --round "
                              f"{result.round.id}", fmt["note"])
        for c, column in enumerate(APPRAISAL.columns):
            ws.set_column(c, c, column.width)
            ws.write_string(_HEADER, c, column.header, fmt["header"])
        ws.set_row(_HEADER, 32)
        row = _HEADER
        for number, t in enumerate((t for t in result.tasks if t.task.unit in names), start=1):
            row += 1
            status = t.status or _NOT_REPORTED
            context = [t.task.unit, t.task.code, t.task.content, t.task.points, status, t.result, t.self_score]
            values = [number, t.task.unit, names[t.task.unit], t.task.code, t.task.content, t.task.points, status,
                      t.progress, t.result, t.target_shown, t.self_score, t.appraised, t.appraisal_note]
            for c, (column, value) in enumerate(zip(APPRAISAL.columns, values, strict=True)):
                numeric = column.kind in (Kind.NUMBER, Kind.INTEGER)
                style = ("input_number" if numeric else "input") if not column.locked else (
                    "number" if numeric else "locked")
                write_value(ws, row, c, value, fmt[style])
            ws.set_row(row, row_height([(t.task.content, 44), (t.result, 32), (t.target_shown, 18)]))
            stamped.append((f"{t.task.unit}/{t.task.code}", row + 1, row_hash(context)))
        points = f"${xl_col_to_name(col['points'])}{_HEADER + 2}"
        score = col["appraised_score"]
        if row > _HEADER:
            ws.data_validation(_HEADER + 1, score, row, score, {
                "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": f"={points}",
                "input_title": "Điểm thẩm định", "input_message": APPRAISAL["appraised_score"].hint,
                "error_title": "Giá trị không hợp lệ", "error_message": APPRAISAL["appraised_score"].error})
        ws.freeze_panes(_HEADER + 1, 4)
        ws.autofilter(_HEADER, 0, max(row, _HEADER + 1), len(APPRAISAL.columns) - 1)
        ws.protect(settings.template_password, {"autofilter": True, "sort": False, "format_rows": True,
                                                "format_columns": True})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(_HEADER)
        _summary(book, result, master, fmt, col, row)
        stamp = Stamp("appraisal", workspace_id, result.round.id, "", generated.isoformat(timespec="seconds"),
                      APPRAISAL.name, _HEADER + 1, tuple(stamped))
        meta = book.add_worksheet(META_SHEET)
        for r, values_ in enumerate(stamp.rows(secret)):
            for c, value in enumerate(values_):
                meta.write_string(r, c, value)
        meta.very_hidden()
        ws.activate()
        book.close()
    return stamp


def _summary(book: Any, result: Result, master: Master, fmt: dict[str, Any], col: dict[str, int], last: int) -> None:
    """Per unit: points, self-score, appraised score, gap and score out of 100, as formulas."""
    ws = book.add_worksheet(APPRAISAL_SUMMARY.name)
    sheet = f"'{APPRAISAL.name}'"
    first = _HEADER + 2

    def span(key: str) -> str:
        letter = xl_col_to_name(col[key])
        return f"{sheet}!${letter}${first}:${letter}${max(last + 1, first)}"

    for c, column in enumerate(APPRAISAL_SUMMARY.columns):
        ws.set_column(c, c, column.width)
        ws.write_string(0, c, column.header, fmt["header"])
    by_unit = {u.unit.code: u for u in result.units}
    for r, unit in enumerate((u for u in master.units if master.tasks_of(u.code)), start=1):
        u = by_unit.get(unit.code)
        ws.write_string(r, 0, unit.code, fmt["locked"])
        ws.write_string(r, 1, unit.name, fmt["locked"])
        cached = [u.points if u else 0, u.self_score if u else 0, (u.appraised or 0) if u else 0]
        for c, (key, value) in enumerate(zip(("points", "self_score", "appraised_score"), cached, strict=True),
                                         start=2):
            ws.write_formula(r, c, f"=SUMIF({span('unit_code')},$A{r + 1},{span(key)})", fmt["number"], value)
        ws.write_formula(r, 5, f"=D{r + 1}-E{r + 1}", fmt["number"], cached[1] - cached[2])
        pct = round(100 * cached[2] / cached[0], 1) if cached[0] else 0
        ws.write_formula(r, 6, f"=IF(C{r + 1}>0,ROUND(E{r + 1}/C{r + 1}*100,1),0)", fmt["number"], pct)
    ws.freeze_panes(1, 2)
