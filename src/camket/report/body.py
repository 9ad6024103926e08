"""The body of the Word report, one function per section, in the order of :data:`SECTIONS`.

Each section reads the round through a :class:`Context` and writes its paragraphs,
tables and figures; a new section (pending files, adjustments of the master list) is
one more function in the list. The wording follows what a careful clerk writes: dates
as in running text (``30/6/2022``), "chưa có … nào" rather than "0/26", lists of units
separated by semicolons and given in full (or pointed to Bảng 1), and every table,
figure and the appendix referred to from the text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from ..config import Settings
from ..model import Derived, Master
from ..reconcile import Result, Totals, Trend, UnitResult, count
from ..vi import format_number, format_percent, text_date
from .basis import Basis, completion_bars, unit_buckets
from .charts import TREND_WIDTH_CM, WIDTH_CM, classes_chart, completion_charts, trend_chart
from .docx_layout import body_paragraph, fast_table, keep_with_next, para
from .texts import gather
from .year import YearResult, emulation_section

__all__ = ["MAX_LISTED", "MAX_NAMED", "MAX_UNIT_ROWS", "SECTIONS", "Context"]

MAX_UNIT_ROWS = 200   # beyond this many units, Bảng 1 tabulates by block
MAX_LISTED = 30       # overdue tasks and changes listed in the body (the rest: Phụ lục, workbook)
MAX_NAMED = 15        # heads named in a sentence (more: "danh sách tại Bảng 1")
DASH = "–"


@dataclass
class Context:
    """What every section needs: the round's figures and where to write."""

    doc: Any
    result: Result
    master: Master
    settings: Settings
    basis: Basis
    dated: dt.date
    resend: dt.date
    progress: Trend | None = None
    names: dict[str, str] = field(default_factory=dict)
    figures: int = 0
    year: YearResult | None = None   # the year's emulation table (report of the year's last round)

    @property
    def term(self) -> str:
        """How the agency calls its units ("cơ quan, đơn vị")."""
        return self.settings.report.units_term

    def figure(self, png: bytes, caption: str, width_cm: float = WIDTH_CM, *, continued: bool = False) -> None:
        """A picture at ``width_cm`` (the width it was drawn at) and its caption "Hình N. …";
        ``continued``: the rest of the previous figure, "Hình N (tiếp theo). …"."""
        if not continued:
            self.figures += 1
        picture = keep_with_next(self.doc.add_paragraph())
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = Cm(0)
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        number = f"Hình {self.figures} (tiếp theo)" if continued else f"Hình {self.figures}"
        para(self.doc, f"{number}. {caption}", size=12, italic=True, after=6)


def heading(c: Context, text: str) -> None:
    body_paragraph(c.doc, text, bold=True, keep_next=True)


def join(items: Iterable[str]) -> str:
    """Unit names contain commas: a list of them is separated by semicolons."""
    return "; ".join(items)


def ratio(part: int, whole: int) -> str:
    return f"{count(part)}/{count(whole)}"


def _bullets(c: Context, lines: Sequence[str], rest: str) -> None:
    """At most MAX_LISTED "- …;" lines, then where the rest is."""
    shown = list(lines[:MAX_LISTED])
    for i, line in enumerate(shown):
        last = i == len(shown) - 1 and len(lines) <= MAX_LISTED
        body_paragraph(c.doc, f"- {line}{'.' if last else ';'}")
    if len(lines) > MAX_LISTED:
        body_paragraph(c.doc, f"- Và {count(len(lines) - MAX_LISTED)} {rest}.")


def of_which(whole: int, part: int, what: str = "đã quá hạn") -> str:
    """How many of ``whole`` tasks are ``what``: ``, đều đã quá hạn`` (all; `` (đã quá hạn)`` for
    one), ``, trong đó 2 nhiệm vụ đã quá hạn`` (some) or nothing (none)."""
    if not part:
        return ""
    if part >= whole:
        return f", đều {what}" if whole > 1 else f" ({what})"
    return f", trong đó {count(part)} nhiệm vụ {what}"


def _open_parts(t: Totals) -> list[str]:
    """What is not done yet, part by part (only the parts that are not zero)."""
    parts = []
    if t.in_progress:
        parts.append(f"{count(t.in_progress)} nhiệm vụ đang thực hiện{of_which(t.in_progress, t.in_progress_overdue)}")
    if t.not_started:
        parts.append(f"{count(t.not_started)} nhiệm vụ chưa thực hiện")
    if t.not_done:
        parts.append(f"{count(t.not_done)} nhiệm vụ không thực hiện (có lý do)")
    if t.not_reported:
        parts.append(f"{count(t.not_reported)} nhiệm vụ chưa được báo cáo")
    return parts


