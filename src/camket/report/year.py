"""The year's emulation result (*kết quả thi đua*): per unit, the rounds reported on time, late
or not at all, combined with the year's task results under the points of ``[emulation]``.

Rules (:func:`emulation`):

- the rounds counted are the reporting rounds (``[[round]]`` and ``[[schedule]]``) due on or
  before the view's date that were run: templates issued (the round's list frozen in the
  ledger) or files received; a round never issued is left out (:attr:`YearResult.skipped`),
  so no unit loses points for it; a unit is expected in a round when it has tasks in the
  round's list;
- a round is *on time* when the unit's counted report arrived on or before the round's due
  date, *late* after it, *missing* when nothing of the unit counts for the round;
- the task score is the unit's score (scale 100, self-scored or appraised, with the rules of
  ``[scoring]``) in the basis round: ``[emulation] round``, or the last round of ``[[round]]``
  with counted reports by the view's date;
- emulation score = task score + ``on_time_points`` × on time + ``late_points`` × late +
  ``missing_points`` × missing (deductions are negative), never below 0, rounded half up to
  one decimal; units are ranked by it (equal scores share a rank) and rated by
  ``[emulation] bands`` (``[rating]`` when not set). A unit without a report in the basis
  round, or whose report there has no self-score (and no appraised score), is not rated
  and not ranked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from docx.shared import Pt

from ..config import EmulationSettings, Settings
from ..model import Master, Round, Unit
from ..reconcile import Result, Totals, count
from ..schema import EMULATION, EMULATION_ROUNDS, Column, Kind, Sheet
from ..vi import format_number, format_percent, text_date

DASH = "–"

__all__ = ["LATE", "MISSING", "ON_TIME", "UNSCORED_RATING", "UnitYear", "YearResult", "emulation", "points_rule"]

ON_TIME, LATE, MISSING = "Đúng hạn", "Muộn", "Không gửi"
UNSCORED_RATING = "Chưa xếp loại (chưa tự chấm điểm)"
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class UnitYear:
    unit: Unit
    marks: tuple[str, ...]          # per counted round: ON_TIME, LATE, MISSING or "" (not expected)
    tasks: Totals | None            # the basis round's task totals (None: no report in it)
    task_score: Decimal | None
    score: Decimal | None
    rank: int | None
    rating: str

    @property
    def expected(self) -> int:
        return sum(1 for m in self.marks if m)

    @property
    def on_time(self) -> int:
        return self.marks.count(ON_TIME)

    @property
    def late(self) -> int:
        return self.marks.count(LATE)

    @property
    def missing(self) -> int:
        return self.marks.count(MISSING)


@dataclass(frozen=True)
class YearResult:
    year: int
    as_of: dt.date
    rounds: tuple[Round, ...]
    basis: Round | None
    units: tuple[UnitYear, ...]     # ranked, then the units not rated
    rules: EmulationSettings
    skipped: tuple[Round, ...] = ()  # rounds due by ``as_of`` but never issued (not counted)

    def reporting_points(self, u: UnitYear) -> Decimal:
        r = self.rules
        return (_dec(r.on_time_points) * u.on_time + _dec(r.late_points) * u.late
                + _dec(r.missing_points) * u.missing)

    def as_dict(self) -> dict[str, object]:
        """The JSON of ``camket year --json`` (stable keys)."""
        return {
            "year": self.year, "as_of": self.as_of.isoformat(), "rounds": [r.id for r in self.rounds],
            "skipped": [r.id for r in self.skipped], "basis": self.basis.id if self.basis else None,
            "units": [{
                "unit": u.unit.code, "expected": u.expected, "on_time": u.on_time, "late": u.late,
                "missing": u.missing, "reporting_points": float(self.reporting_points(u)),
                "completed": u.tasks.completed if u.tasks else None, "tasks": u.tasks.total if u.tasks else None,
                "task_score": float(u.task_score) if u.task_score is not None else None,
                "score": float(u.score) if u.score is not None else None, "rank": u.rank, "rating": u.rating,
                "rounds": dict(zip((r.id for r in self.rounds), u.marks, strict=True)),
            } for u in self.units],
        }


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


def points_rule(rules: EmulationSettings, basis: Round | None) -> str:
    """The rule in one sentence, as printed above the table."""
    def signed(value: float, what: str) -> str:
        if not value:
            return ""
        return f", {'cộng' if value > 0 else 'trừ'} {format_number(abs(value))} điểm mỗi kỳ {what}"
    task = f"điểm nhiệm vụ kỳ {basis.name}" if basis else "điểm nhiệm vụ cả năm"
    parts = (signed(rules.on_time_points, "gửi báo cáo đúng hạn") + signed(rules.late_points, "gửi báo cáo muộn")
             + signed(rules.missing_points, "không gửi báo cáo"))
    return f"Điểm thi đua được tính bằng {task} (thang điểm 100){parts}; thấp nhất là 0 điểm."


def emulation(settings: Settings, master: Master, rounds: Sequence[tuple[Round, set[str], Mapping[str, dt.datetime]]],
              basis: Result | None, as_of: dt.date, skipped: tuple[Round, ...] = ()) -> YearResult:
    """The emulation table from each counted round (its expected units and the arrival of each
    unit's counted report) and the basis round's result; ``skipped`` are the rounds due but
    never issued, named and not counted."""
    rules = settings.emulation
    by_unit = {u.unit.code: u for u in basis.units} if basis is not None else {}
    unscored = {u.unit.code for u in basis.unscored} if basis is not None else set()
    rated: list[tuple[UnitYear, Decimal]] = []
    unrated: list[UnitYear] = []
    for unit in master.units:
        marks = tuple(_mark(unit.code, round_, expected, arrived) for round_, expected, arrived in rounds)
        result = by_unit.get(unit.code)
        if not any(marks) and (result is None or not result.totals.total):
            continue
        answered = result is not None and result.answered
        base = UnitYear(unit, marks, result.totals if answered and result else None,
                        result.score if answered and result else None, None, None, "")
        if answered and unit.code in unscored:
            unrated.append(replace(base, task_score=None, rating=UNSCORED_RATING))
            continue
        if base.task_score is None:
            reason = (f"chưa báo cáo kỳ {basis.round.name}" if basis is not None
                      else "chưa có kỳ báo cáo để tính điểm nhiệm vụ")
            unrated.append(replace(base, rating=f"Chưa xếp loại ({reason})"))
            continue
        points = (_dec(rules.on_time_points) * base.on_time + _dec(rules.late_points) * base.late
                  + _dec(rules.missing_points) * base.missing)
        score = max(Decimal(0), base.task_score + points).quantize(_TENTH, rounding=ROUND_HALF_UP)
        rated.append((base, score))
    rated.sort(key=lambda pair: (-pair[1], pair[0].unit.code))
    units: list[UnitYear] = []
    for position, (base, score) in enumerate(rated, start=1):
        rank = units[-1].rank if units and units[-1].score == score else position
        units.append(replace(base, score=score, rank=rank, rating=_rate(settings, score)))
    return YearResult(settings.year, as_of, tuple(r for r, _, _ in rounds), basis.round if basis else None,
                      tuple(units + unrated), rules, skipped)


def _mark(unit: str, round_: Round, expected: set[str], arrived: Mapping[str, dt.datetime]) -> str:
    if unit not in expected:
        return ""
    when = arrived.get(unit)
    if when is None:
        return MISSING
    return LATE if when.date() > round_.due else ON_TIME


def _rate(settings: Settings, score: Decimal) -> str:
    rules = settings.emulation
    if not rules.bands:
        return settings.rate(float(score))
    for band in rules.bands:
        if float(score) >= band.minimum:
            return band.label
    return rules.below or settings.rating_below


# --- the sheet ----------------------------------------------------------------------------------

def sheet_rows(year: YearResult) -> Iterable[list[object]]:
    """The rows of the sheet *Thi đua* (:data:`~camket.schema.EMULATION`); a unit not ranked
    has "–" for its rank."""
    for i, u in enumerate(year.units, start=1):
        rate = float(u.tasks.rate) / 100 if u.tasks is not None and u.tasks.total else None
        yield [i, u.unit.name, u.unit.block, u.unit.head, u.expected, u.on_time, u.late, u.missing,
               float(year.reporting_points(u)), rate,
               float(u.task_score) if u.task_score is not None else None,
               float(u.score) if u.score is not None else None, u.rank if u.rank is not None else DASH, u.rating,
               u.unit.code]


def rounds_sheet(year: YearResult) -> Sheet:
    """The sheet *Chấp hành báo cáo*: one column per counted round."""
    return Sheet(EMULATION_ROUNDS, (
        Column("stt", "STT", Kind.INTEGER, 5), Column("unit_name", EMULATION["unit_name"].header, Kind.TEXT, 30),
        *(Column(f"round_{i}", r.name, Kind.TEXT, 11) for i, r in enumerate(year.rounds)),
        Column("on_time", EMULATION["on_time"].header, Kind.INTEGER, 8),
        Column("late", EMULATION["late"].header, Kind.INTEGER, 8),
        Column("missing", EMULATION["missing"].header, Kind.INTEGER, 8),
    ))


def rounds_rows(year: YearResult) -> Iterable[list[object]]:
    """Unit by round: how each round was reported (sheet *Chấp hành báo cáo*)."""
    for i, u in enumerate(year.units, start=1):
        yield [i, u.unit.name, *(m or "–" for m in u.marks), u.on_time, u.late, u.missing]


def title(year: YearResult) -> str:
    return f"KẾT QUẢ THI ĐUA NĂM {year.year} (tính đến ngày {text_date(year.as_of)})"


def _rounds_named(rounds: Sequence[Round]) -> str:
    """``kỳ năm 2022``, ``các kỳ 6 tháng đầu năm 2022 và 9 tháng năm 2022``."""
    names = [r.name for r in rounds]
    if len(names) == 1:
        return f"kỳ {names[0]}"
    return f"các kỳ {', '.join(names[:-1])} và {names[-1]}"


def counted_sentence(year: YearResult) -> str:
    """Which rounds count and which, due but never run, do not (the sheet *Chấp hành báo cáo*)."""
    counted = (f"Tính {count(len(year.rounds))} kỳ báo cáo đã đến hạn ({_rounds_named(year.rounds)})"
               if year.rounds else "Chưa có kỳ báo cáo nào đến hạn được tính")
    if not year.skipped:
        return counted + "."
    return f"{counted}; không tính {_rounds_named(year.skipped)} ({_SKIPPED_WHY})."


_SKIPPED_WHY = "không phát hành mẫu báo cáo, không có báo cáo gửi về"


# --- the Word section -----------------------------------------------------------------------------

def paragraphs(year: YearResult, term: str) -> tuple[list[str], list[list[str]]]:
    """The section's sentences and its table rows (already text)."""
    rated = [u for u in year.units if u.score is not None]
    expected = sum(u.expected for u in year.units)
    on_time = sum(u.on_time for u in year.units)
    late = sum(u.late for u in year.units)
    missing = sum(u.missing for u in year.units)
    lines = []
    skipped = ""
    if year.skipped:
        named = _rounds_named(year.skipped)
        skipped = f" {named[0].upper()}{named[1:]} đã đến hạn nhưng {_SKIPPED_WHY} nên không tính."
    if year.rounds:
        lines.append(
            f"Trong năm {year.year}, đến ngày {text_date(year.as_of)}, có {count(len(year.rounds))} kỳ báo cáo đã "
            f"đến hạn được tính ({_rounds_named(year.rounds)}), với {count(expected)} lượt báo cáo phải gửi của các "
            f"{term}: {count(on_time)} lượt gửi đúng hạn, {count(late)} lượt gửi muộn, {count(missing)} lượt không "
            f"gửi.{skipped}")
    elif skipped:
        lines.append(f"Trong năm {year.year}, đến ngày {text_date(year.as_of)}, chưa có kỳ báo cáo nào được tính."
                     f"{skipped}")
    full = [u for u in year.units if u.expected and u.on_time == u.expected]
    if full:
        lines.append(f"{count(len(full))} {term} gửi đầy đủ, đúng hạn tất cả các kỳ báo cáo.")
    lines.append(points_rule(year.rules, year.basis).rstrip(".") + "; kết quả từng đơn vị tại Bảng {table}.")
    if rated:
        top = [u for u in rated if u.rank == 1]
        lines.append(f"Dẫn đầu: {'; '.join(u.unit.name for u in top)} ({format_number(float(top[0].score or 0))} "
                     "điểm).")
    not_rated = [u for u in year.units if u.score is None]
    unscored = [u for u in not_rated if u.rating == UNSCORED_RATING]
    silent = [u for u in not_rated if u.rating != UNSCORED_RATING]
    which = f" kỳ {year.basis.name}" if year.basis is not None else ""
    if silent and unscored:
        lines.append(f"Chưa xếp loại, chưa xếp hạng {count(len(not_rated))} {term}: {count(len(silent))} đơn vị chưa "
                     f"báo cáo{which} ({_names(silent)}); {count(len(unscored))} đơn vị đã báo cáo nhưng chưa tự chấm "
                     f"điểm ({_names(unscored)}).")
    elif unscored:
        lines.append(f"Chưa xếp loại, chưa xếp hạng {count(len(unscored))} {term} đã báo cáo nhưng chưa tự chấm điểm: "
                     f"{_names(unscored)}.")
    elif silent:
        why = f" (chưa báo cáo{which})" if which else ""
        lines.append(f"Chưa xếp loại {count(len(silent))} {term}{why}: {_names(silent)}.")
    rows = [[str(u.rank) if u.rank is not None else DASH, u.unit.name, f"{u.on_time}/{u.expected}", str(u.late),
             str(u.missing), format_percent(u.tasks.rate) if u.tasks is not None and u.tasks.total else "",
             format_number(float(u.task_score)) if u.task_score is not None else
             "Chưa tự chấm" if u.rating == UNSCORED_RATING else "",
             format_number(float(u.score)) if u.score is not None else DASH, _rating_shown(u)]
            for u in year.units]
    return lines, rows


def _names(units: Sequence[UnitYear]) -> str:
    return "; ".join(u.unit.name for u in units)


def _rating_shown(u: UnitYear) -> str:
    """The rating in Bảng 2; a unit not rated says why, in short (the text says it in full)."""
    if u.rating == UNSCORED_RATING:
        return u.rating
    head = u.rating.split(" (")[0]
    return f"{head} (chưa báo cáo)" if "(chưa báo cáo" in u.rating else head


HEADERS = ("Xếp hạng", "Đơn vị", "Đúng hạn / số kỳ", "Gửi muộn", "Không gửi", "Tỉ lệ hoàn thành",
           "Điểm nhiệm vụ", "Điểm thi đua", "Xếp loại")
WIDTHS = (1.3, 3.7, 1.4, 1.4, 1.6, 1.5, 1.7, 1.4, 2.5)
ALIGN = "clccccccl"


def emulation_section(doc: Any, year: YearResult, term: str, number: int | None, table: int) -> None:
    """The section "<number>. Kết quả thi đua năm …" (no heading without ``number``), its
    sentences and Bảng ``table``."""
    from .docx_layout import body_paragraph, fast_table, keep_with_next, para

    if number is not None:
        body_paragraph(doc, f"{number}. Kết quả thi đua năm {year.year}", bold=True, keep_next=True)
    lines, rows = paragraphs(year, term)
    for line in lines:
        body_paragraph(doc, line.replace("{table}", str(table)))
    keep_with_next(para(doc, f"Bảng {table}. Kết quả thi đua của các {term} năm {year.year}", size=13, bold=True,
                        before=6, after=6))
    fast_table(doc, HEADERS, rows, WIDTHS, size=11, align=ALIGN)


def write_year_word(path: Path, year: YearResult, settings: Settings, generated: dt.datetime,
                    template: Path | None = None) -> Path:
    """A report of its own on the year's emulation result (header, title, section, signature)."""
    from .dates import report_date
    from .docx_layout import add_page_number_header, para, rule_under, set_base_style, set_language, setup_page
    from .word import _TEXT_WIDTH, _document, _header, _save, _signature

    doc = _document(template)
    report = settings.report
    if template is None:
        setup_page(doc.sections[0], report.margin_top_mm, report.margin_bottom_mm, report.margin_left_mm,
                   report.margin_right_mm)
        set_base_style(doc, report.font_size, report.line_spacing)
        add_page_number_header(doc.sections[0], 13)
    set_language(doc)
    _header(doc, settings, report_date(settings, generated))
    para(doc, "BÁO CÁO", size=report.font_size, bold=True, before=18, keep_next=True)
    para(doc, f"Kết quả thi đua thực hiện nhiệm vụ trọng tâm năm {year.year}", size=report.font_size, bold=True,
         keep_next=True)
    rule_under(doc, 5.0, _TEXT_WIDTH).paragraph_format.space_after = Pt(12)
    agency = settings.agency.name
    opening = f"{report.basis}, " if report.basis else ""
    from .docx_layout import body_paragraph

    body_paragraph(doc, f"{opening}{agency} báo cáo kết quả chấp hành chế độ báo cáo và thực hiện nhiệm vụ trọng "
                        f"tâm năm {year.year} của thủ trưởng các {report.units_term}, làm căn cứ đánh giá, xét thi "
                        "đua, như sau:")
    emulation_section(doc, year, report.units_term, None, 1)
    to = report.addressees
    ending = f", {agency} kính báo cáo {'; '.join(to)}./." if to else f" của {agency}./."
    closing = body_paragraph(doc, f"Trên đây là báo cáo kết quả thi đua năm {year.year}{ending}")
    closing.paragraph_format.space_before = Pt(6)
    _signature(doc, settings)
    return _save(doc, path, f"Kết quả thi đua năm {year.year}", settings, generated)
