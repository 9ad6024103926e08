"""What a received file really is, whatever its name says; and whether a workbook
package is safe to hand to a parser (size, ratio, entry count, XML DOCTYPE)."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib

from .limits import DEFLATE_MAX_RATIO, Limits
from .package import Package, PartError, package_of

__all__ = ["Kind", "check_package", "is_plain_zip", "sniff"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

Kind = str  # "xlsx", "xlsm", "ods", "xls", "zip", "encrypted", "empty", or a description


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The package's zip directory (parsed once per bytes object), None when unreadable."""
    package = package_of(data)
    return None if package is None else package.archive


def _zip_names(data: bytes) -> list[str] | None:
    archive = open_zip(data)
    return None if archive is None else archive.namelist()


_PACKAGE_FIRST = (b"[Content_Types].xml", b"mimetype", b"xl/", b"_rels/", b"docProps/")


def is_plain_zip(data: bytes) -> bool:
    """A zip archive of files, not an Office/OpenDocument package."""
    if not data.startswith(ZIP_MAGICS):
        return False
    if data.startswith(b"PK\x03\x04") and len(data) > 30:
        length = int.from_bytes(data[26:28], "little")
        if data[30:30 + length].startswith(_PACKAGE_FIRST):
            return False  # the first entry of a workbook package: no need to read the directory
    names = _zip_names(data)
    return names is not None and _package_kind(data, names) == "zip"


def _package_kind(data: bytes, names: list[str]) -> str:
    nameset = set(names)
    if "xl/workbook.xml" in nameset or "xl/workbook.bin" in nameset:
        if "xl/workbook.bin" in nameset:
            return "tệp Excel nhị phân .xlsb"
        return "xlsm" if "xl/vbaProject.bin" in nameset else "xlsx"
    if "mimetype" in nameset:
        try:
            archive = open_zip(data)
            mime = archive.read("mimetype")[:100].decode("ascii", "replace") if archive else ""
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
            mime = ""
        if mime.strip() == "application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
        if "opendocument.text" in mime:
            return "văn bản OpenDocument (.odt)"
        if "opendocument" in mime:
            return "tài liệu OpenDocument"
    if "word/document.xml" in nameset:
        return "văn bản Word (.docx)"
    if any(n.startswith("ppt/") for n in names):
        return "bài trình chiếu PowerPoint (.pptx)"
    if "[Content_Types].xml" in nameset:
        return "tài liệu Office không phải bảng tính"
    return "zip"


def _ole_kind(data: bytes) -> str:
    head = data[: 1 << 16]

    def utf16(name: str) -> bytes:
        return name.encode("utf-16-le")

    if utf16("EncryptionInfo") in head or utf16("EncryptedPackage") in head:
        return "encrypted"
    if utf16("Workbook") in head or utf16("Book") in head:
        return "xls"
    if utf16("WordDocument") in head:
        return "văn bản Word cũ (.doc)"
    if utf16("PowerPoint Document") in head:
        return "bài trình chiếu PowerPoint (.ppt)"
    if utf16("Workbook") in data or utf16("Book") in data:
        return "xls"
    if utf16("EncryptionInfo") in data:
        return "encrypted"
    return "tệp OLE không phải bảng tính"


def sniff(data: bytes) -> Kind:
    """``"xlsx"``, ``"xlsm"``, ``"ods"``, ``"xls"``, ``"zip"``, ``"encrypted"``, ``"empty"``,
    ``"corrupt"`` (a truncated package), or a Vietnamese description of something else."""
    if not data:
        return "empty"
    if data.startswith(ZIP_MAGICS):
        names = _zip_names(data)
        return "corrupt" if names is None else _package_kind(data, names)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "tệp PDF"
    if head.startswith(b"{\\rtf"):
        return "văn bản RTF"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in head:
        return "trang HTML (tệp .xls giả)"
    if head.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        return "tệp ảnh"
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return "bảng tính XML 2003 (.xml)"
    if head.startswith(b"rar!") or data.startswith(b"Rar!"):
        return "tệp nén RAR"
    if data.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "tệp nén 7z"
    try:
        data[:4096].decode("utf-8")
        return "tệp văn bản thường"
    except UnicodeDecodeError:
        return "tệp không rõ định dạng"


