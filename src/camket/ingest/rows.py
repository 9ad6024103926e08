"""The rows of a returned report table: matched to the master list, each value
normalised (keeping the raw value and its cell), each row checked.

Repairs that need no action (a date or number typed as text, decomposed Unicode) are
summarised in one ``info`` finding per file; everything else is a finding per cell.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from xlsxwriter.utility import xl_col_to_name

from .. import findings as F
from ..config import SelfScoreRules, Settings, TargetRules
from ..model import Finding, Location, Master, Status, Task
from ..schema import REPORT
from ..scoring import self_score_check
from ..stamp import Stamp, locked_values, row_hash
from ..targets import Target, parse_target, read_amount
from ..values import is_blank, parse_date, parse_number, parse_percent, parse_status, text_of
from ..vi import fold, fold_key, format_date, format_number, normalize_code
from ..vntext import repair_legacy
from .identify import Table

__all__ = ["RowRecord", "read_rows"]

_INPUTS = tuple(c.key for c in REPORT.columns if not c.locked)
_OPTIONAL_INPUTS = frozenset({"achieved"})  # templates issued before had no such column: never required
_LOCKED_CHECKED = ("content", "group", "product", "target", "deadline", "points")
_MARKER = fold("nhiệm vụ phát sinh")
_END_MARKERS = (fold("người lập biểu"), fold("thủ trưởng đơn vị"), fold("(ký, ghi rõ họ tên)"))
_DATELINE = re.compile(r"ngay\W+thang\W+nam")
_LETTERS = [xl_col_to_name(i) for i in range(256)]


def xl_rowcol_to_cell(row: int, col: int) -> str:
    """A1 reference of a 0-based (row, col), from a table of column letters."""
    letter = _LETTERS[col] if col < 256 else xl_col_to_name(col)
    return f"{letter}{row + 1}"


@dataclass
class RowRecord:
    """One reported row, normalised; ``raw`` keeps each input's cell and raw value."""

    kind: str                     # "task" or "added"
    task: str                     # task code ("" for an added task without one)
    sheet: str
    row: int                      # 1-based Excel row
    status: str | None = None
    progress: float | None = None
    achieved: float | None = None
    completed_on: dt.date | None = None
    result: str = ""
    difficulties: str = ""
    proposals: str = ""
    self_score: float | None = None
    content: str = ""             # added rows: what the office wrote
    product: str = ""
    deadline: str = ""
    raw: dict[str, tuple[str, Any]] = field(default_factory=dict)

    @property
    def raw_json(self) -> str:
        """``raw`` as stored in the ledger (computed once, where the row is read)."""
        cached = self.__dict__.get("_raw_json")
        if cached is None:
            cached = json.dumps(self.raw, ensure_ascii=False, default=str)
            self.__dict__["_raw_json"] = cached
        return cached


@dataclass
class _Ctx:
    file: str
    sheet: str
    unit: str
    master: Master
    year: int
    today: dt.date
    findings: list[Finding] = field(default_factory=list)
    as_text: list[str] = field(default_factory=list)
    decomposed: list[str] = field(default_factory=list)
    unscored: list[Finding] = field(default_factory=list)
    targets: TargetRules = field(default_factory=TargetRules)
    self_score: SelfScoreRules = field(default_factory=SelfScoreRules)

    def at(self, cell: str) -> Location:
        return Location(self.file, self.sheet, cell)


