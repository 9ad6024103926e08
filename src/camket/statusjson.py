"""The figures of ``camket status --json``: stable keys, documented in docs/api.md.

The first keys (round, units, tasks, by_group, by_block, heads_completed_all, pending,
adjustments, findings, sentences) never change; later additions only add keys. Figures on
the round's basis (``basis``: the tasks due in an interim round, all tasks otherwise) are
those the Word report states; ``due_tasks`` counts the tasks due by the reporting date in
every round.
"""

from __future__ import annotations

from typing import Any

from .reconcile import BANDS, NOT_RATED, UNSCORED, Result, Totals, UnitResult
from .targets import TargetCounts

__all__ = ["status_json", "targets_json", "totals_json"]


def totals_json(t: Totals) -> dict[str, Any]:
    """Tasks by class; ``completion_rate`` in percent (None when there is no task)."""
    return {
        "total": t.total, "completed": t.completed, "completed_on_time": t.done_on_time,
        "completed_late": t.done_late, "in_progress": t.in_progress, "in_progress_on_time": t.in_progress_on_time,
        "in_progress_overdue": t.in_progress_overdue, "not_started": t.not_started, "not_done": t.not_done,
        "not_reported": t.not_reported, "completion_rate": float(t.rate) if t.total else None,
    }


def targets_json(t: TargetCounts) -> dict[str, int]:
    """Tasks with a numeric target; of those reported done, how many reached it, fell short, gave no value."""
    return {"numeric": t.numeric, "reported_done": t.done, "met": t.met, "not_met": t.not_met,
            "no_value": t.no_value}


def _first_keys(r: Result) -> dict[str, Any]:
    o = r.overall
    return {
        "round": r.round.id,
        "as_of": r.round.as_of.isoformat(),
        "due": r.round.due.isoformat(),
        "units": {
            "expected": len(r.heads),
            "answered": sum(1 for u in r.heads if u.answered),
            "missing": [u.unit.code for u in r.missing],
            "late": [u.unit.code for u in r.late],
        },
        "tasks": {
            "total": o.total, "completed": o.completed, "completed_on_time": o.done_on_time,
            "completed_late": o.done_late, "in_progress": o.in_progress,
            "in_progress_on_time": o.in_progress_on_time, "in_progress_overdue": o.in_progress_overdue,
            "not_started": o.not_started, "not_done": o.not_done, "not_reported": o.not_reported,
            "completion_rate": float(o.rate),
        },
        "by_group": {name: {"total": t.total, "completed": t.completed} for name, t in r.by_group.items()},
        "by_block": {name: {"total": t.total, "completed": t.completed} for name, t in r.by_block.items()},
        "heads_completed_all": r.heads_all_done,
        "pending": [{"id": p.id, "file": p.name, "unit": p.unit, "claimed_unit": p.claimed_unit,
                     "reason": p.reason} for p in r.pending],
        "adjustments": len(r.adjustments),
        "findings": {k: v for k, v in r.severity_counts().items() if k != "info"},
        "sentences": {"completed": o.sentence(), "heads": r.heads_sentence()},
    }


def _ratings(r: Result) -> dict[str, Any]:
    """Heads per rating as the outputs show it, every configured rating listed."""
    counts = dict.fromkeys((*r.rating_labels, UNSCORED, NOT_RATED), 0)
    for u in r.heads:
        shown = r.rating_shown(u)
        counts[shown] = counts.get(shown, 0) + 1
    return {"source": "appraised" if r.appraised else "self_score", "counts": counts}


def _unit(r: Result, u: UnitResult, band: str, due: Totals) -> dict[str, Any]:
    s = u.submission
    return {
        "code": u.unit.code, "name": u.unit.name, "block": u.unit.block, "head": u.unit.head,
        "answered": u.answered, "late": u.late, "arrived": s.submitted.isoformat() if s else None,
        "tasks": totals_json(u.totals), "due_tasks": totals_json(due), "overdue": u.overdue,
        "band": band, "points": u.points, "self_score": u.self_score, "appraised_score": u.appraised,
        "score": float(u.score) if u.answered else None, "rating": r.rating_shown(u),
        "errors": u.errors, "warnings": u.warnings, "targets": targets_json(r.targets_by_unit[u.unit.code]),
    }


def status_json(r: Result) -> dict[str, Any]:
    """The round's figures with stable keys (see the module's docstring and docs/api.md)."""
    bands = r.head_bands()
    band_of = {u.unit.code: key for key, units in bands.items() for u in units}
    due_by_unit = r.due_by_unit
    position = {code: i for i, code in enumerate(r.order)}
    units = sorted(r.units, key=lambda u: (position.get(u.unit.code, len(position)), u.unit.code))
    return {
        **_first_keys(r),
        "basis": "due" if r.interim else "all",
        "due_tasks": totals_json(r.due),
        "not_due_tasks": totals_json(r.not_due),
        "due_by_group": {name: {"total": t.total, "completed": t.completed} for name, t in r.due_by_group.items()},
        "due_by_block": {name: {"total": t.total, "completed": t.completed} for name, t in r.due_by_block.items()},
        "head_bands": {key: {"count": len(bands[key]), "units": [u.unit.code for u in bands[key]]}
                       for key in BANDS},
        "ratings": _ratings(r),
        "targets": {**targets_json(r.targets), "count_below_target_as_done": r.below_target_done,
                    "not_met_tasks": [t.task.code for t in r.below_target]},
        "self_score_flags": [{"task": code, "rule": rule} for code, rule in r.self_score_flags],
        "unit_results": [_unit(r, u, band_of.get(u.unit.code, ""), due_by_unit.get(u.unit.code, Totals()))
                         for u in units],
    }
