"""The consolidated workbook of a round (xlsxwriter): headline figures and tables with
native charts below them, one row per unit, every task, overdue tasks, what is missing,
proposed tasks, scores and every finding with its Vietnamese name.

Figures follow the round's basis (:mod:`~camket.report.basis`): in an interim round the
tasks due come first, the whole year after. Rates are fractions shown as ``0.0%``;
progress stays on its 0–100 scale. List sheets print across pages at a legible scale
with the header row (and the first columns) repeated, the technical columns (codes,
source file and cell) left out of the print area; rows are as tall as their wrapped
text. Text from offices is always written as text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from ..atomic import atomic_path
from ..config import Settings
from ..fastsheet import FastRows, splice
from ..findings import title as finding_title
from ..ledger import ARRIVAL_LABELS
from ..model import Derived, Master
from ..reconcile import Result, Totals, Trend, UnitResult
from ..safetext import XLSX_CELL_LIMIT, safe_text
from ..schema import (
    ADJUSTMENTS,
    APPRAISAL_SUMMARY,
    CHANGES,
    DETAIL,
    EMULATION,
    FINDINGS,
    MASTER_UNITS,
    MISSING,
    OVERDUE,
    PENDING,
    PROPOSED,
    SCORES,
    TECHNICAL,
    TREND_SHEET,
    UNIT_SUMMARY,
    Column,
    Kind,
    Sheet,
    printed,
)
from ..values import parse_deadline
from ..vi import percent, text_date, vi_timestamps
from ..xlsxkit import WORKBOOK_OPTIONS, row_height
from .basis import Basis, basis_of
from .palette import BAR
from .summary import PAGE_PX as _PAGE_PX
from .summary import SHEET as SUMMARY
from .summary import column_px as _px
from .summary import fraction as _fraction
from .summary import write_summary
from .year import YearResult

__all__ = ["write_consolidated", "write_year_workbook", "year_sheets"]

_FONT = {"font_name": "Times New Roman", "font_size": 11}
_LEGIBLE = 0.8           # list sheets print at this scale or larger: 11 pt text stays ≥ 8.8 pt
_REPEATED = {DETAIL.name: 3, OVERDUE.name: 3}  # columns repeated on pages to the right (default 2)


_RED = {"font_color": "#C00000", "bg_color": "#FDE9E9"}  # the row of a unit that did not report


def _formats(book: Any) -> dict[Any, Any]:
    """The workbook's cell formats; list cells also in red (``("red", key)``).

    Text starts one indent in, so it never runs into a number or a time printed flush
    right in the cell before it ("1Cục …", "97.5Hoàn thành …"); the STT is centred.
    """
    cell = {**_FONT, "border": 1, "valign": "top"}
    add = book.add_format
    listed: dict[Any, dict[str, Any]] = {
        Kind.TEXT: {**cell, "text_wrap": True, "align": "left", "indent": 1},
        Kind.CODE: {**cell, "align": "left", "indent": 1},
        Kind.INTEGER: {**cell, "num_format": "#,##0"},
        Kind.NUMBER: {**cell, "num_format": "General"},
        Kind.PERCENT: {**cell, "num_format": "0.0%"},
        Kind.DATE: {**cell, "num_format": "dd/mm/yyyy"},
        Kind.DEADLINE: {**cell, "num_format": "dd/mm/yyyy", "align": "left", "indent": 1},
        "datetime": {**cell, "num_format": "dd/mm/yyyy hh:mm"},
        "stt": {**cell, "align": "center"},
    }
    return {
        "title": add({**_FONT, "bold": True, "font_size": 14}),
        "subtitle": add({**_FONT, "italic": True}),
        "header": add({**_FONT, "bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True,
                       "align": "center", "valign": "vcenter"}),
        **{key: add(props) for key, props in listed.items()},
        **{("red", key): add({**props, **_RED}) for key, props in listed.items()},
        "missing": add({**cell, **_RED, "text_wrap": True, "align": "left", "indent": 1}),
        "label": add({**cell, "bold": True, "text_wrap": True}),
        "indent": add({**cell, "indent": 1, "align": "left", "text_wrap": True}),
        "sentence": add({**_FONT, "italic": True, "text_wrap": True, "valign": "top"}),
        "empty": add({**_FONT, "italic": True}),
    }


def _text(value: str) -> str:
    return safe_text(value, XLSX_CELL_LIMIT)


def _print_list(ws: Any, sheet: Sheet, header_row: int, last_row: int) -> None:
    """Landscape A4, technical columns out of the print area, header repeated, legible scale:
    one page wide when it fits at 80%, otherwise as many pages as needed with the first
    columns repeated, printed across then down."""
    shown = printed(sheet)
    widths = [_px(c.width) for c in sheet.columns[:shown]]
    total = sum(widths)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_area(0, 0, max(last_row, header_row + 1), shown - 1)
    ws.repeat_rows(header_row)
    capacity = _PAGE_PX / _LEGIBLE
    if total <= capacity:
        ws.fit_to_pages(1, 0)
    else:
        repeated = _REPEATED.get(sheet.name, 2)
        fixed = sum(widths[:repeated])
        pages = math.ceil((total - fixed) / (capacity - fixed))
        ws.repeat_columns(0, repeated - 1)
        ws.fit_to_pages(pages, 0)
        ws.print_across()
    ws.set_footer(f"&C{sheet.name.replace('&', '&&')} - Trang &P/&N")


def _style(column: Column, fmt: dict[Any, Any]) -> Any:
    """The key of a list column's format in :func:`_formats`."""
    if column.key in ("stt", "submitted"):
        return "stt" if column.key == "stt" else "datetime"
    if column.key in TECHNICAL:
        return Kind.CODE
    return column.kind if column.kind in fmt else Kind.TEXT


