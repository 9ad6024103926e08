"""Cross-round consistency: an office's answers at the year's end checked against its answers of
the six months. Each contradiction (done then not done, a completion date before the cut-off at which
the task was reported not done, progress going down, a changed completion date) is a finding at the
cell of the current file, addressed to the unit, in every place the round's findings are shown; a
consistent unit has none, and the figures are those of the round alone."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.templates import PROBLEMS_SHEET, write_template

from .conftest import CONFIG, SAMPLE_TIME, TASK_HEADERS, UNITS, write_master_xlsx
from .webtools import csrf, office_path, signed_in

YEAR_END = """
[[round]]
id = "2022-CN"
name = "năm 2022"
as_of = 2022-12-15
due = 2022-12-22
"""
TASKS = [
    ["VP-01", "VP", "Xây dựng Quy chế làm việc của Bộ", "Thể chế", "Tự đăng ký", "Quyết định", "", "30/06/2022", 25,
     ""],
    ["VP-02", "VP", "Tổ chức Hội nghị tổng kết công tác năm", "Quản lý", "Tự đăng ký", "Hội nghị", "", "15/12/2022",
     25, ""],
    ["VP-03", "VP", "Theo dõi việc thực hiện Quy chế", "Quản lý", "Tự đăng ký", "Báo cáo", "", "Thường xuyên", 50, ""],
    ["VPC-01", "VPC", "Rà soát văn bản quy phạm pháp luật", "Thể chế", "Bộ trưởng giao", "Báo cáo", "", "30/9/2022",
     50, ""],
    ["VPC-02", "VPC", "Kiểm tra công tác pháp chế tại các đơn vị", "Quản lý", "Tự đăng ký", "Kết luận", "", "12/2022",
     50, ""],
    ["KHTC-01", "KHTC", "Lập dự toán ngân sách năm 2023", "Quản lý", "Tự đăng ký", "Dự toán", "", "30/9/2022", 25, ""],
    ["KHTC-02", "KHTC", "Quyết toán ngân sách năm 2021", "Quản lý", "Tự đăng ký", "Báo cáo", "", "12/2022", 25, ""],
    ["KHTC-03", "KHTC", "Giao dự toán năm 2022", "Quản lý", "Tự đăng ký", "Quyết định", "", "31/3/2022", 25, ""],
    ["KHTC-04", "KHTC", "Xây dựng phần mềm quản lý tài sản", "Quản lý", "Tự đăng ký", "Phần mềm", "", "12/2022", 25,
     ""],
]
KHTC = ["KHTC", "Vụ Kế hoạch - Tài chính", "Cơ quan hành chính", "Đỗ Thu Hà", "Vụ trưởng", "khtc@bo.example.vn"]
DONE, DOING, DROPPED = "Hoàn thành", "Đang thực hiện", "Không thực hiện"


def done(day: dt.date, score: float) -> dict[str, Any]:
    return {"status": DONE, "progress": 100, "completed_on": day, "self_score": score}


def doing(progress: int, points: float) -> dict[str, Any]:
    return {"status": DOING, "progress": progress, "self_score": points * progress / 100}


HALF_YEAR = {
    "VP": {"VP-01": doing(80, 25), "VP-02": done(dt.date(2022, 2, 7), 25), "VP-03": done(dt.date(2022, 6, 30), 50)},
    "VPC": {"VPC-01": doing(60, 50), "VPC-02": done(dt.date(2022, 5, 10), 50)},
    "KHTC": {"KHTC-01": doing(50, 25), "KHTC-02": doing(40, 25), "KHTC-03": done(dt.date(2022, 3, 15), 25),
             "KHTC-04": doing(30, 25)},
}
YEAR = {
    # done on 01/02, yet "in progress, 80%" at 30/06; done on 07/02, now in progress again;
    # an ongoing task done for the half year and in progress since: no contradiction
    "VP": {"VP-01": done(dt.date(2022, 2, 1), 25), "VP-02": doing(30, 25), "VP-03": doing(50, 50)},
    # 60% -> 40%; the completion date moved from 10/05 to 20/05
    "VPC": {"VPC-01": doing(40, 50), "VPC-02": done(dt.date(2022, 5, 20), 50)},
    # the control unit: done after the cut-off, progress up, the same date, a task stopped with its reason
    "KHTC": {"KHTC-01": done(dt.date(2022, 9, 10), 25), "KHTC-02": doing(70, 25),
             "KHTC-03": done(dt.date(2022, 3, 15), 25),
             "KHTC-04": {"status": DROPPED, "progress": 0, "self_score": 0,
                         "difficulties": "Bộ cho dừng, chuyển sang năm 2023"}},
}
CROSS = {"status-reverted", "date-before-previous-as-of", "date-differs-from-previous", "progress-decreased"}
EXPECTED = [
    ("date-before-previous-as-of", "warning", "VP", "VP-01", "VP.xlsx", "Báo cáo", "L8",
     'Nhiệm vụ "VP-01" báo cáo hoàn thành ngày 01/02/2022, nhưng báo cáo kỳ 6 tháng đầu năm 2022 (số liệu đến '
     'ngày 30/06/2022) ghi "Đang thực hiện, tiến độ 80%"'),
    ("status-reverted", "warning", "VP", "VP-02", "VP.xlsx", "Báo cáo", "H9",
     'Nhiệm vụ "VP-02" đã được báo cáo Hoàn thành ở kỳ 6 tháng đầu năm 2022 (ngày hoàn thành: 07/02/2022), '
     'kỳ này lại báo cáo "Đang thực hiện"'),
    ("progress-decreased", "warning", "VPC", "VPC-01", "VPC.xlsx", "Báo cáo", "I8",
     'Tiến độ nhiệm vụ "VPC-01" giảm từ 60% (kỳ 6 tháng đầu năm 2022) xuống 40%'),
    ("date-differs-from-previous", "info", "VPC", "VPC-02", "VPC.xlsx", "Báo cáo", "L9",
     'Nhiệm vụ "VPC-02" báo cáo hoàn thành ngày 20/05/2022, kỳ 6 tháng đầu năm 2022 đã báo cáo hoàn thành ngày '
     "10/05/2022"),
]


def _fill(ws: Workspace, round_id: str, answers: dict[str, dict[str, dict[str, Any]]], folder: Path) -> None:
    for job in ws.template_jobs(round_id, generated=SAMPLE_TIME):
        write_template(replace(job, path=folder / f"{job.unit.code}.xlsx", prefill=answers[job.unit.code]))


@pytest.fixture(scope="module")
def _made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ws``: the six months ingested, the year's files written into ``nam/``; ``alone``: the same
    workspace (same secret) without the six months."""
    base = tmp_path_factory.mktemp("consistency")
    root = base / "ws"
    Workspace.init(root)
    (root / "camket.toml").write_text(CONFIG + YEAR_END, encoding="utf-8")
    write_master_xlsx(root / "danh-muc.xlsx", [*UNITS[:2], KHTC], TASKS, task_headers=TASK_HEADERS)
    ws = Workspace.open(root)
    _fill(ws, "2022-6T", HALF_YEAR, base / "6t")
    _fill(ws, "2022-CN", YEAR, base / "nam")
    shutil.copytree(root, base / "alone")
    ws.ingest([base / "6t"], "2022-6T", now=dt.datetime(2022, 7, 4, 9))
    return base


