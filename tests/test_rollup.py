"""Roll-up: a department answers the province with one command, and the province's
camket ingests the result like any other return."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl

from camket import Workspace
from camket.model import Derived
from camket.templates import write_template

from .conftest import write_master_xlsx

PROVINCE = """\
[agency]
name = "Ủy ban nhân dân tỉnh Bến Tre"
short = "UBND"
place = "Bến Tre"
[programme]
title = "Cam kết thực hiện nhiệm vụ trọng tâm năm 2023"
year = 2023
[[round]]
id = "2023-6T"
name = "6 tháng đầu năm 2023"
as_of = 2023-06-30
due = 2023-07-10
[signer]
title = "CHỦ TỊCH"
name = "Lê Văn Minh"
"""
DEPARTMENT = PROVINCE.replace("Ủy ban nhân dân tỉnh Bến Tre", "Sở Văn hóa, Thể thao và Du lịch").replace(
    'short = "UBND"', 'short = "SVHTTDL"').replace("due = 2023-07-10", "due = 2023-07-05")
TASK_HEADERS = ["Mã nhiệm vụ", "Mã đơn vị", "Nội dung nhiệm vụ", "Nhóm", "Nguồn", "Sản phẩm", "Chỉ tiêu",
                "Thời hạn", "Điểm tối đa", "Mã nhiệm vụ cấp trên"]


def province(root: Path) -> Workspace:
    Workspace.init(root)
    (root / "camket.toml").write_text(PROVINCE, encoding="utf-8")
    write_master_xlsx(
        root / "danh-muc.xlsx",
        units=[["SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở", "Nguyễn Văn Bàn", "Giám đốc", ""],
               ["SGDDT", "Sở Giáo dục và Đào tạo", "Sở", "Trần Thị Hoa", "Giám đốc", ""]],
        tasks=[["UBND-017", "SVHTTDL", "Tổ chức Lễ hội Dừa lần thứ VI", "Văn hóa", "Cấp trên giao", "Lễ hội", "",
                "30/06/2023", 40, ""],
               ["UBND-042", "SVHTTDL", "Số hóa di tích cấp tỉnh", "Văn hóa", "Cấp trên giao", "Cơ sở dữ liệu", "",
                "30/06/2023", 30, ""],
               ["UBND-105", "SVHTTDL", "Phát triển du lịch cộng đồng", "Du lịch", "Cấp trên giao", "Đề án", "",
                "30/11/2023", 30, ""],
               ["UBND-200", "SGDDT", "Xây dựng trường chuẩn quốc gia", "Giáo dục", "Cấp trên giao", "Trường", "",
                "30/06/2023", 100, ""]],
        task_headers=[*TASK_HEADERS[:9], "Ghi chú"])
    return Workspace.open(root)


def department(root: Path) -> Workspace:
    Workspace.init(root)
    (root / "camket.toml").write_text(DEPARTMENT, encoding="utf-8")
    write_master_xlsx(
        root / "danh-muc.xlsx",
        units=[["VP", "Văn phòng Sở", "Quản lý nhà nước", "Lê An", "Chánh Văn phòng", ""],
               ["PQLVH", "Phòng Quản lý văn hóa", "Quản lý nhà nước", "Phạm Bình", "Trưởng phòng", ""],
               ["BTT", "Bảo tàng tỉnh", "Sự nghiệp", "Võ Châu", "Giám đốc", ""]],
        tasks=[["VP-01", "VP", "Hậu cần Lễ hội Dừa", "Văn hóa", "", "Kế hoạch", "", "31/05/2023", 20, "UBND-017"],
               ["PQLVH-01", "PQLVH", "Chương trình nghệ thuật Lễ hội Dừa", "Văn hóa", "", "Chương trình", "",
                "20/06/2023", 30, "UBND-017"],
               ["VP-02", "VP", "Số hóa hồ sơ di tích đợt 1", "Văn hóa", "", "Dữ liệu", "", "30/06/2023", 20,
                "UBND-042"],
               ["BTT-01", "BTT", "Số hóa hiện vật bảo tàng", "Văn hóa", "", "Dữ liệu", "", "30/09/2023", 10,
                "UBND-042"],
               ["PQLVH-02", "PQLVH", "Khảo sát điểm du lịch cộng đồng", "Du lịch", "", "Báo cáo", "", "31/10/2023",
                25, "UBND-105"],
               ["BTT-02", "BTT", "Trưng bày chuyên đề du lịch", "Du lịch", "", "Trưng bày", "", "30/11/2023", 25,
                "UBND-105"],
               ["VP-03", "VP", "Cải cách hành chính tại Sở", "Công tác chung", "", "Báo cáo", "", "30/06/2023", 60,
                ""],
               ["BTT-03", "BTT", "Nhiệm vụ gắn mã cấp trên không có", "Văn hóa", "", "Báo cáo", "", "30/06/2023",
                65, "UBND-999"]],
        task_headers=TASK_HEADERS)
    return Workspace.open(root)


ANSWERS = {
    "VP-01": {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2023, 5, 10), "self_score": 20,
              "result": "Hoàn thành hậu cần"},
    "PQLVH-01": {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2023, 6, 12), "self_score": 27,
                 "result": "Đã biểu diễn 12 đêm"},
    "VP-02": {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2023, 6, 1), "self_score": 20},
    "BTT-01": {"status": "Đang thực hiện", "progress": 40, "self_score": 4, "difficulties": "Thiếu máy quét"},
    "PQLVH-02": {"status": "Chưa thực hiện", "progress": 0, "difficulties": "Chờ kinh phí"},
    "BTT-02": {"status": "Chưa thực hiện", "progress": 0, "difficulties": "Chờ kinh phí"},
    "VP-03": {"status": "Hoàn thành", "progress": 100, "completed_on": dt.date(2023, 6, 2), "self_score": 60},
    "BTT-03": {"status": "Đang thực hiện", "progress": 50, "self_score": 30},
}


def test_department_rolls_up_into_the_provinces_template(tmp_path: Path) -> None:
    up = province(tmp_path / "tinh")
    so = department(tmp_path / "so")
    for job in so.template_jobs("2023-6T"):
        answers = {t.code: ANSWERS[t.code] for t in job.tasks}
        write_template(replace(job, path=tmp_path / "nhan" / job.path.name, prefill=answers))
    assert so.ingest([tmp_path / "nhan"], "2023-6T", now=dt.datetime(2023, 7, 3)).count("accepted") == 3

    parent = up.templates("2023-6T", units=["SVHTTDL"]).files[0]
    outcome = so.rollup("2023-6T", parent)
    rolled = {r.code: r for r in outcome.tasks}
    assert (rolled["UBND-017"].status, rolled["UBND-017"].progress) == ("Hoàn thành", 100.0)
    assert rolled["UBND-017"].completed_on == dt.date(2023, 6, 12)            # the last child's date
    assert rolled["UBND-017"].self_score == 37.6                               # 40 × (20 + 27) / 50
    assert (rolled["UBND-042"].status, rolled["UBND-042"].progress) == ("Đang thực hiện", 80.0)  # (100×20+40×10)/30
    assert rolled["UBND-042"].self_score == 24.0                               # 30 × (20 + 4) / 30
    assert (rolled["UBND-105"].status, rolled["UBND-105"].progress) == ("Chưa thực hiện", 0.0)
    assert rolled["UBND-105"].difficulties == "Chờ kinh phí"                   # deduplicated
    assert [(f.code, f.task) for f in outcome.findings] == [("rollup-unknown-parent", "BTT-03")]
    sheet = openpyxl.load_workbook(outcome.path)["Báo cáo"]
    assert sheet.protection.sheet

    received = up.ingest([outcome.path], "2023-6T", now=dt.datetime(2023, 7, 8))
    assert [(o.unit, o.state) for o in received.files] == [("SVHTTDL", "accepted")]
    assert [f.code for f in received.findings if f.severity.value != "info"] == []
    result = up.reconcile("2023-6T")
    classes = {t.task.code: t.derived for t in result.tasks}
    assert classes == {"UBND-017": Derived.DONE_ON_TIME, "UBND-042": Derived.IN_PROGRESS_ON_TIME,
                       "UBND-105": Derived.NOT_STARTED, "UBND-200": Derived.NOT_REPORTED}
    assert result.status_json()["units"] == {"expected": 2, "answered": 1, "missing": ["SGDDT"], "late": []}
    assert result.overall.sentence() == "1/4 nhiệm vụ, tương ứng tỉ lệ 25%"


def test_a_parent_task_without_children_is_left_blank_with_a_finding(tmp_path: Path) -> None:
    up = province(tmp_path / "tinh")
    so = department(tmp_path / "so")
    parent = up.templates("2023-6T", units=["SGDDT"]).files[0]  # none of its tasks is the department's
    outcome = so.rollup("2023-6T", parent)
    assert [(f.code, f.task) for f in outcome.findings] == [("rollup-unknown-parent", t) for t in
                                                            ("VP-01", "PQLVH-01", "VP-02", "BTT-01", "PQLVH-02",
                                                             "BTT-02", "BTT-03")] + [("rollup-no-children",
                                                                                      "UBND-200")]
