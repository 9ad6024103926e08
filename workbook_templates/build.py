"""Rebuild the example workbooks in this folder from camket itself.

    python workbook_templates/build.py

- ``danh-muc-mau.xlsx``: the blank master workbook ``camket init`` writes;
- ``mau-bao-cao-vi-du.xlsx``: the template an office receives (sample bo-2022, Vụ Pháp chế,
  round 2022-6T), signed with this folder's throwaway example key.

``tests/test_workbook_templates.py`` checks they are what camket generates today.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from camket import Workspace
from camket.masterbook import write_master

HERE = Path(__file__).parent
GENERATED = dt.datetime(2022, 7, 1, 8, 0)
EXAMPLE_KEY = "00" * 32  # not a secret: examples only


def build(target: Path = HERE) -> list[Path]:
    write_master(target / "danh-muc-mau.xlsx", [], [])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        Workspace.init(root, sample="bo-2022")
        (root / ".camket" / "secret.key").write_text(EXAMPLE_KEY + "\n", encoding="ascii")
        made = Workspace.open(root).templates("2022-6T", units=["VPC"], generated=GENERATED).files[0]
        shutil.copy(made, target / "mau-bao-cao-vi-du.xlsx")
    return [target / "danh-muc-mau.xlsx", target / "mau-bao-cao-vi-du.xlsx"]


if __name__ == "__main__":
    for path in build():
        print(path)
