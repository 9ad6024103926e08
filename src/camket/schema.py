"""The single source of truth for every column camket reads or writes.

A :class:`Column` carries its Vietnamese header, the other spellings people type
(matched without diacritics or case), its kind, width and, for template inputs,
the hint and the error text of its validation. Templates, ingest, checks and
reports all read these objects; no header string is typed anywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from .model import Status
from .vi import fold_key

__all__ = [
    "ANSWER_KEYS",
    "APPRAISAL",
    "GUIDE_SHEET",
    "MASTER_TARGETS",
    "MASTER_TASKS",
    "MASTER_UNITS",
    "NOTES_SHEET",
    "PROBLEMS_SHEET",
    "REGISTRATION",
    "REPORT",
    "STATUS_VALUES",
    "Answer",
    "Column",
    "Kind",
    "Sheet",
]


class Kind(StrEnum):
    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"
    DEADLINE = "deadline"
    STATUS = "status"
    FLAG = "flag"


@dataclass(frozen=True)
class Column:
    """One column: ``key`` for code, ``header`` for people."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    width: float = 14
    aliases: tuple[str, ...] = ()
    required: bool = False
    locked: bool = True
    hint: str = ""  # input message of the template validation / instructions
    error: str = ""  # error message of the template validation

    @property
    def keys(self) -> frozenset[str]:
        """Folded spellings that identify this column in a header row."""
        return frozenset(fold_key(x) for x in (self.header, *self.aliases))


@dataclass(frozen=True)
class Sheet:
    """A sheet camket writes and reads back by header labels."""

    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(fold_key(x) for x in (self.name, *self.aliases))

    def index(self, key: str) -> int:
        """0-based position of a column in the layout camket writes."""
        return _positions(self)[key]


STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in Status)

_UNIT_CODE = Column(
    "unit_code", "Mã đơn vị", Kind.CODE, 12,
    aliases=("ma dv", "ma co quan", "ma co quan don vi", "don vi ma"), required=True,
)
_TASK_CODE = Column(
    "task_code", "Mã nhiệm vụ", Kind.CODE, 10,
    aliases=("ma nv", "ma so nhiem vu", "ma so", "ma"), required=True,
)
_CONTENT = Column(
    "content", "Nội dung nhiệm vụ", Kind.TEXT, 40,
    aliases=("nhiem vu", "ten nhiem vu", "noi dung", "noi dung cong viec", "dau viec"),
    required=True,
)
_GROUP = Column("group", "Nhóm", Kind.TEXT, 15, aliases=("nhom nhiem vu", "linh vuc"))
_PRODUCT = Column(
    "product", "Sản phẩm", Kind.TEXT, 15,
    aliases=("san pham dau ra", "ket qua du kien", "hinh thuc san pham"),
)
_TARGET = Column("target", "Chỉ tiêu", Kind.TEXT, 11, aliases=("chi tieu ke hoach",))
_DEADLINE = Column(
    "deadline", "Thời hạn", Kind.DEADLINE, 11,
    aliases=("thoi han hoan thanh", "thoi gian hoan thanh", "han hoan thanh", "thoi gian"),
    required=True,
)
_POINTS = Column(
    "points", "Điểm tối đa", Kind.NUMBER, 7,
    aliases=("diem", "so diem", "diem chuan", "thang diem"),
)

MASTER_UNITS = Sheet(
    "Đơn vị",
    (
        _UNIT_CODE,
        Column("unit_name", "Tên đơn vị", Kind.TEXT, 45,
               aliases=("ten co quan", "co quan don vi", "don vi", "ten co quan don vi"),
               required=True),
        Column("block", "Khối", Kind.TEXT, 22, aliases=("khoi don vi", "nhom don vi")),
        Column("head", "Thủ trưởng", Kind.TEXT, 24,
               aliases=("nguoi dung dau", "ho va ten thu truong", "ho ten", "lanh dao")),
        Column("position", "Chức vụ", Kind.TEXT, 18),
        Column("email", "Email", Kind.TEXT, 30, aliases=("thu dien tu", "e mail", "dia chi email")),
    ),
    aliases=("don vi", "danh sach don vi", "co quan don vi", "units"),
)

