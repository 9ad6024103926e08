"""The department's whole year (issue 15's acceptance): the 130-task, three-block department of
so-2023 registers its tasks under the structure rules, then reports quarter I, six months, nine
months and the year (and every month), partly by e-mail; the year is appraised; every figure is
checked against an independent recount of the ledger and the files.

The task list before the year holds the common and assigned tasks; the heads register their own
(those of the sample) in the returned registration workbooks.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import json
import re
import sqlite3
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.master import read_master
from camket.registration.book import OWN_MARKER
from camket.samples import load_sample
from camket.schema import APPRAISAL, EMULATION
from camket.simulate import simulate_returns
from camket.vi import fold_key

from .conftest import write_master_xlsx

pytestmark = pytest.mark.slow

MONTHS = """
[[schedule]]
every = "tháng"
start = 2023-01-01
end = 2023-12-31
due_days = 5
"""
MAIN = ("2023-Q1", "2023-6T", "2023-9T", "2023-CN")
TASK_HEADERS = ["Mã nhiệm vụ", "Mã đơn vị", "Nội dung nhiệm vụ", "Nhóm", "Nguồn", "Sản phẩm", "Chỉ tiêu", "Thời hạn",
                "Điểm tối đa", "Nhiệm vụ khó", "Mã nhiệm vụ cấp trên", "Ghi chú"]


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def fill_registration(path: Path, own: list[dict[str, Any]], target: Path) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book["Đăng ký"]
    header = {sheet.cell(7, c).value: c for c in range(1, sheet.max_column + 1)}
    marker = next(r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value or "").startswith(OWN_MARKER))
    for offset, task in enumerate(own, start=1):
        for label, key in (("Nội dung nhiệm vụ", "content"), ("Nhóm", "group"), ("Sản phẩm", "product"),
                           ("Chỉ tiêu", "target"), ("Thời hạn", "deadline"), ("Điểm tối đa", "points"),
                           ("Nhiệm vụ khó", "hard")):
            value = task.get(key)
            sheet.cell(marker + offset, header[label]).value = value if value not in (None, "") else None
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def letter(sender: str, sent: dt.datetime, subject: str, files: list[Path]) -> bytes:
    m = EmailMessage(policy=email.policy.SMTP)
    m["From"], m["To"], m["Subject"] = sender, "vanphong.svhttdl@bentre.example.vn", subject
    m["Date"] = sent.strftime("%a, %d %b %Y %H:%M:%S +0700")
    m.set_content("Kính gửi Văn phòng Sở.")
    for path in files:
        m.add_attachment(path.read_bytes(), maintype="application",
                         subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=path.name)
    return bytes(m)


def ledger_rows(root: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(root / "ledger.sqlite") as db:
        return db.execute(sql, args).fetchall()


def recount_round(root: Path, round_id: str, as_of: dt.date) -> tuple[int, int, int, int]:
    """(tasks, completed, due, due completed) of a round straight from the ledger's tables."""
    tasks = ledger_rows(root, "SELECT code, unit, deadline FROM round_tasks WHERE round = ?", round_id)
    accepted = {u: sid for sid, u in ledger_rows(
        root, "SELECT id, unit FROM submissions WHERE round = ? AND kind = 'report' AND state = 'accepted'", round_id)}
    done = {(u, t) for u, t in ledger_rows(
        root, "SELECT s.unit, r.task FROM rows r JOIN submissions s ON s.id = r.submission_id WHERE s.round = ? AND "
              "s.kind = 'report' AND s.state = 'accepted' AND r.kind = 'task' AND r.status = 'Hoàn thành'", round_id)}
    completed = sum(1 for code, unit, _ in tasks if unit in accepted and (unit, code) in done)
    due = [(code, unit) for code, unit, deadline in tasks if deadline and dt.date.fromisoformat(deadline) <= as_of]
    return len(tasks), completed, len(due), sum(1 for code, unit in due if unit in accepted and (unit, code) in done)


