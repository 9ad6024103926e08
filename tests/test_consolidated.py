"""The consolidated workbook: every figure equals the one recomputed independently from
its own detail sheet; text from offices is never a formula."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from camket import Workspace
from camket.findings import TITLES
from camket.xlsxkit import text_ems

from .conftest import SAMPLE_TIME

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2022, 6, 30)


@pytest.fixture
def reported(bo_2022_reported: tuple[Workspace, Any]) -> tuple[Workspace, Path]:
    ws, files = bo_2022_reported
    return ws, files.consolidated


def table(book: Any, name: str) -> list[dict[str, Any]]:
    """A sheet's data rows keyed by header (the header is the row starting with "STT")."""
    rows = list(book[name].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    header = rows[start]
    return [dict(zip(header, r, strict=False)) for r in rows[start + 1:] if r[0] is not None]


def independent_class(row: dict[str, Any]) -> str:
    """The rules of a round, written again from the report's own columns."""
    status, deadline, done_on = row["Tình trạng"], row["Thời hạn"], row["Ngày hoàn thành"]
    deadline = deadline.date() if isinstance(deadline, dt.datetime) else None
    done_on = done_on.date() if isinstance(done_on, dt.datetime) else None
    if not status:
        return "Chưa báo cáo"
    if status == "Hoàn thành":
        late = done_on is not None and deadline is not None and done_on > deadline
        return "Hoàn thành quá hạn" if late else "Hoàn thành đúng hạn"
    if status == "Đang thực hiện":
        return "Đang thực hiện quá hạn" if deadline is not None and deadline < AS_OF else "Đang thực hiện trong hạn"
    return status


def summary_lines(book: Any) -> list[tuple[str, Any, Any]]:
    """The Tổng hợp sheet's (label, count, rate) lines, in order."""
    lines = []
    for r in book["Tổng hợp"].iter_rows(min_row=6, max_col=3, values_only=True):
        if r[0] is None:
            break
        lines.append((r[0].strip(), r[1], r[2]))
    return lines


def recount(detail: list[dict[str, Any]], due_only: bool = False) -> Counter[str]:
    """Classes of the detail's tasks (only those due by AS_OF with ``due_only``)."""
    def due(row: dict[str, Any]) -> bool:
        return isinstance(row["Thời hạn"], dt.datetime) and row["Thời hạn"].date() <= AS_OF
    return Counter(row["Phân loại"] for row in detail if not due_only or due(row))


def test_every_figure_equals_an_independent_recount_of_the_detail(reported: tuple[Workspace, Path]) -> None:
    ws, path = reported
    book = openpyxl.load_workbook(path)
    detail = table(book, "Chi tiết")
    assert len(detail) == len(ws.master().tasks) == 107
    for row in detail:
        assert row["Phân loại"] == independent_class(row), row["Mã nhiệm vụ"]
    classes, due = recount(detail), recount(detail, due_only=True)
    done = classes["Hoàn thành đúng hạn"] + classes["Hoàn thành quá hạn"]
    due_done = due["Hoàn thành đúng hạn"] + due["Hoàn thành quá hạn"]
    due_total = sum(due.values())
    assert 0 < due_total < len(detail)  # an interim round: some tasks are not due yet

    lines = summary_lines(book)
    labels = [label for label, _, _ in lines]
    # interim: the tasks due first, then the whole year
    assert labels[0].startswith("Nhiệm vụ đến hạn") and lines[0][1] == due_total
    assert lines[1][:2] == ("Đã hoàn thành", due_done)
    assert abs(lines[1][2] - due_done / due_total) <= 0.0005 + 1e-12
    assert lines[3][:2] == ("Chưa hoàn thành", due_total - due_done)
    by_label = {label: (n, rate) for label, n, rate in lines[4:]}
    assert by_label["Tổng số nhiệm vụ cả năm"][0] == len(detail)
    assert by_label["Đã hoàn thành (lũy kế)"] == (done, round(done * 1000 / len(detail) + 1e-9) / 1000)
    assert by_label["trong đó: hoàn thành đúng hạn"][0] == classes["Hoàn thành đúng hạn"]
    assert by_label["Chưa báo cáo"][0] == classes["Chưa báo cáo"]
    assert by_label["Không thực hiện (có lý do)"][0] == classes["Không thực hiện"]

    units = table(book, "Theo đơn vị")
    per_unit = Counter(row["Mã đơn vị"] for row in detail)
    done_unit = Counter(row["Mã đơn vị"] for row in detail if row["Phân loại"].startswith("Hoàn thành"))
    late_unit = Counter(row["Mã đơn vị"] for row in detail if row["Phân loại"] == "Hoàn thành quá hạn")
    is_due = [row for row in detail if isinstance(row["Thời hạn"], dt.datetime) and row["Thời hạn"].date() <= AS_OF]
    due_unit = Counter(row["Mã đơn vị"] for row in is_due)
    due_done_unit = Counter(row["Mã đơn vị"] for row in is_due if row["Phân loại"].startswith("Hoàn thành"))
    full = 0
    for u in units:
        code = u["Mã đơn vị"]
        answered = u["Tệp báo cáo"] != "Chưa gửi báo cáo" and not u["Tệp báo cáo"].startswith("Đã gửi")
        assert u["Số nhiệm vụ"] == per_unit[code]
        assert u["Hoàn thành (cả năm)"] == done_unit[code]
        assert u["Hoàn thành quá hạn"] == late_unit[code]
        assert u["Nhiệm vụ đến hạn"] == due_unit[code]
        assert u["Hoàn thành 100%"] == ("Có" if done_unit[code] == per_unit[code] else "Không")
        if answered:
            assert u["Hoàn thành (nhiệm vụ đến hạn)"] == due_done_unit[code]
            assert abs(u["Tỉ lệ hoàn thành (cả năm)"] - done_unit[code] / per_unit[code]) <= 0.0005 + 1e-12
            full += bool(due_unit[code]) and due_done_unit[code] == due_unit[code]
        else:  # no report: no rate, not a 0%
            assert u["Tỉ lệ hoàn thành (cả năm)"] is None and u["Hoàn thành (nhiệm vụ đến hạn)"] is None
    headline = next(r[0] for r in book["Tổng hợp"].iter_rows(values_only=True)
                    if isinstance(r[0], str) and r[0].startswith("Đã hoàn thành ") and "thủ trưởng" in r[0])
    assert f"Đã hoàn thành {due_done}/{due_total} nhiệm vụ đến hạn" in headline
    assert f"lũy kế {done}/{len(detail)} nhiệm vụ của cả năm" in headline
    assert f"Có {full}/{len(units)} thủ trưởng hoàn thành 100% nhiệm vụ đến hạn." in headline

    groups = Counter(row["Nhóm"] for row in detail)
    group_done = Counter(row["Nhóm"] for row in detail if row["Phân loại"].startswith("Hoàn thành"))
    group_due = Counter(row["Nhóm"] for row in is_due)
    rows = list(book["Tổng hợp"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Theo nhóm nhiệm vụ")
    header = rows[start]
    for r in rows[start + 1:start + 1 + len(groups)]:
        values = dict(zip(header, r, strict=True))
        assert (values["Tổng số"], values["Hoàn thành"], values["Nhiệm vụ đến hạn"]) == (
            groups[r[0]], group_done[r[0]], group_due[r[0]])

    status = ws.reconcile("2022-6T").status_json()
    assert status["tasks"]["completed"] == done  # type: ignore[index]


def test_formats_charts_and_printing(reported: tuple[Workspace, Path]) -> None:
    ws, path = reported
    book = openpyxl.load_workbook(path)
    detail = book["Chi tiết"]
    header = [c.value for c in detail[1]]
    progress = header.index("Tiến độ (%)") + 1
    cells = [detail.cell(r, progress) for r in range(2, detail.max_row + 1)]
    values = [c.value for c in cells if c.value is not None]
    assert values and max(values) > 1  # 0-100, as offices wrote it …
    assert all("%" not in c.number_format for c in cells)  # … and never shown as 2000,0%
    units = book["Theo đơn vị"]
    rate = [c.value for c in units[1]].index("Tỉ lệ hoàn thành (cả năm)") + 1
    shown = [units.cell(r, rate) for r in range(2, units.max_row + 1) if units.cell(r, rate).value is not None]
    assert shown and all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in shown)

    # the chart of units: short readable names, highest rate first, non-reporters marked and last
    result = ws.reconcile("2022-6T")
    data = [r for r in book["Dữ liệu biểu đồ"].iter_rows(max_col=3, values_only=True) if r[0]]
    labels = [label for label, _, _ in data]
    assert not any(label in {u.unit.code for u in result.units} for label in labels)
    rated = [value for _, value, note in data if not note]
    assert rated == sorted(rated, reverse=True)
    silent = [label for label, _, note in data if note == "chưa báo cáo"]
    assert len(silent) == len(result.missing) and all(v == 0 for _, v, note in data if note)
    assert labels[-len(silent):] == silent
    with zipfile.ZipFile(path) as package:
        charts = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/charts/chart")]
    doughnut = next(c for c in charts if "doughnutChart" in c)
    assert "2E7D32" in doughnut  # the class colours of the Word report's chart
    bars = next(c for c in charts if "barChart" in c)
    assert "chưa báo cáo" in bars  # said beside the bar, as in the Word report, not in the label

    # printing: header repeated, technical columns out of the print area, legible across pages
    assert detail.print_title_rows == "$1:$1"
    codes = header.index("Mã nhiệm vụ")
    assert header[codes:] == ["Mã nhiệm vụ", "Mã đơn vị", "Tệp nguồn", "Ô"]
    assert str(detail.print_area).endswith(f"$A$1:${get_column_letter(codes)}${detail.max_row}")  # before the codes
    assert detail.page_setup.fitToWidth == 2 and detail.print_title_cols == "$A:$C"
    summary = book["Tổng hợp"]
    assert summary.page_setup.scale and summary.row_breaks.brk  # a fixed scale: the page breaks hold in Excel too
    wrapped = [units.row_dimensions[r].height for r in range(2, units.max_row + 1)]
    assert any(h and h > 15 for h in wrapped)  # long names get taller rows


def test_neighbouring_cells_never_run_together_in_print(reported: tuple[Workspace, Path]) -> None:
    """Text follows a number or a time printed flush right one indent in: no "1Cục …",
    "97.5Hoàn thành …" or "08:00thời điểm lưu tệp" on paper; the STT is centred."""
    _, path = reported
    book = openpyxl.load_workbook(path)
    for name in ("Theo đơn vị", "Chi tiết", "Điểm"):
        sheet = book[name]
        first = int(sheet.freeze_panes[1:])  # the row below the frozen header
        rows = list(sheet.iter_rows(min_row=first))
        header = [c.value for c in sheet[first - 1]]
        pairs = 0
        for row in rows:
            assert row[0].alignment.horizontal == "center", (name, row[0].coordinate)
            for left, cell in itertools.pairwise(row):
                if isinstance(cell.value, str) and isinstance(left.value, int | float | dt.datetime):
                    pairs += 1
                    assert cell.alignment.horizontal == "left" and cell.alignment.indent >= 1, (
                        name, header[cell.column - 1], cell.coordinate)
        assert pairs, name
    for name in ("Theo đơn vị", "Điểm"):  # a rating on one line, past its indent
        sheet = book[name]
        header_row = int(sheet.freeze_panes[1:]) - 1
        rating = get_column_letter([c.value for c in sheet[header_row]].index("Xếp loại") + 1)
        longest = max((c.value for c in sheet[rating][header_row:] if c.value), key=len)
        assert text_ems(longest) * 11 * 4 / 3 + 14 <= sheet.column_dimensions[rating].width * 7, name


def test_titles_date_as_running_text_and_silent_units_are_not_self_scored(reported: tuple[Workspace, Path]) -> None:
    ws, path = reported
    book = openpyxl.load_workbook(path)
    assert book["Tổng hợp"]["A3"].value == "Số liệu tính đến ngày 30/6/2022; hạn gửi báo cáo 05/7/2022"
    assert book["Quá hạn"]["A1"].value.endswith("(đến ngày 30/6/2022)")
    assert any(c.value == "Nhiệm vụ đến hạn (thời hạn đến ngày 30/6/2022)" for c in book["Tổng hợp"]["A"])
    detail = book["Chi tiết"]
    deadline = [c.value for c in detail[1]].index("Thời hạn") + 1
    assert detail.cell(2, deadline).number_format == "dd/mm/yyyy"  # a table cell keeps the day and month padded
    silent = {u.unit.name for u in ws.reconcile("2022-6T").missing}
    basis = {row["Tên đơn vị"]: row["Căn cứ chấm"] for row in table(book, "Điểm")}
    assert silent and {basis[name] for name in silent} == {"chưa báo cáo"}
    assert {b for name, b in basis.items() if name not in silent} <= {"tự chấm", "thẩm định", "tỉ lệ hoàn thành"}


def test_overdue_missing_and_proposed_sheets(reported: tuple[Workspace, Path]) -> None:
    ws, path = reported
    book = openpyxl.load_workbook(path)
    detail = table(book, "Chi tiết")
    overdue_rows = list(book["Quá hạn"].iter_rows(values_only=True))
    overdue = table(book, "Quá hạn") if any(r[0] == "STT" and len(overdue_rows) > 3 for r in overdue_rows) else []
    assert {r["Mã nhiệm vụ"] for r in overdue} == {r["Mã nhiệm vụ"] for r in detail if r["Quá hạn"] == "x"}
    if not overdue:
        assert overdue_rows[3][0] == "Không có nhiệm vụ quá hạn chưa hoàn thành."
    for r in overdue:
        assert r["Số ngày quá hạn"] == (AS_OF - r["Thời hạn"].date()).days > 0
    result = ws.reconcile("2022-6T")
    missing = table(book, "Chưa báo cáo")
    assert {r["Mã nhiệm vụ"] for r in missing} == {r["Mã nhiệm vụ"] for r in detail if r["Phân loại"] == "Chưa báo cáo"}
    notes = {r["Mã đơn vị"]: r["Ghi chú"] for r in missing if r["Ghi chú"]}
    assert list(notes) == [u.unit.code for u in result.missing]
    for code, note in notes.items():  # a unit whose file could not be read is told so, not that it never sent
        assert (note == "Chưa gửi báo cáo") == (code not in result.rejected), (code, note)
    assert result.rejected, "the simulation sends one corrupt file, named for its unit"
    proposed = table(book, "Phát sinh")
    assert len(proposed) == len(result.proposed) >= 1
    findings = table(book, "Lỗi dữ liệu")
    assert len(findings) == len(result.findings)
    assert all(r["Loại"] == TITLES[r["Mã phát hiện"]] for r in findings)
    headers = {c.value for ws_ in book.worksheets for c in next(ws_.iter_rows(max_row=3))}
    assert not headers & {"Sheet", "Email"}
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", r["Nội dung"]) for r in findings)  # no ISO times


def test_text_from_offices_is_never_a_formula(tmp_path: Path) -> None:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    ws.ingest([DATA / "returned" / "returned_formula_injection.xlsx"], "2022-6T", now=dt.datetime(2022, 7, 3))
    path = ws.report("2022-6T", generated=SAMPLE_TIME).consolidated
    texts = ['=HYPERLINK("http://example.com","bấm vào")', "+84 912 345 678 (gọi để biết thêm)",
             "-Đề nghị bổ sung kinh phí", "@SUM(1+1)"]
    cells = {c.value: c.data_type for row in openpyxl.load_workbook(path)["Chi tiết"].iter_rows() for c in row
             if c.value in texts}
    assert cells == dict.fromkeys(texts, "s")
    with zipfile.ZipFile(path) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in package.read(n) for n in sheets)
