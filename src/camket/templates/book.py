"""One template workbook: instructions, the locked report sheet, the signed metadata.

:func:`write_template` also writes feedback workbooks: the same template pre-filled
with what a unit sent, problem cells commented, and a first sheet listing problems.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..atomic import atomic_path
from ..config import Settings
from ..fastsheet import FastRows, Part, escape_text, read_parts, write_parts
from ..model import Round, Status, Task, Unit
from ..safetext import safe_text
from ..schema import REPORT, STATUS_VALUES, Column, Kind
from ..stamp import META_SHEET, Stamp, locked_values, row_hash
from ..targets import parse_target
from ..vi import text_date
from ..xlsxkit import WORKBOOK_OPTIONS, row_height
from .guide import guide_heights, write_guide, write_problems
from .layout import ADDED_MARKER, FROZEN_COLUMNS, HEADER_ROW, WIDTHS, ZOOM, col, fit_height, hint, letter, widths

__all__ = ["TemplateJob", "unit_texts", "write_template"]

_FONT = {"font_name": "Times New Roman", "font_size": 11}
_INPUT_FILL = "#FFF2CC"
_NOT_APPLICABLE_FILL = "#EDEDED"  # an input that does not apply to the row (no numeric target): locked, grey


@dataclass(frozen=True)
class TemplateJob:
    """Everything one workbook needs; picklable so batches can run in worker processes."""

    path: Path
    unit: Unit
    tasks: tuple[Task, ...]
    round: Round
    settings: Settings
    workspace_id: str
    secret: bytes
    generated: dt.datetime
    prefill: dict[str, dict[str, Any]] = field(default_factory=dict)
    added: tuple[dict[str, Any], ...] = ()
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: tuple[tuple[str, str], ...] = ()
    problems_title: str = ""
    problems_intro: str = ""                       # feedback: what the office is asked to do, by when
    remarks: tuple[tuple[str, str], ...] = ()     # feedback: notes for next time (nothing to resend)
    deadline: dt.date | None = None               # feedback: the new deadline to send the report
    link: str = ""                                 # the unit's personal upload link, shown in the guide

    def widths(self) -> dict[str, float]:
        """The Báo cáo sheet's column widths for this unit's task codes (see :func:`~.layout.widths`)."""
        return widths([*(t.code for t in self.tasks), *(str(a.get("task_code") or "") for a in self.added)])

    @property
    def feedback(self) -> bool:
        """Whether this workbook is a feedback workbook (it opens on the sheet of what to do)."""
        return bool(self.problems or self.problems_intro or self.remarks)


def _formats(book: Any) -> dict[str, Any]:
    base = {**_FONT, "border": 1, "valign": "top", "text_wrap": True}
    add = book.add_format
    return {
        "title": add({**_FONT, "bold": True, "font_size": 14, "align": "left", "valign": "vcenter",
                      "text_wrap": True}),
        "agency": add({**_FONT, "bold": True, "font_size": 12, "text_wrap": True, "valign": "top"}),
        "subtitle": add({**_FONT, "italic": True, "align": "left", "text_wrap": True, "valign": "top"}),
        "label": add({**_FONT, "bold": True, "align": "right"}),
        "value": add({**_FONT}),
        "value_date": add({**_FONT, "num_format": "dd/mm/yyyy", "bold": True, "align": "left"}),
        "legend": add({**_FONT, "italic": True, "font_size": 10, "text_wrap": True, "valign": "top"}),
        "header": add({**_FONT, "bold": True, "align": "center", "valign": "vcenter", "border": 1,
                       "text_wrap": True, "bg_color": "#D9E1F2"}),
        "locked": add(base),
        "locked_center": add({**base, "align": "center"}),
        "locked_date": add({**base, "num_format": "dd/mm/yyyy", "align": "center"}),
        "locked_number": add({**base, "num_format": "General", "align": "center"}),
        "input": add({**base, "locked": False, "bg_color": _INPUT_FILL}),
        "input_date": add({**base, "locked": False, "bg_color": _INPUT_FILL,
                           "num_format": "dd/mm/yyyy", "align": "center"}),
        "input_number": add({**base, "locked": False, "bg_color": _INPUT_FILL, "align": "center"}),
        "not_applicable": add({**base, "bg_color": _NOT_APPLICABLE_FILL}),
        "marker": add({**_FONT, "bold": True, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True,
                       "valign": "vcenter"}),
        "warn": add({"bg_color": "#F8CBAD", "font_color": "#9C0006"}),
        "late": add({"bg_color": "#FCE4D6"}),
        "problem": add({**base, "locked": False, "bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "problem_date": add({**base, "locked": False, "bg_color": "#FFC7CE",
                             "font_color": "#9C0006", "num_format": "dd/mm/yyyy"}),
        "sign": add({**_FONT, "bold": True, "align": "center"}),
        "sign_note": add({**_FONT, "italic": True, "align": "center"}),
    }


def _input_format(column: Column, fmt: dict[str, Any], problem: bool) -> Any:
    if problem:
        return fmt["problem_date"] if column.kind is Kind.DATE else fmt["problem"]
    if column.kind is Kind.DATE or column.kind is Kind.DEADLINE:
        return fmt["input_date"]
    if column.kind in (Kind.NUMBER, Kind.PERCENT):
        return fmt["input_number"]
    return fmt["input"]


_TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRỌNG TÂM ĐÃ CAM KẾT"
_LEGEND = ("Chỉ nhập vào các ô nền vàng; các ô khác đã khóa. Nhiệm vụ phát sinh trong kỳ ghi ở cuối bảng. "
           "Xem sheet Hướng dẫn.")


def _header_block(ws: Any, job: TemplateJob, texts: Mapping[str, str], fmt: dict[str, Any],
                  last_col: int) -> None:
    """Titles inside the frozen columns (A–C), so no title is cut at the freeze line on screen."""
    block = FROZEN_COLUMNS - 1
    heights = _header_heights(job)
    ws.merge_range(0, 0, 0, block, job.settings.agency.name.upper(), fmt["agency"])
    ws.merge_range(1, 0, 1, block, _TITLE, fmt["title"])
    ws.merge_range(2, 0, 2, block, _period(job), fmt["subtitle"])
    ws.merge_range(3, 0, 3, 1, "Đơn vị:", fmt["label"])
    ws.write_string(3, 2, texts["unit_name"], fmt["value"])
    ws.write_string(3, 3, "Mã đơn vị:", fmt["label"])
    ws.write_string(3, 4, texts["unit_code"], fmt["value"])
    ws.merge_range(4, 0, 4, 1, "Thủ trưởng:", fmt["label"])
    ws.write_string(4, 2, texts["head_line"], fmt["value"])
    ws.write_string(4, 3, "Hạn gửi lại:" if job.deadline else "Hạn gửi:", fmt["label"])
    ws.write_datetime(4, 4, dt.datetime.combine(job.deadline or job.round.due, dt.time()), fmt["value_date"])
    ws.merge_range(5, 0, 5, block, _LEGEND, fmt["legend"])
    for c, column in enumerate(REPORT.columns):
        ws.write_string(HEADER_ROW, c, column.header, fmt["header"])
    for row, height in enumerate(heights):
        if height is not None:
            ws.set_row(row, height)


def _period(job: TemplateJob) -> str:
    return f"Kỳ báo cáo: {job.round.name} (số liệu tính đến ngày {text_date(job.round.as_of)})"


def _header_heights(job: TemplateJob) -> list[float | None]:
    """The heights of the rows above the tasks (None: the default), the column labels last."""
    width = sum(WIDTHS[c.key] for c in REPORT.columns[:FROZEN_COLUMNS])  # the frozen block: the same for every unit
    return [row_height([(job.settings.agency.name.upper(), width)], font_size=12),
            row_height([(_TITLE, width - 4)], font_size=14), row_height([(_period(job), width)]), None, None,
            row_height([(_LEGEND, width + 4)], font_size=10), _LABELS_HEIGHT]


_LABELS_HEIGHT = 45  # the row of column labels, repeated on every printed page
_MARKER_HEIGHT = 30


_LOCKED_STYLES = {"stt": "locked_center", "task_code": "locked_center", "points": "locked_number",
                  "deadline": "locked_date"}
_WRAPPED = [c.key for c in REPORT.columns if c.kind is Kind.TEXT]


def _task_height(task: Task, answers: Mapping[str, Any], widths: Mapping[str, float]) -> float:
    texts = {"content": task.content, "group": task.group, "product": task.product, "target": task.target,
             **answers}
    return row_height((texts.get(key), widths[key]) for key in _WRAPPED)


def _added_height(given: Mapping[str, Any], widths: Mapping[str, float]) -> float:
    return row_height(((given.get(c.key), widths[c.key]) for c in REPORT.columns), minimum=_MARKER_HEIGHT)


def _print_heights(job: TemplateJob) -> list[float]:
    """Every printed row's height in points, from the title to the signature block."""
    w = job.widths()
    added = [_added_height(job.added[i] if i < len(job.added) else {}, w) for i in range(_added_count(job))]
    return [*(h or 15 for h in _header_heights(job)),
            *(_task_height(task, job.prefill.get(task.code) or {}, w) for task in job.tasks),
            _MARKER_HEIGHT, *added, 15, 15, 15, 15]


