"""The sheets that explain a template: ``Hướng dẫn`` and, in feedback workbooks, ``Cần sửa``
(``Lưu ý`` when nothing is to be sent again)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import Status
from ..safetext import XLSX_CELL_LIMIT, safe_text
from ..schema import REPORT
from ..vi import format_number, text_date
from ..xlsxkit import row_height
from .layout import ADDED_MARKER, GUIDE_SHEET, NOTES_SHEET, PROBLEMS_SHEET, hint

if TYPE_CHECKING:
    from .book import TemplateJob

__all__ = ["STATUS_MEANING", "guide_heights", "write_guide", "write_problems"]

STATUS_MEANING = {
    Status.DONE: "Đã có sản phẩm theo cam kết. Ghi Ngày hoàn thành, Tiến độ 100 và, với nhiệm vụ có chỉ tiêu "
                 "định lượng, Giá trị đạt được.",
    Status.IN_PROGRESS: "Đang triển khai, chưa có sản phẩm cuối cùng. Ghi Tiến độ (%) ước đạt.",
    Status.NOT_STARTED: "Chưa triển khai. Ghi Tiến độ 0 và nêu khó khăn (nếu có).",
    Status.NOT_DONE: "Không thực hiện hoặc được cấp có thẩm quyền cho điều chỉnh. "
                     "Ghi rõ lý do ở cột Khó khăn, vướng mắc.",
}


def _styles(book: Any) -> dict[str, Any]:
    font = {"font_name": "Times New Roman", "font_size": 12, "text_wrap": True, "valign": "top"}
    return {
        "title": book.add_format({**font, "bold": True, "font_size": 14}),
        "head": book.add_format({**font, "bold": True, "font_color": "#1F4E78"}),
        "label": book.add_format({**font, "bold": True}),
        "text": book.add_format(font),
        "due": book.add_format({**font, "bold": True, "font_color": "#C00000"}),
        "cell": book.add_format({**font, "border": 1}),
        "cell_head": book.add_format({**font, "border": 1, "bold": True, "bg_color": "#D9E1F2"}),
    }


def _guide_rows(job: TemplateJob, texts: Mapping[str, str]) -> list[tuple[str, str, str]]:
    contact = job.settings.contact
    send_to = "; ".join(x for x in (contact.unit, contact.email, contact.phone) if x) or job.settings.agency.name
    rows: list[tuple[str, str, str]] = [
        ("HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO", "", "title"),
        ("", job.settings.title, "text"),
        ("Đơn vị", texts["guide_unit"], "text"),
        ("Thủ trưởng", texts["head_line"], "text"),
        ("Kỳ báo cáo", f"{job.round.name}; số liệu tính đến ngày {text_date(job.round.as_of)}", "text"),
        ("Hạn gửi lại", f"Chậm nhất ngày {text_date(job.deadline)}", "due") if job.deadline else
        ("Hạn gửi", f"Chậm nhất ngày {text_date(job.round.due)}", "due"),
        ("Gửi về", f"{send_to}. Gửi lại chính tệp này (có thể nén nhiều tệp thành .zip).", "text"),
        *([("Gửi qua mạng", f"Hoặc gửi tệp tại đường dẫn riêng của đơn vị (không chuyển cho đơn vị khác): "
                            f"{texts['link']}", "text")] if texts.get("link") else []),
        ("", "", "text"),
        ("CÁCH ĐIỀN", f'Điền vào sheet "{REPORT.name}", chỉ vào các ô nền vàng:', "head"),
    ]
    rows += [(c.header, hint(c, job.round, job.settings.year), "text") for c in REPORT.columns if not c.locked]
    rows += [("", "", "text"), ("Ý NGHĨA TÌNH TRẠNG", "", "head")]
    rows += [(status.value, meaning, "text") for status, meaning in STATUS_MEANING.items()]
    rows += _self_score_rows(job)
    rows += [
        ("", "", "text"),
        ("NHIỆM VỤ PHÁT SINH", f'Các dòng dưới mục "{ADDED_MARKER}" ở cuối bảng dành cho nhiệm vụ '
         "phát sinh trong kỳ: ghi đủ nội dung, sản phẩm, thời hạn và tình trạng.", "head"),
        ("MÀU NHẮC", "Ô Ngày hoàn thành tô đỏ: đã chọn Hoàn thành nhưng chưa ghi ngày. Dòng tô hồng: "
         "đã quá thời hạn mà chưa hoàn thành. Tình trạng tô đỏ: tiến độ 100 nhưng chưa chọn Hoàn thành. "
         "Ô Giá trị đạt được tô xám: nhiệm vụ không có chỉ tiêu định lượng, không cần ghi.",
         "text"),
        ("LƯU Ý", "Không đổi tên sheet, không thêm hoặc xóa cột, không sửa các ô đã khóa, không xóa "
         "sheet ẩn (dữ liệu kiểm soát). Có thể mở và lưu bằng Excel, LibreOffice hoặc WPS ở dạng "
         ".xlsx, .xls hoặc .ods.", "text"),
    ]
    return rows


def _self_score_rows(job: TemplateJob) -> list[tuple[str, str, str]]:
    """How to self-score, as ``[self_score]`` checks it (only for tasks that carry points)."""
    rules = job.settings.self_score
    if not rules.check or not any(t.points > 0 for t in job.tasks):
        return []

    def share(value: float) -> str:
        return "0 điểm." if value <= 0 else f"Tối đa {format_number(value)}% của Điểm tối đa."

    margin = format_number(rules.progress_margin)
    example = format_number(min(10, 10 * (60 + rules.progress_margin) / 100))
    full = " và không được chấm đủ Điểm tối đa" if rules.full_points_only_done else ""
    return [
        ("", "", "text"),
        ("TỰ CHẤM ĐIỂM", f'Ghi ở cột "{REPORT["self_score"].header}" số điểm từ 0 đến Điểm tối đa, theo tình trạng '
         "đã chọn:", "head"),
        (Status.DONE.value, "Đến Điểm tối đa của nhiệm vụ.", "text"),
        (Status.IN_PROGRESS.value, f"Không quá (tiến độ + {margin})% của Điểm tối đa{full}; ví dụ tiến độ 60%, "
         f"Điểm tối đa 10: tự chấm không quá {example} điểm.", "text"),
        (Status.NOT_STARTED.value, share(rules.not_started_max), "text"),
        (Status.NOT_DONE.value, share(rules.not_done_max), "text"),
        ("", "Điểm tự chấm khác hướng dẫn này vẫn được ghi nhận nhưng có cảnh báo, và được thẩm định lại.", "text"),
    ]


def guide_heights(job: TemplateJob, texts: Mapping[str, str]) -> tuple[float, ...]:
    """The instruction rows' heights for a unit's texts (long names wrap onto more lines)."""
    return tuple(row_height([(label, 26), (text, 95)], font_size=12) for label, text, _ in _guide_rows(job, texts))


def write_guide(book: Any, job: TemplateJob, texts: Mapping[str, str], heights: Sequence[float]) -> Any:
    """The instructions sheet: who, which round, by when, to whom, how to fill each column.

    ``texts`` are the unit's texts as written (see :func:`~camket.templates.book.unit_texts`);
    ``heights`` come from :func:`guide_heights` of the unit's real texts.
    """
    ws = book.add_worksheet(GUIDE_SHEET)
    st = _styles(book)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 95)
    for r, ((label, text, style), height) in enumerate(zip(_guide_rows(job, texts), heights, strict=True)):
        if style == "title":
            ws.merge_range(r, 0, r, 1, label, st["title"])
            ws.set_row(r, 24)
            continue
        ws.write_string(r, 0, label, st["label"])
        if text:
            ws.write_string(r, 1, safe_text(text), st[style] if style in st else st["text"])
        ws.set_row(r, height)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 1)
    ws.protect(job.settings.template_password)
    return ws


def write_problems(book: Any, job: TemplateJob, texts: Mapping[str, str]) -> Any:
    """First sheet of a feedback workbook: what the office is asked to do and by when,
    every item to fix and where, then the notes for next time; named ``Lưu ý`` when it
    only holds notes (nothing to send again)."""
    ws = book.add_worksheet(PROBLEMS_SHEET if job.problems or job.deadline else NOTES_SHEET)
    st = _styles(book)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 100)
    title = job.problems_title or f"NỘI DUNG CẦN SỬA TRONG BÁO CÁO {job.round.name.upper()}"
    ws.merge_range(0, 0, 0, 2, safe_text(title), st["title"])
    intro = safe_text(job.problems_intro) or (
        f"{texts['unit_name']}: sửa các ô tô đỏ ở sheet \"{REPORT.name}\" (rê chuột vào ô để xem ghi chú), rồi "
        f"gửi lại tệp này chậm nhất ngày {text_date(job.deadline or job.round.due)}.")
    ws.merge_range(1, 0, 1, 2, intro, st["text"])
    ws.set_row(1, row_height([(intro, 125)], font_size=12, minimum=34))
    row = 3
    for heading, items in (("Nội dung cần sửa", job.problems),
                           ("Lưu ý cho lần báo cáo sau (không cần sửa)", job.remarks)):
        if not items:
            continue
        for c, label in enumerate(("STT", "Vị trí", heading)):
            ws.write_string(row, c, label, st["cell_head"])
        for i, (where, message) in enumerate(items, start=1):
            ws.write_number(row + i, 0, i, st["cell"])
            ws.write_string(row + i, 1, safe_text(where), st["cell"])
            ws.write_string(row + i, 2, safe_text(message, XLSX_CELL_LIMIT), st["cell"])
            ws.set_row(row + i, row_height([(where, 24), (message, 100)], font_size=12))
        row += len(items) + 2
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    return ws
