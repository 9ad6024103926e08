"""A workspace: a folder with ``camket.toml``, ``danh-muc.xlsx``, the ledger, the
archive of received files and ``out/``. :class:`Workspace` ties the stages to it.

>>> so = Workspace.init(Path("so"), sample="so-2023")
>>> len(so.master().units), [r.id for r in so.settings.rounds][:2]
(18, ['2023-Q1', '2023-6T'])
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import secrets
from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import clean_temporaries, write_text_atomic
from .config import Settings, read_config
from .consistency import as_findings, contradictions
from .errors import ConfigError, InputError, LedgerBusyError, WorkspaceError
from .ledger import LEDGER_NAME, Ledger, StoredRow, Submission
from .ledger.db import ARCHIVE_NAME, needs_migration
from .model import Finding, Master, Round, Severity, Unit
from .reconcile import Accepted, PendingFile, Result, Trend, reconcile
from .rounds import issue
from .vi import normalize_code

if TYPE_CHECKING:  # the stages below load their libraries (openpyxl, xlsxwriter, docx …) when used
    import pandas as pd

    from .ingest import IngestResult, Limits
    from .master import MasterRead
    from .report.rollup import RollupResult
    from .report.year import YearResult
    from .reporting import ReportFiles
    from .templates import Progress, TemplateJob, TemplatesResult
    from .verify import VerifyReport

__all__ = ["CONFIG_NAME", "MASTER_NAME", "Workspace"]

log = logging.getLogger("camket.workspace")

CONFIG_NAME = "camket.toml"
MASTER_NAME = "danh-muc.xlsx"
STATE_DIR = ".camket"
SECRET_NAME = "secret.key"



class Workspace:
    """An opened workspace with valid settings. Use :meth:`open` or :meth:`init`."""

    strict = False  # let camket's own errors on a received file raise (tests), instead of recording them

    def __init__(self, root: Path, settings: Settings, config_findings: tuple[Finding, ...] = ()):
        self.root = root
        self.settings = settings
        self.config_findings = config_findings
        self._lists: dict[str, tuple[int, Master]] = {}  # rounds' frozen lists, by the issue they come from

    # --- creation and opening ------------------------------------------------
    @classmethod
    def init(cls, root: Path, sample: str | None = None, force: bool = False) -> Workspace:
        """Create a workspace (``camket.toml``, ``danh-muc.xlsx``, a secret key).

        Refuses to overwrite an existing one unless ``force``; the secret key and the
        ledger of an existing workspace are always kept.
        """
        root = Path(root)
        existing = [n for n in (CONFIG_NAME, MASTER_NAME) if (root / n).exists()]
        if existing and not force:
            raise WorkspaceError(
                f"{root} đã là thư mục làm việc của camket (có {', '.join(existing)}). "
                "Dùng --force để ghi đè cấu hình và danh mục (khóa bí mật và sổ cái được giữ nguyên)."
            )
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root} đã tồn tại và không phải thư mục.")
        root.mkdir(parents=True, exist_ok=True)
        from .masterbook import write_master
        from .samples import blank_config, load_sample

        if sample:
            data = load_sample(sample)
            write_text_atomic(root / CONFIG_NAME, data.config_text)
            write_master(root / MASTER_NAME, data.units, data.tasks)
        else:
            write_text_atomic(root / CONFIG_NAME, blank_config(dt.date.today().year))
            write_master(root / MASTER_NAME, [], [])
        _ensure_secret(root)
        return cls.open(root)

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """Open a workspace; raises if it is missing or its configuration has errors."""
        root = Path(root)
        if not (root / CONFIG_NAME).is_file():
            raise WorkspaceError(
                f"{root.resolve()} không phải thư mục làm việc của camket (không có {CONFIG_NAME}). "
                "Tạo mới bằng: camket init <thư mục>, hoặc chỉ định bằng --workspace."
            )
        read = read_config(root / CONFIG_NAME)
        if not read.ok or read.settings is None:
            lines = "\n".join(f"  {f}" for f in read.findings if f.severity is Severity.ERROR)
            raise ConfigError(f"{CONFIG_NAME} có lỗi, chạy camket check để xem chi tiết:\n{lines}")
        return cls(root, read.settings, read.findings)

    # --- paths and identity --------------------------------------------------
    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def master_path(self) -> Path:
        return self.root / MASTER_NAME

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def out_dir(self, round_id: str) -> Path:
        return self.root / "out" / round_id

    @cached_property
    def secret(self) -> bytes:
        """The signing key of this workspace's templates (never written into outputs)."""
        return _ensure_secret(self.root)

    @cached_property
    def id(self) -> str:
        """A public identifier of the workspace, derived from its secret."""
        return hashlib.sha256(b"camket-workspace:" + self.secret).hexdigest()[:16]

    # --- stages ----------------------------------------------------------------
    def round(self, round_id: str, *, registration: bool = False) -> Round:
        """The round ``round_id``; the registration of tasks (``[registration]`` id) only where
        ``registration`` allows it (ingest, submissions), never for figures and reports."""
        found = self.settings.round(round_id)
        enrol = self.settings.registration
        if found is None and enrol is not None and round_id == enrol.id:
            if registration:
                return enrol.round
            raise InputError(f'"{round_id}" là đợt đăng ký nhiệm vụ, không phải kỳ báo cáo: lập phiếu bằng camket '
                             f"registration, tiếp nhận bằng camket ingest … --round {round_id}, xem và áp dụng vào "
                             "danh mục bằng camket register-apply.")
        if found is None:
            known = ", ".join(r.id for r in self.settings.rounds)
            raise InputError(f'Không có kỳ báo cáo "{round_id}" trong {CONFIG_NAME}. Các kỳ: {known}.')
        return found

    @cached_property
    def master_read(self) -> MasterRead:
        from .master import read_master

        return read_master(self.master_path, self.settings.year)

    def master(self) -> Master:
        """The master list; raises when it has errors (run ``camket check``)."""
        read = self.master_read
        errors = [f for f in read.findings if f.severity is Severity.ERROR]
        if errors:
            lines = "\n".join(f"  {f}" for f in errors[:20])
            more = f"\n  … và {len(errors) - 20} lỗi khác" if len(errors) > 20 else ""
            raise ConfigError(
                f"{MASTER_NAME} có {len(errors)} lỗi, sửa rồi chạy lại (camket check):\n{lines}{more}")
        return read.master


    def master_for(self, round_id: str) -> Master:
        """The round's list: frozen when the round was issued, else the current master list."""
        self.round(round_id, registration=True)
        with self.ledger() as ledger:
            frozen = self._frozen(ledger, round_id)
        return frozen if frozen is not None else self.master()

    def _frozen(self, ledger: Ledger, round_id: str) -> Master | None:
        """The round's frozen list, loaded once per issue of it (a national list takes seconds)."""
        issued = ledger.issue_of(round_id)
        if issued is None:
            return None
        cached = self._lists.get(round_id)
        if cached is None or cached[0] != issued:
            frozen = ledger.frozen_master(round_id)
            if frozen is None:
                return None
            cached = self._lists[round_id] = (issued, frozen)
        return cached[1]

    def units(self, codes: list[str] | None = None, master: Master | None = None) -> list[Unit]:
        """Units of the master list (or ``master``), all or those named (raises on an unknown code)."""
        master = master or self.master()
        if not codes:
            return list(master.units)
        wanted = [normalize_code(c) for c in codes]
        unknown = [c for c in wanted if master.unit(c) is None]
        if unknown:
            raise InputError(f"Không có đơn vị mã {', '.join(unknown)} trong {MASTER_NAME}.")
        return [u for u in master.units if u.code in set(wanted)]

    def template_jobs(
        self,
        round_id: str,
        units: list[str] | None = None,
        prefill_from: str | None = None,
        generated: dt.datetime | None = None,
        *,
        master: Master | None = None,
    ) -> list[TemplateJob]:
        """What :meth:`templates` writes, one job per unit (also used by ``camket.simulate``),
        from the round's list (or ``master``)."""
        from .issuing import template_jobs

        return template_jobs(self, round_id, units, prefill_from, generated, master=master)

    def templates(
        self,
        round_id: str,
        units: list[str] | None = None,
        prefill_from: str | None = None,
        generated: dt.datetime | None = None,
        on_progress: Progress | None = None,
        *,
        reissue: bool = False,
        wait: float = 30.0,
    ) -> TemplatesResult:
        """One workbook per unit into ``out/<round>/templates/``, plus a zip and a mailing list.

        The first time, the round's units and tasks are frozen from the master list; later
        the frozen list is used, unless ``reissue`` freezes the current master list again
        and records what changed (see :mod:`camket.rounds`).

        >>> result = ws.templates("2022-6T")
        >>> len(result.files), result.zip_path.name
        (26, '2022-6T_mau-bao-cao.zip')
        """
        from .issuing import issue_templates

        return issue_templates(self, round_id, units, prefill_from, generated, on_progress, reissue=reissue,
                               wait=wait)

    @contextlib.contextmanager
    def lock(self, wait: float = 30.0) -> Iterator[None]:
        """Hold the workspace's write lock; wait up to ``wait`` seconds for another process."""
        import filelock

        self.state_dir.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(str(self.state_dir / "write.lock"), timeout=wait)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise LedgerBusyError(
                f"Một lệnh camket khác đang ghi vào thư mục làm việc {self.root} (đã chờ {wait:g} giây). "
                "Chờ lệnh đó xong rồi chạy lại.") from None
        try:
            clean_temporaries(self.root)  # what a killed command left half-written (it held this lock)
            yield
        finally:
            lock.release()

    def ledger(self) -> Ledger:
        """The ledger, opened read-only (empty when nothing was ingested yet); a ledger
        written by an earlier camket is first migrated, under the lock."""
        if needs_migration(self.root):
            with self.lock(), Ledger(self.root):
                pass
        return Ledger(self.root, create=False)

    def ingest(
        self,
        paths: list[Path],
        round_id: str,
        *,
        dry_run: bool = False,
        keep_first: bool = False,
        now: dt.datetime | None = None,
        limits: Limits | None = None,
        wait: float = 30.0,
        processes: int | None = None,
        on_progress: Progress | None = None,
        received_on: dt.date | None = None,
        expected_unit: str | None = None,
        via: str = "",
    ) -> IngestResult:
        """Read returned workbooks (files, folders, zips) into the ledger.

        ``received_on`` is the date the batch arrived (else each file's own time, or now;
        ``via="upload"``: the files arrive now, through camket serve);
        ``expected_unit`` is the unit whose personal link the files came through: a file
        that is not that unit's waits as *chờ xử lý*. The workspace's own files and folders
        (``out/``, ``.camket/`` …) are never taken as received files.

        >>> result = ws.ingest([Path("nhan/")], "2022-6T")
        >>> result.count("accepted"), len(result.findings)
        (24, 25)
        """
        from .ingest import Context, Limits, run_ingest

        round_ = self.round(round_id, registration=True)
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise InputError(f"Không tìm thấy: {', '.join(missing)}.")
        now = (now or dt.datetime.now()).replace(microsecond=0)
        expected = normalize_code(expected_unit) if expected_unit else ""

        def run(dry: bool) -> IngestResult:
            master = self.master_for(round_id) if dry else self._issue_if_needed(round_id, now)
            if expected:
                self.units([expected], master)  # raises on a unit the round does not have
            ctx = Context(master, self.settings, round_, self.id, self.secret, now.date(),
                          limits or Limits().for_tasks(len(master.tasks)), expected_unit=expected, strict=self.strict)
            return run_ingest(self.root, ctx, [Path(p) for p in paths], now=now, dry_run=dry,
                              keep_first=keep_first, on_progress=on_progress, processes=processes,
                              received_on=received_on, exclude=self._own_files(), via=via)

        if dry_run:
            return run(True)
        with self.lock(wait):
            return run(False)

    def _own_files(self) -> dict[Path, str]:
        """The workspace's own files and folders, never taken as received files."""
        return {
            self.root / "out": "thư mục kết quả (out)", self.root / STATE_DIR: "thư mục nội bộ của camket",
            self.root / "archive": "kho lưu tệp", self.root / LEDGER_NAME: "sổ tiếp nhận",
            self.root / ARCHIVE_NAME: "kho lưu tệp", self.root / CONFIG_NAME: "tệp cấu hình",
            self.root / MASTER_NAME: "danh mục",
            **self._own_outputs(),
        }

    def _own_outputs(self) -> dict[Path, str]:
        """What camket wrote under ``out/`` and never takes back, even from a folder named on
        purpose: the templates, feedback and consolidated workbooks, the reports (a filled
        appraisal workbook in ``out/`` is read)."""
        out = self.root / "out"
        kinds = {"*/templates": "mẫu báo cáo đã lập", "*/phan-hoi": "tệp phản hồi đã lập",
                 "*/*_tong-hop.xlsx": "bảng tổng hợp", "*/*_bao-cao.*": "báo cáo", "nam-*": "bảng thi đua",
                 "*/dang-ky": "mẫu đăng ký đã lập", "*/cap-tren": "bảng gửi cấp trên"}
        return {path: what for pattern, what in kinds.items() for path in out.glob(pattern)} if out.is_dir() else {}

    def _issue_if_needed(self, round_id: str, now: dt.datetime) -> Master:
        """The round's list; a round receiving files before its templates were issued is frozen now."""
        with Ledger(self.root, now=now) as ledger:
            frozen = self._frozen(ledger, round_id)
            if frozen is not None:
                return frozen
            master = self.master()
            issue(ledger, round_id, master, reason="ingest", now=now, previous=self.settings.previous_round(round_id))
            return master

    def submissions(self, round_id: str) -> list[Submission]:
        """Every file received for a round, with its state (accepted, pending, rejected …)."""
        self.round(round_id, registration=True)
        with self.ledger() as ledger:
            return ledger.submissions(round_id)

    def accept(self, submission_id: int, *, unit: str | None = None, now: dt.datetime | None = None,
               wait: float = 30.0) -> Submission:
        """Count this received file for its unit and round (instead of the current answer).

        ``unit`` reads the archived file again as that unit's (for a file whose claim and
        content disagree). A rejected file or one camket failed on cannot be chosen.
        """
        from .decisions import chosen_file, decide, reread

        now = (now or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait), Ledger(self.root, now=now) as ledger:
            chosen = chosen_file(ledger, submission_id)
            wanted = normalize_code(unit) if unit else chosen.unit
            if wanted != chosen.unit or not chosen.unit:
                return reread(self, ledger, chosen, wanted, now)
            return decide(ledger, chosen, "accepted", now)

    def dismiss(self, submission_id: int, *, now: dt.datetime | None = None, wait: float = 30.0) -> Submission:
        """Set a received file aside (not counted); ``accept`` undoes it."""
        from .decisions import chosen_file, decide

        now = (now or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait), Ledger(self.root, now=now) as ledger:
            return decide(ledger, chosen_file(ledger, submission_id), "dismissed", now)

    def verify(self) -> VerifyReport:
        """The ledger and the archive checked end to end (see :mod:`camket.verify`)."""
        from .verify import verify

        if needs_migration(self.root):
            self.ledger().close()
        return verify(self.root)

    def archived_file(self, submission_id: int) -> tuple[Submission, bytes]:
        """A received file as it was received, from the archive."""
        with self.ledger() as reader:
            found = reader.submission(submission_id)
        if found is None:
            raise InputError(f"Không có tệp nhận số {submission_id} trong sổ tiếp nhận.")
        with Ledger(self.root, create=False, archive=True) as ledger:
            data = ledger.archived(found.sha256)
        if data is None:
            raise InputError(f"Không còn bản lưu của tệp số {submission_id} trong kho lưu; chạy camket verify.")
        return found, data

    def export_archive(self, target: Path, round_id: str | None = None) -> list[Path]:
        """Write the received files (of a round, or all) out of the archive into ``target``."""
        from .verify import export_archive

        if round_id is not None:
            self.round(round_id)
        with self.ledger() as ledger:
            subs = ledger.submissions(round_id)
        return export_archive(self.root, Path(target), subs)

    def tasks_frame(self, round_id: str) -> pd.DataFrame:
        """One row per task of the round (pandas; columns in ``docs/api.md``)."""
        from .frames import tasks_frame

        return tasks_frame(self.reconcile(round_id))

    def units_frame(self, round_id: str) -> pd.DataFrame:
        """One row per unit of the round (pandas; columns in ``docs/api.md``)."""
        from .frames import units_frame

        return units_frame(self.reconcile(round_id))

    def findings_frame(self, round_id: str) -> pd.DataFrame:
        """One row per finding of the round's files (pandas; columns in ``docs/api.md``)."""
        from .frames import findings_frame

        return findings_frame(self.reconcile(round_id))

    def submissions_frame(self, round_id: str) -> pd.DataFrame:
        """One row per file received for the round (pandas; columns in ``docs/api.md``)."""
        from .frames import submissions_frame

        return submissions_frame(self.submissions(round_id))

    def reconcile(self, round_id: str) -> Result:
        """The round's figures from the ledger (see :mod:`camket.reconcile` for the rules).

        >>> result = ws.reconcile("2022-6T")
        >>> result.overall.sentence()
        '34/107 nhiệm vụ, tương ứng tỉ lệ 31,8%'
        """
        round_ = self.round(round_id)
        previous = self.settings.previous_round(round_id)
        with self.ledger() as ledger:
            master = self._frozen(ledger, round_id) or self.master()
            subs = ledger.submissions(round_id)
            rows = ledger.accepted_rows(round_id, raw=False)
            current = [s for s in subs if s.state == "accepted" and s.kind == "report"]
            counts = ledger.finding_counts(s.id for s in current)
            shown = [s.id for s in subs if s.state not in ("superseded", "dismissed")]
            findings = ledger.findings_of(shown)
            previous_rows = ledger.accepted_rows(previous.id, raw=False) if previous else []
            previous_master = (self._frozen(ledger, previous.id) or master) if previous else master
            appraisals = ledger.accepted_appraisals(round_id)
            adjustments = ledger.adjustments(round_id)
            across = _contradictions(ledger, master, rows, previous, previous_rows)
        warned = Counter(f.unit for f in across if f.severity is Severity.WARNING)
        for s in current:  # a cross-round warning counts with the unit's accepted file
            errors, warnings = counts.get(s.id, (0, 0))
            counts[s.id] = (errors, warnings + warned[s.unit])
        accepted = {
            s.unit: Accepted(s.id, s.unit, s.name, dt.datetime.fromisoformat(s.arrived or s.received),
                             *counts[s.id], arrived_source=s.arrived_source)
            for s in current
        }
        rejected: dict[str, int] = {}
        for s in subs:
            if s.state == "rejected" and s.unit and s.kind not in ("archive", "appraisal", "email"):
                rejected[s.unit] = rejected.get(s.unit, 0) + 1
        pending = [PendingFile(s.id, s.name, s.unit, s.claimed_unit, s.note, s.arrived)
                   for s in subs if s.state == "pending"]
        before = (previous, previous_rows, previous_master) if previous and previous_rows else None
        return reconcile(master, round_, self.settings, rows, accepted, [*findings, *across], before, rejected,
                         appraisals, pending, adjustments)

    def contradictions(self, round_id: str, unit: str | None = None) -> list[Finding]:
        """What the round's accepted answers (of one ``unit``, or all) contradict in the unit's answers
        of the previous round of its kind (:mod:`camket.consistency`); :meth:`reconcile` lists them with
        the findings of the files, recomputed each time, never stored."""
        previous = self.settings.previous_round(self.round(round_id).id)
        if previous is None:
            return []
        with self.ledger() as ledger:
            master = self._frozen(ledger, round_id) or self.master()
            rows = ledger.accepted_rows(round_id, raw=False, unit=unit)
            return _contradictions(ledger, master, rows, previous,
                                   ledger.accepted_rows(previous.id, raw=False, unit=unit))

    def report(self, round_id: str, *, pdf: bool = False, feedback: bool = True,
               generated: dt.datetime | None = None, on_progress: Progress | None = None,
               wait: float = 30.0, dated: dt.date | None = None) -> ReportFiles:
        """Write the round's outputs into ``out/<round>/`` and return their paths: the
        consolidated workbook, the Word report (and PDF), feedback workbooks for offices.
        Holds the workspace lock, so no ingest changes the ledger while it reads. The report
        is dated ``dated``, else the round's ``report_date``, else ``[report] date``, else the
        day it is made (feedback's resend deadline counts from it).

        >>> files = ws.report("2022-6T")
        >>> files.word.name, len(files.feedback)
        ('2022-6T_bao-cao.docx', 7)
        """
        from .reporting import write_report

        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait):
            return write_report(self, round_id, pdf, feedback, generated, on_progress, dated)

    def feedback(self, round_id: str, *, units: list[str] | None = None, generated: dt.datetime | None = None,
                 on_progress: Progress | None = None, wait: float = 30.0) -> tuple[Path, ...]:
        """Feedback workbooks (as :meth:`report` writes them) for every office with problems or
        no answer, or only for ``units`` (then the other offices' files are left as they are).

        >>> [p.name for p in ws.feedback("2022-6T", units=["VVHDT"])]  # a unit that never answered
        ['phan-hoi_2022-6T_VVHDT_vu-van-hoa-dan-toc.xlsx']
        """
        from .reporting import write_feedback

        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait):
            return write_feedback(self, self.reconcile(round_id), generated, on_progress, units)[0]

    def trend(self, round_id: str, current: Result | None = None) -> Trend:
        """Progress up to ``round_id``: every earlier round that has accepted reports, and this one
        (``current``, when already reconciled, is used as it is)."""
        from .reporting import progress_of

        return progress_of(self, round_id, current)

    def year(self, as_of: dt.date | None = None, basis: str | None = None) -> YearResult:
        """The year's emulation table (see :mod:`camket.report.year` for the rules)."""
        from .emulation import year_view

        return year_view(self, as_of, basis)

    def write_year(self, year: YearResult, generated: dt.datetime | None = None, *,
                   pdf: bool = False) -> tuple[Path, Path]:
        """The emulation table as a workbook and a Word report in ``out/nam-<year>/``."""
        from .reporting import write_year

        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        with self.lock():
            return write_year(self, year, generated, pdf=pdf)

    def rollup(self, round_id: str, into: Path, output: Path | None = None) -> RollupResult:
        """Fill the level above's template ``into`` from this round's results (see
        :mod:`camket.report.rollup` for the rules); written to ``out/<round>/cap-tren/``."""
        from .report.rollup import rollup

        if not Path(into).is_file():
            raise InputError(f"Không tìm thấy tệp mẫu của cấp trên: {into}.")
        result = self.reconcile(round_id)
        target = output or self.out_dir(round_id) / "cap-tren" / Path(into).name
        return rollup(Path(into), result, self.settings.agency.name, target)

    def appraise(self, round_id: str, generated: dt.datetime | None = None) -> Path:
        """The appraisal workbook of a round, for the organizing department to fill and ingest.

        >>> ws.appraise("2022-6T").name
        '2022-6T_tham-dinh.xlsx'
        """
        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        from .report import write_appraisal

        result = self.reconcile(round_id)
        path = self.out_dir(round_id) / "tham-dinh" / f"{round_id}_tham-dinh.xlsx"
        write_appraisal(path, result, self.master_for(round_id), self.settings, self.id, self.secret, generated)
        return path


def _contradictions(ledger: Ledger, master: Master, rows: list[StoredRow], previous: Round | None,
                    previous_rows: list[StoredRow]) -> list[Finding]:
    """The cross-round findings of ``rows``, at the cells of the current files."""
    found = contradictions(master, rows, previous, previous_rows) if previous is not None else []
    if not found:
        return []
    involved = {(c.row.submission_id, c.row.row) for c in found}
    files = {sid: sub.name for sid in {sid for sid, _ in involved} if (sub := ledger.submission(sid)) is not None}
    return as_findings(found, files, ledger.input_cells(involved))


def _ensure_secret(root: Path) -> bytes:
    path = root / STATE_DIR / SECRET_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, secrets.token_hex(32) + "\n")
        os.chmod(path, 0o600)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except ValueError as exc:
        raise WorkspaceError(f"Khóa bí mật {path} bị hỏng: {exc}") from exc
