"""Appraisal round trip: the workbook is generated, filled by the department, ingested;
ratings then use the appraised scores and the largest gaps are listed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
from docx import Document

from camket import Workspace
from camket.schema import APPRAISAL

from .conftest import SAMPLE_TIME

DATA = Path(__file__).parent / "data"
RECEIVED = dt.datetime(2022, 7, 3, 9, 0)
COL = {c.key: i + 1 for i, c in enumerate(APPRAISAL.columns)}


def appraised_ws(tmp_path: Path) -> tuple[Workspace, Path]:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    ws.ingest([DATA / "returned" / "returned_clean.xlsx", DATA / "returned" / "returned_clean_other_unit.xlsx"],
              "2022-6T", now=RECEIVED)
    return ws, ws.appraise("2022-6T", generated=SAMPLE_TIME)


def fill(path: Path, scores: dict[str, object], target: Path,
         edit: dict[tuple[str, str], object] | None = None) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book[APPRAISAL.name]
    for row in range(5, sheet.max_row + 1):
        code = sheet.cell(row, COL["task_code"]).value
        if code in scores:
            sheet.cell(row, COL["appraised_score"]).value = scores[code]
            sheet.cell(row, COL["appraisal_note"]).value = f"Nhận xét {code}"
        for (task, key), value in (edit or {}).items():
            if code == task:
                sheet.cell(row, COL[key]).value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def test_the_workbook_lists_every_task_with_what_was_reported(tmp_path: Path) -> None:
    ws, path = appraised_ws(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book[APPRAISAL.name]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[COL["task_code"] - 1] for r in rows] == [t.code for t in ws.master().tasks]
    vpc = next(r for r in rows if r[COL["task_code"] - 1] == "VPC-01")
    assert (vpc[COL["status"] - 1], vpc[COL["self_score"] - 1], vpc[COL["points"] - 1]) == ("Hoàn thành", 50, 50)
    missing = next(r for r in rows if r[COL["task_code"] - 1] == "TTCNTT-01")
    assert missing[COL["status"] - 1] == "Chưa báo cáo"
    assert sheet.protection.sheet
    assert not sheet.cell(5, COL["appraised_score"]).protection.locked
    assert sheet.cell(5, COL["content"]).protection.locked
    assert book["_camket"].sheet_state == "veryHidden"
    summary = [r for r in book["Tổng hợp thẩm định"].iter_rows(min_row=2, values_only=True)]
    assert all(str(r[2]).startswith("=SUMIF(") for r in summary)


def test_ingested_appraisal_drives_ratings_and_the_gap_list(tmp_path: Path) -> None:
    ws, path = appraised_ws(tmp_path)
    before = {u.unit.code: u for u in ws.reconcile("2022-6T").units}
    assert (before["VPC"].score, before["VPC"].rating) == (100, "Hoàn thành xuất sắc nhiệm vụ")
    filled = fill(path, {"VPC-01": 40, "VPC-02": 30, "VPC-03": "10,5", "VP-01": 50, "VP-02": 50},
                  tmp_path / "tham-dinh" / "da-cham.xlsx")
    result = ws.ingest([filled], "2022-6T", now=RECEIVED)
    assert [(o.kind, o.state) for o in result.files] == [("appraisal", "accepted")]
    assert [f.code for f in result.findings if f.severity.value != "info"] == []
    after = ws.reconcile("2022-6T")
    units = {u.unit.code: u for u in after.units}
    assert units["VPC"].appraised == 80.5 and units["VPC"].gap == 19.5
    assert units["VPC"].score == 80.5 and units["VPC"].rating == "Hoàn thành tốt nhiệm vụ"
    assert units["VPC"].breakdown is not None and units["VPC"].breakdown.source == "thẩm định"
    assert (units["VP"].score, units["VP"].gap) == (100, 0)
    assert [u.unit.code for u in after.gaps] == ["VPC", "VP"]
    notes = {t.task.code: t.appraisal_note for t in after.tasks if t.appraisal_note}
    assert notes["VPC-01"] == "Nhận xét VPC-01"

    files = ws.report("2022-6T", generated=SAMPLE_TIME)
    book = openpyxl.load_workbook(files.consolidated)
    gaps = [r for r in book["Tổng hợp thẩm định"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert gaps[0][:6] == ("VPC", "Vụ Pháp chế", 100, 100, 80.5, 19.5)
    rows = list(book["Điểm"].iter_rows(values_only=True))
    header = rows[2]
    scores = {r[header.index("Mã đơn vị")]: dict(zip(header, r, strict=True)) for r in rows[3:] if r[0]}
    assert scores["VPC"]["Căn cứ chấm"] == "thẩm định" and scores["VPC"]["Tổng điểm"] == 80.5
    text = "\n".join(p.text for p in Document(str(files.word)).paragraphs)
    assert "- Vụ Pháp chế: tự chấm 100 điểm, thẩm định 80,5 điểm (chênh lệch 19,5 điểm)." in text


def test_appraisal_findings_discipline(tmp_path: Path) -> None:
    ws, path = appraised_ws(tmp_path)
    filled = fill(path, {"VPC-01": 70, "VPC-02": "ba mươi", "VP-01": 45},
                  tmp_path / "loi" / "cham-sai.xlsx", edit={("VP-02", "content"): "Nội dung bị sửa"})
    result = ws.ingest([filled], "2022-6T", now=RECEIVED)
    found = sorted((f.code, f.task) for f in result.findings)
    assert ("appraisal-above-points", "VPC-01") in found     # 70 > 50 points
    assert ("appraisal-score-invalid", "VPC-02") in found
    assert ("appraisal-missing", "VPC-03") in found          # reported, not appraised
    assert ("appraisal-missing", "VP-02") in found
    assert ("appraisal-context-changed", "VP-02") in found   # locked context altered
    assert not any(task.startswith("TTCNTT") for _, task in found)  # not reported: nothing to appraise
    units = {u.unit.code: u for u in ws.reconcile("2022-6T").units}
    assert units["VP"].appraised == 45  # the valid score counts; VP-02 keeps its self-score
    assert units["VP"].score == 95


def test_a_forged_appraisal_is_rejected(tmp_path: Path) -> None:
    ws, path = appraised_ws(tmp_path)
    book = openpyxl.load_workbook(path)
    for row in book["_camket"].iter_rows():
        if row[0].value == "round":
            row[1].value = "2022-9T"
    book.save(tmp_path / "gia.xlsx")
    result = ws.ingest([tmp_path / "gia.xlsx"], "2022-6T", now=RECEIVED)
    assert [o.state for o in result.files] == ["rejected"]
    assert [f.code for f in result.findings] == ["signature-invalid"]
