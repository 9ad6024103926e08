"""The ledger: a SQLite record of everything received and read, and an archive of the files.

- :class:`Ledger` records submissions, their rows, findings and every decision, and keeps
  the rounds' frozen lists (:mod:`.frozen`);
- :mod:`.archive` keeps each received file's bytes once, by SHA-256, in ``archive.sqlite``;
- :mod:`.db` opens the files safely and migrates older ledgers (:mod:`.migrations`).
"""

from .core import ARRIVAL_LABELS, STATE_LABELS, SUBMISSION_KEYS, Ledger, StoredRow, Submission, row_values
from .db import ARCHIVE_NAME, LEDGER_NAME, SCHEMA_VERSION, explain

__all__ = [
    "ARCHIVE_NAME",
    "ARRIVAL_LABELS",
    "LEDGER_NAME",
    "SCHEMA_VERSION",
    "STATE_LABELS",
    "SUBMISSION_KEYS",
    "Ledger",
    "StoredRow",
    "Submission",
    "explain",
    "row_values",
]