def _table(book: Any, sheet: Sheet, rows: Iterable[Sequence[Any]], fmt: dict[Any, Any], fast: list[FastRows],
           title: str = "", red: Callable[[Sequence[Any]], bool] | None = None, empty: str = "") -> Any:
    """A sheet with a title, a header row and data rows; autofilter, frozen header, printable.

    The data rows go through :class:`FastRows` (spliced in after the workbook is closed);
    with no rows, ``empty`` says so under the header.
    """
    ws = book.add_worksheet(sheet.name)
    start = 0
    if title:
        ws.write_string(0, 0, _text(title), fmt["title"])
        start = 2
    for c, column in enumerate(sheet.columns):
        ws.set_column(c, c, column.width)
        ws.write_string(start, c, column.header, fmt["header"])
    ws.set_row(start, row_height([(c.header, c.width) for c in sheet.columns], minimum=30))
    keys = [_style(c, fmt) for c in sheet.columns]
    styles = [fmt[key] for key in keys]
    red_styles = [fmt["red", key] for key in keys]
    wrapped = [(i, c.width - 1) for i, c in enumerate(sheet.columns)  # less the indent
               if c.kind is Kind.TEXT and c.key not in TECHNICAL]
    table = FastRows(ws, start + 1)
    fast.append(table)
    for values in rows:
        height = row_height([(values[i], width) for i, width in wrapped])
        table.add(values, red_styles if red is not None and red(values) else styles,
                  height=height if height > 15 else None)
    if table.last_row < start + 1 and empty:
        ws.write_string(start + 1, 0, empty, fmt["empty"])
    else:
        ws.autofilter(start, 0, max(table.last_row, start + 1), len(sheet.columns) - 1)
    ws.freeze_panes(start + 1, 0)
    _print_list(ws, sheet, start, max(table.last_row, start + 1))
    return ws


def _score(value: float) -> float:
    return round(value, 2)


def _unit_rows(result: Result, basis: Basis) -> Iterable[list[Any]]:
    due = result.due_by_unit
    targets = result.targets_by_unit
    for i, u in enumerate(result.units, start=1):
        t = u.totals
        d = due.get(u.unit.code, Totals())
        submitted = u.submission.submitted if u.submission else None
        answered = u.answered
        rating = _rating(result, u)
        yield [i, _text(u.unit.name), u.unit.block, u.unit.head, t.total, d.total,
               d.completed if answered else None, _fraction(d.rate) if answered and d.total else None,
               t.completed, t.done_on_time, t.done_late, targets[u.unit.code].not_met if answered else None,
               t.in_progress, u.overdue, t.not_started, t.not_done,
               t.not_reported, _fraction(t.rate) if answered else None, "Có" if u.all_done else "Không",
               _score(u.points), _score(u.self_score), float(u.score) if answered else None, rating, submitted,
               ARRIVAL_LABELS.get(u.submission.arrived_source, "") if u.submission else "",
               "Có" if u.late else "", u.errors, u.warnings, u.unit.code,
               u.submission.name if u.submission else _missing_note(result, u.unit.code)]


def _missing_note(result: Result, code: str) -> str:
    sent = result.rejected.get(code, 0)
    if sent:
        files = "tệp" if sent == 1 else f"{sent} tệp"
        return f"Đã gửi {files} nhưng không đọc được, phải gửi lại (xem sheet Lỗi dữ liệu)"
    return "Chưa gửi báo cáo"


