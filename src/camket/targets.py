"""Numeric targets (*chỉ tiêu định lượng*): "12 lớp", "≥ 95% hồ sơ", "1.200 người" read as a
number, a unit and a comparison, so an achieved value can be checked against them.

A target is read from the whole of the *Chỉ tiêu* text, or from what follows its last colon
("Tỉ lệ hồ sơ trực tuyến: ≥ 80%"), as ``[tăng|giảm|đạt] [comparison] number[/total] [unit]
[trở lên|trở xuống]``:

- the comparison is *at least* unless written otherwise: ``≥ >= tối thiểu ít nhất không dưới
  từ`` (at least), ``> trên hơn`` (more than), ``≤ <= tối đa không quá không vượt quá`` (at
  most), ``< dưới`` (less than); ``trở lên`` / ``trở xuống`` after the unit say the same;
  a plain target of 0 ("0 nhiệm vụ quá hạn") means *none*: at most 0;
- numbers are written the Vietnamese way: ``1.200`` is one thousand two hundred, ``1,6`` is
  one point six (``1.5``, with a dot not followed by three digits, is one point five);
  ``09/09 huyện`` is 9 (out of 9);
- the unit is the rest of the text; it starts with a letter or ``%`` ("% hồ sơ", "lớp",
  "triệu lượt khách"). A text that holds two targets ("2 lớp, 3 hội nghị") or that does
  not start with its number ("Tăng hạng so với năm 2022") is not a numeric target.

>>> parse_target("≥ 1,6 triệu lượt khách")
Target(value=1.6, unit='triệu lượt khách', op='>=', of=None)
>>> parse_target("100% hồ sơ").met(95.5), parse_target("0 nhiệm vụ quá hạn").op
(False, '<=')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from .model import Status
from .vi import format_number, format_percent, percent

__all__ = ["OPERATORS", "Achieved", "Target", "TargetCounts", "looks_numeric", "parse_target", "read_amount"]

OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}

_WORDS = {
    ">=": ("≥", ">=", "=>", "tối thiểu", "ít nhất", "không dưới", "không ít hơn", "từ"),
    ">": (">", "trên", "hơn"),
    "<=": ("≤", "<=", "=<", "tối đa", "không quá", "không vượt quá"),
    "<": ("<", "dưới"),
}
_OP_OF = {word: op for op, words in _WORDS.items() for word in words}
_CMP = "|".join(re.escape(w) for w in sorted(_OP_OF, key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_PATTERN = re.compile(
    rf"^(?:(?:tăng|giảm|đạt|phấn đấu đạt)\s+)?(?:(?P<cmp>{_CMP})\s*)?(?P<num>{_NUMBER})"
    rf"(?:\s*/\s*(?P<of>{_NUMBER}))?(?:\s*(?P<unit>(?:%|[^\W\d_]).*?))?"
    r"(?:\s+(?P<suffix>trở lên|trở xuống))?\s*[.;]?$",
    re.IGNORECASE,
)
_START = re.compile(rf"^(?:(?:tăng|giảm|đạt)\s+)?(?:{_CMP}|\d)", re.IGNORECASE)
_TWO_TARGETS = re.compile(r"[,;+]\s*\d|\bvà\s+\d", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Target:
    """A numeric target: ``achieved op value`` is met. ``of`` is the total in "09/09 huyện"."""

    value: float
    unit: str = ""
    op: str = ">="
    of: float | None = None

    def met(self, achieved: float) -> bool:
        """Whether ``achieved`` reaches the target (compared as decimals, so 1,6 = 1.6)."""
        a, v = Decimal(str(achieved)), Decimal(str(self.value))
        return {">=": a >= v, ">": a > v, "<=": a <= v, "<": a < v}[self.op]

    def rate(self, achieved: float) -> Decimal | None:
        """Achieved over target in percent (rounded half up to one decimal), for a target to
        reach ("at least", above 0); None for a ceiling ("không quá 5 ngày")."""
        if self.op not in (">=", ">") or self.value <= 0:
            return None
        return percent(achieved, self.value)

    def amount(self, number: float) -> str:
        """A number in the target's unit: ``10 lớp``, ``95% hồ sơ``, ``1.200 người``."""
        text = format_number(number)
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit.startswith("%") else f"{text} {self.unit}"

    def reached(self, achieved: float, *, long: bool = True) -> str:
        """What was achieved, as a report says it: ``đạt 4 vở diễn, bằng 66,7% chỉ tiêu``
        (``long=False``: ``đạt 4 vở diễn (66,7%)``); against a percentage, ``đạt 80%`` (its
        rate is said only when the target is not 100%)."""
        percentage = self.unit.startswith("%")
        shown = f"{format_number(achieved)}%" if percentage else self.amount(achieved)
        rate = self.rate(achieved)
        if rate is None or (percentage and self.value == 100):
            return f"đạt {shown}"
        return f"đạt {shown}, bằng {format_percent(rate)} chỉ tiêu" if long else f"đạt {shown} ({format_percent(rate)})"

    @property
    def text(self) -> str:
        """The target as camket writes it: ``≥ 12 lớp``, ``12 lớp`` (plain "at least")."""
        shown = self.amount(self.value)
        return shown if self.op == ">=" else f"{OPERATORS[self.op]} {shown}"


