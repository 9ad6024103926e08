"""What every output shares: text of any kind written safely, charts without global
state, the basis of an interim round, dates, the PDF converter, and structural goldens
of the consolidated workbook and the Word report."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from camket import Workspace
from camket.config import read_config
from camket.errors import CamketError
from camket.model import Derived, Finding, Location, Severity
from camket.report import write_consolidated, write_word
from camket.report.basis import basis_of
from camket.report.dates import working_days_after
from camket.report.pdf import soffice, to_pdf
from camket.safetext import XLSX_CELL_LIMIT, safe_text
from camket.schema import REPORT
from camket.templates import example_date, write_template

from .conftest import CONFIG, SAMPLE_TIME
from .structure import check_golden, dump_docx, dump_xlsx

SAMPLES = Path(__file__).parent.parent / "samples"

# every kind of text the ledger can hold that a writer could refuse
HOSTILE = {
    "vt": "Dòng một\x0bdòng hai",
    "ff": "Trang một\x0ctrang hai",
    "nul": "Có\x00 ký tự rỗng",
    "c0": "Điều khiển\x01\x02\x1f cuối",
    "del": "Xóa\x7f lùi",
    "crlf": "Dòng một\r\ndòng hai\rdòng ba",
    "surrogate": "Lỗi mã \ud800 giữa",
    "nonchar": "Không ký tự \ufffe\uffff hết",
    "c1": "Mã C1 \x85\x9f hết",
    "long": "Rất dài " * 6_000,
}


def test_safe_text_keeps_what_a_reader_needs() -> None:
    cleaned = {key: safe_text(value) for key, value in HOSTILE.items()}
    assert cleaned["vt"] == "Dòng một\ndòng hai" and cleaned["ff"] == "Trang một\ntrang hai"
    assert cleaned["crlf"] == "Dòng một\ndòng hai\ndòng ba"
    assert cleaned["nul"] == "Có ký tự rỗng" and cleaned["c0"] == "Điều khiển cuối" and cleaned["del"] == "Xóa lùi"
    assert cleaned["surrogate"] == "Lỗi mã \ufffd giữa" and cleaned["nonchar"] == "Không ký tự  hết"
    for text in cleaned.values():
        text.encode("utf-8")  # no lone surrogate left
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]", text)
    assert len(safe_text(HOSTILE["long"], XLSX_CELL_LIMIT)) == XLSX_CELL_LIMIT
    assert safe_text("Văn bản thường, không đổi.") == "Văn bản thường, không đổi."


def _with_hostile_cells(template: Path, target: Path) -> Path:
    """``template`` with its placeholders replaced by escaped control characters in the
    sheet XML, as another program may save them (readers decode ``_xHHHH_``)."""
    escaped = {
        "MARK-VT": "Kết quả_x000B_dòng hai", "MARK-FF": "Khó khăn_x000C_trang hai",
        "MARK-NUL": "Kiến nghị_x0000_ có rỗng_x001F_", "MARK-DEL": "Xóa\x7f lùi _xD800_ _xFFFE_",
        "MARK-LONG": "Rất dài " * 6_000,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            for mark, text in escaped.items():
                data = data.replace(mark.encode(), text.encode("utf-8"))
            out.writestr(info, data)
    return target


def _opens(files: Any) -> tuple[str, list[str]]:
    """Every output opens; the Word report's text and every workbook cell's text."""
    texts: list[str] = []
    for path in (files.consolidated, *files.feedback, files.feedback_list):
        book = openpyxl.load_workbook(path)
        texts += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    doc = Document(str(files.word))
    word = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    return word, texts


def test_any_text_an_office_sends_reaches_every_output_safely(bo_2022: Path, tmp_path: Path) -> None:
    ws = Workspace.open(bo_2022)
    job = ws.template_jobs("2022-6T", units=["VPC"], generated=SAMPLE_TIME)[0]
    answers = {t.code: {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2022, 6, 1), "self_score": 5}
               for t in job.tasks}
    first = job.tasks[0].code
    answers[first] |= {"result": "MARK-VT", "difficulties": "MARK-FF", "proposals": "MARK-NUL"}
    answers[job.tasks[1].code] |= {"result": "MARK-DEL", "difficulties": "MARK-LONG"}
    written = tmp_path / "mau.xlsx"
    write_template(replace(job, path=written, prefill=answers))
    sent = _with_hostile_cells(written, tmp_path / "nhan" / "VPC.xlsx")
    ws.ingest([sent], "2022-6T", now=dt.datetime(2022, 7, 4, 9))
    files = ws.report("2022-6T", generated=SAMPLE_TIME)
    word, cells = _opens(files)
    assert "Kết quả" in word and "dòng hai" in word  # the vertical tab read as a line break (or cleaned)
    for text in (word, *cells):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)
    assert any(c.startswith("Rất dài") and len(c) <= XLSX_CELL_LIMIT for c in cells)


def test_text_ingest_would_clean_is_still_written_safely(bo_2022_reported: tuple[Workspace, Any],
                                                         tmp_path: Path) -> None:
    """Built directly: every hostile text in task results, unit names and findings."""
    ws, _ = bo_2022_reported
    result = ws.reconcile("2022-6T")
    nasty = list(HOSTILE.values())
    tasks = tuple(replace(t, result=nasty[i % len(nasty)], difficulties=nasty[(i + 3) % len(nasty)],
                          proposals=nasty[(i + 5) % len(nasty)], file=nasty[(i + 1) % len(nasty)])
                  for i, t in enumerate(result.tasks))
    findings = tuple(Finding("status-invalid", Severity.ERROR, text, text, Location(text, text, "I8"), "VPC", "VPC-01")
                     for text in nasty)
    master = ws.master()
    master = replace(master, units=tuple(replace(u, name=u.name + HOSTILE["vt"], head=HOSTILE["surrogate"])
                                         for u in master.units))
    result = replace(result, tasks=tasks, findings=findings,
                     units=tuple(replace(u, unit=replace(u.unit, name=u.unit.name + HOSTILE["c0"]))
                                 for u in result.units))
    word = write_word(tmp_path / "bc.docx", result, master, ws.settings, SAMPLE_TIME)
    book = write_consolidated(tmp_path / "th.xlsx", result, master, ws.settings, SAMPLE_TIME)
    text = "\n".join(c.text for t in Document(str(word)).tables for row in t.rows for c in row.cells)
    assert "Dòng một\ndòng hai" in text and "Lỗi mã \ufffd giữa" in text
    cells = [str(c.value) for s in openpyxl.load_workbook(book).worksheets for row in s.iter_rows() for c in row
             if c.value]
    assert any("Dòng một\ndòng hai" in c for c in cells)
    job = ws.template_jobs("2022-6T", units=["VPC"], generated=SAMPLE_TIME)[0]
    job = replace(job, path=tmp_path / "ph.xlsx", unit=replace(job.unit, name=HOSTILE["vt"]),
                  problems=tuple((text, text) for text in nasty), problems_intro=HOSTILE["surrogate"],
                  notes={(job.tasks[0].code, "status"): HOSTILE["nul"]},
                  prefill={job.tasks[0].code: {"result": HOSTILE["surrogate"]}})
    write_template(job)
    result_column = REPORT.index("result") + 1
    assert openpyxl.load_workbook(job.path)["Báo cáo"].cell(8, result_column).value == "Lỗi mã \ufffd giữa"


def test_importing_camket_loads_no_plotting_library() -> None:
    code = ("import sys, camket, camket.cli, camket.report; "
            "assert 'matplotlib' not in sys.modules and 'matplotlib.pyplot' not in sys.modules, 'loaded'")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
    helped = subprocess.run([sys.executable, "-c", "import sys\nfrom camket.cli import main\n"
                             "sys.argv=['camket','--help']\ntry: main()\nexcept SystemExit: pass\n"
                             "assert 'matplotlib' not in sys.modules"], capture_output=True, text=True)
    assert helped.returncode == 0, helped.stderr


def test_an_interim_round_is_counted_against_the_tasks_due(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", sample="bo-2022")
    interim = basis_of(ws.reconcile("2022-6T"), ws.settings)
    last = basis_of(ws.reconcile("2022-CN"), ws.settings)
    assert interim.interim and not last.interim
    assert last.overall == ws.reconcile("2022-CN").overall


def test_the_resend_deadline_counts_working_days_only() -> None:
    assert working_days_after(dt.date(2022, 7, 1), 5) == dt.date(2022, 7, 8)      # Friday -> next Friday
    assert working_days_after(dt.date(2022, 4, 28), 3) == dt.date(2022, 5, 5)     # 29/4, then 30/4-3/5 off
    assert working_days_after(dt.date(2022, 7, 1), 1, (dt.date(2022, 7, 4),)) == dt.date(2022, 7, 5)


def test_check_warns_when_the_signer_is_among_the_recipients(tmp_path: Path) -> None:
    path = tmp_path / "camket.toml"
    path.write_text(CONFIG + '\n[report]\nrecipients = ["Bộ trưởng (để b/c)", "Lưu: VT"]\n', encoding="utf-8")
    found = read_config(path).findings
    assert [f.code for f in found] == ["config-signer-among-recipients"]
    assert "Bộ trưởng (để b/c)" in found[0].message and found[0].location.line is not None
    path.write_text(CONFIG.replace('title = "BỘ TRƯỞNG"', 'title = "BỘ TRƯỞNG"\ndeputy_title = "THỨ TRƯỞNG"')
                    + '\n[report]\nrecipients = ["Bộ trưởng (để b/c)", "Các Thứ trưởng"]\n', encoding="utf-8")
    assert read_config(path).findings == ()  # a deputy signs for the Minister: informing him is right
    for sample in ("bo-2022", "so-2023"):
        assert read_config(SAMPLES / sample / "camket.toml").findings == (), sample


def test_the_example_date_is_one_the_cell_accepts(tmp_path: Path) -> None:
    for sample in ("bo-2022", "so-2023"):
        ws = Workspace.init(tmp_path / sample, sample=sample)
        for round_ in ws.settings.rounds:
            job = ws.template_jobs(round_.id, units=[ws.master().units[0].code], generated=SAMPLE_TIME)[0]
            write_template(job)
            sheet = openpyxl.load_workbook(job.path)["Báo cáo"]
            rule = next(v for v in sheet.data_validations.dataValidation if v.type == "date")
            low, high = (dt.date(1899, 12, 30) + dt.timedelta(days=int(float(x))) for x in (rule.formula1,
                                                                                             rule.formula2))
            shown = re.search(r"\d{2}/\d{2}/\d{4}", rule.prompt)
            assert shown is not None
            day = dt.datetime.strptime(shown.group(0), "%d/%m/%Y").date()
            assert low <= day <= high and day == example_date(round_, ws.settings.year), (sample, round_.id)
            assert day.year == ws.settings.year
            assert sheet.freeze_panes == "D8" and sheet.sheet_view.zoomScale == 90
            titles = [str(m) for m in sheet.merged_cells.ranges if m.min_row <= 3]
            assert titles and all(m.endswith(("C1", "C2", "C3")) for m in titles)  # inside the frozen block


def test_libreoffice_is_found_in_its_windows_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    program = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_text("")
    assert soffice(windows=True, folders=(str(tmp_path / "missing.exe"), str(program))) == str(program)
    assert soffice(windows=False, folders=(str(program),)) is None


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script stands in for LibreOffice")
def test_a_hung_libreoffice_is_ended_with_everything_it_started(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {marker}\nwait\n")
    fake.chmod(0o755)
    document = tmp_path / "bao-cao.docx"
    document.write_bytes(b"")
    started = time.monotonic()
    with pytest.raises(CamketError, match="không chuyển xong"):
        to_pdf(document, timeout=1, program=str(fake))
    assert time.monotonic() - started < 30
    child = Path(f"/proc/{int(marker.read_text())}/stat")
    deadline = time.monotonic() + 5
    while child.exists() and child.read_text().split(")")[-1].split()[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not child.exists() or child.read_text().split(")")[-1].split()[0] == "Z"  # the wrapper's child ended


def test_the_consolidated_workbook_and_the_report_match_their_goldens(bo_2022_reported: tuple[Workspace, Any],
                                                                      update_goldens: bool) -> None:
    _, files = bo_2022_reported
    check_golden("consolidated_bo-2022_2022-6T", dump_xlsx(files.consolidated), update_goldens)
    check_golden("report_bo-2022_2022-6T", dump_docx(files.word), update_goldens)


def test_word_charts_use_the_document_typeface_and_the_workbook_colours(
        bo_2022_reported: tuple[Workspace, Any]) -> None:
    from PIL import Image

    from camket.report.charts import _family, classes_chart
    from camket.report.palette import CLASS_COLOURS

    ws, _ = bo_2022_reported
    assert _family() in ("Times New Roman", "Liberation Serif", "Tinos", "Nimbus Roman")
    png, _ = classes_chart(ws.reconcile("2022-6T"))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {"#{:02X}{:02X}{:02X}".format(*rgb) for _, rgb in image.getcolors(maxcolors=image.width * image.height)}
    assert CLASS_COLOURS[Derived.DONE_ON_TIME] in colours
