"""The Word report: Decree 30/2020 layout, and every figure it quotes equals reconcile's."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from camket import Workspace
from camket.model import Master, Round, Task, Unit
from camket.reconcile import Accepted, reconcile
from camket.report import write_word
from camket.report.word import MAX_APPENDIX_ROWS
from camket.vi import format_percent, percent

from .conftest import SAMPLE_TIME


@pytest.fixture
def reported(bo_2022_reported: tuple[Workspace, Any]) -> tuple[Workspace, Any, Any]:
    ws, files = bo_2022_reported
    return ws, files, Document(str(files.word))


def runs_of(paragraph: Any) -> list[Any]:
    return [r for r in paragraph.runs if r.text.strip()]


def test_page_setup_margins_and_body_font(reported: tuple[Workspace, Any, Any]) -> None:
    _, _, doc = reported
    first = doc.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731 - lengths are stored in twips
    assert (mm(first.page_width), mm(first.page_height)) == (210, 297)
    assert (mm(first.top_margin), mm(first.bottom_margin)) == (20, 20)
    assert (mm(first.left_margin), mm(first.right_margin)) == (30, 15)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.paragraph_format.space_after == Pt(6)
    assert 1.15 <= normal.paragraph_format.line_spacing <= 1.5
    body = next(p for p in doc.paragraphs if p.text.startswith("Tổng số nhiệm vụ trọng tâm đã hoàn thành"))
    assert body.paragraph_format.alignment == 3  # justified
    assert round(body.paragraph_format.first_line_indent.mm, 1) == 10


def test_header_elements_fonts_sizes_and_date(reported: tuple[Workspace, Any, Any]) -> None:
    _, _, doc = reported
    header = doc.tables[0]
    left, right = header.rows[0].cells
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(e.get(qn("w:val")) == "nil" for e in borders)
    agency = runs_of(left.paragraphs[0])[0]
    assert agency.text == "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH" and agency.bold and agency.font.size == Pt(13)
    number = next(p for p in left.paragraphs if p.text.startswith("Số:"))
    assert re.fullmatch(r"Số: +/BC-BVHTTDL", number.text)
    assert runs_of(number)[0].font.size == Pt(13) and not runs_of(number)[0].bold
    title = runs_of(right.paragraphs[0])[0]
    assert title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and title.bold and Pt(12) <= title.font.size <= Pt(13)
    motto = next(p for p in right.paragraphs if p.text == "Độc lập - Tự do - Hạnh phúc")
    assert runs_of(motto)[0].bold and runs_of(motto)[0].font.size == Pt(13)
    dateline = next(p for p in right.paragraphs if p.text.startswith("Hà Nội"))
    assert dateline.text == "Hà Nội, ngày 01 tháng 7 năm 2022"  # day padded, month 7 not
    assert runs_of(dateline)[0].italic and runs_of(dateline)[0].font.size == Pt(13)
    rules = [p for p in (*left.paragraphs, *right.paragraphs) if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]
    assert len(rules) == 2  # under the issuing body and under the motto
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện nhiệm vụ trọng tâm đã cam kết 6 tháng đầu năm 2022" in texts


def test_signature_block_and_recipients(reported: tuple[Workspace, Any, Any]) -> None:
    ws, _, doc = reported
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    left, right = table.rows[0].cells
    label = runs_of(left.paragraphs[0])[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    items = [p for p in left.paragraphs[1:] if p.text]
    assert all(runs_of(p)[0].font.size == Pt(11) for p in items)
    assert items[-1].text.startswith("- Lưu: VT") and items[-1].text.endswith(".")
    assert all(p.text.endswith(";") for p in items[:-1])
    signer = [p for p in right.paragraphs if p.text]
    assert signer[0].text == ws.settings.signer.title and runs_of(signer[0])[0].bold
    assert signer[-1].text == ws.settings.signer.name and runs_of(signer[-1])[0].bold


def test_page_numbers_from_page_two_and_landscape_appendix(reported: tuple[Workspace, Any, Any]) -> None:
    _, _, doc = reported
    first = doc.sections[0]
    assert first.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in first.header._element.iter(qn("w:instrText")))
    assert first.header.paragraphs[0].alignment == 1  # centred
    assert not "".join(t.text or "" for t in first.first_page_header._element.iter(qn("w:instrText")))
    appendix = doc.sections[-1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    texts = [p.text for p in doc.paragraphs]
    assert "Phụ lục" in texts
    last = doc.tables[-1]
    assert last.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeated on each page
    assert len(last.rows) == 2 + 107  # header, (1)…(8), one row per task


def test_every_figure_in_the_text_equals_reconcile(reported: tuple[Workspace, Any, Any]) -> None:
    ws, _, doc = reported
    result = ws.reconcile("2022-6T")
    o = result.overall
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"đã hoàn thành là {o.completed}/{o.total} nhiệm vụ, tương ứng tỉ lệ {format_percent(o.rate)}" in text
    assert f"hoàn thành đúng hạn là {o.done_on_time}, hoàn thành quá hạn là {o.done_late}" in text
    progress = format_percent(percent(o.in_progress, o.total))
    assert f"đang thực hiện là {o.in_progress}/{o.total} nhiệm vụ, tương ứng tỉ lệ {progress}" in text
    for name, totals in result.by_group.items():
        assert f"{totals.completed} nhiệm vụ thuộc nhóm “{name}”" in text
    answered = sum(1 for u in result.heads if u.answered)
    assert f"có {answered}/{len(result.heads)} cơ quan, đơn vị đã gửi báo cáo" in text
    assert f"{result.heads_all_done}/{len(result.heads)} thủ trưởng đã thực hiện 100% nhiệm vụ cam kết" in text
    overdue = sum(1 for t in result.tasks if t.overdue)
    assert f"Có {overdue} nhiệm vụ đã quá thời hạn" in text
    if result.missing:
        assert f"Còn {len(result.missing)} đơn vị chưa gửi báo cáo" in text
    # every "a/b" pair quoted in the body is one reconcile produced
    pairs = {(o.completed, o.total), (o.in_progress, o.total), (answered, len(result.heads))}
    pairs |= {(u.totals.completed, u.totals.total) for u in result.units}
    bands = re.findall(r"(\d+)/(\d+) thủ trưởng", text.replace(".", ""))
    assert sum(int(a) for a, _ in bands) == len(result.heads)
    for a, b in re.findall(r"(\d+)/(\d+) (?:nhiệm vụ|cơ quan)", text.replace(".", "")):
        assert (int(a), int(b)) in pairs, (a, b)
    # the table by unit says what the per-unit figures say
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Cơ quan, đơn vị" and len(t.columns) == 8)
    by_name = {u.unit.name: u for u in result.units}
    for row in table.rows[2:]:
        cells = [c.text for c in row.cells]
        unit = by_name[cells[1]]
        assert (int(cells[2]), int(cells[3])) == (unit.totals.total, unit.totals.completed)
        assert cells[6] == format_percent(unit.totals.rate) and cells[7] == unit.rating


def test_difficulties_are_grouped_and_attributed(reported: tuple[Workspace, Any, Any]) -> None:
    _, _, doc = reported
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("II. TỒN TẠI, HẠN CHẾ")
    end = texts.index("III. KIẾN NGHỊ, ĐỀ XUẤT")
    items = [t for t in texts[start:end] if t.startswith("- ")]
    assert items and len(items) == len(set(items))
    for item in items:
        assert re.fullmatch(r"- .+ \(.+\)\.", item)


def test_a_letterhead_template_gives_its_styles_header_and_footer(bo_2022_reported: tuple[Workspace, Any],
                                                                 tmp_path: Path) -> None:
    ws, _ = bo_2022_reported
    letterhead = Document()
    letterhead.styles["Normal"].font.name = "Times New Roman"
    letterhead.styles["Normal"].font.size = Pt(13)
    letterhead.sections[0].footer.paragraphs[0].text = "Số 51 Ngô Quyền, Hoàn Kiếm, Hà Nội - ĐT: 024 3943 8231"
    letterhead.add_paragraph("Nội dung mẫu sẽ bị thay")
    path = tmp_path / "tieu-de.docx"
    letterhead.save(path)
    out = write_word(tmp_path / "bc.docx", ws.reconcile("2022-6T"), ws.master(), ws.settings, SAMPLE_TIME, path)
    doc = Document(str(out))
    assert doc.styles["Normal"].font.size == Pt(13)
    assert "Ngô Quyền" in doc.sections[0].footer.paragraphs[0].text
    assert "Nội dung mẫu sẽ bị thay" not in [p.text for p in doc.paragraphs]


def test_a_national_scale_round_tabulates_by_block_and_lists_tasks_needing_attention(
        bo_2022_reported: tuple[Workspace, Any], tmp_path: Path) -> None:
    ws, _ = bo_2022_reported
    units = tuple(Unit(f"U{i:03d}", f"Đơn vị {i}", block=f"Khối {i % 3}") for i in range(250))
    tasks = tuple(Task(f"U{i:03d}-{j}", f"U{i:03d}", f"Nhiệm vụ {j} của đơn vị {i}", deadline=dt.date(2022, 5, 31),
                       deadline_text="31/05/2022", points=10) for i in range(250) for j in range(10))
    round_ = Round("2022-6T", "6 tháng đầu năm 2022", dt.date(2022, 6, 30), dt.date(2022, 7, 5))
    accepted = {u.code: Accepted(i, u.code, "x.xlsx", dt.datetime(2022, 7, 1)) for i, u in enumerate(units[:200])}
    result = reconcile(Master(units, tasks), round_, ws.settings, [], accepted)
    doc = Document(str(write_word(tmp_path / "lon.docx", result, Master(units, tasks), ws.settings, SAMPLE_TIME)))
    block_table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Khối")
    assert len(block_table.rows) == 2 + 3
    assert len(doc.tables[-1].rows) == 2 + MAX_APPENDIX_ROWS
    assert any("Phụ lục liệt kê 2.000 trong tổng số 2.500 nhiệm vụ" in p.text for p in doc.paragraphs)


@pytest.mark.libreoffice
def test_pdf_has_the_national_title_and_the_headline_figures(bo_2022_reported: tuple[Workspace, Any],
                                                             tmp_path: Path) -> None:
    from camket.report import soffice, to_pdf

    if soffice() is None or shutil.which("pdftotext") is None:
        import os
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and poppler must be installed in CI")
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    ws, files = bo_2022_reported
    copy = tmp_path / files.word.name
    shutil.copy(files.word, copy)
    pdf = to_pdf(copy)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    result = ws.reconcile("2022-6T")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    o = result.overall
    assert f"{o.completed}/{o.total} nhiệm vụ, tương ứng tỉ lệ {format_percent(o.rate)}" in flat
    assert result.heads_sentence().replace("hoàn thành", "đã thực hiện") in flat
