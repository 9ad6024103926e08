"""Simulated returns: templates filled the way real offices fill them, reproducibly.

Most answers are clean; some have free-typed statuses, percentages as text, dates as
day-first text, decomposed Unicode, a few legacy-encoded (TCVN3) notes, a reordered
table, an added task, a file re-saved without its metadata, one late, one resubmitted
(first with mistakes, then corrected), one unit that never answers and one corrupt
file. Used by ``camket demo``, the tests and the benchmark. The offices' words fit the agency
(:class:`Voice`): a ministry's offices write "Lãnh đạo Bộ", "các bộ, ngành"; a provincial
department's "Lãnh đạo Sở", "các sở, ngành".

>>> plan = simulate_returns(ws.template_jobs("2022-6T"), Path("nhan-7"), seed=7)
>>> len(plan.files), plan.missing
(26, ['TTR'])
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xlsxwriter

from .model import Round, Status, Task
from .schema import REPORT
from .targets import parse_target
from .templates import TemplateJob, run_jobs, template_filename
from .vntext import encode_tcvn3
from .xlsxkit import WORKBOOK_OPTIONS, write_value

__all__ = ["Profile", "SimulationPlan", "Voice", "scale_rows", "simulate_returns"]

# What offices write; {leaders}, {peers}, {council}, {head} are the agency's words (Voice).
RESULTS = [
    "Đã ban hành văn bản theo đúng kế hoạch",
    "Đã trình {leaders} ký ban hành",
    "Hoàn thành, đã báo cáo kết quả bằng văn bản",
    "Đã tổ chức thành công với sự tham gia của các đơn vị liên quan",
    "Đã hoàn thành dự thảo, đang lấy ý kiến các đơn vị",
    "Đang tổng hợp ý kiến góp ý, hoàn thiện hồ sơ",
    "Đã xây dựng đề cương chi tiết",
    "Đã số hóa được phần lớn hồ sơ theo kế hoạch",
]
DIFFICULTIES = [
    "Kinh phí được giao chậm so với kế hoạch",
    "Thiếu nhân lực có chuyên môn sâu",
    "Phải chờ ý kiến thẩm định của {peers}",
    "Thủ tục đấu thầu kéo dài",
    "Dịch bệnh ảnh hưởng đến việc tổ chức sự kiện",
    "Văn bản hướng dẫn của cấp trên chưa được ban hành",
]
PROPOSALS = [
    "Đề nghị {leaders} cho phép điều chỉnh thời hạn hoàn thành",
    "Đề nghị bố trí bổ sung kinh phí",
    "Đề nghị các đơn vị phối hợp cung cấp thông tin đúng hạn",
    "Kiến nghị tăng cường phân cấp, ủy quyền",
]
NOT_DONE_REASONS = [
    "Nhiệm vụ được {leaders} cho điều chỉnh sang năm sau",
    "Không còn phù hợp do thay đổi quy định của cấp trên",
]
STATUS_SYNONYMS = {
    Status.DONE: ["xong", "đã hoàn thành", "HT", "Hoàn thành 100%", "hoàn thành"],
    Status.IN_PROGRESS: ["đang làm", "đang triển khai", "Đang thực hiện "],
    Status.NOT_STARTED: ["chưa làm", "chưa triển khai"],
    Status.NOT_DONE: ["không thực hiện", "dừng thực hiện"],
}
ADDED_TASKS = [
    "Tổ chức Hội thảo chuyên đề theo chỉ đạo đột xuất của {leaders}",
    "Xây dựng báo cáo phục vụ đoàn giám sát của {council}",
    "Tham gia tổ công tác liên ngành theo Quyết định của {head}",
]


_LEADS = ("Bộ", "Tổng cục", "Cục", "Sở", "Ủy ban nhân dân", "UBND")  # how an agency's name starts


@dataclass(frozen=True)
class Voice:
    """The words offices use for their agency's leaders, its peers, the elected body that
    oversees it and the head of government above it."""

    leaders: str = "Lãnh đạo Bộ"
    peers: str = "các bộ, ngành"
    council: str = "Quốc hội"
    head: str = "Thủ tướng Chính phủ"

    @classmethod
    def of(cls, agency: str, parent: str = "") -> Voice:
        """The voice of offices of ``agency`` (its name as configured), under ``parent``.

        >>> Voice.of("Sở Văn hóa, Thể thao và Du lịch", "Ủy ban nhân dân tỉnh Bến Tre").leaders
        'Lãnh đạo Sở'
        """
        name = " ".join(agency.split())
        word = next((w for w in _LEADS if name == w or name.startswith(w + " ")), "")
        if word in ("Bộ", "Tổng cục", "Cục"):  # central: the National Assembly, the Prime Minister
            return cls(f"Lãnh đạo {word}")
        if not word:
            return cls("Lãnh đạo cơ quan", "các cơ quan liên quan")
        local = "thành phố" if "thành phố" in f"{name} {parent}".lower() else "tỉnh"
        who = "Sở" if word == "Sở" else "Ủy ban"
        return cls(f"Lãnh đạo {who}", "các sở, ngành", f"Hội đồng nhân dân {local}",
                   f"Chủ tịch Ủy ban nhân dân {local}")

    def say(self, text: str) -> str:
        return text.format(leaders=self.leaders, peers=self.peers, council=self.council, head=self.head)


@dataclass(frozen=True)
class Profile:
    """How offices behave; each ratio is a probability."""

    done: float = 0.85               # a task already done, of those due by the round's date
    done_early: float = 0.25         # a task not yet due, already done
    not_done: float = 0.02
    messy_file: float = 0.3          # a file typed by hand in places
    free_typed_status: float = 0.3   # in a messy file, per row
    percent_as_text: float = 0.3
    date_as_text: float = 0.3
    decomposed: float = 0.15         # a file typed with "Unicode tổ hợp"
    legacy_note: float = 0.05        # a file with a TCVN3 note
    self_score: float = 0.9          # a file that self-scores


@dataclass
class SimulationPlan:
    """What was simulated, for tests and the demo's summary."""

    round: Round
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    resubmitted: list[str] = field(default_factory=list)
    without_metadata: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    reordered: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    messy: list[str] = field(default_factory=list)


