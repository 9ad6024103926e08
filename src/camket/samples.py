"""The bundled samples (``samples/`` in the source tree, ``camket/_samples`` when installed).

A sample is a folder with ``camket.toml``, ``don-vi.csv`` and ``nhiem-vu.csv`` whose
headers are the master headers; :func:`load_sample` returns the rows keyed by column key.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import MASTER_TASKS, MASTER_UNITS, Kind, Sheet, match_header
from .values import is_blank, parse_deadline, parse_number, text_of

__all__ = ["Sample", "load_sample", "sample_names", "samples_root"]


@dataclass(frozen=True)
class Sample:
    name: str
    config_text: str
    units: list[dict[str, Any]]
    tasks: list[dict[str, Any]]


def samples_root() -> Path:
    installed = Path(str(resources.files("camket"))) / "_samples"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "samples"


def sample_names() -> list[str]:
    root = samples_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "camket.toml").is_file())


def _rows(path: Path, sheet: Sheet) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    columns = match_header(list(table[0]), sheet)
    rows: list[dict[str, Any]] = []
    for record in table[1:]:
        row: dict[str, Any] = {}
        for key, index in columns.items():
            value = text_of(record[index]) if index < len(record) else ""
            kind = sheet[key].kind
            if kind is Kind.DEADLINE and not is_blank(value):
                day, _ = parse_deadline(value)
                row[key] = day if day is not None else value
            elif kind is Kind.NUMBER and not is_blank(value):
                row[key] = parse_number(value)[0]
            else:
                row[key] = value
        if any(not is_blank(v) for v in row.values()):
            rows.append(row)
    return rows


def load_sample(name: str) -> Sample:
    """Load a bundled sample by name (``bo-2022``, ``so-2023``)."""
    folder = samples_root() / name
    if not (folder / "camket.toml").is_file():
        known = ", ".join(sample_names()) or "(không có)"
        raise InputError(f'Không có mẫu dữ liệu "{name}". Các mẫu có sẵn: {known}.')
    return Sample(
        name=name,
        config_text=(folder / "camket.toml").read_text(encoding="utf-8"),
        units=_rows(folder / "don-vi.csv", MASTER_UNITS),
        tasks=_rows(folder / "nhiem-vu.csv", MASTER_TASKS),
    )


_BLANK_CONFIG = """\
# Cấu hình camket: điền thông tin của cơ quan rồi chạy "camket check".
[agency]                      # cơ quan ban hành báo cáo
name = "Tên cơ quan"
parent = ""                   # cơ quan chủ quản (nếu có)
short = "VIETTAT"             # chữ viết tắt trong số ký hiệu: Số: .../BC-VIETTAT
place = "Hà Nội"

[programme]
title = "Cam kết thực hiện nhiệm vụ trọng tâm năm {year}"
year = {year}

[[round]]                     # mỗi kỳ báo cáo một bảng [[round]]
id = "{year}-6T"
name = "6 tháng đầu năm {year}"
as_of = {year}-06-30          # ngày chốt số liệu
due = {year}-07-05            # hạn các đơn vị gửi báo cáo

[signer]
title = "THỦ TRƯỞNG CƠ QUAN"
deputy_title = ""             # ví dụ "THỨ TRƯỞNG" khi cấp phó ký thay (KT.)
name = "Họ và tên"

[contact]                     # nơi nhận lại mẫu báo cáo
unit = ""
email = ""
phone = ""
"""


def blank_config(year: int) -> str:
    """The ``camket.toml`` of a new workspace without a sample, to fill in (Vietnamese comments)."""
    return _BLANK_CONFIG.format(year=year)
