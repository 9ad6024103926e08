"""Build the returned-workbook fixtures in ``tests/data/returned/`` (run by hand, output committed).

Each fixture is a template of the small fixture workspace ``tests/data/ws`` (fixed
secret, fixed generation time), filled the way an office would, then given exactly
one defect, and named for it. ``tests/test_ingest_fixtures.py`` says what ingest must
make of each one.

    python tests/data/build_fixtures.py            # needs LibreOffice for the .xls/.ods copies
    python tests/data/build_fixtures.py returned_absurd_numbers.xlsx   # rebuild these alone
    PYTHONPATH=/path/to/msoffcrypto python tests/data/build_fixtures.py   # for the encrypted one
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from docx import Document

from camket import Workspace
from camket.stamp import META_SHEET

HERE = Path(__file__).parent
WS = HERE / "ws"
OUT = HERE / "returned"
GENERATED = dt.datetime(2022, 7, 1, 8, 0, 0)
FIRST = 8  # first task row (Excel); VPC has three tasks (rows 8-10), the marker is row 11
ADDED = FIRST + 4  # first row of the "Nhiệm vụ phát sinh" block in VPC's template
COL = {"code": 2, "content": 3, "deadline": 7, "points": 8, "status": 9, "progress": 10, "date": 11,
       "result": 12, "difficulties": 13, "proposals": 14, "score": 15}


def templates(round_id: str = "2022-6T", root: Path = WS) -> dict[str, Path]:
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(root, tmp / "ws")
    result = Workspace.open(tmp / "ws").templates(round_id, generated=GENERATED)
    return {p.name.split("_")[1]: p for p in result.files}


def fill(path: Path) -> openpyxl.Workbook:
    """A clean answer: every task done on 15/06/2022 with full marks."""
    book = openpyxl.load_workbook(path)
    sheet = book["Báo cáo"]
    row = FIRST
    while sheet.cell(row, COL["code"]).value:
        sheet.cell(row, COL["status"]).value = "Hoàn thành"
        sheet.cell(row, COL["progress"]).value = 100
        sheet.cell(row, COL["date"]).value = dt.datetime(2022, 6, 15)
        sheet.cell(row, COL["result"]).value = "Đã ban hành văn bản đúng kế hoạch"
        sheet.cell(row, COL["score"]).value = sheet.cell(row, COL["points"]).value
        row += 1
    return book


def save(book: openpyxl.Workbook, name: str) -> Path:
    path = OUT / name
    book.save(path)
    return path


def edit(name: str, change: Callable[[openpyxl.worksheet.worksheet.Worksheet], None], unit: str = "VPC") -> None:
    book = fill(TEMPLATES[unit])
    change(book["Báo cáo"])
    save(book, name)


def cell(column: str, row: int = FIRST) -> str:
    return f"{openpyxl.utils.get_column_letter(COL[column])}{row}"


def setter(column: str, value: object, row: int = FIRST) -> Callable[[object], None]:
    return lambda ws: ws.__setitem__(cell(column, row), value)


def build() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    # --- clean files, and the same saved by other programs ------------------------
    save(fill(TEMPLATES["VPC"]), "returned_clean.xlsx")
    save(fill(TEMPLATES["VP"]), "returned_clean_other_unit.xlsx")
    _libreoffice_copies(OUT / "returned_clean.xlsx")
    # --- unreadable or not a workbook ---------------------------------------------
    (OUT / "returned_empty.xlsx").write_bytes(b"")
    (OUT / "returned_pdf_sent_by_mistake.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    document = Document()
    document.add_paragraph("Báo cáo kết quả thực hiện nhiệm vụ (gửi nhầm tệp Word)")
    document.save(OUT / "returned_docx_sent_by_mistake.xlsx")
    clean = (OUT / "returned_clean.xlsx").read_bytes()
    (OUT / "returned_truncated.xlsx").write_bytes(clean[: len(clean) // 2])
    (OUT / "returned_html_saved_as_xls.xls").write_text(
        "<html><body><table><tr><td>Tình trạng</td></tr></table></body></html>", encoding="utf-8")
    _encrypted(OUT / "returned_clean.xlsx", OUT / "returned_password_protected.xlsx")
    _zip_bomb(OUT / "returned_zip_bomb.xlsx")
    _doctype(clean, OUT / "returned_doctype_entities.xlsx")
    # --- identification -------------------------------------------------------------
    save(fill(templates("2022-9T")["VPC"]), "returned_other_round.xlsx")
    other = Path(tempfile.mkdtemp()) / "other"
    shutil.copytree(WS, other)
    (other / ".camket" / "secret.key").write_text("11" * 32 + "\n", encoding="ascii")
    save(fill(templates(root=other)["VPC"]), "returned_other_workspace.xlsx")
    book = fill(TEMPLATES["VPC"])
    meta = book[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "unit":
            row[1].value = "VP"
    save(book, "returned_metadata_claims_other_unit.xlsx")
    book = fill(TEMPLATES["VPC"])
    meta = book[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "signature":
            row[0].value = None
            row[1].value = None
    save(book, "returned_metadata_damaged.xlsx")
    _copied(fill(TEMPLATES["VPC"]), "returned_copied_without_metadata.xlsx", header=True)
    _copied(fill(TEMPLATES["VPC"]), "returned_copied_by_task_codes.xlsx", header=False)
    book = fill(TEMPLATES["VPC"])
    _copied(book, "returned_copied_unidentifiable.xlsx", header=False, codes=False)
    book = openpyxl.Workbook()
    book.active.append(["Danh sách cán bộ", "Chức vụ"])
    book.active.append(["Nguyễn Văn A", "Chuyên viên"])
    save(book, "returned_no_report_table.xlsx")
    edit("returned_status_column_deleted.xlsx", lambda ws: ws.delete_cols(COL["status"]))
    _report_sheet_copied()
    # --- values ---------------------------------------------------------------------
    edit("returned_status_free_typed.xlsx", setter("status", "xong"))
    edit("returned_status_typo.xlsx", setter("status", "Hoàn thàng"))
    edit("returned_status_unknown.xlsx", setter("status", "Tạm được"))
    edit("returned_status_missing.xlsx", setter("status", None))
    edit("returned_progress_as_text.xlsx", setter("progress", "100 %"))
    edit("returned_progress_fraction.xlsx", lambda ws: (setter("status", "Đang thực hiện")(ws),
                                                       setter("date", None)(ws), setter("progress", 0.8)(ws)))
    edit("returned_progress_150.xlsx", setter("progress", 150))
    edit("returned_progress_words.xlsx", setter("progress", "tám mươi"))
    edit("returned_progress_decimal_comma.xlsx", lambda ws: (setter("status", "Đang thực hiện")(ws),
                                                            setter("date", None)(ws),
                                                            setter("progress", "66,5")(ws)))
    edit("returned_date_as_text.xlsx", setter("date", "15/06/2022"))
    edit("returned_date_dashes.xlsx", setter("date", "15-06-2022"))
    def serial(ws: object) -> None:  # a serial number in a cell re-formatted as General
        target = ws[cell("date")]  # type: ignore[index]
        target.value, target.number_format = 44727, "General"
    edit("returned_date_serial_number.xlsx", serial)
    edit("returned_date_31_02.xlsx", setter("date", "31/02/2022"))
    edit("returned_date_in_future.xlsx", setter("date", dt.datetime(2022, 7, 4)))
    edit("returned_date_before_programme.xlsx", setter("date", dt.datetime(2021, 12, 20)))
    edit("returned_done_without_date.xlsx", setter("date", None))
    edit("returned_done_progress_60.xlsx", setter("progress", 60))
    edit("returned_progress_100_in_progress.xlsx", lambda ws: (setter("status", "Đang thực hiện")(ws),
                                                              setter("date", None)(ws)))
    edit("returned_date_without_done.xlsx", lambda ws: (setter("status", "Đang thực hiện")(ws),
                                                       setter("progress", 50)(ws)))
    edit("returned_not_done_without_reason.xlsx", lambda ws: (
        setter("status", "Không thực hiện")(ws), setter("progress", 0)(ws), setter("date", None)(ws),
        setter("result", None)(ws)))
    edit("returned_score_above_points.xlsx", setter("score", 75))
    edit("returned_score_words.xlsx", setter("score", "đủ điểm"))
    edit("returned_score_decimal_comma.xlsx", setter("score", "45,5"))
    edit("returned_score_partly_missing.xlsx", lambda ws: (setter("score", None)(ws),
                                                          setter("score", None, FIRST + 1)(ws)))
    edit("returned_not_self_scored.xlsx", lambda ws: [setter("score", None, FIRST + i)(ws) for i in range(3)])
    edit("returned_tcvn3_text.xlsx", setter("difficulties", "Khã kh¨n vÒ kinh phÝ thùc hiÖn"))
    edit("returned_legacy_garbage.xlsx", setter("difficulties", "Kh¨n µ¸ ¶·¹ xyz¸"))
    import unicodedata
    edit("returned_decomposed_unicode.xlsx",
         setter("result", unicodedata.normalize("NFD", "Đã hoàn thành việc rà soát")))
    edit("returned_formula_injection.xlsx", _injections)
    # --- rows -------------------------------------------------------------------------
    edit("returned_locked_text_edited.xlsx", setter("content", "Rà soát một phần văn bản"))
    edit("returned_locked_deadline_edited.xlsx", setter("deadline", dt.datetime(2022, 12, 31)))
    edit("returned_task_row_deleted.xlsx", lambda ws: ws.delete_rows(FIRST + 1))
    edit("returned_task_row_duplicated.xlsx", lambda ws: [
        ws.cell(FIRST + 2, c).__setattr__("value", ws.cell(FIRST, c).value) for c in range(2, 16)])
    edit("returned_task_of_other_unit.xlsx", setter("code", "VP-01", FIRST + 2))
    edit("returned_unknown_task_code.xlsx", lambda ws: (
        setter("code", "VPC-99", FIRST + 2)(ws), setter("content", "Nhiệm vụ ghi thêm không có mã", FIRST + 2)(ws),
        setter("status", "Đang thực hiện", FIRST + 2)(ws)))
    edit("returned_task_code_blanked.xlsx", setter("code", None))
    edit("returned_added_task.xlsx", lambda ws: (
        setter("content", "Tổ chức Hội thảo chuyên đề về pháp luật quảng cáo", ADDED)(ws),
        setter("status", "Hoàn thành", ADDED)(ws), setter("date", dt.datetime(2022, 5, 20), ADDED)(ws),
        setter("progress", 100, ADDED)(ws)))
    edit("returned_added_without_content.xlsx", lambda ws: setter("status", "Đang thực hiện", ADDED)(ws))
    edit("returned_row_not_filled.xlsx", lambda ws: [
        ws.cell(FIRST, COL[c]).__setattr__("value", None)
        for c in ("status", "progress", "date", "result", "score")])
    edit("returned_table_moved_down.xlsx", lambda ws: ws.insert_rows(3, 2))
    edit("returned_rows_reordered.xlsx", _swap_rows)
    _stray_values_below_table()
    _robustness()
    # --- archives ---------------------------------------------------------------------
    _archives()
    _archive_members()


def _report_sheet_copied() -> None:
    """The report sheet copied (Excel names the copy "Báo cáo (2)") and answered in the copy: the
    template's own sheet says no task was started."""
    book = openpyxl.load_workbook(OUT / "returned_clean.xlsx")
    book.copy_worksheet(book["Báo cáo"]).title = "Báo cáo (2)"
    sheet = book["Báo cáo"]
    for row in range(FIRST, FIRST + 3):
        for column, value in (("status", "Chưa thực hiện"), ("progress", 0), ("date", None), ("result", None),
                              ("score", 0)):
            sheet.cell(row, COL[column]).value = value
    save(book, "returned_report_sheet_copied.xlsx")


