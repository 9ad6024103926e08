"""``camket.toml`` -> :class:`Settings`, a frozen object built once and passed down.

:func:`read_config` never raises on bad content: it returns the settings (or ``None``)
with findings that name the key and its line. Unknown keys are warnings; missing
required keys, wrong types and inconsistent rounds are errors.

- :mod:`.settings`: the settings objects; :mod:`.reader`: the tables, their keys and types;
- :mod:`.rounds`: rounds and schedules; :mod:`.tables`: every other table.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .. import findings as F
from ..model import Location, Severity
from .reader import _FIRST_YEAR, _LAST_YEAR, _REQUIRED_TABLES, _TABLES, _Reader
from .rounds import _round_lines, _rounds, _scheduled
from .settings import (
    Agency,
    ConfigRead,
    Contact,
    EmulationSettings,
    FeedbackSettings,
    RatingBand,
    RegistrationSettings,
    ReportSettings,
    ScoringRules,
    SelfScoreRules,
    Settings,
    Signer,
    StructureRule,
    TargetRules,
)
from .tables import (
    _base_url,
    _emulation,
    _feedback,
    _rating,
    _registration,
    _report,
    _self_score,
    _signer_among_recipients,
    _structure,
)

__all__ = [
    "Agency",
    "ConfigRead",
    "Contact",
    "EmulationSettings",
    "FeedbackSettings",
    "RatingBand",
    "RegistrationSettings",
    "ReportSettings",
    "ScoringRules",
    "SelfScoreRules",
    "Settings",
    "Signer",
    "StructureRule",
    "TargetRules",
    "read_config",
]


def read_config(path: Path) -> ConfigRead:
    """Read ``camket.toml``; never raises on bad content (see the findings)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        return ConfigRead(None, (F.CONFIG_SYNTAX(Location(path.name), reason=str(exc)),))
    except UnicodeDecodeError:
        return ConfigRead(None, (F.CONFIG_SYNTAX(
            Location(path.name), reason="tệp không phải UTF-8; hãy lưu lại với bảng mã UTF-8"),))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = Location(path.name, line=int(m.group(1)) if m else None)
        return ConfigRead(None, (F.CONFIG_SYNTAX(where, reason=str(exc)),))
    return _settings(_Reader(path, text), data)


_ARRAYS = frozenset({"round", "schedule", "structure"})  # [[...]] tables


def _settings(r: _Reader, data: dict[str, Any]) -> ConfigRead:
    for key in data:
        if key not in _TABLES or (key in _ARRAYS) != isinstance(data[key], list):
            r.findings.append(F.CONFIG_UNKNOWN_KEY(r.at(key), key=key))
    for name, meaning in _REQUIRED_TABLES.items():
        if not isinstance(data.get(name), dict):
            r.findings.append(F.CONFIG_MISSING_TABLE(Location(r.file), table=name, meaning=meaning))
    tables = {
        name: r.table(data[name], name, (name,))
        for name in _TABLES if name not in _ARRAYS and isinstance(data.get(name), dict)
    }
    year = tables.get("programme", {}).get("year")
    if isinstance(year, int) and not _FIRST_YEAR <= year <= _LAST_YEAR:
        r.findings.append(F.CONFIG_BAD_VALUE(r.at("programme", "year"), key="year",
                                             reason=f"năm {year} nằm ngoài khoảng {_FIRST_YEAR}–{_LAST_YEAR}"))
        year = None
    rounds = _rounds(r, data.get("round"), year, scheduled=bool(data.get("schedule")))
    lines = _round_lines(r, data.get("round"))
    rounds = _scheduled(r, data.get("schedule"), rounds, lines)
    structure = _structure(r, data.get("structure"))
    rating, below = _rating(r, tables.get("rating", {}))
    emulation = _emulation(r, tables.get("emulation", {}), rounds)
    registration = _registration(r, tables.get("registration"), year, structure, lines)
    report = _report(r, tables.get("report", {}))
    feedback = _feedback(r, tables.get("feedback", {}))
    self_score = _self_score(r, tables.get("self_score", {}))
    if any(f.severity is Severity.ERROR for f in r.findings):
        return ConfigRead(None, tuple(r.findings))
    agency, programme, signer = tables["agency"], tables["programme"], tables["signer"]
    contact, templates = tables.get("contact", {}), tables.get("templates", {})
    settings = Settings(
        agency=Agency(agency["name"], agency["short"], agency["place"], agency.get("parent", "")),
        title=programme["title"],
        year=programme["year"],
        rounds=rounds,
        signer=Signer(signer["title"], signer["name"], signer.get("deputy_title", "")),
        contact=Contact(**contact),
        template_password=templates.get("password", ""),
        extra_rows=max(0, min(200, templates.get("extra_rows", 10))),
        rating=rating,
        rating_below=below,
        report=report,
        scoring=ScoringRules(**{k: float(v) for k, v in tables.get("scoring", {}).items()}),
        feedback=feedback,
        targets=TargetRules(**tables.get("targets", {})),
        self_score=self_score,
        structure=structure,
        registration=registration,
        emulation=emulation,
        base_url=_base_url(r, tables.get("web", {})),
    )
    r.findings.extend(_signer_among_recipients(r, settings))
    return ConfigRead(settings, tuple(r.findings))
