"""The README is executable: its set-up commands are what CI runs, its walk-through runs
as written, and its command reference lists every command and option that --help knows."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from camket.cli import cli

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(marker: str) -> str:
    """The fenced code block right after ``<!-- marker -->``."""
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.*?)```", README, re.S)
    assert match, marker
    return match.group(1)


@pytest.mark.parametrize("marker", ["setup:install", "setup:test"])
def test_the_two_setup_commands_are_what_ci_runs(marker: str) -> None:
    command = block(marker).strip()
    assert len(command.splitlines()) == 1
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for line in block("walkthrough").splitlines():
            args = shlex.split(line)
            assert args[0] == "camket"
            result = runner.invoke(cli, args[1:], catch_exceptions=False)
            expected = {0, 3} if args[3:4] in (["ingest"], ["report"], ["status"]) else {0}
            assert result.exit_code in expected, (line, result.output)
    finally:
        os.chdir(old)
    out = tmp_path / "ws" / "out"
    assert (out / "2022-6T" / "2022-6T_bao-cao.docx").exists()
    templates = [p for p in (out / "2022-9T" / "templates").glob("2022-9T_*.xlsx") if "danh-sach" not in p.name]
    assert len(templates) == 26


def test_the_command_reference_matches_help() -> None:
    table = README.split("<!-- commands -->")[1].split("<!-- /commands -->")[0]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `camket ([\w-]+)[^|]*\|.*$", table, re.M)}
    assert set(rows) == set(cli.commands)
    for name, command in cli.commands.items():
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            if longs and param.name not in ("workspace_dir",):
                assert any(o in rows[name] for o in longs), (name, longs)


def test_findings_catalogue_is_linked() -> None:
    assert "docs/findings.md" in README
    assert (ROOT / "docs" / "findings.md").exists()


def test_the_benchmark_table_is_the_last_full_run() -> None:
    block = README.split("<!-- benchmark:start -->", 1)[1].split("<!-- benchmark:end -->", 1)[0].strip()
    results = (ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    assert "10,000 units × 30 tasks" in block, "run: python benchmarks/run.py --units 10000 --readme"
    assert block == results.split("\n", 2)[2].strip()
