"""What offices wrote, gathered for the report: difficulties and proposals grouped,
deduplicated (exactly, then nearly the same wording) and attributed to units."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..vi import fold_key

__all__ = ["Opinion", "gather"]

_FUZZY_POOL = 300  # distinct wordings compared pairwise for near-duplicates


@dataclass
class Opinion:
    """One point raised, the units that raised it, and how many times."""

    text: str
    units: list[str] = field(default_factory=list)
    count: int = 0


_BULLET = re.compile(r"^(?:[-–•*+]|\d+[.)])\s+")


def _clean(text: str) -> str:
    """Spaces collapsed, a leading bullet ("- ", "• ", "1. ") and trailing punctuation
    removed; anything else (a leading "+", "=", "@") is kept literally."""
    return _BULLET.sub("", " ".join(text.split())).rstrip(" .;,")


def gather(items: Iterable[tuple[str, str]], limit: int = 25) -> tuple[list[Opinion], int]:
    """Group ``(unit name, text)`` pairs; return the ``limit`` most raised and how many more."""
    by_key: dict[str, Opinion] = {}
    seen: dict[str, set[str]] = {}  # units of each opinion, for membership (thousands raise the same)
    for unit, text in items:
        clean = _clean(text)
        if len(clean) < 4:
            continue
        key = fold_key(clean)
        opinion = by_key.get(key)
        if opinion is None:
            opinion = by_key[key] = Opinion(clean)
            seen[key] = set()
        opinion.count += 1
        if unit not in seen[key]:
            seen[key].add(unit)
            opinion.units.append(unit)
    ranked = sorted(by_key.items(), key=lambda kv: (-len(kv[1].units), -kv[1].count, kv[0]))
    merged: list[tuple[str, Opinion]] = []
    for key, opinion in ranked[:_FUZZY_POOL]:
        for other_key, other in merged:
            if fuzz.token_set_ratio(key, other_key) >= 92:
                other.count += opinion.count
                other.units.extend(u for u in opinion.units if u not in seen[other_key])
                seen[other_key].update(opinion.units)
                break
        else:
            merged.append((key, opinion))
    rest = [o for _, o in ranked[_FUZZY_POOL:]]
    opinions = sorted((o for _, o in merged), key=lambda o: (-len(o.units), -o.count)) + rest
    return opinions[:limit], max(0, len(opinions) - limit)
