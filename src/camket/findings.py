"""The catalogue of findings: every code camket can report, in one place.

Each :class:`FindingKind` has a stable kebab-case code, a severity, a Vietnamese
message template, the advice that tells the office or the department what to do,
and the stage that reports it. ``docs/findings.md`` is generated from this catalogue
(``python -m camket.findings > docs/findings.md``) and a test keeps the two in step.

>>> DUPLICATE_UNIT_CODE(Location("danh-muc.xlsx", "Đơn vị", "A7"), code="VP", first="A5").code
'unit-code-duplicate'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Finding, Location, Severity

__all__ = ["CATALOGUE", "FindingKind", "catalogue_markdown"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
OFFICE, DEPARTMENT = "đơn vị báo cáo", "đơn vị tổng hợp"


@dataclass(frozen=True)
class FindingKind:
    code: str
    severity: Severity
    message: str
    advice: str
    stage: str
    audience: str = DEPARTMENT

    def __call__(
        self, location: Location | None = None, *, unit: str = "", task: str = "", **fields: Any
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=self.severity,
            message=self.message.format(**fields),
            advice=self.advice.format(**fields),
            location=location or Location(),
            unit=unit,
            task=task,
        )


CATALOGUE: dict[str, FindingKind] = {}


def _kind(
    code: str, severity: Severity, message: str, advice: str, stage: str,
    audience: str = DEPARTMENT,
) -> FindingKind:
    if code in CATALOGUE:
        raise ValueError(f"duplicate finding code {code}")
    kind = FindingKind(code, severity, message, advice, stage, audience)
    CATALOGUE[code] = kind
    return kind


# --- camket.toml ---------------------------------------------------------------
CONFIG_SYNTAX = _kind(
    "config-syntax", E, "Tệp cấu hình sai cú pháp TOML: {reason}",
    "Sửa dòng được nêu (chuỗi đặt trong dấu nháy kép, ngày dạng 2022-06-30)", "config")
CONFIG_MISSING_KEY = _kind(
    "config-missing-key", E, 'Bảng [{table}] thiếu khóa "{key}" ({meaning})',
    'Thêm dòng {key} = ... vào bảng [{table}]', "config")
CONFIG_MISSING_TABLE = _kind(
    "config-missing-table", E, "Thiếu bảng [{table}] ({meaning})",
    "Thêm bảng [{table}] như trong README", "config")
CONFIG_UNKNOWN_KEY = _kind(
    "config-unknown-key", W, 'Khóa "{key}" không được camket sử dụng',
    "Kiểm tra chính tả hoặc xóa dòng này", "config")
CONFIG_BAD_VALUE = _kind(
    "config-bad-value", E, 'Giá trị của "{key}" không hợp lệ: {reason}',
    "Sửa giá trị theo hướng dẫn trong README", "config")
CONFIG_DUPLICATE_ROUND = _kind(
    "config-round-duplicate", E, 'Mã kỳ báo cáo "{round}" bị trùng (đã có ở dòng {first})',
    "Đặt cho mỗi kỳ báo cáo một mã riêng", "config")
CONFIG_DUE_BEFORE_AS_OF = _kind(
    "config-due-before-as-of", E,
    'Kỳ "{round}": hạn gửi {due} sớm hơn ngày chốt số liệu {as_of}',
    "Hạn gửi (due) phải bằng hoặc sau ngày chốt số liệu (as_of)", "config")
CONFIG_ROUND_OUTSIDE_YEAR = _kind(
    "config-round-outside-year", W,
    'Kỳ "{round}": ngày chốt số liệu {as_of} không thuộc năm {year} của chương trình',
    "Kiểm tra lại năm của kỳ báo cáo", "config")
CONFIG_NO_ROUND = _kind(
    "config-no-round", E, "Chưa khai báo kỳ báo cáo nào ([[round]])",
    "Thêm ít nhất một bảng [[round]] với id, name, as_of, due", "config")

# --- danh-muc.xlsx --------------------------------------------------------------
MASTER_MISSING = _kind(
    "master-missing", E, "Không tìm thấy tệp danh mục {file}",
    "Tạo lại bằng camket init hoặc chép tệp danh mục vào thư mục làm việc", "master")
MASTER_UNREADABLE = _kind(
    "master-unreadable", E, "Không đọc được tệp danh mục: {reason}",
    "Mở tệp bằng Excel, lưu lại dạng .xlsx rồi chạy lại", "master")
MASTER_SHEET_MISSING = _kind(
    "master-sheet-missing", E, 'Không có sheet "{sheet}"',
    'Thêm sheet "{sheet}" hoặc đổi lại tên sheet đúng như mẫu', "master")
MASTER_HEADER_MISSING = _kind(
    "master-header-missing", E, 'Không tìm thấy dòng tiêu đề (cần có cột "{column}")',
    "Giữ nguyên dòng tiêu đề của mẫu danh mục", "master")
MASTER_COLUMN_MISSING = _kind(
    "master-column-missing", E, 'Thiếu cột "{column}"',
    "Thêm cột với đúng tiêu đề này vào dòng tiêu đề", "master")
MASTER_EMPTY = _kind(
    "master-empty", E, 'Sheet "{sheet}" chưa có dòng dữ liệu nào',
    "Nhập danh sách vào sheet này", "master")
UNIT_CODE_MISSING = _kind(
    "unit-code-missing", E, "Đơn vị chưa có mã",
    "Nhập mã đơn vị (chữ không dấu, không khoảng trắng, ví dụ VPC)", "master")
DUPLICATE_UNIT_CODE = _kind(
    "unit-code-duplicate", E, 'Mã đơn vị "{code}" bị trùng với ô {first}',
    "Mỗi đơn vị phải có một mã riêng", "master")
UNIT_NAME_MISSING = _kind(
    "unit-name-missing", E, 'Đơn vị "{code}" chưa có tên', "Nhập tên đầy đủ của đơn vị", "master")
UNIT_NO_TASKS = _kind(
    "unit-no-tasks", W, 'Đơn vị "{code}" chưa có nhiệm vụ nào',
    'Thêm nhiệm vụ cho đơn vị ở sheet "Nhiệm vụ" hoặc xóa đơn vị khỏi danh sách', "master")
UNIT_HEAD_MISSING = _kind(
    "unit-head-missing", W, 'Đơn vị "{code}" chưa ghi thủ trưởng',
    "Nhập họ tên thủ trưởng để in trên mẫu báo cáo", "master")
UNIT_EMAIL_INVALID = _kind(
    "unit-email-invalid", W, 'Địa chỉ email "{email}" không hợp lệ',
    "Sửa địa chỉ email (dạng ten@coquan.gov.vn)", "master")
TASK_CODE_MISSING = _kind(
    "task-code-missing", E, "Nhiệm vụ chưa có mã",
    "Nhập mã nhiệm vụ duy nhất (ví dụ VPC-01)", "master")
DUPLICATE_TASK_CODE = _kind(
    "task-code-duplicate", E, 'Mã nhiệm vụ "{code}" bị trùng với ô {first}',
    "Mỗi nhiệm vụ phải có một mã riêng", "master")
TASK_UNIT_MISSING = _kind(
    "task-unit-missing", E, 'Nhiệm vụ "{code}" chưa ghi mã đơn vị',
    'Nhập mã đơn vị chủ trì (có trong sheet "Đơn vị")', "master")
TASK_UNKNOWN_UNIT = _kind(
    "task-unknown-unit", E, 'Nhiệm vụ "{code}" thuộc mã đơn vị "{unit_code}" không có trong sheet "Đơn vị"',
    'Sửa mã đơn vị hoặc thêm đơn vị vào sheet "Đơn vị"', "master")
TASK_CONTENT_MISSING = _kind(
    "task-content-missing", E, 'Nhiệm vụ "{code}" chưa có nội dung',
    "Nhập nội dung nhiệm vụ đã cam kết", "master")
TASK_DEADLINE_MISSING = _kind(
    "task-deadline-missing", E, 'Nhiệm vụ "{code}" chưa có thời hạn',
    'Nhập thời hạn dạng ngày/tháng/năm (30/06/2022), tháng/năm (6/2022) hoặc "Thường xuyên"',
    "master")
TASK_DEADLINE_INVALID = _kind(
    "task-deadline-invalid", E, 'Thời hạn của nhiệm vụ "{code}" không hợp lệ: {reason}',
    'Nhập thời hạn dạng ngày/tháng/năm (30/06/2022), tháng/năm (6/2022) hoặc "Thường xuyên"',
    "master")
TASK_DEADLINE_OUTSIDE_YEAR = _kind(
    "task-deadline-outside-year", W,
    'Thời hạn {deadline} của nhiệm vụ "{code}" nằm ngoài năm {year} của chương trình',
    "Kiểm tra lại năm của thời hạn", "master")
TASK_POINTS_INVALID = _kind(
    "task-points-invalid", E, 'Điểm tối đa của nhiệm vụ "{code}" không hợp lệ: {reason}',
    "Nhập một số không âm, ví dụ 20 hoặc 12,5", "master")
TASK_POINTS_MISSING = _kind(
    "task-points-missing", W, 'Nhiệm vụ "{code}" chưa có điểm tối đa',
    "Nhập điểm tối đa để chấm điểm và xếp loại (nếu không dùng chấm điểm, bỏ qua)", "master")
TASK_GROUP_MISSING = _kind(
    "task-group-missing", W, 'Nhiệm vụ "{code}" chưa ghi nhóm',
    "Nhập nhóm nhiệm vụ để số liệu được tổng hợp theo nhóm", "master")
MASTER_LEGACY_TEXT = _kind(
    "master-legacy-text", W, 'Nội dung "{text}" có vẻ gõ bằng bảng mã cũ ({encoding})',
    "Chuyển sang Unicode (Unikey: công cụ chuyển mã) rồi lưu lại", "master")


def catalogue_markdown() -> str:
    """The findings catalogue as Markdown (``docs/findings.md``)."""
    stages = {
        "config": "Cấu hình (camket.toml)",
        "master": "Danh mục (danh-muc.xlsx)",
        "file": "Tệp nhận được",
        "identify": "Nhận diện đơn vị và kỳ báo cáo",
        "row": "Từng dòng báo cáo",
        "appraisal": "Thẩm định",
        "rollup": "Tổng hợp lên cấp trên",
    }
    lines = [
        "# Danh mục phát hiện (findings)",
        "",
        "Tệp này được sinh từ `src/camket/findings.py` bằng lệnh "
        "`python -m camket.findings > docs/findings.md`; một kiểm thử bảo đảm hai nơi khớp nhau.",
        "",
        "Mức độ: **error** (lỗi: tệp hoặc dòng không được tính, lệnh kết thúc với mã 3), "
        "**warning** (cảnh báo: đã tự sửa hoặc cần xem lại), **info** (thông tin).",
    ]
    for stage, title in stages.items():
        kinds = [k for k in CATALOGUE.values() if k.stage == stage]
        if not kinds:
            continue
        lines += ["", f"## {title}", "", "| Mã | Mức | Nội dung | Cần làm | Ai sửa |", "|---|---|---|---|---|"]
        for k in kinds:
            lines.append(
                f"| `{k.code}` | {k.severity.value} | {k.message} | {k.advice} | {k.audience} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(catalogue_markdown())