_UNPARSED = ("docProps/", "xl/theme/", "xl/media/", "Thumbnails/", "Pictures/", "Configurations2/")


def _parsed(name: str) -> bool:
    """Parts a spreadsheet reader may parse (where a DOCTYPE would matter): every XML part but the
    document properties, themes and images (a sheet's relationship may point anywhere)."""
    return name.endswith((".xml", ".rels")) and not name.startswith(_UNPARSED)


def check_package(data: bytes, limits: Limits) -> tuple[str, str] | None:
    """Reasons not to parse a workbook package: ``("too-large"|"unsafe"|"corrupt", why)``.

    Declared sizes are checked first; a part whose compressed size could expand past
    the limit (deflate expands at most ~1032x) is decompressed with a cap to learn its
    real size. XML parts must not carry a DOCTYPE (entity expansion, external entities).
    """
    package = package_of(data)
    if package is None:
        return "corrupt", "không mở được gói tệp"
    infos = package.archive.infolist()
    if len(infos) > limits.max_parts:
        return "too-large", f"{len(infos)} thành phần"
    total = 0
    compressed = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return "unsafe", f"kiểu nén {info.compress_type} của {info.filename}"
        compressed += info.compress_size
        size = info.file_size
        if size > limits.max_part_bytes:
            return "too-large", f"{info.filename} giải nén {size:,} byte"
        bound = info.compress_size * (DEFLATE_MAX_RATIO if info.compress_type else 1)
        if bound > limits.max_part_bytes:
            size = _real_size(data, info, limits.max_part_bytes)
            if size < 0:
                return "corrupt", f"{info.filename} hỏng"
            if size > limits.max_part_bytes:
                return "too-large", f"{info.filename} giải nén vượt {limits.max_part_bytes:,} byte"
        total += size
        if total > limits.max_package_bytes:
            return "too-large", f"tổng dung lượng giải nén vượt {limits.max_package_bytes:,} byte"
    if compressed > len(data):
        return "unsafe", "các thành phần chồng lấn nhau (kỹ thuật nén bom)"
    for info in infos:
        if _parsed(info.filename):
            try:
                if _has_doctype(package, info.filename):
                    return "unsafe", f"khai báo DOCTYPE trong {info.filename}"
            except PartError:
                return "corrupt", f"{info.filename} hỏng"
    return None


def _raw(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """A member's compressed bytes, read from its local header (a view: nothing is copied)."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    return memoryview(data)[start:start + info.compress_size]


def _real_size(data: bytes, info: zipfile.ZipInfo, cap: int) -> int:
    """Bytes a part really expands to, stopping once past ``cap``; -1 if unreadable.

    Decompresses the raw member stream itself: ``zipfile`` would stop at the size the
    header declares, and a zip bomb lies there. The input is fed in small pieces, so that
    neither it nor its unconsumed rest is ever copied whole.
    """
    raw = _raw(data, info)
    if raw is None:
        return -1
    if info.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    inflater = zlib.decompressobj(-15)
    total = 0
    try:
        for start in range(0, len(raw), 1 << 16):
            pending: bytes | memoryview = raw[start:start + (1 << 16)]
            while pending:
                total += len(inflater.decompress(pending, 1 << 20))
                if total > cap:
                    return total
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        total += len(inflater.flush())
    except zlib.error:
        return -1
    return total


_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _has_doctype(package: Package, name: str) -> bool:
    """A DOCTYPE or ENTITY declaration anywhere in an XML part (a large part is read in bounded
    chunks), so that padding before the declaration does not hide it."""
    if package.small(name):
        content = package.read(name)  # most parts hold no "!" at all: one memchr answers for them
        return b"!" in content and _DECLARATION.search(content) is not None
    tail = b""
    for chunk in package.chunks(name):
        if _DECLARATION.search(tail + chunk):
            return True
        tail = chunk[-9:]
    return False
