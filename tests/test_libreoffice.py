"""Templates in a real LibreOffice: saved in other formats, and filled in by typing.

Skipped with a notice where LibreOffice is not installed; failed instead when ``CI`` is set.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as calamine

from camket import Workspace
from camket.schema import REPORT
from camket.stamp import META_SHEET
from camket.templates import HEADER_ROW, letter

from . import lo
from .conftest import SAMPLE_TIME

pytestmark = pytest.mark.libreoffice

SHEET = REPORT.name  # "Báo cáo"
FIRST = HEADER_ROW + 2  # Excel row of the first task
ERROR_TITLE = "Giá trị không hợp lệ"  # the validations' error title


@pytest.fixture(scope="module")
def soffice() -> str:
    return lo.require_soffice()


@pytest.fixture
def template(soffice: str, bo_2022: Path) -> Path:
    """The 2022-6T template of Văn phòng Bộ (4 tasks)."""
    ws = Workspace.open(bo_2022)
    return ws.templates("2022-6T", units=["VP"], generated=SAMPLE_TIME).files[0]


def _normal(value: Any) -> Any:
    """One spelling per value: xls gives ints where xlsx/ods give floats."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _grid(book: Any, name: str) -> list[list[Any]]:
    """A sheet's values from A1, trailing empty rows and columns dropped."""
    rows = [[_normal(v) for v in row]
            for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
    rows = [row[: max((i + 1 for i, v in enumerate(row) if v != ""), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _visibility(book: Any) -> dict[str, str]:
    return {m.name: str(m.visible).rsplit(".", 1)[-1] for m in book.sheets_metadata}


def test_libreoffice_keeps_the_template_as_xlsx_ods_and_xls(template: Path,
                                                             tmp_path: Path) -> None:
    """A user's Save As in Calc keeps what people see and the hidden metadata."""
    outputs = lo.roundtrip(template, tmp_path)
    assert sorted(outputs) == ["ods", "xls", "xlsx"]
    with calamine.CalamineWorkbook.from_path(str(template)) as book:
        report, meta = _grid(book, SHEET), _grid(book, META_SHEET)
    headers = report[HEADER_ROW]
    assert headers == [c.header for c in REPORT.columns]
    codes = [row[1] for row in report[FIRST - 1: FIRST - 1 + 4]]
    assert codes == ["VP-01", "VP-02", "VP-03", "VP-04"]
    assert meta[0][0] == "camket" and ["unit", "VP"] in meta

    for ext, path in outputs.items():
        assert path.suffix == f".{ext}" and path.stat().st_size > 0
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            assert book.sheet_names == ["Hướng dẫn", SHEET, META_SHEET], ext
            # LibreOffice turns veryHidden into hidden; either keeps it out of sight
            assert _visibility(book)[META_SHEET] in ("Hidden", "VeryHidden"), ext
            assert _visibility(book)[SHEET] == "Visible", ext
            got = _grid(book, SHEET)
            assert got[HEADER_ROW] == headers, ext
            assert [row[1] for row in got[FIRST - 1: FIRST - 1 + 4]] == codes, ext
            assert got == report, ext
            assert _grid(book, META_SHEET) == meta, _meta_hint(ext, meta)


def _meta_hint(ext: str, meta: list[list[Any]]) -> str:
    """Why the metadata sheet may differ after a round trip."""
    hint = f"{META_SHEET} changed in the .{ext} copy"
    if ext == "ods" and any("\t" in str(v) for row in meta for v in row):
        hint += (": LibreOffice writes a tab in cell text as <text:tab/>, which python-calamine "
                 "drops when reading .ods, so tab-separated metadata cells come back joined")
    return hint


def _validation(sheet: Any, ref: str) -> Any:
    """The data validation covering ``ref`` (exactly one)."""
    found = [v for v in sheet.data_validations.dataValidation if ref in v.sqref]
    assert len(found) == 1, (ref, found)
    return found[0]


def test_typing_in_calc_enforces_validation_and_protection(template: Path,
                                                           tmp_path: Path) -> None:
    """Keystrokes in Calc (vi-VN): invalid input and locked cells are refused, valid input
    is kept, and the saved xlsx still carries the protection, validations and metadata."""
    cell = {key: f"{letter(key)}{FIRST}"
            for key in ("content", "status", "progress", "completed_on", "result")}
    accepted = {"status": "Hoàn thành", "progress": "66,5", "completed_on": "15/06/2022",
                "result": "Đã ban hành Quyết định số 15/QĐ-BVHTTDL"}

    with lo.typing_session(template, tmp_path / "typing") as calc:
        content = calc.read(SHEET, cell["content"])
        assert isinstance(content, str) and content

        for key, typed in (("status", "Phòng ma"), ("progress", "150"),
                           ("completed_on", "31/02/2022")):
            calc.type_into(SHEET, cell[key], typed)
            assert calc.read(SHEET, cell[key]) is None, (key, typed)
            boxes = calc.take_boxes()
            assert [b.title for b in boxes] == [ERROR_TITLE], (key, boxes)
            assert boxes[0].text == REPORT[key].error, (key, boxes)

        calc.type_into(SHEET, cell["content"], "123")
        assert calc.read(SHEET, cell["content"]) == content
        assert calc.take_boxes(), "no 'protected cell' box for a locked cell"

        for key, typed in accepted.items():
            calc.type_into(SHEET, cell[key], typed)
        assert calc.take_boxes() == []
        assert calc.read(SHEET, cell["status"]) == "Hoàn thành"
        assert calc.read(SHEET, cell["progress"]) == 66.5
        assert calc.read(SHEET, cell["completed_on"]) == dt.date(2022, 6, 15)
        assert calc.read_text(SHEET, cell["completed_on"]) == "15/06/2022"
        assert calc.read(SHEET, cell["result"]) == accepted["result"]
        saved = calc.save_as(tmp_path / "filled.xlsx")

    original = openpyxl.load_workbook(template)
    book = openpyxl.load_workbook(saved)
    sheet = book[SHEET]
    assert sheet[cell["status"]].value == "Hoàn thành"
    assert sheet[cell["progress"]].value == 66.5
    assert sheet[cell["completed_on"]].value == dt.datetime(2022, 6, 15)
    assert sheet[cell["result"]].value == accepted["result"]
    assert sheet[cell["content"]].value == original[SHEET][cell["content"]].value == content
    values = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert values.isdisjoint({"Phòng ma", "150", 150, "31/02/2022", "123", 123})
    # the other task rows are still empty
    for row in range(FIRST + 1, FIRST + 4):
        assert all(sheet[f"{letter(k)}{row}"].value is None for k in accepted), row

    assert sheet.protection.sheet is True
    assert (sheet.protection.password or "").lower() == \
        (original[SHEET].protection.password or "").lower()
    assert sheet[cell["content"]].protection.locked is True
    assert all(sheet[cell[k]].protection.locked is False for k in accepted)
    status, progress, done = (_validation(sheet, cell[k])
                              for k in ("status", "progress", "completed_on"))
    assert status.type == "list" and "Hoàn thành" in status.formula1
    assert progress.type == "decimal" and (progress.formula1, progress.formula2) == ("0", "100")
    assert done.type == "date"
    for key, rule in (("status", status), ("progress", progress), ("completed_on", done)):
        assert rule.showErrorMessage and rule.errorStyle in (None, "stop"), key
        assert (rule.errorTitle, rule.error) == (ERROR_TITLE, REPORT[key].error), key

    assert book[META_SHEET].sheet_state in ("hidden", "veryHidden")
    assert [[c.value for c in r] for r in book[META_SHEET].iter_rows()] == \
        [[c.value for c in r] for r in original[META_SHEET].iter_rows()]
    book.close()
    original.close()



def _ingested(root: Path, path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str]]]:
    """What ingest makes of one file in a fresh copy of the workspace: rows and findings."""
    import shutil
    import tempfile

    from camket.ledger import Ledger

    copy = Path(tempfile.mkdtemp(dir=root.parent)) / "ws"
    shutil.copytree(root, copy)
    ws = Workspace.open(copy)
    result = ws.ingest([path], "2022-6T", now=dt.datetime(2022, 7, 4, 9), processes=1)
    assert [o.state for o in result.files] == ["accepted"], [f.text for f in result.findings]
    with Ledger(copy, create=False) as ledger:
        rows = sorted((r.kind, r.task, r.row, r.status, r.progress, r.completed_on, r.result, r.difficulties,
                       r.proposals, r.self_score) for r in ledger.accepted_rows("2022-6T"))
    findings = sorted((f.code, f.location.sheet, f.location.cell) for f in result.findings)
    return rows, findings


def test_a_filled_template_saved_by_libreoffice_ingests_as_the_original(soffice: str, bo_2022: Path,
                                                                        tmp_path: Path) -> None:
    """A user opens the filled template in Calc and saves it as .xlsx, .ods or .xls."""
    from dataclasses import replace

    from camket.templates import write_template

    ws = Workspace.open(bo_2022)
    job = ws.template_jobs("2022-6T", units=["VP"], generated=SAMPLE_TIME)[0]
    codes = [t.code for t in job.tasks]
    answers = {
        codes[0]: {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2022, 6, 10),
                   "result": "Đã trình Bộ trưởng ký ban hành", "self_score": 25},
        codes[1]: {"status": "xong", "progress": "100%", "completed_on": "12/6/2022", "self_score": 20},
        codes[2]: {"status": "Đang thực hiện", "progress": 66.5, "difficulties": "Chờ ý kiến thẩm định",
                   "proposals": "=Đề nghị gia hạn", "self_score": 10},
        codes[3]: {"status": "Không thực hiện", "difficulties": "Khã kh¨n vÒ kinh phÝ"},
    }
    filled = write_template(replace(job, path=tmp_path / "filled" / "VP.xlsx", prefill=answers))
    assert filled.unit == "VP"
    original = _ingested(bo_2022, tmp_path / "filled" / "VP.xlsx")
    assert len(original[0]) == 4 and ("legacy-text-converted", "Báo cáo", "N11") in original[1]
    for ext, path in lo.roundtrip(tmp_path / "filled" / "VP.xlsx", tmp_path / "lo").items():
        assert _ingested(bo_2022, path) == original, ext


def test_what_was_typed_in_calc_is_what_ingest_reads(template: Path, bo_2022: Path, tmp_path: Path) -> None:
    typed = {"status": "Hoàn thành", "progress": "66,5", "completed_on": "15/06/2022",
             "result": "Đã ban hành Quyết định số 15/QĐ-BVHTTDL", "self_score": "20"}
    with lo.typing_session(template, tmp_path / "typing") as calc:
        for key, text in typed.items():
            calc.type_into(SHEET, f"{letter(key)}{FIRST}", text)
        assert calc.take_boxes() == []
        saved = calc.save_as(tmp_path / "VP-go-tay.xlsx")
    rows, findings = _ingested(bo_2022, saved)
    first = next(r for r in rows if r[2] == FIRST)
    assert first[3:] == ("Hoàn thành", 66.5, dt.date(2022, 6, 15), typed["result"], "", "", 20.0)
    assert len(rows) == 1  # the other rows were left empty …
    assert sum(1 for code, _, _ in findings if code == "task-not-filled") == 3  # … and ingest says so
    assert not [code for code, _, _ in findings if code.startswith(("metadata", "signature", "locked"))]


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext, in reading order)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_a_small_units_report_prints_with_its_signature_on_its_last_rows_page(soffice: str, bo_2022: Path,
                                                                                tmp_path: Path) -> None:
    """Cục Điện ảnh has 5 tasks: the guide on one page, the report on one page down to the signature."""
    path = Workspace.open(bo_2022).templates("2022-6T", units=["CDA"], generated=SAMPLE_TIME).files[0]
    pages = _pdf_pages(lo.convert(path, tmp_path / "pdf", "pdf", tmp_path / "profile"))
    assert len(pages) == 2 and "HƯỚNG DẪN" in pages[0]
    assert "CDA-05" in pages[1] and "PS10" in pages[1] and "THỦ TRƯỞNG ĐƠN VỊ" in pages[1]