MASTER_TASKS = Sheet(
    "Nhiệm vụ",
    (
        _TASK_CODE,
        _UNIT_CODE,
        _CONTENT,
        _GROUP,
        Column("source", "Nguồn", Kind.TEXT, 16, aliases=("nguon nhiem vu", "loai nhiem vu")),
        _PRODUCT,
        _TARGET,
        _DEADLINE,
        _POINTS,
        Column("hard", "Nhiệm vụ khó", Kind.FLAG, 10,
               aliases=("kho dot pha", "nhiem vu kho dot pha", "dot pha")),
        Column("parent", "Mã nhiệm vụ cấp trên", Kind.CODE, 14,
               aliases=("ma cap tren", "nhiem vu cap tren")),
        Column("note", "Ghi chú", Kind.TEXT, 24),
    ),
    aliases=("nhiem vu", "danh sach nhiem vu", "danh muc nhiem vu", "tasks"),
)

MASTER_TARGETS = Sheet(
    "Nhiệm vụ",
    (
        Column("target_value", "Chỉ tiêu (số)", Kind.NUMBER, 10,
               aliases=("chi tieu so", "so chi tieu", "chi tieu dinh luong", "gia tri chi tieu", "muc chi tieu")),
        Column("target_unit", "Đơn vị tính", Kind.TEXT, 12, aliases=("dvt", "don vi do", "don vi tinh chi tieu")),
    ),
)
"""Columns of the task sheet read when present, never written: a numeric target as a number
and its unit (the *Chỉ tiêu* text may state it instead, "12 lớp")."""

REPORT = Sheet(
    "Báo cáo",
    (
        Column("stt", "STT", Kind.INTEGER, 5, aliases=("tt", "so tt", "so thu tu")),
        _TASK_CODE,
        _CONTENT,
        _GROUP,
        _PRODUCT,
        _DEADLINE,
        _POINTS,
        Column(
            "status", "Tình trạng", Kind.STATUS, 14,
            aliases=("tinh trang thuc hien", "trang thai", "ket qua danh gia"),
            locked=False,
            hint="Chọn trong danh sách: Hoàn thành, Đang thực hiện, Chưa thực hiện, "
                 "Không thực hiện (ghi lý do ở cột Khó khăn, vướng mắc).",
            error="Chỉ được chọn một trong bốn giá trị của danh sách.",
        ),
        Column(
            "progress", "Tiến độ (%)", Kind.PERCENT, 8,
            aliases=("tien do", "ty le hoan thanh", "ti le hoan thanh", "ty le", "muc do hoan thanh"),
            locked=False,
            hint="Số từ 0 đến 100, ví dụ 80 hoặc 66,5. Hoàn thành thì ghi 100.",
            error="Tiến độ phải là số từ 0 đến 100.",
        ),
        _TARGET,  # beside the value achieved against it
        Column(
            "achieved", "Giá trị đạt được", Kind.NUMBER, 9,
            aliases=("gia tri dat", "so lieu dat duoc", "so dat duoc", "gia tri thuc hien", "chi tieu dat duoc",
                     "ket qua dat duoc so"),
            locked=False,
            hint="Chỉ ghi khi nhiệm vụ có chỉ tiêu định lượng (ô nền vàng): số đã đạt được, theo đơn vị của cột "
                 "Chỉ tiêu bên trái. Ví dụ chỉ tiêu 12 lớp, đã mở 10 lớp thì ghi 10; chỉ tiêu 95% hồ sơ, đạt 97% "
                 "thì ghi 97.",
            error="Giá trị đạt được phải là số không âm (chỉ ghi số, không ghi đơn vị).",
        ),
        Column(
            "completed_on", "Ngày hoàn thành", Kind.DATE, 11,
            aliases=("ngay hoan thanh thuc te", "thoi gian hoan thanh thuc te"),
            locked=False,
            hint="Ngày/tháng/năm, ví dụ 15/08/2022. Chỉ ghi khi đã hoàn thành.",
            error="Ngày hoàn thành phải là ngày hợp lệ (ngày/tháng/năm) trong năm thực hiện "
                  "và không sau hạn gửi báo cáo.",
        ),
        Column(
            "result", "Kết quả / sản phẩm đạt được", Kind.TEXT, 28,
            aliases=("ket qua", "ket qua dat duoc", "san pham dat duoc", "ket qua thuc hien"),
            locked=False,
            hint="Nêu sản phẩm cụ thể: số, ngày văn bản, sự kiện đã tổ chức, số liệu đạt được.",
        ),
        Column(
            "difficulties", "Khó khăn, vướng mắc", Kind.TEXT, 20,
            aliases=("kho khan", "kho khan vuong mac", "nguyen nhan", "ton tai han che", "ly do"),
            locked=False,
            hint="Khó khăn, vướng mắc; với nhiệm vụ Không thực hiện, ghi rõ lý do.",
        ),
        Column(
            "proposals", "Kiến nghị", Kind.TEXT, 20,
            aliases=("kien nghi de xuat", "de xuat", "de xuat kien nghi"),
            locked=False,
            hint="Kiến nghị, đề xuất với lãnh đạo (nếu có).",
        ),
        Column(
            "self_score", "Tự chấm điểm", Kind.NUMBER, 8,
            aliases=("diem tu cham", "tu danh gia", "diem tu danh gia"),
            locked=False,
            hint="Số điểm tự chấm, từ 0 đến Điểm tối đa của nhiệm vụ.",
            error="Điểm tự chấm phải là số từ 0 đến Điểm tối đa của nhiệm vụ.",
        ),
    ),
    aliases=("bao cao", "bao cao ket qua", "ket qua thuc hien", "nhap lieu"),
)
GUIDE_SHEET = "Hướng dẫn"   # the other sheets of a template: its instructions,
PROBLEMS_SHEET = "Cần sửa"  # and, in a feedback workbook, what to correct or send
NOTES_SHEET = "Lưu ý"       # … or, when nothing is to be resent, what to mind next time