INJECTIONS = {  # text an office may type that a spreadsheet would run if written as a formula
    ("result", FIRST): '=HYPERLINK("http://example.com","bấm vào")',
    ("difficulties", FIRST): "+84 912 345 678 (gọi để biết thêm)",
    ("proposals", FIRST): "-Đề nghị bổ sung kinh phí",
    ("result", FIRST + 1): "@SUM(1+1)",
}


def _injections(ws: object) -> None:
    for (column, row), text in INJECTIONS.items():
        target = ws[cell(column, row)]  # type: ignore[index]
        target.value = text
        target.data_type = "s"  # text, as typed after an apostrophe or into a text cell


def _swap_rows(ws: object) -> None:
    for c in range(1, 16):
        a, b = ws.cell(FIRST, c), ws.cell(FIRST + 1, c)  # type: ignore[attr-defined]
        a.value, b.value = b.value, a.value


def _copied(book: openpyxl.Workbook, name: str, header: bool, codes: bool = True) -> None:
    """The table pasted into a new workbook: no metadata, no protection."""
    source = book["Báo cáo"]
    new = openpyxl.Workbook()
    sheet = new.active
    sheet.title = "Sheet1"
    for r, row in enumerate(source.iter_rows(values_only=True), start=1):
        if not header and r < 7:
            continue
        values = list(row)
        if not codes:
            values[1] = None
        sheet.append(values)
    save(new, name)


