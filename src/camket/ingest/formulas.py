"""Formula cells that carry no value (xlsx only).

Excel, LibreOffice and WPS store each formula with its last value, which calamine
reads. Some programs (openpyxl, converters) store the formula alone; such a cell reads
as empty although the office typed something. This finds those cells of one sheet so
ingest can say so instead of silently treating them as blank.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from xml.sax.saxutils import unescape

from .sniff import open_zip

__all__ = ["uncached_formulas"]

_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ALT = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>(.*?)</c>', re.S)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>(.*?)</v>|<is>", re.S)
_MAX_XML = 64 * 2**20


def _part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error):
        return None
    wanted = sheet.encode("utf-8")
    ids = {unescape(name.decode("utf-8", "replace")).encode(): rid for name, rid in _SHEET.findall(workbook)}
    ids.update({unescape(name.decode("utf-8", "replace")).encode(): rid for rid, name in _SHEET_ALT.findall(workbook)})
    rid = ids.get(wanted)
    if rid is None:
        return None
    targets = dict(_REL.findall(rels)) | {i: t for t, i in _REL_ALT.findall(rels)}
    target = targets.get(rid)
    if target is None:
        return None
    text = target.decode("utf-8", "replace")
    return text.lstrip("/") if text.startswith("/") else f"xl/{text}"


def uncached_formulas(data: bytes, sheet: str) -> dict[str, str]:
    """``{cell: formula}`` of the formula cells of ``sheet`` that store no value."""
    archive = open_zip(data)
    if archive is None:
        return {}
    part = _part(archive, sheet)
    if part is None:
        return {}
    try:
        info = archive.getinfo(part)
        if info.file_size > _MAX_XML:
            return {}
        xml = archive.read(part)
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error, EOFError):
        return {}
    if b"<f>" not in xml and b"<f " not in xml:  # not "<formula>" of validations and conditional formats
        return {}
    found: dict[str, str] = {}
    for ref, body in _CELL.findall(xml):
        formula = _FORMULA.search(body)
        if formula is None:
            continue
        value = _VALUE.search(body)
        if value is None or (value.group(1) is not None and not value.group(1).strip()):
            found[ref.decode()] = unescape((formula.group(1) or b"").decode("utf-8", "replace"))
    return found