def _task_rows(rows: FastRows, job: TemplateJob, fmt: dict[str, Any]) -> list[tuple[str, int, str]]:
    """One row per task: locked master values, open inputs (pre-filled if given)."""
    stamped: list[tuple[str, int, str]] = []
    locked = [fmt[_LOCKED_STYLES.get(c.key, "locked")] if c.locked else None for c in REPORT.columns]
    plain = [style if style is not None else _input_format(c, fmt, False) for style, c in zip(
        locked, REPORT.columns, strict=True)]
    achieved = col("achieved")
    w = job.widths()
    for i, task in enumerate(job.tasks):
        row = HEADER_ROW + 1 + i
        answers = job.prefill.get(task.code) or {}
        master = {"stt": i + 1, "task_code": task.code, "content": task.content, "group": task.group,
                  "product": task.product, "target": task.target, "points": task.points,
                  "deadline": task.deadline if task.deadline is not None else task.deadline_text}
        values = [master[c.key] if c.locked else answers.get(c.key) for c in REPORT.columns]
        styles = plain
        if job.notes:
            styles = [style if c.locked else _input_format(c, fmt, (task.code, c.key) in job.notes)
                      for style, c in zip(locked, REPORT.columns, strict=True)]
        if parse_target(task.target) is None and values[achieved] is None:
            styles = [*styles[:achieved], fmt["not_applicable"], *styles[achieved + 1:]]
        rows.add(values, styles, row=row, height=_task_height(task, answers, w))
        stamped.append((task.code, row + 1, row_hash(locked_values(task))))
    return stamped


