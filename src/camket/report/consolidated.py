"""The consolidated workbook of a round (xlsxwriter): headline figures with native
charts, one row per unit, every task, overdue tasks, what is missing, proposed tasks,
and every finding. Text from offices is always written as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from ..atomic import atomic_path
from ..config import Settings
from ..fastsheet import FastRows, splice
from ..model import Derived, Master
from ..reconcile import Result, Totals, Trend
from ..schema import (
    APPRAISAL_SUMMARY,
    CHANGES,
    DETAIL,
    FINDINGS,
    MASTER_UNITS,
    MISSING,
    OVERDUE,
    PROPOSED,
    SCORES,
    TREND_SHEET,
    UNIT_SUMMARY,
    Kind,
    Sheet,
)
from ..vi import format_date, percent
from ..xlsxkit import WORKBOOK_OPTIONS

__all__ = ["write_consolidated"]

_FONT = {"font_name": "Times New Roman", "font_size": 11}
_CHART_UNITS = 40  # above this many units, the bar chart shows blocks instead


def _formats(book: Any) -> dict[str, Any]:
    cell = {**_FONT, "border": 1, "valign": "top"}
    add = book.add_format
    return {
        "title": add({**_FONT, "bold": True, "font_size": 14}),
        "subtitle": add({**_FONT, "italic": True}),
        "header": add({**_FONT, "bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True,
                       "align": "center", "valign": "vcenter"}),
        Kind.TEXT: add({**cell, "text_wrap": True}),
        Kind.CODE: add(cell),
        Kind.INTEGER: add({**cell, "num_format": "#,##0"}),
        Kind.NUMBER: add({**cell, "num_format": "#,##0.0#"}),
        Kind.PERCENT: add({**cell, "num_format": "0.0%"}),
        Kind.DATE: add({**cell, "num_format": "dd/mm/yyyy"}),
        Kind.DEADLINE: add({**cell, "num_format": "dd/mm/yyyy"}),
        "datetime": add({**cell, "num_format": "dd/mm/yyyy hh:mm"}),
        "missing": add({**cell, "font_color": "#C00000", "bg_color": "#FDE9E9", "text_wrap": True}),
        "label": add({**cell, "bold": True}),
        "sentence": add({**_FONT, "italic": True, "text_wrap": True}),
    }


def _table(book: Any, sheet: Sheet, rows: Iterable[Sequence[Any]], fmt: dict[str, Any], fast: list[FastRows],
           title: str = "", red: Callable[[Sequence[Any]], bool] | None = None) -> Any:
    """A sheet with a title, a header row and data rows; autofilter, frozen header, printable.

    The data rows go through :class:`FastRows` (spliced in after the workbook is closed).
    """
    ws = book.add_worksheet(sheet.name)
    start = 0
    if title:
        ws.write_string(0, 0, title, fmt["title"])
        start = 2
    for c, column in enumerate(sheet.columns):
        ws.set_column(c, c, column.width)
        ws.write_string(start, c, column.header, fmt["header"])
    ws.set_row(start, 32)
    styles = [fmt["datetime"] if c.key == "submitted" else fmt.get(c.kind, fmt[Kind.TEXT]) for c in sheet.columns]
    red_styles = [fmt["missing"]] * len(sheet.columns)
    table = FastRows(ws, start + 1)
    fast.append(table)
    for values in rows:
        table.add(values, red_styles if red is not None and red(values) else styles)
    ws.autofilter(start, 0, max(table.last_row, start + 1), len(sheet.columns) - 1)
    ws.freeze_panes(start + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(start)
    ws.set_footer("&CTrang &P/&N")
    return ws


def _fraction(rate: Any) -> float:
    """A percentage (0-100, already rounded) as the fraction Excel's ``0.0%`` shows."""
    return float(rate) / 100


def _unit_rows(result: Result) -> Iterable[list[Any]]:
    for i, u in enumerate(result.units, start=1):
        t = u.totals
        submitted = u.submission.submitted if u.submission else None
        yield [i, u.unit.code, u.unit.name, u.unit.block, u.unit.head, t.total, t.completed, t.done_on_time,
               t.done_late, t.in_progress, u.overdue, t.not_started, t.not_done, t.not_reported,
               _fraction(t.rate), "Có" if u.all_done else "Không", u.points, u.self_score, float(u.score),
               u.rating, submitted, "Có" if u.late else "", u.errors, u.warnings,
               u.submission.name if u.submission else "Chưa báo cáo"]


def _detail_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    for i, r in enumerate(result.tasks, start=1):
        t = r.task
        yield [i, t.code, t.unit, names.get(t.unit, ""), t.content, t.group, t.source, t.product, t.target,
               t.deadline if t.deadline else t.deadline_text, t.points, r.status or "", r.progress,
               r.completed_on, r.derived.value, "x" if r.overdue else "", r.result, r.difficulties, r.proposals,
               r.self_score, r.file, r.cell]


