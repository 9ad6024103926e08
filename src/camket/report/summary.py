"""The sheet *Tổng hợp* of the consolidated workbook: the headline figures, the tables by
group, block and source, and native charts of completion and of the task classes.

The sheet prints one page wide at a fixed scale rather than "fit to page", under which
Excel drops manual page breaks. A table that would not fit in what is left of a page
starts the next one, so no table header is left alone at the foot of a page. The charts
start on a page of their own, side by side when the sheet is wide enough (interim
rounds) and one below the other otherwise, each inside the printed width and on one
page. Every bar carries its label: LibreOffice labels only every other bar as soon as one
label wraps without room for two lines, so the bars are spaced for the labels and a
label too long for the space is shortened.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..model import Derived
from ..reconcile import Result, Totals
from ..safetext import XLSX_CELL_LIMIT, safe_text
from ..schema import Kind
from ..vi import format_percent, percent, short_name, text_date
from ..xlsxkit import row_height, text_ems
from .basis import Bar, Basis, completion_bars
from .palette import BAR, CLASS_COLOURS, MISSING, NO_DUE

__all__ = ["CHART_DATA", "PAGE_PX", "SHEET", "column_px", "fraction", "headline", "layout", "write_summary"]

CHART_DATA = "Dữ liệu biểu đồ"
SHEET = "Tổng hợp"
PAGE_PX = 1024       # printable width of landscape A4 with 0.5" margins, in pixels at 100%
_PAGE_PT = 509       # printable height: 210 mm less 0.6" top and bottom, in points at 100%
_FILL = 0.97         # how full a page is planned: Excel and LibreOffice lay rows out a little differently
_WIDER = 1.07        # LibreOffice lays a column out wider than Excel (about 7.45 pixels a character, not 7)
_ROW_PT = 15         # a row without a height of its own
_FIRST_WIDTH, _WIDTH = 40, 11  # the label column, the figure columns
_PIE = (480, 340)    # the doughnut beside the bars
_PIE_BELOW = (560, 340)  # the doughnut below them
_BAR_BESIDE_PX = 700  # the least width of the bars with the doughnut beside them
_GAP_PX = 10         # between the charts side by side
_INSET_PX = 4        # charts start this far inside their first row: a border on the row line prints on both pages
_BAR_PX, _BAR_TWO_LINES_PX, _BAR_MIN_PX = 22, 30, 14  # the space of one bar: one-line label, two lines, least
_BAR_FRAME_PX = 100  # the title and the axis of the bar chart
_ONE_LINE_EM = 13.0  # the widest label LibreOffice keeps on one line, in ems (it wraps some from 13.4)
_FONT = {"name": "Times New Roman", "size": 9}
_TITLE_FONT = {"name": "Times New Roman", "size": 12, "bold": True}


def fraction(rate: Any) -> float:
    """A percentage (0-100, already rounded) as the fraction Excel's ``0.0%`` shows."""
    return float(rate) / 100


def _text(value: str) -> str:
    return safe_text(value, XLSX_CELL_LIMIT)


def headline(result: Result, basis: Basis) -> str:
    """The round in one sentence, as the Tổng hợp sheet states it."""
    o, b = result.overall, basis.overall
    if basis.interim:
        text = (f"Đã hoàn thành {b.completed}/{b.total} nhiệm vụ đến hạn, đạt tỉ lệ {format_percent(b.rate)}; "
                if b.total else "Chưa có nhiệm vụ đến hạn; ")
        text += f"lũy kế {o.completed}/{o.total} nhiệm vụ của cả năm ({format_percent(o.rate)})."
    else:
        text = f"Đã hoàn thành {o.completed}/{o.total} nhiệm vụ, đạt tỉ lệ {format_percent(o.rate)}."
    heads = result.heads
    full = [u for u in heads if u.answered and (t := basis.by_unit.get(u.unit.code)) and t.total
            and t.completed == t.total]
    scope = basis.scope
    if full:
        text += f" Có {len(full)}/{len(heads)} thủ trưởng hoàn thành 100% {scope}."
    else:
        text += f" Chưa có thủ trưởng nào hoàn thành 100% {scope}."
    return text


@dataclass(frozen=True)
class Page:
    """How the sheet prints: its ``scale`` (percent) and the points of a page at that scale."""

    scale: int
    capacity: float

    @property
    def capacity_px(self) -> int:
        return int(self.capacity * 4 / 3)


def _page(width_px: int) -> Page:
    """The page of a sheet ``width_px`` wide (as Excel lays it out) printed one page wide."""
    scale = min(100, int(100 * PAGE_PX / (width_px * _WIDER)))
    return Page(scale, _PAGE_PT * 100 / scale * _FILL)


