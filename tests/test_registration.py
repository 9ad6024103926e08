"""Registration before the year: signed workbooks per unit, returned and ingested, the proposed
master list with structure rules, applied to danh-muc.xlsx after a copy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.errors import InputError
from camket.master import read_master
from camket.registration import apply_proposal, proposal, write_workbooks
from camket.registration.book import OWN_MARKER
from camket.samples import load_sample

from .conftest import write_master_xlsx

NOW = dt.datetime(2023, 1, 9, 9)
HEADERS = ["Mã nhiệm vụ", "Mã đơn vị", "Nội dung nhiệm vụ", "Nhóm", "Nguồn", "Sản phẩm", "Chỉ tiêu", "Thời hạn",
           "Điểm tối đa", "Nhiệm vụ khó", "Ghi chú", "Người theo dõi"]   # an extra column of the department's


@pytest.fixture
def so(tmp_path: Path) -> Workspace:
    """so-2023 before the year: the common and assigned tasks only, a column of the department's own."""
    root = tmp_path / "so"
    Workspace.init(root, sample="so-2023")   # its camket.toml has [registration] and [[structure]]
    sample = load_sample("so-2023")
    units = [[u["unit_code"], u["unit_name"], u["block"], u["head"], u["position"], u["email"]] for u in sample.units]
    tasks = [[t["task_code"], t["unit_code"], t["content"], t["group"], t["source"], t["product"], t["target"],
              t["deadline"], t["points"], t.get("hard", ""), "", "chuyên viên A"]
             for t in sample.tasks if t["source"] != "Tự đăng ký"]
    write_master_xlsx(root / "danh-muc.xlsx", units, tasks, task_headers=HEADERS,
                      title_rows=["DANH MỤC NHIỆM VỤ NĂM 2023"])
    return Workspace.open(root)


def fill(path: Path, own: list[dict[str, Any]], given: dict[str, dict[str, Any]] | None = None,
         target: Path | None = None) -> Path:
    """What a head does in Excel: own tasks under the marker, details of the given tasks."""
    book = openpyxl.load_workbook(path)
    sheet = book["Đăng ký"]
    header = {sheet.cell(7, c).value: c for c in range(1, sheet.max_column + 1)}
    marker = next(r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value or "").startswith(OWN_MARKER))
    for offset, values in enumerate(own, start=1):
        for label, value in values.items():
            sheet.cell(marker + offset, header[label]).value = value
    for r in range(8, marker):
        for label, value in (given or {}).get(sheet.cell(r, 2).value, {}).items():
            sheet.cell(r, header[label]).value = value
    out = target or path.with_name(f"tra-ve_{path.name}")
    book.save(out)
    return out


def own_tasks(n: int, unit: str) -> list[dict[str, Any]]:
    return [{"Nội dung nhiệm vụ": f"Nhiệm vụ tự đăng ký số {i} của {unit}", "Sản phẩm": "Báo cáo",
             "Thời hạn": f"{i + 3}/2023", "Điểm tối đa": 10, "Nhóm": "Công tác chung"} for i in range(1, n + 1)]