def _overdue_rows(result: Result, names: dict[str, str]) -> Iterable[list[Any]]:
    overdue = [r for r in result.tasks if r.overdue]
    overdue.sort(key=lambda r: (r.task.unit, r.task.deadline or result.round.as_of))
    for i, r in enumerate(overdue, start=1):
        t = r.task
        days = (result.round.as_of - t.deadline).days if t.deadline else 0
        yield [i, t.unit, names.get(t.unit, ""), t.code, t.content, t.deadline, days, r.status or "",
               r.progress, r.derived.value, r.difficulties]


def _missing_rows(result: Result, master: Master) -> Iterable[list[Any]]:
    i = 0
    for u in result.missing:
        i += 1
        sent = result.rejected.get(u.unit.code, 0)
        note = f"Đã gửi {sent} tệp nhưng không được tính (xem Lỗi dữ liệu)" if sent else "Chưa gửi báo cáo"
        yield [i, u.unit.code, u.unit.name, u.unit.head, u.unit.email, "", f"({u.totals.total} nhiệm vụ)", None,
               note]
    missing = {u.unit.code for u in result.missing}
    unit_names = {u.code: u for u in master.units}
    for r in result.tasks:
        if r.derived is Derived.NOT_REPORTED and r.task.unit not in missing:
            i += 1
            unit = unit_names.get(r.task.unit)
            yield [i, r.task.unit, unit.name if unit else "", unit.head if unit else "", unit.email if unit else "",
                   r.task.code, r.task.content, r.task.deadline, "Thiếu dòng hoặc chưa ghi tình trạng"]


def _summary(book: Any, result: Result, settings: Settings, fmt: dict[str, Any]) -> None:
    ws = book.add_worksheet("Tổng hợp")
    ws.set_column(0, 0, 44)
    ws.set_column(1, 9, 13)
    r = result.round
    o = result.overall
    ws.merge_range(0, 0, 0, 9, f"TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRỌNG TÂM - {r.name.upper()}", fmt["title"])
    ws.write_string(1, 0, f"{settings.agency.name} — {settings.title}", fmt["subtitle"])
    ws.write_string(2, 0, f"Số liệu tính đến ngày {format_date(r.as_of)}; hạn gửi báo cáo {format_date(r.due)}",
                    fmt["subtitle"])
    ws.write_string(4, 0, "Chỉ tiêu", fmt["header"])
    ws.write_string(4, 1, "Số lượng", fmt["header"])
    ws.write_string(4, 2, "Tỉ lệ", fmt["header"])
    heads = result.heads
    lines: list[tuple[str, int, Any]] = [
        ("Tổng số nhiệm vụ", o.total, None),
        ("Đã hoàn thành", o.completed, o.rate),
        ("   trong đó: đúng hạn", o.done_on_time, None),
        ("   trong đó: quá hạn", o.done_late, None),
        ("Đang thực hiện", o.in_progress, _pct(o.in_progress, o.total)),
        ("   trong đó: quá hạn", o.in_progress_overdue, None),
        ("Chưa thực hiện", o.not_started, _pct(o.not_started, o.total)),
        ("Không thực hiện", o.not_done, _pct(o.not_done, o.total)),
        ("Chưa báo cáo", o.not_reported, _pct(o.not_reported, o.total)),
        ("Đơn vị đã báo cáo", sum(1 for u in heads if u.answered), _pct(sum(1 for u in heads if u.answered),
                                                                        len(heads))),
        ("Đơn vị chưa báo cáo", len(result.missing), None),
        ("Đơn vị gửi muộn", len(result.late), None),
        ("Thủ trưởng hoàn thành 100% nhiệm vụ", result.heads_all_done, _pct(result.heads_all_done, len(heads))),
    ]
    for i, (label, count, rate) in enumerate(lines, start=5):
        ws.write_string(i, 0, label, fmt["label"])
        ws.write_number(i, 1, count, fmt[Kind.INTEGER])
        if rate is None:
            ws.write_blank(i, 2, None, fmt[Kind.PERCENT])
        else:
            ws.write_number(i, 2, _fraction(rate), fmt[Kind.PERCENT])
    row = 5 + len(lines) + 1
    ws.merge_range(row, 0, row, 9, f"Đã hoàn thành {o.sentence()}; {result.heads_sentence()}.", fmt["sentence"])
    ws.set_row(row, 32)
    row += 2
    first_table = row
    for title, groups in (("Theo nhóm nhiệm vụ", result.by_group), ("Theo khối", result.by_block),
                          ("Theo nguồn", result.by_source)):
        row = _totals_table(ws, row, title, groups, fmt) + 2
    _charts(book, ws, result, first_table, fmt)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