ANSWER_KEYS: tuple[str, ...] = tuple(c.key for c in REPORT.columns if not c.locked)
"""The input columns of the report sheet: what an office answers for one task."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """An office's answer to one task: one field per input column of :data:`REPORT`, by key.

    Ingest records, ledger rows and reconciled task results all carry it (by inheritance),
    and the ledger's columns are made from :data:`ANSWER_KEYS`; adding an input column is a
    column of ``REPORT`` and its field here (a check at import keeps the two equal).
    """

    status: str | None = None
    progress: float | None = None
    achieved: float | None = None
    completed_on: dt.date | None = None
    result: str = ""
    difficulties: str = ""
    proposals: str = ""
    self_score: float | None = None

    def answer(self) -> dict[str, Any]:
        """The answer's values by column key."""
        return {key: getattr(self, key) for key in ANSWER_KEYS}


if tuple(f.name for f in fields(Answer)) != ANSWER_KEYS:  # pragma: no cover - a developer's slip
    raise RuntimeError(f"schema.Answer fields differ from the input columns of REPORT: {ANSWER_KEYS}")


APPRAISAL = Sheet(
    "Thẩm định",
    (
        Column("stt", "STT", Kind.INTEGER, 6, aliases=("tt", "so tt")),
        Column("unit_code", _UNIT_CODE.header, Kind.CODE, 10, aliases=_UNIT_CODE.aliases),
        Column("unit_name", "Tên đơn vị", Kind.TEXT, 24, aliases=("don vi", "ten co quan")),
        _TASK_CODE,
        Column("content", _CONTENT.header, Kind.TEXT, 44, aliases=_CONTENT.aliases),
        _POINTS,
        Column("status", REPORT["status"].header, Kind.STATUS, 15, aliases=REPORT["status"].aliases),
        Column("progress", REPORT["progress"].header, Kind.NUMBER, 8, aliases=REPORT["progress"].aliases),
        Column("result", REPORT["result"].header, Kind.TEXT, 32, aliases=REPORT["result"].aliases),
        Column("target", "Chỉ tiêu, giá trị đạt được", Kind.TEXT, 18),
        Column("self_score", REPORT["self_score"].header, Kind.NUMBER, 9,
               aliases=REPORT["self_score"].aliases),
        Column(
            "appraised_score", "Điểm thẩm định", Kind.NUMBER, 10,
            aliases=("diem tham dinh", "diem danh gia"), locked=False,
            hint="Điểm thẩm định, từ 0 đến Điểm tối đa của nhiệm vụ.",
            error="Điểm thẩm định phải là số từ 0 đến Điểm tối đa của nhiệm vụ.",
        ),
        Column(
            "appraisal_note", "Nhận xét thẩm định", Kind.TEXT, 32,
            aliases=("nhan xet",), locked=False,
            hint="Nhận xét, lý do khi điểm thẩm định khác điểm tự chấm.",
        ),
    ),
    aliases=("tham dinh",),
)

