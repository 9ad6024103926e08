"""Why a workbook cannot be read, or is refused before it is read; each error knows its
finding (:meth:`BookError.finding`), in words an office understands (:func:`explain`)."""

from __future__ import annotations

from .. import findings as F
from ..model import Finding, Location

__all__ = ["BookError", "EncryptedError", "ReaderPanic", "RefusedError", "SheetLostError", "explain"]


class BookError(Exception):
    """The workbook cannot be read; ``sheet`` is the sheet that could not be, when known."""

    def __init__(self, reason: str, sheet: str = "") -> None:
        super().__init__(reason)
        self.reason, self.sheet = reason, sheet

    def finding(self, file: str) -> Finding:
        return F.FILE_CORRUPT(Location(file, self.sheet), reason=self.reason)


class EncryptedError(BookError):
    """The workbook needs a password to open."""

    def finding(self, file: str) -> Finding:
        return F.FILE_ENCRYPTED(Location(file))


class ReaderPanic(BookError):
    """calamine panicked (a value it cannot convert, such as ``-INF`` in a date cell)."""


class SheetLostError(BookError):
    """The workbook lists ``sheet`` but its content is not in the file."""

    def __init__(self, sheet: str) -> None:
        super().__init__(f'không còn nội dung của sheet "{sheet}"', sheet)

    def finding(self, file: str) -> Finding:
        return F.SHEET_CONTENT_MISSING(Location(file, self.sheet), sheet=self.sheet)


class RefusedError(BookError):
    """The workbook is refused before it is read; :meth:`finding` says why, at the cell.

    ``kind``: ``"too-large"`` (a sheet reaches too far), ``"too-much"`` (more cells or text
    than a report holds), ``"unsafe"`` (a claim no spreadsheet program writes) or ``"corrupt"``.
    """

    def __init__(self, sheet: str, cell: str, reason: str, kind: str = "too-large") -> None:
        super().__init__(reason, sheet)
        self.cell, self.kind = cell, kind

    def finding(self, file: str) -> Finding:
        where = Location(file, self.sheet, self.cell)
        if self.kind == "unsafe":
            return F.FILE_UNSAFE(where, reason=self.reason)
        if self.kind == "corrupt":
            return F.FILE_CORRUPT(where, reason=self.reason)
        if self.kind == "too-much":
            return F.FILE_TOO_LARGE(where, reason=self.reason)
        return F.SHEET_TOO_LARGE(where, sheet=self.sheet, cell=self.cell, reason=self.reason)


# What the reader (calamine) says, by its words, as a reason an office understands.
_BY_WORDS = (
    ("shared strings", "bảng chuỗi dùng chung (sharedStrings) bị hỏng hoặc thiếu"),
    ("Cannot detect file format", "không nhận ra định dạng tệp: phần mô tả bảng tính hoặc liên kết giữa các "
                                  "phần của tệp bị hỏng"),
    ("File not found", "thiếu một phần của tệp"),
    ("Unexpected end", "tệp bị cắt cụt, dữ liệu kết thúc giữa chừng"),
    ("End of stream", "tệp bị cắt cụt, dữ liệu kết thúc giữa chừng"),
    ("Cell limit exceeded", "tệp có quá nhiều ô"),
    ("deflate", "dữ liệu nén trong tệp bị hỏng"),
    ("Zip", "gói nén của tệp bị hỏng"),
)


def explain(kind: str, message: str, sheet: str = "") -> tuple[str, str]:
    """The reason a reader's error (of type ``kind``, met reading ``sheet``) gives, in
    Vietnamese, and the sheet it concerns ("" for the whole file). An error it does not know
    keeps the reader's own words, quoted after a Vietnamese reason.

    >>> explain("CalamineError", "Cell string index not found in shared strings table", "_camket")
    ('bảng chuỗi dùng chung (sharedStrings) bị hỏng hoặc thiếu', '')
    >>> explain("XmlError", "syntax error: tag not closed", "Báo cáo")[0]
    'nội dung sheet "Báo cáo" không đúng cấu trúc XML, có thể do tệp bị cắt cụt'
    >>> explain("CalamineError", "Unsupported ptg: 0x3f", "Báo cáo")[0]
    'không đọc được nội dung sheet "Báo cáo"; thư viện đọc bảng tính báo: "Unsupported ptg: 0x3f"'
    """
    of = f' sheet "{sheet}"' if sheet else " tệp"
    if kind == "XmlError" or "XML" in message:
        return f"nội dung{of} không đúng cấu trúc XML, có thể do tệp bị cắt cụt", sheet
    if kind == "ZipError":
        return "gói nén của tệp bị hỏng", ""
    for words, reason in _BY_WORDS:
        if words.lower() in message.lower():
            return reason, ""
    return f'không đọc được nội dung{of}; thư viện đọc bảng tính báo: "{message}"', sheet
