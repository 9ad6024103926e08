"""Trust: no file can take another unit's place, every file counts in its own round, camket's
own files are not answers, published rounds keep their figures, the arrival date is the one
the department records, and camket's own failures are never blamed on an office.

Fixtures in ``tests/data/trust/`` are named for the defect they carry
(``tests/data/build_trust_fixtures.py`` builds them)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from camket import Workspace
from camket.errors import InputError
from camket.ledger import Ledger
from camket.master import read_master
from camket.masterbook import write_master

DATA = Path(__file__).parent / "data"
RETURNED = DATA / "returned"
TRUST = DATA / "trust"
RECEIVED = dt.datetime(2022, 7, 3, 9, 0)
LATER = dt.datetime(2022, 7, 4, 9, 0)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """The fixture workspace: VP (2 tasks), VPC (3), TTCNTT (1); rounds 2022-6T and 2022-9T."""
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def answers(ws: Workspace, unit: str, round_id: str = "2022-6T") -> list[tuple[str, str | None, float | None]]:
    with Ledger(ws.root, create=False) as ledger:
        return [(r.task, r.status, r.progress) for r in ledger.accepted_rows(round_id) if r.unit == unit]


def one(ws: Workspace, path: Path, now: dt.datetime = RECEIVED, **options: object):  # type: ignore[no-untyped-def]
    [outcome] = ws.ingest([path], "2022-6T", now=now, **options).files  # type: ignore[arg-type]
    return outcome


# --- 3. identity -------------------------------------------------------------------------------
def test_metadata_copied_into_another_units_workbook_waits_and_never_replaces_that_unit(ws: Workspace) -> None:
    genuine = one(ws, RETURNED / "returned_clean_other_unit.xlsx")
    before = answers(ws, "VP")
    copied = one(ws, TRUST / "metadata_copied_into_other_units_workbook.xlsx", LATER)
    assert (copied.state, copied.unit, copied.claimed_unit) == ("pending", "VPC", "VP")
    assert answers(ws, "VP") == before and before
    assert answers(ws, "VPC") == []  # not counted for anyone
    # the finding goes to the unit that sent it (its tasks are VPC's), never to the one it imitates
    assert {(f.code, f.unit) for f in copied.findings} == {("identity-conflict", "VPC")}
    assert f"camket accept {copied.submission_id}" in copied.findings[0].advice
    status = ws.reconcile("2022-6T")
    assert [(p.id, p.unit, p.claimed_unit) for p in status.pending] == [(copied.submission_id, "VPC", "VP")]
    assert status.status_json()["pending"][0]["file"] == "metadata_copied_into_other_units_workbook.xlsx"
    assert status.units[0].submission is not None
    files = ws.report("2022-6T")
    feedback = {p.name.split("_")[2]: p for p in files.feedback}
    assert "VP" not in feedback  # VP answered cleanly: nothing to tell it about the copy
    # the department decides: the file is VPC's answer
    ws.accept(copied.submission_id)
    assert len(answers(ws, "VPC")) == 3
    assert answers(ws, "VP") == before
    states = {s.id: s.state for s in ws.submissions("2022-6T")}
    assert states == {genuine.submission_id: "accepted", copied.submission_id: "accepted"}
    # the decision answers the conflict: kept as information, no longer counted against VPC
    with Ledger(ws.root, create=False) as ledger:
        [settled] = ledger.findings_of([copied.submission_id])
    assert (settled.code, settled.severity.value) == ("identity-conflict", "info")
    assert "đơn vị tổng hợp đã quyết định tính tệp này cho đơn vị VPC" in settled.message
    assert ws.reconcile("2022-6T").status_json()["findings"]["error"] == 0


def test_a_conflict_cannot_be_forced_onto_the_claimed_unit_when_nothing_in_it_is_that_units(ws: Workspace) -> None:
    copied = one(ws, TRUST / "metadata_copied_into_other_units_workbook.xlsx")
    with pytest.raises(InputError, match="Không thể tính tệp số"):
        ws.accept(copied.submission_id, unit="VP")
    assert [s.state for s in ws.submissions("2022-6T")] == ["pending"]


def test_a_copy_whose_unit_cell_claims_another_unit_is_not_credited_to_it(ws: Workspace) -> None:
    copied = one(ws, TRUST / "copied_unit_cell_claims_other_unit.xlsx")
    assert (copied.state, copied.unit, copied.claimed_unit) == ("pending", "VPC", "VP")
    assert answers(ws, "VP") == [] and answers(ws, "VPC") == []
    assert ("identity-conflict", "VPC") in {(f.code, f.unit) for f in copied.findings}


def test_an_unsigned_copy_never_replaces_a_signed_answer_by_itself(ws: Workspace) -> None:
    signed = one(ws, RETURNED / "returned_clean.xlsx")
    before = answers(ws, "VPC")
    copy = one(ws, RETURNED / "returned_copied_without_metadata.xlsx", LATER)
    assert copy.state == "pending"
    assert "unsigned-after-signed" in {f.code for f in copy.findings}
    assert answers(ws, "VPC") == before
    chosen = ws.accept(copy.submission_id)  # an explicit decision may
    assert chosen.state == "accepted"
    states = {s.id: (s.state, s.superseded_by) for s in ws.submissions("2022-6T")}
    assert states[signed.submission_id] == ("superseded", copy.submission_id)
    with Ledger(ws.root, create=False) as ledger:
        history = [(command, state) for _, command, state, _ in ledger.decisions(copy.submission_id)]
    assert history == [("ingest", "pending"), (f"accept {copy.submission_id}", "accepted")]


def test_a_signed_answer_replaces_an_unsigned_one(ws: Workspace) -> None:
    first = one(ws, RETURNED / "returned_copied_without_metadata.xlsx")
    second = one(ws, RETURNED / "returned_clean.xlsx", LATER)
    assert (first.state, second.state) == ("accepted", "accepted")
    assert {s.state for s in ws.submissions("2022-6T") if s.id == first.submission_id} == {"superseded"}


def test_a_file_sent_through_another_units_link_counts_for_neither(ws: Workspace) -> None:
    sent = one(ws, RETURNED / "returned_clean.xlsx", expected_unit="VP")
    assert (sent.state, sent.unit) == ("pending", "VPC")
    [mismatch] = sent.findings
    assert mismatch.code == "link-mismatch" and mismatch.unit == "VP"  # told to the unit whose link it used
    assert "đường dẫn riêng của đơn vị VP nhưng là báo cáo của đơn vị VPC" in mismatch.message
    assert answers(ws, "VP") == [] and answers(ws, "VPC") == []
    own = one(ws, RETURNED / "returned_clean_other_unit.xlsx", expected_unit="VP", via="upload")
    assert own.state == "accepted"
    [counted] = [s for s in ws.submissions("2022-6T") if s.id == own.submission_id]
    assert (counted.arrived, counted.arrived_source) == (RECEIVED.isoformat(), "upload")


def test_a_forged_files_finding_goes_to_the_unit_that_sent_it(ws: Workspace) -> None:
    forged = one(ws, RETURNED / "returned_metadata_claims_other_unit.xlsx")  # VPC's file, metadata says VP
    assert forged.state == "rejected"
    assert [(f.code, f.unit) for f in forged.findings] == [("signature-invalid", "VPC")]
    assert ws.reconcile("2022-6T").rejected == {"VPC": 1}


def test_an_unreadable_file_named_for_a_unit_is_linked_to_it_but_never_counted(ws: Workspace, tmp_path: Path) -> None:
    named = tmp_path / "Bao cao 6 thang - VPC.xlsx"
    shutil.copy(RETURNED / "returned_truncated.xlsx", named)
    outcome = one(ws, named)
    assert (outcome.state, outcome.unit) == ("rejected", "VPC")
    assert {(f.code, f.unit) for f in outcome.findings} == {("file-corrupt", "VPC")}
    result = ws.reconcile("2022-6T")
    assert result.rejected == {"VPC": 1} and not any(u.answered for u in result.units)


# --- 4. the round a file belongs to ------------------------------------------------------------
def test_a_file_rejected_in_the_wrong_round_counts_in_its_own(ws: Workspace) -> None:
    wrong = one(ws, RETURNED / "returned_other_round.xlsx")
    assert wrong.state == "rejected" and [f.code for f in wrong.findings] == ["other-round"]
    [right] = ws.ingest([RETURNED / "returned_other_round.xlsx"], "2022-9T", now=LATER).files
    assert (right.state, right.unit) == ("accepted", "VPC")
    assert len(answers(ws, "VPC", "2022-9T")) == 3
    [again] = ws.ingest([RETURNED / "returned_other_round.xlsx"], "2022-9T", now=LATER).files
    assert again.state == "duplicate"


# --- 5. camket's own files are not answers --------------------------------------------------------
def test_ingesting_the_workspace_itself_takes_none_of_its_own_files(ws: Workspace) -> None:
    ws.templates("2022-6T")
    answered = one(ws, RETURNED / "returned_clean.xlsx")
    result = ws.ingest([ws.root], "2022-6T", now=LATER)
    assert result.files == []
    [notice] = result.notices
    assert notice.code == "workspace-folder-skipped"
    for part in ("out/", ".camket/", "ledger.sqlite", "archive.sqlite", "camket.toml", "danh-muc.xlsx"):
        assert part in notice.message
    assert {s.id: s.state for s in ws.submissions("2022-6T")} == {answered.submission_id: "accepted"}


def test_the_out_folder_named_on_purpose_still_gives_back_none_of_camkets_outputs(
        ws: Workspace, tmp_path: Path) -> None:
    ws.templates("2022-6T")
    answered = one(ws, RETURNED / "returned_clean.xlsx")
    ws.report("2022-6T", pdf=False, generated=LATER)
    result = ws.ingest([ws.root / "out"], "2022-6T", now=LATER)
    assert result.files == []
    [notice] = result.notices
    for part in ("templates/ (mẫu báo cáo đã lập)", "phan-hoi/ (tệp phản hồi đã lập)",
                 "2022-6T_tong-hop.xlsx (bảng tổng hợp)", "2022-6T_bao-cao.docx (báo cáo)"):
        assert part in notice.message
    # the consolidated workbook copied anywhere else is recognised by its sheets, never split by unit
    copied = tmp_path / "tong-hop-ban-sao.xlsx"
    shutil.copy(ws.root / "out" / "2022-6T" / "2022-6T_tong-hop.xlsx", copied)
    outcome = one(ws, copied, LATER)
    assert (outcome.state, outcome.unit, [f.code for f in outcome.findings]) == ("rejected", "", ["camket-output"])
    assert {s.id: s.state for s in ws.submissions("2022-6T") if s.state != "rejected"} == {
        answered.submission_id: "accepted"}


def test_a_template_returned_as_it_was_sent_is_not_an_answer(ws: Workspace, tmp_path: Path) -> None:
    issued = ws.templates("2022-6T").files
    answered = one(ws, RETURNED / "returned_clean.xlsx")
    inbox = tmp_path / "thu-den"
    inbox.mkdir()
    for path in issued:
        shutil.copy(path, inbox / path.name)
    result = ws.ingest([inbox], "2022-6T", now=LATER)
    assert {o.state for o in result.files} == {"rejected"}
    assert {f.code for f in result.findings} == {"template-not-filled"}
    assert {s.id: s.state for s in ws.submissions("2022-6T") if s.unit == "VPC" and s.state != "rejected"} == {
        answered.submission_id: "accepted"}


def test_a_template_saved_again_with_nothing_filled_is_not_an_answer(ws: Workspace) -> None:
    answered = one(ws, RETURNED / "returned_clean.xlsx")
    blank = one(ws, TRUST / "template_resaved_unfilled.xlsx", LATER)
    assert (blank.state, blank.unit) == ("rejected", "VPC")
    assert [f.code for f in blank.findings] == ["template-not-filled"]
    assert [s.state for s in ws.submissions("2022-6T") if s.id == answered.submission_id] == ["accepted"]


# --- 6. published rounds are frozen -----------------------------------------------------------
def add_task(ws: Workspace, **changes: object) -> None:
    """The department edits danh-muc.xlsx: a new task for VP, and ``changes`` to VPC-01."""
    master = read_master(ws.master_path, 2022).master
    units = [{"unit_code": u.code, "unit_name": u.name, "block": u.block, "head": u.head, "position": u.position,
              "email": u.email} for u in master.units]
    tasks = [{"task_code": t.code, "unit_code": t.unit, "content": t.content, "group": t.group,
              "source": t.source, "product": t.product, "target": t.target, "deadline": t.deadline or t.deadline_text,
              "points": t.points, **(changes if t.code == "VPC-01" else {})} for t in master.tasks]
    tasks.append({"task_code": "VP-03", "unit_code": "VP", "content": "Xây dựng đề án chuyển đổi số văn phòng",
                  "group": "Quản lý", "source": "Tự đăng ký", "product": "Đề án", "deadline": dt.date(2022, 6, 15),
                  "points": 20})
    write_master(ws.master_path, units, tasks)


def test_a_published_round_keeps_its_figures_when_the_master_list_changes(ws: Workspace) -> None:
    ws.templates("2022-6T")
    ws.ingest([RETURNED / "returned_clean.xlsx", RETURNED / "returned_clean_other_unit.xlsx"], "2022-6T",
              now=RECEIVED)
    before = ws.reconcile("2022-6T").status_json()
    assert before["tasks"]["total"] == 6 and before["tasks"]["completed"] == 5
    add_task(ws, deadline=dt.date(2022, 3, 31))
    edited = Workspace.open(ws.root)
    assert edited.reconcile("2022-6T").status_json() == before
    from camket import check_workspace
    [differs] = [f for f in check_workspace(ws.root).findings if f.code == "round-differs-from-master"]
    assert '"2022-6T"' in differs.message and "2 điểm khác" in differs.message
    later = edited.templates("2022-9T")  # a round issued after the edit takes it, and says what changed
    assert sorted(a.label for a in later.adjustments) == [
        "Sửa Thời hạn của nhiệm vụ VPC-01: 30/09/2022 → 31/03/2022",
        "Thêm nhiệm vụ VP-03: Xây dựng đề án chuyển đổi số văn phòng"]
    assert later.adjustments[0].reason == "lập mẫu báo cáo, so với danh sách kỳ 6 tháng đầu năm 2022"
    assert edited.reconcile("2022-9T").overall.total == 7
    again = edited.templates("2022-6T")  # the issued round is written from its frozen list
    assert len(again.not_applied) == 2 and again.adjustments == ()
    assert edited.reconcile("2022-6T").status_json() == before


def test_reissuing_a_round_applies_the_edits_and_records_each_adjustment(ws: Workspace) -> None:
    ws.templates("2022-6T")
    ws.ingest([RETURNED / "returned_clean.xlsx"], "2022-6T", now=RECEIVED)
    add_task(ws, deadline=dt.date(2022, 3, 31))
    edited = Workspace.open(ws.root)
    reissued = edited.templates("2022-6T", reissue=True)
    assert sorted(a.label for a in reissued.adjustments) == [
        "Sửa Thời hạn của nhiệm vụ VPC-01: 30/09/2022 → 31/03/2022",
        "Thêm nhiệm vụ VP-03: Xây dựng đề án chuyển đổi số văn phòng"]
    result = edited.reconcile("2022-6T")
    assert result.overall.total == 7
    assert [(a.change, a.code) for a in result.adjustments] == [("changed", "VPC-01"), ("added", "VP-03")]
    assert result.status_json()["adjustments"] == 2
    done_late = {t.task.code for t in result.tasks if t.derived.value == "Hoàn thành quá hạn"}
    assert done_late == {"VPC-01"}  # done on 15/06, now due 31/03: the round's figures follow the adjustment
    from camket import check_workspace
    assert not [f for f in check_workspace(ws.root).findings if f.code == "round-differs-from-master"]


# --- 7. the date a file arrived ---------------------------------------------------------------
def test_the_date_a_batch_arrived_decides_lateness(ws: Workspace, tmp_path: Path) -> None:
    saved = tmp_path / "tu-thu" / "VPC.xlsx"
    saved.parent.mkdir()
    shutil.copy(RETURNED / "returned_clean.xlsx", saved)
    after_due = dt.datetime(2022, 7, 9, 10).timestamp()
    os.utime(saved, (after_due, after_due))  # saved from the e-mail days after it arrived
    ws.ingest([saved], "2022-6T", now=dt.datetime(2022, 7, 10, 8), received_on=dt.date(2022, 7, 4))
    [sub] = ws.submissions("2022-6T")
    assert (sub.arrived, sub.arrived_source) == ("2022-07-04", "given")
    [vpc] = [u for u in ws.reconcile("2022-6T").units if u.unit.code == "VPC"]
    assert not vpc.late and vpc.submission is not None and vpc.submission.arrived_source == "given"


def test_without_a_date_the_files_own_time_is_used_and_said(ws: Workspace, tmp_path: Path) -> None:
    saved = tmp_path / "VPC.xlsx"
    shutil.copy(RETURNED / "returned_clean.xlsx", saved)
    after_due = dt.datetime(2022, 7, 9, 10).timestamp()
    os.utime(saved, (after_due, after_due))
    ws.ingest([saved], "2022-6T", now=dt.datetime(2022, 7, 10, 8))
    [sub] = ws.submissions("2022-6T")
    assert (sub.arrived, sub.arrived_source) == ("2022-07-09T10:00:00", "file")
    assert [u.late for u in ws.reconcile("2022-6T").units if u.unit.code == "VPC"] == [True]


# --- 8. the archive -------------------------------------------------------------------------------
def test_a_damaged_archive_copy_is_found_by_verify_and_restored_by_the_original(ws: Workspace) -> None:
    sent = one(ws, RETURNED / "returned_clean.xlsx")
    assert ws.verify().ok
    original = (RETURNED / "returned_clean.xlsx").read_bytes()
    with Ledger(ws.root) as ledger, ledger.transaction():  # junk of the same size, as a careless tool would write
        ledger._db.execute("UPDATE archive.blobs SET data = ?", (bytes(len(original)),))
    report = ws.verify()
    assert [(f.code, f.location.file) for f in report.findings] == [("archive-damaged", "returned_clean.xlsx")]
    assert f"tệp số {sent.submission_id}" in report.findings[0].message
    again = one(ws, RETURNED / "returned_clean.xlsx", LATER)
    assert again.state == "duplicate" and [f.code for f in again.findings] == ["archive-restored"]
    assert ws.verify().ok
    assert ws.archived_file(sent.submission_id)[1] == original


# --- 9. camket's own bugs are never blamed on the office --------------------------------------------
def test_a_bug_while_reading_a_file_is_kept_apart_and_the_file_is_read_again_later(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    process = importlib.import_module("camket.ingest.process")
    monkeypatch.setattr(Workspace, "strict", False)
    real = process.read_rows

    def broken(*args: object, **kwargs: object) -> object:
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setattr(process, "read_rows", broken)
    result = ws.ingest([RETURNED / "returned_clean.xlsx", RETURNED / "returned_clean_other_unit.xlsx"], "2022-6T",
                       now=RECEIVED, processes=1)
    assert [o.state for o in result.files] == ["error", "error"]
    [finding, _] = [f for o in result.files for f in o.findings]
    assert finding.code == "internal-error" and finding.unit == ""  # never in an office's feedback
    assert "không phải lỗi của tệp" in finding.message and "TypeError" in finding.message
    assert ws.reconcile("2022-6T").rejected == {}
    monkeypatch.setattr(process, "read_rows", real)  # camket is fixed: the same bytes are read again
    again = ws.ingest([RETURNED / "returned_clean.xlsx"], "2022-6T", now=LATER, processes=1)
    assert [o.state for o in again.files] == ["accepted"]


def test_a_status_typed_as_a_number_is_a_finding_at_its_cell(ws: Workspace, tmp_path: Path) -> None:
    """Found by the fuzz test once camket's own errors raised in tests: a number in the status
    cell (a date serial pasted there) made camket fail, and the file was called corrupt."""
    import openpyxl

    book = openpyxl.load_workbook(RETURNED / "returned_clean.xlsx")
    book["Báo cáo"]["I8"] = 36622
    book.save(tmp_path / "trang-thai-la-so.xlsx")
    outcome = one(ws, tmp_path / "trang-thai-la-so.xlsx")
    assert outcome.state == "accepted"
    assert [(f.code, f.location.cell) for f in outcome.findings] == [("status-invalid", "I8")]


# --- what the department and the officials read about it ---------------------------------------
def test_the_report_lists_pending_files_adjustments_and_how_each_arrival_is_known(ws: Workspace) -> None:
    import docx
    import openpyxl

    from .test_consolidated import table

    ws.templates("2022-6T")
    ws.ingest([RETURNED / "returned_clean.xlsx"], "2022-6T", now=RECEIVED, received_on=dt.date(2022, 7, 2))
    pending = one(ws, TRUST / "copied_unit_cell_claims_other_unit.xlsx", LATER)
    add_task(ws, deadline=dt.date(2022, 3, 31))
    edited = Workspace.open(ws.root)
    edited.templates("2022-6T", reissue=True)
    files = edited.report("2022-6T", feedback=False)
    book = openpyxl.load_workbook(files.consolidated)
    [waiting] = table(book, "Chờ xử lý")
    assert (waiting["Số tệp"], waiting["Nội dung là báo cáo của"], waiting["Tệp ghi là của"]) == (
        pending.submission_id, "Vụ Pháp chế", "Văn phòng Bộ")
    adjusted = {(r["Điều chỉnh"], r["Mã"], r["Trước điều chỉnh"], r["Sau điều chỉnh"])
                for r in table(book, "Điều chỉnh")}
    assert adjusted == {("Sửa", "VPC-01", "30/09/2022", "31/03/2022"),
                        ("Thêm", "VP-03", None, "Xây dựng đề án chuyển đổi số văn phòng")}
    units = {r["Tên đơn vị"]: r for r in table(book, "Theo đơn vị")}
    assert units["Vụ Pháp chế"]["Căn cứ thời gian gửi"] == "ngày nhận do người tiếp nhận ghi"
    text = "\n".join(p.text for p in docx.Document(str(files.word)).paragraphs)
    assert "Có 1 tệp báo cáo đang được kiểm tra lại, chưa tính vào số liệu" in text
    assert "nội dung là báo cáo của Vụ Pháp chế nhưng tệp ghi là của Văn phòng Bộ" in text
    assert "bổ sung 1 nhiệm vụ (VP-03); điều chỉnh thời hạn của 1 nhiệm vụ (VPC-01)" in text


def test_a_large_agencys_appraisal_workbook_is_read_whole(tmp_path: Path) -> None:
    """The window read of each sheet (20,000 rows) grows with the round's list: the department's
    appraisal workbook of an agency with 22,000 tasks lists every one of them, and is read whole."""
    import openpyxl

    from camket.ingest import Limits
    from camket.samples import load_sample
    from camket.simulate import scale_rows

    assert Limits().for_tasks(19_000) == Limits()  # an ordinary agency keeps the defaults
    root = tmp_path / "lon"
    Workspace.init(root, sample="bo-2022")
    sample = load_sample("bo-2022")
    units, tasks = scale_rows(sample.units, sample.tasks, 1_000, 22)
    write_master(root / "danh-muc.xlsx", units, tasks)
    ws = Workspace.open(root)
    path = ws.appraise("2022-6T")
    book = openpyxl.load_workbook(path)
    sheet = book["Thẩm định"]
    last = sheet.max_row
    sheet.cell(last, 10).value = 1  # the last task's appraised score, far below row 20,000
    book.save(path)
    [outcome] = ws.ingest([path], "2022-6T", now=RECEIVED).files
    assert outcome.state == "accepted", [str(f) for f in outcome.findings]
    assert last > 22_000
    assert not [f for f in outcome.findings if f.code in ("cells-outside-table", "sheet-too-large", "file-too-large")]


def test_a_file_named_on_purpose_in_the_workspace_is_read(ws: Workspace) -> None:
    """Walking the workspace skips its own folders, but a file named on purpose is read: the
    department's filled appraisal workbook lives in ``out/`` (camket appraise writes it there)."""
    one(ws, RETURNED / "returned_clean.xlsx")
    path = ws.appraise("2022-6T")
    [outcome] = ws.ingest([path], "2022-6T", now=LATER).files
    assert (outcome.kind, outcome.state) == ("appraisal", "accepted")
    assert ws.ingest([path.parent], "2022-6T", now=LATER).files[0].state == "duplicate"  # a folder inside out/


def test_a_report_written_without_pdf_leaves_no_pdf_of_an_earlier_report(ws: Workspace) -> None:
    one(ws, RETURNED / "returned_clean.xlsx")
    earlier = ws.report("2022-6T", pdf=False, generated=LATER).word.with_suffix(".pdf")
    earlier.write_bytes(b"%PDF-1.4 made from the Word report before this one")
    files = ws.report("2022-6T", pdf=False, generated=LATER)
    assert files.pdf is None and not earlier.exists()
