"""Large tables for xlsxwriter workbooks, written as sheet XML and spliced in after close.

xlsxwriter spends about 10 µs per cell here; a national-scale detail sheet has millions
of cells. :class:`FastRows` writes the data rows of a table itself (inline strings,
numbers, dates, each with an xlsxwriter ``Format``'s style index) into a temporary file
while the workbook is being built, so the row count is known for the autofilter; after
``workbook.close()``, :func:`splice` puts the rows into the sheet's XML part and rewrites
the package, copying every other part as it is. Text is escaped the way the spreadsheet
XML spec requires (``& < >``, control characters as ``_xHHHH_``), so text from offices
stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from .safetext import XLSX_CELL_LIMIT, safe_text

__all__ = ["FastRows", "Part", "escape_text", "read_parts", "splice", "write_parts"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_EPOCH = dt.datetime(1899, 12, 30)
_LETTERS = [xl_col_to_name(i) for i in range(64)]


def _control(match: re.Match[str]) -> str:
    text = match.group(0)
    return "_x005F" + text if text.startswith("_x") else f"_x{ord(text):04X}_"


def escape_text(value: str) -> str:
    """``value`` as the text of a spreadsheet XML element: made safe (:func:`~camket.safetext.safe_text`),
    ``& < >`` escaped, a literal ``_xHHHH_`` kept literal."""
    if not value.isprintable() or len(value) > XLSX_CELL_LIMIT:  # one C pass clears most text
        value = safe_text(value, XLSX_CELL_LIMIT)
    if "_x" in value:
        value = _CONTROL.sub(_control, value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _text(value: str) -> str:
    escaped = escape_text(value)
    if escaped and (escaped[0].isspace() or escaped[-1].isspace()):
        return f'<is><t xml:space="preserve">{escaped}</t></is>'
    return f"<is><t>{escaped}</t></is>"


def _serial(value: dt.date) -> float:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    delta = moment - _EPOCH
    return delta.days + delta.seconds / 86400


class FastRows:
    """Rows of one worksheet written outside xlsxwriter, from ``first_row`` (0-based) on.

    By default rows go to a temporary file (tables of any size); ``memory=True`` keeps
    them in a list (small workbooks made by the thousand). Rows may skip numbers, and
    xlsxwriter may write rows of its own in between: :func:`splice` merges them in order.
    """

    def __init__(self, worksheet: Any, first_row: int, *, memory: bool = False) -> None:
        self.worksheet = worksheet
        self.next_row = first_row
        self.first_row = first_row
        self.columns = 0
        self.rows: list[tuple[int, str]] | None = [] if memory else None
        self.path: Path | None = None
        self._out: Any = None
        self._layouts: dict[int, tuple[Sequence[Any], list[tuple[str, str]]]] = {}
        if not memory:
            handle, name = tempfile.mkstemp(prefix="camket-rows-", suffix=".xml")
            os.close(handle)
            self.path = Path(name)
            self._out = self.path.open("w", encoding="utf-8")

    def _layout(self, styles: Sequence[Any]) -> list[tuple[str, str]]:
        """Per column: its letter and its style attribute (tables reuse one styles list)."""
        found = self._layouts.get(id(styles))
        if found is None or found[0] is not styles:
            layout = [(_LETTERS[c] if c < len(_LETTERS) else xl_col_to_name(c),
                       f' s="{style._get_xf_index()}"' if style is not None else "")
                      for c, style in enumerate(styles)]
            found = self._layouts[id(styles)] = (styles, layout)
        return found[1]

    def add(self, values: Sequence[Any], styles: Sequence[Any], *, row: int | None = None,
            height: float | None = None) -> None:
        """One row (the next one, or the 0-based ``row``): each value with the xlsxwriter
        ``Format`` of its cell (``None``: no style); ``height`` in points."""
        if row is not None:
            self.next_row = row
        number = str(self.next_row + 1)
        layout = self._layout(styles)
        cells: list[str] = []
        append = cells.append
        for (letter, s), value in zip(layout, values, strict=True):
            kind = type(value)
            if kind is str:
                if value:
                    append(f'<c r="{letter}{number}"{s} t="inlineStr">{_text(value)}</c>')
                elif s:
                    append(f'<c r="{letter}{number}"{s}/>')
            elif value is None:
                if s:
                    append(f'<c r="{letter}{number}"{s}/>')
            elif (kind is float or kind is int) and math.isfinite(value):
                append(f'<c r="{letter}{number}"{s}><v>{float(value)!r}</v></c>')
            elif kind is bool:
                append(f'<c r="{letter}{number}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                append(f'<c r="{letter}{number}"{s}><v>{_serial(value)!r}</v></c>')
            elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
                append(f'<c r="{letter}{number}"{s}><v>{float(value)!r}</v></c>')  # subclasses (numpy floats)
            else:
                text = str(value)
                if text:
                    append(f'<c r="{letter}{number}"{s} t="inlineStr">{_text(text)}</c>')
        shape = f' ht="{height}" customHeight="1"' if height else ""
        text = f'<row r="{number}"{shape}>{"".join(cells)}</row>'
        if self.rows is not None:
            self.rows.append((self.next_row + 1, text))
        else:
            self._out.write(text)
        self.next_row += 1
        self.columns = max(self.columns, len(values))

    @property
    def last_row(self) -> int:
        """0-based index of the last data row written (``first_row - 1`` when none)."""
        return self.next_row - 1

    def close(self) -> None:
        if self._out is not None and not self._out.closed:
            self._out.close()

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def chunks(self) -> Iterator[str]:
        """The rows' XML, in the order written."""
        if self.rows is not None:
            yield from (text for _, text in self.rows)
            return
        assert self.path is not None
        with self.path.open(encoding="utf-8") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk

    def numbered(self) -> list[tuple[int, str]]:
        """``(Excel row number, row XML)`` of every row (small tables kept in memory only)."""
        if self.rows is not None:
            return self.rows
        return [(int(m.group(1)), m.group(0).decode("utf-8"))
                for m in _ROW.finditer("".join(self.chunks()).encode("utf-8"))]


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def _sheet_parts(workbook: str, rels: str) -> dict[str, str]:
    """Sheet name -> worksheet part, from the workbook and its relationships."""
    targets = dict(re.findall(r'<Relationship Id="([^"]+)" Type="[^"]+/worksheet" Target="([^"]+)"', rels))
    parts = {}
    for name, rid in re.findall(r'<sheet name="([^"]*)" sheetId="\d+"(?: state="\w+")? r:id="([^"]+)"', workbook):
        plain = name.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        if rid in targets:
            parts[plain] = "xl/" + targets[rid].lstrip("/").removeprefix("xl/")
    return parts


