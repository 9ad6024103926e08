"""danh-muc.xlsx: every tolerance the department relies on, and every check of camket check."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from camket.master import read_master

from .conftest import TASK_HEADERS, TASKS, UNITS, write_master_xlsx


def found(path: Path) -> list[tuple[str, str, str]]:
    """(code, sheet, cell) of every finding."""
    return [(f.code, f.location.sheet, f.location.cell) for f in read_master(path, 2022).findings]


def replaced(rows: list[list[Any]], index: int, column: int, value: Any) -> list[list[Any]]:
    out = [list(r) for r in rows]
    out[index][column] = value
    return out


# --- tolerances ------------------------------------------------------------------

def test_clean_master_reads_every_unit_and_task(tmp_path: Path) -> None:
    read = read_master(write_master_xlsx(tmp_path / "danh-muc.xlsx"), 2022)
    assert read.findings == ()
    assert [u.code for u in read.master.units] == ["VP", "VPC", "TTCNTT"]
    assert [t.code for t in read.master.tasks_of("VPC")] == ["VPC-01", "VPC-02"]


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    path = write_master_xlsx(tmp_path / "master_title_rows.xlsx",
                             title_rows=["DANH MỤC NHIỆM VỤ CAM KẾT NĂM 2022", "", "(kèm theo Quyết định số 12)"])
    read = read_master(path, 2022)
    assert read.findings == ()
    assert len(read.master.tasks) == 5


def test_headers_without_diacritics_and_in_other_case(tmp_path: Path) -> None:
    path = write_master_xlsx(
        tmp_path / "master_headers_ascii_upper.xlsx",
        unit_headers=["MA DON VI", "ten don vi", "KHỐI", "thu truong", "Chuc vu", "E-mail"],
        task_headers=["Mã NV", "ma don vi", "NOI DUNG NHIEM VU", "nhom", "Nguon", "San pham",
                      "Chi tieu", "THOI HAN HOAN THANH", "diem toi da", "ghi chu"],
        sheet_names=("DON VI", "nhiem vu"),
    )
    read = read_master(path, 2022)
    assert read.findings == ()
    assert read.master.task("VP-01") is not None
    assert read.master.unit("VPC").head == "Trần Thị Bình"  # type: ignore[union-attr]


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    headers = [*TASK_HEADERS[:3], "Người theo dõi", *TASK_HEADERS[3:]]
    tasks = [[*t[:3], "Nguyễn Văn X", *t[3:]] for t in TASKS]
    read = read_master(write_master_xlsx(tmp_path / "master_extra_column.xlsx", tasks=tasks,
                                         task_headers=headers), 2022)
    assert read.findings == ()
    assert read.master.task("VP-01").group == "Thể chế"  # type: ignore[union-attr]


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    tasks = [TASKS[0], [None] * 10, ["", " ", "", "", "", "", "", "", "", ""], *TASKS[1:]]
    read = read_master(write_master_xlsx(tmp_path / "master_blank_rows.xlsx", tasks=tasks), 2022)
    assert read.findings == ()
    assert len(read.master.tasks) == 5


def test_codes_with_stray_spaces_and_lower_case(tmp_path: Path) -> None:
    units = replaced(UNITS, 1, 0, " vpc ")
    tasks = replaced(replaced(TASKS, 2, 0, "VPC - 01 "), 2, 1, "vpc ")
    read = read_master(write_master_xlsx(tmp_path / "master_codes_spaces.xlsx", units, tasks), 2022)
    assert read.findings == ()
    assert read.master.task("VPC-01").unit == "VPC"  # type: ignore[union-attr]


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.datetime(2022, 6, 30), dt.date(2022, 6, 30)),
    ("30/6/2022", dt.date(2022, 6, 30)),
    ("30-06-2022", dt.date(2022, 6, 30)),
    ("6/2022", dt.date(2022, 6, 30)),
    ("2/2022", dt.date(2022, 2, 28)),
    ("Quý III/2022", dt.date(2022, 9, 30)),
    ("Thường xuyên", None),
])
def test_deadlines_as_dates_or_day_first_text(tmp_path: Path, raw: Any, expected: dt.date | None) -> None:
    tasks = replaced(TASKS, 0, 7, raw)
    read = read_master(write_master_xlsx(tmp_path / "master_deadline_forms.xlsx", tasks=tasks), 2022)
    assert read.findings == ()
    assert read.master.task("VP-01").deadline == expected  # type: ignore[union-attr]


def test_decomposed_unicode_is_normalised_to_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Xây dựng Quy chế làm việc của Bộ")
    tasks = replaced(TASKS, 0, 2, nfd)
    read = read_master(write_master_xlsx(tmp_path / "master_decomposed_unicode.xlsx", tasks=tasks), 2022)
    assert read.master.task("VP-01").content == "Xây dựng Quy chế làm việc của Bộ"  # type: ignore[union-attr]


def test_points_with_vietnamese_decimal_comma(tmp_path: Path) -> None:
    tasks = replaced(replaced(TASKS, 0, 8, "37,5"), 1, 8, "62,5")
    read = read_master(write_master_xlsx(tmp_path / "master_points_comma.xlsx", tasks=tasks), 2022)
    assert read.findings == ()
    assert read.master.task("VP-01").points == 37.5  # type: ignore[union-attr]


# --- checks ------------------------------------------------------------------------

CHECKS: list[tuple[str, Any, list[tuple[str, str, str]]]] = [
    ("master_duplicate_unit_code", lambda u, t: (replaced(u, 2, 0, "VPC"), t),
     [("unit-code-duplicate", "Đơn vị", "A4"), ("task-unknown-unit", "Nhiệm vụ", "B6")]),
    ("master_duplicate_task_code", lambda u, t: (u, replaced(t, 1, 0, "VP-01")),
     [("task-code-duplicate", "Nhiệm vụ", "A3")]),
    ("master_task_of_unknown_unit", lambda u, t: (u, replaced(t, 3, 1, "VXX")),
     [("task-unknown-unit", "Nhiệm vụ", "B5")]),
    ("master_unit_without_tasks", lambda u, t: (u, t[:4]),
     [("unit-no-tasks", "Đơn vị", "A4")]),
    ("master_blank_content", lambda u, t: (u, replaced(t, 2, 2, "")),
     [("task-content-missing", "Nhiệm vụ", "C4")]),
    ("master_deadline_missing", lambda u, t: (u, replaced(t, 0, 7, None)),
     [("task-deadline-missing", "Nhiệm vụ", "H2")]),
    ("master_deadline_31_02", lambda u, t: (u, replaced(t, 0, 7, "31/02/2022")),
     [("task-deadline-invalid", "Nhiệm vụ", "H2")]),
    ("master_deadline_words", lambda u, t: (u, replaced(t, 0, 7, "sớm nhất có thể")),
     [("task-deadline-invalid", "Nhiệm vụ", "H2")]),
    ("master_deadline_other_year", lambda u, t: (u, replaced(t, 0, 7, "30/06/2023")),
     [("task-deadline-outside-year", "Nhiệm vụ", "H2")]),
    ("master_negative_points", lambda u, t: (u, replaced(t, 0, 8, -5)),
     [("task-points-invalid", "Nhiệm vụ", "I2")]),
    ("master_points_not_a_number", lambda u, t: (u, replaced(t, 0, 8, "hai mươi")),
     [("task-points-invalid", "Nhiệm vụ", "I2")]),
    ("master_points_missing", lambda u, t: (u, replaced(t, 0, 8, None)),
     [("task-points-missing", "Nhiệm vụ", "I2")]),
    ("master_group_missing", lambda u, t: (u, replaced(t, 0, 3, None)),
     [("task-group-missing", "Nhiệm vụ", "D2")]),
    ("master_unit_code_missing", lambda u, t: (replaced(u, 0, 0, ""), t[2:]),
     [("unit-code-missing", "Đơn vị", "A2")]),
    ("master_unit_name_missing", lambda u, t: (replaced(u, 0, 1, ""), t),
     [("unit-name-missing", "Đơn vị", "B2")]),
    ("master_head_missing", lambda u, t: (replaced(u, 0, 3, ""), t),
     [("unit-head-missing", "Đơn vị", "D2")]),
    ("master_bad_email", lambda u, t: (replaced(u, 0, 5, "vp at bo"), t),
     [("unit-email-invalid", "Đơn vị", "F2")]),
    ("master_task_code_missing", lambda u, t: (u, replaced(t, 1, 0, "")),
     [("task-code-missing", "Nhiệm vụ", "A3")]),
    ("master_task_unit_missing", lambda u, t: (u, replaced(t, 1, 1, "")),
     [("task-unit-missing", "Nhiệm vụ", "B3")]),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CHECKS, ids=[c[0] for c in CHECKS])
def test_each_check_names_the_bad_cell(tmp_path: Path, name: str, mutate: Any,
                                       expected: list[tuple[str, str, str]]) -> None:
    units, tasks = mutate([list(u) for u in UNITS], [list(t) for t in TASKS])
    path = write_master_xlsx(tmp_path / f"{name}.xlsx", units, tasks)
    assert sorted(found(path)) == sorted(expected)


def test_missing_sheet(tmp_path: Path) -> None:
    path = write_master_xlsx(tmp_path / "master_sheet_renamed.xlsx", sheet_names=("Đơn vị", "Sheet2"))
    assert found(path) == [("master-sheet-missing", "", "")]


def test_missing_required_column(tmp_path: Path) -> None:
    headers = list(TASK_HEADERS)
    headers[7] = "Ghi chú 2"
    path = write_master_xlsx(tmp_path / "master_no_deadline_column.xlsx", task_headers=headers)
    assert found(path) == [("master-column-missing", "Nhiệm vụ", "A1")]


def test_missing_file_and_not_a_workbook(tmp_path: Path) -> None:
    assert [f.code for f in read_master(tmp_path / "khong-co.xlsx").findings] == ["master-missing"]
    bad = tmp_path / "master_not_a_workbook.xlsx"
    bad.write_bytes(b"day khong phai tep excel")
    assert [f.code for f in read_master(bad).findings] == ["master-unreadable"]


def test_message_is_vietnamese_and_says_what_to_do(tmp_path: Path) -> None:
    path = write_master_xlsx(tmp_path / "master_deadline_31_02.xlsx",
                             tasks=replaced(TASKS, 0, 7, "31/02/2022"))
    [finding] = read_master(path, 2022).findings
    assert str(finding) == (
        'master_deadline_31_02.xlsx, sheet "Nhiệm vụ", ô H2: Thời hạn của nhiệm vụ "VP-01" không hợp '
        'lệ: "31/02/2022" không phải ngày hợp lệ (ngày/tháng/năm). Nhập thời hạn dạng ngày/tháng/năm '
        '(30/06/2022), tháng/năm (6/2022) hoặc "Thường xuyên".'
    )
