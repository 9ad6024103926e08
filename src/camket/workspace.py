"""A workspace: a folder with ``camket.toml``, ``danh-muc.xlsx``, the ledger, the
archive of received files and ``out/``. :class:`Workspace` ties the stages to it.

>>> so = Workspace.init(Path("so"), sample="so-2023")
>>> check_workspace(Path("so")).errors
[]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import findings as F
from .atomic import write_text_atomic
from .config import Settings, read_config
from .errors import ConfigError, InputError, LedgerBusyError, WorkspaceError
from .ledger import LEDGER_NAME, Ledger, Submission
from .ledger.db import ARCHIVE_NAME, needs_migration
from .ledger.frozen import diff
from .links import link_path
from .model import Adjustment, Finding, Location, Master, Round, Severity, Unit
from .reconcile import Accepted, PendingFile, Result, Trend, reconcile, trend
from .rounds import differences, issue
from .verify import VerifyReport, export_archive, verify
from .vi import normalize_code

if TYPE_CHECKING:  # the stages below load their libraries (openpyxl, xlsxwriter, docx …) when used
    import pandas as pd

    from .ingest import IngestResult, Limits
    from .master import MasterRead
    from .report.rollup import RollupResult
    from .templates import Progress, TemplateJob, TemplatesResult

__all__ = ["CONFIG_NAME", "MASTER_NAME", "CheckReport", "Workspace", "check_workspace"]

log = logging.getLogger("camket.workspace")

CONFIG_NAME = "camket.toml"
MASTER_NAME = "danh-muc.xlsx"
STATE_DIR = ".camket"
SECRET_NAME = "secret.key"

_BLANK_CONFIG = """\
# Cấu hình camket: điền thông tin của cơ quan rồi chạy "camket check".
[agency]                      # cơ quan ban hành báo cáo
name = "Tên cơ quan"
parent = ""                   # cơ quan chủ quản (nếu có)
short = "VIETTAT"             # chữ viết tắt trong số ký hiệu: Số: .../BC-VIETTAT
place = "Hà Nội"

[programme]
title = "Cam kết thực hiện nhiệm vụ trọng tâm năm {year}"
year = {year}

[[round]]                     # mỗi kỳ báo cáo một bảng [[round]]
id = "{year}-6T"
name = "6 tháng đầu năm {year}"
as_of = {year}-06-30          # ngày chốt số liệu
due = {year}-07-05            # hạn các đơn vị gửi báo cáo

[signer]
title = "THỦ TRƯỞNG CƠ QUAN"
deputy_title = ""             # ví dụ "THỨ TRƯỞNG" khi cấp phó ký thay (KT.)
name = "Họ và tên"

