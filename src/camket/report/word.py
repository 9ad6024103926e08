"""The Word report for officials: a Vietnamese administrative report laid out as
Decree 30/2020/NĐ-CP (Phụ lục I, Mẫu 1.4) requires, with the round's figures stated in
sentences, a table by unit, charts, difficulties and proposals gathered from what
offices wrote, the signature block and a landscape appendix task by task."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ..atomic import atomic_path
from ..config import Settings
from ..model import Derived, Master
from ..reconcile import Result, Trend, UnitResult, count
from ..schema import DETAIL, UNIT_SUMMARY
from ..vi import formal_date, format_date, format_number, format_percent, percent
from .charts import classes_chart, completion_chart, trend_chart
from .docx_layout import (
    add_page_number_header,
    body_paragraph,
    fast_table,
    landscape_section,
    para,
    rule_under,
    set_base_style,
    set_column_widths,
    setup_page,
    strip_table_borders,
)
from .texts import gather

__all__ = ["MAX_APPENDIX_ROWS", "MAX_UNIT_ROWS", "write_word"]

MAX_UNIT_ROWS = 200        # beyond this many units, the report tabulates by block
MAX_APPENDIX_ROWS = 2_000  # beyond this many tasks, the appendix lists those needing attention
MAX_LISTED = 30            # overdue tasks, heads below 100% … listed in the body before "và … khác"
_LEFT, _RIGHT = 6.5, 10.0  # header columns (cm) of the 16.5 cm text width (margins 30 + 15 mm)
_TEXT_WIDTH = 16.5


def write_word(path: Path, result: Result, master: Master, settings: Settings, generated: dt.datetime,
               template: Path | None = None, progress: Trend | None = None) -> Path:
    """Write the report of ``result`` to ``path`` (atomically); ``template`` is a letterhead .docx;
    ``progress`` over two rounds or more adds the progress round by round."""
    doc = _document(template)
    report = settings.report
    size = report.font_size
    section = doc.sections[0]
    if template is None:
        setup_page(section, report.margin_top_mm, report.margin_bottom_mm, report.margin_left_mm,
                   report.margin_right_mm)
        set_base_style(doc, size, report.line_spacing)
        add_page_number_header(section, 13)
    _header(doc, settings, result, generated)
    _title(doc, result, size)
    _body(doc, result, master, settings, progress)
    _signature(doc, settings)
    _appendix(doc, result, master, settings, generated)
    props = doc.core_properties
    props.title = f"Báo cáo kết quả thực hiện nhiệm vụ trọng tâm {result.round.name}"
    props.author = settings.agency.name
    props.last_modified_by = settings.agency.name
    props.created = props.modified = generated
    props.revision = 1
    props.comments = "Tạo bởi camket"
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path


def _document(template: Path | None) -> Any:
    """A new document, or the letterhead template with its body emptied (styles, header,
    footer and page setup kept)."""
    if template is None:
        return Document()
    doc = Document(str(template))
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)
    return doc


def _header(doc: Any, settings: Settings, result: Result, generated: dt.datetime) -> None:
    """The borderless two-column header of page 1 (Mẫu 1.4)."""
    agency = settings.agency
    table = doc.add_table(rows=1, cols=2)
    strip_table_borders(table)
    table.autofit = False
    set_column_widths(table, (_LEFT, _RIGHT))
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    if agency.parent:
        run = first.add_run(agency.parent.upper())
        run.font.size = Pt(13)
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        issuing = para(left, agency.name, size=13, bold=True, caps=True)
    else:
        issuing = first
        issuing.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = issuing.add_run(agency.name.upper())
        run.bold, run.font.size = True, Pt(13)
    issuing.paragraph_format.first_line_indent = Cm(0)
    rule_under(left, 2.5, _LEFT)
    number = settings.report.number or "      "
    para(left, f"Số: {number}/BC-{agency.short}", size=13, before=6)
    motto_title = right.paragraphs[0]
    motto_title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto_title.paragraph_format.first_line_indent = Cm(0)
    run = motto_title.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(12)
    para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    rule_under(right, 6.3, _RIGHT)
    para(right, formal_date(generated.date(), agency.place), size=13, italic=True, before=6)
    for paragraph in (*left.paragraphs, *right.paragraphs):
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = Cm(0)


def _title(doc: Any, result: Result, size: float) -> None:
    para(doc, "BÁO CÁO", size=size, bold=True, before=18)
    para(doc, f"Kết quả thực hiện nhiệm vụ trọng tâm đã cam kết {result.round.name}", size=size, bold=True)
    rule_under(doc, 5.0, _TEXT_WIDTH).paragraph_format.space_after = Pt(12)


def _heading(doc: Any, text: str) -> None:
    body_paragraph(doc, text, bold=True)


def _bullets(doc: Any, lines: list[str], more: str) -> None:
    """At most MAX_LISTED "- …." lines, then "- Và N <more>." for the rest."""
    for line in lines[:MAX_LISTED]:
        body_paragraph(doc, f"- {line}.")
    if len(lines) > MAX_LISTED:
        body_paragraph(doc, f"- Và {count(len(lines) - MAX_LISTED)} {more}.")


def _figure(doc: Any, png: bytes, caption: str, width_cm: float) -> None:
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Cm(0)
    picture.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    para(doc, caption, size=12, italic=True, after=6)


def _names(units: Iterable[UnitResult]) -> str:
    return "; ".join(u.unit.name for u in units)


def _body(doc: Any, result: Result, master: Master, settings: Settings, progress: Trend | None) -> None:
    r, o = result.round, result.overall
    heads = result.heads
    answered = [u for u in heads if u.answered]
    body_paragraph(doc, f"Thực hiện {settings.title}, {settings.agency.name} báo cáo kết quả thực hiện nhiệm vụ "
                        f"trọng tâm đã cam kết {r.name} (số liệu tính đến ngày {format_date(r.as_of)}) như sau:")
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    _heading(doc, "1. Tình hình báo cáo")
    text = (f"Đến ngày {format_date(r.as_of)}, có {count(len(answered))}/{count(len(heads))} cơ quan, đơn vị đã "
            f"gửi báo cáo kết quả thực hiện nhiệm vụ trọng tâm đã cam kết.")
    if result.late:
        text += (f" Có {count(len(result.late))} đơn vị gửi báo cáo sau thời hạn {format_date(r.due)}: "
                 f"{_names(result.late)}.")
    body_paragraph(doc, text)
    if result.missing:
        text = f"Còn {count(len(result.missing))} đơn vị chưa gửi báo cáo: {_names(result.missing)}."
        sent = [u for u in result.missing if result.rejected.get(u.unit.code)]
        if sent:
            text += f" Trong đó {count(len(sent))} đơn vị đã gửi tệp nhưng tệp không hợp lệ, phải gửi lại."
        body_paragraph(doc, text)
    _heading(doc, "2. Kết quả thực hiện nhiệm vụ")
    groups = [(name, t) for name, t in result.by_group.items() if t.total]
    text = f"Tổng số nhiệm vụ trọng tâm đã hoàn thành là {o.sentence()}"
    if len(groups) > 1:
        text += ", trong đó có " + ", ".join(f"{count(t.completed)} nhiệm vụ thuộc nhóm “{name}”"
                                              for name, t in groups)
    text += f". Số nhiệm vụ hoàn thành đúng hạn là {count(o.done_on_time)}, hoàn thành quá hạn là {count(o.done_late)}."
    body_paragraph(doc, text)
    text = (f"Tổng số nhiệm vụ đang thực hiện là {count(o.in_progress)}/{count(o.total)} nhiệm vụ, tương ứng tỉ lệ "
            f"{format_percent(percent(o.in_progress, o.total))}")
    text += f", trong đó {count(o.in_progress_overdue)} nhiệm vụ đã quá thời hạn." if o.in_progress_overdue else "."
    body_paragraph(doc, text)
    rest = []
    if o.not_started:
        rest.append(f"{count(o.not_started)} nhiệm vụ chưa thực hiện")
    if o.not_done:
        rest.append(f"{count(o.not_done)} nhiệm vụ không thực hiện (có lý do)")
    if o.not_reported:
        rest.append(f"{count(o.not_reported)} nhiệm vụ chưa được báo cáo")
    if rest:
        body_paragraph(doc, "Ngoài ra, có " + ", ".join(rest) + ".")
    _heads(doc, result)
    _overdue(doc, result)
    _unit_table(doc, result)
    for number, (png, caption) in enumerate((completion_chart(result), classes_chart(result)), start=1):
        _figure(doc, png, f"Hình {number}. {caption}", 15)
    names = {u.code: u.name for u in master.units}
    if progress is not None and progress.meaningful:
        _progress(doc, result, progress, names)
    _heading(doc, "II. TỒN TẠI, HẠN CHẾ")
    _opinions(doc, [(names.get(t.task.unit, t.task.unit), t.difficulties) for t in result.tasks if t.difficulties],
              "Các khó khăn, vướng mắc do cơ quan, đơn vị nêu trong báo cáo:",
              "Các cơ quan, đơn vị không nêu khó khăn, vướng mắc.")
    _heading(doc, "III. KIẾN NGHỊ, ĐỀ XUẤT")
    _opinions(doc, [(names.get(t.task.unit, t.task.unit), t.proposals) for t in result.tasks if t.proposals],
              "Tổng hợp kiến nghị, đề xuất của các cơ quan, đơn vị:",
              "Các cơ quan, đơn vị không có kiến nghị.")
    body_paragraph(doc, f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ trọng tâm đã cam kết {r.name} của "
                        f"{settings.agency.name}./.")


def _progress(doc: Any, result: Result, progress: Trend, names: dict[str, str]) -> None:
    """Progress round by round, and the tasks whose status changed since the previous round."""
    _heading(doc, "5. Tiến độ qua các kỳ báo cáo")
    rates = "; ".join(f"{r.name}: {t.sentence()}" for r, t in zip(progress.rounds, progress.overall, strict=True))
    body_paragraph(doc, f"Kết quả hoàn thành qua các kỳ: {rates}.")
    rows = ([str(i), r.name, count(t.total), count(t.completed), count(t.in_progress), format_percent(t.rate)]
            for i, (r, t) in enumerate(zip(progress.rounds, progress.overall, strict=True), start=1))
    fast_table(doc, ["STT", "Kỳ báo cáo", "Số nhiệm vụ", "Hoàn thành", "Đang thực hiện", "Tỉ lệ hoàn thành"],
               rows, (1.2, 5.0, 2.5, 2.5, 2.6, 2.7), size=11, align="clcccc")
    png, caption = trend_chart(progress)
    _figure(doc, png, f"Hình 3. {caption}", 14)
    done = [c for c in result.changes if c.after.is_done and not c.before.is_done]
    if result.previous is not None and result.changes:
        body_paragraph(doc, f"So với kỳ {result.previous.name}, có {count(len(result.changes))} nhiệm vụ thay đổi "
                            f"tình trạng, trong đó {count(len(done))} nhiệm vụ chuyển sang hoàn thành:")
        _bullets(doc, [f"{names.get(c.task.unit, c.task.unit)}: {c.task.content} "
                       f"({c.before.value.lower()} → {c.after.value.lower()})" for c in done],
                 "nhiệm vụ khác (chi tiết tại bảng tổng hợp)")


def _heads(doc: Any, result: Result) -> None:
    heads = result.heads
    n = len(heads)
    _heading(doc, "3. Kết quả theo từng thủ trưởng cơ quan, đơn vị")
    bands = [
        ("đã thực hiện 100% nhiệm vụ cam kết", [u for u in heads if u.all_done]),
        ("hoàn thành từ 90% đến dưới 100% nhiệm vụ", [u for u in heads if not u.all_done and u.answered
                                                     and u.totals.rate >= 90]),
        ("hoàn thành từ 50% đến dưới 90% nhiệm vụ", [u for u in heads if u.answered and 50 <= u.totals.rate < 90]),
        ("hoàn thành dưới 50% nhiệm vụ", [u for u in heads if u.answered and u.totals.rate < 50]),
        ("chưa báo cáo", [u for u in heads if not u.answered]),
    ]
    parts = [f"{count(len(units))}/{count(n)} thủ trưởng {label}" for i, (label, units) in enumerate(bands)
             if units or i == 0]
    body_paragraph(doc, "; ".join(parts) + ".")
    below = sorted((u for u in heads if u.answered and not u.all_done), key=lambda u: (u.totals.rate, u.unit.code))
    _bullets(doc, [f"{u.unit.name} ({u.unit.head}): hoàn thành {count(u.totals.completed)}/{count(u.totals.total)} "
                   f"nhiệm vụ, tương ứng tỉ lệ {format_percent(u.totals.rate)}" for u in below],
             "thủ trưởng khác (chi tiết tại Bảng 1)")
    _appraisal(doc, result)


def _appraisal(doc: Any, result: Result) -> None:
    """Self-score against appraisal: how many were appraised and the largest gaps."""
    gaps = result.gaps
    if not gaps:
        return
    above = [u for u in gaps if (u.gap or 0) > 0]
    body_paragraph(doc, f"Kết quả thẩm định: {count(len(gaps))}/{count(len(result.heads))} cơ quan, đơn vị đã được "
                        f"thẩm định điểm; {count(len(above))} đơn vị tự chấm cao hơn điểm thẩm định. Xếp loại được "
                        "tính theo điểm thẩm định. Các đơn vị có chênh lệch lớn nhất:")
    for u in above[:10]:
        body_paragraph(doc, f"- {u.unit.name}: tự chấm {format_number(u.self_score)} điểm, thẩm định "
                            f"{format_number(u.appraised or 0)} điểm (chênh lệch {format_number(u.gap or 0)} điểm).")


def _overdue(doc: Any, result: Result) -> None:
    overdue = [t for t in result.tasks if t.overdue]
    _heading(doc, "4. Nhiệm vụ quá hạn chưa hoàn thành")
    if not overdue:
        body_paragraph(doc, "Không có nhiệm vụ quá hạn chưa hoàn thành.")
        return
    units = {u.unit.code: u.unit.name for u in result.units}
    body_paragraph(doc, f"Có {count(len(overdue))} nhiệm vụ đã quá thời hạn nhưng chưa hoàn thành:")
    lines = []
    for t in overdue:
        state = t.derived.value.lower() if t.derived is not Derived.IN_PROGRESS_OVERDUE else (
            f"đang thực hiện, tiến độ {format_number(t.progress or 0)}%")
        deadline = format_date(t.task.deadline) if t.task.deadline else t.task.deadline_text
        lines.append(f"{units.get(t.task.unit, t.task.unit)}: {t.task.content} (thời hạn {deadline}; {state})")
    _bullets(doc, lines, "nhiệm vụ khác (chi tiết tại Phụ lục)")


def _unit_table(doc: Any, result: Result) -> None:
    heads = result.heads
    col = UNIT_SUMMARY
    if len(heads) <= MAX_UNIT_ROWS:
        para(doc, "Bảng 1. Kết quả thực hiện nhiệm vụ theo cơ quan, đơn vị", size=13, bold=True, before=6, after=6)
        rows = ([str(i), u.unit.name, count(u.totals.total), count(u.totals.completed), count(u.totals.done_late),
                 count(u.totals.in_progress), format_percent(u.totals.rate), u.rating]
                for i, u in enumerate(sorted(heads, key=lambda u: u.unit.code), start=1))
        headers = [col["stt"].header, "Cơ quan, đơn vị", col["tasks"].header, col["completed"].header,
                   "Trong đó quá hạn", col["in_progress"].header, col["rate"].header, col["rating"].header]
        fast_table(doc, headers, rows, (1.2, 4.4, 1.5, 1.6, 1.5, 1.6, 1.8, 2.9), size=11,
                   align="clcccccl")
        return
    para(doc, "Bảng 1. Kết quả thực hiện nhiệm vụ theo khối (chi tiết từng đơn vị tại bảng tổng hợp .xlsx)",
         size=13, bold=True, before=6, after=6)
    rows = ([str(i), name, count(t.total), count(t.completed), count(t.done_late), count(t.in_progress),
             format_percent(t.rate)] for i, (name, t) in enumerate(result.by_block.items(), start=1))
    fast_table(doc, ["STT", "Khối", col["tasks"].header, col["completed"].header, "Trong đó quá hạn",
                     col["in_progress"].header, col["rate"].header], rows, (1.0, 5.5, 2, 2, 2, 2, 2),
               size=11, align="clccccc")


def _opinions(doc: Any, items: list[tuple[str, str]], intro: str, none: str) -> None:
    opinions, more = gather(items)
    if not opinions:
        body_paragraph(doc, none)
        return
    body_paragraph(doc, intro)
    for opinion in opinions:
        units = opinion.units[:6]
        extra = f" và {len(opinion.units) - 6} đơn vị khác" if len(opinion.units) > 6 else ""
        body_paragraph(doc, f"- {opinion.text} ({', '.join(units)}{extra}).")
    if more:
        body_paragraph(doc, f"- Và {count(more)} ý kiến khác (chi tiết tại bảng tổng hợp).")


def _signature(doc: Any, settings: Settings) -> None:
    """"Nơi nhận:" with its list on the left, the authority, title and name on the right."""
    table = doc.add_table(rows=1, cols=2)
    strip_table_borders(table)
    table.autofit = False
    set_column_widths(table, (7.5, 9.0))
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    first.paragraph_format.first_line_indent = Cm(0)
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    recipients = list(settings.report.recipients) or ["Như trên"]
    filing = next((x for x in recipients if x.startswith("Lưu")), f"Lưu: VT, {settings.agency.short}")
    listed = [x for x in recipients if not x.startswith("Lưu")]
    for name in listed:
        para(left, f"- {name};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    para(left, f"- {filing.rstrip('.')}.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    top = right.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.paragraph_format.first_line_indent = Cm(0)
    lines = settings.signer.lines
    run = top.add_run(lines[0].upper())
    run.bold, run.font.size = True, Pt(13)
    for line in lines[1:]:
        para(right, line, size=13, bold=True, caps=True)
    for _ in range(4):
        para(right, "", size=13)
    para(right, settings.signer.name, size=13, bold=True)
    for paragraph in (*left.paragraphs, *right.paragraphs):
        paragraph.paragraph_format.space_after = Pt(0)


def _appendix(doc: Any, result: Result, master: Master, settings: Settings, generated: dt.datetime) -> None:
    landscape_section(doc)
    para(doc, "Phụ lục", size=14, bold=True)
    tasks = list(result.tasks)
    title = "KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ TRỌNG TÂM"
    if len(tasks) > MAX_APPENDIX_ROWS:
        tasks = [t for t in tasks if t.overdue or t.derived in (Derived.NOT_DONE, Derived.NOT_REPORTED)]
        title = "CÁC NHIỆM VỤ CẦN LƯU Ý (QUÁ HẠN, KHÔNG THỰC HIỆN, CHƯA BÁO CÁO)"
    para(doc, title, size=13, bold=True)
    number = settings.report.number or "…"
    para(doc, f"(Kèm theo Báo cáo số {number}/BC-{settings.agency.short} {formal_date(generated.date())} "
              f"của {settings.agency.name})", size=13, italic=True, after=12)
    shown = min(len(tasks), MAX_APPENDIX_ROWS)
    if len(result.tasks) > shown:
        body_paragraph(doc, f"Phụ lục liệt kê {count(shown)} trong tổng số {count(len(result.tasks))} nhiệm vụ; "
                            "kết quả từng nhiệm vụ có trong bảng tổng hợp (.xlsx).", italic=True, indent=False)
    names = {u.code: u.name for u in master.units}
    d = DETAIL
    headers = [d["stt"].header, "Cơ quan, đơn vị", d["content"].header, d["deadline"].header,
               d["status"].header, d["completed_on"].header, d["derived"].header, d["result"].header]
    rows = ([str(i), names.get(t.task.unit, t.task.unit), t.task.content,
             format_date(t.task.deadline) if t.task.deadline else t.task.deadline_text,
             t.status or "", format_date(t.completed_on) if t.completed_on else "", t.derived.value,
             t.result or (t.reason if t.derived is Derived.NOT_DONE else "")]
            for i, t in enumerate(tasks[:MAX_APPENDIX_ROWS], start=1))
    fast_table(doc, headers, rows, (1.2, 3.6, 7.0, 2.3, 2.3, 2.3, 2.7, 3.8), size=11, align="cllcccll")
