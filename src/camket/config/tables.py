"""The other tables of ``camket.toml``: structure rules, registration, emulation, rating bands,
the report's layout, feedback, self-scores, the web address, and the signer's check."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .. import findings as F
from ..model import Finding, Round
from ..vi import fold_key
from .reader import _RANGES, _Reader
from .settings import (
    DEFAULT_BANDS,
    DEFAULT_BELOW,
    EmulationSettings,
    FeedbackSettings,
    RatingBand,
    RegistrationSettings,
    ReportSettings,
    SelfScoreRules,
    Settings,
    StructureRule,
)


def _count(r: _Reader, t: dict[str, Any], key: str, where: tuple[str | int, ...]) -> int | None:
    value = t.get(key)
    if value is None:
        return None
    if value < 0:
        r.findings.append(F.CONFIG_BAD_VALUE(r.at(*where, key), key=key, reason="cần số không âm"))
        return None
    return int(value)


def _structure(r: _Reader, raw: Any) -> tuple[StructureRule, ...]:
    rules: list[StructureRule] = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict):
            continue
        t = r.table(item, "structure", ("structure", i))
        if "source" not in t:
            continue
        low, high = _count(r, t, "min", ("structure", i)), _count(r, t, "max", ("structure", i))
        if low is None and high is None:
            r.findings.append(F.CONFIG_MISSING_KEY(r.at("structure", i), table="structure", key="min",
                                                   meaning="hoặc max: số nhiệm vụ tối thiểu, tối đa"))
            continue
        if low is not None and high is not None and low > high:
            r.findings.append(F.CONFIG_BAD_VALUE(r.at("structure", i, "max"), key="max",
                                                 reason=f"max ({high}) nhỏ hơn min ({low})"))
            continue
        rules.append(StructureRule(t["source"], low, high, t.get("block", ""), r.at("structure", i).line))
    return tuple(rules)


def _registration(r: _Reader, table: Any, year: Any, structure: tuple[StructureRule, ...],
                  lines: dict[str, int | None]) -> RegistrationSettings | None:
    if not isinstance(year, int):
        return None
    t = r.table(table, "registration", ("registration",)) if isinstance(table, dict) else {}
    own = t.get("own_source") or RegistrationSettings.own_source
    limits = [rule.maximum for rule in structure if fold_key(rule.source) == fold_key(own) and rule.maximum]
    rows = t.get("own_rows", max(limits, default=RegistrationSettings.own_rows))
    if not 1 <= rows <= 50:
        r.findings.append(F.CONFIG_BAD_VALUE(r.at("registration", "own_rows"), key="own_rows",
                                             reason="cần số dòng từ 1 đến 50"))
        rows = RegistrationSettings.own_rows
    settings = RegistrationSettings(
        id=t.get("id") or f"{year}-DK", name=t.get("name") or f"đăng ký nhiệm vụ năm {year}",
        due=t.get("due") or dt.date(year, 1, 15), own_source=own, own_rows=rows)
    if settings.id in lines:
        r.findings.append(F.CONFIG_DUPLICATE_ROUND(r.at("registration", "id"), round=settings.id,
                                                   first=lines[settings.id]))
    return settings


def _emulation(r: _Reader, table: dict[str, Any], rounds: tuple[Round, ...]) -> EmulationSettings:
    if not table:
        return EmulationSettings()
    chosen = table.get("round", "")
    if chosen and not any(x.id == chosen for x in rounds):
        r.findings.append(F.CONFIG_BAD_VALUE(r.at("emulation", "round"), key="round",
                                             reason=f'không có kỳ báo cáo "{chosen}"'))
        chosen = ""
    bands, below = _rating(r, table, "emulation") if table.get("bands") else ((), "")
    points = {k: float(table[k]) for k in ("on_time_points", "late_points", "missing_points") if k in table}
    return EmulationSettings(**points, round=chosen, bands=bands, below=table.get("below", below))


def _rating(r: _Reader, table: dict[str, Any], name: str = "rating") -> tuple[tuple[RatingBand, ...], str]:
    bands: list[RatingBand] = []
    for item in table.get("bands", []):
        if (
            isinstance(item, dict)
            and isinstance(item.get("min"), int | float)
            and isinstance(item.get("label"), str)
        ):
            bands.append(RatingBand(float(item["min"]), item["label"].strip()))
        else:
            r.findings.append(F.CONFIG_BAD_VALUE(
                r.at(name, "bands"), key="bands",
                reason='mỗi mức cần dạng { min = 90, label = "Hoàn thành xuất sắc nhiệm vụ" }'))
    if not bands:
        bands = [RatingBand(m, label) for m, label in DEFAULT_BANDS]
    bands.sort(key=lambda b: -b.minimum)
    return tuple(bands), table.get("below", DEFAULT_BELOW)


def _base_url(r: _Reader, table: dict[str, Any]) -> str:
    url = str(table.get("base_url", "")).rstrip("/")
    if url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        r.findings.append(F.CONFIG_BAD_VALUE(
            r.at("web", "base_url"), key="base_url", reason="cần địa chỉ dạng http://10.0.0.5:8765"))
        return ""
    return url


def _report(r: _Reader, table: dict[str, Any]) -> ReportSettings:
    values: dict[str, Any] = {}
    for key, (low, high) in _RANGES.items():
        if key in table:
            if low <= table[key] <= high:
                values[key] = float(table[key])
            else:
                r.findings.append(F.CONFIG_BAD_VALUE(
                    r.at("report", key), key=key,
                    reason=f"Nghị định 30/2020 cho phép từ {low} đến {high}"))
    lists = {key: _strings(r, table, "report", key) for key in ("recipients", "addressees")}
    template = table.get("docx_template")
    if table.get("units_term"):
        values["units_term"] = table["units_term"]
    return ReportSettings(
        recipients=lists["recipients"],
        addressees=lists["addressees"],
        docx_template=Path(template) if template else None,
        number=table.get("number", ""),
        date=table.get("date"),
        basis=table.get("basis", "").rstrip(" ,."),
        **values,
    )


def _strings(r: _Reader, table: dict[str, Any], name: str, key: str) -> tuple[str, ...]:
    items = table.get(key, [])
    if not all(isinstance(x, str) for x in items):
        r.findings.append(F.CONFIG_BAD_VALUE(r.at(name, key), key=key, reason="cần danh sách chuỗi"))
        return ()
    return tuple(x.strip() for x in items if x.strip())


def _feedback(r: _Reader, table: dict[str, Any]) -> FeedbackSettings:
    days = table.get("working_days", 5)
    if not 1 <= days <= 30:
        r.findings.append(F.CONFIG_BAD_VALUE(
            r.at("feedback", "working_days"), key="working_days", reason="cần số ngày làm việc từ 1 đến 30"))
        days = 5
    holidays = table.get("holidays", [])
    if not all(isinstance(x, dt.date) for x in holidays):
        r.findings.append(F.CONFIG_BAD_VALUE(
            r.at("feedback", "holidays"), key="holidays", reason="cần danh sách ngày dạng [2022-09-01, 2022-09-02]"))
        holidays = []
    return FeedbackSettings(days, tuple(sorted(x.date() if isinstance(x, dt.datetime) else x for x in holidays)))


def _self_score(r: _Reader, table: dict[str, Any]) -> SelfScoreRules:
    """``[self_score]``: percentages between 0 and 100."""
    values = dict(table)
    for key in ("not_started_max", "not_done_max", "progress_margin"):
        if key in values:
            if 0 <= values[key] <= 100:
                values[key] = float(values[key])
            else:
                r.findings.append(F.CONFIG_BAD_VALUE(
                    r.at("self_score", key), key=key, reason="cần số phần trăm từ 0 đến 100"))
                del values[key]
    return SelfScoreRules(**values)


def _signer_among_recipients(r: _Reader, settings: Settings) -> list[Finding]:
    """A report should not be sent to the person who signs it (warned by ``camket check``).

    Signing in one's own name, the signer's title must not name a recipient ("Bộ trưởng
    (để b/c)" under "BỘ TRƯỞNG"; "Phó Giám đốc" is someone else); signing for the head
    (KT.), the deputy's own title alone or the signer's name must not.
    """
    signer = settings.signer
    found: list[Finding] = []
    for recipient in (*settings.report.recipients, *settings.report.addressees):
        plain = fold_key(re.sub(r"\(.*?\)", " ", recipient))
        name = fold_key(signer.name)
        if signer.deputy_title:
            clash = plain == fold_key(signer.deputy_title) or (bool(name) and name in plain)
        else:
            title = fold_key(signer.title)
            clash = bool(title) and re.search(rf"(?<!pho )\b{re.escape(title)}\b", plain) is not None
            clash = clash or (bool(name) and name in plain)
        if clash:
            key = "recipients" if recipient in settings.report.recipients else "addressees"
            found.append(F.CONFIG_SIGNER_RECIPIENT(r.at("report", key), recipient=recipient,
                                                   signer=" / ".join(signer.lines)))
    return found