def _stray_values_below_table() -> None:
    book = fill(TEMPLATES["VPC"])
    sheet = book["Báo cáo"]
    for i in range(40, 20_041):  # thousands of stray rows pasted below the report table
        sheet.cell(i, 16).value = i
    save(book, "returned_stray_values_below_table.xlsx")


def _edit_sheet(source: bytes, change: Callable[[str], str], sheet: str = "Báo cáo",
                part: str | None = None) -> bytes:
    """``source`` with the XML of one sheet (or of ``part``) changed as text."""
    from camket.ingest.package import package_of

    found = package_of(source)
    assert found is not None
    target = part or found.sheet_parts()[sheet]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == target:
                data = change(data.decode("utf-8")).encode("utf-8")
            z.writestr(info.filename, data)
    return buffer.getvalue()


def _append_rows(xml: str) -> Callable[[str], str]:
    return lambda sheet: sheet.replace("</sheetData>", xml + "</sheetData>")


def _set_cell(ref: str, cell: str) -> Callable[[str], str]:
    """Replace the whole element of cell ``ref`` (keeping nothing of it) with ``cell``."""
    import re

    return lambda sheet: re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, sheet, count=1, flags=re.S)


def _set_values(values: dict[str, str]) -> Callable[[str], str]:
    """Give cells new raw <v> texts, keeping their style (a date cell stays a date cell)."""
    import re

    def change(sheet: str) -> str:
        for ref, value in values.items():
            sheet = re.sub(rf'(<c r="{ref}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value}</v>", sheet, count=1)
        return sheet
    return change


def _chain(*changes: Callable[[str], str]) -> Callable[[str], str]:
    def change(sheet: str) -> str:
        for step in changes:
            sheet = step(sheet)
        return sheet
    return change


def _robustness() -> None:
    """Files that once cost gigabytes, aborted the process, or lost a whole file for one cell."""
    clean = (OUT / "returned_clean.xlsx").read_bytes()
    far = '<row r="5000"><c r="XFD5000" t="inlineStr"><is><t>x</t></is></c></row>'
    (OUT / "returned_stray_cell_far_right.xlsx").write_bytes(_edit_sheet(clean, _append_rows(far)))
    implicit = '<row r="5000">' + "<c/>" * 16_383 + '<c t="inlineStr"><is><t>x</t></is></c></row>'
    (OUT / "returned_stray_cell_without_reference.xlsx").write_bytes(_edit_sheet(clean, _append_rows(implicit)))
    for name, row in (("far_away", '<row r="65536"><c r="IV65536"><v>7</v></c></row>'),
                      ("far_below", '<row r="30000"><c r="A30000"><v>7</v></c></row>')):
        source = Path(tempfile.mkdtemp()) / f"returned_stray_cell_{name}.xlsx"
        source.write_bytes(_edit_sheet(clean, _append_rows(row)))
        _converted(source, ("xls", "ods") if name == "far_away" else ("ods",))
    _sheet_elsewhere(_edit_sheet(clean, _append_rows(far)))
    _lying_dimensions()
    text = {"L8": "Đã ban hành văn bản_x000B_Kế hoạch số 12/KH-VPC", "M8": "Thiếu kinh phí_x0000_",
            "N8": "Đề nghị bổ sung&#x2028;(xem phụ lục)&#x202E;"}
    cells = _chain(*(_set_cell(ref, f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
                     for ref, value in text.items()))
    (OUT / "returned_text_with_control_characters.xlsx").write_bytes(_edit_sheet(clean, cells))
    numbers = _set_values({"K8": "-INF", "O8": "1E+29", "J9": "NaN", "K10": "NaN"})
    (OUT / "returned_absurd_numbers.xlsx").write_bytes(_edit_sheet(clean, numbers))
    as_text = _chain(*(_set_cell(ref, f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
                       for ref, value in {"O8": "1E+29", "J8": "-INF", "K9": "NaN"}.items()))
    (OUT / "returned_absurd_numbers_as_text.xlsx").write_bytes(_edit_sheet(clean, as_text))
    padding = "<!--" + "đệm " * 3000 + "-->"
    doctype = '<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    (OUT / "returned_doctype_after_padding.xlsx").write_bytes(_edit_sheet(
        clean, lambda xml: xml.replace("<workbook", padding + doctype + "<workbook", 1), part="xl/workbook.xml"))


def _sheet_elsewhere(source: bytes) -> None:
    """The report sheet's part moved out of xl/worksheets/, where its relationship still finds it."""
    from camket.ingest.package import package_of

    found = package_of(source)
    assert found is not None
    old = found.sheet_parts()["Báo cáo"]
    new = "xl/du-lieu/bao-cao.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                target = "/" + new if info.filename.startswith("[") else new.removeprefix("xl/")
                data = data.replace(("/" + old if info.filename.startswith("[") else old.removeprefix("xl/")).encode(),
                                    target.encode())
            z.writestr(new if info.filename == old else info.filename, data)
    (OUT / "returned_stray_cell_sheet_elsewhere.xlsx").write_bytes(buffer.getvalue())


def _lying_dimensions() -> None:
    """An .xls whose DIMENSIONS record claims two billion rows: calamine reserved them and the
    whole process was aborted (not even an exception)."""
    import struct

    from camket.ingest.biff import workbook_stream

    data = bytearray((OUT / "returned_saved_by_libreoffice.xls").read_bytes())
    stream = workbook_stream(bytes(data))
    records, pos = [], 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        if kind == 0x0200:
            records.append(stream[pos:pos + 4 + length])
        pos += 4 + length
    record = records[1]  # the report sheet's (the second sheet)
    assert data.count(record) == 1
    at = data.find(record)
    data[at:at + len(record)] = record[:4] + struct.pack("<IIHH", 0, 0x7FFFFFF0, 0, 15) + record[16:]
    (OUT / "returned_xls_claims_billions_of_cells.xls").write_bytes(bytes(data))


def _encrypted(source: Path, target: Path) -> None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool not found: keeping the existing encrypted fixture", file=sys.stderr)
        return
    with source.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt("matkhau", out)


def _zip_bomb(target: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z, \
            zipfile.ZipFile(OUT / "returned_clean.xlsx") as clean:
        for info in clean.infolist():
            z.writestr(info.filename, clean.read(info.filename))
        z.writestr("xl/media/image1.xml", b"<a>" + b"0" * (80 * 2**20) + b"</a>")
    target.write_bytes(buffer.getvalue())


def _doctype(clean: bytes, target: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(clean)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[-1] if data.startswith(b"<?xml") else data
                data = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c SYSTEM "file:///etc/passwd">]>'
                        + body)
            z.writestr(info, data)
    target.write_bytes(buffer.getvalue())


def _archives() -> None:
    clean = (OUT / "returned_clean.xlsx").read_bytes()
    other = (OUT / "returned_clean_other_unit.xlsx").read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("VP/bao-cao-VP.xlsx", other)
    with zipfile.ZipFile(OUT / "returned_archive_nested.zip", "w") as z:
        z.writestr("Vụ Pháp chế/báo cáo 6 tháng.xlsx", clean)
        z.writestr("thu-ky/dot-2.zip", inner.getvalue())
    with zipfile.ZipFile(OUT / "returned_archive_corrupt.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bao-cao-VPC.xlsx", clean)
        z.writestr("bao-cao-VP.xlsx", other)
    whole = (OUT / "returned_archive_corrupt.zip").read_bytes()
    (OUT / "returned_archive_corrupt.zip").write_bytes(whole[: len(whole) // 2])
    with zipfile.ZipFile(OUT / "returned_archive_path_traversal.zip", "w") as z:
        z.writestr("../../../etc/bao-cao.xlsx", clean)
        z.writestr("/tmp/tuyet-doi.xlsx", other)
    with zipfile.ZipFile(OUT / "returned_archive_symlink.zip", "w") as z:
        link = zipfile.ZipInfo("bao-cao.xlsx")
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
        z.writestr("that.xlsx", clean)
    data = clean
    for level in range(4):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr(f"cap-{level}.zip" if level else "bao-cao.xlsx", data)
        data = buffer.getvalue()
    (OUT / "returned_archive_too_deep.zip").write_bytes(data)


def _archive_members() -> None:
    """Members that cannot be read (an error naming them), one that can (LZMA), and names
    written in the code page of a Vietnamese Windows."""
    import struct

    clean = (OUT / "returned_clean.xlsx").read_bytes()
    with zipfile.ZipFile(OUT / "returned_archive_member_lzma.zip", "w", zipfile.ZIP_LZMA) as z:
        z.writestr("bao-cao-VPC.xlsx", clean)
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_STORED) as z:
        z.writestr("bao-cao-VPC.xlsx", clean)
    damaged = bytearray(whole.getvalue())
    damaged[len(damaged) // 3] ^= 0xFF  # inside the stored member: its CRC no longer matches
    (OUT / "returned_archive_member_bad_crc.zip").write_bytes(bytes(damaged))
    deflate64 = bytearray(whole.getvalue())
    central = deflate64.rfind(b"PK\x01\x02")  # the archive's own (the member is a zip package too)
    for at in (8, central + 10):  # the method field of the local and the central header
        deflate64[at:at + 2] = struct.pack("<H", 9)
    (OUT / "returned_archive_member_deflate64.zip").write_bytes(bytes(deflate64))
    zip_tool = shutil.which("zip")
    if zip_tool is None:
        print("zip not found: keeping the existing password-protected archive", file=sys.stderr)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "bao-cao-VPC.xlsx").write_bytes(clean)
            target = OUT / "returned_archive_member_encrypted.zip"
            target.unlink(missing_ok=True)
            subprocess.run([zip_tool, "-q", "-P", "matkhau", str(target), "bao-cao-VPC.xlsx"], cwd=tmp, check=True)
    raw = _cp1258(ARCHIVE_NAME_CP1258)
    placeholder = b"N" * len(raw)  # zipfile would write a non-ASCII name as flagged UTF-8: patch the bytes in
    named = io.BytesIO()
    with zipfile.ZipFile(named, "w") as z:
        z.writestr(placeholder.decode("ascii"), clean)
    (OUT / "returned_archive_names_cp1258.zip").write_bytes(named.getvalue().replace(placeholder, raw))
    _archive_name_not_utf8()


def _cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese in CP1258: vowels with their hats, tone marks apart."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
                   + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _archive_name_not_utf8() -> None:
    """A tool that writes a name in the system's code page and flags it as UTF-8 all the same."""
    import struct

    clean = (OUT / "returned_clean.xlsx").read_bytes()
    raw = _cp1258(ARCHIVE_NAME_NOT_UTF8)
    placeholder = b"N" * len(raw)
    named = io.BytesIO()
    with zipfile.ZipFile(named, "w") as z:
        z.writestr("bao-cao-VPC.xlsx", clean)
        z.writestr(placeholder.decode("ascii"), (OUT / "returned_clean_other_unit.xlsx").read_bytes())
    flagged = bytearray(named.getvalue())
    local = flagged.find(placeholder) - 30
    central = flagged.find(placeholder, local + 31) - 46
    for flags in (local + 6, central + 8):  # the general purpose flags of both headers: bit 11, UTF-8 name
        flagged[flags:flags + 2] = struct.pack("<H", 0x800)
    (OUT / "returned_archive_name_not_utf8.zip").write_bytes(bytes(flagged).replace(placeholder, raw))


ARCHIVE_NAME_CP1258 = "Vụ Pháp chế/Báo cáo 6 tháng đầu năm.xlsx"
ARCHIVE_NAME_NOT_UTF8 = "Báo cáo Văn phòng.xlsx"


def _converted(source: Path, formats: tuple[str, ...]) -> None:
    """``source`` converted by LibreOffice to each of ``formats``, into OUT under its own name."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"soffice not found: keeping the existing copies of {source.name}", file=sys.stderr)
        return
    for kind in formats:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/p", "--headless", "--convert-to",
                            kind, "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
            shutil.copy(Path(tmp) / f"{source.stem}.{kind}", OUT / f"{source.stem}.{kind}")


def _libreoffice_copies(source: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: keeping the existing .xls/.ods fixtures", file=sys.stderr)
        return
    for target, name in (("xls:MS Excel 97", "returned_saved_by_libreoffice.xls"),
                         ("ods", "returned_saved_by_libreoffice.ods"),
                         ("xlsx:Calc MS Excel 2007 XML", "returned_saved_by_libreoffice.xlsx")):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/p", "--headless", "--convert-to",
                            target, "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
            produced = next(p for p in Path(tmp).iterdir() if p.is_file() and p.suffix in (".xls", ".ods", ".xlsx"))
            shutil.copy(produced, OUT / name)


if __name__ == "__main__":
    TEMPLATES = templates()
    wanted = set(sys.argv[1:])  # names of fixtures to rebuild alone (the others are left as committed)
    if not wanted:
        build()
        print(f"{len(list(OUT.iterdir()))} fixtures in {OUT}")
    else:
        committed, OUT = OUT, Path(tempfile.mkdtemp()) / "returned"
        build()
        for name in sorted(wanted):
            shutil.copy(OUT / name, committed / name)
            print(f"rebuilt {committed / name}")
