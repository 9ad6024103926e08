"""Feedback workbooks: a unit's problems come back highlighted; corrected and resent,
the workbook is accepted as a resubmission and clears the unit's findings."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl

from camket import Workspace
from camket.model import Severity
from camket.templates import GUIDE_SHEET, NOTES_SHEET, PROBLEMS_SHEET, write_template

from .conftest import SAMPLE_TIME

DATA = Path(__file__).parent / "data"


def test_a_corrected_feedback_workbook_clears_the_units_findings(tmp_path: Path) -> None:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    job = ws.template_jobs("2022-6T", units=["VPC"], generated=SAMPLE_TIME)[0]
    answers = {
        "VPC-01": {"status": "Hoàn thành", "progress": 150, "achieved": 100, "completed_on": dt.date(2022, 6, 1),
                   "self_score": 50},
        "VPC-02": {"status": "xong", "progress": 100, "completed_on": dt.date(2022, 6, 2), "self_score": 30},
        "VPC-03": {"status": "Hoàn thành", "progress": 100, "achieved": 2, "completed_on": "31/02/2022",
                   "self_score": 20},
    }
    sent = tmp_path / "nhan" / "VPC.xlsx"
    write_template(replace(job, path=sent, prefill=answers))
    first = ws.ingest([sent], "2022-6T", now=dt.datetime(2022, 7, 4, 9))
    assert sorted((f.code, f.location.cell) for f in first.findings if f.severity is not Severity.INFO) == [
        ("date-invalid", "L10"), ("progress-out-of-range", "I8"), ("status-synonym", "H9")]

    files = ws.report("2022-6T", generated=SAMPLE_TIME)
    names = {p.name.split("_")[2]: p for p in files.feedback}
    assert set(names) == {"VPC", "VP", "TTCNTT"}  # problems for VPC, reminders for the two silent units
    book = openpyxl.load_workbook(names["VPC"])
    assert book.sheetnames[0] == PROBLEMS_SHEET
    rows = list(book[PROBLEMS_SHEET].iter_rows(values_only=True))
    intro = rows[1][0]
    resend = "08/7/2022"  # dated Friday 01/7/2022, plus 5 working days
    assert "còn 2 nội dung cần sửa" in intro and f"chậm nhất ngày {resend}" in intro
    listed = [r for r in rows[3:] if isinstance(r[0], int)]
    assert len(listed) == sum(1 for f in first.findings if f.severity is not Severity.INFO)
    headings = [r[2] for r in rows if r[0] == "STT"]
    assert headings == ["Nội dung cần sửa", "Lưu ý cho lần báo cáo sau (không cần sửa)"]
    assert "xong" in listed[-1][2]  # the understood synonym is a note for next time, not a fix
    sheet = book["Báo cáo"]
    assert sheet["I8"].value == 150 and "0–100" in sheet["I8"].comment.text
    assert sheet["H9"].value == "Hoàn thành" and sheet["H9"].comment is None
    assert sheet["L10"].value == "31/02/2022" and "ngày hợp lệ" in sheet["L10"].comment.text
    assert sheet["I8"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["I9"].comment is None  # cells without problems are left alone
    assert sheet["K8"].value == 100  # the achieved value sent back as it was
    assert sheet["D5"].value == "Hạn gửi lại:" and sheet["E5"].value == dt.datetime(2022, 7, 8)
    reminder = " ".join(str(c) for r in openpyxl.load_workbook(names["VP"])[PROBLEMS_SHEET].iter_rows(
        values_only=True) for c in r if c)
    assert "chưa nhận được báo cáo" in reminder and "hạn gửi ngày 05/7/2022" in reminder
    assert f"chậm nhất ngày {resend}" in reminder and "ô tô đỏ" not in reminder
    mailing = list(openpyxl.load_workbook(files.feedback_list).active.iter_rows(values_only=True))
    by_code = {r[1]: r for r in mailing[1:]}
    assert mailing[0][7] == "Hạn gửi lại" and by_code["VP"][7] == dt.datetime(2022, 7, 8)
    assert (by_code["VP"][9], by_code["VPC"][9]) == ("Nhắc gửi báo cáo", "Sửa và gửi lại báo cáo")

    sheet["I8"].value = 100                       # the office fixes what is highlighted …
    sheet["L10"].value = dt.datetime(2022, 6, 20)
    corrected = tmp_path / "nhan-lai" / "VPC-sua.xlsx"
    corrected.parent.mkdir()
    book.save(corrected)                          # … in whatever program, and sends it back
    second = ws.ingest([corrected], "2022-6T", now=dt.datetime(2022, 7, 5, 9))
    assert [o.state for o in second.files] == ["accepted"]
    assert [f.code for f in second.findings if f.severity is not Severity.INFO] == []
    result = ws.reconcile("2022-6T")
    vpc = next(u for u in result.units if u.unit.code == "VPC")
    assert (vpc.errors, vpc.warnings) == (0, 0)
    assert vpc.all_done
    assert not [f for f in result.findings if f.unit == "VPC" and f.severity is not Severity.INFO]


def test_each_feedback_workbook_names_its_sheet_its_deadline_and_files_as_the_office_knows_them(
        bo_2022_reported: tuple[Workspace, Any]) -> None:
    _, files = bo_2022_reported
    listed = openpyxl.load_workbook(files.feedback_list).active.iter_rows(min_row=2, values_only=True)
    mailing = {r[1]: r for r in listed}
    cases = set()
    for path in files.feedback:
        book = openpyxl.load_workbook(path)
        unit = path.name.split("_")[2]
        case, deadline = mailing[unit][9], mailing[unit][7]
        first = book.worksheets[0]
        rows = [r for r in first.iter_rows(values_only=True) if any(r)]
        text = " ".join(str(c) for r in rows for c in r if c)
        guide = {r[0]: r[1] for r in book[GUIDE_SHEET].iter_rows(values_only=True) if r[0]}
        cases.add(case)
        if not isinstance(deadline, dt.datetime):  # "Không cần gửi lại": notes for next time, in a sheet that says so
            assert first.title == NOTES_SHEET and PROBLEMS_SHEET not in book.sheetnames, path.name
            assert "không cần gửi lại" in text and "Hạn gửi lại" not in guide
            continue
        day = f"{deadline.day:02d}/{deadline.month}/{deadline.year}"  # 08/7/2022, as running text writes it
        assert first.title == PROBLEMS_SHEET, path.name
        assert f"chậm nhất ngày {day}" in text and "trước ngày" not in text, path.name
        assert guide["Hạn gửi lại"] == f"Chậm nhất ngày {day}", path.name  # the same words and date everywhere
        if case.startswith("Tệp đã gửi không đọc được"):
            places = [r[1] for r in rows if isinstance(r[0], int)]
            assert places and all("/" not in p and "\\" not in p for p in places), places  # the file, not our folders
            assert any(p.endswith((".xlsx", ".xls", ".ods")) for p in places)
    assert {"Lưu ý cho lần sau, không cần gửi lại", "Tệp đã gửi không đọc được, đề nghị gửi lại",
            "Nhắc gửi báo cáo"} <= cases
