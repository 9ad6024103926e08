"""The master workbook camket init writes: what the department needs to edit it in Excel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from camket import Workspace
from camket.master import read_master


def test_init_writes_a_master_with_excel_niceties(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "ws", sample="so-2023")
    book = openpyxl.load_workbook(tmp_path / "ws" / "danh-muc.xlsx")
    assert book.sheetnames == ["Đơn vị", "Nhiệm vụ", "Hướng dẫn", "Danh sách"]
    assert book["Danh sách"].sheet_state == "hidden"
    tasks = book["Nhiệm vụ"]
    assert tasks.freeze_panes == "A2"
    assert tasks.auto_filter.ref
    assert tasks["A1"].font.bold and tasks["A1"].fill.fgColor.rgb.endswith("1F4E78")
    assert tasks.column_dimensions["C"].width > 30  # the task text column is wide
    rules = {str(dv.sqref).split(":")[0]: dv for dv in tasks.data_validations.dataValidation}
    assert rules["D2"].formula1 == "DS_group" and rules["E2"].formula1 == "DS_source"
    assert rules["B2"].formula1.startswith("'Đơn vị'!$A$2")
    assert rules["D2"].errorStyle == "warning"  # a new group can still be typed
    assert rules["I2"].type == "decimal"
    lists = {name: book.defined_names[name].attr_text for name in ("DS_block", "DS_group", "DS_source")}
    assert all(text.startswith("'Danh sách'!") for text in lists.values())
    sources = {row[2] for row in book["Danh sách"].iter_rows(min_row=2, values_only=True) if row[2]}
    assert sources == {"Tự đăng ký", "Nhiệm vụ chung", "Cấp trên giao"}
    assert "camket check" in " ".join(str(c) for r in book["Hướng dẫn"].iter_rows(values_only=True) for c in r)
    units = book["Đơn vị"]
    unit_rules = {str(dv.sqref).split(":")[0]: dv for dv in units.data_validations.dataValidation}
    assert unit_rules["C2"].formula1 == "DS_block"


def test_the_written_master_reads_back_exactly(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "ws", sample="so-2023")
    read = read_master(tmp_path / "ws" / "danh-muc.xlsx", 2023)
    assert read.findings == ()
    assert len(read.master.units) == 18 and len(read.master.tasks) == 130
    blocks = {u.block for u in read.master.units}
    assert blocks == {"Ban Giám đốc", "Khối quản lý nhà nước", "Khối đơn vị sự nghiệp"}
    by_block = {b: sum(len(read.master.tasks_of(u.code)) for u in read.master.units if u.block == b) for b in blocks}
    assert by_block == {"Ban Giám đốc": 32, "Khối quản lý nhà nước": 48, "Khối đơn vị sự nghiệp": 50}
    assert len({t.parent for t in read.master.tasks if t.parent}) == 17


def test_bo_2022_is_the_ministry_of_the_article(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "ws", sample="bo-2022")
    master = read_master(tmp_path / "ws" / "danh-muc.xlsx", 2022).master
    assert len(master.units) == 26 and len(master.tasks) == 107
    assert sum(1 for u in master.units if u.block == "Cơ quan hành chính") == 21
    assert {t.group for t in master.tasks} == {"Xây dựng, hoàn thiện thể chế, chính sách",
                                               "Giải pháp, biện pháp quản lý nhà nước"}
    for unit in master.units:
        assert sum(t.points for t in master.tasks_of(unit.code)) == 100


def test_python_dash_m_camket_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "camket", "--help"], capture_output=True, text=True, check=True)
    assert "camket: mẫu báo cáo" in out.stdout