APPRAISAL_SUMMARY = Sheet("Tổng hợp thẩm định", (
    Column("unit_code", _UNIT_CODE.header, Kind.CODE, 10),
    Column("unit_name", "Tên đơn vị", Kind.TEXT, 36),
    Column("points", "Tổng điểm tối đa", Kind.NUMBER, 11),
    Column("self_score", "Tổng điểm tự chấm", Kind.NUMBER, 11),
    Column("appraised", "Tổng điểm thẩm định", Kind.NUMBER, 11),
    Column("gap", "Chênh lệch (tự chấm - thẩm định)", Kind.NUMBER, 13),
    Column("appraised_pct", "Điểm thẩm định (thang 100)", Kind.NUMBER, 12),
))


_POSITIONS: dict[int, dict[str, int]] = {}
_LABELS: dict[int, dict[str, str]] = {}


def _positions(sheet: Sheet) -> dict[str, int]:
    found = _POSITIONS.get(id(sheet))
    if found is None:
        found = _POSITIONS[id(sheet)] = {c.key: i for i, c in enumerate(sheet.columns)}
    return found


def _labels(sheet: Sheet) -> dict[str, str]:
    """Folded label -> column key, for every spelling of every column of ``sheet``."""
    found = _LABELS.get(id(sheet))
    if found is None:
        found = {}
        for column in sheet.columns:
            for key in column.keys:
                found.setdefault(key, column.key)
        _LABELS[id(sheet)] = found
    return found


def match_header(row: Sequence[object], sheet: Sheet) -> dict[str, int]:
    """Which column of ``row`` holds each column of ``sheet`` (by folded label).

    The first cell that matches a column wins; unknown labels are ignored.
    """
    lookup = _labels(sheet)
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        if isinstance(value, str) and value and len(value) < 80:
            key = lookup.get(fold_key(value))
            if key is not None and key not in found:
                found[key] = index
    return found


def find_header(
    rows: Sequence[Sequence[object]], sheet: Sheet, scan: int = 30, hint: int | None = None
) -> tuple[int, dict[str, int]] | None:
    """The header row among the first ``scan`` rows: the one matching most columns
    (at least two). ``hint`` is where the header should be; if every column is found
    there, no other row is looked at."""
    if hint is not None and 0 <= hint < len(rows):
        found = match_header(rows[hint], sheet)
        if len(found) == len(sheet.columns):
            return hint, found
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:scan]):
        found = match_header(row, sheet)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


# --- output sheets -----------------------------------------------------------------------
# Columns a reader needs come first; technical ones (codes, source file and cell) last, so
# the print area can leave them out (see ``printed``).
_UNIT_NAME = MASTER_UNITS["unit_name"]
_COUNT = Kind.INTEGER


def _out(key: str, header: str, kind: Kind = Kind.TEXT, width: float = 12) -> Column:
    return Column(key, header, kind, width)


DERIVED_HEADER = _out("derived", "Phân loại", Kind.TEXT, 22)
RATE = _out("rate", "Tỉ lệ hoàn thành", Kind.PERCENT, 11)
PROGRESS = _out("progress", REPORT["progress"].header, Kind.NUMBER, 8)   # 0-100, not a fraction
EMAIL = _out("email", "Thư điện tử", Kind.TEXT, 28)
TECHNICAL = frozenset({"unit_code", "task_code", "file", "cell", "code", "sheet", "location"})


def printed(sheet: Sheet) -> int:
    """How many leading columns of ``sheet`` are printed: all but the technical ones at its end."""
    n = len(sheet.columns)
    while n > 1 and sheet.columns[n - 1].key in TECHNICAL:
        n -= 1
    return n