_NUMERIC = re.compile(r"^(?:Tăng |Giảm )?(≥ |Không quá )?(\d{1,3}(?:\.\d{3})*(?:,\d+)?)(?:/\d+)?\s*(%?)")


def recount_targets(root: Path, round_id: str) -> dict[str, int]:
    """Numeric targets of a round as a clerk reads the sample's Chỉ tiêu ("≥ 03 lớp", "Không quá 07 ngày",
    "0 kiến nghị quá hạn": the last two are ceilings) against the achieved values in the ledger."""
    targets: dict[tuple[str, str], tuple[float, bool]] = {}
    for code, unit, text in ledger_rows(root, "SELECT code, unit, target FROM round_tasks WHERE round = ?", round_id):
        m = _NUMERIC.match(text)
        if text and m:
            value = float(m.group(2).replace(".", "").replace(",", "."))
            targets[(unit, code)] = (value, m.group(1) == "Không quá " or value == 0)
    rows = ledger_rows(
        root, "SELECT s.unit, r.task, r.status, r.achieved FROM rows r JOIN submissions s ON s.id = r.submission_id "
              "WHERE s.round = ? AND s.kind = 'report' AND s.state = 'accepted' AND r.kind = 'task'", round_id)
    done = {(u, t): a for u, t, status, a in rows if status == "Hoàn thành" and (u, t) in targets}
    met = sum(1 for key, a in done.items() if a is not None and (
        a <= targets[key][0] if targets[key][1] else a >= targets[key][0]))
    no_value = sum(1 for a in done.values() if a is None)
    return {"numeric": len(targets), "reported_done": len(done), "met": met, "not_met": len(done) - met - no_value,
            "no_value": no_value}


