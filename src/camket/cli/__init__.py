"""The command line: a thin layer over :class:`camket.Workspace` (the only click code).

Every command parses options, calls one library function and renders the result (texts in
:mod:`camket.terminal`). Errors become exit codes in one place (:class:`common._Cli`): 0 done,
1 could not complete, 2 usage error, 3 done but the data has error-severity findings.
The commands are grouped by what they serve: :mod:`.setup`, :mod:`.round`, :mod:`.received`,
:mod:`.year`, :mod:`.web`.
"""

from . import received, round, setup, web, year  # noqa: F401  (each module adds its commands)
from .common import EXIT_DATA_ERRORS, cli, main

__all__ = ["EXIT_DATA_ERRORS", "cli", "main"]
