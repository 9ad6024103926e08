"""Trends: with several rounds, the outputs show progress round by round and name the
tasks that changed status since the previous round."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from docx import Document

from camket import Workspace
from camket.reconcile import derive
from camket.simulate import simulate_returns
from camket.vi import format_percent

from .conftest import SAMPLE_TIME


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("trend") / "ws"
    Workspace.init(root, sample="bo-2022")
    ws = Workspace.open(root)
    for round_id, seed, when in (("2022-6T", 1, dt.datetime(2022, 7, 6)), ("2022-9T", 2, dt.datetime(2022, 10, 6))):
        simulate_returns(ws.template_jobs(round_id, generated=SAMPLE_TIME), root.parent / round_id, seed=seed)
        ws.ingest([root.parent / round_id], round_id, now=when)
    return ws


def test_trend_holds_each_rounds_own_figures(two_rounds: Workspace) -> None:
    progress = two_rounds.trend("2022-9T")
    assert [r.id for r in progress.rounds] == ["2022-6T", "2022-9T"]
    for round_, totals in zip(progress.rounds, progress.overall, strict=True):
        assert totals == two_rounds.reconcile(round_.id).overall
    nine = {u.unit.code: u for u in two_rounds.reconcile("2022-9T").units}
    for code, rates in progress.units.items():
        assert rates[1] == (nine[code].totals.rate if nine[code].answered else None)
    assert [r.id for r in two_rounds.trend("2022-6T").rounds] == ["2022-6T"]


def test_changes_are_the_tasks_whose_class_moved(two_rounds: Workspace) -> None:
    before, after = two_rounds.reconcile("2022-6T"), two_rounds.reconcile("2022-9T")
    old = {t.task.code: t.derived for t in before.tasks}
    moved = {t.task.code for t in after.tasks if old[t.task.code] != t.derived}
    assert {c.task.code for c in after.changes} == moved
    for change in after.changes:
        assert change.before == old[change.task.code]
    assert derive  # the rules themselves are tested in test_reconcile


def test_consolidated_and_word_show_the_rounds(two_rounds: Workspace) -> None:
    files = two_rounds.report("2022-9T", generated=SAMPLE_TIME)
    book = openpyxl.load_workbook(files.consolidated)
    sheet = book["Theo kỳ"]
    assert [c.value for c in sheet[3]][2:4] == ["6 tháng đầu năm 2022", "9 tháng năm 2022"]
    progress = two_rounds.trend("2022-9T")
    programme = [c.value for c in sheet[4]][2:4]
    assert programme == pytest.approx([float(t.rate) / 100 for t in progress.overall], abs=1e-12)
    changes = [r for r in book["Thay đổi so với kỳ trước"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(changes) == len(two_rounds.reconcile("2022-9T").changes)
    text = "\n".join(p.text for p in Document(str(files.word)).paragraphs)
    assert "5. Tiến độ qua các kỳ báo cáo" in text
    for round_, totals in zip(progress.rounds, progress.overall, strict=True):
        assert (f"{round_.name}: hoàn thành {totals.completed}/{totals.total} nhiệm vụ "
                f"({format_percent(totals.rate)})") in text
    assert f"đạt tỉ lệ {format_percent(progress.overall[1].rate)}" in text