def recount_year(root: Path, settings: Any, as_of: dt.date, basis: str) -> dict[str, dict[str, Any]]:
    """The emulation table recounted from the ledger and camket.toml's numbers, with Decimal."""
    out: dict[str, dict[str, Any]] = defaultdict(lambda: Counter())
    for r in settings.rounds:
        if r.due > as_of:
            continue
        units = {u for (u,) in ledger_rows(root, "SELECT DISTINCT unit FROM round_tasks WHERE round = ?", r.id)}
        arrived = dict(ledger_rows(root, "SELECT unit, arrived FROM submissions WHERE round = ? AND kind = 'report' "
                                         "AND state = 'accepted'", r.id))
        for unit in units:
            when = arrived.get(unit)
            key = "missing" if when is None else "late" if dt.date.fromisoformat(when[:10]) > r.due else "on_time"
            out[unit][key] += 1
    points = dict(ledger_rows(root, "SELECT unit, SUM(points) FROM round_tasks WHERE round = ? GROUP BY unit", basis))
    answered = {u for (u,) in ledger_rows(root, "SELECT unit FROM submissions WHERE round = ? AND kind = 'report' AND "
                                               "state = 'accepted'", basis)}
    appraised = dict(((u, t), s) for u, t, s in ledger_rows(
        root, "SELECT a.unit, a.task, a.score FROM appraisals a JOIN submissions s ON s.id = a.submission_id WHERE "
              "s.round = ? AND s.state = 'accepted'", basis))
    self_scores = dict(((u, t), s) for u, t, s in ledger_rows(
        root, "SELECT s.unit, r.task, r.self_score FROM rows r JOIN submissions s ON s.id = r.submission_id WHERE "
              "s.round = ? AND s.kind = 'report' AND s.state = 'accepted' AND r.kind = 'task'", basis))
    tasks = ledger_rows(root, "SELECT unit, code FROM round_tasks WHERE round = ?", basis)
    rules = settings.emulation
    for unit, counts in out.items():
        counts = dict(counts)
        mine = [(u, t) for u, t in tasks if u == unit]
        if unit not in answered or (points.get(unit) and all(
                appraised.get(k) is None and self_scores.get(k) is None for k in mine)):
            out[unit] = {**counts, "score": None}  # no report, or a report without a single score: not rated
            continue
        earned = sum(Decimal(str(appraised.get((u, t)) if appraised.get((u, t)) is not None
                                 else (self_scores.get((u, t)) or 0))) for u, t in tasks if u == unit)
        task_score = (earned * 100 / Decimal(str(points[unit]))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        total = (task_score + Decimal(str(rules.late_points)) * counts.get("late", 0)
                 + Decimal(str(rules.missing_points)) * counts.get("missing", 0)
                 + Decimal(str(rules.on_time_points)) * counts.get("on_time", 0))
        out[unit] = {**counts, "task_score": task_score, "score": max(Decimal(0), total).quantize(Decimal("0.1"))}
    return out


def test_the_department_runs_its_whole_year(tmp_path: Path) -> None:
    root = tmp_path / "so"
    assert run("init", str(root), "--sample", "so-2023").exit_code == 0
    with (root / "camket.toml").open("a", encoding="utf-8") as handle:
        handle.write(MONTHS)
    sample = load_sample("so-2023")
    ws = Workspace.open(root)
    own_source = ws.settings.registration.own_source  # type: ignore[union-attr]
    units = [[u["unit_code"], u["unit_name"], u["block"], u["head"], u["position"], u["email"]] for u in sample.units]
    given = [t for t in sample.tasks if fold_key(t["source"]) != fold_key(own_source)]
    own: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in sample.tasks:
        if fold_key(t["source"]) == fold_key(own_source):
            own[t["unit_code"]].append(t)
    write_master_xlsx(root / "danh-muc.xlsx", units,
                      [[t.get(k, "") for k in ("task_code", "unit_code", "content", "group", "source", "product",
                                               "target", "deadline", "points", "hard", "parent", "note")]
                       for t in given], task_headers=TASK_HEADERS)

    # --- registration: before it, every head breaks the rule on own tasks ------------------------------------
    before = json.loads(run("-w", str(root), "check", "--json").output)
    violations = [f for f in before["findings"] if f["code"] == "structure-violation"]
    assert sorted(f["unit"] for f in violations) == sorted(u[0] for u in units)
    assert violations[0]["message"].startswith(f'Đơn vị BGD-GD (Giám đốc Sở) có 0 nhiệm vụ nguồn "{own_source}"')
    assert run("-w", str(root), "registration").exit_code == 0
    forms = {p.name.split("_")[2]: p for p in (root / "out" / "2023-DK" / "dang-ky").glob("dang-ky_*.xlsx")}
    assert sorted(forms) == sorted(u[0] for u in units)
    inbox = tmp_path / "dang-ky"
    short = "TTPHPCB"   # first sends two own tasks (too few), then all of them by e-mail
    for unit, form in forms.items():
        tasks = own[unit][:2] if unit == short else own[unit]
        fill_registration(form, tasks, inbox / f"{unit}.xlsx")
    first = ws.ingest([inbox], "2023-DK", now=dt.datetime(2023, 1, 12, 9))
    assert [f.unit for f in first.findings if f.code == "structure-violation"] == [short]
    fixed = fill_registration(forms[short], own[short], tmp_path / "lan-2" / f"{short}.xlsx")
    mbox = tmp_path / "Hop-thu-dang-ky"
    mbox.write_bytes(b"From x\n" + letter("tt.phim@bentre.example.vn", dt.datetime(2023, 1, 13, 8), "Đăng ký bổ sung",
                                          [fixed]))
    second = ws.ingest([mbox], "2023-DK", now=dt.datetime(2023, 1, 13, 10))
    assert [(o.unit, o.state) for o in second.files if o.kind == "registration"] == [(short, "accepted")]
    dry = run("-w", str(root), "register-apply", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"{len(units)}/{len(units)} đơn vị đã gửi phiếu" in dry.output
    assert run("-w", str(root), "register-apply").exit_code == 0
    after = read_master(root / "danh-muc.xlsx", 2023)
    assert [f for f in after.findings if f.severity.value == "error"] == []
    assert run("-w", str(root), "check").exit_code == 0
    # recount from the written workbook itself: tasks by block as the sample has them
    sheet = openpyxl.load_workbook(root / "danh-muc.xlsx")["Nhiệm vụ"]
    block = {u[0]: u[2] for u in units}
    written = Counter(block[row[1]] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])
    assert written == Counter(block[t["unit_code"]] for t in sample.tasks)
    assert sorted(written.values()) == [32, 48, 50] and sum(written.values()) == 130

    # --- the rounds: quarter I, six months, nine months, the year; and each month ---------------------------
    ws = Workspace.open(root)
    months = [r for r in ws.settings.series("month") if r.due <= dt.date(2023, 12, 31)]
    for number, round_ in enumerate([*(ws.round(r) for r in MAIN), *months]):
        out = tmp_path / "nhan" / round_.id
        jobs = ws.template_jobs(round_.id, generated=dt.datetime.combine(round_.as_of, dt.time(8)))
        plan = simulate_returns(jobs, out, seed=100 + number, special=round_.kind == "")
        if round_.id == "2023-6T":   # the Văn phòng receives two units' reports by e-mail, one of them late
            odd = {*plan.missing, *plan.late, *plan.resubmitted, *plan.without_metadata, *plan.corrupt}
            clean = [u for u in ("QLDL", "BTT", "TVT", "QLTDTT", "KHTC") if u not in odd][:2]
            late, on_time = (next(p for p in plan.files if p.parent == out and p.name.split("_")[1] == u)
                             for u in clean)
            folder = tmp_path / "thu-6T"
            folder.mkdir()
            address = {u[0]: u[5] for u in units}
            (folder / "a.eml").write_bytes(letter(address[clean[0]], dt.datetime(2023, 7, 9, 15), "Báo cáo 6 tháng",
                                                  [late]))
            (folder / "b.eml").write_bytes(letter(address[clean[1]], dt.datetime(2023, 7, 4, 16), "Báo cáo 6 tháng",
                                                  [on_time]))
            (folder / "hoi.eml").write_bytes(letter("ttr.svhttdl@bentre.example.vn", dt.datetime(2023, 7, 3, 8),
                                                    "Xin hướng dẫn cách điền", []))
            late.unlink()
            on_time.unlink()
            mail = ws.ingest([folder], round_.id, now=dt.datetime(2023, 7, 10, 8))
            assert sorted((o.unit, o.state) for o in mail.files if o.kind == "report") == sorted(
                (u, "accepted") for u in clean)
            assert [f.message for f in mail.findings if f.code == "mail-no-workbook"] == [
                'Thư "Xin hướng dẫn cách điền" của ttr.svhttdl@bentre.example.vn (03/07/2023 08:00) không kèm tệp '
                "báo cáo"]
        ws.ingest([out], round_.id, now=dt.datetime.combine(round_.due, dt.time(17)) + dt.timedelta(days=5))
    arrived = dict(ledger_rows(root, "SELECT unit, arrived_source FROM submissions WHERE round = '2023-6T' AND "
                                     "kind = 'report' AND state = 'accepted' AND unit IN (?, ?)", *clean))
    assert arrived == {clean[0]: "email", clean[1]: "email"}
    late_units = {u.unit.code for u in ws.reconcile("2023-6T").late}
    assert clean[0] in late_units and clean[1] not in late_units

    # every round's figures against the ledger's own tables
    for round_id in (*MAIN, *(m.id for m in months)):
        result = ws.reconcile(round_id)
        tasks, completed, due, due_done = recount_round(root, round_id, result.round.as_of)
        assert (result.overall.total, result.overall.completed) == (tasks, completed), round_id
        assert (result.due.total, result.due.completed) == (due, due_done), round_id
    for round_id in MAIN:  # numeric targets and the values achieved against them
        figures = ws.reconcile(round_id).status_json()["targets"]
        assert {k: v for k, v in figures.items() if k in ("numeric", "reported_done", "met", "not_met", "no_value")} \
            == recount_targets(root, round_id), round_id
    assert figures["numeric"] > 80 and figures["not_met"] > 0  # the year: targets some tasks fell short of
    assert ws.reconcile("2023-CN").overall.total == 130
    assert ws.reconcile("2023-T07").previous.id == "2023-T06"  # type: ignore[union-attr]

    # --- appraisal of the year ------------------------------------------------------------------------------------
    path = ws.appraise("2023-CN", generated=dt.datetime(2023, 12, 26, 8))
    book = openpyxl.load_workbook(path)
    sheet = book[APPRAISAL.name]
    col = {c.key: i + 1 for i, c in enumerate(APPRAISAL.columns)}
    for row in range(5, sheet.max_row + 1):
        score = sheet.cell(row, col["self_score"]).value
        if isinstance(score, int | float):
            sheet.cell(row, col["appraised_score"]).value = max(0, score - 1)
    book.save(tmp_path / "tham-dinh.xlsx")
    assert ws.ingest([tmp_path / "tham-dinh.xlsx"], "2023-CN", now=dt.datetime(2023, 12, 27, 8)).count("accepted") == 1
    assert ws.reconcile("2023-CN").appraised

    # --- the year: emulation table against the recount ------------------------------------------------------------
    as_of = dt.date(2023, 12, 31)
    year = ws.year(as_of)
    assert year.basis is not None and year.basis.id == "2023-CN"
    assert [r.id for r in year.rounds] == [r.id for r in sorted(
        (r for r in ws.settings.rounds if r.due <= as_of), key=lambda r: (r.as_of, r.kind, r.id))]
    recount = recount_year(root, ws.settings, as_of, "2023-CN")
    assert {u.unit.code for u in year.units} == set(recount)
    for u in year.units:
        want = recount[u.unit.code]
        assert (u.on_time, u.late, u.missing) == (want.get("on_time", 0), want.get("late", 0), want.get("missing", 0))
        assert u.score == want["score"], u.unit.code
        if u.score is not None:
            assert u.task_score == want["task_score"]
    ranked = sorted((w["score"], code) for code, w in recount.items() if w["score"] is not None)
    assert [u.unit.code for u in year.units if u.rank == 1] == [c for s, c in ranked if s == ranked[-1][0]]
    assert sum(u.late for u in year.units) >= 5 and sum(u.missing for u in year.units) >= 8

    # the sheet and the Word section of the year's report say the same
    files = ws.report("2023-CN", generated=dt.datetime(2024, 1, 3, 8))
    table = openpyxl.load_workbook(files.consolidated)[EMULATION.name]
    col = {c.key: i + 1 for i, c in enumerate(EMULATION.columns)}
    shown = {table.cell(r, col["unit_code"]).value: (table.cell(r, col["on_time"]).value,
                                                     table.cell(r, col["score"]).value)
             for r in range(4, table.max_row + 1) if table.cell(r, col["unit_code"]).value}
    assert shown == {u.unit.code: (u.on_time, float(u.score) if u.score is not None else None) for u in year.units}
    document = docx.Document(str(files.word))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả thi đua năm 2023" in text and "Bảng 2. Kết quả thi đua của các phòng, đơn vị năm 2023" in text
    total = sum(w.get("on_time", 0) + w.get("late", 0) + w.get("missing", 0) for w in recount.values())
    assert f"với {total} lượt báo cáo phải gửi" in text
    year_cli = run("-w", str(root), "year", "--as-of", "31/12/2023", "--json")
    assert json.loads(year_cli.output)["units"] == year.as_dict()["units"]
