"""The catalogue of findings: every code camket can report, in one place.

Each :class:`FindingKind` has a stable kebab-case code, a severity, a Vietnamese
message template, the advice that tells the office or the department what to do,
and the stage that reports it. ``docs/findings.md`` is generated from this catalogue
(``camket findings --markdown > docs/findings.md``) and a test keeps the two in step.

>>> DUPLICATE_UNIT_CODE(Location("danh-muc.xlsx", "Đơn vị", "A7"), code="VP", first="A5").code
'unit-code-duplicate'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Finding, Location, Severity

__all__ = ["CATALOGUE", "NEXT_TIME", "TITLES", "FindingKind", "catalogue_markdown", "for_next_time", "title"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
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
            message=self.message.format(unit=unit, task=task, **fields),
            advice=self.advice.format(unit=unit, task=task, **fields),
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
    "config-round-outside-year", E,
    'Kỳ "{round}": ngày chốt số liệu {as_of} không thuộc năm {year} của chương trình (hoặc năm sau)',
    "Sửa as_of cho đúng năm của kỳ báo cáo; mọi trạng thái đúng hạn, quá hạn được tính theo ngày này", "config")
CONFIG_ROUND_DUE_FAR = _kind(
    "config-round-due-far", E,
    'Kỳ "{round}": hạn gửi {due} cách ngày chốt số liệu {as_of} hơn một năm',
    "Sửa due: hạn gửi báo cáo thường chỉ sau ngày chốt số liệu vài ngày", "config")
CONFIG_SIGNER_RECIPIENT = _kind(
    "config-signer-among-recipients", W, 'Báo cáo do {signer} ký nhưng Nơi nhận lại có "{recipient}"',
    "Bỏ người ký khỏi danh sách nhận ([report] recipients, addressees), hoặc để cấp phó ký thay "
    "(deputy_title) nếu báo cáo gửi người đứng đầu", "config")
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
TASK_TARGET_UNREAD = _kind(
    "task-target-unread", INFO,
    'Chỉ tiêu "{text}" của nhiệm vụ "{code}" không đọc được thành một số và đơn vị tính; nhiệm vụ được theo '
    "dõi như chỉ tiêu định tính (không có Giá trị đạt được)",
    "Nếu là chỉ tiêu định lượng, ghi một số và đơn vị tính, ví dụ 12 lớp, ≥ 95% hồ sơ, 1.200 người (mỗi nhiệm vụ "
    "một chỉ tiêu), hoặc ghi ở hai cột Chỉ tiêu (số) và Đơn vị tính", "master")
TASK_TARGET_VALUE_INVALID = _kind(
    "task-target-value-invalid", W, 'Chỉ tiêu (số) của nhiệm vụ "{code}" không hợp lệ: {reason}',
    "Nhập một số không âm, ví dụ 12 hoặc 1,6; đơn vị ghi ở cột Đơn vị tính", "master")
TASK_TARGET_CONFLICT = _kind(
    "task-target-conflict", W,
    'Chỉ tiêu của nhiệm vụ "{code}" ghi "{text}" nhưng cột Chỉ tiêu (số), Đơn vị tính ghi {numeric}; camket dùng '
    "{numeric}", "Sửa cho hai nơi khớp nhau, hoặc để trống một trong hai", "master")
ROUND_DIFFERS_FROM_MASTER = _kind(
    "round-differs-from-master", W,
    'Kỳ "{round}" đã phát hành với danh sách đơn vị, nhiệm vụ khác danh mục hiện hành ({count} điểm khác: '
    '{examples}); số liệu của kỳ này vẫn tính theo danh sách đã phát hành',
    "Các sửa đổi danh mục chỉ áp dụng cho kỳ phát hành sau. Nếu cần áp dụng cho kỳ này, chạy camket templates "
    "--round {round} --reissue (mỗi điều chỉnh được ghi lại và nêu trong báo cáo)", "master")
MASTER_LEGACY_TEXT = _kind(
    "master-legacy-text", W, 'Nội dung "{text}" có vẻ gõ bằng bảng mã cũ ({encoding})',
    "Chuyển sang Unicode (Unikey: công cụ chuyển mã) rồi lưu lại", "master")


# --- received files ----------------------------------------------------------------
FILE_EMPTY = _kind(
    "file-empty", E, "Tệp rỗng (0 byte)", "Gửi lại tệp báo cáo đã điền", "file", OFFICE)
FILE_NOT_SPREADSHEET = _kind(
    "file-not-spreadsheet", E, "Tệp không phải bảng tính mà là {detected}",
    "Gửi lại đúng tệp mẫu báo cáo dạng .xlsx (không gửi {detected})", "file", OFFICE)
FILE_CORRUPT = _kind(
    "file-corrupt", E, "Tệp bị hỏng hoặc không đầy đủ ({reason})",
    "Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại; nếu không mở được, điền lại mẫu",
    "file", OFFICE)
FILE_ENCRYPTED = _kind(
    "file-encrypted", E, "Tệp đã đặt mật khẩu mở nên không đọc được",
    "Mở khoá (bỏ mật khẩu mở tệp) rồi gửi lại", "file", OFFICE)
FILE_TOO_LARGE = _kind(
    "file-too-large", E, "Tệp vượt giới hạn cho phép: {reason}",
    "Chỉ gửi tệp mẫu báo cáo, không chèn ảnh hoặc dữ liệu lớn vào tệp", "file", OFFICE)
FILE_UNSAFE = _kind(
    "file-unsafe-content", E, "Tệp chứa thành phần không được phép ({reason})",
    "Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại", "file", OFFICE)
ARCHIVE_CORRUPT = _kind(
    "archive-corrupt", E, "Tệp nén bị hỏng hoặc không đầy đủ ({reason})",
    "Nén lại các tệp báo cáo và gửi lại", "file", OFFICE)
ARCHIVE_MEMBER_SKIPPED = _kind(
    "archive-member-skipped", W, 'Bỏ qua "{member}" trong tệp nén: {reason}',
    "Không cần xử lý nếu đó không phải tệp báo cáo; nếu là tệp báo cáo, gửi riêng tệp đó (không nén)",
    "file", OFFICE)
ARCHIVE_MEMBER_UNREADABLE = _kind(
    "archive-member-unreadable", E, 'Không đọc được "{member}" trong tệp nén: {reason}',
    "Nén lại không đặt mật khẩu, theo kiểu nén thông thường (Deflate, mặc định của Windows và 7-Zip "
    "khi chọn định dạng .zip), hoặc gửi riêng tệp này", "file", OFFICE)
ARCHIVE_UNSAFE_NAME = _kind(
    "archive-unsafe-name", W, 'Tên "{member}" trong tệp nén có đường dẫn không an toàn',
    "Không cần làm gì: tệp được đọc trong bộ nhớ, không ghi ra ngoài thư mục làm việc", "file")
ARCHIVE_TOO_MANY = _kind(
    "archive-too-many", E, "Tệp nén có quá nhiều tệp; chỉ đọc {limit} tệp đầu",
    "Chia thành nhiều tệp nén nhỏ hơn", "file", OFFICE)
SHEET_TOO_LARGE = _kind(
    "sheet-too-large", E, 'Sheet "{sheet}" không đọc được vì có dữ liệu quá xa bảng báo cáo: {reason}',
    "Xóa các ô thừa ở xa bảng báo cáo (ô {cell} và những ô tương tự), lưu lại dạng .xlsx rồi gửi lại",
    "file", OFFICE)
SHEET_CONTENT_MISSING = _kind(
    "sheet-content-missing", E,
    'Sheet "{sheet}" có tên trong tệp nhưng nội dung của sheet không còn trong tệp (tệp bị hỏng khi lưu, chép '
    "hoặc sửa bằng công cụ khác)",
    'Điền lại sheet "{sheet}" trên tệp mẫu đã nhận (hoặc một bản còn mở được đầy đủ) rồi gửi lại tệp đó',
    "file", OFFICE)
CELLS_OUTSIDE_TABLE = _kind(
    "cells-outside-table", W,
    'Sheet "{sheet}" có {count} ô có dữ liệu nằm ngoài vùng {area} của bảng báo cáo, đầu tiên là ô {cell}; '
    "camket đã bỏ qua các ô này",
    "Xem lại ô {cell}: nếu gõ nhầm thì xóa đi rồi lưu lại; nội dung báo cáo chỉ ghi trong các cột của mẫu",
    "file", OFFICE)

# --- identification ----------------------------------------------------------------
METADATA_MISSING = _kind(
    "metadata-missing", W, "Tệp không có dữ liệu kiểm soát của mẫu; đã nhận diện {how}",
    "Lần sau hãy điền trực tiếp vào tệp mẫu được gửi, không chép sang tệp mới", "identify", OFFICE)
METADATA_DAMAGED = _kind(
    "metadata-damaged", E, "Dữ liệu kiểm soát của mẫu bị sửa hoặc hỏng ({reason}); tệp không được tính",
    "Điền vào tệp mẫu gốc được gửi và gửi lại; không sửa sheet ẩn", "identify", OFFICE)
SIGNATURE_INVALID = _kind(
    "signature-invalid", E,
    "Chữ ký của mẫu không khớp: dữ liệu kiểm soát đã bị sửa (mẫu ghi đơn vị {claimed}, kỳ {round}); "
    "tệp được lưu nhưng không được tính",
    "Điền vào tệp mẫu gốc được gửi và gửi lại; không sửa sheet ẩn", "identify", OFFICE)
FOREIGN_WORKSPACE = _kind(
    "foreign-workspace", E, "Mẫu không do đơn vị tổng hợp này phát hành (mã {workspace}); tệp không được tính",
    "Kiểm tra lại: có thể đơn vị gửi nhầm mẫu của chương trình khác", "identify")
OTHER_ROUND = _kind(
    "other-round", E, 'Đây là mẫu của kỳ "{found}", không phải kỳ "{expected}"; tệp không được tính',
    'Đơn vị gửi lại báo cáo bằng mẫu kỳ "{expected}" (hoặc tiếp nhận tệp này với --round {found})',
    "identify", OFFICE)
UNKNOWN_UNIT = _kind(
    "unknown-unit", E, 'Mã đơn vị "{unit}" không có trong danh mục; tệp không được tính',
    "Kiểm tra danh mục đơn vị hoặc tệp đơn vị gửi", "identify")
UNIT_UNIDENTIFIED = _kind(
    "unit-unidentified", E, "Không xác định được đơn vị gửi báo cáo; tệp không được tính",
    "Điền vào tệp mẫu được gửi (có tên đơn vị) và gửi lại", "identify", OFFICE)
UNIT_CONFLICT = _kind(
    "unit-conflict", W, 'Mẫu của đơn vị "{unit}" nhưng ô đơn vị ghi "{written}"',
    "Kiểm tra đơn vị đã dùng đúng mẫu của mình chưa", "identify", OFFICE)
IDENTITY_CONFLICT = _kind(
    "identity-conflict", E,
    "Tệp tự ghi là của đơn vị {claimed} ({how}) nhưng các mã nhiệm vụ trong bảng là của đơn vị {unit}; tệp "
    "chưa được tính cho đơn vị nào (chờ xử lý)",
    "Đơn vị tổng hợp kiểm tra rồi chọn: camket accept {submission} (tính cho {unit}) hoặc camket accept "
    "{submission} --unit {claimed}, hoặc camket dismiss {submission} để loại", "identify")
LINK_MISMATCH = _kind(
    "link-mismatch", E,
    "Tệp được gửi qua đường dẫn riêng của đơn vị {unit} nhưng là báo cáo của đơn vị {content}; tệp chưa được "
    "tính cho đơn vị nào (chờ xử lý)",
    "Mỗi đơn vị gửi báo cáo của mình qua đường dẫn riêng của mình; đơn vị tổng hợp sẽ kiểm tra tệp này "
    "(tệp số {submission})", "identify", OFFICE)
UNSIGNED_AFTER_SIGNED = _kind(
    "unsigned-after-signed", W,
    "Đơn vị {unit} đã có báo cáo từ tệp mẫu gốc ({previous}); tệp này không có dữ liệu kiểm soát của mẫu nên "
    "không tự động thay thế (chờ xử lý)",
    "Nếu đây đúng là bản đơn vị muốn dùng, đơn vị tổng hợp chạy camket accept {submission}; lần sau đơn vị "
    "điền và gửi lại chính tệp mẫu", "identify", OFFICE)
TEMPLATE_NOT_FILLED = _kind(
    "template-not-filled", E, "Tệp là mẫu báo cáo chưa được điền ({why}); tệp không được tính",
    "Đơn vị điền tình trạng, kết quả các nhiệm vụ vào mẫu rồi gửi lại", "identify", OFFICE)
WORKSPACE_FOLDER_SKIPPED = _kind(
    "workspace-folder-skipped", INFO, "Bỏ qua {what} của chính thư mục làm việc (không phải tệp đơn vị gửi)",
    "Không cần làm gì; lần sau chỉ đưa vào lệnh tiếp nhận các thư mục chứa tệp nhận được", "file")
INTERNAL_ERROR = _kind(
    "internal-error", E,
    "camket gặp lỗi chương trình khi đọc tệp này ({error}); đây không phải lỗi của tệp. Tệp được lưu ở trạng "
    "thái lỗi chương trình, chưa được tính",
    "Gửi tệp nhật ký {log} cho người hỗ trợ camket; sau khi cập nhật camket, tiếp nhận lại tệp này", "file")
ARCHIVE_RESTORED = _kind(
    "archive-restored", W,
    "Bản lưu của tệp này trong kho lưu đã bị hỏng hoặc mất; đã khôi phục từ tệp vừa nhận (trùng nội dung)",
    "Chạy camket verify để kiểm tra toàn bộ kho lưu", "ledger")
FORMAT_UNSUPPORTED = _kind(
    "format-unsupported", E, "Mẫu thuộc định dạng phiên bản {version}, camket này chưa đọc được",
    "Cập nhật camket lên bản mới", "identify")
CAMKET_OUTPUT = _kind(
    "camket-output", E, "Tệp là {what} do camket lập, không phải báo cáo của đơn vị; tệp không được tính",
    "Không cần làm gì; chỉ đưa vào lệnh tiếp nhận các tệp đơn vị gửi về", "identify", DEPARTMENT)
REPORT_SHEET_MISSING = _kind(
    "report-sheet-missing", E, 'Không tìm thấy bảng báo cáo (sheet "{sheet}" có dòng tiêu đề)',
    "Dùng lại tệp mẫu; không đổi tên sheet, không xóa dòng tiêu đề", "identify", OFFICE)
REPORT_SHEET_COPY = _kind(
    "report-sheet-copy", W,
    'Ngoài sheet "{sheet}", tệp còn có bảng báo cáo ở sheet {others}; camket chỉ đọc sheet "{sheet}", '
    "không đọc các sheet kia",
    'Nếu sheet {others} chỉ là bản sao thì xóa đi; nếu nội dung báo cáo được điền ở đó thì chép sang sheet '
    '"{sheet}"; rồi gửi lại tệp', "identify", OFFICE)
COLUMN_MISSING = _kind(
    "column-missing", E, 'Bảng báo cáo thiếu cột "{column}"',
    "Dùng lại tệp mẫu; không xóa hoặc đổi tên cột", "identify", OFFICE)

# --- each reported row ---------------------------------------------------------------
FORMULA_WITHOUT_VALUE = _kind(
    "formula-without-value", W, 'Ô có công thức "={formula}" nhưng tệp không lưu giá trị đã tính (được coi là trống)',
    "Nhập giá trị thay cho công thức, hoặc mở tệp bằng Excel/LibreOffice, lưu lại rồi gửi lại", "row", OFFICE)
STATUS_MISSING = _kind(
    "status-missing", E, 'Chưa chọn Tình trạng cho nhiệm vụ "{task}"',
    "Chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện, Không thực hiện", "row", OFFICE)
STATUS_INVALID = _kind(
    "status-invalid", E, '{value} không phải tình trạng hợp lệ',
    "Chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện, Không thực hiện", "row", OFFICE)
STATUS_SYNONYM = _kind(
    "status-synonym", W, 'Tình trạng ghi "{raw}" đã được hiểu là "{status}"',
    "Lần sau chọn giá trị trong danh sách", "row", OFFICE)
STATUS_FUZZY = _kind(
    "status-fuzzy", W, 'Tình trạng ghi "{raw}" (có vẻ gõ nhầm) đã được hiểu là "{status}"',
    "Kiểm tra lại và chọn giá trị trong danh sách", "row", OFFICE)
PROGRESS_INVALID = _kind(
    "progress-invalid", E, '{value} không phải tiến độ hợp lệ',
    "Ghi tiến độ là số từ 0 đến 100, ví dụ 80 hoặc 66,5", "row", OFFICE)
PROGRESS_RANGE = _kind(
    "progress-out-of-range", E, 'Tiến độ {value} nằm ngoài khoảng 0–100',
    "Ghi tiến độ là số từ 0 đến 100", "row", OFFICE)
PROGRESS_FRACTION = _kind(
    "progress-fraction", W, 'Tiến độ ghi "{raw}" đã được hiểu là {value}%',
    "Ghi tiến độ theo thang 0–100 (80 nghĩa là 80%)", "row", OFFICE)
VALUE_AS_TEXT = _kind(
    "value-as-text", INFO, "{count} ô ghi số hoặc ngày dạng chữ đã được đọc ({cells})",
    "Không cần sửa; lần sau nhập đúng kiểu ô", "row", OFFICE)
TEXT_CLEANED = _kind(
    "text-cleaned", INFO,
    "Ô có ký tự điều khiển hoặc ký tự không hiển thị được ({chars}); camket đã làm sạch nội dung "
    "(ngắt dòng đổi thành xuống dòng) và vẫn lưu giá trị gốc",
    "Không cần sửa; khi dán nội dung từ Word, nên dùng Dán đặc biệt (Paste Special) → Văn bản không định dạng",
    "row", OFFICE)
TEXT_DECOMPOSED = _kind(
    "text-decomposed", INFO, "{count} ô gõ bằng Unicode tổ hợp đã được chuyển sang Unicode dựng sẵn ({cells})",
    "Không cần sửa; nên đặt bộ gõ ở bảng mã Unicode dựng sẵn", "row", OFFICE)
DATE_INVALID = _kind(
    "date-invalid", E, '{value} không phải ngày hợp lệ (ngày/tháng/năm)',
    "Nhập lại ngày theo dạng ngày/tháng/năm, ví dụ 15/08/2022", "row", OFFICE)
DATE_FUTURE = _kind(
    "date-future", E, 'Ngày hoàn thành {value} ở sau ngày tiếp nhận {today}',
    "Ghi đúng ngày đã hoàn thành; nhiệm vụ chưa xong thì chọn Đang thực hiện", "row", OFFICE)
DATE_BEFORE_PROGRAMME = _kind(
    "date-before-programme", W, 'Ngày hoàn thành {value} ở trước năm {year} của chương trình',
    "Kiểm tra lại năm của ngày hoàn thành", "row", OFFICE)
SCORE_INVALID = _kind(
    "score-invalid", E, '{value} không phải điểm hợp lệ',
    "Ghi điểm là số không âm, không vượt Điểm tối đa", "row", OFFICE)
SCORE_ABOVE_POINTS = _kind(
    "score-above-points", E, 'Điểm tự chấm {value} cao hơn điểm tối đa {points} của nhiệm vụ "{task}"',
    "Chấm lại, không vượt Điểm tối đa", "row", OFFICE)
SCORE_MISSING = _kind(
    "score-missing", W, 'Chưa tự chấm điểm nhiệm vụ "{task}" (được tính 0 điểm)',
    "Ghi điểm tự chấm từ 0 đến Điểm tối đa", "row", OFFICE)
SCORE_NONE = _kind(
    "score-none", W, "Đơn vị chưa tự chấm điểm nhiệm vụ nào ({count} nhiệm vụ, được tính 0 điểm)",
    'Ghi điểm tự chấm từ 0 đến Điểm tối đa ở cột "Tự chấm điểm"', "row", OFFICE)
SELF_SCORE_NOT_STARTED = _kind(
    "self-score-not-started", W, 'Nhiệm vụ "{task}" Chưa thực hiện nhưng tự chấm {score} điểm',
    "Theo hướng dẫn chấm điểm, nhiệm vụ chưa thực hiện được tự chấm tối đa {allowed} điểm; chấm lại", "row",
    OFFICE)
SELF_SCORE_NOT_DONE = _kind(
    "self-score-not-done", W, 'Nhiệm vụ "{task}" Không thực hiện nhưng tự chấm {score} điểm',
    "Theo hướng dẫn chấm điểm, nhiệm vụ không thực hiện được tự chấm tối đa {allowed} điểm; chấm lại", "row",
    OFFICE)
SELF_SCORE_FULL_UNFINISHED = _kind(
    "self-score-full-unfinished", W,
    'Nhiệm vụ "{task}" chưa hoàn thành ({progress}) nhưng tự chấm đủ {points} điểm tối đa',
    "Theo hướng dẫn chấm điểm, chỉ nhiệm vụ Hoàn thành mới được điểm tối đa; chấm lại theo tiến độ thực hiện",
    "row", OFFICE)
SELF_SCORE_ABOVE_PROGRESS = _kind(
    "self-score-above-progress", W,
    'Nhiệm vụ "{task}" có tiến độ {progress}% nhưng tự chấm {score}/{points} điểm',
    "Theo hướng dẫn chấm điểm, nhiệm vụ đang thực hiện được tự chấm không quá {allowed} điểm (tiến độ cộng "
    "{margin} điểm phần trăm của điểm tối đa); chấm lại", "row", OFFICE)
ACHIEVED_INVALID = _kind(
    "achieved-invalid", E, '{value} không phải giá trị đạt được hợp lệ',
    "Chỉ ghi một số không âm, theo đơn vị của cột Chỉ tiêu bên trái (không ghi đơn vị), ví dụ 10", "row", OFFICE)
ACHIEVED_FRACTION = _kind(
    "achieved-fraction", W, 'Giá trị đạt được ghi "{raw}" đã được hiểu là {value} (chỉ tiêu {target})',
    "Ghi số phần trăm theo thang 0–100 (95 nghĩa là 95%)", "row", OFFICE)
ACHIEVED_MISSING = _kind(
    "achieved-missing", W,
    'Nhiệm vụ "{task}" có chỉ tiêu {target}, chọn Hoàn thành nhưng chưa ghi Giá trị đạt được',
    "Ghi số đã đạt được để so với chỉ tiêu", "row", OFFICE)
TARGET_NOT_MET = _kind(
    "target-not-met", W,
    'Nhiệm vụ "{task}" chọn Hoàn thành nhưng giá trị đạt được {achieved} chưa đạt chỉ tiêu {target} ({counted})',
    "Kiểm tra lại Giá trị đạt được; nếu chưa đạt chỉ tiêu, nêu rõ lý do ở cột Khó khăn, vướng mắc", "row", OFFICE)
TARGET_NOT_MET_EXPLAINED = _kind(
    "target-not-met-explained", INFO,
    'Nhiệm vụ "{task}" hoàn thành nhưng giá trị đạt được {achieved} chưa đạt chỉ tiêu {target} ({counted}); đơn vị '
    "đã nêu lý do", "Không cần sửa; đơn vị tổng hợp xem lý do ở cột Khó khăn, vướng mắc", "row")
DONE_BELOW_100 = _kind(
    "done-progress-below-100", W, 'Nhiệm vụ "{task}" chọn Hoàn thành nhưng tiến độ chỉ {value}%',
    "Nếu đã hoàn thành, ghi tiến độ 100; nếu chưa, chọn Đang thực hiện", "row", OFFICE)
DONE_WITHOUT_DATE = _kind(
    "done-without-date", W, 'Nhiệm vụ "{task}" chọn Hoàn thành nhưng chưa ghi ngày hoàn thành',
    "Ghi ngày hoàn thành (ngày/tháng/năm) để xác định đúng hạn hay quá hạn", "row", OFFICE)
DATE_WITHOUT_DONE = _kind(
    "date-without-done", W, 'Nhiệm vụ "{task}" có ngày hoàn thành nhưng tình trạng là "{status}"',
    "Nếu đã hoàn thành, chọn Hoàn thành; nếu chưa, xóa ngày hoàn thành", "row", OFFICE)
PROGRESS_100_NOT_DONE = _kind(
    "progress-100-not-done", W, 'Nhiệm vụ "{task}" có tiến độ 100% nhưng tình trạng là "{status}"',
    "Nếu đã hoàn thành, chọn Hoàn thành và ghi ngày; nếu chưa, sửa tiến độ", "row", OFFICE)
NOT_DONE_WITHOUT_REASON = _kind(
    "not-done-without-reason", W, 'Nhiệm vụ "{task}" Không thực hiện nhưng chưa nêu lý do',
    "Ghi rõ lý do ở cột Khó khăn, vướng mắc", "row", OFFICE)
LOCKED_CHANGED = _kind(
    "locked-cell-changed", E, 'Ô đã khóa bị sửa: {column} của nhiệm vụ "{task}" từ "{old}" thành "{new}"',
    "Không sửa nội dung đã cam kết; mọi điều chỉnh phải được cấp có thẩm quyền đồng ý. "
    "Số liệu được tính theo danh mục", "row", OFFICE)
MASTER_CHANGED = _kind(
    "master-changed", INFO, 'Danh mục đã sửa {column} của nhiệm vụ "{task}" sau khi phát hành mẫu',
    "Không cần làm gì: số liệu tính theo danh mục hiện hành", "row")
TASK_MISSING = _kind(
    "task-missing", W, 'Thiếu dòng của nhiệm vụ "{task}" trong báo cáo (tính là chưa báo cáo)',
    "Báo cáo đủ các nhiệm vụ đã cam kết", "row", OFFICE)
TASK_NOT_FILLED = _kind(
    "task-not-filled", W, 'Nhiệm vụ "{task}" chưa được điền (tính là chưa báo cáo)',
    "Điền tình trạng và kết quả của nhiệm vụ", "row", OFFICE)
TASK_DUPLICATED = _kind(
    "task-duplicated", E, 'Nhiệm vụ "{task}" xuất hiện nhiều lần (đã lấy dòng {first})',
    "Mỗi nhiệm vụ chỉ báo cáo trên một dòng; xóa dòng lặp", "row", OFFICE)
TASK_UNKNOWN = _kind(
    "task-unknown", W, 'Mã nhiệm vụ "{task}" không có trong danh mục; được ghi nhận như nhiệm vụ phát sinh',
    "Nếu là nhiệm vụ phát sinh, ghi vào mục Nhiệm vụ phát sinh cuối bảng", "row", OFFICE)
TASK_OF_OTHER_UNIT = _kind(
    "task-of-other-unit", E, 'Nhiệm vụ "{task}" thuộc đơn vị "{owner}", không phải "{unit}"; dòng không được tính',
    "Chỉ báo cáo nhiệm vụ của đơn vị mình", "row", OFFICE)
TASK_MATCHED_BY_TEXT = _kind(
    "task-matched-by-text", W, 'Dòng không có mã đã được ghép với nhiệm vụ "{task}" theo nội dung',
    "Giữ nguyên cột Mã nhiệm vụ của mẫu", "row", OFFICE)
TASK_ADDED = _kind(
    "task-added", INFO, 'Ghi nhận nhiệm vụ phát sinh: "{content}" (đề xuất, không tính vào kết quả)',
    "Đơn vị tổng hợp xem xét bổ sung vào danh mục nếu được chấp thuận", "row")
ADDED_INCOMPLETE = _kind(
    "added-incomplete", W, "Dòng nhiệm vụ phát sinh chưa ghi nội dung nhiệm vụ",
    "Ghi nội dung nhiệm vụ phát sinh hoặc xóa dòng", "row", OFFICE)
LEGACY_CONVERTED = _kind(
    "legacy-text-converted", W, 'Văn bản gõ bằng bảng mã cũ {encoding} đã được chuyển sang Unicode: "{text}"',
    "Kiểm tra lại nội dung; nên dùng bảng mã Unicode", "row", OFFICE)
LEGACY_SUSPICIOUS = _kind(
    "legacy-text-suspicious", W, 'Văn bản có thể gõ bằng bảng mã cũ nhưng không chuyển được: "{text}"',
    "Gõ lại nội dung bằng bảng mã Unicode", "row", OFFICE)

# --- each task against the same unit's answer in the previous round (camket.consistency) -------------
# Computed anew whenever a round is reconciled, never stored; the figures stay as reported.
STATUS_REVERTED = _kind(
    "status-reverted", W,
    'Nhiệm vụ "{task}" đã được báo cáo Hoàn thành ở kỳ {before} (ngày hoàn thành: {was}), kỳ này lại báo cáo '
    '"{status}"',
    "Nếu nhiệm vụ đã hoàn thành, chọn Hoàn thành và ghi ngày hoàn thành; nếu thực ra nhiệm vụ chưa hoàn thành "
    "(báo cáo kỳ {before} ghi chưa đúng), ghi rõ ở cột Khó khăn, vướng mắc", "cross-round", OFFICE)
DATE_BEFORE_PREVIOUS_AS_OF = _kind(
    "date-before-previous-as-of", W,
    'Nhiệm vụ "{task}" báo cáo hoàn thành ngày {date}, nhưng báo cáo kỳ {before} (số liệu đến ngày {as_of}) '
    'ghi "{was}"',
    "Nếu ghi nhầm ngày hoàn thành, sửa lại cho đúng; nếu ngày này đúng (báo cáo kỳ {before} ghi chưa đúng tình "
    "trạng), ghi rõ ở cột Khó khăn, vướng mắc", "cross-round", OFFICE)
DATE_DIFFERS_FROM_PREVIOUS = _kind(
    "date-differs-from-previous", INFO,
    'Nhiệm vụ "{task}" báo cáo hoàn thành ngày {date}, kỳ {before} đã báo cáo hoàn thành ngày {was}',
    "Không cần sửa nếu ngày của kỳ này đúng; số liệu kỳ này tính theo ngày {date}", "cross-round")
PROGRESS_DECREASED = _kind(
    "progress-decreased", W, 'Tiến độ nhiệm vụ "{task}" giảm từ {was}% (kỳ {before}) xuống {value}%',
    "Tiến độ tính lũy kế từ khi bắt đầu nhiệm vụ nên không giảm qua các kỳ: ghi lại tiến độ cho đúng; nếu phải "
    "làm lại phần việc đã làm, ghi rõ lý do ở cột Khó khăn, vướng mắc", "cross-round", OFFICE)

# --- appraisal workbooks ----------------------------------------------------------------
APPRAISAL_CONTEXT_CHANGED = _kind(
    "appraisal-context-changed", E,
    'Nội dung đã khóa của nhiệm vụ "{task}" (đơn vị {unit}) trong tệp thẩm định đã bị sửa',
    "Chỉ ghi vào hai cột Điểm thẩm định và Nhận xét thẩm định; lập lại tệp bằng camket appraise nếu cần",
    "appraisal")
APPRAISAL_SCORE_INVALID = _kind(
    "appraisal-score-invalid", E, 'Điểm thẩm định {value} của nhiệm vụ "{task}" không phải là số hợp lệ',
    "Ghi điểm là số không âm, không vượt Điểm tối đa", "appraisal")
APPRAISAL_ABOVE_POINTS = _kind(
    "appraisal-above-points", E, 'Điểm thẩm định {value} của nhiệm vụ "{task}" cao hơn điểm tối đa {points}',
    "Chấm lại, không vượt Điểm tối đa", "appraisal")
APPRAISAL_MISSING = _kind(
    "appraisal-missing", W, 'Nhiệm vụ "{task}" (đơn vị {unit}) đã được báo cáo nhưng chưa có điểm thẩm định',
    "Ghi điểm thẩm định; nhiệm vụ chưa thẩm định được tính theo điểm tự chấm", "appraisal")
APPRAISAL_ROW_UNKNOWN = _kind(
    "appraisal-row-unknown", W, 'Dòng của nhiệm vụ "{task}" (đơn vị {unit}) không có trong tệp thẩm định đã lập',
    "Không thêm dòng vào tệp thẩm định; dòng này được bỏ qua", "appraisal")

# --- roll-up to the level above ------------------------------------------------------------
ROLLUP_NO_CHILDREN = _kind(
    "rollup-no-children", W, 'Nhiệm vụ cấp trên "{task}" không có nhiệm vụ nào của đơn vị gắn với nó; để trống',
    'Ghi mã "{task}" vào cột Mã nhiệm vụ cấp trên của các nhiệm vụ tương ứng trong danh mục', "rollup")
ROLLUP_UNKNOWN_PARENT = _kind(
    "rollup-unknown-parent", W,
    'Nhiệm vụ "{task}" gắn với mã cấp trên "{parent}" nhưng mẫu của cấp trên không có nhiệm vụ này',
    "Kiểm tra lại cột Mã nhiệm vụ cấp trên trong danh mục", "rollup")

# --- the ledger --------------------------------------------------------------------
RESUBMISSION = _kind(
    "resubmission", INFO, "Thay cho báo cáo nhận trước đó ({previous})",
    "Không cần làm gì: báo cáo mới được dùng để tổng hợp, bản cũ vẫn được lưu", "ledger")
RESUBMISSION_KEPT_FIRST = _kind(
    "resubmission-kept-first", INFO,
    "Đơn vị đã có báo cáo được chấp nhận ({previous}); tệp này được lưu nhưng không thay thế",
    "Dùng camket accept để chọn bản khác nếu cần", "ledger")

# --- camket verify ---------------------------------------------------------------------
LEDGER_DAMAGED = _kind(
    "ledger-damaged", E, "{file} bị hỏng: {detail}",
    "Không ghi thêm vào thư mục làm việc; khôi phục {file} từ bản sao lưu (thư mục .camket/backup hoặc bản sao "
    "của cơ quan) rồi chạy lại camket verify", "verify")
ARCHIVE_UNREFERENCED = _kind(
    "archive-unreferenced", W, "Kho lưu có {count} tệp không gắn với bản ghi tiếp nhận nào trong sổ",
    "Sổ tiếp nhận có thể đã bị thay bằng bản cũ hơn hoặc bị xóa bớt: khôi phục ledger.sqlite từ bản sao lưu mới "
    "nhất (thư mục .camket/backup hoặc bản sao của cơ quan) rồi chạy lại camket verify", "verify")
ARCHIVE_DAMAGED = _kind(
    "archive-damaged", E, "Bản lưu của tệp {name} ({which}) không còn đúng nội dung gốc (mã băm SHA-256 khác)",
    "Tiếp nhận lại tệp gốc bằng camket ingest để khôi phục bản lưu; nếu không còn tệp gốc, khôi phục "
    "archive.sqlite từ bản sao lưu", "verify")
ARCHIVE_MISSING = _kind(
    "archive-missing", E, "Kho lưu không có bản lưu của tệp {name} ({which})",
    "Tiếp nhận lại tệp gốc bằng camket ingest để khôi phục bản lưu; nếu không còn tệp gốc, khôi phục "
    "archive.sqlite từ bản sao lưu", "verify")
LEDGER_ORPHANS = _kind(
    "ledger-orphans", E, "Sổ tiếp nhận có {count} dòng ở bảng {table} không gắn với bản ghi nào",
    "Khôi phục ledger.sqlite từ bản sao lưu; không sửa sổ bằng công cụ khác", "verify")

# --- the year: structure rules, registration, e-mail, workbooks of several units -----------
STRUCTURE_VIOLATION = _kind(
    "structure-violation", E,
    'Đơn vị {unit} ({name}) có {count} nhiệm vụ nguồn "{source}", quy định {allowed} nhiệm vụ',
    'Bổ sung hoặc bớt nhiệm vụ nguồn "{source}" của đơn vị cho đúng quy định (bảng [[structure]] ở dòng {line} '
    "của camket.toml)", "master")
STRUCTURE_SOURCE_UNKNOWN = _kind(
    "structure-source-unknown", W, 'Quy định cơ cấu nhắc nguồn "{source}" nhưng không nhiệm vụ nào thuộc nguồn này',
    'Kiểm tra chính tả nguồn trong bảng [[structure]] (dòng {line} của camket.toml) và cột Nguồn của danh mục; '
    "các nguồn đang có: {known}", "master")
MULTI_UNIT_WORKBOOK = _kind(
    "multi-unit-workbook", W,
    "Tệp chứa báo cáo của {count} đơn vị ({units}); các dòng được tính cho từng đơn vị theo mã nhiệm vụ",
    "Không cần làm gì; lần sau mỗi đơn vị nên điền và gửi mẫu của mình", "identify")
MULTI_UNIT_ROW_UNCOUNTED = _kind(
    "multi-unit-row-uncounted", W, "Dòng {row} (mã {code}) của tệp chung nhiều đơn vị không được tính cho đơn vị "
    "nào: {reason}", "Ghi đúng mã nhiệm vụ của dòng này, hoặc đơn vị gửi báo cáo bằng mẫu của mình", "identify")
MAIL_NO_WORKBOOK = _kind(
    "mail-no-workbook", W, 'Thư "{subject}" của {sender} ({date}) không kèm tệp báo cáo{others}',
    "Liên hệ người gửi để gửi lại thư có đính kèm tệp mẫu báo cáo đã điền", "mail")
MAIL_ATTACHMENT_SKIPPED = _kind(
    "mail-attachment-skipped", INFO, 'Tệp đính kèm "{name}" của thư "{subject}" là {what}, không phải bảng tính; '
    "không tiếp nhận", "Không cần làm gì nếu thư đã kèm tệp mẫu báo cáo", "mail")
MAIL_ATTACHMENT_REFUSED = _kind(
    "mail-attachment-refused", W, 'Bỏ qua tệp đính kèm "{name}" của thư "{subject}": {reason}',
    "Đề nghị người gửi gửi riêng tệp báo cáo (dung lượng nhỏ, không lồng trong nhiều lớp thư hoặc tệp nén)", "mail")
MAIL_DATE_MISSING = _kind(
    "mail-date-missing", W, 'Thư "{subject}" không có ngày gửi hợp lệ (Date: "{value}"); ngày nhận tính theo '
    "thời điểm lưu tệp", "Kiểm tra ngày nhận thư; có thể ghi ngày nhận bằng --received-on", "mail")
MAIL_UNREADABLE = _kind(
    "mail-unreadable", E, "Không đọc được thư ({reason})",
    "Lưu lại thư từ chương trình thư điện tử (dạng .eml hoặc .msg) rồi tiếp nhận lại, hoặc lưu riêng tệp đính kèm",
    "mail")
MAIL_TOO_MANY = _kind(
    "mail-too-many", E, "Hộp thư có quá nhiều thư hoặc tệp đính kèm; chỉ đọc {limit} mục đầu",
    "Xuất hộp thư thành nhiều tệp nhỏ hơn", "mail")
REG_CONTENT_MISSING = _kind(
    "registration-content-missing", E, "Dòng nhiệm vụ tự đăng ký đã ghi {what} nhưng chưa ghi nội dung nhiệm vụ",
    "Ghi nội dung nhiệm vụ, hoặc xóa các ô đã ghi của dòng này, rồi gửi lại", "registration", OFFICE)
REG_DEADLINE_MISSING = _kind(
    "registration-deadline-missing", E, 'Nhiệm vụ "{content}" chưa có thời hạn',
    'Ghi thời hạn dạng ngày/tháng/năm (30/06/2023), tháng/năm (6/2023), Quý II/2023 hoặc "Thường xuyên"',
    "registration", OFFICE)
REG_DEADLINE_INVALID = _kind(
    "registration-deadline-invalid", E, 'Thời hạn "{value}" của nhiệm vụ "{content}" không hợp lệ: {reason}',
    'Ghi thời hạn dạng ngày/tháng/năm (30/06/2023), tháng/năm (6/2023), Quý II/2023 hoặc "Thường xuyên"',
    "registration", OFFICE)
REG_DEADLINE_OUTSIDE_YEAR = _kind(
    "registration-deadline-outside-year", W, 'Thời hạn {deadline} của nhiệm vụ "{content}" nằm ngoài năm {year}',
    "Kiểm tra lại năm của thời hạn", "registration", OFFICE)
REG_POINTS_INVALID = _kind(
    "registration-points-invalid", E, 'Điểm tối đa "{value}" của nhiệm vụ "{content}" không hợp lệ',
    "Ghi một số không âm, ví dụ 10 hoặc 12,5", "registration", OFFICE)
REG_POINTS_MISSING = _kind(
    "registration-points-missing", W, 'Nhiệm vụ "{content}" chưa có điểm tối đa',
    "Ghi điểm tối đa để chấm điểm và xếp loại", "registration", OFFICE)
REG_LOCKED_CHANGED = _kind(
    "registration-locked-changed", W,
    'Nội dung đã giao của nhiệm vụ "{task}" bị sửa ("{old}" thành "{new}"); giữ nội dung đã giao',
    "Không sửa nội dung nhiệm vụ chung, nhiệm vụ được giao; đề nghị điều chỉnh ghi ở cột Ghi chú",
    "registration", OFFICE)
REG_TASK_DROPPED = _kind(
    "registration-task-dropped", W, 'Nhiệm vụ được giao "{task}" không còn trong bản đăng ký; vẫn giữ trong danh mục',
    "Không xóa dòng nhiệm vụ chung, nhiệm vụ được giao; đề nghị điều chỉnh ghi ở cột Ghi chú", "registration",
    OFFICE)
REG_DUPLICATE = _kind(
    "registration-duplicate", W, 'Nhiệm vụ "{content}" được ghi hai lần (dòng {first} và dòng {row}); chỉ lấy dòng '
    "{first}", "Xóa dòng lặp lại", "registration", OFFICE)
REG_NOT_A_FORM = _kind(
    "registration-not-a-form", E, "Tệp không phải phiếu đăng ký do đơn vị tổng hợp gửi (không có dữ liệu kiểm soát "
    "của phiếu); tệp không được tính", "Điền vào chính phiếu đăng ký được gửi (camket registration) rồi gửi lại",
    "registration", OFFICE)
REG_NOT_RETURNED = _kind(
    "registration-not-returned", W, "Đơn vị {unit} ({name}) chưa gửi bản đăng ký nhiệm vụ",
    "Đôn đốc đơn vị gửi bản đăng ký; nhiệm vụ của đơn vị trong danh mục giữ nguyên cho đến khi có bản đăng ký",
    "registration")

# --- names and handling -----------------------------------------------------------------
# The Vietnamese name of each finding (shown beside its code in every output), and the
# findings about a returned file that need nothing resent: the value was understood, the
# office is only told how to do better next time.
TITLES: dict[str, str] = {
    "identity-conflict": "Tệp ghi một đơn vị, nội dung của đơn vị khác",
    "link-mismatch": "Gửi qua đường dẫn của đơn vị khác",
    "unsigned-after-signed": "Bản sao gửi sau bản mẫu gốc", "template-not-filled": "Mẫu chưa được điền",
    "camket-output": "Tệp do camket lập",
    "sheet-content-missing": "Sheet không có nội dung", "report-sheet-copy": "Có bản sao sheet báo cáo",
    "config-round-due-far": "Hạn gửi quá xa ngày chốt số liệu",
    "archive-member-unreadable": "Không đọc được tệp trong tệp nén",
    "cells-outside-table": "Dữ liệu nằm ngoài bảng báo cáo", "text-cleaned": "Đã làm sạch ký tự điều khiển",
    "workspace-folder-skipped": "Bỏ qua tệp của thư mục làm việc", "internal-error": "Lỗi chương trình camket",
    "archive-restored": "Đã khôi phục bản lưu", "round-differs-from-master": "Kỳ đã phát hành khác danh mục",
    "ledger-damaged": "Sổ tiếp nhận bị hỏng", "archive-damaged": "Bản lưu bị hỏng", "archive-missing": "Thiếu bản lưu",
    "ledger-orphans": "Bản ghi mồ côi trong sổ", "archive-unreferenced": "Tệp trong kho lưu không có bản ghi",
    "config-syntax": "Cấu hình sai cú pháp", "config-missing-key": "Cấu hình thiếu khóa",
    "config-missing-table": "Cấu hình thiếu bảng", "config-unknown-key": "Khóa cấu hình không dùng",
    "config-bad-value": "Giá trị cấu hình sai", "config-round-duplicate": "Trùng mã kỳ báo cáo",
    "config-due-before-as-of": "Hạn gửi trước ngày chốt số liệu",
    "config-round-outside-year": "Kỳ báo cáo ngoài năm thực hiện",
    "config-signer-among-recipients": "Người ký có trong Nơi nhận", "config-no-round": "Chưa khai báo kỳ báo cáo",
    "master-missing": "Không có tệp danh mục", "master-unreadable": "Không đọc được danh mục",
    "master-sheet-missing": "Danh mục thiếu sheet", "master-header-missing": "Danh mục thiếu dòng tiêu đề",
    "master-column-missing": "Danh mục thiếu cột", "master-empty": "Danh mục trống",
    "unit-code-missing": "Đơn vị chưa có mã", "unit-code-duplicate": "Trùng mã đơn vị",
    "unit-name-missing": "Đơn vị chưa có tên", "unit-no-tasks": "Đơn vị chưa có nhiệm vụ",
    "unit-head-missing": "Chưa ghi thủ trưởng", "unit-email-invalid": "Thư điện tử không hợp lệ",
    "task-code-missing": "Nhiệm vụ chưa có mã", "task-code-duplicate": "Trùng mã nhiệm vụ",
    "task-unit-missing": "Nhiệm vụ chưa ghi đơn vị", "task-unknown-unit": "Nhiệm vụ của đơn vị không có",
    "task-content-missing": "Nhiệm vụ chưa có nội dung", "task-deadline-missing": "Nhiệm vụ chưa có thời hạn",
    "task-deadline-invalid": "Thời hạn không hợp lệ", "task-deadline-outside-year": "Thời hạn ngoài năm",
    "task-points-invalid": "Điểm tối đa không hợp lệ", "task-points-missing": "Chưa có điểm tối đa",
    "task-group-missing": "Nhiệm vụ chưa ghi nhóm", "master-legacy-text": "Danh mục gõ bảng mã cũ",
    "file-empty": "Tệp rỗng", "file-not-spreadsheet": "Tệp không phải bảng tính", "file-corrupt": "Tệp bị hỏng",
    "file-encrypted": "Tệp có mật khẩu", "file-too-large": "Tệp quá lớn",
    "file-unsafe-content": "Tệp chứa thành phần không được phép", "archive-corrupt": "Tệp nén bị hỏng",
    "archive-member-skipped": "Bỏ qua tệp trong tệp nén", "archive-unsafe-name": "Tên tệp nén không an toàn",
    "archive-too-many": "Tệp nén quá nhiều tệp", "sheet-too-large": "Sheet quá nhiều dòng",
    "metadata-missing": "Không dùng tệp mẫu gốc", "metadata-damaged": "Dữ liệu kiểm soát bị sửa",
    "signature-invalid": "Chữ ký mẫu không khớp", "foreign-workspace": "Mẫu của nơi khác",
    "other-round": "Mẫu của kỳ khác", "unknown-unit": "Đơn vị không có trong danh mục",
    "unit-unidentified": "Không xác định được đơn vị", "unit-conflict": "Tên đơn vị không khớp mẫu",
    "format-unsupported": "Mẫu phiên bản mới hơn", "report-sheet-missing": "Không có bảng báo cáo",
    "column-missing": "Bảng báo cáo thiếu cột", "formula-without-value": "Công thức không có giá trị",
    "status-missing": "Chưa chọn tình trạng", "status-invalid": "Tình trạng không hợp lệ",
    "status-synonym": "Tình trạng gõ tay đã được hiểu", "status-fuzzy": "Tình trạng gõ nhầm đã được hiểu",
    "progress-invalid": "Tiến độ không hợp lệ", "progress-out-of-range": "Tiến độ ngoài 0–100",
    "progress-fraction": "Tiến độ ghi dạng phân số", "value-as-text": "Số, ngày ghi dạng chữ",
    "text-decomposed": "Unicode tổ hợp", "date-invalid": "Ngày không hợp lệ",
    "date-future": "Ngày hoàn thành sau ngày nhận", "date-before-programme": "Ngày hoàn thành trước năm thực hiện",
    "score-invalid": "Điểm tự chấm không hợp lệ", "score-above-points": "Điểm tự chấm vượt điểm tối đa",
    "score-missing": "Chưa tự chấm điểm", "score-none": "Chưa tự chấm điểm nhiệm vụ nào",
    "done-progress-below-100": "Hoàn thành nhưng tiến độ dưới 100%",
    "done-without-date": "Hoàn thành nhưng chưa ghi ngày", "date-without-done": "Có ngày nhưng chưa hoàn thành",
    "progress-100-not-done": "Tiến độ 100% nhưng chưa hoàn thành",
    "not-done-without-reason": "Không thực hiện nhưng chưa nêu lý do", "locked-cell-changed": "Sửa ô đã khóa",
    "master-changed": "Danh mục sửa sau khi phát hành mẫu", "task-missing": "Thiếu dòng nhiệm vụ",
    "task-not-filled": "Nhiệm vụ chưa được điền", "task-duplicated": "Nhiệm vụ lặp lại",
    "task-unknown": "Mã nhiệm vụ không có trong danh mục", "task-of-other-unit": "Nhiệm vụ của đơn vị khác",
    "task-matched-by-text": "Ghép nhiệm vụ theo nội dung", "task-added": "Nhiệm vụ phát sinh",
    "added-incomplete": "Nhiệm vụ phát sinh thiếu nội dung", "legacy-text-converted": "Đã chuyển bảng mã cũ",
    "legacy-text-suspicious": "Nghi gõ bảng mã cũ", "appraisal-context-changed": "Tệp thẩm định bị sửa",
    "appraisal-score-invalid": "Điểm thẩm định không hợp lệ",
    "appraisal-above-points": "Điểm thẩm định vượt điểm tối đa", "appraisal-missing": "Chưa có điểm thẩm định",
    "appraisal-row-unknown": "Dòng thẩm định không có trong tệp đã lập",
    "rollup-no-children": "Nhiệm vụ cấp trên chưa gắn nhiệm vụ",
    "rollup-unknown-parent": "Mã nhiệm vụ cấp trên không có", "resubmission": "Báo cáo gửi lại",
    "resubmission-kept-first": "Giữ báo cáo nhận trước",
    "task-target-unread": "Chỉ tiêu không đọc được thành số", "task-target-value-invalid": "Chỉ tiêu (số) không hợp lệ",
    "task-target-conflict": "Chỉ tiêu ghi hai cách khác nhau",
    "self-score-not-started": "Tự chấm điểm nhiệm vụ chưa thực hiện",
    "self-score-not-done": "Tự chấm điểm nhiệm vụ không thực hiện",
    "self-score-full-unfinished": "Điểm tối đa cho nhiệm vụ chưa hoàn thành",
    "self-score-above-progress": "Điểm tự chấm cao hơn tiến độ", "achieved-invalid": "Giá trị đạt được không hợp lệ",
    "achieved-fraction": "Giá trị đạt được ghi dạng phân số", "achieved-missing": "Chưa ghi giá trị đạt được",
    "target-not-met": "Hoàn thành nhưng chưa đạt chỉ tiêu",
    "target-not-met-explained": "Chưa đạt chỉ tiêu, đã nêu lý do",
    "status-reverted": "Đã hoàn thành, kỳ này báo cáo chưa xong",
    "date-before-previous-as-of": "Ngày hoàn thành mâu thuẫn với kỳ trước",
    "date-differs-from-previous": "Ngày hoàn thành khác kỳ trước",
    "progress-decreased": "Tiến độ giảm so với kỳ trước",
}

TITLES.update({
    "structure-violation": "Sai cơ cấu nhiệm vụ", "structure-source-unknown": "Nguồn trong quy định cơ cấu không có",
    "multi-unit-workbook": "Một tệp cho nhiều đơn vị", "multi-unit-row-uncounted": "Dòng không tính của tệp chung",
    "mail-no-workbook": "Thư không kèm tệp báo cáo",
    "mail-attachment-skipped": "Tệp đính kèm không phải bảng tính",
    "mail-attachment-refused": "Bỏ qua tệp đính kèm", "mail-date-missing": "Thư không có ngày gửi",
    "mail-unreadable": "Không đọc được thư", "mail-too-many": "Hộp thư quá nhiều mục",
    "registration-content-missing": "Nhiệm vụ đăng ký thiếu nội dung",
    "registration-deadline-missing": "Nhiệm vụ đăng ký thiếu thời hạn",
    "registration-deadline-invalid": "Thời hạn đăng ký không hợp lệ",
    "registration-deadline-outside-year": "Thời hạn đăng ký ngoài năm",
    "registration-points-invalid": "Điểm tối đa đăng ký không hợp lệ",
    "registration-points-missing": "Nhiệm vụ đăng ký thiếu điểm tối đa",
    "registration-locked-changed": "Sửa nội dung nhiệm vụ được giao",
    "registration-task-dropped": "Bỏ nhiệm vụ được giao", "registration-duplicate": "Nhiệm vụ đăng ký lặp lại",
    "registration-not-returned": "Chưa gửi bản đăng ký", "registration-not-a-form": "Không phải phiếu đăng ký",
})

NEXT_TIME: frozenset[str] = frozenset({
    "status-synonym", "progress-fraction", "value-as-text", "text-decomposed", "metadata-missing",
    "task-matched-by-text", "task-unknown", "task-added", "legacy-text-converted", "resubmission",
    "resubmission-kept-first", "master-changed", "archive-unsafe-name", "multi-unit-workbook", "achieved-fraction",
})


def title(code: str) -> str:
    """The Vietnamese name of a finding code (the code itself when it has none yet)."""
    return TITLES.get(code, code)


def for_next_time(finding: Finding) -> bool:
    """Whether ``finding`` asks nothing to be resent (information, or a note for next time)."""
    return finding.severity is Severity.INFO or finding.code in NEXT_TIME


def catalogue_markdown() -> str:
    """The findings catalogue as Markdown (``docs/findings.md``)."""
    stages = {
        "config": "Cấu hình (camket.toml)",
        "master": "Danh mục (danh-muc.xlsx)",
        "file": "Tệp nhận được",
        "identify": "Nhận diện đơn vị và kỳ báo cáo",
        "row": "Từng dòng báo cáo",
        "cross-round": "Đối chiếu với báo cáo kỳ trước",
        "ledger": "Sổ tiếp nhận",
        "verify": "Kiểm tra sổ và kho lưu (camket verify)",
        "appraisal": "Thẩm định",
        "rollup": "Tổng hợp lên cấp trên",
        "mail": "Thư điện tử",
        "registration": "Đăng ký nhiệm vụ",
    }
    lines = [
        "# Danh mục phát hiện (findings)",
        "",
        "Tệp này được sinh từ `src/camket/findings.py` bằng lệnh "
        "`camket findings --markdown > docs/findings.md`; một kiểm thử bảo đảm hai nơi khớp nhau.",
        "",
        "Mức độ: **error** (lỗi: tệp hoặc dòng không được tính, lệnh kết thúc với mã 3), "
        "**warning** (cảnh báo: đã tự sửa hoặc cần xem lại), **info** (thông tin).",
    ]
    for stage, heading in stages.items():
        kinds = [k for k in CATALOGUE.values() if k.stage == stage]
        if not kinds:
            continue
        lines += ["", f"## {heading}", "", "| Mã | Tên | Mức | Nội dung | Cần làm | Ai sửa |",
                  "|---|---|---|---|---|---|"]
        for k in kinds:
            lines.append(
                f"| `{k.code}` | {title(k.code)} | {k.severity.value} | {k.message} | {k.advice} | {k.audience} |"
            )
    return "\n".join(lines) + "\n"
