"""Every kind of returned file in ``tests/data/returned/`` (one fixture per defect,
built by ``tests/data/build_fixtures.py``): ingest never raises, keeps the file in the
archive and the ledger, and reports exactly the expected findings at the expected cells."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from camket import Workspace
from camket.ledger import Ledger

DATA = Path(__file__).parent / "data"
RECEIVED = dt.datetime(2022, 7, 3, 9, 0)

# fixture -> (state of the file, every finding of the run as (code, cell); "" = the finding names no cell)
CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    # clean files, also as re-saved by LibreOffice in three formats
    "returned_clean.xlsx": ("accepted", []),
    "returned_clean_other_unit.xlsx": ("accepted", []),
    "returned_saved_by_libreoffice.xlsx": ("accepted", []),
    "returned_saved_by_libreoffice.xls": ("accepted", []),
    "returned_saved_by_libreoffice.ods": ("accepted", []),
    "returned_rows_reordered.xlsx": ("accepted", []),
    "returned_table_moved_down.xlsx": ("accepted", []),
    "returned_formula_injection.xlsx": ("accepted", []),
    # unreadable, or not a workbook at all
    "returned_empty.xlsx": ("rejected", [("file-empty", "")]),
    "returned_pdf_sent_by_mistake.pdf": ("rejected", [("file-not-spreadsheet", "")]),
    "returned_docx_sent_by_mistake.xlsx": ("rejected", [("file-not-spreadsheet", "")]),
    "returned_html_saved_as_xls.xls": ("rejected", [("file-not-spreadsheet", "")]),
    "returned_truncated.xlsx": ("rejected", [("file-corrupt", "")]),
    "returned_password_protected.xlsx": ("rejected", [("file-encrypted", "")]),
    "returned_zip_bomb.xlsx": ("rejected", [("file-too-large", "")]),
    "returned_doctype_entities.xlsx": ("rejected", [("file-unsafe-content", "")]),
    "returned_doctype_after_padding.xlsx": ("rejected", [("file-unsafe-content", "")]),
    # far stray cells: read within A1:BL20000 and named, or refused before the reader builds them
    "returned_stray_cell_far_right.xlsx": ("accepted", [("cells-outside-table", "XFD5000")]),
    "returned_stray_cell_without_reference.xlsx": ("accepted", [("cells-outside-table", "XFD5000")]),
    "returned_stray_cell_sheet_elsewhere.xlsx": ("accepted", [("cells-outside-table", "XFD5000")]),
    "returned_stray_values_below_table.xlsx": ("accepted", [("cells-outside-table", "P20001")]),
    "returned_stray_cell_far_below.ods": ("accepted", [("cells-outside-table", "A30000")]),
    "returned_stray_cell_far_away.ods": ("rejected", [("sheet-too-large", "IV65536")]),
    "returned_stray_cell_far_away.xls": ("rejected", [("sheet-too-large", "IV65536")]),
    "returned_xls_claims_billions_of_cells.xls": ("rejected", [("file-unsafe-content", "")]),
    # whose file is it?
    "returned_other_round.xlsx": ("rejected", [("other-round", "")]),
    "returned_other_workspace.xlsx": ("rejected", [("foreign-workspace", "")]),
    "returned_metadata_claims_other_unit.xlsx": ("rejected", [("signature-invalid", "")]),
    "returned_metadata_damaged.xlsx": ("rejected", [("metadata-damaged", "")]),
    "returned_copied_without_metadata.xlsx": ("accepted", [("metadata-missing", "")]),
    "returned_copied_by_task_codes.xlsx": ("accepted", [("metadata-missing", "")]),
    "returned_copied_unidentifiable.xlsx": ("rejected", [("unit-unidentified", "")]),
    "returned_no_report_table.xlsx": ("rejected", [("report-sheet-missing", "")]),
    "returned_report_sheet_copied.xlsx": ("accepted", [("report-sheet-copy", "")]),  # answered in the copy
    "returned_status_column_deleted.xlsx": ("rejected", [("column-missing", "A7")]),
    # values
    "returned_status_free_typed.xlsx": ("accepted", [("status-synonym", "I8")]),
    "returned_status_typo.xlsx": ("accepted", [("status-fuzzy", "I8")]),
    "returned_status_unknown.xlsx": ("accepted", [("status-invalid", "I8")]),
    "returned_status_missing.xlsx": ("accepted", [("status-missing", "I8")]),
    "returned_progress_as_text.xlsx": ("accepted", [("value-as-text", "")]),
    # these rows keep the clean return's full self-score on a task now open (or not done): that too is said
    "returned_progress_decimal_comma.xlsx": ("accepted", [("value-as-text", ""), ("self-score-full-unfinished", "O8")]),
    "returned_progress_fraction.xlsx": ("accepted", [("progress-fraction", "J8"),
                                                     ("self-score-full-unfinished", "O8")]),
    "returned_progress_150.xlsx": ("accepted", [("progress-out-of-range", "J8")]),
    "returned_progress_words.xlsx": ("accepted", [("progress-invalid", "J8")]),
    "returned_date_as_text.xlsx": ("accepted", [("value-as-text", "")]),
    "returned_date_dashes.xlsx": ("accepted", [("value-as-text", "")]),
    "returned_date_serial_number.xlsx": ("accepted", [("value-as-text", "")]),
    "returned_date_31_02.xlsx": ("accepted", [("date-invalid", "K8")]),
    "returned_date_in_future.xlsx": ("accepted", [("date-future", "K8")]),
    "returned_date_before_programme.xlsx": ("accepted", [("date-before-programme", "K8")]),
    "returned_score_above_points.xlsx": ("accepted", [("score-above-points", "O8")]),
    "returned_score_words.xlsx": ("accepted", [("score-invalid", "O8")]),
    "returned_score_decimal_comma.xlsx": ("accepted", [("value-as-text", "")]),
    "returned_score_partly_missing.xlsx": ("accepted", [("score-missing", "O8"), ("score-missing", "O9")]),
    "returned_not_self_scored.xlsx": ("accepted", [("score-none", "")]),
    "returned_tcvn3_text.xlsx": ("accepted", [("legacy-text-converted", "M8")]),
    "returned_legacy_garbage.xlsx": ("accepted", [("legacy-text-suspicious", "M8")]),
    "returned_decomposed_unicode.xlsx": ("accepted", [("text-decomposed", "")]),
    "returned_text_with_control_characters.xlsx": ("accepted", [("text-cleaned", "L8"), ("text-cleaned", "M8"),
                                                                ("text-cleaned", "N8")]),
    "returned_absurd_numbers.xlsx": ("accepted", [("date-invalid", "K8"), ("score-invalid", "O8"),
                                                  ("progress-invalid", "J9"), ("date-invalid", "K10")]),
    "returned_absurd_numbers_as_text.xlsx": ("accepted", [("progress-invalid", "J8"), ("score-invalid", "O8"),
                                                          ("date-invalid", "K9")]),
    # consistency of a row
    "returned_done_without_date.xlsx": ("accepted", [("done-without-date", "K8")]),
    "returned_done_progress_60.xlsx": ("accepted", [("done-progress-below-100", "J8")]),
    "returned_progress_100_in_progress.xlsx": ("accepted", [("progress-100-not-done", "J8"),
                                                            ("self-score-full-unfinished", "O8")]),
    "returned_date_without_done.xlsx": ("accepted", [("date-without-done", "K8"),
                                                     ("self-score-full-unfinished", "O8")]),
    "returned_not_done_without_reason.xlsx": ("accepted", [("not-done-without-reason", "M8"),
                                                           ("self-score-not-done", "O8")]),
    # rows against the master list
    "returned_locked_text_edited.xlsx": ("accepted", [("locked-cell-changed", "C8")]),
    "returned_locked_deadline_edited.xlsx": ("accepted", [("locked-cell-changed", "G8")]),
    "returned_task_row_deleted.xlsx": ("accepted", [("task-missing", "")]),
    "returned_task_row_duplicated.xlsx": ("accepted", [("task-duplicated", "B10"), ("task-missing", "")]),
    "returned_task_of_other_unit.xlsx": ("accepted", [("task-of-other-unit", "B10"), ("task-missing", "")]),
    "returned_unknown_task_code.xlsx": ("accepted", [("task-unknown", "B10"), ("task-added", "A10"),
                                                     ("task-missing", "")]),
    "returned_task_code_blanked.xlsx": ("accepted", [("task-matched-by-text", "A8")]),
    "returned_added_task.xlsx": ("accepted", [("task-added", "A12")]),
    "returned_added_without_content.xlsx": ("accepted", [("added-incomplete", "A12")]),
    "returned_row_not_filled.xlsx": ("accepted", [("task-not-filled", "A8")]),
    # archives: the archive is kept and recorded; members are read in memory
    "returned_archive_nested.zip": ("unpacked", []),
    "returned_archive_corrupt.zip": ("rejected", [("archive-corrupt", "")]),
    "returned_archive_path_traversal.zip": ("unpacked", [("archive-unsafe-name", ""), ("archive-unsafe-name", "")]),
    "returned_archive_symlink.zip": ("unpacked", [("archive-member-skipped", "")]),
    # a member that cannot be read is an error on its archive (the innermost one holding it)
    "returned_archive_too_deep.zip": ("unpacked", [("archive-member-unreadable", "")]),
    "returned_archive_member_encrypted.zip": ("rejected", [("archive-member-unreadable", "")]),
    "returned_archive_member_bad_crc.zip": ("rejected", [("archive-member-unreadable", "")]),
    "returned_archive_member_deflate64.zip": ("rejected", [("archive-member-unreadable", "")]),
    "returned_archive_member_lzma.zip": ("unpacked", []),
    "returned_archive_names_cp1258.zip": ("unpacked", []),
    "returned_archive_name_not_utf8.zip": ("unpacked", []),  # flagged UTF-8, written in CP1258
}


def test_every_fixture_has_a_case_and_every_case_a_fixture() -> None:
    on_disk = {p.name for p in (DATA / "returned").iterdir()}
    assert on_disk == set(CASES)


@pytest.fixture
def fixture_ws(tmp_path: Path) -> Workspace:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


@pytest.mark.parametrize("name", sorted(CASES))
def test_ingest_keeps_every_file_and_reports_its_defect(fixture_ws: Workspace, name: str) -> None:
    state, expected = CASES[name]
    path = DATA / "returned" / name
    result = fixture_ws.ingest([path], "2022-6T", now=RECEIVED)
    top = result.files[-1]  # an archive comes after its members
    assert top.name == name
    assert top.state == state
    found = sorted((f.code, f.location.cell) for f in result.findings)
    assert found == sorted(expected)
    with Ledger(fixture_ws.root, create=False) as ledger:
        stored = {s.name: s for s in ledger.submissions("2022-6T")}
    assert name in stored
    assert stored[name].state == state
    assert fixture_ws.archived_file(stored[name].id)[1] == path.read_bytes()  # archived as received
    if state == "accepted":
        assert not [f for f in result.findings if f.code.startswith(("file-", "archive-"))]


def test_archive_members_are_recorded_and_nothing_is_written_outside(fixture_ws: Workspace,
                                                                    tmp_path: Path) -> None:
    before = {p for p in tmp_path.rglob("*")}
    result = fixture_ws.ingest([DATA / "returned" / "returned_archive_path_traversal.zip"], "2022-6T",
                               now=RECEIVED)
    names = [o.name for o in result.files]
    assert names == ["returned_archive_path_traversal.zip/etc/bao-cao.xlsx",
                     "returned_archive_path_traversal.zip/tmp/tuyet-doi.xlsx",
                     "returned_archive_path_traversal.zip"]
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(fixture_ws.root in p.parents for p in created)
    assert not (tmp_path.parent / "etc").exists()
