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
import zipfile
import zlib
from collections.abc import Iterator

from defusedxml import ElementTree

__all__ = ["Package", "PartError", "package_of"]

CHUNK = 1 << 20          # bytes inflated at a time
_KEEP = 4 << 20          # parts up to this size are kept once inflated
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part ``name`` inflated, in chunks of at most about :data:`CHUNK` bytes."""
        kept = self._kept.get(name)
        if kept is not None:
            yield kept
            return
        try:
            info = self.archive.getinfo(name)
            keep = info.file_size <= _KEEP
            pieces: list[bytes] = []
            with self.archive.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    if keep:
                        pieces.append(chunk)
                    yield chunk
        except (KeyError, zipfile.BadZipFile, OSError, zlib.error, EOFError, ValueError,
                NotImplementedError) as exc:
            raise PartError(f"{name}: {exc}") from None
        if keep:
            self._kept[name] = b"".join(pieces)

    def read(self, name: str) -> bytes:
        """The whole part (callers check its size first: see ``check_package``)."""
        kept = self._kept.get(name)
        return kept if kept is not None else b"".join(self.chunks(name))

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
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
        parts: dict[str, str] = {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            name, target = sheet.get("name"), targets.get(sheet.get(f"{_OFFICE_REL}id"))
            if name is not None and target:
                parts[name] = _resolve(target)
        return parts


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
        package: Package | None = Package(data, zipfile.ZipFile(io.BytesIO(data)))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        package = None
    _LAST[:] = [(data, package)]
    return package