def on_the_day(c: Context) -> int:
    """In an interim round, the tasks due exactly on its reporting date and not done: due, but
    not overdue yet (a task is overdue the day after its deadline)."""
    if not c.basis.interim:
        return 0
    as_of = c.result.round.as_of
    return sum(1 for t in c.result.tasks if t.task.deadline == as_of and not t.derived.is_done)


def _block(name: str) -> str:
    """A block named in running text: ``khối cơ quan hành chính`` (from "Cơ quan hành chính"),
    ``khối quản lý nhà nước`` (from "Khối quản lý nhà nước"), ``khối Ban Giám đốc``."""
    words = name.split()
    if words and words[0].lower() == "khối":
        words = words[1:]
    if words and all(w == w.lower() for w in words[1:]):
        words[0] = words[0][:1].lower() + words[0][1:]
    return " ".join(["khối", *words])


def _share(c: Context, shown: Totals, year: Totals) -> str:
    """``hoàn thành 3/5 nhiệm vụ đến hạn (60%), lũy kế 7/28 nhiệm vụ`` (interim) or
    ``hoàn thành 20/28 nhiệm vụ (71,4%)``."""
    if not c.basis.interim:
        return f"hoàn thành {ratio(shown.completed, shown.total)} nhiệm vụ ({format_percent(shown.rate)})"
    head = (f"hoàn thành {ratio(shown.completed, shown.total)} nhiệm vụ đến hạn ({format_percent(shown.rate)})"
            if shown.total else "chưa có nhiệm vụ đến hạn")
    return f"{head}, lũy kế {ratio(year.completed, year.total)} nhiệm vụ"


# --- sections ---------------------------------------------------------------------------

def opening(c: Context) -> None:
    r, agency = c.result.round, c.settings.agency
    basis = f"{c.settings.report.basis}, " if c.settings.report.basis else ""
    body_paragraph(c.doc, f"{basis}{agency.name} báo cáo kết quả thực hiện các nhiệm vụ trọng tâm năm "
                          f"{c.settings.year} theo cam kết của thủ trưởng các {c.term}, kỳ báo cáo {r.name} "
                          f"(số liệu tính đến ngày {text_date(r.as_of)}), như sau:")
    heading(c, "I. KẾT QUẢ THỰC HIỆN")


def reception(c: Context) -> None:
    """Who sent their report, when, against which deadline; who did not, and who must resend."""
    r = c.result
    heading(c, "1. Tình hình gửi báo cáo")
    heads = r.heads
    answered = [u for u in heads if u.submission is not None]
    text = f"Hạn gửi báo cáo kỳ {r.round.name} là ngày {text_date(r.round.due)}. "
    if answered:
        days = sorted(u.submission.submitted.date() for u in answered if u.submission is not None)
        span = (f"ngày {text_date(days[0])}" if days[0] == days[-1]
                else f"từ ngày {text_date(days[0])} đến ngày {text_date(days[-1])}")
        text += (f"Đến ngày {text_date(c.dated)}, đã nhận được báo cáo của {ratio(len(answered), len(heads))} "
                 f"{c.term} (gửi {span})")
        late = r.late
        if late:
            text += f"; trong đó {count(len(late))} đơn vị gửi sau thời hạn: " + join(
                f"{u.unit.name} (ngày {text_date(u.submission.submitted.date())})"
                for u in late if u.submission is not None) + "."
        elif len(answered) > 1:
            text += "; các báo cáo đều được gửi đúng hạn."
        else:
            text += ", đúng hạn."
    else:
        text += f"Đến ngày {text_date(c.dated)}, chưa nhận được báo cáo của {c.term} nào."
    body_paragraph(c.doc, text)
    never = [u for u in r.missing if not r.rejected.get(u.unit.code)]
    unreadable = [u for u in r.missing if r.rejected.get(u.unit.code)]
    parts = []
    if never:
        parts.append(f"Còn {count(len(never))} đơn vị chưa gửi báo cáo: {join(u.unit.name for u in never)}.")
    if unreadable:
        parts.append(f"{'Có ' if not never else 'Ngoài ra, '}{count(len(unreadable))} đơn vị đã gửi báo cáo nhưng "
                     f"tệp không đọc được, phải gửi lại: {join(u.unit.name for u in unreadable)}.")
    if parts:
        parts.append(f"Đề nghị các đơn vị này gửi báo cáo chậm nhất ngày {text_date(c.resend)}.")
        body_paragraph(c.doc, " ".join(parts))
    if r.pending:
        files = join(f"tệp “{p.name.rsplit('/', 1)[-1]}” ({_pending_reason(c, p.unit, p.claimed_unit)})"
                     for p in r.pending)
        body_paragraph(c.doc, f"Có {count(len(r.pending))} tệp báo cáo đang được kiểm tra lại, chưa tính vào số liệu "
                              f"của báo cáo này: {files}.")