def test_workbooks_are_signed_prefilled_and_state_the_rules(so: Workspace) -> None:
    written = write_workbooks(so, generated=NOW)
    assert len(written.files) == 18 and written.zip_path.is_file()
    vp = next(p for p in written.files if "_VP_" in p.name)
    book = openpyxl.load_workbook(vp)
    assert book.sheetnames == ["Hướng dẫn", "Đăng ký", "_camket"]
    sheet = book["Đăng ký"]
    given = [(sheet.cell(r, 2).value, sheet.cell(r, 3).value) for r in range(8, 8 + 5)]
    assert given == [(t.code, t.source) for t in so.master().tasks_of("VP")]
    assert sheet.cell(8, 4).protection.locked and not sheet.cell(8, 6).protection.locked
    guide = [c.value for row in book["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert '- nguồn "Tự đăng ký": từ 3 đến 5 nhiệm vụ.' in guide
    assert '- nguồn "Nhiệm vụ chung": từ 1 đến 3 nhiệm vụ.' in guide
    assert '- nguồn "Cấp trên giao": từ 1 đến 2 nhiệm vụ.' in guide
    meta = {row[0].value: row[1].value for row in book["_camket"].iter_rows()}
    assert (meta["kind"], meta["round"], meta["unit"]) == ("registration", "2023-DK", "VP")


def test_returned_registrations_become_the_proposed_list_and_are_applied(so: Workspace, tmp_path: Path) -> None:
    written = write_workbooks(so, generated=NOW)
    files = {p.name.split("_")[2]: p for p in written.files}
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    fill(files["VP"], own_tasks(4, "VP"), {"VP-05": {"Chỉ tiêu": "100% hồ sơ", "Thời hạn": "Quý III/2023"}},
         inbox / "VP.xlsx")
    fill(files["TTR"], own_tasks(2, "TTR"), target=inbox / "TTR.xlsx")            # too few own tasks
    fill(files["KHTC"], [*own_tasks(3, "KHTC"), {"Sản phẩm": "Báo cáo"},          # a row without content
                         {"Nội dung nhiệm vụ": "Lập dự toán 2024", "Thời hạn": "31/13/2023", "Điểm tối đa": 5}],
         target=inbox / "KHTC.xlsx")
    result = so.ingest([inbox], "2023-DK", now=NOW)
    assert sorted((o.unit, o.state, o.kind) for o in result.files) == [
        ("KHTC", "accepted", "registration"), ("TTR", "accepted", "registration"), ("VP", "accepted", "registration")]
    codes = sorted((f.unit, f.code) for f in result.findings if f.severity.value != "info")
    assert codes == [("KHTC", "registration-content-missing"), ("KHTC", "registration-deadline-invalid"),
                     ("TTR", "structure-violation")]
    ttr = next(f for f in result.findings if f.code == "structure-violation")
    assert ttr.message == ('Đơn vị TTR (Thanh tra Sở) có 2 nhiệm vụ nguồn "Tự đăng ký", quy định từ 3 đến 5 '
                           "nhiệm vụ")
    assert ttr.location.file == "nhan/TTR.xlsx"

    found = proposal(so, NOW)
    assert found.registered == ("VP", "TTR", "KHTC") and len(found.missing) == 15
    assert [t.code for t in found.added] == ["VP-10", "VP-11", "VP-12", "VP-13", "TTR-08", "TTR-09", "KHTC-08",
                                             "KHTC-09", "KHTC-10"]
    vp05 = found.proposed.task("VP-05")
    assert vp05 is not None and (vp05.target, vp05.deadline) == ("100% hồ sơ", dt.date(2023, 9, 30))
    violations = sorted(f.unit for f in found.findings if f.code == "structure-violation")
    unregistered = {u.code for u in so.master().units} - {"VP", "KHTC"}
    assert violations == sorted(unregistered)   # every unit without own tasks yet, and TTR with two
    with pytest.raises(InputError, match=r"còn \d+ lỗi"):
        apply_proposal(so, now=NOW)

    runner = CliRunner()
    dry = runner.invoke(cli, ["-w", str(so.root), "register-apply", "--dry-run"])
    assert dry.exit_code == 3, dry.output
    assert "Thêm nhiệm vụ VP-10: Nhiệm vụ tự đăng ký số 1 của VP" in dry.output
    before = (so.root / "danh-muc.xlsx").read_bytes()
    applied = runner.invoke(cli, ["-w", str(so.root), "register-apply", "--force"])
    assert applied.exit_code == 0, applied.output
    backups = list((so.root / ".camket" / "backup").glob("danh-muc-truoc-dang-ky-*.xlsx"))
    assert [b.read_bytes() for b in backups] == [before]

    after = read_master(so.root / "danh-muc.xlsx", 2023)
    assert [f for f in after.findings if f.severity.value == "error"] == []
    assert {t.code: t for t in after.master.tasks} == {t.code: t for t in found.proposed.tasks}
    sheet = openpyxl.load_workbook(so.root / "danh-muc.xlsx")["Nhiệm vụ"]
    assert sheet["A1"].value == "DANH MỤC NHIỆM VỤ NĂM 2023"   # the department's title row stays
    last = sheet.max_row
    assert [sheet.cell(last, c).value for c in (1, 2, 5)] == ["KHTC-10", "KHTC", "Tự đăng ký"]
    assert sheet.cell(3, 12).value == "chuyên viên A"             # and its own column
    again = apply_proposal(so, force=True, now=NOW)
    assert again.backup is None and again.proposal.changes == ()


def test_a_table_copied_out_of_the_form_is_not_a_registration(so: Workspace, tmp_path: Path) -> None:
    written = write_workbooks(so, units=["VP"], generated=NOW)
    book = openpyxl.load_workbook(fill(written.files[0], own_tasks(3, "VP")))
    del book["_camket"]
    book.save(tmp_path / "dang-ky_VP.xlsx")
    result = so.ingest([tmp_path / "dang-ky_VP.xlsx"], "2023-DK", now=NOW)
    assert [(o.unit, o.state, o.kind) for o in result.files] == [("VP", "rejected", "registration")]
    assert [f.code for f in result.findings] == ["registration-not-a-form"]


def test_the_registration_round_is_not_a_reporting_round(so: Workspace) -> None:
    result = CliRunner().invoke(cli, ["-w", str(so.root), "status", "--round", "2023-DK"])
    assert result.exit_code == 2
    assert "là đợt đăng ký nhiệm vụ, không phải kỳ báo cáo" in result.output


def test_check_reports_structure_violations_of_the_master_list(so: Workspace) -> None:
    result = CliRunner().invoke(cli, ["-w", str(so.root), "check", "--json"])
    assert result.exit_code == 3
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "structure-violation"]
    assert len(found) == 18
    assert found[0]["message"] == ('Đơn vị BGD-GD (Giám đốc Sở) có 0 nhiệm vụ nguồn "Tự đăng ký", quy định từ 3 '
                                   "đến 5 nhiệm vụ")
    text = (so.root / "camket.toml").read_text(encoding="utf-8").splitlines()
    line = text.index("[[structure]]") + 1
    assert found[0]["advice"].endswith(f"(bảng [[structure]] ở dòng {line} của camket.toml)")
    assert found[0]["line"] == "" and found[0]["file"] == "danh-muc.xlsx"
