"""``camket check``: the configuration and the master list validated, and which issued rounds'
lists differ from the master list. Never raises on bad content: everything is a finding.

>>> check_workspace(Path("ws")).errors
[]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import findings as F
from .config import Settings, read_config
from .errors import WorkspaceError
from .ledger import LEDGER_NAME, Ledger
from .ledger.db import needs_migration
from .model import Finding, Location, Master, Severity
from .rounds import differences

__all__ = ["CheckReport", "check_workspace"]

CONFIG_NAME = "camket.toml"
MASTER_NAME = "danh-muc.xlsx"


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
        from .structure import check_structure

        findings += tuple(check_structure(master.master, config.settings.structure, Location("danh-muc.xlsx",
                                                                                          "Nhiệm vụ")))
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