_MET = {True: "Đạt", False: "Chưa đạt", None: ""}


def _detail_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    for i, r in enumerate(result.tasks, start=1):
        t = r.task
        rate = r.target_rate
        yield [i, names.get(t.unit, ""), t.content, t.group, t.source, t.product, t.target, r.achieved,
               _fraction(rate) if rate is not None else None, _MET[r.target_met],
               t.deadline if t.deadline else t.deadline_text, t.points, r.status or "", r.progress,
               r.completed_on, r.derived.value, "x" if r.overdue else "", r.result, r.difficulties, r.proposals,
               r.self_score, t.code, t.unit, r.file, r.cell]


def _overdue_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    overdue = [r for r in result.tasks if r.overdue]
    position = {code: i for i, code in enumerate(result.order)}
    overdue.sort(key=lambda r: (position.get(r.task.unit, len(position)), r.task.deadline or result.round.as_of))
    for i, r in enumerate(overdue, start=1):
        t = r.task
        days = (result.round.as_of - t.deadline).days if t.deadline else 0
        yield [i, names.get(t.unit, ""), t.content, t.deadline, days, r.status or "", r.progress, r.derived.value,
               r.difficulties, t.unit, t.code]


def _missing_rows(result: Result, master: Master) -> Iterable[list[Any]]:
    """Every task not reported: all tasks of units without a counted report, then tasks
    missing from the reports that were counted."""
    missing = {u.unit.code for u in result.missing}
    units = {u.code: u for u in master.units}
    notes = {code: _missing_note(result, code) for code in missing}
    position = {code: n for n, code in enumerate(result.order)}
    ordered = sorted((r for r in result.tasks if r.derived is Derived.NOT_REPORTED),
                     key=lambda r: (r.task.unit not in missing, position.get(r.task.unit, len(position))))
    for i, r in enumerate(ordered, start=1):
        unit = units.get(r.task.unit)
        note = notes.get(r.task.unit, "Báo cáo thiếu dòng này hoặc chưa ghi tình trạng")
        yield [i, unit.name if unit else "", unit.head if unit else "", unit.email if unit else "", r.task.content,
               r.task.deadline if r.task.deadline else r.task.deadline_text, note, r.task.unit, r.task.code]


def _proposed_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    for i, p in enumerate(result.proposed, start=1):
        yield [i, names.get(p.unit, ""), p.content, p.product, _deadline(p.deadline), p.status or "", p.progress,
               p.result, p.unit]


def _deadline(text: str) -> Any:
    """A proposed task's deadline as typed: a date when it is one, else the text."""
    if not text:
        return None
    try:
        day, shown = parse_deadline(text)
    except ValueError:
        return text
    return day if day is not None else shown


def _pending_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    for i, p in enumerate(result.pending, start=1):
        claimed = names.get(p.claimed_unit, p.claimed_unit) if p.claimed_unit != p.unit else ""
        yield [i, p.id, p.name, names.get(p.unit, p.unit), claimed, vi_timestamps(p.reason), _moment(p.arrived)]


def _moment(iso: str) -> str:
    """A recorded date or date and time as people write it: ``04/07/2022``, ``17:00 09/07/2022``."""
    if not iso:
        return ""
    moment = dt.datetime.fromisoformat(iso)
    return moment.strftime("%d/%m/%Y") if len(iso) <= 10 else moment.strftime("%H:%M %d/%m/%Y")


_CHANGE = {"added": "Thêm", "removed": "Bỏ", "changed": "Sửa"}


def _adjustment_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    for i, a in enumerate(result.adjustments, start=1):
        yield [i, a.round, a.at.strftime("%H:%M %d/%m/%Y"), a.reason, _CHANGE.get(a.change, a.change),
               "đơn vị" if a.what == "unit" else "nhiệm vụ", a.code, names.get(a.unit, a.unit), a.field or "",
               a.before, a.after]


def _finding_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    for i, f in enumerate(_sorted(result), start=1):
        yield [i, f.severity.label, finding_title(f.code), names.get(f.unit, ""), vi_timestamps(f.message),
               vi_timestamps(f.advice), f.location.file, f.location.sheet, f.location.cell, f.unit, f.task, f.code]