def _shown(value: Any) -> str:
    """A raw value as a Vietnamese reader expects to see it (``0,8`` not ``0.8``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return text_of(value)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(ctx: _Ctx, value: Any, cell: str, task: str) -> str:
    if isinstance(value, str) and not value.isascii() and not unicodedata.is_normalized("NFC", value):
        ctx.decomposed.append(cell)
    text = text_of(value)
    if not text or text.isascii():
        return text
    repair = repair_legacy(text)
    if repair.converted:
        ctx.findings.append(F.LEGACY_CONVERTED(
            ctx.at(cell), unit=ctx.unit, task=task, encoding=repair.encoding.upper() if repair.encoding else "",
            text=repair.text[:80]))
        return repair.text
    if repair.suspicious:
        ctx.findings.append(F.LEGACY_SUSPICIOUS(ctx.at(cell), unit=ctx.unit, task=task, text=text[:80]))
    return text


_CANONICAL_STATUS = {s.value: s.value for s in Status}
_TEXT_KEYS = frozenset({"result", "difficulties", "proposals"})


def _fast(ctx: _Ctx, key: str, value: Any, rec: RowRecord, task: Task | None) -> bool:
    """Take a value exactly as a template's dropdown or validation lets it be typed; False
    sends it through the careful path (synonyms, text, ranges, findings)."""
    kind = type(value)
    if key == "status":
        status = _CANONICAL_STATUS.get(value) if kind is str else None
        if status is not None:
            rec.status = status
            return True
    elif key == "progress":
        if (kind is float or kind is int) and (value == 0 or 1 <= value <= 100):
            rec.progress = float(value)
            return True
    elif key == "completed_on":
        if kind is dt.date and ctx.year <= value.year and value <= ctx.today:
            rec.completed_on = value
            return True
    elif key == "self_score":
        if (kind is float or kind is int) and value >= 0 and (task is None or value <= task.points):
            rec.self_score = float(value)
            return True
    elif key in _TEXT_KEYS and kind is str and value.isascii():
        setattr(rec, key, value.strip())
        return True
    return False


def _inputs(ctx: _Ctx, row: list[Any], columns: dict[str, int], number: int, rec: RowRecord,
            task: Task | None) -> None:
    """Normalise the input cells of one row into ``rec`` with findings."""
    code = rec.task
    width = len(row)
    for key in _INPUTS:
        c = columns.get(key)
        if c is None or c >= width:
            continue
        value = row[c]
        if value is None or value == "" or (type(value) is str and not value.strip()):
            continue
        cell = xl_rowcol_to_cell(number - 1, c)
        rec.raw[key] = (cell, value.isoformat() if isinstance(value, dt.date) else value)
        if _fast(ctx, key, value, rec, task):
            continue
        where = ctx.at(cell)
        if key == "status":
            try:
                status, note = parse_status(value)
            except ValueError:
                ctx.findings.append(F.STATUS_INVALID(where, unit=ctx.unit, task=code, value=f'"{_shown(value)}"'))
                continue
            rec.status = status.value
            if note == "status-synonym":
                ctx.findings.append(F.STATUS_SYNONYM(
                    where, unit=ctx.unit, task=code, raw=text_of(value), status=status.value))
            elif note == "status-fuzzy":
                ctx.findings.append(F.STATUS_FUZZY(
                    where, unit=ctx.unit, task=code, raw=text_of(value), status=status.value))
        elif key == "progress":
            try:
                number_, note = parse_percent(value)
            except ValueError:
                ctx.findings.append(F.PROGRESS_INVALID(where, unit=ctx.unit, task=code, value=f'"{_shown(value)}"'))
                continue
            if not 0 <= number_ <= 100:
                ctx.findings.append(F.PROGRESS_RANGE(where, unit=ctx.unit, task=code, value=format_number(number_)))
                continue
            rec.progress = number_
            if note == "percent-fraction":
                ctx.findings.append(F.PROGRESS_FRACTION(where, unit=ctx.unit, task=code, raw=_shown(value),
                                                        value=format_number(number_)))
            elif note:
                ctx.as_text.append(cell)
        elif key == "completed_on":
            try:
                day, note = parse_date(value)
            except ValueError:
                ctx.findings.append(F.DATE_INVALID(where, unit=ctx.unit, task=code, value=f'"{_shown(value)}"'))
                continue
            if note:
                ctx.as_text.append(cell)
            if day > ctx.today:
                ctx.findings.append(F.DATE_FUTURE(where, unit=ctx.unit, task=code, value=format_date(day),
                                                  today=format_date(ctx.today)))
                continue
            if day.year < ctx.year:
                ctx.findings.append(F.DATE_BEFORE_PROGRAMME(
                    where, unit=ctx.unit, task=code, value=format_date(day), year=ctx.year))
            rec.completed_on = day
        elif key == "self_score":
            try:
                score, note = parse_number(value)
                if score < 0:
                    raise ValueError
            except ValueError:
                ctx.findings.append(F.SCORE_INVALID(where, unit=ctx.unit, task=code, value=f'"{_shown(value)}"'))
                continue
            if note:
                ctx.as_text.append(cell)
            if task is not None and score > task.points:
                ctx.findings.append(F.SCORE_ABOVE_POINTS(where, unit=ctx.unit, task=code, value=format_number(score),
                                                         points=format_number(task.points)))
                continue
            rec.self_score = score
        elif key == "achieved":
            _achieved(ctx, value, cell, rec, task)
        else:
            setattr(rec, key, _text(ctx, value, cell, code))
    # A percent-formatted cell holding 100% reads as 1.0.
    raw_progress = rec.raw.get("progress", ("", None))[1]
    if rec.status == Status.DONE.value and rec.progress == 1 and isinstance(raw_progress, int | float):
        rec.progress = 100.0
        ctx.findings.append(F.PROGRESS_FRACTION(ctx.at(rec.raw["progress"][0]), unit=ctx.unit, task=code,
                                                raw="1", value="100"))


def _checks(ctx: _Ctx, rec: RowRecord, task: Task, columns: dict[str, int]) -> None:
    def cell(key: str) -> str:
        return xl_rowcol_to_cell(rec.row - 1, columns.get(key, 0))

    code, unit = rec.task, ctx.unit
    status = rec.status
    if status is None:
        if "status" not in rec.raw:
            ctx.findings.append(F.STATUS_MISSING(ctx.at(cell("status")), unit=unit, task=code))
        return
    if status == Status.DONE.value:
        if rec.progress is not None and rec.progress < 100:
            ctx.findings.append(F.DONE_BELOW_100(
                ctx.at(cell("progress")), unit=unit, task=code, value=format_number(rec.progress)))
        if rec.completed_on is None and "completed_on" not in rec.raw:
            ctx.findings.append(F.DONE_WITHOUT_DATE(ctx.at(cell("completed_on")), unit=unit, task=code))
    else:
        if rec.completed_on is not None:
            ctx.findings.append(F.DATE_WITHOUT_DONE(ctx.at(cell("completed_on")), unit=unit, task=code, status=status))
        if rec.progress == 100 and status != Status.NOT_DONE.value:
            ctx.findings.append(F.PROGRESS_100_NOT_DONE(ctx.at(cell("progress")), unit=unit, task=code, status=status))
    if status == Status.NOT_DONE.value and not (rec.difficulties or rec.result):
        ctx.findings.append(F.NOT_DONE_WITHOUT_REASON(ctx.at(cell("difficulties")), unit=unit, task=code))
    if task.points > 0 and rec.self_score is None and "self_score" not in rec.raw and "self_score" in columns:
        ctx.unscored.append(F.SCORE_MISSING(ctx.at(cell("self_score")), unit=unit, task=code))
    _target_checks(ctx, rec, task, columns)
    _self_score_checks(ctx, rec, task, columns)


def _locked(ctx: _Ctx, row: list[Any], columns: dict[str, int], number: int, task: Task,
            stamped: str | None) -> None:
    """Locked cells edited by the office (errors), or the master changed since (info)."""
    native = {"content": task.content, "group": task.group, "product": task.product, "target": task.target,
              "deadline": task.deadline if task.deadline is not None else task.deadline_text, "points": task.points}
    width = len(row)
    if all(key not in columns or columns[key] >= width or row[columns[key]] == native[key]
           or (native[key] == "" and row[columns[key]] is None) for key in _LOCKED_CHECKED):
        return  # the usual case: every locked cell exactly as written
    file_values = {key: text_of(row[columns[key]]) if key in columns and columns[key] < width else None
                   for key in _LOCKED_CHECKED}
    master_values = dict(zip(("task_code", *_LOCKED_CHECKED), locked_values(task), strict=True))
    if all(v is None or v == master_values[k] for k, v in file_values.items()):
        return
    if stamped is not None and all(v is not None for v in file_values.values()):
        file_hash = row_hash((task.code, *(file_values[k] for k in _LOCKED_CHECKED)))
        if file_hash == stamped:
            if stamped != row_hash(locked_values(task)):
                changed = [REPORT[k].header for k in _LOCKED_CHECKED
                           if _clean(file_values[k] or "") != _clean(master_values[k])]
                ctx.findings.append(F.MASTER_CHANGED(
                    ctx.at(f"A{number}"), unit=ctx.unit, task=task.code, column=", ".join(changed) or "nội dung"))
            return
    for key in _LOCKED_CHECKED:
        new = file_values[key]
        if new is None or _clean(new) == _clean(master_values[key]):
            continue
        ctx.findings.append(F.LOCKED_CHANGED(
            ctx.at(xl_rowcol_to_cell(number - 1, columns[key])), unit=ctx.unit, task=task.code,
            column=REPORT[key].header, old=master_values[key][:80], new=new[:80]))


# --- achieved values and self-scores (issue 15) ----------------------------------------------

def _amount(value: Any, target: Target | None) -> tuple[float, str | None]:
    """An achieved value: a number, not negative; as text, the target's unit may follow it."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f'"{value}" không phải là số')
    number, note = (float(value), None) if isinstance(value, int | float) else read_amount(value, target or Target(0))
    if number < 0:
        raise ValueError(f"{number} < 0")
    return number, note


