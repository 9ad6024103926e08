"""Property-based: mutate a returned workbook the way office programs and people do;
ingest never raises, always records the file, and reports a finding for each change it
cannot accept. Examples per run: CAMKET_FUZZ_EXAMPLES (default 40)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camket import Workspace
from camket.ledger import Ledger
from camket.model import Severity
from camket.schema import REPORT

DATA = Path(__file__).parent / "data"
BASE = (DATA / "returned" / "returned_clean.xlsx").read_bytes()
INPUTS = ["status", "progress", "completed_on", "result", "difficulties", "proposals", "self_score"]
TASK_ROWS = [8, 9, 10]
_HEADER = [c.value for c in openpyxl.load_workbook(io.BytesIO(BASE))["Báo cáo"][7]]


def col(key: str) -> int:
    """0-based column of an input in the returned file (laid out by the template it was made from)."""
    return _HEADER.index(REPORT[key].header)


values = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),  # what a cell can hold
    st.sampled_from(["xong", "Hoàn thành", "80%", "0,8", "15/06/2022", "31/02/2022", "=1+1", "@x", "-", " ",
                     "Khã kh¨n", "Coäng hoøa", "1.234,5", "tám mươi", "Hoàn thàng"]),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)
cell_edits = st.lists(st.tuples(st.sampled_from(TASK_ROWS), st.sampled_from(INPUTS), values), max_size=6)
structure = st.sampled_from(["none", "delete_row", "insert_row", "delete_column", "insert_column",
                             "rename_report", "rename_guide", "rename_meta", "unhide_meta"])


def mutate(edits: list[tuple[int, str, Any]], change: str, position: int) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(BASE))
    sheet = book["Báo cáo"]
    for row, key, value in edits:
        sheet.cell(row, col(key) + 1).value = value
    if change == "delete_row":
        sheet.delete_rows(7 + position % 12)
    elif change == "insert_row":
        sheet.insert_rows(1 + position % 12)
    elif change == "delete_column":
        sheet.delete_cols(1 + position % 15)
    elif change == "insert_column":
        sheet.insert_cols(1 + position % 15)
    elif change == "rename_report":
        sheet.title = "Sheet1"
    elif change == "rename_guide":
        book["Hướng dẫn"].title = "HD"
    elif change == "rename_meta":
        book["_camket"].title = "meta"
    elif change == "unhide_meta":
        book["_camket"].sheet_state = "visible"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(max_examples=int(os.environ.get("CAMKET_FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=cell_edits, change=structure, position=st.integers(0, 1000), cut=st.one_of(st.none(), st.floats(0, 1)))
def test_ingest_never_raises_and_answers_every_change(edits: list[tuple[int, str, Any]], change: str, position: int,
                                                      cut: float | None) -> None:
    data = mutate(edits, change, position)
    if cut is not None:
        data = data[: int(len(data) * cut)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(DATA / "ws", root)
        path = Path(tmp) / "tep-gui.xlsx"
        path.write_bytes(data)
        result = Workspace.open(root).ingest([path], "2022-6T", now=dt.datetime(2022, 7, 3), processes=1)
        [outcome] = result.files
        with Ledger(root, create=False, archive=True) as ledger:
            stored = ledger.known(hashlib.sha256(data).hexdigest(), "2022-6T")
            rows = {r.row: r for r in ledger.accepted_rows("2022-6T")}
            assert stored is not None and ledger.archived(stored.sha256) == data
        if outcome.state == "rejected":
            assert any(f.severity is Severity.ERROR for f in outcome.findings)
            return
        assert outcome.state == "accepted"
        if cut is not None or change != "none":
            return  # positions moved: the per-cell promise is checked on unmoved tables
        at = {f.location.cell for f in outcome.findings}
        final = {}
        for row, key, value in edits:
            final[(row, key)] = value
        for (row, key), value in final.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cell = f"{chr(ord('A') + col(key))}{row}"
            record = rows.get(row)
            kept = record is not None and getattr(record, key) not in (None, "")
            assert kept or cell in at, (cell, value, sorted(at))