def _pending_reason(c: Context, unit: str, claimed: str) -> str:
    name = c.names.get(unit, unit)
    if claimed and claimed != unit:
        return f"nội dung là báo cáo của {name} nhưng tệp ghi là của {c.names.get(claimed, claimed)}"
    return f"bản sao báo cáo của {name} gửi sau bản đã nhận theo mẫu"


def adjustments(c: Context) -> str:
    """The sentence on adjustments of the round's list (*điều chỉnh*), or "" when there were none."""
    changes = c.result.adjustments
    if not changes:
        return ""
    parts = []
    for change, what, verb in (("added", "task", "bổ sung"), ("removed", "task", "đưa ra khỏi danh mục"),
                               ("added", "unit", "bổ sung đơn vị"), ("removed", "unit", "bỏ đơn vị")):
        chosen = [a for a in changes if a.change == change and a.what == what]
        if chosen:
            noun = "" if what == "unit" else f" {count(len(chosen))} nhiệm vụ"
            parts.append(f"{verb}{noun} ({join(a.code for a in chosen)})")
    edited: dict[tuple[str, str], list[str]] = {}
    for a in changes:
        if a.change == "changed":
            edited.setdefault((a.field, a.what), []).append(a.code)
    parts += [f"điều chỉnh {field.lower()} của {count(len(set(codes)))} {'đơn vị' if what == 'unit' else 'nhiệm vụ'} "
              f"({join(sorted(set(codes)))})" for (field, what), codes in edited.items()]
    when = sorted({a.at.date() for a in changes})
    return (f"Danh sách nhiệm vụ của kỳ báo cáo có điều chỉnh (ngày {join(text_date(d) for d in when)}): "
            f"{'; '.join(parts)}; số liệu dưới đây tính theo danh sách đã điều chỉnh, chi tiết tại bảng tổng hợp "
            "(sheet Điều chỉnh).")


