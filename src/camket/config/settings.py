"""The settings of a workspace: a frozen :class:`Settings` built once from ``camket.toml`` and
passed down (see :func:`camket.config.read_config`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Finding, Round, Severity

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
