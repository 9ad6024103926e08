"""Periodic rounds from [[schedule]], compared with the previous round of their own kind; structure
rules and the other tables of the year in camket.toml."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from camket import Workspace
from camket.config import read_config
from camket.templates import write_template

from .conftest import CONFIG, SAMPLE_TIME

SCHEDULES = """
[[schedule]]
every = "tháng"
start = 2022-01-01
end = 2022-12-31
due_days = 5

[[schedule]]
every = "weekly"
start = 2022-06-01
end = 2022-07-31
"""


def settings_of(tmp_path: Path, text: str) -> tuple[object, list[tuple[str, int | None, str]]]:
    path = tmp_path / "camket.toml"
    path.write_text(text, encoding="utf-8")
    read = read_config(path)
    return read.settings, [(f.code, f.location.line, f.message) for f in read.findings]


def test_a_schedule_generates_rounds_with_their_due_dates(tmp_path: Path) -> None:
    settings, findings = settings_of(tmp_path, CONFIG + SCHEDULES)
    assert findings == []
    months = settings.series("month")  # type: ignore[attr-defined]
    assert len(months) == 12
    assert (months[1].id, months[1].name, months[1].as_of, months[1].due) == (
        "2022-T02", "tháng 02 năm 2022", dt.date(2022, 2, 28), dt.date(2022, 3, 5))
    assert months[11].name == "tháng 12 năm 2022"
    weeks = settings.series("week")  # type: ignore[attr-defined]
    assert [w.as_of for w in weeks] == [dt.date(2022, 6, 5) + dt.timedelta(days=7 * i) for i in range(9)]
    assert weeks[0].id == "2022-W22" and weeks[0].due == dt.date(2022, 6, 7)
    assert weeks[0].name == "tuần 22 năm 2022 (từ ngày 30/05 đến ngày 05/06/2022)"
    # a month's previous round is the month before, never the last week; the six-month round stands alone
    assert settings.previous_round("2022-T07").id == "2022-T06"  # type: ignore[attr-defined]
    assert settings.previous_round("2022-W23").id == "2022-W22"  # type: ignore[attr-defined]
    assert settings.previous_round("2022-6T") is None  # type: ignore[attr-defined]


def test_a_generated_round_that_repeats_an_explicit_one_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = CONFIG.replace('id = "2022-6T"', 'id = "2022-T06"') + SCHEDULES
    _, findings = settings_of(tmp_path, text)
    lines = text.splitlines()
    line, first = lines.index("[[schedule]]") + 1, lines.index('id = "2022-T06"') + 1
    assert findings == [("config-round-duplicate", line, f'Mã kỳ báo cáo "2022-T06" bị trùng (đã có ở dòng {first})')]


def test_bad_schedule_and_structure_values_name_their_key(tmp_path: Path) -> None:
    text = CONFIG + '\n[[schedule]]\nevery = "năm"\nstart = 2022-01-01\nend = 2022-12-31\n' + (
        '\n[[structure]]\nsource = "Tự đăng ký"\nmin = 5\nmax = 3\n\n[[structure]]\nsource = "Nhiệm vụ chung"\n')
    _, findings = settings_of(tmp_path, text)
    assert [(code, message) for code, _, message in findings] == [
        ("config-bad-value", 'Giá trị của "every" không hợp lệ: chỉ dùng tuần, tháng hoặc quý'),
        ("config-bad-value", 'Giá trị của "max" không hợp lệ: max (3) nhỏ hơn min (5)'),
        ("config-missing-key", 'Bảng [structure] thiếu khóa "min" (hoặc max: số nhiệm vụ tối thiểu, tối đa)')]


def test_a_monthly_report_compares_with_the_month_before_not_the_week(small_ws: Path, tmp_path: Path) -> None:
    (small_ws / "camket.toml").write_text(CONFIG + SCHEDULES, encoding="utf-8")
    ws = Workspace.open(small_ws)
    for round_id, status, progress, when in (("2022-T06", "Đang thực hiện", 40, dt.datetime(2022, 7, 2)),
                                             ("2022-W26", "Đang thực hiện", 60, dt.datetime(2022, 7, 4)),
                                             ("2022-T07", "Hoàn thành", 100, dt.datetime(2022, 8, 2))):
        job = ws.template_jobs(round_id, units=["VPC"], generated=SAMPLE_TIME)[0]
        answers = {t.code: {"status": status, "progress": progress, "self_score": 0,
                            **({"completed_on": dt.date(2022, 7, 20)} if status == "Hoàn thành" else {})}
                   for t in job.tasks}
        path = write_template(replace(job, path=tmp_path / round_id / "VPC.xlsx", prefill=answers))
        assert path.unit == "VPC"
        ws.ingest([tmp_path / round_id], round_id, now=when)
    july = ws.reconcile("2022-T07")
    assert july.previous is not None and july.previous.id == "2022-T06"
    assert [(c.task.code, c.before.value, c.after.value) for c in july.changes] == [
        ("VPC-01", "Đang thực hiện trong hạn", "Hoàn thành đúng hạn"),
        ("VPC-02", "Đang thực hiện trong hạn", "Hoàn thành đúng hạn")]
    trend = ws.trend("2022-T07")
    assert [r.id for r in trend.rounds] == ["2022-T06", "2022-T07"]
