"""Writing a round's outputs: the consolidated workbook, the Word report (and PDF), and the
feedback workbooks for offices, from the round's reconciled figures and its frozen list.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .reconcile import Result, Trend, trend

if TYPE_CHECKING:
    from .model import Round
    from .report.year import YearResult
    from .templates import Progress
    from .workspace import Workspace

__all__ = ["ReportFiles", "progress_of", "write_feedback", "write_report", "write_year"]

log = logging.getLogger("camket.reporting")


@dataclass(frozen=True)
class ReportFiles:
    """What ``camket report`` wrote."""

    result: Result
    consolidated: Path
    word: Path
    pdf: Path | None = None
    feedback: tuple[Path, ...] = ()
    feedback_list: Path | None = None


def write_report(ws: Workspace, round_id: str, pdf: bool, feedback: bool, generated: dt.datetime,
                 on_progress: Progress | None, dated: dt.date | None = None) -> ReportFiles:
    """Every output of the round into ``out/<round>/`` (the caller holds the workspace lock);
    ``dated`` is the report's date when asked for (``camket report --date``)."""
    from .report import to_pdf, write_consolidated, write_word
    from .report.dates import report_date

    result = ws.reconcile(round_id)
    dated = report_date(ws.settings, generated, result.round, dated)
    folder = ws.out_dir(round_id)
    master = ws.master_for(round_id)
    progress = progress_of(ws, round_id, result)
    year = _year_of_report(ws, result.round, dated)
    consolidated = write_consolidated(folder / f"{round_id}_tong-hop.xlsx", result, master,
                                      ws.settings, generated, progress, year)
    word = write_word(folder / f"{round_id}_bao-cao.docx", result, master, ws.settings, generated,
                      _letterhead(ws), progress, year, dated)
    log.info("Báo cáo kỳ %s: %s, %s", round_id, consolidated.name, word.name)
    pdf_path = to_pdf(word) if pdf else None
    stale = word.with_suffix(".pdf")
    if not pdf and stale.exists():  # made from an earlier Word report: it would be read as this one
        stale.unlink()
        log.info("Xóa %s (lập từ báo cáo Word trước đó)", stale.name)
    sent: tuple[Path, ...] = ()
    mailing = None
    if feedback:
        sent, mailing = write_feedback(ws, result, generated, on_progress, dated=dated)
    return ReportFiles(result, consolidated, word, pdf_path, sent, mailing)


def _letterhead(ws: Workspace) -> Path | None:
    template = ws.settings.report.docx_template
    if template is not None and not template.is_absolute():
        template = ws.root / template
    if template is not None and not template.is_file():
        raise ConfigError(f"Không tìm thấy mẫu văn bản {template} ([report] docx_template trong camket.toml).")
    return template


def _year_of_report(ws: Workspace, round_: Round, dated: dt.date) -> YearResult | None:
    """The emulation table shown in the report of the year's last round (of ``[[round]]``), as of
    the report's date."""
    series = ws.settings.series("")
    if round_.kind or not series or series[-1].id != round_.id:
        return None
    return ws.year(max(dated, round_.due), round_.id)


def write_year(ws: Workspace, year: YearResult, generated: dt.datetime, *, pdf: bool = False) -> tuple[Path, Path]:
    """The emulation table as a workbook and a Word report in ``out/nam-<year>/`` (the caller holds
    the workspace lock)."""
    from .report import to_pdf
    from .report.consolidated import write_year_workbook
    from .report.year import write_year_word

    folder = ws.root / "out" / f"nam-{year.year}"
    book = write_year_workbook(folder / f"{year.year}_thi-dua.xlsx", year, ws.settings, generated)
    word = write_year_word(folder / f"{year.year}_thi-dua.docx", year, ws.settings, generated, _letterhead(ws))
    if pdf:
        to_pdf(word)
    return book, word


def write_feedback(ws: Workspace, result: Result, generated: dt.datetime, on_progress: Progress | None,
                   units: list[str] | None = None, *, dated: dt.date | None = None,
                   ) -> tuple[tuple[Path, ...], Path | None]:
    """Feedback workbooks for offices with problems or no answer (or only ``units``), and, for
    all of them, the zip and the mailing list; the resend deadline counts from the report's
    date (``dated``, or as :func:`~camket.report.dates.report_date` finds it)."""
    from .report import feedback_jobs
    from .report.dates import report_date, resend_deadline
    from .templates import run_jobs, template_filename, write_bundle

    round_id = result.round.id
    folder = ws.out_dir(round_id) / "phan-hoi"
    base = [replace(job, path=folder / template_filename(round_id, job.unit, prefix="phan-hoi_"))
            for job in ws.template_jobs(round_id, units, generated=generated)]
    for old in folder.glob("*.xlsx") if units is None else (job.path for job in base):
        old.unlink(missing_ok=True)
    with ws.ledger() as ledger:
        rows = ledger.accepted_rows(round_id)
    contact = ws.settings.contact
    dated = dated or report_date(ws.settings, generated, result.round)
    jobs = feedback_jobs(result, base, rows, result.findings, dated, resend_deadline(ws.settings, dated),
                         contact.email or contact.unit)
    run_jobs([f.job for f in jobs], on_progress)
    if not jobs or units is not None:  # one office's file: the bundle stays as the report left it
        return tuple(f.job.path for f in jobs), None
    subject = f"Phản hồi báo cáo kết quả thực hiện nhiệm vụ cam kết {result.round.name}"
    _, mailing = write_bundle(folder, result.round, [f.job.unit for f in jobs], [f.job.path for f in jobs],
                              subject, f"{round_id}_phan-hoi.zip", f"{round_id}_danh-sach-gui-phan-hoi.xlsx",
                              [f.deadline for f in jobs], [f.case for f in jobs])
    return tuple(f.job.path for f in jobs), mailing


def progress_of(ws: Workspace, round_id: str, current: Result | None = None) -> Trend:
    """Progress up to ``round_id``: every earlier round of its kind that has accepted reports, and
    this one (``current``, when already reconciled, is used as it is)."""
    this = ws.round(round_id)
    with ws.ledger() as ledger:
        with_data = {s.round for s in ledger.submissions() if s.state == "accepted" and s.kind == "report"}
    rounds = [r for r in ws.settings.series(this.kind) if r.as_of <= this.as_of
              and (r.id in with_data or r.id == this.id)]
    return trend([current if current is not None and r.id == round_id else ws.reconcile(r.id) for r in rounds])
