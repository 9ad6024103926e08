"""The consolidated workbook: every figure equals the one recomputed independently from
its own detail sheet; text from offices is never a formula."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from camket import Workspace

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


def test_every_figure_equals_an_independent_recount_of_the_detail(reported: tuple[Workspace, Path]) -> None:
    ws, path = reported
    book = openpyxl.load_workbook(path)
    detail = table(book, "Chi tiết")
    assert len(detail) == len(ws.master().tasks) == 107
    for row in detail:
        assert row["Phân loại"] == independent_class(row), row["Mã nhiệm vụ"]
    classes = Counter(row["Phân loại"] for row in detail)
    done = classes["Hoàn thành đúng hạn"] + classes["Hoàn thành quá hạn"]

    summary = {r[0].strip(): (r[1], r[2]) for r in book["Tổng hợp"].iter_rows(min_row=6, max_row=18,
                                                                               max_col=3, values_only=True)}
    assert summary["Tổng số nhiệm vụ"][0] == len(detail)
    assert summary["Đã hoàn thành"] == (done, round(done * 1000 / len(detail) + 1e-9) / 1000)
    assert summary["trong đó: đúng hạn"][0] == classes["Hoàn thành đúng hạn"]
    assert summary["Chưa báo cáo"][0] == classes["Chưa báo cáo"]
    assert summary["Không thực hiện"][0] == classes["Không thực hiện"]

    units = table(book, "Theo đơn vị")
    per_unit = Counter(row["Mã đơn vị"] for row in detail)
    done_unit = Counter(row["Mã đơn vị"] for row in detail if row["Phân loại"].startswith("Hoàn thành"))
    late_unit = Counter(row["Mã đơn vị"] for row in detail if row["Phân loại"] == "Hoàn thành quá hạn")
    for u in units:
        code = u["Mã đơn vị"]
        assert u["Số nhiệm vụ"] == per_unit[code]
        assert u["Hoàn thành"] == done_unit[code]
        assert u["Hoàn thành quá hạn"] == late_unit[code]
        assert u["Hoàn thành 100%"] == ("Có" if done_unit[code] == per_unit[code] else "Không")
        exact = done_unit[code] / per_unit[code]
        assert abs(u["Tỉ lệ hoàn thành"] - exact) <= 0.0005 + 1e-12
    heads_all = sum(1 for u in units if u["Hoàn thành 100%"] == "Có")
    assert summary["Thủ trưởng hoàn thành 100% nhiệm vụ"][0] == heads_all

    groups = Counter(row["Nhóm"] for row in detail)
    group_done = Counter(row["Nhóm"] for row in detail if row["Phân loại"].startswith("Hoàn thành"))
    rows = list(book["Tổng hợp"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Theo nhóm nhiệm vụ")
    for r in rows[start + 1:start + 1 + len(groups)]:
        assert (r[1], r[2]) == (groups[r[0]], group_done[r[0]])

    status = ws.reconcile("2022-6T").status_json()
    assert status["tasks"]["completed"] == done  # type: ignore[index]
    assert status["heads_completed_all"] == heads_all


def test_overdue_missing_and_proposed_sheets(reported: tuple[Workspace, Path]) -> None:
    ws, path = reported
    book = openpyxl.load_workbook(path)
    detail = table(book, "Chi tiết")
    overdue = table(book, "Quá hạn")
    assert {r["Mã nhiệm vụ"] for r in overdue} == {r["Mã nhiệm vụ"] for r in detail if r["Quá hạn"] == "x"}
    for r in overdue:
        assert r["Số ngày quá hạn"] == (AS_OF - r["Thời hạn"].date()).days > 0
    result = ws.reconcile("2022-6T")
    missing = [r["Mã đơn vị"] for r in table(book, "Chưa báo cáo") if not r["Mã nhiệm vụ"]]
    assert missing == [u.unit.code for u in result.missing]
    assert len(table(book, "Phát sinh")) == len(result.proposed) >= 1
    assert len(table(book, "Lỗi dữ liệu")) == len(result.findings)


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