def _added_count(job: TemplateJob) -> int:
    return max(job.settings.extra_rows, len(job.added))


def _added_rows(rows: FastRows, job: TemplateJob, fmt: dict[str, Any], first: int) -> None:
    """The empty (or pre-filled) rows for tasks added during the round, below the marker row."""
    w = job.widths()
    for i in range(_added_count(job)):
        given = job.added[i] if i < len(job.added) else {}
        values = [f"PS{i + 1}" if c.key == "stt" else given.get(c.key) for c in REPORT.columns]
        styles = [fmt["locked_center"] if c.key == "stt" else
                  _input_format(c, fmt, (f"+{i + 1}", c.key) in job.notes) for c in REPORT.columns]
        rows.add(values, styles, row=first + 1 + i, height=_added_height(given, w))


def _added_marker(ws: Any, job: TemplateJob, fmt: dict[str, Any], first: int, last_col: int) -> int:
    ws.merge_range(first, 0, first, last_col,
                   f"{ADDED_MARKER} (nếu có): ghi thêm nhiệm vụ phát sinh trong kỳ vào các dòng dưới đây; "
                   "nhiệm vụ phát sinh được ghi nhận là đề xuất, không tính vào kết quả cam kết.",
                   fmt["marker"])
    ws.set_row(first, _MARKER_HEIGHT)
    return first + _added_count(job)


