"""A workbook's zip package (xlsx, xlsm, ods), opened once per received file.

Every stage that looks inside the package (the safety checks, the reader, the formula
check) shares one :class:`Package`: the zip directory is parsed once, each part is
decompressed in bounded chunks, and small parts are kept so that no part is inflated
twice. Where the XML of the package is parsed by Python, it is parsed with defusedxml
(no DTD, no entities, no external references).
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator

from defusedxml import ElementTree

__all__ = ["Package", "PartError", "open_archive", "package_of"]

CHUNK = 1 << 20          # bytes inflated at a time
_KEEP = 4 << 20          # parts up to this size are kept once inflated
_NOT_SHEETS = ("docProps/", "xl/theme/", "xl/media/", "customXml/", "xl/printerSettings/")
_NOT_SHEET_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml",
                              "xl/calcChain.xml"})


class PartError(Exception):
    """A part of the package cannot be read (missing, corrupt, or malformed XML)."""


class Package:
    """The zip directory of one received file, with its parts read on demand."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile) -> None:
        self.data = data
        self.archive = archive
        self._kept: dict[str, bytes] = {}
        self._sheets: dict[str, str] | None = None

    def names(self) -> list[str]:
        return self.archive.namelist()

    def worksheets(self) -> list[str]:
        """The parts of an xlsx/xlsm package a reader may read as a worksheet: every XML part but
        those known to be something else (a sheet's relationship may point anywhere)."""
        return [n for n in self.archive.namelist() if n.endswith(".xml") and not n.startswith(_NOT_SHEETS)
                and n not in _NOT_SHEET_PARTS and "/_rels/" not in n]

    def size(self, name: str) -> int:
        """The part's size once inflated, as the zip directory says (0 when there is no such part)."""
        try:
            return self.archive.getinfo(name).file_size
        except KeyError:
            return 0

    def small(self, name: str) -> bool:
        """A part small enough to be kept whole once inflated."""
        try:
            return self.archive.getinfo(name).file_size <= _KEEP
        except KeyError:
            return False

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part ``name`` inflated: whole when small, else in chunks of about :data:`CHUNK` bytes."""
        if self.small(name):
            yield self.read(name)
            return
        try:
            with self.archive.open(name) as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        except (KeyError, zipfile.BadZipFile, OSError, zlib.error, EOFError, ValueError,
                NotImplementedError) as exc:
            raise PartError(f"{name}: {exc}") from None

    def read(self, name: str) -> bytes:
        """The whole part (callers check its size first: see ``check_package``); a small part
        is inflated once, straight from its local header, and kept."""
        kept = self._kept.get(name)
        if kept is not None:
            return kept
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise PartError(f"{name}: không có trong gói") from None
        if info.file_size > _KEEP:
            return b"".join(self.chunks(name))
        content = self._inflate(info)
        self._kept[name] = content
        return content

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        """A small member's bytes (a few times faster than ``ZipFile.read`` for small parts)."""
        offset = info.header_offset
        header = self.data[offset:offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04" or info.flag_bits & 0x1:
            raise PartError(f"{info.filename}: đầu mục hỏng hoặc được mã hóa")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = offset + 30 + name_len + extra_len
        raw = self.data[start:start + info.compress_size]
        try:
            if info.compress_type == zipfile.ZIP_STORED:
                content = raw
            elif info.compress_type == zipfile.ZIP_DEFLATED:
                content = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
            else:
                raise PartError(f"{info.filename}: kiểu nén {info.compress_type}")
        except zlib.error as exc:
            raise PartError(f"{info.filename}: {exc}") from None
        if len(content) != info.file_size:
            raise PartError(f"{info.filename}: kích thước không khớp")
        return content

    def sheet_parts(self) -> dict[str, str]:
        """``{sheet name: part name}`` of an xlsx/xlsm workbook, from ``xl/workbook.xml`` and its
        relationships (parsed with defusedxml)."""
        if self._sheets is None:
            self._sheets = self._map_sheets()
        return self._sheets

    def _map_sheets(self) -> dict[str, str]:
        try:
            workbook = ElementTree.fromstring(self.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(self.read("xl/_rels/workbook.xml.rels"))
        except PartError:
            raise
        except Exception as exc:  # defusedxml's and expat's errors have no common base
            raise PartError(f"xl/workbook.xml: {exc}") from None
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter() if _local(rel.tag) == "Relationship"}
        parts: dict[str, str] = {}
        for sheet in workbook.iter():
            if _local(sheet.tag) != "sheet":
                continue
            rid = next((v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
            name, target = sheet.get("name"), targets.get(rid)
            if name is not None and target:
                parts[name] = _resolve(target)
        return parts


def _local(tag: str) -> str:
    """An element or attribute name without its namespace (Strict OOXML uses other ones)."""
    return tag.rsplit("}", 1)[-1]


def _resolve(target: str) -> str:
    """A relationship target of ``xl/workbook.xml`` as a part name."""
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return posixpath.normpath(path)


_LAST: list[tuple[bytes, Package | None]] = []


def package_of(data: bytes) -> Package | None:
    """The package of ``data`` (parsed once for the bytes object last asked about), None when
    ``data`` is not a readable zip. The cache holds ``data``, so the identity test is safe."""
    if _LAST and _LAST[0][0] is data:
        return _LAST[0][1]
    try:
        package: Package | None = Package(data, open_archive(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):  # a zip "version" too new
        package = None
    _LAST[:] = [(data, package)]
    return package


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The zip directory of ``data`` (raises what :class:`zipfile.ZipFile` raises).

    zipfile refuses a whole archive when one name flagged as UTF-8 is not UTF-8 (tools that
    write the system's code page and set the flag anyway). Such names then lose the flag, in a
    copy whose offsets are unchanged, so that no member is lost; each is named as UTF-8 with
    U+FFFD for the bytes that are not, unless the code page of a Vietnamese Windows reads it
    (see :func:`.collect.member_name`).
    """
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except UnicodeDecodeError:
        fixed, names = _utf8_flags_fixed(data)
        archive = zipfile.ZipFile(io.BytesIO(fixed))
        for info in archive.infolist():
            raw = info.orig_filename.encode("cp437")
            if raw in names:
                info.filename = raw.decode("utf-8", "replace")
        return archive


_UTF8_NAME = 0x800  # general purpose flag: the name is UTF-8


def _utf8_flags_fixed(data: bytes) -> tuple[bytes, set[bytes]]:
    """``data`` with the UTF-8 flag cleared, in the central directory and the local header, on
    each entry whose name is not UTF-8; and those names."""
    names: set[bytes] = set()
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(data):
        return data, names
    size, offset = struct.unpack_from("<II", data, end + 12)
    top = end - 20 - 56 if data[end - 20:end - 16] == b"PK\x06\x07" else end  # zip64: its end record first
    if top != end and data[top:top + 4] == b"PK\x06\x06":
        size, offset = struct.unpack_from("<QQ", data, top + 40)
    start = top - size
    shift = start - offset  # bytes before the archive (a self-extractor's program)
    fixed = bytearray(data)
    pos = start
    while pos >= 0 and pos + 46 <= top and data[pos:pos + 4] == b"PK\x01\x02":
        flags, = struct.unpack_from("<H", data, pos + 8)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        local = struct.unpack_from("<I", data, pos + 42)[0] + shift
        name = data[pos + 46:pos + 46 + name_len]
        if flags & _UTF8_NAME and not _is_utf8(name):
            names.add(name)
            struct.pack_into("<H", fixed, pos + 8, flags & ~_UTF8_NAME)
            if data[local:local + 4] == b"PK\x03\x04":
                local_flags, = struct.unpack_from("<H", data, local + 6)
                struct.pack_into("<H", fixed, local + 6, local_flags & ~_UTF8_NAME)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(fixed), names


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

