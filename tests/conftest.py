"""Shared fixtures: small workspaces and master workbooks written the way people write them."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from camket import Workspace

SAMPLE_TIME = dt.datetime(2022, 7, 1, 8, 0, 0)

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Khối", "Thủ trưởng", "Chức vụ", "Email"]
TASK_HEADERS = ["Mã nhiệm vụ", "Mã đơn vị", "Nội dung nhiệm vụ", "Nhóm", "Nguồn", "Sản phẩm",
                "Chỉ tiêu", "Thời hạn", "Điểm tối đa", "Ghi chú"]
UNITS = [
    ["VP", "Văn phòng Bộ", "Cơ quan hành chính", "Lê Văn An", "Chánh Văn phòng", "vp@bo.example.vn"],
    ["VPC", "Vụ Pháp chế", "Cơ quan hành chính", "Trần Thị Bình", "Vụ trưởng", "vpc@bo.example.vn"],
    ["TTCNTT", "Trung tâm Công nghệ thông tin", "Đơn vị sự nghiệp", "Phạm Minh Châu", "Giám đốc",
     "cntt@bo.example.vn"],
]
TASKS = [
    ["VP-01", "VP", "Xây dựng Quy chế làm việc của Bộ", "Thể chế", "Tự đăng ký", "Quyết định",
     "", "30/06/2022", 50, ""],
    ["VP-02", "VP", "Tổ chức Hội nghị tổng kết công tác năm", "Quản lý", "Tự đăng ký", "Hội nghị",
     "", "15/12/2022", 50, ""],
    ["VPC-01", "VPC", "Rà soát văn bản quy phạm pháp luật", "Thể chế", "Bộ trưởng giao", "Báo cáo",
     "100% văn bản", "30/9/2022", 60, ""],
    ["VPC-02", "VPC", "Kiểm tra công tác pháp chế tại các đơn vị", "Quản lý", "Tự đăng ký", "Kết luận",
     "", "12/2022", 40, ""],
    ["TTCNTT-01", "TTCNTT", "Vận hành Hệ thống thông tin báo cáo của Bộ", "Quản lý", "Tự đăng ký",
     "Hệ thống", "", "Thường xuyên", 100, ""],
]
CONFIG = """\
[agency]
name = "Bộ Văn hóa, Thể thao và Du lịch"
parent = ""
short = "BVHTTDL"
place = "Hà Nội"

[programme]
title = "Cam kết nhiệm vụ trọng tâm năm 2022"
year = 2022

[[round]]
id = "2022-6T"
name = "6 tháng đầu năm 2022"
as_of = 2022-06-30
due = 2022-07-05

[signer]
title = "BỘ TRƯỞNG"
name = "Nguyễn Văn Hùng"
"""


def write_master_xlsx(
    path: Path,
    units: Sequence[Sequence[Any]] = UNITS,
    tasks: Sequence[Sequence[Any]] = TASKS,
    unit_headers: Sequence[str] = UNIT_HEADERS,
    task_headers: Sequence[str] = TASK_HEADERS,
    title_rows: Sequence[str] = (),
    sheet_names: tuple[str, str] = ("Đơn vị", "Nhiệm vụ"),
) -> Path:
    """A master workbook as a person would make it in Excel (written with openpyxl)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, headers, rows in ((sheet_names[0], unit_headers, units),
                                (sheet_names[1], task_headers, tasks)):
        ws = book.create_sheet(name)
        for title in title_rows:
            ws.append([title])
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """camket's own errors raise in tests (in this process and in every command run as a
    subprocess) instead of being recorded as a file's *lỗi chương trình*."""
    monkeypatch.setattr(Workspace, "strict", True)
    monkeypatch.setenv("CAMKET_STRICT", "1")


@pytest.fixture
def small_ws(tmp_path: Path) -> Path:
    """A workspace with 3 units and 5 tasks (no camket-written master: openpyxl's)."""
    root = tmp_path / "ws"
    Workspace.init(root)
    (root / "camket.toml").write_text(CONFIG, encoding="utf-8")
    write_master_xlsx(root / "danh-muc.xlsx")
    return root


@pytest.fixture(scope="session")
def bo_2022_reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Any]:
    """bo-2022 with simulated returns ingested and the round reported (shared, read-only)."""
    from camket.simulate import simulate_returns

    root = tmp_path_factory.mktemp("reported") / "ws"
    Workspace.init(root, sample="bo-2022")
    ws = Workspace.open(root)
    simulate_returns(ws.template_jobs("2022-6T", generated=SAMPLE_TIME), root.parent / "nhan", seed=5)
    ws.ingest([root.parent / "nhan"], "2022-6T", now=dt.datetime(2022, 7, 8, 9))
    return ws, ws.report("2022-6T", generated=SAMPLE_TIME)


@pytest.fixture(scope="session")
def _bo_2022_pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "bo-2022"
    Workspace.init(root, sample="bo-2022")
    return root


@pytest.fixture
def bo_2022(_bo_2022_pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the bo-2022 sample workspace (26 units, 107 tasks)."""
    root = tmp_path / "bo-2022"
    shutil.copytree(_bo_2022_pristine, root)
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/*.json")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
