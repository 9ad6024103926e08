"""Templates: one locked, self-explaining, signed, printable workbook per unit."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine

from camket import Workspace
from camket.errors import InputError
from camket.model import Unit
from camket.schema import REPORT, STATUS_VALUES
from camket.stamp import META_SHEET, Stamp, locked_values, row_hash
from camket.targets import parse_target
from camket.templates import HEADER_ROW, col, letter, run_jobs, template_filename, write_template
from camket.templates.layout import FROZEN_COLUMNS, WIDTHS
from camket.xlsxkit import text_ems

from .conftest import SAMPLE_TIME
from .structure import check_golden, describe_xlsx, dump_xlsx

FIRST = HEADER_ROW + 2  # Excel row of the first task


@pytest.fixture
def generated(bo_2022: Path) -> tuple[Workspace, list[Path]]:
    ws = Workspace.open(bo_2022)
    result = ws.templates("2022-6T", generated=SAMPLE_TIME)
    return ws, list(result.files)


def test_one_workbook_per_unit_with_safe_ascii_names(generated: tuple[Workspace, list[Path]]) -> None:
    ws, files = generated
    assert len(files) == 26
    for path in files:
        assert path.name.isascii() and " " not in path.name
        assert path.name.startswith("2022-6T_") and path.suffix == ".xlsx"
    vpc = ws.master().unit("VPC")
    assert vpc is not None
    assert template_filename("2022-6T", vpc) == "2022-6T_VPC_vu-phap-che.xlsx"


def test_each_workbook_holds_its_units_tasks_locked_and_inputs_open(
    generated: tuple[Workspace, list[Path]],
) -> None:
    ws, files = generated
    master = ws.master()
    for path in files:
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Hướng dẫn", "Báo cáo", META_SHEET]
        sheet = book["Báo cáo"]
        unit_code = sheet["E4"].value
        tasks = master.tasks_of(unit_code)
        assert [c.value for c in sheet[HEADER_ROW + 1]] == [c.header for c in REPORT.columns]
        codes = [sheet.cell(FIRST + i, col("task_code") + 1).value for i in range(len(tasks))]
        assert codes == [t.code for t in tasks]
        assert sheet.protection.sheet is True
        for i, task in enumerate(tasks):
            for column in REPORT.columns:
                cell = sheet.cell(FIRST + i, col(column.key) + 1)
                # an achieved value is asked only against a numeric target: elsewhere the cell is locked, grey
                locked = column.locked or (column.key == "achieved" and parse_target(task.target) is None)
                assert cell.protection.locked is locked, (path.name, cell.coordinate)
                if column.key == "achieved" and locked:
                    assert cell.fill.fgColor.rgb.endswith("EDEDED")


def test_validations_have_types_ranges_and_vietnamese_messages(
    generated: tuple[Workspace, list[Path]],
) -> None:
    _, files = generated
    sheet = openpyxl.load_workbook(files[0])["Báo cáo"]
    rules = {dv.type + ":" + str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    status = rules[f"list:{letter('status')}{FIRST}"]
    assert status.formula1 == '"' + ",".join(STATUS_VALUES) + '"'
    progress = rules[f"decimal:{letter('progress')}{FIRST}"]
    assert (progress.formula1, progress.formula2) == ("0", "100")
    done = rules[f"date:{letter('completed_on')}{FIRST}"]
    assert (done.formula1, done.formula2) == ("44562", "44747")  # 01/01/2022 .. due 05/07/2022
    achieved = rules[f"decimal:{letter('achieved')}{FIRST}"]
    assert (achieved.operator, achieved.formula1) == ("greaterThanOrEqual", "0")
    assert achieved.error == REPORT["achieved"].error
    score = rules[f"decimal:{letter('self_score')}{FIRST}"]
    assert (score.formula1, score.formula2) == ("0", f"${letter('points')}{FIRST}")
    for dv in sheet.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.showInputMessage
        assert dv.errorStyle in (None, "stop")
        assert dv.error and dv.prompt and dv.promptTitle
    assert status.error == "Chỉ được chọn một trong bốn giá trị của danh sách."


def test_print_setup_freeze_panes_and_conditional_formats(generated: tuple[Workspace, list[Path]]) -> None:
    _, files = generated
    sheet = openpyxl.load_workbook(files[0])["Báo cáo"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (1, None) and sheet.page_setup.fitToHeight in (0, 1)
    assert sheet.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"
    assert sheet.freeze_panes == f"D{FIRST}"
    assert "&P" in sheet.oddFooter.center.text
    formulas = [r.formula[0] for rules in sheet.conditional_formatting._cf_rules.values() for r in rules]
    assert any('="Hoàn thành"' in f and '=""' in f for f in formulas)       # done without a date
    assert any("DATE(2022,6,30)" in f for f in formulas)                       # past deadline
    assert any("=100" in f for f in formulas)                                  # 100% not done


def test_the_code_column_fits_the_longest_code_and_the_inputs_stay_where_the_eye_lands(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "so", sample="so-2023")
    files = ws.templates("2023-Q1", generated=SAMPLE_TIME).files
    before = {key: int(width * 7 + 0.5) + 5 for key, width in WIDTHS.items()}  # pixels, as Excel lays them out
    frozen = [c.key for c in REPORT.columns[:FROZEN_COLUMNS]]
    grown = 0
    for path in files:
        sheet = openpyxl.load_workbook(path)["Báo cáo"]
        widths = {c: d.width for d in sheet.column_dimensions.values() for c in range(d.min, d.max + 1)}
        pixels = {c.key: round(widths[i + 1] * 7) for i, c in enumerate(REPORT.columns)}
        codes = [sheet.cell(r, col("task_code") + 1).value for r in range(FIRST, sheet.max_row + 1)]
        longest = max((c for c in codes if isinstance(c, str) and "-" in c), key=text_ems)
        assert text_ems(longest) * 11 * 4 / 3 + 6 <= pixels["task_code"], (path.name, longest)  # no overflow
        # the frozen block keeps its width ("Nội dung" gives what "Mã" takes), so on a 1366-pixel
        # screen the yellow inputs start where they did, and every column after it is as before
        assert sum(pixels[k] for k in frozen) == sum(before[k] for k in frozen), path.name
        assert all(pixels[c.key] == before[c.key] for c in REPORT.columns[FROZEN_COLUMNS:]), path.name
        grown += pixels["task_code"] > before["task_code"]
    assert grown  # BGD-PGD1-01 is wider than the default column


def test_a_small_units_report_prints_without_a_page_for_the_signature_alone(bo_2022: Path) -> None:
    files = {p.name.split("_")[1]: p for p in Workspace.open(bo_2022).templates(
        "2022-6T", units=["CDA", "VPC"], generated=SAMPLE_TIME).files}
    cda, vpc = (openpyxl.load_workbook(files[code])["Báo cáo"] for code in ("CDA", "VPC"))
    # 5 tasks and 10 rows for added tasks: a second page would hold PS10 and the signature block only
    assert cda.page_setup.fitToWidth in (1, None) and cda.page_setup.fitToHeight in (1, None)  # 1 is the default
    # 6 tasks: one page would be too small to read; its second page holds rows and the signature
    assert vpc.page_setup.fitToHeight == 0


def test_hidden_metadata_is_signed_and_matches_the_rows(generated: tuple[Workspace, list[Path]]) -> None:
    ws, files = generated
    for path in files:
        book = calamine.CalamineWorkbook.from_path(str(path))
        meta = next(m for m in book.sheets_metadata if m.name == META_SHEET)
        assert str(meta.visible).endswith("VeryHidden")
        stamp, signature = Stamp.from_rows(book.get_sheet_by_name(META_SHEET).to_python())
        assert stamp.verify(signature, ws.secret)
        assert not stamp.verify(signature, b"another workspace")
        assert (stamp.workspace, stamp.round, stamp.generated) == (ws.id, "2022-6T", "2022-07-01T08:00:00")
        for code, row, digest in stamp.tasks:
            task = ws.master().task(code)
            assert task is not None and task.unit == stamp.unit
            assert digest == row_hash(locked_values(task))
            assert row >= FIRST
        assert ws.secret.hex() not in path.read_bytes().decode("latin-1")


def test_zip_and_mailing_list(bo_2022: Path) -> None:
    result = Workspace.open(bo_2022).templates("2022-6T", generated=SAMPLE_TIME)
    with zipfile.ZipFile(result.zip_path) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in result.files)
    sheet = openpyxl.load_workbook(result.mailing_list).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Mã đơn vị", "Tên đơn vị")
    assert len(rows) == 27
    assert all(r[6].endswith(".xlsx") and r[7] == dt.datetime(2022, 7, 5) for r in rows[1:])
    assert rows[0][5] == "Thư điện tử"


def test_units_option_and_unknown_round_or_unit(bo_2022: Path) -> None:
    ws = Workspace.open(bo_2022)
    result = ws.templates("2022-6T", units=["vpc", " TTR"], generated=SAMPLE_TIME)
    assert [p.name.split("_")[1] for p in result.files] == ["TTR", "VPC"] or \
        sorted(p.name.split("_")[1] for p in result.files) == ["TTR", "VPC"]
    with pytest.raises(InputError, match="Không có kỳ báo cáo"):
        ws.templates("2099-XX")
    with pytest.raises(InputError, match="Không có đơn vị mã KHONGCO"):
        ws.templates("2022-6T", units=["KHONGCO"])


def test_generation_is_deterministic_and_matches_the_golden(bo_2022: Path, update_goldens: bool) -> None:
    ws = Workspace.open(bo_2022)
    first = ws.templates("2022-6T", units=["VPC"], generated=SAMPLE_TIME).files[0].read_bytes()
    second_result = ws.templates("2022-6T", units=["VPC"], generated=SAMPLE_TIME)
    assert second_result.files[0].read_bytes() == first
    check_golden("template_bo-2022_VPC", dump_xlsx(second_result.files[0]), update_goldens)


def test_template_password_from_config(bo_2022: Path) -> None:
    config = bo_2022 / "camket.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[templates]\npassword = "bimat"\n',
                      encoding="utf-8")
    path = Workspace.open(bo_2022).templates("2022-6T", units=["VPC"], generated=SAMPLE_TIME).files[0]
    sheet = openpyxl.load_workbook(path)["Báo cáo"]
    assert sheet.protection.sheet and sheet.protection.password


@pytest.mark.parametrize("unit", [
    Unit("VPC", "Vụ Pháp chế", head="Nguyễn Văn An", position="Vụ trưởng"),
    Unit("KHDT", 'Vụ Kế hoạch & Đầu tư <Tổng hợp> "số 1"', head="Trần Thị Bình"),
    Unit("DAI", "Cục Quản lý " + "chất lượng sản phẩm hàng hóa " * 12, position="Cục trưởng"),
    Unit("TRONG", " Phòng có khoảng trắng ở đầu"),
], ids=["plain", "markup-characters", "long-name-without-head", "leading-space"])
def test_a_reused_rendering_gives_the_same_workbook_as_a_whole_one(bo_2022: Path, tmp_path: Path,
                                                                    unit: Unit) -> None:
    job = Workspace.open(bo_2022).template_jobs("2022-6T", generated=SAMPLE_TIME)[0]
    other = replace(job, unit=replace(unit, code="KHAC", name="Đơn vị khác"), path=tmp_path / "khac.xlsx")
    write_template(other)  # the shape is rendered with placeholders and kept
    reused, whole = replace(job, unit=unit, path=tmp_path / "reused.xlsx"), replace(
        job, unit=unit, path=tmp_path / "whole.xlsx")
    assert write_template(reused) == write_template(whole, reuse=False)
    described = describe_xlsx(reused.path)
    assert described == describe_xlsx(whole.path)
    guide, report = described["sheets"][0], described["sheets"][1]
    assert report["cells"]["C4"] == unit.name and report["cells"]["E4"] == unit.code
    assert report["header"][0].strip() == unit.name[:120].replace("&", "&&").strip()  # && prints one &
    assert guide["cells"]["B3"] == f"{unit.name} (mã {unit.code})"
    assert described["properties"]["subject"] == f"{unit.code} - {unit.name}"


def test_worker_processes_write_the_same_files_as_one_process(bo_2022: Path, tmp_path: Path) -> None:
    jobs = Workspace.open(bo_2022).template_jobs("2022-6T", generated=SAMPLE_TIME)
    serial = [replace(job, path=tmp_path / "serial" / job.path.name) for job in jobs]
    parallel = [replace(job, path=tmp_path / "parallel" / job.path.name) for job in jobs]
    assert run_jobs(parallel, processes=2) == run_jobs(serial, processes=1)
    for one, other in zip(serial, parallel, strict=True):
        assert one.path.read_bytes() == other.path.read_bytes(), one.path.name