def _answers(task: Task, round_: Round, rng: random.Random, profile: Profile, messy: bool,
             decomposed: bool, scores: bool, year: int, voice: Voice) -> dict[str, Any]:
    due_by_round = task.deadline is not None and task.deadline <= round_.as_of
    p_done = profile.done if due_by_round else profile.done_early
    roll = rng.random()
    if roll < profile.not_done:
        status = Status.NOT_DONE
    elif roll < profile.not_done + p_done:
        status = Status.DONE
    elif rng.random() < 0.8:
        status = Status.IN_PROGRESS
    else:
        status = Status.NOT_STARTED
    answer: dict[str, Any] = {}
    if status is Status.DONE:
        latest = min(round_.as_of, task.deadline + dt.timedelta(days=20)) if task.deadline else round_.as_of
        earliest = dt.date(year, 1, 15)
        span = max(0, (latest - earliest).days)
        day = earliest + dt.timedelta(days=rng.randint(0, span))
        answer.update(progress=100, completed_on=day, result=voice.say(rng.choice(RESULTS[:4])))
        if scores:
            answer["self_score"] = task.points if rng.random() < 0.8 else round(task.points * 0.9, 1)
    elif status is Status.IN_PROGRESS:
        progress = rng.choice([20, 30, 40, 50, 60, 70, 75, 80, 90])
        answer.update(progress=progress, result=voice.say(rng.choice(RESULTS[4:])))
        if rng.random() < 0.6:
            answer["difficulties"] = voice.say(rng.choice(DIFFICULTIES))
        if rng.random() < 0.3:
            answer["proposals"] = voice.say(rng.choice(PROPOSALS))
        if scores:
            answer["self_score"] = round(task.points * progress / 100, 1)
    elif status is Status.NOT_STARTED:
        answer.update(progress=0, difficulties=voice.say(rng.choice(DIFFICULTIES)))
        if scores:
            answer["self_score"] = 0
    else:
        answer.update(progress=0, difficulties=voice.say(rng.choice(NOT_DONE_REASONS)))
        if scores:
            answer["self_score"] = 0
    answer["status"] = status.value
    achieved = _achieved(task, status, answer.get("progress"))
    if achieved is not None:
        answer["achieved"] = achieved
    if messy:
        if rng.random() < profile.free_typed_status:
            answer["status"] = rng.choice(STATUS_SYNONYMS[status])
        if rng.random() < profile.percent_as_text and "progress" in answer:
            answer["progress"] = f"{answer['progress']}%" if rng.random() < 0.5 else f"{answer['progress']} %"
        if rng.random() < profile.date_as_text and "completed_on" in answer:
            day = answer["completed_on"]
            answer["completed_on"] = f"{day.day}/{day.month}/{day.year}"
    if decomposed:
        for key in ("result", "difficulties", "proposals"):
            if key in answer:
                answer[key] = unicodedata.normalize("NFD", answer[key])
    return answer


