"""Uploaded files streamed to disk under limits: an oversized upload is refused while it
arrives, before it is stored whole, and nothing of a refused upload is kept.

The multipart body is parsed by python-multipart as it streams in; each file goes to its
own folder under ``folder`` with its own (cleaned) name, which is the name ingest records.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.requests import Request

from ..ingest import Limits

__all__ = ["Upload", "UploadError", "UploadLimits", "clean_name", "receive_upload"]

MB = 2**20


@dataclass(frozen=True)
class UploadLimits:
    """What one request may carry; a file is held to the same size limit as ingest."""

    max_file_bytes: int = Limits().max_file_bytes
    max_files: int = 1000
    max_request_bytes: int = 1024 * MB
    max_field_bytes: int = 64 * 1024


class UploadError(Exception):
    """An upload that cannot be taken: ``status`` is the HTTP status, the text says why in Vietnamese."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Upload:
    """Files received in one request (paths in upload order) and the form's text fields."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def clean_name(name: str) -> str:
    """A received file's name without folders, control characters or characters a file
    system refuses; Vietnamese letters stay (NFC)."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    kept = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    if len(kept.encode("utf-8")) > 200:
        stem, dot, suffix = kept.rpartition(".")
        suffix = suffix[:10] if dot else ""
        kept = stem.encode("utf-8")[:180].decode("utf-8", "ignore") + (f".{suffix}" if suffix else "")
    return kept or "tep-tai-len"


EXPIRED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Tải lại trang rồi gửi lại."


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit:,} byte".replace(",", ".")


class _Receiver:
    """python-multipart callbacks writing file parts to disk and keeping text fields."""

    def __init__(self, upload: Upload, limits: UploadLimits, files_field: str,
                 csrf: Callable[[str], bool] | None) -> None:
        self.upload, self.limits, self.files_field = upload, limits, files_field
        self.csrf = csrf  # None once checked, or when not needed
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.name = ""
        self.kind = "text"  # text | file | skip (a file in another field, or an empty file input)
        self.handle: IO[bytes] | None = None
        self.filename = ""
        self.size = 0
        self.text = bytearray()

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value_data, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.disposition, self.kind, self.size, self.text = b"", "text", 0, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header_value_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name, self.header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            return
        if self.name != self.files_field or not options[b"filename"]:
            self.kind = "skip"
            return
        if self.csrf is not None:
            raise UploadError(403, EXPIRED)
        if len(self.upload.files) >= self.limits.max_files:
            raise UploadError(413, f"Mỗi lần chỉ gửi được tối đa {self.limits.max_files} tệp. "
                                   "Nén các tệp thành một tệp .zip hoặc gửi làm nhiều lần.")
        self.kind = "file"
        self.filename = clean_name(options[b"filename"].decode("utf-8", "replace"))
        folder = self.upload.folder / str(len(self.upload.files) + 1)
        folder.mkdir(parents=True)
        path = folder / self.filename
        self.upload.files.append(path)
        self.handle = open(path, "wb")  # noqa: SIM115 - closed at the part's end or on error

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.handle is not None:
            self.size += end - start
            if self.size > self.limits.max_file_bytes:
                raise UploadError(413, f'Tệp "{self.filename}" lớn hơn {_size(self.limits.max_file_bytes)}, '
                                       "vượt giới hạn tiếp nhận; tệp chưa được nhận. Kiểm tra lại tệp "
                                       "(mẫu báo cáo thường chỉ vài chục KB).")
            self.handle.write(data[start:end])
        elif self.kind == "text":
            self.text += data[start:end]
            if len(self.text) > self.limits.max_field_bytes:
                raise UploadError(413, "Nội dung biểu mẫu quá dài.")

    def part_end(self) -> None:
        if self.handle is not None:
            self.close()
            # the browser does not send a file's own time: without one, ingest dates its arrival
            # by the moment it was taken in, which for an upload is when it arrived
            os.utime(self.upload.files[-1], (0, 0))
        elif self.kind == "text" and self.name:
            value = self.text.decode("utf-8", "replace")
            self.upload.fields[self.name] = value
            if self.name == "csrf" and self.csrf is not None:
                if not self.csrf(value):
                    raise UploadError(403, EXPIRED)
                self.csrf = None

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


async def receive_upload(request: Request, folder: Path, limits: UploadLimits, *, files_field: str = "files",
                         csrf: Callable[[str], bool] | None = None) -> Upload:
    """Stream a ``multipart/form-data`` request's files into ``folder`` (created here).

    ``csrf``, when given, checks the form's ``csrf`` field, which must come before the
    first file (browsers send fields in page order). On any refusal :class:`UploadError`
    is raised and ``folder`` is removed with whatever had arrived.
    """
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadError(400, "Yêu cầu phải gửi tệp dạng multipart/form-data (trường files).")
    too_much = f"Dung lượng gửi một lần vượt {_size(limits.max_request_bytes)}; chưa nhận tệp nào. Gửi làm nhiều lần."
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_request_bytes:
        raise UploadError(413, too_much)
    upload = Upload(folder)
    folder.mkdir(parents=True, exist_ok=False)
    receiver = _Receiver(upload, limits, files_field, csrf)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())  # type: ignore[arg-type]
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limits.max_request_bytes:
                raise UploadError(413, too_much)
            parser.write(chunk)
        parser.finalize()
        if receiver.csrf is not None:
            raise UploadError(403, EXPIRED)
    except BaseException as exc:
        receiver.close()
        upload.remove()
        if isinstance(exc, FormParserError):
            raise UploadError(400, "Dữ liệu gửi lên bị hỏng hoặc không trọn vẹn; chưa nhận tệp nào. Gửi lại.") from None
        raise
    return upload
