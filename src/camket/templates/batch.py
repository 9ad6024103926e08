"""Many templates at once (both cores), the mailing list and the zip to send."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ..atomic import atomic_path
from ..model import Adjustment, Round, Unit
from ..safetext import safe_text
from ..schema import MASTER_UNITS
from ..stamp import Stamp
from ..vi import slug
from .book import TemplateJob, write_template

__all__ = ["Progress", "TemplatesResult", "run_jobs", "template_filename", "write_bundle"]

Progress = Callable[[int, int], None]
_PARALLEL_FROM = 64  # below this, worker start-up costs more than it saves (~6 ms a template)

FILE_HEADER = "Tệp gửi đơn vị"
DUE_HEADER = "Hạn gửi"
RESEND_HEADER = "Hạn gửi lại"
EMAIL_HEADER = "Thư điện tử"
NOTE_HEADER = "Nội dung"
SUBJECT_HEADER = "Tiêu đề thư"


@dataclass(frozen=True)
class TemplatesResult:
    round: Round
    files: tuple[Path, ...]
    stamps: tuple[Stamp, ...]
    zip_path: Path
    mailing_list: Path
    adjustments: tuple[Adjustment, ...] = ()   # what a re-issue changed in the round's list
    not_applied: tuple[Adjustment, ...] = ()   # master-list edits since issue, left for --reissue


def template_filename(round_id: str, unit: Unit, prefix: str = "") -> str:
    """``R_CODE_slug.xlsx``: ASCII only, safe on Windows and in e-mail attachments."""
    def safe(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9.\-]+", "-", slug(text, 30) if not text.isascii() else text).strip("-")

    return f"{prefix}{safe(round_id)}_{safe(unit.code)}_{slug(unit.name, 40)}.xlsx"


def _worker(job: TemplateJob) -> Stamp:
    return write_template(job)


def run_jobs(jobs: Sequence[TemplateJob], on_progress: Progress | None = None,
             processes: int | None = None) -> list[Stamp]:
    """Write every job's workbook and return their stamps, in job order.

    Many jobs (or an explicit ``processes`` > 1) are written by worker processes, one per
    core. Workers start from a small server process rather than from this one, which may
    hold a national master list that forked workers would slowly copy.
    """
    total = len(jobs)
    if processes is None:
        processes = (os.cpu_count() or 1) if total >= _PARALLEL_FROM else 1
    if processes <= 1 or total <= 1:
        stamps = []
        for i, job in enumerate(jobs, start=1):
            stamps.append(write_template(job))
            if on_progress:
                on_progress(i, total)
        return stamps
    stamps_by_index: list[Stamp | None] = [None] * total
    with _workers().Pool(processes) as pool:
        chunk = max(1, min(32, total // (processes * 8)))
        for i, stamp in enumerate(pool.imap(_worker, jobs, chunksize=chunk), start=1):
            stamps_by_index[i - 1] = stamp
            if on_progress:
                on_progress(i, total)
    return [s for s in stamps_by_index if s is not None]


def _workers() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # the server imports camket once for all workers
        return context
    return multiprocessing.get_context("spawn")


def write_bundle(
    folder: Path, round_: Round, units: Sequence[Unit], files: Sequence[Path], subject: str,
    zip_name: str, list_name: str, deadlines: Sequence[dt.date | None] | None = None,
    notes: Sequence[str] | None = None,
) -> tuple[Path, Path]:
    """The zip of all files and the mailing list workbook (unit, head, e-mail, file, due date).

    Feedback gives each file its own ``deadlines`` (None: nothing to resend) and ``notes``
    (what the office is asked to do); templates are all due on the round's due date.
    """
    zip_path = folder / zip_name
    with atomic_path(zip_path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        for path in files:
            archive.write(path, path.name)
    mailing = folder / list_name
    with atomic_path(mailing) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        book.set_properties({"created": dt.datetime(2000, 1, 1), "author": "camket"})
        ws = book.add_worksheet("Danh sách gửi")
        head = book.add_format({"bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True,
                                "valign": "vcenter", "font_name": "Times New Roman"})
        cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top",
                                "font_name": "Times New Roman"})
        day = book.add_format({"border": 1, "valign": "top", "font_name": "Times New Roman",
                               "num_format": "dd/mm/yyyy", "align": "left"})
        columns = [("STT", 5), (MASTER_UNITS["unit_code"].header, 11),
                   (MASTER_UNITS["unit_name"].header, 40), (MASTER_UNITS["head"].header, 24),
                   (MASTER_UNITS["position"].header, 16), (EMAIL_HEADER, 32),
                   (FILE_HEADER, 46), (RESEND_HEADER if deadlines is not None else DUE_HEADER, 11),
                   (SUBJECT_HEADER, 60)] + ([(NOTE_HEADER, 36)] if notes is not None else [])
        for c, (label, width) in enumerate(columns):
            ws.set_column(c, c, width)
            ws.write_string(0, c, label, head)
        for r, (unit, path) in enumerate(zip(units, files, strict=True), start=1):
            values = [str(r), unit.code, unit.name, unit.head, unit.position, unit.email, path.name]
            for c, value in enumerate(values):
                ws.write_string(r, c, safe_text(value), cell)
            due = deadlines[r - 1] if deadlines is not None else round_.due
            if due is None:
                ws.write_string(r, 7, "Không cần gửi lại", cell)
            else:
                ws.write_datetime(r, 7, dt.datetime.combine(due, dt.time()), day)
            ws.write_string(r, 8, safe_text(f"{subject} - {unit.name}"), cell)
            if notes is not None:
                ws.write_string(r, 9, safe_text(notes[r - 1]), cell)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, len(units)), len(columns) - 1)
        book.close()
    return zip_path, mailing
