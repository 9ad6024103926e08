"""Heads filling their registration workbooks (``camket simulate DIR --round <registration id>``),
for training and trials: each adds own tasks up to what the structure rules ask (one more when
there is room) and names a product where the list has none."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from ..config import Settings
from ..vi import fold_key
from .book import HEADER_ROW, OWN_MARKER

__all__ = ["OWN_TASKS", "simulate_registrations"]

OWN_TASKS = [
    ("Tổ chức tập huấn nghiệp vụ cho công chức, viên chức của đơn vị", "Kế hoạch; Báo cáo", "02 lớp"),
    ("Rà soát, sửa đổi, bổ sung quy chế làm việc của đơn vị", "Quyết định ban hành quy chế", ""),
    ("Số hóa hồ sơ lưu trữ của đơn vị giai đoạn 2018-2022", "Cơ sở dữ liệu hồ sơ", "100% hồ sơ"),
    ("Tổ chức hội nghị sơ kết 6 tháng, tổng kết năm của đơn vị", "Báo cáo sơ kết, tổng kết", ""),
    ("Triển khai phần mềm quản lý văn bản và điều hành tại đơn vị", "Phần mềm vận hành", ""),
]


def simulate_registrations(files: Sequence[Path], out_dir: Path, settings: Settings, *, seed: int = 2022) -> list[Path]:
    """Fill each registration workbook of ``files`` as its head would; written into ``out_dir``."""
    import openpyxl

    rng = random.Random(seed)
    registration = settings.registration
    assert registration is not None
    own = fold_key(registration.own_source)
    rules = [r for r in settings.structure if fold_key(r.source) == own]
    low = max((r.minimum or 0 for r in rules), default=0)
    high = min((r.maximum for r in rules if r.maximum is not None), default=registration.own_rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in files:
        book = openpyxl.load_workbook(path)
        sheet = book["Đăng ký"]
        header = {sheet.cell(HEADER_ROW + 1, c).value: c for c in range(1, sheet.max_column + 1)}
        marker = next(r for r in range(1, sheet.max_row + 1)
                      if str(sheet.cell(r, 1).value or "").startswith(OWN_MARKER))
        given = range(HEADER_ROW + 2, marker)
        count = sum(1 for r in given if fold_key(str(sheet.cell(r, header["Nguồn"]).value or "")) == own)
        for r in given:
            if not sheet.cell(r, header["Sản phẩm"]).value:
                sheet.cell(r, header["Sản phẩm"]).value = "Báo cáo kết quả"
        adding = max(low - count, 1 if count < high else 0)
        for offset, (content, product, target) in enumerate(rng.sample(OWN_TASKS, min(adding, len(OWN_TASKS))),
                                                            start=1):
            row = marker + offset
            month = rng.randint(6, 12)
            values = {"Nội dung nhiệm vụ": content, "Nhóm": "Công tác chung", "Sản phẩm": product,
                      "Chỉ tiêu": target or None, "Thời hạn": f"{month}/{settings.year}", "Điểm tối đa": 10}
            for label, value in values.items():
                sheet.cell(row, header[label]).value = value
        target_path = out_dir / path.name
        book.save(target_path)
        written.append(target_path)
    return written