UNIT_SUMMARY = Sheet("Theo đơn vị", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 30), MASTER_UNITS["block"],
    _out("head", MASTER_UNITS["head"].header, Kind.TEXT, 20),
    _out("tasks", "Số nhiệm vụ", _COUNT, 9),
    _out("due", "Nhiệm vụ đến hạn", _COUNT, 9),
    _out("due_completed", "Hoàn thành (nhiệm vụ đến hạn)", _COUNT, 11),
    _out("due_rate", "Tỉ lệ hoàn thành nhiệm vụ đến hạn", Kind.PERCENT, 11),
    _out("completed", "Hoàn thành (cả năm)", _COUNT, 10),
    _out("on_time", "Hoàn thành đúng hạn", _COUNT, 10),
    _out("done_late", "Hoàn thành quá hạn", _COUNT, 10),
    _out("below_target", "Hoàn thành chưa đạt chỉ tiêu", _COUNT, 11),
    _out("in_progress", "Đang thực hiện", _COUNT, 10),
    _out("overdue", "Quá hạn chưa hoàn thành", _COUNT, 11),
    _out("not_started", "Chưa thực hiện", _COUNT, 9),
    _out("not_done", "Không thực hiện", _COUNT, 9),
    _out("not_reported", "Chưa báo cáo", _COUNT, 9),
    _out("rate", "Tỉ lệ hoàn thành (cả năm)", Kind.PERCENT, 11),
    _out("all_done", "Hoàn thành 100%", Kind.TEXT, 10),
    _out("points", "Tổng điểm tối đa", Kind.NUMBER, 9),
    _out("self_score", "Tổng điểm tự chấm", Kind.NUMBER, 9),
    _out("score", "Điểm (thang 100)", Kind.NUMBER, 9),
    _out("rating", "Xếp loại", Kind.TEXT, 27),
    _out("submitted", "Thời gian gửi", Kind.DATE, 16),
    _out("arrived_source", "Căn cứ thời gian gửi", Kind.TEXT, 16),
    _out("late", "Gửi muộn", Kind.TEXT, 8),
    _out("errors", "Số lỗi", _COUNT, 7),
    _out("warnings", "Số cảnh báo", _COUNT, 9),
    MASTER_UNITS["unit_code"],
    _out("file", "Tệp báo cáo", Kind.TEXT, 40),
))

def _narrow(column: Column, width: float) -> Column:
    """``column`` at another width (a wide list sheet prints on fewer pages)."""
    return _out(column.key, column.header, column.kind, width)


DETAIL = Sheet("Chi tiết", (
    _out("stt", "STT", _COUNT, 6),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 20),
    MASTER_TASKS["content"], _narrow(MASTER_TASKS["group"], 12), _narrow(MASTER_TASKS["source"], 12),
    _narrow(MASTER_TASKS["product"], 13),
    _narrow(MASTER_TASKS["target"], 10), _out("achieved", REPORT["achieved"].header, Kind.NUMBER, 9),
    _out("target_rate", "Tỉ lệ đạt chỉ tiêu", Kind.PERCENT, 8), _out("target_met", "Đạt chỉ tiêu", Kind.TEXT, 7),
    MASTER_TASKS["deadline"], MASTER_TASKS["points"],
    _narrow(REPORT["status"], 13), PROGRESS, REPORT["completed_on"],
    _out("derived", DERIVED_HEADER.header, Kind.TEXT, 18),
    _out("overdue", "Quá hạn", Kind.TEXT, 8),
    _narrow(REPORT["result"], 24), _narrow(REPORT["difficulties"], 17), _narrow(REPORT["proposals"], 17),
    REPORT["self_score"],
    MASTER_TASKS["task_code"], MASTER_TASKS["unit_code"],
    _out("file", "Tệp nguồn", Kind.TEXT, 36),
    _out("cell", "Ô", Kind.TEXT, 12),
))

