"""``camket demo``: the whole cycle on a sample, with simulated returns, in one go.

>>> result = run_demo(Path("demo"), sample="so-2023", pdf=False)
>>> result.files.word.name
'2023-Q1_bao-cao.docx'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkspaceError
from .ingest import IngestResult
from .masterbook import write_master
from .report import soffice
from .reporting import ReportFiles
from .samples import load_sample
from .simulate import SimulationPlan, scale_rows, simulate_returns
from .templates import TemplatesResult
from .workspace import CONFIG_NAME, Workspace

__all__ = ["DemoResult", "run_demo"]

Stage = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    workspace: Workspace
    templates: TemplatesResult
    plan: SimulationPlan
    ingest: IngestResult
    files: ReportFiles
    returned: Path


def run_demo(
    root: Path, *, sample: str = "bo-2022", units: int | None = None, tasks: int | None = None,
    round_id: str | None = None, seed: int = 2022, pdf: bool | None = None, force: bool = False,
    on_stage: Stage | None = None, on_progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Init ``root`` from ``sample`` (scaled to ``units`` × ``tasks`` if given), generate the
    templates of the first round, fill them like offices do, ingest them and report.
    ``pdf=None`` makes a PDF when LibreOffice is installed."""
    say = on_stage or (lambda _: None)
    root = Path(root)
    if root.exists() and any(root.iterdir()) and not force:
        raise WorkspaceError(f"{root} đã có dữ liệu. Chọn thư mục mới cho bản chạy thử hoặc dùng --force.")
    say(f"Tạo thư mục làm việc từ mẫu {sample}")
    ws = Workspace.init(root, sample=sample, force=True)
    if units or tasks:
        data = load_sample(sample)
        unit_rows, task_rows = scale_rows(data.units, data.tasks, units or len(data.units), tasks)
        write_master(ws.master_path, unit_rows, task_rows)
        ws = Workspace.open(root)
    round_ = ws.settings.round(round_id) if round_id else min(ws.settings.rounds, key=lambda r: r.as_of)
    if round_ is None:
        ws.round(round_id or "")  # raises the usual error listing the rounds
        raise AssertionError("unreachable")
    generated = dt.datetime.combine(round_.as_of, dt.time(8)) + dt.timedelta(days=1)
    say(f"Lập mẫu báo cáo kỳ {round_.name}")
    templates = ws.templates(round_.id, generated=generated, on_progress=on_progress)
    returned = root / "nhan"
    say("Mô phỏng các đơn vị điền và gửi lại mẫu")
    plan = simulate_returns(ws.template_jobs(round_.id, generated=generated), returned, seed=seed,
                            on_progress=on_progress)
    say("Tiếp nhận các tệp đã gửi")
    received = dt.datetime.combine(round_.due, dt.time(17)) + dt.timedelta(days=4)
    ingested = ws.ingest([returned], round_.id, now=received, on_progress=on_progress)
    make_pdf = soffice() is not None if pdf is None else pdf
    say("Tổng hợp, lập báo cáo Word" + (" và PDF" if make_pdf else "") + " và tệp phản hồi")
    files = ws.report(round_.id, pdf=make_pdf, generated=received, on_progress=on_progress)
    return DemoResult(ws, templates, plan, ingested, files, returned)


def describe(result: DemoResult) -> list[str]:
    """The demo's summary for a terminal."""
    ws, r = result.workspace, result.files.result
    master = ws.master()
    counts = result.ingest
    lines = [
        f"{ws.settings.agency.name}: {len(master.units)} đơn vị, {len(master.tasks)} nhiệm vụ, kỳ {r.round.name}.",
        f"Mẫu báo cáo: {len(result.templates.files)} tệp trong {result.templates.files[0].parent}",
        f"Tệp đơn vị gửi (mô phỏng): {len(result.plan.files)} tệp trong {result.returned}; "
        f"{len(result.plan.missing)} đơn vị không gửi.",
        f"Tiếp nhận: {counts.count('accepted')} chấp nhận, {counts.count('superseded')} bản cũ được thay, "
        f"{counts.count('rejected')} không tính.",
        f"Kết quả: đã hoàn thành {r.overall.sentence()}; {r.heads_sentence()}.",
        "Tệp kết quả:",
        f"  {result.files.consolidated}",
        f"  {result.files.word}",
    ]
    if result.files.pdf:
        lines.append(f"  {result.files.pdf}")
    if result.files.feedback:
        lines.append(f"  {result.files.feedback[0].parent}/ ({len(result.files.feedback)} tệp phản hồi, "
                     f"danh sách gửi {result.files.feedback_list.name if result.files.feedback_list else ''})")
    lines.append(f"Cấu hình: {ws.root / CONFIG_NAME}; danh mục: {ws.master_path}")
    return lines