def results(c: Context) -> None:
    """The programme's figures: against the tasks due (interim) with the year's after, by group and block."""
    r, b = c.result, c.basis
    o = r.overall
    heading(c, "2. Kết quả thực hiện nhiệm vụ")
    adjusted = adjustments(c)
    if adjusted:
        body_paragraph(c.doc, adjusted)
    if b.interim:
        due = b.overall
        year = f"lũy kế đến ngày {b.as_of_text}, đã hoàn thành {ratio(o.completed, o.total)} nhiệm vụ của cả năm, " \
               f"đạt tỉ lệ {format_percent(o.rate)}"
        if due.total:
            timing = ""
            if due.completed:
                timing = (f" ({count(due.done_on_time)} nhiệm vụ hoàn thành đúng hạn, {count(due.done_late)} nhiệm vụ "
                          "hoàn thành quá hạn)" if due.done_late else ", đều đúng hạn")
            body_paragraph(c.doc, f"Trong tổng số {count(o.total)} nhiệm vụ trọng tâm năm {c.settings.year}, có "
                                  f"{count(due.total)} nhiệm vụ có thời hạn hoàn thành đến ngày {b.as_of_text}. Số "
                                  f"nhiệm vụ đến hạn đã hoàn thành là {ratio(due.completed, due.total)} nhiệm vụ, "
                                  f"đạt tỉ lệ {format_percent(due.rate)}{timing}; {year}.")
        else:
            body_paragraph(c.doc, f"Đến ngày {b.as_of_text}, chưa có nhiệm vụ nào đến hạn hoàn thành; {year}.")
        open_due = due.total - due.completed
        if open_due:
            today = on_the_day(c)
            open_parts = "; ".join(_open_parts(due))
            if today == open_due:  # due on the reporting date itself: not overdue yet (section 4 agrees)
                lead = (f"{count(open_due)} nhiệm vụ có thời hạn ngày {b.as_of_text} chưa hoàn thành (chưa tính là "
                        "quá hạn)")
            else:
                lead = f"{count(open_due)} nhiệm vụ đến hạn chưa hoàn thành" + (
                    f" (trong đó {count(today)} nhiệm vụ có thời hạn ngày {b.as_of_text}, chưa tính là quá hạn)"
                    if today else "")
            body_paragraph(c.doc, f"Còn {lead}: {open_parts}.")
        rest = r.not_due
        if rest.total:
            ongoing = any(t.task.deadline is None for t in r.tasks)
            parts = [f"{count(rest.completed)} nhiệm vụ đã hoàn thành trước thời hạn"] if rest.completed else []
            what = "chưa đến hạn hoặc thực hiện thường xuyên" if ongoing else "chưa đến hạn"
            body_paragraph(c.doc, f"Đối với {count(rest.total)} nhiệm vụ {what}: "
                                  f"{'; '.join(parts + _open_parts(rest))}.")
    else:
        timing = (f"; trong đó {count(o.done_on_time)} nhiệm vụ hoàn thành đúng hạn, {count(o.done_late)} nhiệm vụ "
                  "hoàn thành quá hạn") if o.completed else ""
        body_paragraph(c.doc, f"Tổng số nhiệm vụ trọng tâm đã hoàn thành là {ratio(o.completed, o.total)} nhiệm vụ, "
                              f"đạt tỉ lệ {format_percent(o.rate)}{timing}.")
        if o.total > o.completed:
            body_paragraph(c.doc, f"Còn {count(o.total - o.completed)} nhiệm vụ chưa hoàn thành: "
                                  f"{'; '.join(_open_parts(o))}.")
    _targets(c)
    groups = [(name, t) for name, t in r.by_group.items() if t.total]
    if len(groups) > 1:
        body_paragraph(c.doc, "Theo nhóm nhiệm vụ: " + join(
            f"nhóm “{name}” {_share(c, b.by_group.get(name, Totals()), t)}" for name, t in groups) + ".")
    blocks = [(name, t) for name, t in r.by_block.items() if t.total]
    if len(blocks) > 1:
        text = join(f"{_block(name)} {_share(c, b.by_block.get(name, Totals()), t)}" for name, t in blocks)
        body_paragraph(c.doc, text[0].upper() + text[1:] + ".")
    body_paragraph(c.doc, f"Cơ cấu nhiệm vụ theo tình trạng thực hiện tại Hình {c.figures + 1}; kết quả thực hiện "
                          "từng nhiệm vụ tại Phụ lục kèm theo Báo cáo này.", keep_next=True)
    png, caption = classes_chart(r)
    c.figure(png, f"{caption} (tính đến ngày {b.as_of_text})")


def _targets(c: Context) -> None:
    """Tasks reported done against their numeric targets: how many reached them, which did not."""
    r = c.result
    g = r.targets
    if not g.done:
        return
    counted = "" if r.below_target_done else " nên chưa được tính là hoàn thành"
    tasks = f"{count(g.done)} nhiệm vụ có chỉ tiêu định lượng được báo cáo hoàn thành"
    whole = [what for n, what in ((g.met, "đạt chỉ tiêu"), (g.not_met, f"chưa đạt chỉ tiêu{counted}"),
                                  (g.no_value, "chưa báo cáo giá trị đạt được")) if n == g.done]
    if whole:  # one answer for all of them
        text = f"Cả {tasks} đều {whole[0]}" if g.done > 1 else f"{tasks[0].upper()}{tasks[1:]} {whole[0]}"
    else:
        parts = [f"{count(g.met)} nhiệm vụ đạt chỉ tiêu" if g.met else "chưa có nhiệm vụ nào đạt chỉ tiêu"]
        if g.not_met:
            parts.append(f"{count(g.not_met)} nhiệm vụ chưa đạt chỉ tiêu{counted}")
        if g.no_value:
            parts.append(f"{count(g.no_value)} nhiệm vụ chưa báo cáo giá trị đạt được")
        text = f"Trong {tasks}, {'; '.join(parts)}"
    short = r.below_target
    body_paragraph(c.doc, text + (":" if short else "."), keep_next=bool(short))
    lines = []
    for t in short:
        target = t.numeric_target
        if target is None or t.achieved is None:
            continue
        lines.append(f"{c.names.get(t.task.unit, t.task.unit)}: {t.task.content.rstrip('.;')} "
                     f"(chỉ tiêu {t.task.target}; {target.reached(t.achieved)})")
    _bullets(c, lines, "nhiệm vụ khác (tại Phụ lục)")