def _pct(part: int, whole: int) -> Any:
    return percent(part, whole)


_TOTAL_COLUMNS = ("Tổng số", "Hoàn thành", "Đúng hạn", "Quá hạn", "Đang thực hiện", "Chưa thực hiện",
                  "Không thực hiện", "Chưa báo cáo", "Tỉ lệ hoàn thành")


def _totals_table(ws: Any, row: int, title: str, groups: dict[str, Totals], fmt: dict[str, Any]) -> int:
    ws.write_string(row, 0, title, fmt["header"])
    for c, label in enumerate(_TOTAL_COLUMNS, start=1):
        ws.write_string(row, c, label, fmt["header"])
    for name, t in groups.items():
        row += 1
        ws.write_string(row, 0, name, fmt[Kind.TEXT])
        for c, value in enumerate((t.total, t.completed, t.done_on_time, t.done_late, t.in_progress,
                                   t.not_started, t.not_done, t.not_reported), start=1):
            ws.write_number(row, c, value, fmt[Kind.INTEGER])
        ws.write_number(row, 9, _fraction(t.rate), fmt[Kind.PERCENT])
    return row


def _charts(book: Any, ws: Any, result: Result, table_row: int, fmt: dict[str, Any]) -> None:
    """Completion by unit (or by block for many units) and the distribution of classes."""
    data = book.add_worksheet("Dữ liệu biểu đồ")
    data.hide()
    if len(result.heads) <= _CHART_UNITS:
        bars = [(u.unit.code, float(u.totals.rate) / 100) for u in result.heads]
        bar_title = "Tỉ lệ hoàn thành theo đơn vị"
    else:
        bars = [(name, float(t.rate) / 100) for name, t in result.by_block.items()]
        bar_title = "Tỉ lệ hoàn thành theo khối"
    for i, (label, value) in enumerate(bars):
        data.write_string(i, 0, label)
        data.write_number(i, 1, value, fmt[Kind.PERCENT])
    classes = [(d.value, result.overall.count(d)) for d in Derived]
    for i, (label, value) in enumerate(classes):
        data.write_string(i, 3, label)
        data.write_number(i, 4, value)
    bar = book.add_chart({"type": "bar"})
    bar.add_series({"name": "Tỉ lệ hoàn thành", "categories": ["Dữ liệu biểu đồ", 0, 0, len(bars) - 1, 0],
                    "values": ["Dữ liệu biểu đồ", 0, 1, len(bars) - 1, 1], "fill": {"color": "#2E75B6"},
                    "data_labels": {"value": True, "num_format": "0.0%"}})
    bar.set_title({"name": bar_title})
    bar.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
    bar.set_y_axis({"reverse": True})
    bar.set_legend({"none": True})
    bar.set_size({"width": 620, "height": max(300, 22 * len(bars) + 80)})
    ws.insert_chart(4, 11, bar)
    pie = book.add_chart({"type": "doughnut"})
    pie.add_series({"name": "Phân loại nhiệm vụ", "categories": ["Dữ liệu biểu đồ", 0, 3, len(classes) - 1, 3],
                    "values": ["Dữ liệu biểu đồ", 0, 4, len(classes) - 1, 4],
                    "data_labels": {"percentage": True}})
    pie.set_title({"name": "Phân loại nhiệm vụ"})
    pie.set_size({"width": 620, "height": 340})
    ws.insert_chart(max(table_row, 6 + len(bars) + 3), 11, pie)


