"""``camket.toml`` -> :class:`Settings`, a frozen object built once and passed down.

:func:`read_config` never raises on bad content: it returns the settings (or ``None``)
with findings that name the key and its line. Unknown keys are warnings; missing
required keys, wrong types and inconsistent rounds are errors.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import findings as F
from .model import Finding, Location, Round, Severity
from .periods import Schedule, generate, kind_of
from .vi import fold_key

__all__ = [
    "Agency",
    "ConfigRead",
    "Contact",
    "EmulationSettings",
    "FeedbackSettings",
    "RatingBand",
    "RegistrationSettings",
    "ReportSettings",
    "ScoringRules",
    "SelfScoreRules",
    "Settings",
    "Signer",
    "StructureRule",
    "TargetRules",
    "read_config",
]

DEFAULT_BANDS: tuple[tuple[float, str], ...] = (
    (90, "Hoàn thành xuất sắc nhiệm vụ"),
    (70, "Hoàn thành tốt nhiệm vụ"),
    (50, "Hoàn thành nhiệm vụ"),
)
DEFAULT_BELOW = "Không hoàn thành nhiệm vụ"


@dataclass(frozen=True)
class Agency:
    name: str
    short: str
    place: str
    parent: str = ""


@dataclass(frozen=True)
class Signer:
    """``title`` is the authority ("BỘ TRƯỞNG"); with ``deputy_title`` a deputy signs
    for it: "KT. BỘ TRƯỞNG" over "THỨ TRƯỞNG"."""

    title: str
    name: str
    deputy_title: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        if self.deputy_title:
            return (f"KT. {self.title}", self.deputy_title)
        return (self.title,)


@dataclass(frozen=True)
class Contact:
    """Who offices send their workbook back to (shown in every template)."""

    unit: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RatingBand:
    minimum: float
    label: str


@dataclass(frozen=True)
class ReportSettings:
    """``[report]``: who receives the Word report and how it is laid out and worded.

    ``addressees`` print "Kính gửi: …" (and "Như trên" heads the recipients); ``date`` is
    the dateline's date (the day the report is made when not set); ``units_term`` is how
    the agency calls its units ("phòng, đơn vị"); ``basis`` opens the report ("Thực hiện
    Kế hoạch số …").
    """

    recipients: tuple[str, ...] = ()
    docx_template: Path | None = None
    number: str = ""
    addressees: tuple[str, ...] = ()
    date: dt.date | None = None
    units_term: str = "cơ quan, đơn vị"
    basis: str = ""
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    font_size: float = 14
    line_spacing: float = 1.2


@dataclass(frozen=True)
class FeedbackSettings:
    """``[feedback]``: offices resend within ``working_days`` working days of the report's
    date (weekends, Vietnam's public holidays and ``holidays`` excluded)."""

    working_days: int = 5
    holidays: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class ScoringRules:
    """Optional scoring rules, each off (0) by default; see docs/scoring.md."""

    hard_bonus: float = 0
    late_completion_penalty: float = 0
    overdue_penalty: float = 0
    late_report_penalty: float = 0
    missing_report_penalty: float = 0


@dataclass(frozen=True)
class TargetRules:
    """``[targets]``: a task reported done whose achieved value is below its numeric target
    still counts as done (flagged) unless ``count_below_target_as_done`` is false; then it
    counts as in progress. See docs/scoring.md."""

    count_below_target_as_done: bool = True


@dataclass(frozen=True)
class SelfScoreRules:
    """``[self_score]``: when a self-score contradicts the reported status (docs/scoring.md).

    Shares are percentages of the task's maximum points: ``not_started_max`` for *Chưa thực
    hiện*, ``not_done_max`` for *Không thực hiện*; an unfinished task scores at most its
    progress plus ``progress_margin`` percentage points; with ``full_points_only_done`` only a
    task reported done may take its maximum points. ``check = false`` turns the checks off.
    """

    check: bool = True
    not_started_max: float = 0
    not_done_max: float = 0
    full_points_only_done: bool = True
    progress_margin: float = 10


@dataclass(frozen=True)
class StructureRule:
    """``[[structure]]``: each head has between ``minimum`` and ``maximum`` tasks of ``source``
    (*Nguồn*); ``block`` limits the rule to the units of one block (*Khối*)."""

    source: str
    minimum: int | None = None
    maximum: int | None = None
    block: str = ""
    line: int | None = None

    @property
    def allowed(self) -> str:
        """The allowed range in words: ``từ 3 đến 5``, ``đúng 5``, ``ít nhất 1``, ``nhiều nhất 2``."""
        low, high = self.minimum, self.maximum
        if low is not None and low == high:
            return f"đúng {low}"
        if low is not None and high is not None:
            return f"từ {low} đến {high}"
        return f"ít nhất {low}" if low is not None else f"nhiều nhất {high}"


@dataclass(frozen=True)
class RegistrationSettings:
    """``[registration]``: the registration of tasks before the year (*đăng ký nhiệm vụ*).

    Its workbooks and returns form a round of kind ``registration`` (``id``); heads add their
    own tasks under ``own_source``, ``own_rows`` rows each."""

    id: str
    name: str
    due: dt.date
    own_source: str = "Tự đăng ký"
    own_rows: int = 5

    @property
    def round(self) -> Round:
        return Round(self.id, self.name, self.due, self.due, "registration")


@dataclass(frozen=True)
class EmulationSettings:
    """``[emulation]``: the year's emulation table (*thi đua*). Each unit's score is its task
    score of the year (scale 100) plus ``on_time_points`` for each round reported on time,
    ``late_points`` for each round reported late and ``missing_points`` for each round not
    reported (negative numbers deduct); ``round`` is the round whose task results count (the
    last round of ``[[round]]`` with reports when empty); ``bands`` rate the score (those of
    ``[rating]`` when empty)."""

    on_time_points: float = 0
    late_points: float = -1
    missing_points: float = -2
    round: str = ""
    bands: tuple[RatingBand, ...] = ()
    below: str = ""


@dataclass(frozen=True)
class Settings:
    agency: Agency
    title: str
    year: int
    rounds: tuple[Round, ...]
    signer: Signer
    contact: Contact = Contact()
    template_password: str = ""
    extra_rows: int = 10
    rating: tuple[RatingBand, ...] = tuple(RatingBand(m, label) for m, label in DEFAULT_BANDS)
    rating_below: str = DEFAULT_BELOW
    report: ReportSettings = ReportSettings()
    scoring: ScoringRules = ScoringRules()
    feedback: FeedbackSettings = FeedbackSettings()
    targets: TargetRules = TargetRules()
    self_score: SelfScoreRules = SelfScoreRules()
    structure: tuple[StructureRule, ...] = ()
    registration: RegistrationSettings | None = None
    emulation: EmulationSettings = EmulationSettings()
    base_url: str = ""  # [web] base_url: where offices reach ``camket serve`` (their upload links)

    def round(self, round_id: str) -> Round | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    def previous_round(self, round_id: str) -> Round | None:
        """The round before ``round_id`` of the same kind, by reporting date, if any (a month's
        previous round is the month before, never the last week)."""
        this = self.round(round_id)
        if this is None:
            return None
        ordered = sorted((r for r in self.rounds if r.kind == this.kind), key=lambda r: r.as_of)
        i = ordered.index(this)
        return ordered[i - 1] if i > 0 else None

    def series(self, kind: str) -> tuple[Round, ...]:
        """The rounds of one kind, by reporting date."""
        return tuple(sorted((r for r in self.rounds if r.kind == kind), key=lambda r: r.as_of))

    def rate(self, score: float) -> str:
        for band in self.rating:
            if score >= band.minimum:
                return band.label
        return self.rating_below


@dataclass(frozen=True)
class ConfigRead:
    settings: Settings | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.settings is not None and not any(
            f.severity is Severity.ERROR for f in self.findings
        )


# key -> (type, required, meaning)
_Spec = dict[str, tuple[type | tuple[type, ...], bool, str]]
_TABLES: dict[str, _Spec] = {
    "agency": {
        "name": (str, True, "tên cơ quan ban hành báo cáo"),
        "short": (str, True, "chữ viết tắt dùng trong số ký hiệu, ví dụ BVHTTDL"),
        "place": (str, True, "địa danh ghi ở dòng ngày tháng"),
        "parent": (str, False, "cơ quan chủ quản"),
    },
    "programme": {
        "title": (str, True, "tên chương trình cam kết"),
        "year": (int, True, "năm thực hiện"),
    },
    "round": {
        "id": (str, True, "mã kỳ báo cáo, ví dụ 2022-6T"),
        "name": (str, True, "tên kỳ báo cáo, ví dụ 6 tháng đầu năm 2022"),
        "as_of": (dt.date, True, "ngày chốt số liệu"),
        "due": (dt.date, True, "hạn gửi báo cáo"),
        "kind": (str, False, "loại kỳ: tuần, tháng, quý (để trống với các kỳ quý, 6 tháng, 9 tháng, năm)"),
    },
    "schedule": {
        "every": (str, True, "kỳ báo cáo định kỳ: tuần, tháng hoặc quý"),
        "start": (dt.date, True, "ngày bắt đầu"),
        "end": (dt.date, True, "ngày kết thúc"),
        "due_days": (int, False, "số ngày sau cuối kỳ là hạn gửi báo cáo"),
    },
    "structure": {
        "source": (str, True, "nguồn nhiệm vụ (cột Nguồn của danh mục)"),
        "min": (int, False, "số nhiệm vụ tối thiểu"),
        "max": (int, False, "số nhiệm vụ tối đa"),
        "block": (str, False, "chỉ áp dụng cho các đơn vị thuộc khối này"),
    },
    "registration": {
        "id": (str, False, ""), "name": (str, False, ""), "due": (dt.date, False, ""),
        "own_source": (str, False, ""), "own_rows": (int, False, ""),
    },
    "emulation": {
        "on_time_points": ((int, float), False, ""), "late_points": ((int, float), False, ""),
        "missing_points": ((int, float), False, ""), "round": (str, False, ""), "bands": (list, False, ""),
        "below": (str, False, ""),
    },
    "signer": {
        "title": (str, True, "chức vụ người ký, ví dụ BỘ TRƯỞNG"),
        "name": (str, True, "họ tên người ký"),
        "deputy_title": (str, False, "chức vụ cấp phó ký thay"),
    },
    "contact": {"unit": (str, False, ""), "email": (str, False, ""), "phone": (str, False, "")},
    "templates": {"password": (str, False, ""), "extra_rows": (int, False, "")},
    "rating": {"bands": (list, False, ""), "below": (str, False, "")},
    "report": {
        "recipients": (list, False, ""),
        "docx_template": (str, False, ""),
        "number": (str, False, ""),
        "margin_top_mm": ((int, float), False, ""),
        "margin_bottom_mm": ((int, float), False, ""),
        "margin_left_mm": ((int, float), False, ""),
        "margin_right_mm": ((int, float), False, ""),
        "font_size": ((int, float), False, ""),
        "line_spacing": ((int, float), False, ""),
        "addressees": (list, False, ""),
        "date": (dt.date, False, ""),
        "units_term": (str, False, ""),
        "basis": (str, False, ""),
    },
    "feedback": {"working_days": (int, False, ""), "holidays": (list, False, "")},
    "scoring": {
        name: ((int, float), False, "")
        for name in ScoringRules.__dataclass_fields__
    },
    "targets": {"count_below_target_as_done": (bool, False, "")},
    "self_score": {
        "check": (bool, False, ""),
        "not_started_max": ((int, float), False, ""),
        "not_done_max": ((int, float), False, ""),
        "full_points_only_done": (bool, False, ""),
        "progress_margin": ((int, float), False, ""),
    },
    "web": {"base_url": (str, False, "địa chỉ camket serve mà các đơn vị truy cập")},
}
_REQUIRED_TABLES = {"agency": "cơ quan ban hành", "programme": "chương trình", "signer": "người ký"}
# Ranges allowed by Decree 30/2020 (Phụ lục I) for the report layout.
_RANGES = {
    "margin_top_mm": (20, 25), "margin_bottom_mm": (20, 25), "margin_left_mm": (30, 35),
    "margin_right_mm": (15, 20), "font_size": (13, 14), "line_spacing": (1.0, 1.5),
}

_FIRST_YEAR, _LAST_YEAR = 2000, 2100  # a programme year outside these is a typing error

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Line numbers of tables and keys: ``("agency",)``, ``("round", 0, "id")`` ..."""
    lines: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m:
            name = m.group(2)
            if m.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
            else:
                current = (name,)
            lines.setdefault(current, number)
            continue
        m = _KEY.match(line)
        if m:
            lines.setdefault((*current, m.group(1)), number)
    return lines


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.file = path.name
        self.lines = _key_lines(text)
        self.findings: list[Finding] = []

    def at(self, *key: str | int) -> Location:
        for n in range(len(key), 0, -1):
            if key[:n] in self.lines:
                return Location(self.file, line=self.lines[key[:n]])
        return Location(self.file)

    def table(self, data: dict[str, Any], name: str, path: tuple[str | int, ...]) -> dict[str, Any]:
        spec = _TABLES[name]
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key not in spec:
                self.findings.append(F.CONFIG_UNKNOWN_KEY(self.at(*path, key), key=key))
                continue
            types = spec[key][0]
            wanted = types if isinstance(types, tuple) else (types,)
            ok = isinstance(value, wanted) and not (
                isinstance(value, bool) and bool not in wanted
            )
            if dt.date in wanted and isinstance(value, dt.datetime):
                value = value.date()
            if not ok:
                self.findings.append(F.CONFIG_BAD_VALUE(
                    self.at(*path, key), key=key, reason=_type_reason(wanted, value)))
                continue
            if isinstance(value, str):
                value = value.strip()
            out[key] = value
        for key, (_, required, meaning) in spec.items():
            if required and (key not in data or out.get(key) == ""):
                self.findings.append(F.CONFIG_MISSING_KEY(
                    self.at(*path), table=name, key=key, meaning=meaning))
        return out


def _type_reason(wanted: tuple[type, ...], value: Any) -> str:
    names = {str: "chuỗi trong dấu nháy kép", int: "số nguyên", float: "số", list: "danh sách [...]",
             dt.date: "ngày dạng 2022-06-30", bool: "true hoặc false"}
    expected = " hoặc ".join(names.get(t, t.__name__) for t in wanted)
    return f"cần {expected}, đang là {value!r}"


def read_config(path: Path) -> ConfigRead:
    """Read ``camket.toml``; never raises on bad content (see the findings)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        return ConfigRead(None, (F.CONFIG_SYNTAX(Location(path.name), reason=str(exc)),))
    except UnicodeDecodeError:
        return ConfigRead(None, (F.CONFIG_SYNTAX(
            Location(path.name), reason="tệp không phải UTF-8; hãy lưu lại với bảng mã UTF-8"),))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = Location(path.name, line=int(m.group(1)) if m else None)
        return ConfigRead(None, (F.CONFIG_SYNTAX(where, reason=str(exc)),))
    return _settings(_Reader(path, text), data)


_ARRAYS = frozenset({"round", "schedule", "structure"})  # [[...]] tables


def _settings(r: _Reader, data: dict[str, Any]) -> ConfigRead:
    for key in data:
        if key not in _TABLES or (key in _ARRAYS) != isinstance(data[key], list):
            r.findings.append(F.CONFIG_UNKNOWN_KEY(r.at(key), key=key))
    for name, meaning in _REQUIRED_TABLES.items():
        if not isinstance(data.get(name), dict):
            r.findings.append(F.CONFIG_MISSING_TABLE(Location(r.file), table=name, meaning=meaning))
    tables = {
        name: r.table(data[name], name, (name,))
        for name in _TABLES if name not in _ARRAYS and isinstance(data.get(name), dict)
    }
    year = tables.get("programme", {}).get("year")
    if isinstance(year, int) and not _FIRST_YEAR <= year <= _LAST_YEAR:
        r.findings.append(F.CONFIG_BAD_VALUE(r.at("programme", "year"), key="year",
                                             reason=f"năm {year} nằm ngoài khoảng {_FIRST_YEAR}–{_LAST_YEAR}"))
        year = None
    rounds = _rounds(r, data.get("round"), year, scheduled=bool(data.get("schedule")))
    lines = _round_lines(r, data.get("round"))
    rounds = _scheduled(r, data.get("schedule"), rounds, lines)
    structure = _structure(r, data.get("structure"))
    rating, below = _rating(r, tables.get("rating", {}))
    emulation = _emulation(r, tables.get("emulation", {}), rounds)
    registration = _registration(r, tables.get("registration"), year, structure, lines)
    report = _report(r, tables.get("report", {}))
    feedback = _feedback(r, tables.get("feedback", {}))
    self_score = _self_score(r, tables.get("self_score", {}))
    if any(f.severity is Severity.ERROR for f in r.findings):
        return ConfigRead(None, tuple(r.findings))
    agency, programme, signer = tables["agency"], tables["programme"], tables["signer"]
    contact, templates = tables.get("contact", {}), tables.get("templates", {})
    settings = Settings(
        agency=Agency(agency["name"], agency["short"], agency["place"], agency.get("parent", "")),
        title=programme["title"],
        year=programme["year"],
        rounds=rounds,
        signer=Signer(signer["title"], signer["name"], signer.get("deputy_title", "")),
        contact=Contact(**contact),
        template_password=templates.get("password", ""),
        extra_rows=max(0, min(200, templates.get("extra_rows", 10))),
        rating=rating,
        rating_below=below,
        report=report,
        scoring=ScoringRules(**{k: float(v) for k, v in tables.get("scoring", {}).items()}),
        feedback=feedback,
        targets=TargetRules(**tables.get("targets", {})),
        self_score=self_score,
        structure=structure,
        registration=registration,
        emulation=emulation,
        base_url=_base_url(r, tables.get("web", {})),
    )
    r.findings.extend(_signer_among_recipients(r, settings))
    return ConfigRead(settings, tuple(r.findings))


def _rounds(r: _Reader, raw: Any, year: Any, scheduled: bool = False) -> tuple[Round, ...]:
    if not isinstance(raw, list) or not raw:
        if not scheduled:
            r.findings.append(F.CONFIG_NO_ROUND(Location(r.file)))
        return ()
    rounds: list[Round] = []
    first_line: dict[str, int | None] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        t = r.table(item, "round", ("round", i))
        if not all(k in t for k in ("id", "name", "as_of", "due")):
            continue
        where = r.at("round", i, "id")
        if t["id"] in first_line:
            r.findings.append(F.CONFIG_DUPLICATE_ROUND(where, round=t["id"], first=first_line[t["id"]]))
            continue
        first_line[t["id"]] = where.line
        if t["due"] < t["as_of"]:
            r.findings.append(F.CONFIG_DUE_BEFORE_AS_OF(
                r.at("round", i, "due"), round=t["id"], due=t["due"].strftime("%d/%m/%Y"),
                as_of=t["as_of"].strftime("%d/%m/%Y")))
        _round_dates(r, i, t, year)
        if "/" in t["id"] or "\\" in t["id"] or not t["id"].isprintable():
            r.findings.append(F.CONFIG_BAD_VALUE(
                where, key="id", reason="mã kỳ không được chứa dấu / hoặc \\"))
            continue
        kind = kind_of(t["kind"]) if t.get("kind") else ""
        if kind is None:
            r.findings.append(F.CONFIG_BAD_VALUE(r.at("round", i, "kind"), key="kind",
                                                 reason="chỉ dùng tuần, tháng hoặc quý (hoặc bỏ trống)"))
            continue
        rounds.append(Round(t["id"], t["name"], t["as_of"], t["due"], kind))
    return tuple(rounds)


_DUE_DAYS = {"week": 2, "month": 5, "quarter": 5}


def _scheduled(r: _Reader, raw: Any, rounds: tuple[Round, ...], lines: dict[str, int | None]) -> tuple[Round, ...]:
    """The rounds of ``[[round]]`` followed by those each ``[[schedule]]`` generates."""
    out = list(rounds)
    seen = {x.id for x in rounds}
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict):
            continue
        t = r.table(item, "schedule", ("schedule", i))
        if not all(k in t for k in ("every", "start", "end")):
            continue
        every = kind_of(t["every"])
        if every is None:
            r.findings.append(F.CONFIG_BAD_VALUE(r.at("schedule", i, "every"), key="every",
                                                 reason="chỉ dùng tuần, tháng hoặc quý"))
            continue
        days = t.get("due_days", _DUE_DAYS[every])
        if t["end"] < t["start"] or not 0 <= days <= 60:
            r.findings.append(F.CONFIG_BAD_VALUE(r.at("schedule", i), key="end" if t["end"] < t["start"] else
                                                 "due_days", reason="ngày kết thúc trước ngày bắt đầu"
                                                 if t["end"] < t["start"] else "cần số ngày từ 0 đến 60"))
            continue
        for generated in generate(Schedule(every, t["start"], t["end"], days)):
            if generated.id in seen:
                r.findings.append(F.CONFIG_DUPLICATE_ROUND(r.at("schedule", i), round=generated.id,
                                                           first=lines.get(generated.id, "?")))
                continue
            seen.add(generated.id)
            out.append(generated)
    if not out and isinstance(raw, list) and raw:
        r.findings.append(F.CONFIG_NO_ROUND(Location(r.file)))
    return tuple(out)


def _round_lines(r: _Reader, raw: Any) -> dict[str, int | None]:
    """Where each ``[[round]]`` is, by its id."""
    items = raw if isinstance(raw, list) else []
    return {item["id"]: r.at("round", i, "id").line for i, item in enumerate(items)
            if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _count(r: _Reader, t: dict[str, Any], key: str, where: tuple[str | int, ...]) -> int | None:
    value = t.get(key)
    if value is None:
        return None
    if value < 0:
        r.findings.append(F.CONFIG_BAD_VALUE(r.at(*where, key), key=key, reason="cần số không âm"))
        return None
    return int(value)


def _structure(r: _Reader, raw: Any) -> tuple[StructureRule, ...]:
    rules: list[StructureRule] = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict):
            continue
        t = r.table(item, "structure", ("structure", i))
        if "source" not in t:
            continue
        low, high = _count(r, t, "min", ("structure", i)), _count(r, t, "max", ("structure", i))
        if low is None and high is None:
            r.findings.append(F.CONFIG_MISSING_KEY(r.at("structure", i), table="structure", key="min",
                                                   meaning="hoặc max: số nhiệm vụ tối thiểu, tối đa"))
            continue
        if low is not None and high is not None and low > high:
            r.findings.append(F.CONFIG_BAD_VALUE(r.at("structure", i, "max"), key="max",
                                                 reason=f"max ({high}) nhỏ hơn min ({low})"))
            continue
        rules.append(StructureRule(t["source"], low, high, t.get("block", ""), r.at("structure", i).line))
    return tuple(rules)


def _registration(r: _Reader, table: Any, year: Any, structure: tuple[StructureRule, ...],
                  lines: dict[str, int | None]) -> RegistrationSettings | None:
    if not isinstance(year, int):
        return None
    t = r.table(table, "registration", ("registration",)) if isinstance(table, dict) else {}
    own = t.get("own_source") or RegistrationSettings.own_source
    limits = [rule.maximum for rule in structure if fold_key(rule.source) == fold_key(own) and rule.maximum]
    rows = t.get("own_rows", max(limits, default=RegistrationSettings.own_rows))
    if not 1 <= rows <= 50:
        r.findings.append(F.CONFIG_BAD_VALUE(r.at("registration", "own_rows"), key="own_rows",
                                             reason="cần số dòng từ 1 đến 50"))
        rows = RegistrationSettings.own_rows
    settings = RegistrationSettings(
        id=t.get("id") or f"{year}-DK", name=t.get("name") or f"đăng ký nhiệm vụ năm {year}",
        due=t.get("due") or dt.date(year, 1, 15), own_source=own, own_rows=rows)
    if settings.id in lines:
        r.findings.append(F.CONFIG_DUPLICATE_ROUND(r.at("registration", "id"), round=settings.id,
                                                   first=lines[settings.id]))
    return settings


def _emulation(r: _Reader, table: dict[str, Any], rounds: tuple[Round, ...]) -> EmulationSettings:
    if not table:
        return EmulationSettings()
    chosen = table.get("round", "")
    if chosen and not any(x.id == chosen for x in rounds):
        r.findings.append(F.CONFIG_BAD_VALUE(r.at("emulation", "round"), key="round",
                                             reason=f'không có kỳ báo cáo "{chosen}"'))
        chosen = ""
    bands, below = _rating(r, table, "emulation") if table.get("bands") else ((), "")
    points = {k: float(table[k]) for k in ("on_time_points", "late_points", "missing_points") if k in table}
    return EmulationSettings(**points, round=chosen, bands=bands, below=table.get("below", below))


def _round_dates(r: _Reader, i: int, t: dict[str, Any], year: Any) -> None:
    """A round's dates must be plausible for the programme: as_of in its year (or the next,
    for a year-end round), due within a year after as_of."""
    if isinstance(year, int) and t["as_of"].year not in (year, year + 1):
        r.findings.append(F.CONFIG_ROUND_OUTSIDE_YEAR(
            r.at("round", i, "as_of"), round=t["id"], as_of=t["as_of"].strftime("%d/%m/%Y"), year=year))
    if (t["due"] - t["as_of"]).days > 366:
        r.findings.append(F.CONFIG_ROUND_DUE_FAR(
            r.at("round", i, "due"), round=t["id"], due=t["due"].strftime("%d/%m/%Y"),
            as_of=t["as_of"].strftime("%d/%m/%Y")))


def _rating(r: _Reader, table: dict[str, Any], name: str = "rating") -> tuple[tuple[RatingBand, ...], str]:
    bands: list[RatingBand] = []
    for item in table.get("bands", []):
        if (
            isinstance(item, dict)
            and isinstance(item.get("min"), int | float)
            and isinstance(item.get("label"), str)
        ):
            bands.append(RatingBand(float(item["min"]), item["label"].strip()))
        else:
            r.findings.append(F.CONFIG_BAD_VALUE(
                r.at(name, "bands"), key="bands",
                reason='mỗi mức cần dạng { min = 90, label = "Hoàn thành xuất sắc nhiệm vụ" }'))
    if not bands:
        bands = [RatingBand(m, label) for m, label in DEFAULT_BANDS]
    bands.sort(key=lambda b: -b.minimum)
    return tuple(bands), table.get("below", DEFAULT_BELOW)


def _base_url(r: _Reader, table: dict[str, Any]) -> str:
    url = str(table.get("base_url", "")).rstrip("/")
    if url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        r.findings.append(F.CONFIG_BAD_VALUE(
            r.at("web", "base_url"), key="base_url", reason="cần địa chỉ dạng http://10.0.0.5:8765"))
        return ""
    return url


def _report(r: _Reader, table: dict[str, Any]) -> ReportSettings:
    values: dict[str, Any] = {}
    for key, (low, high) in _RANGES.items():
        if key in table:
            if low <= table[key] <= high:
                values[key] = float(table[key])
            else:
                r.findings.append(F.CONFIG_BAD_VALUE(
                    r.at("report", key), key=key,
                    reason=f"Nghị định 30/2020 cho phép từ {low} đến {high}"))
    lists = {key: _strings(r, table, "report", key) for key in ("recipients", "addressees")}
    template = table.get("docx_template")
    if table.get("units_term"):
        values["units_term"] = table["units_term"]
    return ReportSettings(
        recipients=lists["recipients"],
        addressees=lists["addressees"],
        docx_template=Path(template) if template else None,
        number=table.get("number", ""),
        date=table.get("date"),
        basis=table.get("basis", "").rstrip(" ,."),
        **values,
    )


def _strings(r: _Reader, table: dict[str, Any], name: str, key: str) -> tuple[str, ...]:
    items = table.get(key, [])
    if not all(isinstance(x, str) for x in items):
        r.findings.append(F.CONFIG_BAD_VALUE(r.at(name, key), key=key, reason="cần danh sách chuỗi"))
        return ()
    return tuple(x.strip() for x in items if x.strip())


def _feedback(r: _Reader, table: dict[str, Any]) -> FeedbackSettings:
    days = table.get("working_days", 5)
    if not 1 <= days <= 30:
        r.findings.append(F.CONFIG_BAD_VALUE(
            r.at("feedback", "working_days"), key="working_days", reason="cần số ngày làm việc từ 1 đến 30"))
        days = 5
    holidays = table.get("holidays", [])
    if not all(isinstance(x, dt.date) for x in holidays):
        r.findings.append(F.CONFIG_BAD_VALUE(
            r.at("feedback", "holidays"), key="holidays", reason="cần danh sách ngày dạng [2022-09-01, 2022-09-02]"))
        holidays = []
    return FeedbackSettings(days, tuple(sorted(x.date() if isinstance(x, dt.datetime) else x for x in holidays)))


def _self_score(r: _Reader, table: dict[str, Any]) -> SelfScoreRules:
    """``[self_score]``: percentages between 0 and 100."""
    values = dict(table)
    for key in ("not_started_max", "not_done_max", "progress_margin"):
        if key in values:
            if 0 <= values[key] <= 100:
                values[key] = float(values[key])
            else:
                r.findings.append(F.CONFIG_BAD_VALUE(
                    r.at("self_score", key), key=key, reason="cần số phần trăm từ 0 đến 100"))
                del values[key]
    return SelfScoreRules(**values)


def _signer_among_recipients(r: _Reader, settings: Settings) -> list[Finding]:
    """A report should not be sent to the person who signs it (warned by ``camket check``).

    Signing in one's own name, the signer's title must not name a recipient ("Bộ trưởng
    (để b/c)" under "BỘ TRƯỞNG"; "Phó Giám đốc" is someone else); signing for the head
    (KT.), the deputy's own title alone or the signer's name must not.
    """
    signer = settings.signer
    found: list[Finding] = []
    for recipient in (*settings.report.recipients, *settings.report.addressees):
        plain = fold_key(re.sub(r"\(.*?\)", " ", recipient))
        name = fold_key(signer.name)
        if signer.deputy_title:
            clash = plain == fold_key(signer.deputy_title) or (bool(name) and name in plain)
        else:
            title = fold_key(signer.title)
            clash = bool(title) and re.search(rf"(?<!pho )\b{re.escape(title)}\b", plain) is not None
            clash = clash or (bool(name) and name in plain)
        if clash:
            key = "recipients" if recipient in settings.report.recipients else "addressees"
            found.append(F.CONFIG_SIGNER_RECIPIENT(r.at("report", key), recipient=recipient,
                                                   signer=" / ".join(signer.lines)))
    return found