def heads(c: Context) -> None:
    """Heads by completion band, Bảng 1, the chart of units, ratings and appraisal."""
    r, b = c.result, c.basis
    heading(c, f"3. Kết quả thực hiện của thủ trưởng các {c.term}")
    n = len(r.heads)
    buckets = unit_buckets(r, b)
    totals = b.by_unit

    def names(units: list[UnitResult]) -> str:
        return " (danh sách tại Bảng 1)" if len(units) > MAX_NAMED else ": " + join(u.unit.name for u in units)

    top, high, middle, low, no_due, silent = buckets
    sentences = []
    prefix = "Tính trên các nhiệm vụ đến hạn, " if b.interim else ""
    if top.units:  # the heads of units, named by their units
        sentences.append(f"{prefix}thủ trưởng {ratio(len(top.units), n)} {c.term} {top.label}{names(top.units)}.")
    else:
        sentences.append(f"{prefix}chưa có thủ trưởng nào {top.label}.")
    between = [f"{count(len(x.units))} thủ trưởng {x.label}" for x in (high, middle) if x.units]
    if between:
        sentences.append(f"Có {', '.join(between)}.")
    if low.units:
        listed = " (danh sách tại Bảng 1)" if len(low.units) > MAX_NAMED else ": " + join(
            f"{u.unit.name} ({ratio(totals[u.unit.code].completed, totals[u.unit.code].total)} nhiệm vụ)"
            for u in low.units)
        sentences.append(f"Thủ trưởng {count(len(low.units))} {c.term} {low.label}{listed}.")
    rest = [f"{count(len(x.units))} thủ trưởng {x.label}" for x in (no_due, silent) if x.units]
    if rest:
        sentences.append(f"Còn {' và '.join(rest)}.")
    sentences.append(f"Kết quả của từng thủ trưởng tại Bảng 1 và Hình {c.figures + 1}.")
    text = " ".join(sentences)
    body_paragraph(c.doc, text[0].upper() + text[1:])
    _unit_table(c)
    bars, title = completion_bars(r, b)
    for i, png in enumerate(completion_charts(bars)):
        c.figure(png, title, continued=i > 0)
    _ratings(c)
    _appraisal(c)


_SCORED = {True: "Điểm", False: "Điểm tự chấm"}  # Bảng 1's score column, appraised or not (scale in the note)


def _score_text(u: UnitResult, unscored: set[str]) -> str:
    if not u.answered:
        return DASH
    if u.unit.code in unscored:
        return "Chưa tự chấm"
    return format_number(u.score)