Part = tuple[zipfile.ZipInfo, bytes]


def read_parts(package: bytes) -> list[Part]:
    """Every part of an xlsx package (in archive order) with its uncompressed bytes."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def write_parts(path: Path, parts: Sequence[Part], tables: Sequence[FastRows] = ()) -> None:
    """Write the package to ``path``, each table's rows merged into its sheet's part."""
    for table in tables:
        table.close()
    workbook = next(data for info, data in parts if info.filename == "xl/workbook.xml")
    rels = next(data for info, data in parts if info.filename == "xl/_rels/workbook.xml.rels")
    sheets = _sheet_parts(workbook.decode("utf-8"), rels.decode("utf-8"))
    by_part = {sheets[t.worksheet.name]: t for t in tables if t.worksheet.name in sheets}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info, data in parts:
            found = by_part.get(info.filename)
            if found is None:
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            else:
                _write_sheet(data, found, target, info)


def splice(path: Path, tables: Sequence[FastRows], source: bytes | None = None) -> None:
    """Put every table's rows into its sheet of the closed workbook, written to ``path``.

    The workbook is read from ``source`` when given (an in-memory xlsxwriter workbook),
    else from ``path`` itself.
    """
    tmp = path.with_name(path.name + ".splice")
    try:
        write_parts(tmp, read_parts(source if source is not None else path.read_bytes()), tables)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        for table in tables:
            table.discard()


_ROW = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)


def _write_sheet(xml: bytes, table: FastRows, target: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The sheet with xlsxwriter's own rows and the table's, merged by row number."""
    if b"<sheetData/>" in xml:
        head, tail = xml.split(b"<sheetData/>", 1)
        own: list[tuple[int, bytes]] = []
    else:
        head, rest = xml.split(b"<sheetData>", 1)
        data, tail = rest.split(b"</sheetData>", 1)
        own = [(int(m.group(1)), m.group(0)) for m in _ROW.finditer(data)]
    last = max([table.last_row + 1] + [n for n, _ in own])
    width = max(table.columns, 1)
    head = _DIMENSION.sub(f'<dimension ref="A1:{xl_col_to_name(width - 1)}{max(last, 1)}"/>'.encode(), head, 1)
    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.open() takes the level from the entry (no public setter before Python 3.13, where
    # this name remains an alias): level 1 deflates large sheets about three times faster than 6
    setattr(entry, "_compresslevel", 1)  # noqa: B010
    first_own = [xml_row for n, xml_row in own if n <= table.first_row]
    later_own = [(n, xml_row) for n, xml_row in own if n > table.first_row]
    with target.open(entry, "w", force_zip64=True) as out:
        out.write(head + b"<sheetData>")
        for xml_row in first_own:
            out.write(xml_row)
        if not later_own:
            for chunk in table.chunks():
                out.write(chunk.encode("utf-8"))
        else:  # rows of both kinds after the table's start: merge by number (small sheets only)
            mine = [(n, text.encode("utf-8")) for n, text in table.numbered()]
            for _, xml_row in sorted(mine + later_own, key=lambda pair: pair[0]):
                out.write(xml_row)
        out.write(b"</sheetData>" + tail)