def write_consolidated(path: Path, result: Result, master: Master, settings: Settings,
                       generated: dt.datetime, progress: Trend | None = None, year: YearResult | None = None) -> Path:
    """Write the consolidated workbook of ``result`` to ``path`` (atomically); with a
    ``progress`` of two rounds or more, also the rounds side by side and what changed; with
    ``year``, the year's emulation table."""
    names = {u.code: safe_text(u.name) for u in master.units}
    basis = basis_of(result, settings)
    fast: list[FastRows] = []
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({
            "title": _text(f"Tổng hợp kết quả thực hiện nhiệm vụ - {result.round.name}"),
            "author": _text(settings.agency.name), "company": _text(settings.agency.name), "created": generated,
            "comments": "Tạo bởi camket"})
        fmt = _formats(book)
        write_summary(book, result, basis, settings, fmt)
        missing_codes = {u.unit.code for u in result.missing}
        code_at = UNIT_SUMMARY.index("unit_code")
        _table(book, UNIT_SUMMARY, _unit_rows(result, basis), fmt, fast,
               red=lambda values: values[code_at] in missing_codes)
        _table(book, DETAIL, _detail_rows(result, names), fmt, fast)
        _table(book, OVERDUE, _overdue_rows(result, names), fmt, fast,
               title=f"NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH (đến ngày {text_date(result.round.as_of)})",
               empty="Không có nhiệm vụ quá hạn chưa hoàn thành.")
        _table(book, MISSING, _missing_rows(result, master), fmt, fast, title="ĐƠN VỊ VÀ NHIỆM VỤ CHƯA BÁO CÁO",
               empty="Các đơn vị đã báo cáo đủ các nhiệm vụ.")
        if result.pending:
            _table(book, PENDING, _pending_rows(result, names), fmt, fast,
                   title="TỆP CHỜ XỬ LÝ (chưa tính cho đơn vị nào; xử lý bằng camket accept hoặc camket dismiss)")
        _table(book, PROPOSED, _proposed_rows(result, names), fmt, fast,
               title="NHIỆM VỤ PHÁT SINH DO ĐƠN VỊ ĐỀ XUẤT (không tính vào kết quả)",
               empty="Không có nhiệm vụ phát sinh.")
        if progress is not None and progress.meaningful:
            _trend(book, progress, names, fmt)
        if result.changes:
            _table(book, CHANGES, ([i, names.get(c.task.unit, ""), c.task.content, c.before.value, c.after.value,
                                    c.task.unit, c.task.code] for i, c in enumerate(result.changes, start=1)),
                   fmt, fast, title=f"NHIỆM VỤ THAY ĐỔI TÌNH TRẠNG SO VỚI KỲ {result.previous.name.upper()}"
                   if result.previous else "NHIỆM VỤ THAY ĐỔI TÌNH TRẠNG")
        if result.adjustments:
            _table(book, ADJUSTMENTS, _adjustment_rows(result, names), fmt, fast,
                   title=f"ĐIỀU CHỈNH DANH SÁCH NHIỆM VỤ KỲ {result.round.name.upper()}")
        _table(book, SCORES, _score_rows(result), fmt, fast,
               title="CÁCH TÍNH ĐIỂM TỪNG ĐƠN VỊ (điểm cơ sở, điểm thưởng và điểm trừ theo quy định chấm điểm)")
        if result.gaps:
            _table(book, APPRAISAL_SUMMARY, ([u.unit.code, u.unit.name, _score(u.points), _score(u.self_score),
                                              u.appraised, u.gap,
                                              float(percent(u.appraised or 0, u.points)) if u.points else 0.0]
                                             for u in result.gaps), fmt, fast,
                   title="ĐIỂM TỰ CHẤM VÀ ĐIỂM THẨM ĐỊNH (chênh lệch lớn nhất trước)")
        if year is not None:
            year_sheets(book, year, fmt, fast)
        _table(book, FINDINGS, _finding_rows(result, names), fmt, fast, title="LỖI VÀ CẢNH BÁO DỮ LIỆU",
               empty="Không có lỗi hoặc cảnh báo.")
        book.get_worksheet_by_name(SUMMARY).activate()
        _close(book, tmp, fast)
    return path


def _close(book: Any, tmp: Path, fast: list[FastRows]) -> None:
    """Write the workbook, then splice in the large tables written as sheet XML."""
    try:
        book.close()
        splice(tmp, fast)
    finally:
        for table in fast:
            table.discard()


def year_sheets(book: Any, year: YearResult, fmt: dict[Any, Any], fast: list[FastRows]) -> None:
    """The sheets *Thi đua* and *Chấp hành báo cáo* of the year's emulation result."""
    from .year import counted_sentence, points_rule, rounds_rows, rounds_sheet, sheet_rows, title

    ws = _table(book, EMULATION, sheet_rows(year), fmt, fast, title=title(year), empty="Chưa có đơn vị nào.")
    _sentence(ws, 1, points_rule(year.rules, year.basis), EMULATION.columns[:printed(EMULATION)], fmt)
    rounds = rounds_sheet(year)
    heading = (f"CHẤP HÀNH CHẾ ĐỘ BÁO CÁO NĂM {year.year} (các kỳ đã đến hạn đến ngày "
               f"{text_date(year.as_of)})")
    ws = _table(book, rounds, rounds_rows(year), fmt, fast, title=heading,
                empty="Chưa có kỳ báo cáo nào đến hạn được tính.")
    _sentence(ws, 1, counted_sentence(year), rounds.columns, fmt)


