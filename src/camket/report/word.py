"""The Word report for officials: a Vietnamese administrative report laid out as
Decree 30/2020/NĐ-CP (Phụ lục I, Mẫu 1.4) requires: the header, the title, "Kính gửi"
when the report is addressed, the body (:mod:`~camket.report.body`, one function per
section), the signature block with "Nơi nhận", and a landscape appendix task by task."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ..atomic import atomic_path
from ..config import Settings
from ..model import Derived, Master
from ..reconcile import Result, Trend, count
from ..schema import DETAIL
from ..vi import formal_date, format_date
from .basis import basis_of
from .body import MAX_UNIT_ROWS, SECTIONS, Context
from .dates import report_date, resend_deadline
from .docx_layout import (
    add_page_number_header,
    body_paragraph,
    fast_table,
    landscape_section,
    para,
    rule_under,
    set_base_style,
    set_column_widths,
    set_language,
    setup_page,
    strip_table_borders,
)
from .year import YearResult

__all__ = ["MAX_APPENDIX_ROWS", "MAX_UNIT_ROWS", "write_word"]

MAX_APPENDIX_ROWS = 2_000  # beyond this many tasks, the appendix lists those needing attention
_LEFT, _RIGHT = 6.5, 10.0  # header columns (cm) of the 16.5 cm text width (margins 30 + 15 mm)
_TEXT_WIDTH = 16.5


def write_word(path: Path, result: Result, master: Master, settings: Settings, generated: dt.datetime,
               template: Path | None = None, progress: Trend | None = None, year: YearResult | None = None,
               dated: dt.date | None = None) -> Path:
    """Write the report of ``result`` to ``path`` (atomically); ``template`` is a letterhead .docx;
    ``progress`` over two rounds or more adds the progress round by round; ``year`` the year's
    emulation table; ``dated`` the report's date (by default as :func:`~camket.report.dates.report_date`
    finds it)."""
    doc = _document(template)
    report = settings.report
    size = report.font_size
    section = doc.sections[0]
    if template is None:
        setup_page(section, report.margin_top_mm, report.margin_bottom_mm, report.margin_left_mm,
                   report.margin_right_mm)
        set_base_style(doc, size, report.line_spacing)
        add_page_number_header(section, 13)
    set_language(doc)
    dated = dated or report_date(settings, generated, result.round)
    _header(doc, settings, dated)
    _title(doc, result, settings, size)
    context = Context(doc, result, master, settings, basis_of(result, settings), dated,
                      resend_deadline(settings, dated), progress, {u.code: u.name for u in master.units},
                      year=year)
    for write in SECTIONS:
        write(context)
    _signature(doc, settings)
    _appendix(doc, result, master, settings, dated)
    return _save(doc, path, f"Báo cáo kết quả thực hiện nhiệm vụ trọng tâm {result.round.name}", settings, generated)


def _save(doc: Any, path: Path, title: str, settings: Settings, generated: dt.datetime) -> Path:
    """The document's properties (title, the agency as author, Vietnamese), written whole or not at all."""
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = settings.agency.name
    props.created = props.modified = generated
    props.revision = 1
    props.comments = "Tạo bởi camket"
    props.language = "vi-VN"
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


def _header(doc: Any, settings: Settings, dated: dt.date) -> None:
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
    para(right, formal_date(dated, agency.place), size=13, italic=True, before=6)
    for paragraph in (*left.paragraphs, *right.paragraphs):
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = Cm(0)


def _title(doc: Any, result: Result, settings: Settings, size: float) -> None:
    para(doc, "BÁO CÁO", size=size, bold=True, before=18, keep_next=True)
    para(doc, f"Kết quả thực hiện nhiệm vụ trọng tâm đã cam kết {result.round.name}", size=size, bold=True,
         keep_next=True)
    rule_under(doc, 5.0, _TEXT_WIDTH).paragraph_format.space_after = Pt(12)
    to = settings.report.addressees
    if len(to) == 1:
        para(doc, f"Kính gửi: {to[0]}.", size=size, after=12)
    elif to:
        para(doc, "Kính gửi:", size=size, keep_next=True)
        for i, name in enumerate(to):
            para(doc, f"- {name}{'.' if i == len(to) - 1 else ';'}", size=size, after=12 if i == len(to) - 1 else 0)


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
    recipients = list(settings.report.recipients)
    if settings.report.addressees and not any(x.lower().startswith("như trên") for x in recipients):
        recipients.insert(0, "Như trên")
    recipients = recipients or ["Như trên"]
    filing = next((x for x in recipients if x.startswith("Lưu")), f"Lưu: VT, {settings.agency.short}")
    listed = [x for x in recipients if not x.startswith("Lưu")]
    for name in listed:
        para(left, f"- {name.rstrip(';.')};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
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
    for row in table.rows:  # the signature block is never cut from its last line
        row._tr.get_or_add_trPr().append(_cant_split())


def _cant_split() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:cantSplit")


def _appendix(doc: Any, result: Result, master: Master, settings: Settings, dated: dt.date) -> None:
    landscape_section(doc)
    para(doc, "Phụ lục", size=14, bold=True, keep_next=True)
    tasks = list(result.tasks)
    title = "KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ TRỌNG TÂM"
    if len(tasks) > MAX_APPENDIX_ROWS:
        tasks = [t for t in tasks if t.overdue or t.derived in (Derived.NOT_DONE, Derived.NOT_REPORTED)]
        title = "CÁC NHIỆM VỤ CẦN LƯU Ý (QUÁ HẠN, KHÔNG THỰC HIỆN, CHƯA BÁO CÁO)"
    para(doc, title, size=13, bold=True, keep_next=True)
    number = settings.report.number or "…"
    para(doc, f"(Kèm theo Báo cáo số {number}/BC-{settings.agency.short} {formal_date(dated)} "
              f"của {settings.agency.name})", size=13, italic=True, after=12, keep_next=True)
    shown = min(len(tasks), MAX_APPENDIX_ROWS)
    if len(result.tasks) > shown:
        body_paragraph(doc, f"Phụ lục liệt kê {count(shown)} trong tổng số {count(len(result.tasks))} nhiệm vụ; "
                            "kết quả từng nhiệm vụ có trong bảng tổng hợp (.xlsx).", italic=True, indent=False,
                       keep_next=True)
    names = {u.code: u.name for u in master.units}
    d = DETAIL
    term = settings.report.units_term
    headers = [d["stt"].header, term[0].upper() + term[1:], d["content"].header, d["target"].header,
               d["deadline"].header, d["status"].header, d["completed_on"].header, d["derived"].header,
               d["result"].header]
    rows = ([str(i), names.get(t.task.unit, t.task.unit), t.task.content, t.target_shown,
             format_date(t.task.deadline) if t.task.deadline else t.task.deadline_text,
             t.status or "", format_date(t.completed_on) if t.completed_on else "", t.derived.value,
             t.result or (t.reason if t.derived is Derived.NOT_DONE else "")]
            for i, t in enumerate(tasks[:MAX_APPENDIX_ROWS], start=1))
    fast_table(doc, headers, rows, (1.2, 3.0, 5.4, 2.7, 2.3, 2.0, 2.3, 2.6, 3.7), size=11, align="clllcccll")

