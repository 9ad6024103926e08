"""Structure rules (``[[structure]]`` in ``camket.toml``): how many tasks of each source each
head must have — for example 3 to 5 of their own, 5 common, 1 or 2 assigned by the chairman.

Checked by ``camket check`` on the master list and by the registration on the proposed list.
Sources are matched without diacritics or case; a unit with no task at all is left to the
master list's own check (``unit-no-tasks``).

>>> rule = StructureRule("Nhiệm vụ riêng", 3, 5)
>>> master = Master((Unit("VP", "Văn phòng"),), (Task("VP-01", "VP", "Lập kế hoạch", source="Nhiệm vụ riêng"),))
>>> [f.message for f in check_structure(master, (rule,))]
['Đơn vị VP (Văn phòng) có 1 nhiệm vụ nguồn "Nhiệm vụ riêng", quy định từ 3 đến 5 nhiệm vụ']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from . import findings as F
from .config import StructureRule
from .model import Finding, Location, Master, Task, Unit
from .vi import fold_key

__all__ = ["check_structure", "count_by_source", "violations"]


def count_by_source(tasks: Sequence[Task]) -> Counter[str]:
    """How many tasks of each source (folded), for one unit."""
    return Counter(fold_key(t.source) for t in tasks)


def violations(unit: Unit, tasks: Sequence[Task], rules: Sequence[StructureRule]) -> list[tuple[StructureRule, int]]:
    """The rules ``unit``'s ``tasks`` break, with the count found."""
    counts = count_by_source(tasks)
    found = []
    for rule in rules:
        if rule.block and fold_key(rule.block) != fold_key(unit.block):
            continue
        n = counts.get(fold_key(rule.source), 0)
        if (rule.minimum is not None and n < rule.minimum) or (rule.maximum is not None and n > rule.maximum):
            found.append((rule, n))
    return found


def check_structure(master: Master, rules: Sequence[StructureRule], where: Location | None = None,
                    units: Sequence[str] | None = None) -> list[Finding]:
    """Every violation of ``rules`` by the units of ``master`` (or only ``units``), at ``where``
    (the master list's task sheet by default); a rule whose source no task has is a warning."""
    if not rules:
        return []
    where = where or Location("danh-muc.xlsx", "Nhiệm vụ")
    findings: list[Finding] = []
    known = {fold_key(t.source): t.source for t in master.tasks if t.source}
    for rule in rules:
        if fold_key(rule.source) not in known:
            findings.append(F.STRUCTURE_SOURCE_UNKNOWN(
                Location("camket.toml", line=rule.line), source=rule.source, line=rule.line,
                known=", ".join(sorted(known.values())) or "(chưa có)"))
    wanted = set(units) if units is not None else None
    for unit in master.units:
        tasks = master.tasks_of(unit.code)
        if not tasks or (wanted is not None and unit.code not in wanted):
            continue
        for rule, n in violations(unit, tasks, rules):
            findings.append(F.STRUCTURE_VIOLATION(
                where, unit=unit.code, name=unit.name, count=n, source=rule.source, allowed=rule.allowed,
                line=rule.line))
    return findings
