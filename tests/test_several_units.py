"""One workbook for several units: the Văn phòng sends the board members' rows in one sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from camket import Workspace
from camket.ledger import Ledger
from camket.templates import write_template

NOW = dt.datetime(2023, 4, 4, 9, 0)
BOARD = ("BGD-GD", "BGD-PGD1", "BGD-PGD2")


@pytest.fixture(scope="module")
def _so_pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("so") / "so"
    Workspace.init(root, sample="so-2023")
    return root


@pytest.fixture
def so(_so_pristine: Path, tmp_path: Path) -> Workspace:
    import shutil

    shutil.copytree(_so_pristine, tmp_path / "so")
    return Workspace.open(tmp_path / "so")


def sheet_of(ws: Workspace, rows: list[tuple[str, str, float]], path: Path, writer: str = "Văn phòng Sở",
             extra: list[list[Any]] = ()) -> Path:  # type: ignore[assignment]
    """A workbook typed by hand: the unit that compiled it above a table of (code, status, progress)."""
    master = ws.master()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ I"])
    sheet.append(["Đơn vị:", writer])
    sheet.append(["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Tình trạng", "Tiến độ (%)", "Tự chấm điểm"])
    for n, (code, status, progress) in enumerate(rows, start=1):
        task = master.task(code)
        sheet.append([n, code, task.content if task else "Nhiệm vụ ghi thêm", status, progress, 0])
    for row in extra:
        sheet.append(row)
    book.save(path)
    return path


def board_rows(ws: Workspace) -> list[tuple[str, str, float]]:
    return [(t.code, "Đang thực hiện", 30 + i) for unit in BOARD for i, t in enumerate(ws.master().tasks_of(unit))]


def test_a_sheet_of_three_board_members_counts_for_each(so: Workspace, tmp_path: Path) -> None:
    path = sheet_of(so, board_rows(so), tmp_path / "VP-tong-hop-BGD.xlsx",
                    extra=[[99, "XX-09", "Nhiệm vụ không có trong danh mục", "Hoàn thành", 100, 0],
                           [100, None, "Dòng không có mã", "Đang thực hiện", 10, 0]])
    result = so.ingest([path], "2023-Q1", now=NOW)
    assert [(o.unit, o.state) for o in result.files] == [(u, "accepted") for u in BOARD]
    with Ledger(so.root, create=False) as ledger:
        subs = ledger.submissions("2023-Q1")
        rows = ledger.accepted_rows("2023-Q1")
    assert len({s.sha256 for s in subs}) == 1 and [s.unit for s in subs] == list(BOARD)
    master = so.master()
    for unit in BOARD:   # each unit's own rows, read as typed: progress 30, 31, … by position
        own = sorted((r.task, r.progress) for r in rows if r.unit == unit)
        assert own == [(t.code, 30.0 + i) for i, t in enumerate(master.tasks_of(unit))]
    said = [f for f in result.findings if f.code == "multi-unit-workbook"]
    assert [f.unit for f in said] == list(BOARD)
    assert said[0].message == ("Tệp chứa báo cáo của 3 đơn vị (BGD-GD, BGD-PGD1, BGD-PGD2); các dòng được tính "
                               "cho từng đơn vị theo mã nhiệm vụ")
    uncounted = [(f.location.cell, f.message) for f in result.findings if f.code == "multi-unit-row-uncounted"]
    first = 4 + len(board_rows(so))
    assert uncounted == [
        (f"B{first}", f"Dòng {first} (mã XX-09) của tệp chung nhiều đơn vị không được tính cho đơn vị nào: mã nhiệm "
                      "vụ không có trong danh mục"),
        (f"B{first + 1}", f"Dòng {first + 1} (mã (trống)) của tệp chung nhiều đơn vị không được tính cho đơn vị "
                          "nào: dòng không có mã nhiệm vụ")]
    status = so.reconcile("2023-Q1")
    assert {u.unit.code for u in status.heads if u.answered} == set(BOARD)
    again = so.ingest([path], "2023-Q1", now=NOW)
    assert [o.state for o in again.files] == ["duplicate"]


def test_a_signed_answer_is_not_replaced_by_a_shared_sheet(so: Workspace, tmp_path: Path) -> None:
    job = so.template_jobs("2023-Q1", units=["BGD-GD"])[0]
    answers = {t.code: {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2023, 3, 20)}
               for t in job.tasks}
    signed = write_template(replace(job, path=tmp_path / "GD.xlsx", prefill=answers))
    assert signed.unit == "BGD-GD"
    so.ingest([tmp_path / "GD.xlsx"], "2023-Q1", now=NOW)
    result = so.ingest([sheet_of(so, board_rows(so), tmp_path / "chung.xlsx")], "2023-Q1", now=NOW)
    assert [(o.unit, o.state) for o in result.files] == [("BGD-GD", "pending"), ("BGD-PGD1", "accepted"),
                                                         ("BGD-PGD2", "accepted")]
    assert "unsigned-after-signed" in [f.code for f in result.files[0].findings]


def test_through_a_personal_link_only_that_units_part_counts(so: Workspace, tmp_path: Path) -> None:
    path = sheet_of(so, board_rows(so), tmp_path / "chung.xlsx")
    result = so.ingest([path], "2023-Q1", now=NOW, expected_unit="BGD-PGD1")
    assert [(o.unit, o.state) for o in result.files] == [("BGD-GD", "pending"), ("BGD-PGD1", "accepted"),
                                                         ("BGD-PGD2", "pending")]


def test_a_units_table_with_a_stray_row_of_another_stays_that_units(so: Workspace, tmp_path: Path) -> None:
    rows = [(t.code, "Đang thực hiện", 50) for t in so.master().tasks_of("VP")]
    rows.append((so.master().tasks_of("QLDL")[0].code, "Hoàn thành", 100))
    result = so.ingest([sheet_of(so, rows, tmp_path / "VP.xlsx")], "2023-Q1", now=NOW)
    assert [(o.unit, o.state) for o in result.files] == [("VP", "accepted")]
    assert "task-of-other-unit" in [f.code for f in result.findings]
    assert "multi-unit-workbook" not in [f.code for f in result.findings]
