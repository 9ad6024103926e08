"""One exception tree for camket.

Fatal problems (no workspace, unreadable configuration, a busy ledger) are exceptions;
bad *data* is never raised but collected as findings (see :mod:`camket.model`).
The command line turns a :class:`CamketError` into its ``exit_code`` in one place.
"""

from __future__ import annotations

__all__ = [
    "CamketError",
    "ConfigError",
    "InputError",
    "LedgerBusyError",
    "LedgerError",
    "ToolMissingError",
    "WorkspaceError",
]


class CamketError(Exception):
    """Root of every error camket raises on purpose. Exit code 1: could not complete."""

    exit_code = 1


class WorkspaceError(CamketError):
    """The folder is not a workspace, or ``init`` would overwrite one."""


class ConfigError(CamketError):
    """``camket.toml`` is missing, unreadable or has errors."""


class InputError(CamketError):
    """The request itself is wrong (an unknown round or unit). Exit code 2, like a usage error."""

    exit_code = 2


class LedgerBusyError(CamketError):
    """Another camket process holds the workspace lock."""


class LedgerError(CamketError):
    """The ledger or the archive cannot be opened, read or written as it is (empty, damaged,
    not writable, from a newer camket). Never answered by creating a new ledger.

    ``file`` names the file at fault when it is known, ``detail`` says what is wrong with it
    (without the advice of the message)."""

    def __init__(self, message: str, *, file: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.file, self.detail = file, detail


class ToolMissingError(CamketError):
    """An optional external program (LibreOffice) is not installed."""