def write_consolidated(path: Path, result: Result, master: Master, settings: Settings,
                       generated: dt.datetime, progress: Trend | None = None) -> Path:
    """Write the consolidated workbook of ``result`` to ``path`` (atomically); with a
    ``progress`` of two rounds or more, also the rounds side by side and what changed."""
    names = {u.code: u.name for u in master.units}
    fast: list[FastRows] = []
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({
            "title": f"Tổng hợp kết quả thực hiện nhiệm vụ - {result.round.name}",
            "author": settings.agency.name, "company": settings.agency.name, "created": generated,
            "comments": "Tạo bởi camket"})
        fmt = _formats(book)
        _summary(book, result, settings, fmt)
        missing_codes = {u.unit.code for u in result.missing}
        _table(book, UNIT_SUMMARY, _unit_rows(result), fmt, fast,
               red=lambda values: values[1] in missing_codes)
        _table(book, DETAIL, _detail_rows(result, names), fmt, fast)
        _table(book, OVERDUE, _overdue_rows(result, names), fmt, fast,
               title=f"NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH (đến ngày {format_date(result.round.as_of)})")
        _table(book, MISSING, _missing_rows(result, master), fmt, fast, title="ĐƠN VỊ VÀ NHIỆM VỤ CHƯA BÁO CÁO")
        _table(book, PROPOSED, ([i, p.unit, names.get(p.unit, ""), p.content, p.product, p.deadline,
                                 p.status or "", p.progress, p.result]
                                for i, p in enumerate(result.proposed, start=1)), fmt, fast,
               title="NHIỆM VỤ PHÁT SINH DO ĐƠN VỊ ĐỀ XUẤT (không tính vào kết quả)")
        if progress is not None and progress.meaningful:
            _trend(book, progress, names, fmt)
        if result.changes:
            _table(book, CHANGES, ([i, c.task.unit, names.get(c.task.unit, ""), c.task.code, c.task.content,
                                    c.before.value, c.after.value] for i, c in enumerate(result.changes, start=1)),
                   fmt, fast, title=f"NHIỆM VỤ THAY ĐỔI TÌNH TRẠNG SO VỚI KỲ {result.previous.name.upper()}"
                   if result.previous else "NHIỆM VỤ THAY ĐỔI TÌNH TRẠNG")
        _table(book, SCORES, _score_rows(result), fmt, fast,
               title="CÁCH TÍNH ĐIỂM TỪNG ĐƠN VỊ (điểm cơ sở, thưởng, trừ theo [scoring] trong camket.toml)")
        if result.gaps:
            _table(book, APPRAISAL_SUMMARY, ([u.unit.code, u.unit.name, u.points, u.self_score, u.appraised, u.gap,
                                              float(percent(u.appraised or 0, u.points)) if u.points else 0.0]
                                             for u in result.gaps), fmt, fast,
                   title="ĐIỂM TỰ CHẤM VÀ ĐIỂM THẨM ĐỊNH (chênh lệch lớn nhất trước)")
        _table(book, FINDINGS, ([i, f.severity.label, f.code, f.location.file, f.location.sheet, f.location.cell,
                                 f.unit, f.task, f.message, f.advice]
                                for i, f in enumerate(_sorted(result), start=1)), fmt, fast,
               title="LỖI VÀ CẢNH BÁO DỮ LIỆU")
        book.get_worksheet_by_name("Tổng hợp").activate()
        try:
            book.close()
            splice(tmp, fast)
        finally:
            for table in fast:
                table.discard()
    return path


def _trend(book: Any, progress: Trend, names: dict[str, str], fmt: dict[str, Any]) -> None:
    """Completion rate round by round: the programme, then every unit; and a line chart."""
    ws = book.add_worksheet(TREND_SHEET)
    ws.write_string(0, 0, "TIẾN ĐỘ HOÀN THÀNH QUA CÁC KỲ BÁO CÁO", fmt["title"])
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 40)
    ws.write_string(2, 0, MASTER_UNITS["unit_code"].header, fmt["header"])
    ws.write_string(2, 1, MASTER_UNITS["unit_name"].header, fmt["header"])
    for c, round_ in enumerate(progress.rounds, start=2):
        ws.set_column(c, c, 14)
        ws.write_string(2, c, round_.name, fmt["header"])
    ws.write_string(3, 0, "", fmt["label"])
    ws.write_string(3, 1, "Toàn chương trình", fmt["label"])
    for c, totals in enumerate(progress.overall, start=2):
        ws.write_number(3, c, _fraction(totals.rate), fmt[Kind.PERCENT])
    for r, (code, rates) in enumerate(progress.units.items(), start=4):
        ws.write_string(r, 0, code, fmt[Kind.CODE])
        ws.write_string(r, 1, names.get(code, code), fmt[Kind.TEXT])
        for c, rate in enumerate(rates, start=2):
            if rate is None:
                ws.write_string(r, c, "Chưa báo cáo", fmt["missing"])
            else:
                ws.write_number(r, c, _fraction(rate), fmt[Kind.PERCENT])
    ws.freeze_panes(3, 2)
    last = 1 + len(progress.rounds)
    chart = book.add_chart({"type": "line"})
    chart.add_series({"name": "Tỉ lệ hoàn thành toàn chương trình", "categories": [TREND_SHEET, 2, 2, 2, last],
                      "values": [TREND_SHEET, 3, 2, 3, last], "marker": {"type": "circle"},
                      "data_labels": {"value": True, "num_format": "0.0%"}})
    chart.set_title({"name": "Tiến độ hoàn thành qua các kỳ"})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"none": True})
    ws.insert_chart(3, last + 2, chart)


def _score_rows(result: Result) -> Iterable[list[Any]]:
    for i, u in enumerate(result.units, start=1):
        b = u.breakdown
        if b is None:
            continue
        yield [i, u.unit.code, u.unit.name, b.source, b.points, b.earned, float(b.base), float(b.hard_bonus),
               float(b.late_completion), float(b.overdue), float(b.late_report), float(b.missing_report),
               float(b.total), u.rating]


def _sorted(result: Result) -> list[Any]:
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(result.findings, key=lambda f: (order[f.severity.value], f.location.file, f.unit))
