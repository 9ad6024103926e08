"""Numeric targets: read from the Chỉ tiêu text the way the department writes them, or from the
columns Chỉ tiêu (số) and Đơn vị tính; texts that are not one numeric target stay text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from camket.master import read_master
from camket.targets import Target, parse_target, read_amount

from .conftest import TASK_HEADERS, TASKS, write_master_xlsx


@pytest.mark.parametrize(("text", "expected"), [
    ("12 lớp", Target(12, "lớp")),
    ("100%", Target(100, "%")),
    ("3 công trình", Target(3, "công trình")),
    ("1.200 người", Target(1200, "người")),                   # a dot groups thousands
    ("95% hồ sơ", Target(95, "% hồ sơ")),
    ("≥ 1,6 triệu lượt khách", Target(1.6, "triệu lượt khách")),  # a comma is the decimal mark
    ("≥ 03 lớp", Target(3, "lớp")),
    ("Tối thiểu 20 tủ sách", Target(20, "tủ sách")),
    ("Từ 12 lớp trở lên", Target(12, "lớp")),
    ("Trên 90% hộ gia đình", Target(90, "% hộ gia đình", ">")),
    ("Không quá 5 ngày", Target(5, "ngày", "<=")),
    ("Dưới 5%", Target(5, "%", "<")),
    ("10 ngày trở xuống", Target(10, "ngày", "<=")),
    ("0 nhiệm vụ quá hạn", Target(0, "nhiệm vụ quá hạn", "<=")),   # none at all
    ("09/09 huyện, thành phố", Target(9, "huyện, thành phố", of=9)),
    ("Tăng ≥ 02 bậc", Target(2, "bậc")),
    ("Giảm 20% thời gian", Target(20, "% thời gian")),
    ("≥ 04 sản phẩm đạt 3 sao", Target(4, "sản phẩm đạt 3 sao")),
    ("Tỉ lệ hồ sơ trực tuyến: ≥ 80%", Target(80, "%")),          # after a label and a colon
    ("1.5 tỷ đồng", Target(1.5, "tỷ đồng")),                      # a dot not before three digits
    ("  12   lớp. ", Target(12, "lớp")),
])
def test_a_numeric_target_is_read_as_a_number_a_unit_and_a_comparison(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", [
    "", "Xếp thứ nhất toàn đoàn", "Tăng hạng so với năm 2022", "Hoàn thành trước 30/6/2023",
    "30/06/2023", "2 lớp, 3 hội nghị", "12 lớp và 3 hội nghị", "Chỉ tiêu: đạt", "-5 ngày",
])
def test_texts_that_are_not_one_numeric_target_stay_text(text: str) -> None:
    assert parse_target(text) is None


@pytest.mark.parametrize(("target", "achieved", "met", "rate"), [
    ("12 lớp", 12, True, "100.0"),
    ("12 lớp", 10, False, "83.3"),
    ("12 lớp", 13, True, "108.3"),
    ("≥ 1,6 triệu lượt khách", 1.6, True, "100.0"),      # 1,6 read from text equals the cell's 1.6
    ("100% hồ sơ", 99.95, False, "100.0"),                # the rate rounds, "met" does not
    ("Trên 90%", 90, False, "100.0"),
    ("Không quá 5 ngày", 5, True, None),                  # a ceiling has no rate
    ("Không quá 5 ngày", 6, False, None),
    ("Dưới 5%", 5, False, None),
    ("0 nhiệm vụ quá hạn", 0, True, None),
    ("0 nhiệm vụ quá hạn", 1, False, None),
])
def test_an_achieved_value_meets_its_target_or_not(target: str, achieved: float, met: bool, rate: str | None) -> None:
    parsed = parse_target(target)
    assert parsed is not None
    assert parsed.met(achieved) is met
    assert parsed.rate(achieved) == (Decimal(rate) if rate else None)


def test_amounts_are_written_in_the_targets_unit() -> None:
    assert Target(12, "lớp").amount(10) == "10 lớp"
    assert Target(95, "% hồ sơ").amount(95.5) == "95,5% hồ sơ"
    assert Target(1200, "người").amount(1250) == "1.250 người"
    assert Target(5, "ngày", "<=").text == "≤ 5 ngày" and Target(1.6, "triệu lượt khách").text == "1,6 triệu lượt khách"


@pytest.mark.parametrize(("target", "achieved", "long", "short"), [
    (Target(6, "vở diễn"), 4, "đạt 4 vở diễn, bằng 66,7% chỉ tiêu", "đạt 4 vở diễn (66,7%)"),
    (Target(100, "% hồ sơ"), 80, "đạt 80%", "đạt 80%"),             # the rate would repeat the value
    (Target(95, "% hồ sơ"), 97, "đạt 97%, bằng 102,1% chỉ tiêu", "đạt 97% (102,1%)"),
    (Target(5, "ngày", "<="), 6, "đạt 6 ngày", "đạt 6 ngày"),           # a ceiling has no rate
])
def test_what_was_reached_is_said_as_a_report_says_it(target: Target, achieved: float, long: str,
                                                      short: str) -> None:
    assert (target.reached(achieved), target.reached(achieved, long=False)) == (long, short)


@pytest.mark.parametrize(("typed", "value"), [("10", 10), ("10 lớp", 10), ("1.200", 1200), ("95,5", 95.5),
                                              ("95%", 95)])
def test_an_achieved_value_typed_as_text_is_read(typed: str, value: float) -> None:
    assert read_amount(typed, Target(12, "lớp")) == (value, "number-text")


@pytest.mark.parametrize("typed", ["mười", "10 hội nghị", "-3", "10/12"])
def test_an_achieved_value_that_is_not_a_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="không phải là số"):
        read_amount(typed, Target(12, "lớp"))


HEADERS = [*TASK_HEADERS, "Chỉ tiêu (số)", "Đơn vị tính"]


def master_with(tmp_path: Path, targets: list[tuple[str, object, str]]) -> tuple[list[str], list[str]]:
    """The small master list with the given (Chỉ tiêu, Chỉ tiêu (số), Đơn vị tính) on its tasks."""
    rows = []
    padded = [*targets, *[("", None, "")] * (len(TASKS) - len(targets))]
    for task, (text, value, unit) in zip(TASKS, padded, strict=True):
        row = list(task)
        row[TASK_HEADERS.index("Chỉ tiêu")] = text
        rows.append([*row, value, unit])
    path = write_master_xlsx(tmp_path / "danh-muc.xlsx", tasks=rows, task_headers=HEADERS)
    read = read_master(path, 2022)
    return [t.target for t in read.master.tasks], [f"{f.code} {f.location.cell}" for f in read.findings]


def test_the_columns_chi_tieu_so_and_don_vi_tinh_state_the_target(tmp_path: Path) -> None:
    targets, findings = master_with(tmp_path, [
        ("", 12, "lớp"),                                   # the text is made from the columns
        ("12 lớp", 12, "lớp"),                             # the same target written both ways
        ("Mở lớp bồi dưỡng nghiệp vụ", 1200, "người"),     # a description keeps its words
        ("10 lớp", 12, "lớp"),                             # two different targets: the columns win
        ("≥ 95% hồ sơ", None, ""),                         # no columns: the text as written
    ])
    assert targets == ["12 lớp", "12 lớp", "Mở lớp bồi dưỡng nghiệp vụ: 1.200 người", "12 lớp", "≥ 95% hồ sơ"]
    assert [parse_target(t) for t in targets] == [
        Target(12, "lớp"), Target(12, "lớp"), Target(1200, "người"), Target(12, "lớp"), Target(95, "% hồ sơ")]
    assert findings == ["task-target-conflict K5"]


def test_a_target_camket_cannot_read_is_named_to_the_department(tmp_path: Path) -> None:
    targets, findings = master_with(tmp_path, [
        ("2 lớp, 3 hội nghị", None, ""),     # looks numeric, two targets: said so (info)
        ("Tăng hạng so với năm 2022", None, ""),  # a qualitative target: nothing to say
        ("", "mười hai", "lớp"),             # not a number in Chỉ tiêu (số)
    ])
    assert targets[:3] == ["2 lớp, 3 hội nghị", "Tăng hạng so với năm 2022", ""]
    assert findings == ["task-target-unread G2", "task-target-value-invalid K4"]