def _sentence(ws: Any, row: int, text: str, columns: Sequence[Column], fmt: dict[Any, Any]) -> None:
    """A sentence across ``columns`` (merged), as tall as it needs."""
    if len(columns) > 1:
        ws.merge_range(row, 0, row, len(columns) - 1, text, fmt["sentence"])
    else:
        ws.write_string(row, 0, text, fmt["sentence"])
    ws.set_row(row, row_height([(text, sum(c.width for c in columns))]))


def write_year_workbook(path: Path, year: YearResult, settings: Settings, generated: dt.datetime) -> Path:
    """A workbook of its own with the year's emulation result (``camket year``)."""
    fast: list[FastRows] = []
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": _text(f"Kết quả thi đua năm {year.year}"), "author": _text(settings.agency.name),
                             "company": _text(settings.agency.name), "created": generated,
                             "comments": "Tạo bởi camket"})
        fmt = _formats(book)
        year_sheets(book, year, fmt, fast)
        _close(book, tmp, fast)
    return path


def _trend(book: Any, progress: Trend, names: dict[str, str], fmt: dict[Any, Any]) -> None:
    """Completion rate round by round: the programme, then every unit; and a line chart."""
    ws = book.add_worksheet(TREND_SHEET)
    ws.write_string(0, 0, "TIẾN ĐỘ HOÀN THÀNH QUA CÁC KỲ BÁO CÁO", fmt["title"])
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 12)
    ws.write_string(2, 0, MASTER_UNITS["unit_name"].header, fmt["header"])
    ws.write_string(2, 1, MASTER_UNITS["unit_code"].header, fmt["header"])
    for c, round_ in enumerate(progress.rounds, start=2):
        ws.set_column(c, c, 14)
        ws.write_string(2, c, _text(round_.name), fmt["header"])
    ws.write_string(3, 0, "Toàn chương trình", fmt["label"])
    ws.write_blank(3, 1, None, fmt["label"])
    for c, totals in enumerate(progress.overall, start=2):
        ws.write_number(3, c, _fraction(totals.rate), fmt[Kind.PERCENT])
    for r, (code, rates) in enumerate(progress.units.items(), start=4):
        ws.write_string(r, 0, names.get(code, code), fmt[Kind.TEXT])
        ws.write_string(r, 1, code, fmt[Kind.CODE])
        for c, rate in enumerate(rates, start=2):
            if rate is None:
                ws.write_string(r, c, "Chưa báo cáo", fmt["missing"])
            else:
                ws.write_number(r, c, _fraction(rate), fmt[Kind.PERCENT])
    ws.freeze_panes(3, 1)
    last = 1 + len(progress.rounds)
    chart = book.add_chart({"type": "line"})
    chart.add_series({"name": "Tỉ lệ hoàn thành toàn chương trình", "categories": [TREND_SHEET, 2, 2, 2, last],
                      "values": [TREND_SHEET, 3, 2, 3, last], "marker": {"type": "circle"},
                      "line": {"color": BAR}, "data_labels": {"value": True, "num_format": "0.0%"}})
    chart.set_title({"name": "Tiến độ hoàn thành qua các kỳ",
                     "name_font": {"name": "Times New Roman", "size": 12, "bold": True}})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"none": True})
    ws.insert_chart(3, last + 2, chart)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2)
    ws.set_footer(f"&C{TREND_SHEET} - Trang &P/&N")


def _rating(result: Result, u: UnitResult) -> str:
    return result.rating_shown(u) if u.answered else "Chưa báo cáo"


def _score_rows(result: Result) -> Iterable[list[Any]]:
    for i, u in enumerate(result.units, start=1):
        b = u.breakdown
        if b is None:
            continue
        rating = _rating(result, u)
        yield [i, u.unit.name, b.source, _score(b.points), _score(b.earned), float(b.base), float(b.hard_bonus),
               float(b.late_completion), float(b.overdue), float(b.late_report), float(b.missing_report),
               float(b.total), rating, u.unit.code]


def _sorted(result: Result) -> list[Any]:
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(result.findings, key=lambda f: (order[f.severity.value], f.location.file, f.unit))
