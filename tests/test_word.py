"""The Word report: Decree 30/2020 layout, and every figure it quotes equals reconcile's."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import replace
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
    body = next(p for p in doc.paragraphs if p.text.startswith("Trong tổng số"))
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
    assert [p.text for p in signer[:2]] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"] == list(ws.settings.signer.lines)
    assert runs_of(signer[0])[0].bold
    listed = " ".join(p.text for p in items)
    assert "Bộ trưởng (để b/c)" in listed  # the Minister, for whom the Deputy signs, is informed
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


def test_every_figure_in_the_text_equals_a_recount(reported: tuple[Workspace, Any, Any]) -> None:
    """An interim round is reported against the tasks due by its date, the year's figure after."""
    ws, _, doc = reported
    result = ws.reconcile("2022-6T")
    as_of = result.round.as_of
    # recounted here from the task list: due = a deadline on or before as_of
    due = [t for t in result.tasks if t.task.deadline is not None and t.task.deadline <= as_of]
    due_done = sum(1 for t in due if t.derived.value.startswith("Hoàn thành"))
    done = sum(1 for t in result.tasks if t.derived.value.startswith("Hoàn thành"))
    total = len(result.tasks)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (f"có {len(due)} nhiệm vụ có thời hạn hoàn thành đến ngày 30/6/2022. Số nhiệm vụ đến hạn đã hoàn thành "
            f"là {due_done}/{len(due)} nhiệm vụ, đạt tỉ lệ {format_percent(percent(due_done, len(due)))}") in text
    assert (f"lũy kế đến ngày 30/6/2022, đã hoàn thành {done}/{total} nhiệm vụ của cả năm, đạt tỉ lệ "
            f"{format_percent(percent(done, total))}") in text
    early = sum(1 for t in result.tasks if t.derived.value.startswith("Hoàn thành") and t not in due)
    assert f"Đối với {total - len(due)} nhiệm vụ chưa đến hạn" in text
    assert f"{early} nhiệm vụ đã hoàn thành trước thời hạn" in text
    answered = [u for u in result.heads if u.submission is not None]
    assert f"đã nhận được báo cáo của {len(answered)}/{len(result.heads)} cơ quan, đơn vị" in text
    assert "Hạn gửi báo cáo kỳ 6 tháng đầu năm 2022 là ngày 05/7/2022." in text
    # heads: 100% of their tasks due, named; the table and the chart referred to
    full = [u for u in answered if (mine := [t for t in due if t.task.unit == u.unit.code])
            and all(t.derived.value.startswith("Hoàn thành") for t in mine)]
    heads = next(p.text for p in doc.paragraphs if p.text.startswith("Tính trên các nhiệm vụ đến hạn"))
    assert f"thủ trưởng {len(full)}/{len(result.heads)} cơ quan, đơn vị hoàn thành 100% nhiệm vụ đến hạn: " in heads
    assert all(u.unit.name in heads for u in full)
    assert "Bảng 1 và Hình 2" in heads and "Phụ lục kèm theo Báo cáo này" in text and "tại Hình 1" in text
    overdue = sum(1 for t in result.tasks if t.overdue)
    assert (f"có {overdue} nhiệm vụ đã quá thời hạn" in text) if overdue else \
        "không có nhiệm vụ quá hạn chưa hoàn thành" in text
    for missing in result.missing:
        assert missing.unit.name in text
    # Bảng 1 sits under heading 3 and says what the per-unit figures say; "–" for no report
    texts = [p.text for p in doc.paragraphs]
    caption = next(i for i, t in enumerate(texts) if t.startswith("Bảng 1."))
    section = max(i for i, t in enumerate(texts[:caption]) if re.match(r"^\d\. ", t))
    assert texts[section].startswith("3. Kết quả thực hiện của thủ trưởng")
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Cơ quan, đơn vị" and len(t.columns) == 9)
    assert [c.text for c in table.rows[0].cells][5] == "Trong đó quá hạn"
    by_name = {u.unit.name: u for u in result.units}
    for row in table.rows[2:]:
        cells = [c.text for c in row.cells]
        unit = by_name[cells[1]]
        mine = [t for t in due if t.task.unit == unit.unit.code]
        mine_done = sum(1 for t in mine if t.derived.value.startswith("Hoàn thành"))
        assert (int(cells[2]), int(cells[3])) == (unit.totals.total, len(mine))
        if unit.submission is None:
            assert cells[4:8] == ["–"] * 4 and cells[8] == "–"
        elif mine:
            assert (int(cells[4]), cells[6]) == (mine_done, format_percent(percent(mine_done, len(mine))))
    assert not any("Không hoàn thành nhiệm vụ" in c.text for row in table.rows for c in row.cells)


def test_a_unit_whose_file_was_unreadable_is_asked_to_resend(bo_2022_reported: tuple[Workspace, Any],
                                                             tmp_path: Path) -> None:
    ws, _ = bo_2022_reported
    result = replace(ws.reconcile("2022-6T"), rejected={u.unit.code: 1 for u in ws.reconcile("2022-6T").missing[:1]})
    unreadable = result.missing[0].unit.name
    doc = Document(str(write_word(tmp_path / "bc.docx", result, ws.master(), ws.settings, SAMPLE_TIME)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"tệp không đọc được, phải gửi lại: {unreadable}." in text
    never = next(p.text for p in doc.paragraphs if p.text.startswith("Còn ") and "chưa gửi báo cáo" in p.text)
    assert unreadable not in never.split("Ngoài ra")[0]


def test_layout_keeps_headings_rows_and_language(reported: tuple[Workspace, Any, Any]) -> None:
    _, _, doc = reported
    headings = [p for p in doc.paragraphs if re.match(r"^(I|II|III|IV)\. |^\d\. ", p.text)]
    assert len(headings) >= 8 and all(p.paragraph_format.keep_with_next for p in headings)
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in [p.text for p in headings]
    captions = [p for p in doc.paragraphs if p.text.startswith("Bảng 1.")]
    assert captions and all(p.paragraph_format.keep_with_next for p in captions)
    for table in doc.tables[1:]:
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    langs = {e.get(qn("w:val")) for e in defaults.iter(qn("w:lang"))}
    langs |= {e.get(qn("w:val")) for e in doc.styles["Normal"].element.iter(qn("w:lang"))}
    assert langs == {"vi-VN"}
    rules = [p for p in doc.paragraphs + [q for t in doc.tables for c in t.rows[0].cells for q in c.paragraphs]
             if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]
    assert rules and all(p.paragraph_format.space_before >= Pt(6) for p in rules)  # clear of descenders


def test_difficulties_are_grouped_and_attributed(reported: tuple[Workspace, Any, Any]) -> None:
    ws, _, doc = reported
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("II. TỒN TẠI, HẠN CHẾ")
    end = texts.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    items = [t for t in texts[start:end] if t.startswith("- ")]
    assert items and len(items) == len(set(items))
    names = {u.name for u in ws.master().units}
    for item in items:
        assert re.fullmatch(r"- .+ \(.+\)[.;]", item)
        units = item[item.rindex("(") + 1:-2].split("; ")  # names hold commas: semicolons between them
        assert set(units) <= names, units
    assert items[-1].endswith(".") and all(i.endswith(";") for i in items[:-1])


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
    assert f"đã hoàn thành {o.completed}/{o.total} nhiệm vụ của cả năm, đạt tỉ lệ {format_percent(o.rate)}" in flat
    assert "Bảng 1. Kết quả thực hiện nhiệm vụ của thủ trưởng" in flat
