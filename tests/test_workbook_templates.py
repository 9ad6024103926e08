"""The example workbooks in workbook_templates/ are what camket generates today."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .structure import dump_xlsx

FOLDER = Path(__file__).parent.parent / "workbook_templates"


def _build(target: Path) -> list[Path]:
    spec = importlib.util.spec_from_file_location("build_examples", FOLDER / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.build(target))


@pytest.mark.parametrize("name", ["danh-muc-mau.xlsx", "mau-bao-cao-vi-du.xlsx"])
def test_example_workbooks_are_current(tmp_path: Path, name: str) -> None:
    fresh = {p.name: p for p in _build(tmp_path)}
    assert dump_xlsx(fresh[name], volatile=()) == dump_xlsx(FOLDER / name, volatile=()), (
        f"rebuild: python workbook_templates/build.py ({name})")
