"""The rows of a returned report table: matched to the master list, each value
normalised (keeping the raw value and its cell), each row checked.

Each input column has one acceptance rule (:data:`_RULES`): parse, check the range, record
a finding at the cell. Repairs that need no action (a date or number typed as text,
decomposed Unicode) are summarised in one ``info`` finding per file; everything else is a
finding per cell.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from rapidfuzz import fuzz, process
from xlsxwriter.utility import xl_col_to_name

from .. import findings as F
from ..config import SelfScoreRules, Settings, TargetRules
from ..model import Finding, Location, Master, Status, Task
from ..schema import ANSWER_KEYS, REPORT
from ..scoring import self_score_check
from ..stamp import Stamp, locked_values, row_hash
from ..targets import Target, parse_target, read_amount
from ..values import (
    MAX_NUMBER,
    clean_text,
    is_blank,
    parse_date,
    parse_number,
    parse_percent,
    parse_status,
    shown,
    text_of,
    unsafe_characters,
)
from ..vi import fold, fold_key, format_date, format_number, normalize_code
from ..vntext import repair_legacy
from .identify import Table

__all__ = ["RowRecord", "read_rows"]

T = TypeVar("T")
_READ_FROM_TEXT = frozenset({"date-text", "date-serial", "number-text", "percent-text"})

_INPUTS = tuple(c.key for c in REPORT.columns if not c.locked)
_OPTIONAL_INPUTS = frozenset({"achieved"})  # templates issued before had no such column: never required
_LOCKED_CHECKED = ("content", "group", "product", "target", "deadline", "points")
_MARKER = fold("nhiệm vụ phát sinh")
_END_MARKERS = (fold("người lập biểu"), fold("thủ trưởng đơn vị"), fold("(ký, ghi rõ họ tên)"))
_DATELINE = re.compile(r"ngay\W+thang\W+nam")
_LETTERS = [xl_col_to_name(i) for i in range(256)]
_SURROGATE = re.compile("[\ud800-\udfff]")
_DONE, _NOT_DONE = Status.DONE.value, Status.NOT_DONE.value
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)  # one encoder for every row (``json.dumps`` makes one a call)


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
        """``raw`` as stored in the ledger (computed once, where the row is read); a lone
        surrogate, which no database text can hold, is kept as a JSON escape."""
        cached = self.__dict__.get("_raw_json")
        if cached is None:
            cached = _JSON.encode(self.raw)
            if not cached.isascii() and _SURROGATE.search(cached):
                cached = json.dumps(self.raw, ensure_ascii=True, default=str)
            self.__dict__["_raw_json"] = cached
        return cached


# The record is built field by field as each cell is read, so it cannot inherit the frozen
# schema.Answer; it must still hold exactly the answer's fields (a new input column of REPORT
# needs its field here too), which this check enforces when camket is imported.
_MISSING = set(ANSWER_KEYS) - {f.name for f in fields(RowRecord)}
if _MISSING:  # pragma: no cover - a developer's slip
    raise RuntimeError(f"ingest.rows.RowRecord lacks the answer fields {sorted(_MISSING)} of schema.REPORT")


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


def _clean(text: str) -> str:
    return " ".join(text.split())


# --- one acceptance rule per input column --------------------------------------------------

def _parsed(ctx: _Ctx, parse: Callable[[Any], tuple[T, str | None]], value: Any, cell: str, rec: RowRecord,
            invalid: F.FindingKind) -> tuple[T, str | None] | None:
    """``parse(value)``, or None with the column's ``invalid`` finding at the cell. A value read
    from text (a date or a number typed as text) is noted for the file's summary."""
    try:
        parsed = parse(value)
    except ValueError:
        ctx.findings.append(invalid(ctx.at(cell), unit=ctx.unit, task=rec.task, value=f'"{shown(value)}"'))
        return None
    if parsed[1] in _READ_FROM_TEXT:
        ctx.as_text.append(cell)
    return parsed


