"""What the web application holds while it runs: the workspace (reopened when its
configuration or master list changes), the guard, the jobs, and the one door through
which uploads reach the ledger."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import anyio.to_thread

from ..errors import CamketError, LedgerBusyError
from ..ingest import IngestResult
from ..workspace import CONFIG_NAME, MASTER_NAME, Workspace
from .jobs import Job, Jobs
from .security import Guard
from .uploads import MB, Upload, UploadLimits

log = logging.getLogger("camket.web")

__all__ = ["BUSY", "Site", "WebConfig"]

BUSY = ("Hệ thống đang bận (đang lập báo cáo hoặc tiếp nhận tệp khác) nên tệp chưa được nhận. "
        "Vui lòng gửi lại sau ít phút.")


@dataclass(frozen=True)
class WebConfig:
    """How ``camket serve`` behaves; the defaults are those of the command."""

    token: str
    base_url: str = ""                # where offices reach the server (default: [web] base_url, else the request's)
    upload: UploadLimits = field(default_factory=UploadLimits)
    office_upload: UploadLimits = field(default_factory=lambda: UploadLimits(max_files=20,
                                                                             max_request_bytes=200 * MB))
    upload_wait: float = 120.0        # seconds an upload waits for the workspace lock, then says busy
    job_wait: float = 900.0           # the same for templates, report and feedback
    upload_dir: Path | None = None    # where uploads wait for ingest (default: the system's temporary folder)


class Site:
    """The server's state, shared by every request."""

    def __init__(self, root: Path, config: WebConfig) -> None:
        self.root = Path(root)
        self.config = config
        self.guard = Guard(config.token)
        self.jobs = Jobs()
        self._writes = threading.Lock()
        self._gate = anyio.Lock()  # uploads from requests wait here, in the event loop, not in a thread
        self._open = threading.Lock()
        self._cached: tuple[tuple[int, ...], Workspace] | None = None

    def _stamp(self) -> tuple[int, ...]:
        out: list[int] = []
        for name in (CONFIG_NAME, MASTER_NAME):
            try:
                stat = (self.root / name).stat()
                out += [stat.st_mtime_ns, stat.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def workspace(self) -> Workspace:
        """The workspace, opened again whenever ``camket.toml`` or ``danh-muc.xlsx`` changed."""
        stamp = self._stamp()
        with self._open:
            if self._cached is None or self._cached[0] != stamp:
                self._cached = (stamp, Workspace.open(self.root))
            return self._cached[1]

    def upload_folder(self) -> Path:
        """A new folder for one request's files, outside the workspace (whose own folders ingest
        never reads), removed once the files are in the archive."""
        parent = self.config.upload_dir or Path(tempfile.gettempdir())
        return parent / f"camket-tai-len-{dt.datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}"

    def ingest(self, paths: list[Path], round_id: str, *, expected_unit: str | None = None,
               received_on: dt.date | None = None, job: Job | None = None) -> IngestResult:
        """Ingest received files through the library, one request at a time in this server
        (and taking turns with CLI commands through the workspace lock); raises
        :class:`~camket.errors.LedgerBusyError` when the workspace stays busy too long."""
        wait = self.config.upload_wait
        deadline = time.monotonic() + wait
        if not self._writes.acquire(timeout=wait):
            raise LedgerBusyError(BUSY)
        try:
            ws = self.workspace()
            left = max(1.0, deadline - time.monotonic())
            on_progress = job.progress if job is not None else None
            return ws.ingest(paths, round_id, wait=left, processes=1, on_progress=on_progress,
                             expected_unit=expected_unit, received_on=received_on,
                             via="" if received_on else "upload")
        finally:
            self._writes.release()

    def ingest_upload(self, upload: Upload, round_id: str, *, expected_unit: str | None = None,
                      received_on: dt.date | None = None, job: Job | None = None) -> IngestResult:
        """:meth:`ingest` the files of an upload, then remove them (they are in the archive).
        When camket itself fails, the files are kept under ``.camket/tai-len-loi/`` and the
        error is logged, so nothing an office sent is lost."""
        try:
            result = self.ingest(upload.files, round_id, expected_unit=expected_unit, received_on=received_on, job=job)
        except CamketError:
            upload.remove()
            raise
        except Exception:
            kept = self.root / ".camket" / "tai-len-loi" / upload.folder.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(upload.folder, kept)
            log.exception("camket serve: lỗi khi tiếp nhận %d tệp (giữ lại tại %s)", len(upload.files), kept)
            raise
        upload.remove()
        return result

    async def take_in(self, upload: Upload, round_id: str, *, expected_unit: str | None = None) -> IngestResult:
        """:meth:`ingest_upload` for a request: uploads queue in the event loop (holding no
        worker thread while a report keeps the workspace busy) and go in one at a time."""
        try:
            with anyio.fail_after(self.config.upload_wait):
                await self._gate.acquire()
        except TimeoutError:
            upload.remove()
            raise LedgerBusyError(BUSY) from None
        try:
            return await anyio.to_thread.run_sync(
                lambda: self.ingest_upload(upload, round_id, expected_unit=expected_unit))
        finally:
            self._gate.release()