def _achieved(task: Task, status: Status, progress: object) -> float | None:
    """The value achieved against a numeric target: reached when done, except one task in ten
    (chosen by its code, so the random answers stay as they were) done at 80% of it; in
    proportion to the progress when in progress."""
    target = parse_target(task.target)
    if target is None or status not in (Status.DONE, Status.IN_PROGRESS):
        return None
    short = zlib.crc32(task.code.encode("utf-8")) % 10 == 0
    if target.op in ("<=", "<"):  # a ceiling: kept, or passed by one
        return target.value + 1 if short else target.value
    if status is Status.DONE:
        reached = target.value if target.op == ">=" else target.value + 1
        return math.floor(target.value * 0.8) if short else reached
    share = float(progress) if isinstance(progress, int | float) else 50.0
    return math.floor(target.value * share / 100)


def simulate_returns(
    jobs: Sequence[TemplateJob], out_dir: Path, *, seed: int = 2022, profile: Profile = Profile(),
    on_progress: Callable[[int, int], None] | None = None, special: bool = True,
) -> SimulationPlan:
    """Write one returned workbook per template job into ``out_dir`` (and a few odd ones).

    ``jobs`` are the template jobs of a round (``Workspace.template_jobs``); with
    ``special`` the plan also has a late file, a resubmission, a file without
    metadata, a reordered table, an added task, a corrupt file and a unit that
    never answers (chosen from the seed).
    """
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = SimulationPlan(jobs[0].round if jobs else Round("", "", dt.date.today(), dt.date.today()))
    if not jobs:
        return plan
    round_ = jobs[0].round
    year = jobs[0].settings.year
    agency = jobs[0].settings.agency
    voice = Voice.of(agency.name, agency.parent)
    codes = [j.unit.code for j in jobs]
    roles: dict[str, str] = {}
    if special and len(codes) >= 8:
        picked = rng.sample(codes, 7)
        for role, code in zip(("missing", "late", "resubmitted", "without_metadata", "corrupt", "reordered",
                               "added"), picked, strict=True):
            roles[code] = role
            getattr(plan, role).append(code)
    on_time = dt.datetime.combine(round_.due, dt.time(9)) - dt.timedelta(days=2)
    writes: list[tuple[TemplateJob, float]] = []
    extra: list[tuple[TemplateJob, float]] = []
    for job in jobs:
        role = roles.get(job.unit.code, "")
        if role == "missing":
            continue
        messy = rng.random() < profile.messy_file
        if messy:
            plan.messy.append(job.unit.code)
        decomposed = rng.random() < profile.decomposed
        scores = rng.random() < profile.self_score
        prefill = {t.code: _answers(t, round_, rng, profile, messy, decomposed, scores, year, voice)
                   for t in job.tasks}
        if rng.random() < profile.legacy_note and job.tasks:
            first = prefill[job.tasks[0].code]
            first["proposals"] = encode_tcvn3(voice.say(rng.choice(PROPOSALS)))
        tasks = job.tasks
        added: tuple[dict[str, Any], ...] = ()
        if role == "reordered":
            tasks = tuple(reversed(tasks))
        if role == "added":
            added = ({"content": voice.say(rng.choice(ADDED_TASKS)), "product": "Báo cáo",
                      "deadline": "30/11/" + str(year), "status": Status.IN_PROGRESS.value, "progress": 50},)
        when = on_time - dt.timedelta(hours=rng.randint(0, 96))
        if role == "late":
            when = dt.datetime.combine(round_.due, dt.time(10)) + dt.timedelta(days=3)
        path = out_dir / template_filename(round_.id, job.unit)
        filled = replace(job, path=path, tasks=tasks, prefill=prefill, added=added)
        if role == "resubmitted":
            broken = {code: dict(answer) for code, answer in prefill.items()}
            first_code = job.tasks[0].code if job.tasks else ""
            if first_code:
                broken[first_code].update(progress=150, status="hoàn thành rồi")
            first_path = out_dir / "lan-1" / path.name
            extra.append((replace(job, path=first_path, prefill=broken), (when - dt.timedelta(days=3)).timestamp()))
            writes.append((filled, when.timestamp()))
        else:
            writes.append((filled, when.timestamp()))
    all_jobs = [j for j, _ in writes] + [j for j, _ in extra]
    run_jobs(all_jobs, on_progress)
    for job, stamp in writes + extra:
        os.utime(job.path, (stamp, stamp))
        plan.files.append(job.path)
    for job, _ in writes:
        role = roles.get(job.unit.code, "")
        if role == "without_metadata":
            _copy_without_metadata(job)
        elif role == "corrupt":
            data = job.path.read_bytes()
            job.path.write_bytes(data[: len(data) // 3])
    return plan


def _copy_without_metadata(job: TemplateJob) -> None:
    """What an office does when it pastes the table into a new workbook and saves that."""
    import python_calamine as calamine

    sheet = calamine.CalamineWorkbook.from_path(str(job.path)).get_sheet_by_name(REPORT.name)
    rows = sheet.to_python(skip_empty_area=False)
    stamp = job.path.stat().st_mtime
    book = xlsxwriter.Workbook(str(job.path), WORKBOOK_OPTIONS)
    ws = book.add_worksheet("Sheet1")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            write_value(ws, r, c, value, date_format if isinstance(value, dt.date) else None)
    book.close()
    os.utime(job.path, (stamp, stamp))


def scale_rows(
    units: Sequence[dict[str, Any]], tasks: Sequence[dict[str, Any]], count: int, tasks_per_unit: int | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A master list of ``count`` units made from the sample's, with tasks of the same kind.

    Unit ``i`` copies sample unit ``i mod n`` under the code ``<CODE>-<i>``; its tasks
    copy that unit's tasks (and, with ``tasks_per_unit``, tasks of the others) so that
    every unit has the same points in total.
    """
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_unit.setdefault(str(task["unit_code"]), []).append(task)
    base = [u for u in units if by_unit.get(str(u["unit_code"]))]
    all_tasks = list(tasks)
    out_units: list[dict[str, Any]] = []
    out_tasks: list[dict[str, Any]] = []
    width = len(str(count))
    for i in range(count):
        unit = base[i % len(base)]
        code = f"{unit['unit_code']}-{i + 1:0{width}d}"
        out_units.append({**unit, "unit_code": code, "unit_name": f"{unit['unit_name']} ({i + 1})"})
        own = by_unit[str(unit["unit_code"])]
        chosen = list(own)
        if tasks_per_unit:
            start = i * 7
            while len(chosen) < tasks_per_unit:
                chosen.append(all_tasks[start % len(all_tasks)])
                start += 1
            chosen = chosen[:tasks_per_unit]
        points = round(100 / len(chosen), 2)
        for n, task in enumerate(chosen, start=1):
            out_tasks.append({**task, "task_code": f"{code}-{n:02d}", "unit_code": code,
                              "points": points if tasks_per_unit else task.get("points")})
    return out_units, out_tasks