@pytest.fixture
def made(_made: Path, tmp_path: Path) -> Path:
    shutil.copytree(_made, tmp_path / "made")
    return tmp_path / "made"


def _year_end(made: Path, name: str = "ws") -> Workspace:
    ws = Workspace.open(made / name)
    ws.ingest(sorted((made / "nam").glob("*.xlsx")), "2022-CN", now=dt.datetime(2022, 12, 20, 9))
    return ws


def _cross(findings: Any) -> list[tuple[str, ...]]:
    return [(f.code, f.severity.value, f.unit, f.task, f.location.file, f.location.sheet, f.location.cell, f.message)
            for f in findings if f.code in CROSS]


def test_each_contradiction_is_found_at_its_cell_and_the_figures_are_the_rounds_own(made: Path) -> None:
    ws, alone = _year_end(made), _year_end(made, "alone")
    result, own = ws.reconcile("2022-CN"), alone.reconcile("2022-CN")
    assert _cross(result.findings) == EXPECTED
    assert _cross(ws.contradictions("2022-CN")) == EXPECTED
    assert _cross(ws.contradictions("2022-CN", unit="VPC")) == EXPECTED[2:]
    assert _cross(own.findings) == [] and ws.contradictions("2022-6T") == []
    assert [f for f in result.findings if f.code not in CROSS] == list(own.findings)
    # the figures are those of the year's answers alone: a warning, never a reinterpretation
    assert [(t.task.code, t.derived, t.status, t.progress, t.completed_on) for t in result.tasks] == \
        [(t.task.code, t.derived, t.status, t.progress, t.completed_on) for t in own.tasks]
    mine, theirs = result.status_json(), own.status_json()
    for data in (mine, theirs):
        data.pop("findings")
        for unit in data["unit_results"]:
            unit.pop("warnings")
    assert mine == theirs
    assert ws.reconcile("2022-CN").findings == result.findings  # recomputed, the same each time


