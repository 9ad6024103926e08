"""DataFrames of a round agree with ``camket status --json`` and ``submissions --json``, have the
documented columns, and pandas is loaded only when a frame is asked for."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.frames import FINDING_COLUMNS, TASK_COLUMNS, UNIT_COLUMNS
from camket.ledger import SUBMISSION_KEYS

ROOT = Path(__file__).parent.parent


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return json.loads(result.stdout)


def test_every_frame_agrees_with_the_json_of_the_command_line(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, _ = bo_2022_reported
    status = cli_json("-w", str(ws.root), "status", "--round", "2022-6T", "--json")
    tasks = ws.tasks_frame("2022-6T")
    assert list(tasks.columns) == list(TASK_COLUMNS)
    counts = tasks["derived"].value_counts()
    expected = {"Hoàn thành đúng hạn": "completed_on_time", "Hoàn thành quá hạn": "completed_late",
                "Đang thực hiện trong hạn": "in_progress_on_time", "Đang thực hiện quá hạn": "in_progress_overdue",
                "Chưa thực hiện": "not_started", "Không thực hiện": "not_done", "Chưa báo cáo": "not_reported"}
    for derived, key in expected.items():
        assert counts.get(derived, 0) == status["tasks"][key], derived
    assert len(tasks) == status["tasks"]["total"] and int(tasks["done"].sum()) == status["tasks"]["completed"]
    by_group = tasks.groupby("group")["done"].agg(["size", "sum"])
    assert {g: {"total": int(r["size"]), "completed": int(r["sum"])} for g, r in by_group.iterrows()} == \
        status["by_group"]

    units = ws.units_frame("2022-6T")
    assert list(units.columns) == list(UNIT_COLUMNS)
    with_tasks = units[units["tasks"] > 0]
    assert int(with_tasks["answered"].sum()) == status["units"]["answered"]
    assert sorted(with_tasks.loc[~with_tasks["answered"], "unit_code"]) == sorted(status["units"]["missing"])
    assert sorted(units.loc[units["late"], "unit_code"]) == sorted(status["units"]["late"])
    assert int(with_tasks["all_done"].sum()) == status["heads_completed_all"]
    assert int(units["completed"].sum()) == status["tasks"]["completed"]

    findings = ws.findings_frame("2022-6T")
    assert list(findings.columns) == list(FINDING_COLUMNS)
    severities = findings["severity"].value_counts()
    assert {k: int(severities.get(k, 0)) for k in ("error", "warning")} == status["findings"]
    assert findings["title"].str.len().min() > 0  # every finding has its Vietnamese name

    submitted = cli_json("-w", str(ws.root), "submissions", "--round", "2022-6T", "--json")
    frame = ws.submissions_frame("2022-6T")
    assert list(frame.columns) == list(SUBMISSION_KEYS)
    as_json = frame.astype(object).where(frame.notna(), None).to_dict("records")
    assert as_json == submitted
    assert str(frame["superseded_by"].dtype) == "Int64"


def test_pandas_is_loaded_only_when_a_frame_is_asked_for(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, _ = bo_2022_reported
    script = (f"import sys; from pathlib import Path; from camket import Workspace; "
              f"ws = Workspace.open(Path({str(ws.root)!r})); ws.reconcile('2022-6T'); "
              "before = 'pandas' in sys.modules; ws.units_frame('2022-6T'); print(before, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_the_documented_columns_are_the_columns() -> None:
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name, columns in (("tasks_frame", TASK_COLUMNS), ("units_frame", UNIT_COLUMNS),
                          ("findings_frame", FINDING_COLUMNS), ("submissions_frame", SUBMISSION_KEYS)):
        section = api.split(f"### `{name}")[1].split("###")[0]
        documented = re.findall(r"^\| `(\w+)` \|", section, re.M)
        assert documented == list(columns), name