def _unit_table(c: Context) -> None:
    r, b = c.result, c.basis
    if len(r.heads) > MAX_UNIT_ROWS:
        keep_with_next(para(c.doc, "Bảng 1. Kết quả thực hiện nhiệm vụ theo khối (chi tiết từng đơn vị tại bảng "
                                   "tổng hợp .xlsx)", size=13, bold=True, before=6, after=6))
        block_rows = ([str(i), name, count(t.total), count(b.by_block.get(name, Totals()).total),
                 count(b.by_block.get(name, Totals()).completed), format_percent(b.by_block.get(name, Totals()).rate),
                 count(t.completed), format_percent(t.rate)]
                for i, (name, t) in enumerate(r.by_block.items(), start=1))
        fast_table(c.doc, ["STT", "Khối", "Số nhiệm vụ", "Nhiệm vụ đến hạn", "Đã hoàn thành (đến hạn)",
                           "Tỉ lệ (đến hạn)", "Lũy kế hoàn thành", "Tỉ lệ cả năm"],
                   block_rows, (1.2, 4.3, 1.7, 1.8, 1.9, 1.8, 1.9, 1.9), size=11, align="clcccccc")
        return
    keep_with_next(para(c.doc, f"Bảng 1. Kết quả thực hiện nhiệm vụ của thủ trưởng các {c.term} (tính đến ngày "
                               f"{b.as_of_text})", size=13, bold=True, before=6, after=6))
    position = {code: i for i, code in enumerate(r.order)}
    units = sorted(r.heads, key=lambda u: position.get(u.unit.code, len(position)))
    unscored = {u.unit.code for u in r.unscored}
    term = c.term[0].upper() + c.term[1:]
    dash_for = DASH
    if b.interim:
        headers = ["STT", term, "Nhiệm vụ cả năm", "Nhiệm vụ đến hạn", "Đã hoàn thành", "Trong đó quá hạn",
                   "Tỉ lệ hoàn thành", "Lũy kế hoàn thành", _SCORED[r.appraised]]
        rows: list[list[str]] = []
        for i, u in enumerate(units, start=1):
            due = b.by_unit[u.unit.code]
            reported = u.answered
            rows.append([str(i), u.unit.name, count(u.totals.total), count(due.total),
                         count(due.completed) if reported and due.total else dash_for,
                         count(due.done_late) if reported and due.total else dash_for,
                         format_percent(due.rate) if reported and due.total else dash_for,
                         ratio(u.totals.completed, u.totals.total) if reported else dash_for,
                         _score_text(u, unscored)])
        fast_table(c.doc, headers, rows, (1.2, 4.2, 1.6, 1.6, 1.5, 1.6, 1.5, 1.6, 1.7), size=11,
                   align="clccccccc")
    else:
        rating = "Xếp loại" if r.appraised else "Tự xếp loại (chưa thẩm định)"
        headers = ["STT", term, "Số nhiệm vụ", "Đã hoàn thành", "Trong đó quá hạn", "Tỉ lệ hoàn thành",
                   _SCORED[r.appraised], rating]
        rows = []
        for i, u in enumerate(units, start=1):
            reported = u.answered
            rows.append([str(i), u.unit.name, count(u.totals.total),
                         count(u.totals.completed) if reported else dash_for,
                         count(u.totals.done_late) if reported else dash_for,
                         format_percent(u.totals.rate) if reported else dash_for,
                         _score_text(u, unscored),
                         u.rating if reported and u.unit.code not in unscored else dash_for])
        fast_table(c.doc, headers, rows, (1.2, 4.4, 1.5, 1.5, 1.6, 1.5, 1.7, 3.1), size=11, align="clcccccl")
    notes = []
    if r.missing or b.interim:
        what = [x for x, shown in (("đơn vị chưa báo cáo", bool(r.missing)), ("chưa có nhiệm vụ đến hạn", b.interim))
                if shown]
        notes.append(f"dấu “{DASH}” chỉ {' hoặc '.join(what)}")
    notes.append("điểm theo thang 100")
    if not r.appraised:
        notes.append("điểm do đơn vị tự chấm, chưa được thẩm định")
        if not b.interim:
            notes.append("tự xếp loại theo điểm tự chấm")
    if notes:
        para(c.doc, "Ghi chú: " + "; ".join(notes) + ".", size=12, italic=True, before=3, after=6,
             align=WD_ALIGN_PARAGRAPH.LEFT)


def _ratings(c: Context) -> None:
    """Heads per rating (appraised, or self-rated in the last round); units without a self-score."""
    r, b = c.result, c.basis
    unscored = r.unscored
    labels = [band.label for band in c.settings.rating] + [c.settings.rating_below]
    if r.appraised or not b.interim:
        rated = [u for u in r.heads if u.answered and u not in unscored
                 and (not r.appraised or (u.breakdown is not None and u.breakdown.source == "thẩm định"))]
        parts = [f"{count(k)} thủ trưởng {'xếp loại' if r.appraised else 'tự xếp loại'} {label}"
                 for label in labels if (k := sum(1 for u in rated if u.rating == label))]
        if parts:
            lead = "Kết quả xếp loại theo điểm thẩm định: " if r.appraised else \
                "Theo điểm tự chấm (chưa thẩm định): "
            body_paragraph(c.doc, lead + "; ".join(parts) + ".")
    if unscored:
        body_paragraph(c.doc, f"Có {count(len(unscored))} đơn vị đã báo cáo nhưng chưa tự chấm điểm: "
                              f"{join(u.unit.name for u in unscored)}.")


def _appraisal(c: Context) -> None:
    """Self-score against appraisal: how many were appraised and the largest gaps."""
    gaps = c.result.gaps
    if not gaps:
        return
    above = [u for u in gaps if (u.gap or 0) > 0]
    body_paragraph(c.doc, f"Đã thẩm định điểm của {ratio(len(gaps), len(c.result.heads))} {c.term}; "
                          f"{count(len(above))} đơn vị tự chấm cao hơn điểm thẩm định"
                          + (", chênh lệch lớn nhất:" if above else "."), keep_next=bool(above))
    _bullets(c, [f"{u.unit.name}: tự chấm {format_number(u.self_score)} điểm, thẩm định "
                 f"{format_number(u.appraised or 0)} điểm (chênh lệch {format_number(u.gap or 0)} điểm)"
                 for u in above[:10]], "đơn vị khác (chi tiết tại bảng tổng hợp)")


