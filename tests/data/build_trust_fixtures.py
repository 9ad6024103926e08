"""Build the fixtures of ``tests/data/trust/`` (run by hand, output committed): files that try,
by accident or on purpose, to pass for another unit's answer or for an answer at all.
``tests/test_trust.py`` says what camket must make of each one.

    python tests/data/build_trust_fixtures.py
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import openpyxl

from camket import Workspace
from camket.stamp import META_SHEET

HERE = Path(__file__).parent
RETURNED = HERE / "returned"
OUT = HERE / "trust"
GENERATED = __import__("datetime").datetime(2022, 7, 1, 8, 0, 0)


def metadata_copied_into_other_units_workbook() -> None:
    """VPC's filled workbook carrying VP's genuine, validly signed metadata sheet."""
    book = openpyxl.load_workbook(RETURNED / "returned_clean.xlsx")
    donor = openpyxl.load_workbook(RETURNED / "returned_clean_other_unit.xlsx")[META_SHEET]
    meta = book[META_SHEET]
    meta.delete_rows(1, meta.max_row)
    for row in donor.iter_rows(values_only=True):
        meta.append(list(row))
    book.save(OUT / "metadata_copied_into_other_units_workbook.xlsx")


def copied_unit_cell_claims_other_unit() -> None:
    """VPC's table pasted into a new workbook whose unit cells say VP (no metadata)."""
    book = openpyxl.load_workbook(RETURNED / "returned_copied_without_metadata.xlsx")
    sheet = book.active
    for row in sheet.iter_rows(max_row=6):
        for cell in row:
            if cell.value == "VPC":
                cell.value = "VP"
            elif cell.value == "Vụ Pháp chế":
                cell.value = "Văn phòng Bộ"
    book.save(OUT / "copied_unit_cell_claims_other_unit.xlsx")


def template_resaved_unfilled() -> None:
    """VPC's template of 2022-6T opened and saved again with nothing filled in."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(HERE / "ws", Path(tmp) / "ws")
        ws = Workspace.open(Path(tmp) / "ws")
        files = ws.templates("2022-6T", units=["VPC"], generated=GENERATED).files
        book = openpyxl.load_workbook(files[0])
        book.save(OUT / "template_resaved_unfilled.xlsx")


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    metadata_copied_into_other_units_workbook()
    copied_unit_cell_claims_other_unit()
    template_resaved_unfilled()
    print(f"{len(list(OUT.iterdir()))} fixtures in {OUT}")