def test_the_summary_of_a_last_round_prints_whole_in_libreoffice(soffice: str, bo_2022: Path,
                                                                 tmp_path: Path) -> None:
    """Every bar labelled, the doughnut's title whole, and each table of totals on one page
    with its header, in the narrower sheet of the year's last round."""
    from camket.simulate import simulate_returns

    ws = Workspace.open(bo_2022)
    simulate_returns(ws.template_jobs("2022-CN", generated=SAMPLE_TIME), tmp_path / "nhan", seed=5)
    ws.ingest([tmp_path / "nhan"], "2022-CN", now=dt.datetime(2022, 12, 20, 9))
    path = ws.report("2022-CN", generated=SAMPLE_TIME, feedback=False).consolidated
    labels = [r[0] for r in openpyxl.load_workbook(path)["Dữ liệu biểu đồ"].iter_rows(max_col=1, values_only=True)
              if r[0]]
    pages = [p for p in _pdf_pages(lo.convert(path, tmp_path / "pdf", "pdf", tmp_path / "profile"))
             if "Tổng hợp - Trang" in p]
    bars = next(p for p in pages if "Tỉ lệ hoàn thành nhiệm vụ theo đơn vị" in p)
    assert [label for label in labels if label not in bars.splitlines()] == []
    assert any("Cơ cấu nhiệm vụ theo tình trạng thực hiện" in p and "Chưa báo cáo" in p for p in pages)
    for title in ("Theo nhóm nhiệm vụ", "Theo khối", "Theo nguồn"):
        page = next(p for p in pages if title in p)
        names = ws.reconcile("2022-CN").by_group if title == "Theo nhóm nhiệm vụ" else (
            ws.reconcile("2022-CN").by_block if title == "Theo khối" else ws.reconcile("2022-CN").by_source)
        assert all(name in page for name in names), title  # the header's rows on the header's page
