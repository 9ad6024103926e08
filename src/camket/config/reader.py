"""Reading ``camket.toml`` table by table, each finding naming the key and its line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .. import findings as F
from ..model import Finding, Location
from .settings import ScoringRules

# key -> (type, required, meaning)
_Spec = dict[str, tuple[type | tuple[type, ...], bool, str]]
_TABLES: dict[str, _Spec] = {
    "agency": {
        "name": (str, True, "tên cơ quan ban hành báo cáo"),
        "short": (str, True, "chữ viết tắt dùng trong số ký hiệu, ví dụ BVHTTDL"),
        "place": (str, True, "địa danh ghi ở dòng ngày tháng"),
        "parent": (str, False, "cơ quan chủ quản"),
    },
    "programme": {
        "title": (str, True, "tên chương trình cam kết"),
        "year": (int, True, "năm thực hiện"),
    },
    "round": {
        "id": (str, True, "mã kỳ báo cáo, ví dụ 2022-6T"),
        "name": (str, True, "tên kỳ báo cáo, ví dụ 6 tháng đầu năm 2022"),
        "as_of": (dt.date, True, "ngày chốt số liệu"),
        "due": (dt.date, True, "hạn gửi báo cáo"),
        "kind": (str, False, "loại kỳ: tuần, tháng, quý (để trống với các kỳ quý, 6 tháng, 9 tháng, năm)"),
        "report_date": (dt.date, False, "ngày ghi ở dòng địa danh, ngày tháng của báo cáo kỳ này"),
    },
    "schedule": {
        "every": (str, True, "kỳ báo cáo định kỳ: tuần, tháng hoặc quý"),
        "start": (dt.date, True, "ngày bắt đầu"),
        "end": (dt.date, True, "ngày kết thúc"),
        "due_days": (int, False, "số ngày sau cuối kỳ là hạn gửi báo cáo"),
    },
    "structure": {
        "source": (str, True, "nguồn nhiệm vụ (cột Nguồn của danh mục)"),
        "min": (int, False, "số nhiệm vụ tối thiểu"),
        "max": (int, False, "số nhiệm vụ tối đa"),
        "block": (str, False, "chỉ áp dụng cho các đơn vị thuộc khối này"),
    },
    "registration": {
        "id": (str, False, ""), "name": (str, False, ""), "due": (dt.date, False, ""),
        "own_source": (str, False, ""), "own_rows": (int, False, ""),
    },
    "emulation": {
        "on_time_points": ((int, float), False, ""), "late_points": ((int, float), False, ""),
        "missing_points": ((int, float), False, ""), "round": (str, False, ""), "bands": (list, False, ""),
        "below": (str, False, ""),
    },
    "signer": {
        "title": (str, True, "chức vụ người ký, ví dụ BỘ TRƯỞNG"),
        "name": (str, True, "họ tên người ký"),
        "deputy_title": (str, False, "chức vụ cấp phó ký thay"),
    },
    "contact": {"unit": (str, False, ""), "email": (str, False, ""), "phone": (str, False, "")},
    "templates": {"password": (str, False, ""), "extra_rows": (int, False, "")},
    "rating": {"bands": (list, False, ""), "below": (str, False, "")},
    "report": {
        "recipients": (list, False, ""),
        "docx_template": (str, False, ""),
        "number": (str, False, ""),
        "margin_top_mm": ((int, float), False, ""),
        "margin_bottom_mm": ((int, float), False, ""),
        "margin_left_mm": ((int, float), False, ""),
        "margin_right_mm": ((int, float), False, ""),
        "font_size": ((int, float), False, ""),
        "line_spacing": ((int, float), False, ""),
        "addressees": (list, False, ""),
        "date": (dt.date, False, ""),
        "units_term": (str, False, ""),
        "basis": (str, False, ""),
    },
    "feedback": {"working_days": (int, False, ""), "holidays": (list, False, "")},
    "scoring": {
        name: ((int, float), False, "")
        for name in ScoringRules.__dataclass_fields__
    },
    "targets": {"count_below_target_as_done": (bool, False, "")},
    "self_score": {
        "check": (bool, False, ""),
        "not_started_max": ((int, float), False, ""),
        "not_done_max": ((int, float), False, ""),
        "full_points_only_done": (bool, False, ""),
        "progress_margin": ((int, float), False, ""),
    },
    "web": {"base_url": (str, False, "địa chỉ camket serve mà các đơn vị truy cập")},
}
_REQUIRED_TABLES = {"agency": "cơ quan ban hành", "programme": "chương trình", "signer": "người ký"}
# Ranges allowed by Decree 30/2020 (Phụ lục I) for the report layout.
_RANGES = {
    "margin_top_mm": (20, 25), "margin_bottom_mm": (20, 25), "margin_left_mm": (30, 35),
    "margin_right_mm": (15, 20), "font_size": (13, 14), "line_spacing": (1.0, 1.5),
}

_FIRST_YEAR, _LAST_YEAR = 2000, 2100  # a programme year outside these is a typing error

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Line numbers of tables and keys: ``("agency",)``, ``("round", 0, "id")`` ..."""
    lines: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m:
            name = m.group(2)
            if m.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
            else:
                current = (name,)
            lines.setdefault(current, number)
            continue
        m = _KEY.match(line)
        if m:
            lines.setdefault((*current, m.group(1)), number)
    return lines


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.file = path.name
        self.lines = _key_lines(text)
        self.findings: list[Finding] = []

    def at(self, *key: str | int) -> Location:
        for n in range(len(key), 0, -1):
            if key[:n] in self.lines:
                return Location(self.file, line=self.lines[key[:n]])
        return Location(self.file)

    def table(self, data: dict[str, Any], name: str, path: tuple[str | int, ...]) -> dict[str, Any]:
        spec = _TABLES[name]
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key not in spec:
                self.findings.append(F.CONFIG_UNKNOWN_KEY(self.at(*path, key), key=key))
                continue
            types = spec[key][0]
            wanted = types if isinstance(types, tuple) else (types,)
            ok = isinstance(value, wanted) and not (
                isinstance(value, bool) and bool not in wanted
            )
            if dt.date in wanted and isinstance(value, dt.datetime):
                value = value.date()
            if not ok:
                self.findings.append(F.CONFIG_BAD_VALUE(
                    self.at(*path, key), key=key, reason=_type_reason(wanted, value)))
                continue
            if isinstance(value, str):
                value = value.strip()
            out[key] = value
        for key, (_, required, meaning) in spec.items():
            if required and (key not in data or out.get(key) == ""):
                self.findings.append(F.CONFIG_MISSING_KEY(
                    self.at(*path), table=name, key=key, meaning=meaning))
        return out


def _type_reason(wanted: tuple[type, ...], value: Any) -> str:
    names = {str: "chuỗi trong dấu nháy kép", int: "số nguyên", float: "số", list: "danh sách [...]",
             dt.date: "ngày dạng 2022-06-30", bool: "true hoặc false"}
    expected = " hoặc ".join(names.get(t, t.__name__) for t in wanted)
    return f"cần {expected}, đang là {value!r}"