def test_status_counts_them_with_the_units_file(made: Path) -> None:
    ws = _year_end(made)
    answer = CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--round", "2022-CN", "--json"])
    assert answer.exit_code == 0, answer.output
    data = json.loads(answer.output)
    assert data["findings"] == {"error": 0, "warning": 3}
    assert {u["code"]: u["warnings"] for u in data["unit_results"]} == {"VP": 2, "VPC": 1, "KHTC": 0}
    text = CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--round", "2022-CN"]).output
    assert "Phát hiện: 0 lỗi, 3 cảnh báo, 1 thông tin." in text


def test_the_consolidated_workbook_and_the_offices_feedback_list_them(made: Path) -> None:
    ws = _year_end(made)
    files = ws.report("2022-CN", generated=dt.datetime(2022, 12, 23, 8))
    consolidated = openpyxl.load_workbook(files.consolidated, read_only=True)
    try:
        listed = [(r[-1], r[2], r[6], r[8]) for r in consolidated["Lỗi dữ liệu"].iter_rows(values_only=True)
                  if r[-1] in CROSS]
    finally:
        consolidated.close()  # a read-only workbook keeps its file open until closed
    assert listed == [
        ("date-before-previous-as-of", "Ngày hoàn thành mâu thuẫn với kỳ trước", "VP.xlsx", "L8"),
        ("status-reverted", "Đã hoàn thành, kỳ này báo cáo chưa xong", "VP.xlsx", "H9"),
        ("progress-decreased", "Tiến độ giảm so với kỳ trước", "VPC.xlsx", "I8"),
        ("date-differs-from-previous", "Ngày hoàn thành khác kỳ trước", "VPC.xlsx", "L9")]
    sent = {p.name.split("_")[2]: p for p in files.feedback}
    assert set(sent) == {"VP", "VPC"}  # the consistent unit gets nothing to fix
    book = openpyxl.load_workbook(sent["VP"])
    rows = [r for r in book[PROBLEMS_SHEET].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in rows] == ["Báo cáo, ô L8, nhiệm vụ VP-01", "Báo cáo, ô H9, nhiệm vụ VP-02"]
    report = book["Báo cáo"]
    assert report["L8"].comment is not None and "30/06/2022" in report["L8"].comment.text
    assert report["H9"].comment is not None and "07/02/2022" in report["H9"].comment.text
    assert report["H9"].value == DOING and report["I9"].comment is None
    vpc = openpyxl.load_workbook(sent["VPC"])
    assert "giảm từ 60%" in vpc["Báo cáo"]["I8"].comment.text
    assert vpc["Báo cáo"]["L9"].comment is None  # information: nothing to fix


def test_the_web_pages_show_them_to_the_department_and_to_the_office(made: Path) -> None:
    ws = Workspace.open(made / "ws")
    web = signed_in(ws.root)
    link = office_path(ws.root, "VP", "2022-CN")
    sent = (made / "nam" / "VP.xlsx").read_bytes()
    answer = web.post(link, files=[("files", ("VP.xlsx", sent, "application/octet-stream"))],
                      data={"csrf": csrf(web, link)})
    assert answer.status_code == 200
    shown = _text(answer.text)
    assert f'Cảnh báo sheet "Báo cáo", ô L8 VP-01 {EXPECTED[0][-1]}.' in shown
    assert f'Cảnh báo sheet "Báo cáo", ô H9 VP-02 {EXPECTED[1][-1]}.' in shown
    assert f"{link}/phan-hoi" in answer.text  # the feedback workbook, cells to fix in red
    number = next(s.id for s in ws.submissions("2022-CN") if s.unit == "VP")
    page = _text(web.get(f"/ky/2022-CN/tep/{number}").text)
    assert "Phát hiện (0)" in page  # the file's own findings: none
    assert "Đối chiếu với báo cáo 6 tháng đầu năm 2022 (2)" in page
    assert EXPECTED[0][-1] in page and EXPECTED[1][-1] in page and "VPC-01" not in page
    assert "0 lỗi dữ liệu · 2 cảnh báo" in _text(web.get("/ky/2022-CN").text)


def _text(page: str) -> str:
    """A page's visible text: inline tags removed, block tags as spaces, spaces collapsed."""
    inline = re.sub(r"</?(strong|em|code|a)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())