def overdue(c: Context) -> None:
    r = c.result
    tasks = [t for t in r.tasks if t.overdue]
    heading(c, "4. Nhiệm vụ quá hạn chưa hoàn thành")
    if not tasks:
        today = on_the_day(c)
        later = (f" ({count(today)} nhiệm vụ có thời hạn ngày {text_date(r.round.as_of)} chưa hoàn thành, chưa tính "
                 "là quá hạn)" if today else "")
        body_paragraph(c.doc, f"Đến ngày {text_date(r.round.as_of)}, không có nhiệm vụ quá hạn chưa hoàn thành{later}.")
        return
    body_paragraph(c.doc, f"Đến ngày {text_date(r.round.as_of)}, có {count(len(tasks))} nhiệm vụ đã quá thời hạn "
                          "nhưng chưa hoàn thành (chi tiết tại Phụ lục):", keep_next=True)
    lines = []
    for t in tasks:
        state = t.derived.value.lower() if t.derived is not Derived.IN_PROGRESS_OVERDUE else (
            f"đang thực hiện, tiến độ {format_number(t.progress or 0)}%")
        deadline = text_date(t.task.deadline) if t.task.deadline else t.task.deadline_text
        lines.append(f"{c.names.get(t.task.unit, t.task.unit)}: {t.task.content.rstrip('.;')} "
                     f"(thời hạn {deadline}; {state})")
    _bullets(c, lines, "nhiệm vụ khác (tại Phụ lục)")


def progress(c: Context) -> None:
    """Progress round by round, and the tasks whose status changed since the previous round."""
    trend, r = c.progress, c.result
    if trend is None or not trend.meaningful:
        return
    heading(c, "5. Tiến độ qua các kỳ báo cáo")
    rates = join(f"{rnd.name}: hoàn thành {ratio(t.completed, t.total)} nhiệm vụ ({format_percent(t.rate)})"
                 for rnd, t in zip(trend.rounds, trend.overall, strict=True))
    body_paragraph(c.doc, f"Kết quả hoàn thành qua các kỳ (Hình {c.figures + 1}): {rates}.")
    png, caption = trend_chart(trend)
    c.figure(png, caption, TREND_WIDTH_CM)
    done = [ch for ch in r.changes if ch.after.is_done and not ch.before.is_done]
    if r.previous is not None and r.changes:
        body_paragraph(c.doc, f"So với kỳ {r.previous.name}, có {count(len(r.changes))} nhiệm vụ thay đổi tình trạng, "
                              f"trong đó {count(len(done))} nhiệm vụ chuyển sang hoàn thành"
                              + (":" if done else "."), keep_next=bool(done))
        _bullets(c, [f"{c.names.get(ch.task.unit, ch.task.unit)}: {ch.task.content.rstrip('.;')}" for ch in done],
                 "nhiệm vụ khác (chi tiết tại bảng tổng hợp)")


def shortcomings(c: Context) -> None:
    r, b = c.result, c.basis
    heading(c, "II. TỒN TẠI, HẠN CHẾ")
    points = []
    shown = b.overall
    late_open = sum(1 for t in r.tasks if t.overdue)
    open_tasks = shown.total - shown.completed
    if open_tasks:
        what = "nhiệm vụ đến hạn" if b.interim else "nhiệm vụ"
        if on_the_day(c) == open_tasks:
            what = f"nhiệm vụ có thời hạn ngày {b.as_of_text}"
        points.append(f"còn {count(open_tasks)} {what} chưa hoàn thành{of_which(open_tasks, late_open)}")
    if r.late:
        points.append(f"{count(len(r.late))} đơn vị gửi báo cáo sau thời hạn")
    unreadable = sum(1 for u in r.missing if r.rejected.get(u.unit.code))
    if len(r.missing) > unreadable:
        points.append(f"{count(len(r.missing) - unreadable)} đơn vị chưa gửi báo cáo")
    if unreadable:
        points.append(f"{count(unreadable)} đơn vị có tệp báo cáo không đọc được, phải gửi lại")
    if r.unscored:
        points.append(f"{count(len(r.unscored))} đơn vị đã báo cáo nhưng chưa tự chấm điểm")
    if r.targets.not_met:
        points.append(f"{count(r.targets.not_met)} nhiệm vụ báo cáo hoàn thành nhưng chưa đạt chỉ tiêu")
    if r.self_score_flags:
        points.append(f"{count(len(r.self_score_flags))} nhiệm vụ tự chấm điểm chưa đúng hướng dẫn (cao hơn mức "
                      "tình trạng, tiến độ thực hiện cho phép)")
    if points:
        body_paragraph(c.doc, f"Qua tổng hợp, {'; '.join(points)}.")
    _opinions(c, [(c.names.get(t.task.unit, t.task.unit), t.difficulties) for t in r.tasks if t.difficulties],
              f"Khó khăn, vướng mắc do các {c.term} nêu trong báo cáo:",
              f"Các {c.term} không nêu khó khăn, vướng mắc.")


