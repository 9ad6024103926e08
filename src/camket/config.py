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
from .vi import fold_key

__all__ = [
    "Agency",
    "ConfigRead",
    "Contact",
    "FeedbackSettings",
    "RatingBand",
    "ReportSettings",
    "ScoringRules",
    "SelfScoreRules",
    "Settings",
    "Signer",
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
    base_url: str = ""  # [web] base_url: where offices reach ``camket serve`` (their upload links)

    def round(self, round_id: str) -> Round | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    def previous_round(self, round_id: str) -> Round | None:
        """The round before ``round_id`` by reporting date, if any."""
        ordered = sorted(self.rounds, key=lambda r: r.as_of)
        ids = [r.id for r in ordered]
        i = ids.index(round_id) if round_id in ids else 0
        return ordered[i - 1] if i > 0 else None

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


def _settings(r: _Reader, data: dict[str, Any]) -> ConfigRead:
    for key in data:
        if key not in _TABLES or (key == "round") != isinstance(data[key], list):
            r.findings.append(F.CONFIG_UNKNOWN_KEY(r.at(key), key=key))
    for name, meaning in _REQUIRED_TABLES.items():
        if not isinstance(data.get(name), dict):
            r.findings.append(F.CONFIG_MISSING_TABLE(Location(r.file), table=name, meaning=meaning))
    tables = {
        name: r.table(data[name], name, (name,))
        for name in _TABLES if name != "round" and isinstance(data.get(name), dict)
    }
    rounds = _rounds(r, data.get("round"), tables.get("programme", {}).get("year"))
    rating, below = _rating(r, tables.get("rating", {}))
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
        base_url=_base_url(r, tables.get("web", {})),
    )
    r.findings.extend(_signer_among_recipients(r, settings))
    return ConfigRead(settings, tuple(r.findings))


def _rounds(r: _Reader, raw: Any, year: Any) -> tuple[Round, ...]:
    if not isinstance(raw, list) or not raw:
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
        if isinstance(year, int) and t["as_of"].year not in (year, year + 1):
            r.findings.append(F.CONFIG_ROUND_OUTSIDE_YEAR(
                r.at("round", i, "as_of"), round=t["id"], as_of=t["as_of"].strftime("%d/%m/%Y"),
                year=year))
        if "/" in t["id"] or "\\" in t["id"] or not t["id"].isprintable():
            r.findings.append(F.CONFIG_BAD_VALUE(
                where, key="id", reason="mã kỳ không được chứa dấu / hoặc \\"))
            continue
        rounds.append(Round(t["id"], t["name"], t["as_of"], t["due"]))
    return tuple(rounds)


def _rating(r: _Reader, table: dict[str, Any]) -> tuple[tuple[RatingBand, ...], str]:
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
                r.at("rating", "bands"), key="bands",
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