[contact]                     # nơi nhận lại mẫu báo cáo
unit = ""
email = ""
phone = ""
"""


@dataclass(frozen=True)
class ReportFiles:
    """What ``camket report`` wrote."""

    result: Result
    consolidated: Path
    word: Path
    pdf: Path | None = None
    feedback: tuple[Path, ...] = ()
    feedback_list: Path | None = None


@dataclass(frozen=True)
class CheckReport:
    """What ``camket check`` found in the configuration and the master list."""

    findings: tuple[Finding, ...]
    units: int = 0
    tasks: int = 0
    rounds: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


class Workspace:
    """An opened workspace with valid settings. Use :meth:`open` or :meth:`init`."""

    strict = False  # let camket's own errors on a received file raise (tests), instead of recording them

    def __init__(self, root: Path, settings: Settings, config_findings: tuple[Finding, ...] = ()):
        self.root = root
        self.settings = settings
        self.config_findings = config_findings

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
        from .samples import load_sample

        if sample:
            data = load_sample(sample)
            write_text_atomic(root / CONFIG_NAME, data.config_text)
            write_master(root / MASTER_NAME, data.units, data.tasks)
        else:
            write_text_atomic(root / CONFIG_NAME, _BLANK_CONFIG.format(year=dt.date.today().year))
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
    def round(self, round_id: str) -> Round:
        found = self.settings.round(round_id)
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
        self.round(round_id)
        with self.ledger() as ledger:
            frozen = ledger.frozen_master(round_id)
        return frozen if frozen is not None else self.master()

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
        from .templates import TemplateJob, template_filename

        round_ = self.round(round_id)
        master = master or self.master_for(round_id)
        chosen = self.units(units, master)
        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        prefill = self._prefill(prefill_from, [u.code for u in chosen]) if prefill_from else {}
        folder = self.out_dir(round_.id) / "templates"
        base = self.settings.base_url
        return [
            TemplateJob(
                path=folder / template_filename(round_.id, unit), unit=unit,
                tasks=master.tasks_of(unit.code), round=round_, settings=self.settings,
                workspace_id=self.id, secret=self.secret, generated=generated,
                prefill={k: v for k, v in prefill.get(unit.code, {}).items() if k != "+"},
                added=tuple(cast(dict[str, Any], v) for v in prefill.get(unit.code, {}).get("+", {}).values()),
                link=base + link_path(self.secret, self.id, round_.id, unit.code) if base else "",
            )
            for unit in chosen
        ]

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
        from .templates import TemplatesResult, run_jobs, write_bundle

        round_ = self.round(round_id)
        now = dt.datetime.now().replace(microsecond=0)
        with self.lock(wait):
            with Ledger(self.root, now=now) as ledger:
                frozen = ledger.frozen_master(round_id)
            current = self.master() if frozen is None or reissue else None
            master = current if current is not None else frozen
            assert master is not None
            jobs = self.template_jobs(round_id, units, prefill_from, generated, master=master)
            stamps = run_jobs(jobs, on_progress)
            files = [job.path for job in jobs]
            folder = self.out_dir(round_.id) / "templates"
            subject = f"Báo cáo kết quả thực hiện nhiệm vụ cam kết {round_.name}"
            zip_path, mailing = write_bundle(
                folder, round_, [job.unit for job in jobs], files, subject, f"{round_.id}_mau-bao-cao.zip",
                f"{round_.id}_danh-sach-gui.xlsx")
            with Ledger(self.root, now=now) as ledger, ledger.transaction():
                changes: list[Adjustment] = []
                if current is not None:
                    changes = issue(ledger, round_id, current, reason="reissue" if frozen else "templates", now=now,
                                    previous=self.settings.previous_round(round_id))
                ledger.add_issued(round_id, [(_sha256(p), job.unit.code, p.name) for job, p in zip(jobs, files,
                                                                                                  strict=True)])
        log.info("Lập %d mẫu kỳ %s%s", len(files), round_id,
                 f" (phát hành lại, {len(changes)} điều chỉnh)" if reissue and frozen is not None else "")
        not_applied: list[Adjustment] = []
        if current is None and frozen is not None and self.master_read.master.tasks:
            not_applied = diff(frozen, self.master_read.master, round_id, now, "danh mục hiện hành")
        return TemplatesResult(round_, tuple(files), tuple(stamps), zip_path, mailing, tuple(changes),
                               tuple(not_applied))

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

        round_ = self.round(round_id)
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise InputError(f"Không tìm thấy: {', '.join(missing)}.")
        now = (now or dt.datetime.now()).replace(microsecond=0)
        expected = normalize_code(expected_unit) if expected_unit else ""

        def run(dry: bool) -> IngestResult:
            master = self.master_for(round_id) if dry else self._issue_if_needed(round_id, now)
            if expected:
                self.units([expected], master)  # raises on a unit the round does not have
            ctx = Context(master, self.settings, round_, self.id, self.secret, now.date(), limits or Limits(),
                          expected_unit=expected, strict=self.strict)
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
        }

    def _issue_if_needed(self, round_id: str, now: dt.datetime) -> Master:
        """The round's list; a round receiving files before its templates were issued is frozen now."""
        with Ledger(self.root, now=now) as ledger:
            frozen = ledger.frozen_master(round_id)
            if frozen is not None:
                return frozen
            master = self.master()
            issue(ledger, round_id, master, reason="ingest", now=now, previous=self.settings.previous_round(round_id))
            return master

    def submissions(self, round_id: str) -> list[Submission]:
        """Every file received for a round, with its state (accepted, pending, rejected …)."""
        self.round(round_id)
        with self.ledger() as ledger:
            return ledger.submissions(round_id)

    def accept(self, submission_id: int, *, unit: str | None = None, now: dt.datetime | None = None,
               wait: float = 30.0) -> Submission:
        """Count this received file for its unit and round (instead of the current answer).

        ``unit`` reads the archived file again as that unit's (for a file whose claim and
        content disagree). A rejected file or one camket failed on cannot be chosen.
        """
        from .decisions import decide

        now = (now or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait), Ledger(self.root, now=now) as ledger:
            chosen = self._chosen(ledger, submission_id)
            wanted = normalize_code(unit) if unit else chosen.unit
            if wanted != chosen.unit or not chosen.unit:
                return self._reread(ledger, chosen, wanted, now)
            return decide(ledger, chosen, "accepted", now)

    def dismiss(self, submission_id: int, *, now: dt.datetime | None = None, wait: float = 30.0) -> Submission:
        """Set a received file aside (not counted); ``accept`` undoes it."""
        from .decisions import decide

        now = (now or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait), Ledger(self.root, now=now) as ledger:
            chosen = self._chosen(ledger, submission_id)
            return decide(ledger, chosen, "dismissed", now)

    def _chosen(self, ledger: Ledger, submission_id: int) -> Submission:
        chosen = ledger.submission(submission_id)
        if chosen is None:
            raise InputError(f"Không có tệp nhận số {submission_id} trong sổ tiếp nhận.")
        if chosen.state in ("rejected", "unpacked", "error") or chosen.kind not in ("report", "appraisal"):
            raise InputError(
                f"Tệp số {submission_id} ({chosen.name}) không thể chọn (trạng thái: {chosen.state_label}"
                f"{'; ' + chosen.note if chosen.note else ''}). Đơn vị cần gửi lại tệp đúng.")
        return chosen

    def _reread(self, ledger: Ledger, chosen: Submission, unit: str, now: dt.datetime) -> Submission:
        """Read an archived file again as ``unit``'s and count it (a new record; the old one stays)."""
        master = self.master_for(chosen.round)
        if master.unit(unit) is None:
            raise InputError(f"Không có đơn vị mã {unit} trong danh sách của kỳ {chosen.round}.")
        data = ledger.archived(chosen.sha256)
        if data is None:
            raise InputError(f"Không còn bản lưu của tệp số {chosen.id} trong kho lưu; chạy camket verify.")
        from .decisions import reread

        return reread(self, ledger, chosen, data, unit, master, now)

    def verify(self) -> VerifyReport:
        """The ledger and the archive checked end to end (see :mod:`camket.verify`)."""
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
            master = ledger.frozen_master(round_id) or self.master()
            subs = ledger.submissions(round_id)
            rows = ledger.accepted_rows(round_id, raw=False)
            current = [s for s in subs if s.state == "accepted" and s.kind == "report"]
            counts = ledger.finding_counts(s.id for s in current)
            shown = [s.id for s in subs if s.state not in ("superseded", "dismissed")]
            findings = ledger.findings_of(shown)
            previous_rows = ledger.accepted_rows(previous.id, raw=False) if previous else []
            previous_master = (ledger.frozen_master(previous.id) or master) if previous else master
            appraisals = ledger.accepted_appraisals(round_id)
            adjustments = ledger.adjustments(round_id)
        accepted = {
            s.unit: Accepted(s.id, s.unit, s.name, dt.datetime.fromisoformat(s.arrived or s.received),
                             *counts.get(s.id, (0, 0)), arrived_source=s.arrived_source)
            for s in current
        }
        rejected: dict[str, int] = {}
        for s in subs:
            if s.state == "rejected" and s.unit and s.kind not in ("archive", "appraisal"):
                rejected[s.unit] = rejected.get(s.unit, 0) + 1
        pending = [PendingFile(s.id, s.name, s.unit, s.claimed_unit, s.note, s.arrived)
                   for s in subs if s.state == "pending"]
        before = (previous, previous_rows, previous_master) if previous and previous_rows else None
        return reconcile(master, round_, self.settings, rows, accepted, findings, before, rejected, appraisals,
                         pending, adjustments)

    def report(self, round_id: str, *, pdf: bool = False, feedback: bool = True,
               generated: dt.datetime | None = None, on_progress: Progress | None = None,
               wait: float = 30.0) -> ReportFiles:
        """Write the round's outputs into ``out/<round>/`` and return their paths: the
        consolidated workbook, the Word report (and PDF), feedback workbooks for offices.
        Holds the workspace lock, so no ingest changes the ledger while it reads.

        >>> files = ws.report("2022-6T")
        >>> files.word.name, len(files.feedback)
        ('2022-6T_bao-cao.docx', 7)
        """
        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait):
            return self._report(round_id, pdf, feedback, generated, on_progress)

    def feedback(self, round_id: str, *, units: list[str] | None = None, generated: dt.datetime | None = None,
                 on_progress: Progress | None = None, wait: float = 30.0) -> tuple[Path, ...]:
        """Feedback workbooks (as :meth:`report` writes them) for every office with problems or
        no answer, or only for ``units`` (then the other offices' files are left as they are).

        >>> [p.name for p in ws.feedback("2022-6T", units=["VVHDT"])]  # a unit that never answered
        ['phan-hoi_2022-6T_VVHDT_vu-van-hoa-dan-toc.xlsx']
        """
        generated = (generated or dt.datetime.now()).replace(microsecond=0)
        with self.lock(wait):
            return self._feedback(self.reconcile(round_id), generated, on_progress, units)[0]

    def _report(self, round_id: str, pdf: bool, feedback: bool, generated: dt.datetime,
                on_progress: Progress | None) -> ReportFiles:
        from .report import to_pdf, write_consolidated, write_word

        result = self.reconcile(round_id)
        folder = self.out_dir(round_id)
        master = self.master_for(round_id)
        progress = self.trend(round_id, result)
        consolidated = write_consolidated(folder / f"{round_id}_tong-hop.xlsx", result, master,
                                          self.settings, generated, progress)
        template = self.settings.report.docx_template
        if template is not None and not template.is_absolute():
            template = self.root / template
        if template is not None and not template.is_file():
            raise ConfigError(f"Không tìm thấy mẫu văn bản {template} ([report] docx_template trong {CONFIG_NAME}).")
        word = write_word(folder / f"{round_id}_bao-cao.docx", result, master, self.settings, generated, template,
                          progress)
        log.info("Báo cáo kỳ %s: %s, %s", round_id, consolidated.name, word.name)
        pdf_path = to_pdf(word) if pdf else None
        sent: tuple[Path, ...] = ()
        mailing = None
        if feedback:
            sent, mailing = self._feedback(result, generated, on_progress)
        return ReportFiles(result, consolidated, word, pdf_path, sent, mailing)

    def _feedback(self, result: Result, generated: dt.datetime, on_progress: Progress | None,
                  units: list[str] | None = None) -> tuple[tuple[Path, ...], Path | None]:
        from .report import feedback_jobs
        from .report.dates import report_date, resend_deadline
        from .templates import run_jobs, template_filename, write_bundle

        round_id = result.round.id
        folder = self.out_dir(round_id) / "phan-hoi"
        base = [replace(job, path=folder / template_filename(round_id, job.unit, prefix="phan-hoi_"))
                for job in self.template_jobs(round_id, units, generated=generated)]
        for old in folder.glob("*.xlsx") if units is None else (job.path for job in base):
            old.unlink(missing_ok=True)
        with self.ledger() as ledger:
            rows = ledger.accepted_rows(round_id)
        contact = self.settings.contact
        jobs = feedback_jobs(result, base, rows, result.findings, report_date(self.settings, generated),
                             resend_deadline(self.settings, generated), contact.email or contact.unit)
        run_jobs([f.job for f in jobs], on_progress)
        if not jobs or units is not None:  # one office's file: the bundle stays as the report left it
            return tuple(f.job.path for f in jobs), None
        subject = f"Phản hồi báo cáo kết quả thực hiện nhiệm vụ cam kết {result.round.name}"
        _, mailing = write_bundle(folder, result.round, [f.job.unit for f in jobs], [f.job.path for f in jobs],
                                  subject, f"{round_id}_phan-hoi.zip", f"{round_id}_danh-sach-gui-phan-hoi.xlsx",
                                  [f.deadline for f in jobs], [f.case for f in jobs])
        return tuple(f.job.path for f in jobs), mailing

    def trend(self, round_id: str, current: Result | None = None) -> Trend:
        """Progress up to ``round_id``: every earlier round that has accepted reports, and this one
        (``current``, when already reconciled, is used as it is)."""
        this = self.round(round_id)
        with self.ledger() as ledger:
            with_data = {s.round for s in ledger.submissions() if s.state == "accepted" and s.kind == "report"}
        rounds = sorted((r for r in self.settings.rounds if r.as_of <= this.as_of
                         and (r.id in with_data or r.id == this.id)), key=lambda r: r.as_of)
        return trend([current if current is not None and r.id == round_id else self.reconcile(r.id)
                      for r in rounds])

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

    def _prefill(self, round_id: str, units: list[str]) -> dict[str, dict[str, dict[str, object]]]:
        """Accepted answers of an earlier round, by unit and task (added tasks under "+")."""
        self.round(round_id)
        wanted = set(units)
        out: dict[str, dict[str, dict[str, object]]] = {}
        with self.ledger() as ledger:
            for row in ledger.accepted_rows(round_id):
                if row.unit not in wanted:
                    continue
                answer = {key: value for key, value in row.answer().items() if value not in (None, "")}
                if row.kind == "task":
                    out.setdefault(row.unit, {})[row.task] = answer
                else:
                    added = {**answer, "task_code": row.task, "content": row.content, "product": row.product,
                             "deadline": row.deadline}
                    out.setdefault(row.unit, {}).setdefault("+", {})[str(len(out[row.unit]["+"]))] = added
        return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def check_workspace(root: Path) -> CheckReport:
    """Validate ``camket.toml`` and ``danh-muc.xlsx``, and say which issued rounds' lists differ
    from the master list; never raises on bad content."""
    root = Path(root)
    if not (root / CONFIG_NAME).is_file():
        raise WorkspaceError(
            f"{root.resolve()} không phải thư mục làm việc của camket (không có {CONFIG_NAME})."
        )
    from .master import read_master

    config = read_config(root / CONFIG_NAME)
    year = config.settings.year if config.settings else None
    master = read_master(root / MASTER_NAME, year)
    findings = config.findings + master.findings
    if config.settings is not None and not any(f.severity is Severity.ERROR for f in master.findings):
        findings += tuple(_issued_rounds_differ(root, config.settings, master.master))
    return CheckReport(
        findings=findings,
        units=len(master.master.units),
        tasks=len(master.master.tasks),
        rounds=len(config.settings.rounds) if config.settings else 0,
    )


def _issued_rounds_differ(root: Path, settings: Settings, master: Master) -> list[Finding]:
    if needs_migration(root):
        return []  # the first writing command migrates the ledger; check never writes
    with Ledger(root, create=False) as ledger:
        found = differences(ledger, master, settings.rounds, dt.datetime.now().replace(microsecond=0))
    return [
        F.ROUND_DIFFERS_FROM_MASTER(Location(LEDGER_NAME), round=round_id, count=len(changes),
                                    examples="; ".join(c.label for c in changes[:3]) + ("; …" if len(changes) > 3
                                                                                       else ""))
        for round_id, changes in found.items()
    ]