def directions(c: Context) -> None:
    """What comes next, from the figures: overdue work, the next round's tasks, missing reports."""
    r, s = c.result, c.settings
    heading(c, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    lines = []
    late_open = sum(1 for t in r.tasks if t.overdue)
    if late_open:
        lines.append(f"Các {c.term} khẩn trương hoàn thành {count(late_open)} nhiệm vụ đã quá thời hạn (Phụ lục); "
                     "trường hợp không thể hoàn thành, báo cáo rõ lý do và đề xuất điều chỉnh theo quy định")
    later = [x for x in s.series(r.round.kind) if x.as_of > r.round.as_of]
    if later:
        following = later[0]
        upcoming = sum(1 for t in r.tasks if not t.derived.is_done and t.task.deadline is not None
                       and r.round.as_of < t.task.deadline <= following.as_of)
        if upcoming:
            lines.append(f"Tập trung thực hiện {count(upcoming)} nhiệm vụ có thời hạn hoàn thành đến ngày "
                         f"{text_date(following.as_of)} (kỳ báo cáo {following.name}), bảo đảm tiến độ và chất "
                         "lượng sản phẩm đã cam kết")
        else:
            lines.append(f"Tiếp tục triển khai các nhiệm vụ đã cam kết, bảo đảm tiến độ và chất lượng sản phẩm; "
                         f"báo cáo kết quả kỳ {following.name}")
    else:
        if not r.appraised:
            lines.append("Tổ chức thẩm định kết quả tự chấm điểm của các đơn vị làm căn cứ đánh giá, xếp loại "
                         "thủ trưởng")
        lines.append(f"Xây dựng, đăng ký cam kết thực hiện nhiệm vụ trọng tâm năm {s.year + 1}")
    if r.missing:
        lines.append(f"Các đơn vị chưa gửi báo cáo hoặc có tệp không đọc được gửi báo cáo chậm nhất ngày "
                     f"{text_date(c.resend)}")
    who = s.contact.unit or s.agency.name
    lines.append(f"{who} tiếp tục theo dõi, đôn đốc, tổng hợp kết quả thực hiện và báo cáo theo quy định")
    for line in lines:
        body_paragraph(c.doc, f"- {line}.")


def proposals(c: Context) -> None:
    heading(c, "IV. KIẾN NGHỊ, ĐỀ XUẤT")
    _opinions(c, [(c.names.get(t.task.unit, t.task.unit), t.proposals) for t in c.result.tasks if t.proposals],
              f"Tổng hợp kiến nghị, đề xuất của các {c.term}:",
              f"Các {c.term} không có kiến nghị, đề xuất.")


def closing(c: Context) -> None:
    r, agency = c.result, c.settings.agency
    to = c.settings.report.addressees
    ending = f", {agency.name} kính báo cáo {join(to)}./." if to else f" của {agency.name}./."
    body_paragraph(c.doc, f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ trọng tâm đã cam kết kỳ {r.round.name}"
                          f"{ending}")


def _opinions(c: Context, items: list[tuple[str, str]], intro: str, none: str) -> None:
    opinions, more = gather(items)
    if not opinions:
        body_paragraph(c.doc, none)
        return
    body_paragraph(c.doc, intro, keep_next=True)
    lines = [f"{opinion.text} ({join(opinion.units)})" for opinion in opinions]
    if more:
        lines.append(f"Và {count(more)} ý kiến khác (chi tiết tại bảng tổng hợp)")
    _bullets(c, lines, "ý kiến khác")


def year_result(c: Context) -> None:
    """The year's emulation table, in the report of the year's last round."""
    if c.year is not None:
        number = 6 if c.progress is not None and c.progress.meaningful else 5
        emulation_section(c.doc, c.year, c.term, number, 2)


SECTIONS: tuple[Callable[[Context], None], ...] = (
    opening, reception, results, heads, overdue, progress, year_result, shortcomings, directions, proposals,
    closing,
)
