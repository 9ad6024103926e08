"""Files read in worker processes, their results in the order the files came.

A reader can die on a file, not only fail: the spreadsheet library is native code, and a
crash there ends the process. A dead worker must not hang or sink the batch: the files in
flight are read again, each alone in a fresh process, so the one that kills its reader is
found; it becomes camket's own error (*lỗi chương trình*, kept to be read again once camket
is fixed) and every other file of the run still counts.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import itertools
import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .. import findings as F
from ..model import Location
from .collect import Item
from .process import LOG_HINT, Context, FileResult, file_digest

__all__ = ["read_in_workers"]

Work = Callable[[Item], FileResult]
_BATCH = 4     # files a worker is given at once (one round trip for several files)
_AHEAD = 2     # batches in flight for each worker


def _batch(work: Work, items: list[Item]) -> list[FileResult]:
    """In a worker: ``work`` on each file of a batch."""
    return [work(item) for item in items]


def read_in_workers(items: Iterable[Item], ctx: Context, processes: int, work: Work,
                    initializer: Callable[[Context], None]) -> Iterator[FileResult]:
    """``work`` applied to every item by ``processes`` workers (started with ``initializer``),
    results yielded in the items' order."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)

    def pool(size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(size, mp_context=context, initializer=initializer, initargs=(ctx,))

    source = iter(items)
    workers = pool(processes)
    flight: collections.deque[tuple[list[Item], Future[list[FileResult]] | None]] = collections.deque()
    batched = functools.partial(_batch, work)
    try:
        while True:
            broken = _fill(flight, source, workers, batched, processes * _AHEAD)
            if not flight:
                return
            if not broken:
                future = flight[0][1]
                assert future is not None
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                else:
                    flight.popleft()
                    yield from results
                    continue
            # a worker died: what was in flight is read again, each file alone, unless already read
            workers.shutdown(wait=False, cancel_futures=True)
            again = list(flight)
            flight.clear()
            for batch, done in again:
                if done is not None and done.done() and not done.cancelled() and done.exception() is None:
                    yield from done.result()
                else:
                    yield from (_alone(one, pool, ctx, work) for one in batch)
            workers = pool(processes)
    finally:
        workers.shutdown(wait=False, cancel_futures=True)


def _fill(flight: collections.deque[tuple[list[Item], Future[list[FileResult]] | None]], source: Iterator[Item],
          workers: ProcessPoolExecutor, batched: Callable[[list[Item]], list[FileResult]], ahead: int) -> bool:
    """Keep ``ahead`` batches in flight; True when the pool turns out broken (the batch that could
    not be given to it is kept in flight, without a future)."""
    while len(flight) < ahead:
        batch = list(itertools.islice(source, _BATCH))
        if not batch:
            break
        try:
            flight.append((batch, workers.submit(batched, batch)))
        except BrokenProcessPool:
            flight.append((batch, None))
            return True
    return False


def _alone(item: Item, pool: Callable[[int], ProcessPoolExecutor], ctx: Context, work: Work) -> FileResult:
    solo = pool(1)
    try:
        return solo.submit(work, item).result()
    except BrokenProcessPool:
        return _died(item, ctx)
    finally:
        solo.shutdown(wait=False, cancel_futures=True)


def _died(item: Item, ctx: Context) -> FileResult:
    """The file a reader died on: camket's own error, the file kept to be read again."""
    digest, size = file_digest(item.big) if item.big else (hashlib.sha256(item.data).hexdigest(), len(item.data))
    result = FileResult(item.name, item.source, digest, size, item.mtime, item.container, findings=list(item.findings))
    result.internal_error = ("Tiến trình đọc tệp dừng đột ngột (lỗi của thư viện đọc bảng tính):\n"
                             + "".join(traceback.format_stack(limit=3)))
    result.findings.append(F.INTERNAL_ERROR(Location(item.name), error="tiến trình đọc tệp dừng đột ngột",
                                            log=LOG_HINT))
    if ctx.strict:
        raise RuntimeError(f"camket: the reader died on {item.name}")
    return result