def _achieved(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
    """The value achieved against a numeric target (``10``, ``"10 lớp"``); a fraction under a
    percentage target (0,95 for 95%) is read as a percentage, with a warning."""
    target = parse_target(task.target) if task is not None else None
    try:
        number, note = _amount(value, target)
    except ValueError:
        ctx.findings.append(F.ACHIEVED_INVALID(ctx.at(cell), unit=ctx.unit, task=rec.task, value=f'"{_shown(value)}"'))
        return
    if note:
        ctx.as_text.append(cell)
    if task is not None and target is not None and target.unit.startswith("%") and 0 < number < 1 < target.value:
        ctx.findings.append(F.ACHIEVED_FRACTION(ctx.at(cell), unit=ctx.unit, task=rec.task, raw=_shown(value),
                                                value=target.amount(number * 100), target=task.target))
        number *= 100
    rec.achieved = number


def _target_checks(ctx: _Ctx, rec: RowRecord, task: Task, columns: dict[str, int]) -> None:
    """A task reported done with a numeric target: its achieved value, and whether it reaches the target."""
    target = parse_target(task.target)
    if rec.status != Status.DONE.value or target is None or "achieved" not in columns:
        return
    where = ctx.at(xl_rowcol_to_cell(rec.row - 1, columns["achieved"]))
    if rec.achieved is None:
        if "achieved" not in rec.raw:
            ctx.findings.append(F.ACHIEVED_MISSING(where, unit=ctx.unit, task=rec.task, target=task.target))
    elif not target.met(rec.achieved):
        counted = "vẫn được tính là hoàn thành" if ctx.targets.count_below_target_as_done else \
            "không được tính là hoàn thành"
        kind = F.TARGET_NOT_MET_EXPLAINED if rec.difficulties else F.TARGET_NOT_MET
        ctx.findings.append(kind(where, unit=ctx.unit, task=rec.task, achieved=target.amount(rec.achieved),
                                 target=task.target, counted=counted))


def _self_score_checks(ctx: _Ctx, rec: RowRecord, task: Task, columns: dict[str, int]) -> None:
    """A self-score that does not follow the guidance for the status reported (``[self_score]``)."""
    check = self_score_check(rec.status, rec.progress, rec.self_score, task.points, ctx.self_score)
    if check is None or rec.self_score is None:
        return
    where = ctx.at(xl_rowcol_to_cell(rec.row - 1, columns.get("self_score", 0)))
    score, points, allowed = (format_number(x) for x in (rec.self_score, task.points, check.allowed))
    common = {"unit": ctx.unit, "task": rec.task, "score": score, "points": points, "allowed": allowed}
    if check.rule == "not-started":
        ctx.findings.append(F.SELF_SCORE_NOT_STARTED(where, **common))
    elif check.rule == "not-done":
        ctx.findings.append(F.SELF_SCORE_NOT_DONE(where, **common))
    elif check.rule == "full-unfinished":
        progress = "chưa ghi tiến độ" if rec.progress is None else f"tiến độ {format_number(rec.progress)}%"
        ctx.findings.append(F.SELF_SCORE_FULL_UNFINISHED(where, **common, progress=progress))
    else:
        ctx.findings.append(F.SELF_SCORE_ABOVE_PROGRESS(where, **common, progress=format_number(rec.progress or 0),
                                                        margin=format_number(ctx.self_score.progress_margin)))


def read_rows(
    table: Table, unit: str, master: Master, *, file: str, year: int, today: dt.date,
    stamp: Stamp | None = None, formulas: dict[str, str] | None = None, settings: Settings | None = None,
) -> tuple[list[RowRecord], list[Finding]]:
    """Every reported and added row of ``unit``'s table, with findings.

    ``formulas`` are the cells holding a formula without a stored value (they read as blank);
    ``settings`` give the rules of ``[targets]`` and ``[self_score]`` (their defaults without).
    """
    ctx = _Ctx(file, table.sheet, unit, master, year, today)
    if settings is not None:
        ctx.targets, ctx.self_score = settings.targets, settings.self_score
    if formulas:
        inputs = {xl_col_to_name(c) for k, c in table.columns.items() if k in _INPUTS}
        for cell, formula in sorted(formulas.items()):
            letters = cell.rstrip("0123456789")
            if letters in inputs and int(cell[len(letters):]) > table.header + 1:
                ctx.findings.append(F.FORMULA_WITHOUT_VALUE(ctx.at(cell), unit=unit, formula=formula[:60]))
    columns = table.columns
    for column in REPORT.columns:
        if not column.locked and column.key not in columns and column.key not in _OPTIONAL_INPUTS:
            ctx.findings.append(F.COLUMN_MISSING(ctx.at(f"A{table.header + 1}"), unit=unit, column=column.header))
    stamped = {code: digest for code, _, digest in stamp.tasks} if stamp else {}
    own = {t.code: t for t in master.tasks_of(unit)}
    texts: dict[str, str] | None = None  # folded contents, for rows without a code (rare: made on demand)
    seen: dict[str, int] = {}
    records: list[RowRecord] = []
    added = False
    code_col, content_col = columns.get("task_code"), columns.get("content")
    data_columns = [(k, c) for k, c in columns.items() if k != "stt"]
    for index in range(table.header + 1, len(table.rows)):
        row = table.rows[index]
        number = index + 1
        code_cell = row[code_col] if code_col is not None and code_col < len(row) else None
        if is_blank(code_cell) or (isinstance(code_cell, str) and " " in code_cell.strip()):
            joined = fold(" ".join(v for v in row if isinstance(v, str)))
            if _MARKER in joined and not any(isinstance(v, float) for v in row):
                added = True
                continue
            if any(m in joined for m in _END_MARKERS) or _DATELINE.search(joined):
                break
        cells = {k: row[c] for k, c in data_columns if c < len(row)}
        if all(v is None or v == "" or (type(v) is str and not v.strip()) for v in cells.values()):
            continue
        code = normalize_code(text_of(cells.get("task_code"))) if code_col is not None else ""
        content = text_of(cells.get("content"))
        task = own.get(code) if code else None
        if not added and task is None and not code and content:
            if texts is None:
                texts = {t.code: fold_key(t.content) for t in own.values()}
            match = process.extractOne(fold_key(content), {c: t for c, t in texts.items() if c not in seen},
                                       scorer=fuzz.ratio, score_cutoff=85)
            if match:
                task = own[match[2]]
                ctx.findings.append(F.TASK_MATCHED_BY_TEXT(
                    ctx.at(f"A{number}"), unit=unit, task=task.code))
        if task is not None and not added:
            if task.code in seen:
                ctx.findings.append(F.TASK_DUPLICATED(ctx.at(xl_rowcol_to_cell(index, code_col or 0)),
                                                      unit=unit, task=task.code, first=seen[task.code]))
                continue
            seen[task.code] = number
            rec = RowRecord("task", task.code, table.sheet, number)
            _inputs(ctx, row, columns, number, rec, task)
            if not rec.raw:
                ctx.findings.append(F.TASK_NOT_FILLED(ctx.at(f"A{number}"), unit=unit, task=task.code))
                _locked(ctx, row, columns, number, task, stamped.get(task.code))
                continue
            _checks(ctx, rec, task, columns)
            _locked(ctx, row, columns, number, task, stamped.get(task.code))
            records.append(rec)
            continue
        if code and not added:
            other = master.task(code)
            if other is not None and other.unit != unit:
                ctx.findings.append(F.TASK_OF_OTHER_UNIT(
                    ctx.at(xl_rowcol_to_cell(index, code_col or 0)), unit=unit, task=code, owner=other.unit))
                continue
            ctx.findings.append(F.TASK_UNKNOWN(
                ctx.at(xl_rowcol_to_cell(index, code_col or 0)), unit=unit, task=code))
        rec = RowRecord("added", code, table.sheet, number)
        _inputs(ctx, row, columns, number, rec, None)
        rec.content = _text(ctx, cells.get("content"), xl_rowcol_to_cell(index, content_col or 0), code)
        rec.product = text_of(cells.get("product"))
        rec.deadline = text_of(cells.get("deadline"))
        if not rec.content:
            ctx.findings.append(F.ADDED_INCOMPLETE(ctx.at(f"A{number}"), unit=unit))
            continue
        ctx.findings.append(F.TASK_ADDED(ctx.at(f"A{number}"), unit=unit, task=code, content=rec.content[:80]))
        records.append(rec)
    scored = any(r.self_score is not None or "self_score" in r.raw for r in records if r.kind == "task")
    if scored:
        ctx.findings.extend(ctx.unscored)
    elif ctx.unscored:
        ctx.findings.append(F.SCORE_NONE(Location(file, table.sheet), unit=unit, count=len(ctx.unscored)))
    for code in own:
        if code not in seen:
            ctx.findings.append(F.TASK_MISSING(Location(file, table.sheet), unit=unit, task=code))
    for cells_list, kind in ((ctx.as_text, F.VALUE_AS_TEXT), (ctx.decomposed, F.TEXT_DECOMPOSED)):
        if cells_list:
            shown = ", ".join(cells_list[:8]) + (", …" if len(cells_list) > 8 else "")
            ctx.findings.append(kind(Location(file, table.sheet), unit=unit, count=len(cells_list), cells=shown))
    for record in records:
        _ = record.raw_json  # encode here (in a worker process) rather than where the ledger is written
    return records, ctx.findings
