"""No single file can sink a batch: far stray cells, lying size records, absurd numbers,
control and invisible characters, unreadable archive members and names in old code pages or
no code page at all each become a finding at their cell or member (or a readable name), in
bounded memory, while the other files of the run count.
(The fixtures are in ``tests/data/returned/``; ``test_ingest_fixtures.py`` lists what each
one yields.)"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine
from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.ingest.collect import member_name, received_name
from camket.ingest.extent import Window, quick, xlsx_extent
from camket.ingest.mail import clean_name
from camket.ingest.package import open_archive
from camket.ledger import Ledger

DATA = Path(__file__).parent / "data"
RETURNED = DATA / "returned"
RECEIVED = dt.datetime(2022, 7, 3, 9, 0)
HOSTILE = ["returned_stray_cell_far_right.xlsx", "returned_stray_cell_without_reference.xlsx",
           "returned_stray_cell_far_away.xls", "returned_stray_cell_far_away.ods",
           "returned_xls_claims_billions_of_cells.xls", "returned_absurd_numbers.xlsx"]


def fixture_ws(tmp_path: Path) -> Workspace:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def test_hostile_files_in_a_batch_cost_little_memory_and_the_good_files_count(tmp_path: Path) -> None:
    """Before, the 13 KB stray-cell file alone took 2,5 GB and the lying .xls aborted the process:
    every file of the run was lost. Now each is a finding and the clean answers are accepted."""
    fixture_ws(tmp_path)
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    for name in ("returned_clean.xlsx", "returned_clean_other_unit.xlsx", *HOSTILE):
        shutil.copy(RETURNED / name, inbox / name)
    script = textwrap.dedent(f"""
        import datetime as dt, json, resource
        from pathlib import Path
        from camket import Workspace
        ws = Workspace.open(Path({str(tmp_path / 'ws')!r}))
        result = ws.ingest([Path({str(inbox)!r})], "2022-6T", processes=1, now=dt.datetime(2022, 7, 3))
        states = {{o.name.rsplit("/", 1)[-1]: o.state for o in result.files}}
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process's own peak, MiB
        print(json.dumps({{"states": states, "peak": peak}}))
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    said = f"stdout: {child.stdout[-1500:]}\nstderr: {child.stderr[-1500:]}"
    assert child.returncode == 0, said
    answer = json.loads(child.stdout.splitlines()[-1])
    states = answer["states"]
    assert len(states) == 2 + len(HOSTILE), said  # every file recorded
    assert states["returned_clean_other_unit.xlsx"] == "accepted", said
    counted = {"returned_clean.xlsx", "returned_stray_cell_far_right.xlsx", "returned_absurd_numbers.xlsx",
               "returned_stray_cell_without_reference.xlsx"}  # all VPC's: the last one received stands
    assert {states[name] for name in counted} == {"accepted", "superseded"}, said
    assert {name for name, state in states.items() if state == "rejected"} == {
        "returned_stray_cell_far_away.xls", "returned_stray_cell_far_away.ods",
        "returned_xls_claims_billions_of_cells.xls"}, said
    assert answer["peak"] < 300, said  # the goal for any single returned file, met here by a whole batch