def _number(text: str) -> float:
    """``1.200`` -> 1200, ``1,6`` -> 1.6, ``1.5`` -> 1.5 (Vietnamese separators first)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", "."))


@lru_cache(maxsize=8192)
def parse_target(text: str) -> Target | None:
    """The numeric target a *Chỉ tiêu* text states, or None (see the module's rules)."""
    text = " ".join(text.split())
    if not text or not any(ch.isdigit() for ch in text):
        return None
    found = _match(text)
    if found is None and ":" in text:
        label, _, body = text.rpartition(":")
        found = _match(body.strip()) if label.strip() else None
    return found


def _match(text: str) -> Target | None:
    m = _PATTERN.match(text)
    if m is None:
        return None
    unit = (m.group("unit") or "").strip().rstrip(".;").strip()
    if _TWO_TARGETS.search(unit):
        return None
    op = _OP_OF.get((m.group("cmp") or "≥").lower(), ">=")
    suffix = (m.group("suffix") or "").lower()
    if suffix == "trở xuống":
        op = "<=" if op in (">=", "<=") else "<"
    value = _number(m.group("num"))
    if value == 0 and op == ">=" and not m.group("cmp"):
        op = "<="  # "0 nhiệm vụ quá hạn": none at all
    of = _number(m.group("of")) if m.group("of") else None
    return Target(value, unit, op, of)


def looks_numeric(text: str) -> bool:
    """Whether a *Chỉ tiêu* text starts like a numeric target ("12 …", "≥ …", "tăng 5 …"),
    so that one camket cannot read is worth a word to the department."""
    body = text.rpartition(":")[2] if ":" in text else text
    return bool(_START.match(" ".join(body.split())))


def read_amount(value: object, target: Target) -> tuple[float, str | None]:
    """An achieved value typed as text: ``"10"``, ``"10 lớp"``, ``"1.200"``, ``"95%"``
    (the target's unit, or ``%``, may follow the number). Returns the number and
    ``"number-text"``; raises ValueError when it is not a number."""
    raw = " ".join(str(value).split())
    body = raw
    for unit in (target.unit, "%"):
        if unit and body.lower().endswith(unit.lower()):
            body = body[: -len(unit)].strip()
            break
    if not re.fullmatch(_NUMBER, body):
        raise ValueError(f'"{raw}" không phải là số')
    return _number(body), "number-text"


class Achieved(Protocol):
    """A task's answer as :class:`TargetCounts` reads it (a reconciled task result)."""

    @property
    def status(self) -> str | None: ...

    @property
    def numeric_target(self) -> Target | None: ...

    @property
    def target_met(self) -> bool | None: ...


@dataclass(frozen=True)
class TargetCounts:
    """Tasks with a numeric target and, of those reported done, how many reached it."""

    numeric: int = 0      # tasks whose Chỉ tiêu is a number and a unit
    done: int = 0         # of them, reported done
    met: int = 0          # reported done, reaching the target
    not_met: int = 0      # reported done below the target
    no_value: int = 0     # reported done without an achieved value

    @classmethod
    def of(cls, results: Iterable[Achieved]) -> TargetCounts:
        numeric = done = met = not_met = no_value = 0
        for r in results:
            if r.numeric_target is None:
                continue
            numeric += 1
            if r.status != Status.DONE.value:
                continue
            done += 1
            outcome = r.target_met
            met += outcome is True
            not_met += outcome is False
            no_value += outcome is None
        return cls(numeric, done, met, not_met, no_value)
