"""Colours shared by the workbook's native charts and the Word report's pictures, so a
reader who has both sees the same thing in the same colour."""

from __future__ import annotations

from ..model import Derived

__all__ = ["BAR", "CLASS_COLOURS", "MISSING", "NO_DUE"]

BAR = "#2E75B6"        # completion rate
MISSING = "#C00000"    # units that did not report (labels, red rows)
NO_DUE = "#7F7F7F"     # units with no task due yet (interim rounds)
CLASS_COLOURS = {
    Derived.DONE_ON_TIME: "#2E7D32", Derived.DONE_LATE: "#81C784", Derived.IN_PROGRESS_ON_TIME: "#1565C0",
    Derived.IN_PROGRESS_OVERDUE: "#EF6C00", Derived.NOT_STARTED: "#9E9E9E", Derived.NOT_DONE: "#6D4C41",
    Derived.NOT_REPORTED: "#C62828",
}