def _comments(ws: Any, job: TemplateJob) -> None:
    """Feedback notes as cell comments: on a task's input cells, on any cell of an added row."""
    tasks = {task.code: HEADER_ROW + 1 + i for i, task in enumerate(job.tasks)}
    marker = HEADER_ROW + 1 + len(job.tasks)
    added = {f"+{i}": marker + i for i in range(1, _added_count(job) + 1)}
    for (where, key), note in job.notes.items():
        if where in tasks and key in _INPUT_INDEX:
            row, c = tasks[where], _INPUT_INDEX[key]
        elif where in added and key in _ALL_INDEX:
            row, c = added[where], _ALL_INDEX[key]
        else:
            continue
        ws.write_comment(row, c, safe_text(note, 30_000), {"x_scale": 2.5, "y_scale": 2, "author": "camket"})


_ALL_INDEX = {c.key: i for i, c in enumerate(REPORT.columns)}
_INPUT_INDEX = {c.key: i for i, c in enumerate(REPORT.columns) if not c.locked}


def _validations(ws: Any, job: TemplateJob, first: int, last: int, added_first: int) -> None:
    """Input rules on the task rows (``first``..``added_first - 2``) and the added rows."""
    year = job.settings.year
    due = job.round.due
    date_rule = {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(year, 1, 1), "maximum": due,
    }
    status, progress, done = REPORT["status"], REPORT["progress"], REPORT["completed_on"]
    rules: list[tuple[Column, dict[str, Any]]] = [
        (status, {"validate": "list", "source": list(STATUS_VALUES)}),
        (progress, {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}),
        (REPORT["achieved"], {"validate": "decimal", "criteria": ">=", "value": 0}),
        (done, date_rule),
    ]
    for column, rule in rules:
        c = col(column.key)
        ws.data_validation(first, c, last, c, {
            **rule, "input_title": column.header[:32], "input_message": hint(column, job.round, year)[:255],
            "error_title": "Giá trị không hợp lệ", "error_message": column.error[:255],
            "error_type": "stop", "show_error": True, "show_input": True,
        })
    score = REPORT["self_score"]
    c = col(score.key)
    common = {"input_title": score.header, "input_message": score.hint,
              "error_title": "Giá trị không hợp lệ", "error_message": score.error,
              "error_type": "stop", "show_error": True, "show_input": True}
    if added_first - 2 >= first:
        points = xl_rowcol_to_cell(first, col("points"), row_abs=False, col_abs=True)
        ws.data_validation(first, c, added_first - 2, c, {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": f"={points}",
            **common})
    ws.data_validation(added_first, c, last, c, {
        "validate": "decimal", "criteria": ">=", "value": 0, **common})


def _conditional_formats(ws: Any, job: TemplateJob, fmt: dict[str, Any], first: int, last: int) -> None:
    r = first + 1
    st, pr, dn, dl = (f"${letter(k)}{r}" for k in ("status", "progress", "completed_on", "deadline"))
    done = Status.DONE.value
    as_of = job.round.as_of
    ws.conditional_format(first, col("completed_on"), last, col("completed_on"), {
        "type": "formula", "criteria": f'=AND({st}="{done}",{dn}="")', "format": fmt["warn"]})
    ws.conditional_format(first, 0, last, len(REPORT.columns) - 1, {
        "type": "formula",
        "criteria": f'=AND(ISNUMBER({dl}),{dl}<DATE({as_of.year},{as_of.month},{as_of.day}),{st}<>"{done}")',
        "format": fmt["late"]})
    ws.conditional_format(first, col("status"), last, col("progress"), {
        "type": "formula", "criteria": f'=AND({pr}=100,{st}<>"{done}",{st}<>"")', "format": fmt["warn"]})