OVERDUE = Sheet("Quá hạn", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 26), MASTER_TASKS["content"],
    MASTER_TASKS["deadline"], _out("days", "Số ngày quá hạn", _COUNT, 10),
    REPORT["status"], PROGRESS, DERIVED_HEADER, REPORT["difficulties"],
    MASTER_TASKS["unit_code"], MASTER_TASKS["task_code"],
))

MISSING = Sheet("Chưa báo cáo", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 26), _out("head", MASTER_UNITS["head"].header, Kind.TEXT, 20),
    EMAIL, MASTER_TASKS["content"], MASTER_TASKS["deadline"],
    _out("note", "Ghi chú", Kind.TEXT, 32),
    MASTER_UNITS["unit_code"], MASTER_TASKS["task_code"],
))

PROPOSED = Sheet("Phát sinh", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 26), MASTER_TASKS["content"], MASTER_TASKS["product"],
    MASTER_TASKS["deadline"], REPORT["status"], PROGRESS, REPORT["result"],
    MASTER_UNITS["unit_code"],
))

FINDINGS = Sheet("Lỗi dữ liệu", (
    _out("stt", "STT", _COUNT, 6),
    _out("severity", "Mức độ", Kind.TEXT, 10),
    _out("title", "Loại", Kind.TEXT, 26),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 24),
    _out("message", "Nội dung", Kind.TEXT, 55),
    _out("advice", "Cần làm", Kind.TEXT, 45),
    _out("file", "Tệp", Kind.TEXT, 36),
    _out("sheet", "Trang tính", Kind.TEXT, 12),
    _out("cell", "Ô", Kind.TEXT, 7),
    MASTER_UNITS["unit_code"], MASTER_TASKS["task_code"],
    _out("code", "Mã phát hiện", Kind.TEXT, 24),
))

SCORES = Sheet("Điểm", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 30),
    _out("source", "Căn cứ chấm", Kind.TEXT, 14),
    _out("points", "Tổng điểm tối đa", Kind.NUMBER, 10),
    _out("earned", "Điểm đạt", Kind.NUMBER, 9),
    _out("base", "Điểm cơ sở (thang 100)", Kind.NUMBER, 11),
    _out("hard_bonus", "Thưởng nhiệm vụ khó", Kind.NUMBER, 10),
    _out("late_completion", "Trừ hoàn thành quá hạn", Kind.NUMBER, 10),
    _out("overdue", "Trừ nhiệm vụ quá hạn", Kind.NUMBER, 10),
    _out("late_report", "Trừ gửi báo cáo muộn", Kind.NUMBER, 10),
    _out("missing_report", "Trừ không báo cáo", Kind.NUMBER, 10),
    _out("total", "Tổng điểm", Kind.NUMBER, 9),
    _out("rating", "Xếp loại", Kind.TEXT, 27),
    MASTER_UNITS["unit_code"],
))

PENDING = Sheet("Chờ xử lý", (
    _out("stt", "STT", _COUNT, 5),
    _out("number", "Số tệp", _COUNT, 7),
    _out("file_name", "Tệp", Kind.TEXT, 30),
    _out("unit_name", "Nội dung là báo cáo của", Kind.TEXT, 22),
    _out("claimed", "Tệp ghi là của", Kind.TEXT, 22),
    _out("reason", "Lý do chờ xử lý", Kind.TEXT, 40),
    _out("arrived", "Thời gian gửi", Kind.TEXT, 14),
))

ADJUSTMENTS = Sheet("Điều chỉnh", (
    _out("stt", "STT", _COUNT, 5),
    _out("round", "Kỳ báo cáo", Kind.TEXT, 9),
    _out("at", "Thời điểm", Kind.TEXT, 15),
    _out("reason", "Căn cứ", Kind.TEXT, 22),
    _out("change", "Điều chỉnh", Kind.TEXT, 9),
    _out("what", "Đối tượng", Kind.TEXT, 9),
    _out("item", "Mã", Kind.TEXT, 10),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 22),
    _out("field", "Nội dung", Kind.TEXT, 11),
    _out("before", "Trước điều chỉnh", Kind.TEXT, 26),
    _out("after", "Sau điều chỉnh", Kind.TEXT, 26),
))

