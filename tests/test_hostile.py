"""Hostile and odd input: forged metadata, formula injection in every output, names of
every kind, thousands of archive members, bounded memory, XML parsers that do not expand."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from camket import Workspace
from camket.ingest import Limits
from camket.ledger import Ledger

from .conftest import SAMPLE_TIME

DATA = Path(__file__).parent / "data"
RETURNED = DATA / "returned"
RECEIVED = dt.datetime(2022, 7, 3, 9, 0)


def fixture_ws(tmp_path: Path) -> Workspace:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def test_metadata_claiming_another_unit_is_rejected_and_that_units_data_untouched(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    ws.ingest([RETURNED / "returned_clean_other_unit.xlsx"], "2022-6T", now=RECEIVED)  # VP's genuine file
    with Ledger(ws.root, create=False) as ledger:
        before = [(r.task, r.status, r.progress) for r in ledger.accepted_rows("2022-6T") if r.unit == "VP"]
    forged = ws.ingest([RETURNED / "returned_metadata_claims_other_unit.xlsx"], "2022-6T", now=RECEIVED)
    assert [o.state for o in forged.files] == ["rejected"]
    assert [f.code for f in forged.findings] == ["signature-invalid"]
    with Ledger(ws.root, create=False) as ledger:
        after = [(r.task, r.status, r.progress) for r in ledger.accepted_rows("2022-6T") if r.unit == "VP"]
        kept = [s for s in ledger.submissions("2022-6T") if s.name.endswith("claims_other_unit.xlsx")]
    assert after == before and before
    forged = (RETURNED / "returned_metadata_claims_other_unit.xlsx").read_bytes()
    assert kept and ws.archived_file(kept[0].id)[1] == forged


def test_text_from_offices_stays_text_in_every_output(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    texts = {'=HYPERLINK("http://example.com","bấm vào")', "+84 912 345 678 (gọi để biết thêm)",
             "-Đề nghị bổ sung kinh phí", "@SUM(1+1)"}
    job = ws.template_jobs("2022-6T", units=["VPC"], generated=SAMPLE_TIME)[0]
    first, second, third = sorted(texts)[:3]
    answers = {  # the injected texts, and one real problem so that a feedback workbook is made
        "VPC-01": {"status": "Đang thực hiện", "progress": 150, "result": first, "difficulties": second,
                   "proposals": third},
        "VPC-02": {"status": "Đang thực hiện", "progress": 40, "result": sorted(texts)[3]},
    }
    from dataclasses import replace as swap

    from camket.templates import write_template
    write_template(swap(job, path=tmp_path / "nhan" / "VPC.xlsx", prefill=answers))
    ws.ingest([tmp_path / "nhan"], "2022-6T", now=RECEIVED)
    files = ws.report("2022-6T", generated=SAMPLE_TIME)
    workbooks = [files.consolidated, *files.feedback]
    feedback_vpc = next(p for p in files.feedback if "_VPC_" in p.name)
    next_round = ws.templates("2022-9T", units=["VPC"], prefill_from="2022-6T", generated=SAMPLE_TIME).files[0]
    for path in [*workbooks, next_round]:
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    assert b"<f>" not in package.read(name) or b"DATE(" in package.read(name), (path, name)
        cells = [c for ws_ in openpyxl.load_workbook(path).worksheets for row in ws_.iter_rows() for c in row
                 if c.value in texts]
        assert all(c.data_type == "s" for c in cells), path
    for path in (feedback_vpc, next_round):
        found = {c.value for row in openpyxl.load_workbook(path)["Báo cáo"].iter_rows() for c in row}
        assert texts <= found, path
    doc = Document(str(files.word))
    word = "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for row in t.rows for c in row.cells])
    for text in texts:  # shown literally: in the body's lists or in the appendix
        assert text in word, text


def test_file_names_of_every_kind(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    inbox = tmp_path / "Hộp thư đến"
    long_name = "Báo cáo kết quả thực hiện nhiệm vụ trọng tâm 6 tháng đầu năm 2022 của Vụ Pháp chế " * 2
    names = [
        inbox / "Vụ Pháp chế" / "báo cáo (bản cuối).xlsx",
        inbox / "thư ngày 2" / (long_name.strip()[:200] + ".xlsx"),
        inbox / "thư ngày 3" / "báo cáo (bản cuối).xlsx",    # same name, another folder, same bytes
        inbox / "Văn phòng" / "báo cáo (bản cuối).xlsx",     # same name, another unit
    ]
    sources = [RETURNED / "returned_clean.xlsx", RETURNED / "returned_status_free_typed.xlsx",
               RETURNED / "returned_clean.xlsx", RETURNED / "returned_clean_other_unit.xlsx"]
    for i, (target, source) in enumerate(zip(names, sources, strict=True)):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        stamp = 1_656_000_000 + i * 60
        import os
        os.utime(target, (stamp, stamp))
    result = ws.ingest([inbox], "2022-6T", now=RECEIVED)
    states = {o.name: o.state for o in result.files}
    assert states["Hộp thư đến/Vụ Pháp chế/báo cáo (bản cuối).xlsx"] == "superseded"
    assert states[f"Hộp thư đến/thư ngày 2/{long_name.strip()[:200]}.xlsx"] == "accepted"
    assert states["Hộp thư đến/thư ngày 3/báo cáo (bản cuối).xlsx"] == "duplicate"
    assert states["Hộp thư đến/Văn phòng/báo cáo (bản cuối).xlsx"] == "accepted"
    exported = ws.export_archive(tmp_path / "ban-sao", "2022-6T")  # names as received, safe on every system
    assert {p.read_bytes() for p in exported} == {s.read_bytes() for s in sources}
    assert all(len(p.name) <= 120 for p in exported)


def test_an_archive_with_thousands_of_members_is_bounded(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    archive = tmp_path / "nhieu-tep.zip"
    clean = (RETURNED / "returned_clean.xlsx").read_bytes()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bao-cao.xlsx", clean)
        for i in range(3000):
            z.writestr(f"rac/{i:05d}.txt", b"")
    result = ws.ingest([archive], "2022-6T", now=RECEIVED, limits=Limits(max_members=1000))
    top = result.files[-1]
    assert top.name == "nhieu-tep.zip" and top.state == "rejected"  # not read in full: an error
    assert "archive-too-many" in {f.code for f in top.findings}
    assert len(result.files) <= 1001 + 1
    assert result.count("accepted") == 1  # the report, first in the archive


def test_memory_stays_bounded_on_a_zip_bomb(tmp_path: Path) -> None:
    """The bomb (80 MB of XML in 90 KB) is refused before parsing: the process stays small."""
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    script = textwrap.dedent(f"""
        import datetime as dt, resource
        from pathlib import Path
        from camket import Workspace
        ws = Workspace.open(Path({str(tmp_path / 'ws')!r}))
        ws.master()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        r = ws.ingest([Path({str(RETURNED / 'returned_zip_bomb.xlsx')!r})], "2022-6T", processes=1,
                      now=dt.datetime(2022, 7, 3))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(r.files[0].state, [f.code for f in r.findings], (after - before) // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "rejected" and "file-too-large" in out[1]
    assert int(out[-1]) < 40  # MiB of growth; parsing the 80 MB part would take far more


def test_xml_readers_do_not_expand_entities(tmp_path: Path) -> None:
    """openpyxl (used on no received file, but in tests and tools) runs with defusedxml."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    bomb = io.BytesIO()
    with zipfile.ZipFile(RETURNED / "returned_doctype_entities.xlsx") as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_doctype_entities.xlsx"], "2022-6T", now=RECEIVED)
    assert [f.code for f in result.findings] == ["file-unsafe-content"]


def _edited(source: str, drop: str = "", cut: str = "") -> bytes:
    """A returned workbook with one part of its package left out (``drop``) or cut in half (``cut``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(RETURNED / source) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != drop:
                dst.writestr(info.filename, data[: len(data) // 2] if info.filename == cut else data)
    return buffer.getvalue()


@pytest.mark.parametrize(("source", "drop", "cut", "expected"), [
    # Excel and LibreOffice keep texts in one shared table; without it no cell can be read
    ("returned_saved_by_libreoffice.xlsx", "xl/sharedStrings.xml", "", (
        "file-corrupt", "", "Tệp bị hỏng hoặc không đầy đủ (bảng chuỗi dùng chung (sharedStrings) bị hỏng hoặc "
                            "thiếu)")),
    # the relationships that say where each sheet is: the reader cannot tell what the file is
    ("returned_clean.xlsx", "xl/_rels/workbook.xml.rels", "", (
        "file-corrupt", "", "Tệp bị hỏng hoặc không đầy đủ (không nhận ra định dạng tệp: phần mô tả bảng tính "
                            "hoặc liên kết giữa các phần của tệp bị hỏng)")),
    ("returned_clean.xlsx", "", "xl/worksheets/sheet2.xml", (
        "file-corrupt", "Báo cáo", 'Tệp bị hỏng hoặc không đầy đủ (nội dung sheet "Báo cáo" không đúng cấu trúc XML, '
                                   "có thể do tệp bị cắt cụt)")),
    # the report sheet listed in the workbook, its content gone
    ("returned_clean.xlsx", "xl/worksheets/sheet2.xml", "", (
        "sheet-content-missing", "Báo cáo", 'Sheet "Báo cáo" có tên trong tệp nhưng nội dung của sheet không còn '
                                            "trong tệp (tệp bị hỏng khi lưu, chép hoặc sửa bằng công cụ khác)")),
])
def test_a_damaged_workbook_is_explained_in_vietnamese(tmp_path: Path, source: str, drop: str, cut: str,
                                                       expected: tuple[str, str, str]) -> None:
    """The reader's own words ("Cell string index not found in shared strings table", "Cannot
    detect file format", a bare "Báo cáo") once reached the offices as the reason."""
    ws = fixture_ws(tmp_path)
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(_edited(source, drop, cut))
    result = ws.ingest([path], "2022-6T", now=RECEIVED)
    assert [o.state for o in result.files] == ["rejected"]
    assert [(f.code, f.location.sheet, f.message) for f in result.findings] == [expected]
    if expected[0] == "sheet-content-missing":
        assert result.findings[0].advice == ('Điền lại sheet "Báo cáo" trên tệp mẫu đã nhận (hoặc một bản còn mở '
                                             "được đầy đủ) rồi gửi lại tệp đó")


def test_a_copy_of_the_report_sheet_is_named_and_the_report_sheet_alone_is_read(tmp_path: Path) -> None:
    """The office answered in "Báo cáo (2)", a copy of the report sheet; "Báo cáo" says no task
    was started. Nothing said so: the file counted as "not started"."""
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_report_sheet_copied.xlsx"], "2022-6T", now=RECEIVED)
    [copy] = result.findings
    assert (copy.code, copy.severity.value, copy.location.sheet) == ("report-sheet-copy", "warning", "Báo cáo (2)")
    assert copy.message == ('Ngoài sheet "Báo cáo", tệp còn có bảng báo cáo ở sheet "Báo cáo (2)"; camket chỉ đọc '
                            'sheet "Báo cáo", không đọc các sheet kia')
    assert copy.advice == ('Nếu sheet "Báo cáo (2)" chỉ là bản sao thì xóa đi; nếu nội dung báo cáo được điền ở đó '
                           'thì chép sang sheet "Báo cáo"; rồi gửi lại tệp')
    with Ledger(ws.root, create=False) as ledger:
        assert {r.status for r in ledger.accepted_rows("2022-6T")} == {"Chưa thực hiện"}


@pytest.mark.parametrize(("name", "read"), [("returned_clean.xlsx", []),
                                          ("returned_report_sheet_copied.xlsx", ["Báo cáo (2)"])])
def test_only_sheets_other_than_the_templates_are_looked_at_for_copies(name: str, read: list[str]) -> None:
    """An ordinary return reads no sheet more than before."""
    from camket.ingest.book import open_book
    from camket.ingest.identify import find_table, other_tables

    book = open_book((RETURNED / name).read_bytes(), Limits())
    table = find_table(book, "Báo cáo")
    assert table is not None
    seen: list[str] = []
    rows = book.rows
    book.rows = lambda sheet: (seen.append(sheet), rows(sheet))[1]  # type: ignore[method-assign]
    other_tables(book, table, name)
    assert seen == read
