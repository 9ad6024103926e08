"""The README's walk-through of the year (registration, e-mail intake, the emulation table) runs
as written."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from click.testing import CliRunner

from camket.cli import cli
from camket.master import read_master

from .test_readme import block


def test_the_year_walkthrough_runs_as_written(tmp_path: Path) -> None:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(tmp_path)
    outputs = {}
    try:
        for line in block("year").splitlines():
            args = shlex.split(line)
            assert args[0] == "camket"
            result = runner.invoke(cli, args[1:], catch_exceptions=False)
            expected = {0, 3} if args[3:4] in (["ingest"], ["report"], ["status"]) else {0}
            assert result.exit_code in expected, (line, result.output)
            outputs[" ".join(args[3:5])] = result.output
    finally:
        os.chdir(old)
    root = tmp_path / "so"
    assert len(read_master(root / "danh-muc.xlsx", 2023).master.tasks) > 130   # the sample's and those registered
    assert "nhiệm vụ mới" in outputs["register-apply --dry-run"]
    assert len(list((root / "hop-thu").glob("*.eml"))) >= 10
    assert (root / "out" / "nam-2023" / "2023_thi-dua.xlsx").is_file()
    assert "Thi đua năm 2023, tính đến ngày 10/04/2023" in outputs["year --as-of"]