class _Rows:
    """The sheet's row heights as written (points), to lay out its pages."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.heights: dict[int, float] = {}

    def set(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self.heights[row] = int(height * 4 / 3 + 0.5) * 0.75  # in whole pixels, as xlsxwriter writes it

    def span(self, first: int, last: int) -> float:
        """Points from the top of ``first`` to the bottom of ``last``."""
        return sum(self.heights.get(r, _ROW_PT) for r in range(first, last + 1))


def layout(sections: Sequence[tuple[int, float, float]], capacity: float) -> list[int]:
    """The rows that start a page: before each ``(first row, lead, height)`` section that
    does not fit in what is left of its page (``lead`` is the blank space above it, which
    a new page drops). A section taller than a page starts one and runs on.

    >>> layout([(0, 0, 300), (12, 30, 100), (20, 30, 150)], 500)
    [20]
    """
    breaks: list[int] = []
    used = 0.0
    for first, lead, height in sections:
        if used and used + lead + height > capacity:
            breaks.append(first)
            used = height % capacity
        else:
            used += lead + height
    return breaks


def write_summary(book: Any, result: Result, basis: Basis, settings: Settings, fmt: dict[Any, Any]) -> None:
    """The sheet *Tổng hợp* (see the module's docstring)."""
    ws = book.add_worksheet(SHEET)
    rows = _Rows(ws)
    r = result.round
    o = result.overall
    columns = _total_columns(basis)
    last = len(columns)
    ws.set_column(0, 0, _FIRST_WIDTH)
    ws.set_column(1, last, _WIDTH)
    width_px = column_px(_FIRST_WIDTH) + last * column_px(_WIDTH)
    page = _page(width_px)
    ws.merge_range(0, 0, 0, last, _text(f"TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRỌNG TÂM - {r.name.upper()}"),
                   fmt["title"])
    rows.set(0, 20)
    ws.write_string(1, 0, _text(f"{settings.agency.name} - {settings.title}"), fmt["subtitle"])
    ws.write_string(2, 0, f"Số liệu tính đến ngày {text_date(r.as_of)}; hạn gửi báo cáo {text_date(r.due)}",
                    fmt["subtitle"])
    for c, label in enumerate(("Chỉ tiêu", "Số lượng", "Tỉ lệ")):
        ws.write_string(4, c, label, fmt["header"])
    heads = result.heads
    answered = sum(1 for u in heads if u.answered)
    lines: list[tuple[str, int, Any, bool]] = []
    if basis.interim:
        due = basis.overall
        lines += [
            (f"Nhiệm vụ đến hạn (thời hạn đến ngày {text_date(r.as_of)})", due.total, None, False),
            ("Đã hoàn thành", due.completed, due.rate if due.total else None, True),
            ("trong đó: hoàn thành quá hạn", due.done_late, None, True),
            ("Chưa hoàn thành", due.total - due.completed, percent(due.total - due.completed, due.total)
             if due.total else None, True),
        ]
    year = " cả năm" if basis.interim else ""
    lines += [
        (f"Tổng số nhiệm vụ{year}", o.total, None, False),
        ("Đã hoàn thành" + (" (lũy kế)" if basis.interim else ""), o.completed, o.rate, True),
        ("trong đó: hoàn thành đúng hạn", o.done_on_time, None, True),
        ("trong đó: hoàn thành quá hạn", o.done_late, None, True),
        ("Đang thực hiện", o.in_progress, percent(o.in_progress, o.total), True),
        ("trong đó: quá hạn", o.in_progress_overdue, None, True),
        ("Chưa thực hiện", o.not_started, percent(o.not_started, o.total), True),
        ("Không thực hiện (có lý do)", o.not_done, percent(o.not_done, o.total), True),
        ("Chưa báo cáo", o.not_reported, percent(o.not_reported, o.total), True),
        *_target_lines(result),
        ("Đơn vị đã báo cáo", answered, percent(answered, len(heads)), False),
        ("Đơn vị chưa báo cáo", len(result.missing), None, False),
        ("Đơn vị gửi sau thời hạn", len(result.late), None, False),
    ]
    for i, (label, number, rate, sub) in enumerate(lines, start=5):
        ws.write_string(i, 0, label, fmt["indent" if sub else "label"])
        rows.set(i, row_height([(label, 38)]))
        ws.write_number(i, 1, number, fmt[Kind.INTEGER])
        if rate is None:
            ws.write_blank(i, 2, None, fmt[Kind.PERCENT])
        else:
            ws.write_number(i, 2, fraction(rate), fmt[Kind.PERCENT])
    row = 5 + len(lines) + 1
    ws.merge_range(row, 0, row, last, _text(headline(result, basis)), fmt["sentence"])
    rows.set(row, 32)
    sections = [(0, 0.0, rows.span(0, row))]
    end = row
    row += 2
    for title, groups, due_groups in (("Theo nhóm nhiệm vụ", result.by_group, basis.by_group),
                                      ("Theo khối", result.by_block, basis.by_block),
                                      ("Theo nguồn", result.by_source, result.due_by_source)):
        lead = rows.span(end + 1, row - 1)
        end = _totals_table(rows, row, title, groups, due_groups if basis.interim else None, columns, fmt)
        sections.append((row, lead, rows.span(row, end)))
        row = end + 2
    row, pie_page = _charts(book, ws, result, basis, row, width_px, page, fmt)
    ws.set_h_pagebreaks([*layout(sections, page.capacity), end + 2, *pie_page])  # the charts on pages of their own
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_area(0, 0, row, last)
    ws.set_print_scale(page.scale)
    ws.set_footer(f"&C{SHEET} - Trang &P/&N")


def column_px(width: float) -> int:
    """A column's width in pixels (as Excel lays out the default font)."""
    return int(width * 7 + 5)


def _target_lines(result: Result) -> list[tuple[str, int, Any, bool]]:
    """The numeric targets: tasks that have one, and of those reported done, how many reached it."""
    g = result.targets
    if not g.numeric:
        return []
    counted = "tính là hoàn thành" if result.below_target_done else "tính là đang thực hiện"
    return [
        ("Nhiệm vụ có chỉ tiêu định lượng", g.numeric, None, False),
        ("Báo cáo hoàn thành", g.done, None, True),
        ("trong đó: đạt chỉ tiêu", g.met, percent(g.met, g.done) if g.done else None, True),
        (f"trong đó: chưa đạt chỉ tiêu ({counted})", g.not_met, percent(g.not_met, g.done) if g.done else None,
         True),
        ("trong đó: chưa ghi giá trị đạt được", g.no_value, None, True),
    ]


def _total_columns(basis: Basis) -> tuple[str, ...]:
    due = ("Nhiệm vụ đến hạn", "Hoàn thành (đến hạn)", "Tỉ lệ (đến hạn)") if basis.interim else ()
    return (*due, "Tổng số", "Hoàn thành", "Đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện", "Chưa thực hiện",
            "Không thực hiện", "Chưa báo cáo", "Tỉ lệ hoàn thành" + (" (cả năm)" if basis.interim else ""))


def _totals_table(rows: _Rows, row: int, title: str, groups: dict[str, Totals], due: dict[str, Totals] | None,
                  columns: tuple[str, ...], fmt: dict[Any, Any]) -> int:
    """A table of totals with its header at ``row``; returns its last row."""
    ws = rows.ws
    ws.write_string(row, 0, title, fmt["header"])
    for c, label in enumerate(columns, start=1):
        ws.write_string(row, c, label, fmt["header"])
    rows.set(row, row_height([(label, _WIDTH) for label in columns], minimum=30))
    for name, t in groups.items():
        row += 1
        ws.write_string(row, 0, _text(name), fmt[Kind.TEXT])
        c = 1
        if due is not None:
            d = due.get(name, Totals())
            ws.write_number(row, 1, d.total, fmt[Kind.INTEGER])
            ws.write_number(row, 2, d.completed, fmt[Kind.INTEGER])
            if d.total:
                ws.write_number(row, 3, fraction(d.rate), fmt[Kind.PERCENT])
            else:
                ws.write_blank(row, 3, None, fmt[Kind.PERCENT])
            c = 4
        for value in (t.total, t.completed, t.done_on_time, t.done_late, t.in_progress, t.not_started, t.not_done,
                      t.not_reported):
            ws.write_number(row, c, value, fmt[Kind.INTEGER])
            c += 1
        ws.write_number(row, c, fraction(t.rate), fmt[Kind.PERCENT])
        rows.set(row, row_height([(name, _FIRST_WIDTH)]))
    return row


def _labels(bars: list[Bar], room_px: int) -> tuple[list[str], int]:
    """The bars' labels and the pixels of one bar: one line each when they fit on one,
    else two when the page has room for them, else shortened to one line."""
    labels = [b.label for b in bars]
    n = max(len(bars), 1)
    close = max(_BAR_MIN_PX, min(_BAR_PX, (room_px - _BAR_FRAME_PX) // n))
    if all(text_ems(label) <= _ONE_LINE_EM for label in labels):
        return labels, close
    if _BAR_TWO_LINES_PX * n + _BAR_FRAME_PX <= room_px:
        return [_shorten(label, 2 * _ONE_LINE_EM) for label in labels], _BAR_TWO_LINES_PX
    return [_shorten(short_name(label, 24), _ONE_LINE_EM) for label in labels], close  # "TT …" before "…"


def _shorten(label: str, ems: float) -> str:
    """``label`` cut at a word with "…" to at most ``ems`` wide."""
    if text_ems(label) <= ems:
        return label
    words = label.split(" ")
    while len(words) > 1 and text_ems(" ".join(words) + "…") > ems:
        words.pop()
    return " ".join(words).rstrip(",-–") + "…"


def _charts(book: Any, ws: Any, result: Result, basis: Basis, row: int, width_px: int, page: Page,
            fmt: dict[Any, Any]) -> tuple[int, list[int]]:
    """Completion by unit (by block for many units) and the classes of tasks, from ``row``
    (the first row of a page); returns the last row they cover and the row that starts
    the page of the doughnut when it goes on a page of its own."""
    data = book.add_worksheet(CHART_DATA)
    data.hide()
    bars, bar_title = completion_bars(result, basis)
    room = page.capacity_px - 2 * _INSET_PX
    labels, per_bar = _labels(bars, room)
    for i, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        data.write_string(i, 0, _text(label))
        data.write_number(i, 1, fraction(bar.rate) if bar.rate is not None else 0, fmt[Kind.PERCENT])
        if bar.note:
            data.write_string(i, 2, bar.note)
    classes = [(d, result.overall.count(d)) for d in Derived if result.overall.count(d)]
    for i, (derived, value) in enumerate(classes):
        data.write_string(i, 3, derived.value)
        data.write_number(i, 4, value)
    beside = width_px - _PIE[0] - _GAP_PX - _INSET_PX >= _BAR_BESIDE_PX
    bar_width = width_px - _INSET_PX - ((_PIE[0] + _GAP_PX) if beside else 0)
    bar_height = min(room, max(_PIE[1], per_bar * len(bars) + _BAR_FRAME_PX))
    bar = book.add_chart({"type": "bar"})
    end = max(len(bars) - 1, 0)
    notes = [None if b.rate is not None else
             {"value": b.note, "font": {**_FONT, "italic": True, "color": MISSING if b.note == "chưa báo cáo"
                                        else NO_DUE}} for b in bars]
    bar.add_series({"name": "Tỉ lệ hoàn thành", "categories": [CHART_DATA, 0, 0, end, 0],
                    "values": [CHART_DATA, 0, 1, end, 1], "fill": {"color": BAR}, "gap": 60,
                    "data_labels": {"value": True, "num_format": "0.0%", "font": _FONT, "custom": notes}})
    bar.set_title({"name": bar_title, "name_font": _TITLE_FONT})
    bar.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "major_gridlines": {"visible": True},
                    "num_font": _FONT})
    bar.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {**_FONT, "size": 9 if per_bar >= 18 else 8}})
    bar.set_legend({"none": True})
    bar.set_size({"width": bar_width, "height": bar_height})
    ws.insert_chart(row, 0, bar, {"y_offset": _INSET_PX})
    pie_width, pie_height = _PIE if beside else _PIE_BELOW
    pie = book.add_chart({"type": "doughnut"})
    pie_title = "Cơ cấu nhiệm vụ theo tình trạng thực hiện"
    pie.add_series({"name": pie_title, "categories": [CHART_DATA, 0, 3, max(len(classes) - 1, 0), 3],
                    "values": [CHART_DATA, 0, 4, max(len(classes) - 1, 0), 4],
                    "points": [{"fill": {"color": CLASS_COLOURS[d]}} for d, _ in classes],
                    "data_labels": {"percentage": True, "font": _FONT}})
    pie.set_title({"name": pie_title, "name_font": _TITLE_FONT})
    pie.set_legend({"position": "right", "font": _FONT})
    pie.set_size({"width": pie_width, "height": pie_height})
    bar_rows = _rows_of(bar_height)
    if beside:
        ws.insert_chart(row, 0, pie, {"x_offset": bar_width + _GAP_PX, "y_offset": _INSET_PX})
        return row + max(bar_rows, _rows_of(pie_height)), []
    below = row + bar_rows + 1
    ws.insert_chart(below, 0, pie, {"y_offset": _INSET_PX})
    alone = bar_height + _ROW_PT * 4 / 3 + pie_height + 2 * _INSET_PX > room
    return below + _rows_of(pie_height), [below] if alone else []


def _rows_of(height_px: int) -> int:
    """Rows of the default height that hold a chart ``height_px`` tall."""
    return math.ceil((height_px + _INSET_PX) / (_ROW_PT * 4 / 3))