def test_a_far_stray_cell_is_left_out_and_the_table_read_as_usual(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    clean = ws.ingest([RETURNED / "returned_clean.xlsx"], "2022-6T", now=RECEIVED, dry_run=True)
    stray = ws.ingest([RETURNED / "returned_stray_cell_far_right.xlsx"], "2022-6T", now=RECEIVED)
    [finding] = stray.findings
    assert (finding.location.sheet, finding.location.cell) == ("Báo cáo", "XFD5000")
    assert finding.message == ('Sheet "Báo cáo" có 1 ô có dữ liệu nằm ngoài vùng A1:BL20000 của bảng báo cáo, '
                               "đầu tiên là ô XFD5000; camket đã bỏ qua các ô này")
    assert clean.count("accepted") == stray.count("accepted") == 1
    with Ledger(ws.root, create=False) as ledger:
        rows = [(r.task, r.status, r.progress, r.completed_on, r.self_score) for r in ledger.accepted_rows("2022-6T")]
    assert rows == [(f"VPC-0{i}", "Hoàn thành", 100.0, dt.date(2022, 6, 15), s) for i, s in ((1, 50.0), (2, 30.0),
                                                                                             (3, 20.0))]


def _with_part(source: Path, part: str, change: Callable[[str], str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info.filename, change(data.decode()).encode() if info.filename == part else data)
    return buffer.getvalue()


def test_one_long_text_shown_by_thousands_of_cells_is_refused_before_it_is_copied(tmp_path: Path) -> None:
    """A shared string of 100 KB shown by 20,000 cells: a 300 KB file the reader would turn into
    2 GB of copies. Refused as too large, in little memory."""
    ws = fixture_ws(tmp_path)
    long = "Nội dung lặp " * 8_000
    cells = "".join(f'<row r="{r}"><c r="P{r}" t="s"><v>0</v></c></row>' for r in range(40, 20_040))
    bomb = _with_part(RETURNED / "returned_clean.xlsx", "xl/worksheets/sheet2.xml",
                      lambda xml: xml.replace("</sheetData>", cells + "</sheetData>"))
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
              f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{long}</t></si></sst>')
    path = tmp_path / "bom-chuoi-dung-chung.xlsx"
    with zipfile.ZipFile(io.BytesIO(bomb)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        out.writestr("xl/sharedStrings.xml", shared)
    assert path.stat().st_size < 400_000
    result = ws.ingest([path], "2022-6T", now=RECEIVED)
    assert [(o.state, [(f.code, f.location.sheet) for f in o.findings]) for o in result.files] == [
        ("rejected", [("file-too-large", "Báo cáo")])]
    assert result.findings[0].message.startswith("Tệp vượt giới hạn cho phép: các sheet có 20.191 ô dữ liệu, "
                                                 "khoảng 2.730 triệu ký tự")


def test_a_long_text_repeated_over_an_ods_sheet_is_refused(tmp_path: Path) -> None:
    """OpenDocument repeats a cell with one attribute; the reader copies it for every cell."""
    ws = fixture_ws(tmp_path)
    long = "x" * 100_000
    row = (f'<table:table-row table:number-rows-repeated="1000"><table:table-cell '
           f'table:number-columns-repeated="30" office:value-type="string"><text:p>{long}</text:p>'
           "</table:table-cell></table:table-row>")
    bomb = _with_part(RETURNED / "returned_saved_by_libreoffice.ods", "content.xml",
                      lambda xml: xml.replace("<table:table-row", row + "<table:table-row", 1))
    path = tmp_path / "bom-lap-o.ods"
    path.write_bytes(bomb)
    result = ws.ingest([path], "2022-6T", now=RECEIVED)
    assert [(o.state, [f.code for f in o.findings]) for o in result.files] == [("rejected", ["file-too-large"])]


def test_an_ods_sheet_with_a_value_far_below_is_read_within_the_window(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_stray_cell_far_below.ods"], "2022-6T", now=RECEIVED)
    assert [(o.state, [f.location.cell for f in o.findings]) for o in result.files] == [("accepted", ["A30000"])]
    with Ledger(ws.root, create=False) as ledger:
        assert len(ledger.accepted_rows("2022-6T")) == 3


def test_absurd_numbers_are_findings_at_their_cells_and_the_rest_of_the_file_counts(tmp_path: Path) -> None:
    """-INF in a date cell made the reader panic: the whole file was lost with a Python message."""
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_absurd_numbers.xlsx"], "2022-6T", now=RECEIVED)
    messages = {f.location.cell: f.message for f in result.findings}
    assert messages == {"K8": '"-INF" không phải ngày hợp lệ (ngày/tháng/năm)',
                        "O8": '"1E+29" không phải điểm hợp lệ',
                        "J9": '"NaN" không phải tiến độ hợp lệ',
                        "K10": '"NaN" không phải ngày hợp lệ (ngày/tháng/năm)'}
    with Ledger(ws.root, create=False) as ledger:
        rows = {r.task: r for r in ledger.accepted_rows("2022-6T")}
    assert (rows["VPC-01"].completed_on, rows["VPC-01"].self_score, rows["VPC-01"].raw["self_score"]) == \
        (None, None, ["O8", "1E+29"])
    assert (rows["VPC-02"].progress, rows["VPC-02"].self_score, rows["VPC-03"].progress) == (None, 30.0, 100.0)


def test_control_characters_are_cleaned_with_the_raw_value_kept(tmp_path: Path) -> None:
    """A Word line break pasted into a cell (stored as _x000B_) once crashed the Word report."""
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_text_with_control_characters.xlsx"], "2022-6T", now=RECEIVED)
    chars = {f.location.cell: f.message.split("(", 1)[1].split(")", 1)[0] for f in result.findings}
    assert chars == {"L8": "U+000B (ngắt dòng của Word", "M8": "U+0000 (ký tự rỗng NUL",
                     "N8": "U+2028, U+202E"}
    assert {f.severity.value for f in result.findings} == {"info"}
    with Ledger(ws.root, create=False) as ledger:
        row = next(r for r in ledger.accepted_rows("2022-6T") if r.task == "VPC-01")
    assert (row.result, row.difficulties, row.proposals) == (
        "Đã ban hành văn bản\nKế hoạch số 12/KH-VPC", "Thiếu kinh phí", "Đề nghị bổ sung\n(xem phụ lục)")
    assert row.raw["result"] == ["L8", "Đã ban hành văn bản\x0bKế hoạch số 12/KH-VPC"]
    assert row.raw["difficulties"][1].endswith("\x00")
    files = ws.report("2022-6T", generated=RECEIVED)
    assert files.word.exists() and files.consolidated.exists()


def test_invisible_characters_are_cleaned_and_named(tmp_path: Path) -> None:
    """A zero-width space, a word joiner or a byte order mark pasted from a web page or another
    program made equal texts differ in every output."""
    ws = fixture_ws(tmp_path)
    book = openpyxl.load_workbook(RETURNED / "returned_clean.xlsx")
    sheet = book["Báo cáo"]
    sheet["L8"] = "\ufeffĐã ban hành\u200b văn bản"
    sheet["M8"] = "Thiếu kinh\u2060 phí"
    book.save(tmp_path / "bao-cao.xlsx")
    result = ws.ingest([tmp_path / "bao-cao.xlsx"], "2022-6T", now=RECEIVED)
    assert [(f.code, f.location.cell) for f in result.findings] == [("text-cleaned", "L8"), ("text-cleaned", "M8")]
    assert result.findings[0].message.startswith(
        "Ô có ký tự điều khiển hoặc ký tự không hiển thị được (U+FEFF (dấu BOM), U+200B (khoảng trắng không độ "
        "rộng)); camket đã làm sạch nội dung")
    assert "(U+2060 (ký tự nối từ không hiển thị))" in result.findings[1].message
    with Ledger(ws.root, create=False) as ledger:
        row = next(r for r in ledger.accepted_rows("2022-6T") if r.task == "VPC-01")
    assert (row.result, row.difficulties) == ("Đã ban hành văn bản", "Thiếu kinh phí")


def test_a_formula_without_its_value_is_shown_as_typed(tmp_path: Path) -> None:
    """openpyxl writes a formula's letters outside ASCII as character references (&#224;)."""
    ws = fixture_ws(tmp_path)
    book = openpyxl.load_workbook(RETURNED / "returned_clean.xlsx")
    book["Báo cáo"]["I8"] = '="Hoàn thành"'
    book.save(tmp_path / "bao-cao.xlsx")
    with zipfile.ZipFile(tmp_path / "bao-cao.xlsx") as package:
        assert b"<f>&quot;Ho&#224;n" in package.read("xl/worksheets/sheet2.xml") \
            or b'<f>"Ho&#224;n' in package.read("xl/worksheets/sheet2.xml")  # what made the message unreadable
    result = ws.ingest([tmp_path / "bao-cao.xlsx"], "2022-6T", now=RECEIVED)
    [formula] = [f for f in result.findings if f.code == "formula-without-value"]
    assert formula.location.cell == "I8"
    assert formula.message == ('Ô có công thức "="Hoàn thành"" nhưng tệp không lưu giá trị đã tính '
                               "(được coi là trống)")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux alone")
def test_file_names_that_are_not_utf8_are_recorded_with_the_other_files(tmp_path: Path) -> None:
    """A name in another code page, or in none, reaches Python with lone surrogates; recording it
    once failed and took the whole run with it (the good files too), "Lỗi chương trình"."""
    ws = fixture_ws(tmp_path)
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    files = [(b"bao-cao-VPC.xlsx", "returned_clean.xlsx"),
             ("Báo cáo.xlsx".encode("cp1258"), "returned_status_free_typed.xlsx"),  # VPC's, sent later
             (b"VTV-\xff.xlsx", "returned_clean_other_unit.xlsx")]
    for i, (raw, source) in enumerate(files):
        path = os.fsencode(inbox) + b"/" + raw
        with open(path, "wb") as handle:
            handle.write((RETURNED / source).read_bytes())
        os.utime(path, (1_656_000_000 + i * 60,) * 2)
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "ingest", str(inbox), "--round", "2022-6T"])
    assert result.exit_code == 0, result.output
    with Ledger(ws.root, create=False) as ledger:
        stored = {s.name: (s.state, s.source) for s in ledger.submissions("2022-6T")}
    assert {name: state for name, (state, _) in stored.items()} == {
        "nhan/bao-cao-VPC.xlsx": "superseded", "nhan/Báo cáo.xlsx": "accepted", "nhan/VTV-\ufffd.xlsx": "accepted"}
    assert stored["nhan/VTV-\ufffd.xlsx"][1] == f"{inbox}/VTV-\ufffd.xlsx"
    assert result.output.startswith("3 tệp kỳ 6 tháng đầu năm 2022: 2 chấp nhận, 1 thay thế/giữ bản cũ.\n")
    named = os.fsdecode(os.fsencode(inbox) + b"/VTV-\xff.xlsx")  # the name given on the command line
    again = CliRunner().invoke(cli, ["-w", str(ws.root), "ingest", named, "--round", "2022-6T"])
    assert again.exit_code == 0 and "1 đã nhận trước đây" in again.output, again.output
    log = (ws.root / ".camket" / "log" / "camket.log").read_text(encoding="utf-8")
    assert "ingest " + named.encode("utf-8", "backslashreplace").decode() in log  # the command, as typed


@pytest.mark.parametrize(("name", "expected"), [
    ("b\udce1o c\udce1o.xlsx", "báo cáo.xlsx"),      # CP1258 of a Vietnamese Windows
    ("VTV-\udcff.xlsx", "VTV-\ufffd.xlsx"),           # no code page makes it Vietnamese
    ("Vụ\udcc3 Pháp chế.xlsx", "Vụ\ufffd Pháp chế.xlsx"),  # UTF-8 with one stray byte
    ("tệp\ud800.xlsx", "tệp\ufffd.xlsx"),             # a surrogate that stands for no byte
])
def test_names_that_are_not_utf8(name: str, expected: str) -> None:
    assert received_name(name) == expected
    assert clean_name(name, 1) == expected  # an e-mail attachment's


def test_an_archive_member_flagged_utf8_but_written_in_a_code_page_is_read(tmp_path: Path) -> None:
    """zipfile refuses the whole archive on such a name: both reports were lost."""
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_archive_name_not_utf8.zip"], "2022-6T", now=RECEIVED)
    assert [(o.name, o.state, o.unit) for o in result.files] == [
        ("returned_archive_name_not_utf8.zip/Báo cáo Văn phòng.xlsx", "accepted", "VP"),
        ("returned_archive_name_not_utf8.zip/bao-cao-VPC.xlsx", "accepted", "VPC"),
        ("returned_archive_name_not_utf8.zip", "unpacked", "")]


def test_an_archive_member_flagged_utf8_with_bytes_of_no_code_page_is_read(tmp_path: Path) -> None:
    placeholder = b"VP-#.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("bao-cao-VPC.xlsx", (RETURNED / "returned_clean.xlsx").read_bytes())
        z.writestr(placeholder.decode(), (RETURNED / "returned_clean_other_unit.xlsx").read_bytes())
    data = bytearray(buffer.getvalue())
    local, central = data.find(placeholder) - 30, data.rfind(placeholder) - 46  # the member's two headers
    assert (data[local:local + 4], data[central:central + 4]) == (b"PK\x03\x04", b"PK\x01\x02")
    for flags in (local + 6, central + 8):
        data[flags:flags + 2] = (0x800).to_bytes(2, "little")  # the name is flagged as UTF-8 ...
    data = data.replace(placeholder, b"VP-\xff.xlsx")   # ... and is not
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(io.BytesIO(bytes(data)))
    archive = open_archive(bytes(data))
    assert sorted(member_name(info) for info in archive.infolist()) == ["VP-\ufffd.xlsx", "bao-cao-VPC.xlsx"]
    assert archive.read(archive.infolist()[1]) == (RETURNED / "returned_clean_other_unit.xlsx").read_bytes()
    (tmp_path / "nhan.zip").write_bytes(bytes(data))
    result = fixture_ws(tmp_path).ingest([tmp_path / "nhan.zip"], "2022-6T", now=RECEIVED)
    assert [(o.name, o.state) for o in result.files] == [
        ("nhan.zip/VP-\ufffd.xlsx", "accepted"), ("nhan.zip/bao-cao-VPC.xlsx", "accepted"), ("nhan.zip", "unpacked")]


def test_an_archive_asking_for_a_newer_zip_version_is_an_error_and_the_other_files_count(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError on such a directory, which aborted the whole run."""
    ws = fixture_ws(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("bao-cao-VPC.xlsx", (RETURNED / "returned_clean.xlsx").read_bytes())
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6:central + 8] = (99).to_bytes(2, "little")  # "version needed to extract": 9.9
    (tmp_path / "moi.zip").write_bytes(bytes(data))
    result = ws.ingest([tmp_path / "moi.zip", RETURNED / "returned_clean_other_unit.xlsx"], "2022-6T", now=RECEIVED)
    assert sorted((o.name, o.state) for o in result.files) == [
        ("moi.zip", "rejected"), ("returned_clean_other_unit.xlsx", "accepted")]
    assert [f.code for f in result.findings] == ["archive-corrupt"]


def test_an_unreadable_archive_member_is_an_error_naming_it_and_the_command_exits_3(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    for name, reason in (
            ("returned_archive_member_encrypted.zip", "được đặt mật khẩu"),
            ("returned_archive_member_bad_crc.zip", "dữ liệu hỏng (sai mã kiểm tra CRC)"),
            ("returned_archive_member_deflate64.zip", "nén theo kiểu Deflate64, camket không giải nén được")):
        result = CliRunner().invoke(cli, ["-w", str(ws.root), "ingest", str(RETURNED / name), "--round", "2022-6T"])
        assert result.exit_code == 3, (name, result.output)
        assert f'Không đọc được "bao-cao-VPC.xlsx" trong tệp nén: {reason}.' in result.output, result.output


def test_bzip2_and_lzma_members_are_read(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    archive = tmp_path / "bzip2.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("bao-cao-VP.xlsx", (RETURNED / "returned_clean_other_unit.xlsx").read_bytes())
    result = ws.ingest([archive, RETURNED / "returned_archive_member_lzma.zip"], "2022-6T", now=RECEIVED)
    assert {o.name: o.state for o in result.files} == {
        "bzip2.zip/bao-cao-VP.xlsx": "accepted", "bzip2.zip": "unpacked",
        "returned_archive_member_lzma.zip/bao-cao-VPC.xlsx": "accepted", "returned_archive_member_lzma.zip": "unpacked"}


def test_member_names_written_by_vietnamese_windows_are_read_as_written(tmp_path: Path) -> None:
    ws = fixture_ws(tmp_path)
    result = ws.ingest([RETURNED / "returned_archive_names_cp1258.zip"], "2022-6T", now=RECEIVED)
    assert [o.name for o in result.files] == [
        "returned_archive_names_cp1258.zip/Vụ Pháp chế/Báo cáo 6 tháng đầu năm.xlsx",
        "returned_archive_names_cp1258.zip"]
    assert result.files[0].state == "accepted"


@pytest.mark.parametrize(("raw", "extra", "expected"), [
    ("Báo cáo.xlsx".encode(), b"", "Báo cáo.xlsx"),                    # UTF-8 without its flag (macOS, Linux)
    ("Résumé.xlsx".encode("cp437"), b"", "Résumé.xlsx"),               # a real DOS name stays as zipfile read it
    (b"bao cao?.xlsx", "Báo cáo.xlsx".encode(), "Báo cáo.xlsx"),      # 7-Zip's Unicode path field
    (b"ba\xecoca\xeco.xlsx", b"", "báocáo.xlsx"),                        # CP1258, tone marks apart
    (b"a\x07\x1bb.xlsx", b"", "ab.xlsx"),                               # control characters dropped
])
def test_member_names(raw: bytes, extra: bytes, expected: str) -> None:
    info = zipfile.ZipInfo(raw.decode("cp437"))
    if extra:
        info.extra = (0x7075).to_bytes(2, "little") + (5 + len(extra)).to_bytes(2, "little") + b"\x01" \
            + zlib.crc32(raw).to_bytes(4, "little") + extra
    assert member_name(info) == expected


def _sheet(rows: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>' + "".join(rows) + "</sheetData></worksheet>").encode()


def _random_sheet(rng: random.Random, explicit: bool) -> bytes:
    """Rows and cells with and without references (every cell with one when ``explicit``), empty,
    self-closing and prefixed tags, letters in either case."""
    rows = []
    for _ in range(rng.randint(1, 6)):
        row = f'<row r="{rng.randint(1, 70)}">' if rng.random() < 0.6 else "<row>"
        for _ in range(rng.randint(0, 5)):
            col = "".join(rng.choice("ABCXYZxyz") for _ in range(rng.randint(1, 3 if rng.random() < 0.7 else 1)))
            number = rng.randint(1, 70 if rng.random() < 0.9 else 99_999)
            ref = f' r="{col}{number}"' if explicit or rng.random() < 0.5 else ""
            body = rng.choice(["<v>1</v>", "<v></v>", "", "<is><t>x</t></is>", "<f>A1</f>", "<v>2.5</v>"])
            tag = "c" if explicit else rng.choice(["c", "c", "x:c"])
            row += f"<{tag}{ref}/>" if not body and rng.random() < 0.5 else f"<{tag}{ref}>{body}</{tag}>"
        rows.append(row + "</row>")
    return _sheet(rows)


def test_cells_are_placed_as_the_reader_places_them() -> None:
    """The bound is only as good as the scan: on random sheets it finds the reader's last cell."""
    rng = random.Random(12)
    with zipfile.ZipFile(RETURNED / "returned_clean.xlsx") as z:
        parts = {name: z.read(name) for name in z.namelist()}
    compared = quick_ones = 0
    for _ in range(300):
        xml = _random_sheet(rng, explicit=rng.random() < 0.5)
        extent = xlsx_extent([xml], Window(10**9, 10**9))
        if quick(xml, Window(20_000, 64)):  # the quick test vouches for A1:Z9999 only when it holds
            assert extent.rows <= 9_999 and extent.cols <= 26, xml
            quick_ones += 1
        if extent.dense > 2_000_000:
            continue  # what camket itself never hands the reader (it would build the whole rectangle)
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w") as z:
            for name, data in parts.items():
                z.writestr(name, xml if name == "xl/worksheets/sheet2.xml" else data)
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.getvalue()))
        end = book.get_sheet_by_name("Báo cáo").end
        assert (extent.rows, extent.cols) == ((end[0] + 1, end[1] + 1) if end else (0, 0)), xml
        compared += end is not None
    assert compared > 100 and quick_ones > 10
