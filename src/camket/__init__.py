"""camket: the responsibility-commitment cycle of Vietnamese state agencies.

The same operations as the command line, as a Python API::

    from camket import Workspace
    ws = Workspace.init("ws", sample="bo-2022")

Importing camket is cheap: the workspace and the stages it drives (and their libraries:
openpyxl, xlsxwriter, python-docx, matplotlib, pandas) load when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CamketError, ConfigError, InputError, LedgerBusyError, LedgerError, WorkspaceError

if TYPE_CHECKING:
    from .check import CheckReport, check_workspace
    from .model import Adjustment, Derived, Finding, Location, Master, Round, Severity, Status, Task, Unit
    from .workspace import Workspace

__all__ = [
    "Adjustment",
    "CamketError",
    "CheckReport",
    "ConfigError",
    "Derived",
    "Finding",
    "InputError",
    "LedgerBusyError",
    "LedgerError",
    "Location",
    "Master",
    "Round",
    "Severity",
    "Status",
    "Task",
    "Unit",
    "Workspace",
    "WorkspaceError",
    "check_workspace",
]

_LAZY = {"CheckReport": "check", "Workspace": "workspace", "check_workspace": "check",
         **dict.fromkeys(("Adjustment", "Derived", "Finding", "Location", "Master", "Round", "Severity", "Status",
                          "Task", "Unit"), "model")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'camket' has no attribute {name!r}")
