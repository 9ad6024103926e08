"""camket: the responsibility-commitment cycle of Vietnamese state agencies.

The same operations as the command line, as a Python API::

    from camket import Workspace
    ws = Workspace.init("ws", sample="bo-2022")
"""

from .errors import CamketError, ConfigError, InputError, LedgerBusyError, WorkspaceError
from .model import Derived, Finding, Location, Master, Round, Severity, Status, Task, Unit
from .workspace import CheckReport, Workspace, check_workspace

__all__ = [
    "CamketError",
    "CheckReport",
    "ConfigError",
    "Derived",
    "Finding",
    "InputError",
    "LedgerBusyError",
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
