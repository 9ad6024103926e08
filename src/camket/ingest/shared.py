"""One workbook for several units: a table (not a signed template) holding the rows of several
units, as when the Văn phòng sends the board members' results in one sheet.

A unit is *covered* when the table holds at least half of its tasks (by task code); a file
covering two units or more counts for each of them, each reading only its own rows (one
submission per unit, the same archived bytes). Rows of units it does not cover, rows with
a code of no unit and rows without a code are counted for nobody, each with a finding.
"""

from __future__ import annotations

from collections import Counter

from xlsxwriter.utility import xl_rowcol_to_cell

from .. import findings as F
from ..model import Finding, Location, Master
from ..values import text_of
from ..vi import normalize_code
from .identify import Table, owners

__all__ = ["covered_units", "unattributed", "unit_table"]


def covered_units(table: Table, master: Master) -> list[str]:
    """The units holding at least half of their tasks in ``table``, in master-list order."""
    found: Counter[str] = owners(table, master)
    order = {u.code: i for i, u in enumerate(master.units)}
    covered = [code for code, n in found.items() if n * 2 >= len(master.tasks_of(code)) > 0]
    return sorted(covered, key=lambda c: order.get(c, len(order)))


def _code(table: Table, row: list[object]) -> str:
    column = table.columns.get("task_code")
    return normalize_code(text_of(row[column])) if column is not None and column < len(row) else ""


def _owner(table: Table, row: list[object], master: Master) -> str:
    task = master.task(_code(table, row))
    return task.unit if task is not None else ""


def unit_table(table: Table, unit: str, master: Master) -> Table:
    """``table`` with only ``unit``'s rows (the others left blank, so cells keep their place)."""
    rows = [row if index <= table.header or _owner(table, row, master) == unit else []
            for index, row in enumerate(table.rows)]
    return Table(table.sheet, rows, table.header, table.columns)


def unattributed(table: Table, master: Master, covered: list[str], file: str) -> list[Finding]:
    """A finding for each filled row counted for no unit."""
    findings: list[Finding] = []
    column = table.columns.get("task_code", 0)
    inputs = [c for k, c in table.columns.items() if k in ("status", "progress", "result", "completed_on")]
    for index in range(table.header + 1, len(table.rows)):
        row = table.rows[index]
        if not any(c < len(row) and text_of(row[c]) for c in inputs):
            continue
        code = _code(table, row)
        task = master.task(code) if code else None
        if task is not None and task.unit in covered:
            continue
        where = Location(file, table.sheet, xl_rowcol_to_cell(index, column))
        if task is not None:
            reason = (f"nhiệm vụ của đơn vị {task.unit}, nhưng tệp có quá ít nhiệm vụ của đơn vị này "
                      f"({len(master.tasks_of(task.unit))} nhiệm vụ trong danh sách)")
        elif code:
            reason = "mã nhiệm vụ không có trong danh mục"
        else:
            reason = "dòng không có mã nhiệm vụ"
        findings.append(F.MULTI_UNIT_ROW_UNCOUNTED(where, task=code, row=index + 1, code=code or "(trống)",
                                                   reason=reason))
    return findings
