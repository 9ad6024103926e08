"""Long work (templates, report, feedback, a large ingest) run in a background thread, with
its progress for the page to poll.

An error camket raises on purpose (:class:`~camket.errors.CamketError`) is shown as it
is; any other exception is camket's own fault, logged with its traceback and shown as
such, never as a problem with someone's file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CamketError

__all__ = ["Job", "Jobs"]

log = logging.getLogger("camket.web")

INTERNAL_ERROR = ("Lỗi trong chương trình camket (không phải do dữ liệu hay tệp của đơn vị). Chi tiết đã ghi "
                  "ở cửa sổ chạy camket serve; chụp lại và gửi cho người phụ trách kỹ thuật.")


@dataclass
class Job:
    """One piece of long work and how far it has got."""

    id: int
    kind: str
    round: str
    title: str
    started: dt.datetime
    state: str = "running"  # running | done | failed
    stage: str = ""
    done: int = 0
    total: int = 0
    finished: dt.datetime | None = None
    message: str = ""
    outputs: list[str] = field(default_factory=list)  # paths under the round's out/ folder
    result: Any = None

    def progress(self, done: int, total: int) -> None:
        """An ``on_progress`` callback for the library."""
        self.done, self.total = done, total

    @property
    def percent(self) -> int | None:
        return int(100 * self.done / self.total) if self.total else None


class Jobs:
    """The server's jobs, newest first; at most ``keep`` finished ones are remembered."""

    def __init__(self, keep: int = 50) -> None:
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._keep = keep

    def start(self, kind: str, round_id: str, title: str, work: Callable[[Job], None]) -> Job:
        """Run ``work(job)`` in a thread; it sets ``job.message`` and ``job.outputs``."""
        with self._lock:
            job = Job(next(self._ids), kind, round_id, title, dt.datetime.now().replace(microsecond=0))
            self._jobs[job.id] = job
            finished = [j.id for j in self._jobs.values() if j.state != "running"]
            for old in finished[: max(0, len(finished) - self._keep)]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job, work), name=f"camket-job-{job.id}", daemon=True).start()
        return job

    def _run(self, job: Job, work: Callable[[Job], None]) -> None:
        try:
            work(job)
            job.state = "done"
        except CamketError as exc:
            job.state, job.message = "failed", str(exc)
        except Exception:
            log.exception("camket serve: lỗi khi thực hiện %s", job.title)
            job.state, job.message = "failed", INTERNAL_ERROR
        finally:
            job.finished = dt.datetime.now().replace(microsecond=0)

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def of_round(self, round_id: str) -> list[Job]:
        with self._lock:
            return sorted((j for j in self._jobs.values() if j.round == round_id), key=lambda j: -j.id)

    def running(self, kind: str, round_id: str) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values()
                         if j.kind == kind and j.round == round_id and j.state == "running"), None)