def _status(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
    parsed = _parsed(ctx, parse_status, value, cell, rec, F.STATUS_INVALID)
    if parsed is None:
        return
    status, note = parsed
    rec.status = status._value_
    if note in ("status-synonym", "status-fuzzy"):
        kind = F.STATUS_SYNONYM if note == "status-synonym" else F.STATUS_FUZZY
        ctx.findings.append(kind(ctx.at(cell), unit=ctx.unit, task=rec.task, raw=shown(value), status=status.value))


def _progress(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
    parsed = _parsed(ctx, parse_percent, value, cell, rec, F.PROGRESS_INVALID)
    if parsed is None:
        return
    number, note = parsed
    if not 0 <= number <= 100:
        ctx.findings.append(F.PROGRESS_RANGE(ctx.at(cell), unit=ctx.unit, task=rec.task, value=format_number(number)))
        return
    rec.progress = number
    if note == "percent-fraction":
        ctx.findings.append(F.PROGRESS_FRACTION(ctx.at(cell), unit=ctx.unit, task=rec.task, raw=shown(value),
                                                value=format_number(number)))


def _completed_on(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
    parsed = _parsed(ctx, parse_date, value, cell, rec, F.DATE_INVALID)
    if parsed is None:
        return
    day = parsed[0]
    if day > ctx.today:
        ctx.findings.append(F.DATE_FUTURE(ctx.at(cell), unit=ctx.unit, task=rec.task, value=format_date(day),
                                          today=format_date(ctx.today)))
        return
    if day.year < ctx.year:
        ctx.findings.append(F.DATE_BEFORE_PROGRAMME(ctx.at(cell), unit=ctx.unit, task=rec.task,
                                                    value=format_date(day), year=ctx.year))
    rec.completed_on = day


def _score(value: Any) -> tuple[float, str | None]:
    """A self-score: a number, not negative."""
    score, note = parse_number(value)
    if score < 0:
        raise ValueError(f"{score} < 0")
    return score, note


def _self_score(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
    parsed = _parsed(ctx, _score, value, cell, rec, F.SCORE_INVALID)
    if parsed is None:
        return
    score = parsed[0]
    if task is not None and score > task.points:
        ctx.findings.append(F.SCORE_ABOVE_POINTS(ctx.at(cell), unit=ctx.unit, task=rec.task,
                                                 value=format_number(score), points=format_number(task.points)))
        return
    rec.self_score = score


def _text(ctx: _Ctx, value: Any, cell: str, task: str) -> str:
    """A text cell as stored: NFC, trimmed, control characters cleaned (an info finding at the
    cell), legacy TCVN3/VNI text converted."""
    if isinstance(value, str) and not value.isascii() and not unicodedata.is_normalized("NFC", value):
        ctx.decomposed.append(cell)
    text = text_of(value)
    cleaned = clean_text(text)
    if cleaned is not text:
        ctx.findings.append(F.TEXT_CLEANED(ctx.at(cell), unit=ctx.unit, task=task,
                                           chars=", ".join(unsafe_characters(text))))
        text = cleaned.strip()
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


def _text_rule(key: str) -> Callable[[_Ctx, Any, str, RowRecord, Task | None], None]:
    def rule(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
        setattr(rec, key, _text(ctx, value, cell, rec.task))
    return rule


def _amount(value: Any, target: Target | None) -> tuple[float, str | None]:
    """An achieved value: a number, not negative; as text, the target's unit may follow it."""
    if isinstance(value, int | float):
        number, note = parse_number(value)  # a boolean, NaN or an absurd magnitude is refused there
    else:
        number, note = read_amount(value, target or Target(0))
    if not 0 <= number < MAX_NUMBER:
        raise ValueError(f"{number} không phải giá trị đạt được")
    return number, note


def _achieved(ctx: _Ctx, value: Any, cell: str, rec: RowRecord, task: Task | None) -> None:
    """The value achieved against a numeric target (``10``, ``"10 lớp"``); a fraction under a
    percentage target (0,95 for 95%) is read as a percentage, with a warning."""
    target = parse_target(task.target) if task is not None else None
    parsed = _parsed(ctx, lambda v: _amount(v, target), value, cell, rec, F.ACHIEVED_INVALID)
    if parsed is None:
        return
    number = parsed[0]
    if task is not None and target is not None and target.unit.startswith("%") and 0 < number < 1 < target.value:
        ctx.findings.append(F.ACHIEVED_FRACTION(ctx.at(cell), unit=ctx.unit, task=rec.task, raw=shown(value),
                                                value=target.amount(number * 100), target=task.target))
        number *= 100
    rec.achieved = number


_RULES: dict[str, Callable[[_Ctx, Any, str, RowRecord, Task | None], None]] = {
    "status": _status, "progress": _progress, "achieved": _achieved, "completed_on": _completed_on,
    "self_score": _self_score,
    **{key: _text_rule(key) for key in ("result", "difficulties", "proposals")},
}
assert set(_RULES) == set(_INPUTS), "every input column of the schema has its rule"


_Rule = Callable[[_Ctx, Any, str, RowRecord, Task | None], None]


def _input_columns(columns: dict[str, int]) -> list[tuple[str, int, _Rule]]:
    """(key, column, rule) of the table's input columns, in the schema's order."""
    return [(key, columns[key], _RULES[key]) for key in _INPUTS if key in columns]


def _inputs(ctx: _Ctx, row: list[Any], inputs: list[tuple[str, int, _Rule]], number: int, rec: RowRecord,
            task: Task | None) -> None:
    """Normalise the input cells of one row into ``rec`` with findings."""
    width = len(row)
    for key, c, rule in inputs:
        if c >= width or is_blank(value := row[c]):
            continue
        cell = xl_rowcol_to_cell(number - 1, c)
        rec.raw[key] = (cell, value.isoformat() if isinstance(value, dt.date) else value)
        rule(ctx, value, cell, rec, task)
    # A percent-formatted cell holding 100% reads as 1.0.
    raw_progress = rec.raw.get("progress", ("", None))[1]
    if rec.status == _DONE and rec.progress == 1 and isinstance(raw_progress, int | float):
        rec.progress = 100.0
        ctx.findings.append(F.PROGRESS_FRACTION(ctx.at(rec.raw["progress"][0]), unit=ctx.unit, task=rec.task,
                                                raw="1", value="100"))


# --- checks of a whole row -----------------------------------------------------------------

def _checks(ctx: _Ctx, rec: RowRecord, task: Task, columns: dict[str, int]) -> None:
    def cell(key: str) -> str:
        return xl_rowcol_to_cell(rec.row - 1, columns.get(key, 0))

    code, unit = rec.task, ctx.unit
    status = rec.status
    if status is None:
        if "status" not in rec.raw:
            ctx.findings.append(F.STATUS_MISSING(ctx.at(cell("status")), unit=unit, task=code))
        return
    if status == _DONE:
        if rec.progress is not None and rec.progress < 100:
            ctx.findings.append(F.DONE_BELOW_100(
                ctx.at(cell("progress")), unit=unit, task=code, value=format_number(rec.progress)))
        if rec.completed_on is None and "completed_on" not in rec.raw:
            ctx.findings.append(F.DONE_WITHOUT_DATE(ctx.at(cell("completed_on")), unit=unit, task=code))
    else:
        if rec.completed_on is not None:
            ctx.findings.append(F.DATE_WITHOUT_DONE(ctx.at(cell("completed_on")), unit=unit, task=code, status=status))
        if rec.progress == 100 and status != _NOT_DONE:
            ctx.findings.append(F.PROGRESS_100_NOT_DONE(ctx.at(cell("progress")), unit=unit, task=code, status=status))
    if status == _NOT_DONE and not (rec.difficulties or rec.result):
        ctx.findings.append(F.NOT_DONE_WITHOUT_REASON(ctx.at(cell("difficulties")), unit=unit, task=code))
    if task.points > 0 and rec.self_score is None and "self_score" not in rec.raw and "self_score" in columns:
        ctx.unscored.append(F.SCORE_MISSING(ctx.at(cell("self_score")), unit=unit, task=code))
    _target_checks(ctx, rec, task, columns)
    _self_score_checks(ctx, rec, task, columns)


def _target_checks(ctx: _Ctx, rec: RowRecord, task: Task, columns: dict[str, int]) -> None:
    """A task reported done with a numeric target: its achieved value, and whether it reaches the
    target (explained in Khó khăn, vướng mắc: information only)."""
    target = parse_target(task.target)
    if rec.status != _DONE or target is None or "achieved" not in columns:
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


def _locked(ctx: _Ctx, row: list[Any], columns: dict[str, int], number: int, task: Task,
            stamped: str | None) -> None:
    """Locked cells edited by the office (errors), or the master changed since (info)."""
    native = {"content": task.content, "group": task.group, "product": task.product, "target": task.target,
              "deadline": task.deadline if task.deadline is not None else task.deadline_text, "points": task.points}
    width = len(row)
    if all(key not in columns or columns[key] >= width or row[columns[key]] == native[key]
           or (native[key] == "" and row[columns[key]] is None) for key in _LOCKED_CHECKED):
        return  # the usual case: every locked cell exactly as written
    file_values = {key: clean_text(text_of(row[columns[key]])) if key in columns and columns[key] < width else None
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
            column=REPORT[key].header, old=master_values[key][:80], new=_clean(new)[:80]))


# --- the table, row by row -----------------------------------------------------------------

class _TableReader:
    """Walks the table once: task rows matched to the unit's tasks, then the added rows."""

    def __init__(self, ctx: _Ctx, table: Table, stamp: Stamp | None) -> None:
        self.ctx, self.table = ctx, table
        self.columns = table.columns
        self.code_col, self.content_col = self.columns.get("task_code"), self.columns.get("content")
        self.data_columns = [c for k, c in self.columns.items() if k != "stt"]
        self.inputs = _input_columns(self.columns)
        self.stamped = {code: digest for code, _, digest in stamp.tasks} if stamp else {}
        self.own = {t.code: t for t in ctx.master.tasks_of(ctx.unit)}
        self.texts: dict[str, str] | None = None  # folded contents, for rows without a code (made on demand)
        self.seen: dict[str, int] = {}
        self.records: list[RowRecord] = []
        self.added = False

    def read(self) -> list[RowRecord]:
        rows = self.table.rows
        for index in range(self.table.header + 1, len(rows)):
            if not self._row(index, rows[index]):
                break
        return self.records

    def _row(self, index: int, row: list[Any]) -> bool:
        """Read one row; False at the signature block that ends the table."""
        code_cell = row[self.code_col] if self.code_col is not None and self.code_col < len(row) else None
        if is_blank(code_cell) or (isinstance(code_cell, str) and " " in code_cell.strip()):
            joined = fold(" ".join(v for v in row if isinstance(v, str)))
            if _MARKER in joined and not any(isinstance(v, float) for v in row):
                self.added = True
                return True
            if any(m in joined for m in _END_MARKERS) or _DATELINE.search(joined):
                return False
        width = len(row)
        if all(c >= width or is_blank(row[c]) for c in self.data_columns):
            return True
        code = normalize_code(text_of(code_cell)) if self.code_col is not None else ""
        task = None if self.added else self._task(index, code, row)
        if task is not None:
            self._task_row(index, row, task)
        elif not (code and not self.added and self._foreign(index, code)):
            self._added_row(index, row, code)
        return True

    def _value(self, row: list[Any], key: str) -> Any:
        """The row's cell in the table's column ``key`` (None when the table has no such column)."""
        column = self.columns.get(key)
        return row[column] if column is not None and column < len(row) else None

    def _task(self, index: int, code: str, row: list[Any]) -> Task | None:
        """The unit's task this row reports on: by its code, or by its content when the code is blank."""
        if code:
            return self.own.get(code)
        content = text_of(self._value(row, "content"))
        if not content:
            return None
        if self.texts is None:
            self.texts = {t.code: fold_key(t.content) for t in self.own.values()}
        match = process.extractOne(fold_key(content), {c: t for c, t in self.texts.items() if c not in self.seen},
                                   scorer=fuzz.ratio, score_cutoff=85)
        if not match:
            return None
        self.ctx.findings.append(F.TASK_MATCHED_BY_TEXT(self.ctx.at(f"A{index + 1}"), unit=self.ctx.unit,
                                                        task=match[2]))
        return self.own[match[2]]

    def _foreign(self, index: int, code: str) -> bool:
        """A code that is not the unit's: another unit's task (the row is left out) or unknown
        (read as an added task)."""
        ctx, where = self.ctx, self.ctx.at(xl_rowcol_to_cell(index, self.code_col or 0))
        other = ctx.master.task(code)
        if other is not None and other.unit != ctx.unit:
            ctx.findings.append(F.TASK_OF_OTHER_UNIT(where, unit=ctx.unit, task=code, owner=other.unit))
            return True
        ctx.findings.append(F.TASK_UNKNOWN(where, unit=ctx.unit, task=code))
        return False

    def _task_row(self, index: int, row: list[Any], task: Task) -> None:
        ctx, number = self.ctx, index + 1
        if task.code in self.seen:
            ctx.findings.append(F.TASK_DUPLICATED(ctx.at(xl_rowcol_to_cell(index, self.code_col or 0)),
                                                  unit=ctx.unit, task=task.code, first=self.seen[task.code]))
            return
        self.seen[task.code] = number
        rec = RowRecord("task", task.code, self.table.sheet, number)
        _inputs(ctx, row, self.inputs, number, rec, task)
        if not rec.raw:
            ctx.findings.append(F.TASK_NOT_FILLED(ctx.at(f"A{number}"), unit=ctx.unit, task=task.code))
        else:
            _checks(ctx, rec, task, self.columns)
        _locked(ctx, row, self.columns, number, task, self.stamped.get(task.code))
        if rec.raw:
            self.records.append(rec)

    def _added_row(self, index: int, row: list[Any], code: str) -> None:
        ctx, number = self.ctx, index + 1
        rec = RowRecord("added", code, self.table.sheet, number)
        _inputs(ctx, row, self.inputs, number, rec, None)
        rec.content = _text(ctx, self._value(row, "content"), xl_rowcol_to_cell(index, self.content_col or 0), code)
        rec.product = clean_text(text_of(self._value(row, "product")))
        rec.deadline = clean_text(text_of(self._value(row, "deadline")))
        if not rec.content:
            ctx.findings.append(F.ADDED_INCOMPLETE(ctx.at(f"A{number}"), unit=ctx.unit))
            return
        ctx.findings.append(F.TASK_ADDED(ctx.at(f"A{number}"), unit=ctx.unit, task=code, content=rec.content[:80]))
        self.records.append(rec)


# --- the whole table -----------------------------------------------------------------------

def _table_findings(ctx: _Ctx, table: Table, formulas: dict[str, str] | None) -> None:
    """Formulas without a value in input cells, and input columns missing from the table."""
    if formulas:
        inputs = {xl_col_to_name(c) for k, c in table.columns.items() if k in _INPUTS}
        for cell, formula in sorted(formulas.items()):
            letters = cell.rstrip("0123456789")
            if letters in inputs and int(cell[len(letters):]) > table.header + 1:
                ctx.findings.append(F.FORMULA_WITHOUT_VALUE(ctx.at(cell), unit=ctx.unit, formula=formula[:60]))
    for column in REPORT.columns:
        if not column.locked and column.key not in table.columns and column.key not in _OPTIONAL_INPUTS:
            ctx.findings.append(F.COLUMN_MISSING(ctx.at(f"A{table.header + 1}"), unit=ctx.unit, column=column.header))


def _summaries(ctx: _Ctx, reader: _TableReader) -> None:
    """Scores missing, tasks missing, and the repairs made quietly, for the file as a whole."""
    records = reader.records
    scored = any(r.self_score is not None or "self_score" in r.raw for r in records if r.kind == "task")
    if scored:
        ctx.findings.extend(ctx.unscored)
    elif ctx.unscored:
        ctx.findings.append(F.SCORE_NONE(Location(ctx.file, ctx.sheet), unit=ctx.unit, count=len(ctx.unscored)))
    for code in reader.own:
        if code not in reader.seen:
            ctx.findings.append(F.TASK_MISSING(Location(ctx.file, ctx.sheet), unit=ctx.unit, task=code))
    for cells, kind in ((ctx.as_text, F.VALUE_AS_TEXT), (ctx.decomposed, F.TEXT_DECOMPOSED)):
        if cells:
            listed = ", ".join(cells[:8]) + (", …" if len(cells) > 8 else "")
            ctx.findings.append(kind(Location(ctx.file, ctx.sheet), unit=ctx.unit, count=len(cells), cells=listed))


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
    _table_findings(ctx, table, formulas)
    reader = _TableReader(ctx, table, stamp)
    records = reader.read()
    _summaries(ctx, reader)
    for record in records:
        _ = record.raw_json  # encode here (in a worker process) rather than where the ledger is written
    return records, ctx.findings