def _print_setup(ws: Any, job: TemplateJob, texts: Mapping[str, str], last_row: int, last_col: int,
                 tall: int) -> None:
    """A4 landscape, one page wide and ``tall`` pages tall (0: as many as it takes)."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, tall)
    ws.repeat_rows(HEADER_ROW)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&8 {texts['header_name']}&R&8 Kỳ báo cáo: {job.round.name.replace('&', '&&')}")
    ws.set_footer("&CTrang &P/&N")
    ws.freeze_panes(HEADER_ROW + 1, FROZEN_COLUMNS)
    ws.set_zoom(ZOOM)


def _signature(ws: Any, fmt: dict[str, Any], row: int, last_col: int) -> int:
    ws.merge_range(row, last_col - 4, row, last_col, "…, ngày … tháng … năm …", fmt["sign_note"])
    ws.merge_range(row + 1, 1, row + 1, 3, "NGƯỜI LẬP BIỂU", fmt["sign"])
    ws.merge_range(row + 1, last_col - 4, row + 1, last_col, "THỦ TRƯỞNG ĐƠN VỊ", fmt["sign"])
    ws.merge_range(row + 2, last_col - 4, row + 2, last_col, "(Ký, ghi rõ họ tên)", fmt["sign_note"])
    return row + 2


def unit_texts(unit: Unit) -> dict[str, str]:
    """What a template says about its unit, by place (all other text is the round's)."""
    unit = replace(unit, **{key: safe_text(getattr(unit, key)).replace("\n", " ")
                            for key in ("code", "name", "head", "position")})
    return {
        "unit_name": unit.name,
        "unit_code": unit.code,
        "head_line": ", ".join(x for x in (unit.head, unit.position) if x),
        "guide_unit": f"{unit.name} (mã {unit.code})",
        "header_name": unit.name[:120].replace("&", "&&"),  # & starts a code in page headers
        "subject": f"{unit.code} - {unit.name}",
    }


@dataclass
class _Rendered:
    """A template as xlsxwriter renders it, without its rows; :func:`_fill` completes it."""

    job: TemplateJob
    parts: list[Part]
    report: Any  # the closed worksheets: only their names are used from here on
    meta: Any
    fmt: dict[str, Any]


def _tall(job: TemplateJob) -> int:
    """Pages tall the Báo cáo sheet prints on (:func:`~.layout.fit_height`): a last page with
    only the last rows and the signature block is folded into the others."""
    return fit_height(_print_heights(job), _LABELS_HEIGHT, job.widths().values())


def _render(job: TemplateJob, texts: Mapping[str, str], measured: Mapping[str, str]) -> _Rendered:
    """Everything xlsxwriter writes: sheets, formats, merged cells, rules, print setup.

    ``texts`` are written as given (the unit's own, or placeholders); row heights that
    depend on them come from ``measured``, the unit's real texts.
    """
    last_col = len(REPORT.columns) - 1
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    book.set_properties({
        "title": f"Báo cáo kết quả thực hiện nhiệm vụ cam kết - {job.round.name}",
        "subject": texts["subject"], "author": job.settings.agency.name,
        "company": job.settings.agency.name, "created": job.generated,
        "comments": "Tạo bởi camket",
    })
    fmt = _formats(book)
    for style in fmt.values():  # rows are written after close: every style must be in styles.xml
        style._get_xf_index()
    problems = write_problems(book, job, texts) if job.feedback else None
    guide = write_guide(book, job, texts, guide_heights(job, measured))
    ws = book.add_worksheet(REPORT.name)
    w = job.widths()
    for c, column in enumerate(REPORT.columns):
        ws.set_column(c, c, w[column.key])
    _header_block(ws, job, texts, fmt, last_col)
    first = HEADER_ROW + 1
    marker = first + len(job.tasks)
    last = _added_marker(ws, job, fmt, marker, last_col)
    if job.notes:
        _comments(ws, job)
    _validations(ws, job, first, last, marker + 1)
    _conditional_formats(ws, job, fmt, first, last)
    end = _signature(ws, fmt, last + 2, last_col)
    _print_setup(ws, job, texts, end, last_col, _tall(job))
    ws.protect(job.settings.template_password, {
        "format_rows": True, "format_columns": True, "select_locked_cells": True,
        "select_unlocked_cells": True})
    (problems or guide).activate()
    meta = book.add_worksheet(META_SHEET)
    meta.very_hidden()
    book.close()
    return _Rendered(job, read_parts(buffer.getvalue()), ws, meta, fmt)


def _fill(rendered: _Rendered, job: TemplateJob, texts: Mapping[str, str] | None) -> Stamp:
    """Add the unit's rows and signed metadata to a rendering; ``texts`` replace placeholders."""
    fmt = rendered.fmt
    rows = FastRows(rendered.report, HEADER_ROW + 1, memory=True)
    stamped = _task_rows(rows, job, fmt)
    _added_rows(rows, job, fmt, HEADER_ROW + 1 + len(job.tasks))
    stamp = Stamp("report", job.workspace_id, job.round.id, job.unit.code,
                  job.generated.isoformat(timespec="seconds"), REPORT.name, HEADER_ROW + 1,
                  tuple(stamped))
    meta = FastRows(rendered.meta, 0, memory=True)
    for values in stamp.rows(job.secret):
        meta.add(values, [None] * len(values))
    parts = rendered.parts
    if texts is not None:
        parts = [(info, _substitute(data, texts)) for info, data in parts]
    with atomic_path(job.path) as tmp:
        write_parts(tmp, parts, [rows, meta])
    return stamp


# --- many templates of one round: render once per shape, fill per unit ------------------

_MARK = "\ue000"  # private-use characters, never in a unit's texts (checked below)
_MARK_END = "\ue001"


def _placeholder(key: str) -> str:
    return f"{_MARK}{key}{_MARK_END}"


def _substitute(data: bytes, texts: Mapping[str, str]) -> bytes:
    if _MARK.encode() not in data:
        return data
    for key, value in texts.items():
        data = data.replace(_placeholder(key).encode(), escape_text(value).encode())
    return data


def _fits_placeholder(value: str) -> bool:
    """Text written in place of a placeholder reads exactly as xlsxwriter would write it."""
    return value == value.strip() and _MARK not in value and _MARK_END not in value and \
        all(ch >= " " for ch in value)


_RENDERED: dict[tuple[Any, ...], _Rendered] = {}
_RENDERED_MAX = 32


def write_template(job: TemplateJob, *, reuse: bool = True) -> Stamp:
    """Write one unit's workbook to ``job.path`` (atomically) and return its signed stamp.

    Templates of a round differ only in their unit's texts and rows: with ``reuse`` the
    rest is rendered by xlsxwriter once per shape (task count, added rows, which texts are
    empty, row heights) with placeholders, then filled for each unit, which is several
    times faster. Feedback workbooks (comments, problem list) and unusual texts are always
    rendered whole; the result is the same workbook either way.
    """
    texts = unit_texts(job.unit) | ({"link": job.link} if job.link else {})
    if not reuse or job.notes or job.feedback or not all(_fits_placeholder(v) for v in texts.values()):
        return _fill(_render(job, texts, texts), job, None)
    shown = {key: _placeholder(key) if value else "" for key, value in texts.items()}
    key = (job.workspace_id, job.round, job.generated, len(job.tasks), _added_count(job),
           tuple(shown.values()), guide_heights(job, texts), job.widths()["task_code"], _tall(job))
    rendered = _RENDERED.get(key)
    if rendered is None or rendered.job.settings != job.settings:
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.pop(next(iter(_RENDERED)))
        rendered = _RENDERED[key] = _render(job, shown, texts)
    return _fill(rendered, job, texts)
