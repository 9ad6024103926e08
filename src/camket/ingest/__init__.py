"""Ingest: read every returned file into the ledger, with findings, never losing one.

- :func:`run_ingest` runs one ingest over files, folders and zip archives;
- :func:`process` reads one received file (pure: no ledger, no archive);
- :class:`Limits` bounds sizes, ratios and counts against hostile input.
"""

from .collect import Item, collect, plan
from .limits import Limits
from .process import Context, FileResult, process
from .rows import RowRecord
from .run import FileOutcome, IngestResult, run_ingest

__all__ = [
    "Context",
    "FileOutcome",
    "FileResult",
    "IngestResult",
    "Item",
    "Limits",
    "RowRecord",
    "collect",
    "plan",
    "process",
    "run_ingest",
]
