"""The domain: units, tasks, rounds, statuses, findings and where they were found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "ROUND_KINDS",
    "Adjustment",
    "Derived",
    "Finding",
    "Location",
    "Master",
    "Round",
    "Severity",
    "Status",
    "Task",
    "Unit",
]


class Severity(StrEnum):
    """How bad a finding is. Only ``ERROR`` makes a command exit with code 3."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}[self.value]


class Status(StrEnum):
    """The status an office reports (the dropdown of the template)."""

    DONE = "Hoàn thành"
    IN_PROGRESS = "Đang thực hiện"
    NOT_STARTED = "Chưa thực hiện"
    NOT_DONE = "Không thực hiện"


class Derived(StrEnum):
    """The class of a task as of a round's reporting date (``as_of``)."""

    DONE_ON_TIME = "Hoàn thành đúng hạn"
    DONE_LATE = "Hoàn thành quá hạn"
    IN_PROGRESS_ON_TIME = "Đang thực hiện trong hạn"
    IN_PROGRESS_OVERDUE = "Đang thực hiện quá hạn"
    NOT_STARTED = "Chưa thực hiện"
    NOT_DONE = "Không thực hiện"
    NOT_REPORTED = "Chưa báo cáo"

    @property
    def is_done(self) -> bool:
        return self in (Derived.DONE_ON_TIME, Derived.DONE_LATE)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from: file, sheet and cell (or line, for text files)."""

    file: str = ""
    sheet: str = ""
    cell: str = ""
    line: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.cell:
            parts.append(f"ô {self.cell}")
        if self.line is not None:
            parts.append(f"dòng {self.line}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in the data: a stable code, a severity and a Vietnamese message.

    ``message`` says what is wrong, ``advice`` what to do; ``str(finding)`` puts the
    location in front, e.g. ``bao-cao.xlsx, sheet "Báo cáo", ô H12: "15/13/2022" không
    phải ngày hợp lệ (dd/mm/yyyy). Nhập lại ngày theo dạng ngày/tháng/năm.``
    """

    code: str
    severity: Severity
    message: str
    advice: str = ""
    location: Location = field(default_factory=Location)
    unit: str = ""
    task: str = ""

    @property
    def text(self) -> str:
        """Message and advice in one sentence pair, without the location."""
        return f"{self.message}. {self.advice}." if self.advice else f"{self.message}."

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.text}" if where else self.text

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "advice": self.advice,
            "file": self.location.file,
            "sheet": self.location.sheet,
            "cell": self.location.cell,
            "line": "" if self.location.line is None else str(self.location.line),
            "unit": self.unit,
            "task": self.task,
        }


ROUND_KINDS = {"": "kỳ báo cáo", "week": "tuần", "month": "tháng", "quarter": "quý", "registration": "đăng ký"}


@dataclass(frozen=True, slots=True)
class Round:
    """A reporting round: status is judged as of ``as_of``; offices must answer by ``due``.

    ``kind`` sets rounds of one series apart: ``""`` for the rounds of ``[[round]]`` (quarter,
    6 months, 9 months, year), ``week``, ``month`` or ``quarter`` for those a ``[[schedule]]``
    generates, ``registration`` for the registration of tasks before the year. A round is
    compared with the previous round of its own kind. ``report_date`` dates the round's report
    (``[[round]] report_date``; when not set, ``[report] date`` or the day it is made).
    """

    id: str
    name: str
    as_of: dt.date
    due: dt.date
    kind: str = ""
    report_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit (cơ quan, đơn vị) and its head (thủ trưởng), from the sheet ``Đơn vị``."""

    code: str
    name: str
    block: str = ""
    head: str = ""
    position: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """A committed key task, from the sheet ``Nhiệm vụ``.

    ``deadline`` is None for an ongoing task ("Thường xuyên"), which is never overdue;
    ``deadline_text`` is how the deadline is shown ("30/06/2022", "Thường xuyên").
    """

    code: str
    unit: str
    content: str
    group: str = ""
    source: str = ""
    product: str = ""
    target: str = ""
    deadline: dt.date | None = None
    deadline_text: str = ""
    points: float = 0.0
    hard: bool = False
    parent: str = ""
    note: str = ""


@dataclass(frozen=True)
class Master:
    """The master list: units and their tasks, in the order of the workbook."""

    units: tuple[Unit, ...]
    tasks: tuple[Task, ...]

    def unit(self, code: str) -> Unit | None:
        return self._units_by_code.get(code)

    def task(self, code: str) -> Task | None:
        return self._tasks_by_code.get(code)

    def tasks_of(self, unit_code: str) -> tuple[Task, ...]:
        return self._tasks_by_unit.get(unit_code, ())

    @property
    def _units_by_code(self) -> dict[str, Unit]:
        return self._index()[0]

    @property
    def _tasks_by_code(self) -> dict[str, Task]:
        return self._index()[1]

    @property
    def _tasks_by_unit(self) -> dict[str, tuple[Task, ...]]:
        return self._index()[2]

    def _index(
        self,
    ) -> tuple[dict[str, Unit], dict[str, Task], dict[str, tuple[Task, ...]]]:
        cached = self.__dict__.get("_cache")
        if cached is None:
            by_unit: dict[str, list[Task]] = {}
            for task in self.tasks:
                by_unit.setdefault(task.unit, []).append(task)
            cached = (
                {u.code: u for u in self.units},
                {t.code: t for t in self.tasks},
                {k: tuple(v) for k, v in by_unit.items()},
            )
            object.__setattr__(self, "_cache", cached)
        return cached


@dataclass(frozen=True)
class Adjustment:
    """A change of a round's frozen list (*điều chỉnh*): a unit or task added, removed or changed
    when the round was re-issued. ``field`` is the column's header, for people."""

    round: str
    at: dt.datetime
    reason: str                 # why the list was frozen again ("templates --reissue")
    change: str                 # "added" | "removed" | "changed"
    what: str                   # "unit" | "task"
    code: str
    unit: str = ""
    field: str = ""
    before: str = ""
    after: str = ""

    @property
    def label(self) -> str:
        """``Sửa Thời hạn của nhiệm vụ VPC-01: 30/06/2022 → 30/09/2022``."""
        whom = f"{'đơn vị' if self.what == 'unit' else 'nhiệm vụ'} {self.code}"
        if self.change == "added":
            return f"Thêm {whom}" + (f": {self.after}" if self.after else "")
        if self.change == "removed":
            return f"Bỏ {whom}" + (f": {self.before}" if self.before else "")
        return f"Sửa {self.field} của {whom}: {self.before or '(trống)'} → {self.after or '(trống)'}"