CHANGES = Sheet("Thay đổi so với kỳ trước", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 26), MASTER_TASKS["content"],
    _out("before", "Kỳ trước", Kind.TEXT, 22),
    _out("after", "Kỳ này", Kind.TEXT, 22),
    MASTER_TASKS["unit_code"], MASTER_TASKS["task_code"],
))
TREND_SHEET = "Theo kỳ"

# --- the registration of tasks before the year (camket registration) -------------------------
REGISTRATION = Sheet("Đăng ký", (
    Column("stt", "STT", Kind.INTEGER, 5, aliases=("tt", "so tt")),
    _TASK_CODE,
    Column("source", "Nguồn", Kind.TEXT, 13, aliases=("nguon nhiem vu", "loai nhiem vu")),
    Column("content", _CONTENT.header, Kind.TEXT, 42, aliases=_CONTENT.aliases, locked=False,
           hint="Nội dung nhiệm vụ tự đăng ký: việc gì, kết quả cần đạt, rõ ràng, đo đếm được."),
    Column("group", _GROUP.header, Kind.TEXT, 13, aliases=_GROUP.aliases, locked=False,
           hint="Nhóm (lĩnh vực) của nhiệm vụ; chọn trong danh sách hoặc ghi mới."),
    Column("product", _PRODUCT.header, Kind.TEXT, 18, aliases=_PRODUCT.aliases, locked=False,
           hint="Sản phẩm cụ thể khi hoàn thành: văn bản, đề án, hội nghị, hệ thống …"),
    Column("target", _TARGET.header, Kind.TEXT, 13, aliases=_TARGET.aliases, locked=False,
           hint="Chỉ tiêu (nếu có), ghi số và đơn vị tính: 12 lớp, 100%, 3 công trình."),
    Column("deadline", _DEADLINE.header, Kind.DEADLINE, 12, aliases=_DEADLINE.aliases, locked=False,
           hint='Ngày/tháng/năm (30/06/2023), tháng/năm (6/2023), Quý II/2023 hoặc "Thường xuyên".'),
    Column("points", _POINTS.header, Kind.NUMBER, 8, aliases=_POINTS.aliases, locked=False,
           hint="Số điểm tối đa của nhiệm vụ khi chấm điểm, ví dụ 10 hoặc 12,5.",
           error="Điểm tối đa phải là số không âm."),
    Column("hard", "Nhiệm vụ khó", Kind.FLAG, 8, aliases=("kho dot pha", "nhiem vu kho dot pha", "dot pha"),
           locked=False, hint='Ghi "x" nếu là nhiệm vụ khó, đột phá; để trống nếu không.',
           error='Ghi "x" hoặc để trống.'),
    Column("note", "Ghi chú", Kind.TEXT, 22, locked=False,
           hint="Giải trình, đề nghị điều chỉnh nhiệm vụ được giao (nếu có)."),
), aliases=("dang ky", "dang ky nhiem vu"))

# --- the year's emulation table (camket year) -------------------------------------------------
EMULATION = Sheet("Thi đua", (
    _out("stt", "STT", _COUNT, 5),
    _out("unit_name", _UNIT_NAME.header, Kind.TEXT, 26), _out("block", MASTER_UNITS["block"].header, Kind.TEXT, 16),
    _out("head", MASTER_UNITS["head"].header, Kind.TEXT, 17),
    _out("expected", "Số kỳ phải báo cáo", _COUNT, 9),
    _out("on_time", "Gửi đúng hạn", _COUNT, 8),
    _out("late", "Gửi muộn", _COUNT, 8),
    _out("missing", "Không gửi", _COUNT, 8),
    _out("reporting", "Điểm chấp hành chế độ báo cáo", Kind.NUMBER, 11),
    _out("rate", "Tỉ lệ hoàn thành nhiệm vụ", Kind.PERCENT, 11),
    _out("task_score", "Điểm nhiệm vụ (thang 100)", Kind.NUMBER, 10),
    _out("score", "Điểm thi đua", Kind.NUMBER, 9),
    _out("rank", "Xếp hạng", _COUNT, 7),
    _out("rating", "Xếp loại thi đua", Kind.TEXT, 22),
    MASTER_UNITS["unit_code"],
))
EMULATION_ROUNDS = "Chấp hành báo cáo"
