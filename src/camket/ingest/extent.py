"""Where a sheet's cells really are, learnt before a reader builds its table.

calamine, like every reader that returns a rectangle, allocates one slot for every cell
between A1 and the farthest cell holding a value: one stray value at XFD5000 costs
82 million slots (2,5 GB). So before calamine reads a sheet, its cells are located in a
bounded pass over the file:

- :func:`quick` answers for the usual worksheet part with two fast searches;
- :func:`xlsx_extent` places every cell of any other part as calamine places it (with and
  without ``r``, any namespace prefix), in chunks;
- :func:`xlsx_clip` removes the cells outside the window from a worksheet part, so that
  calamine reads the rest of the sheet as usual;
- :func:`ods_extents` does the same count for every table of an OpenDocument file
  (repeated rows and cells multiply, as they do in calamine).

A *window* is the area camket reads: ``rows`` rows from the top and ``cols`` columns from
the left. Cells holding a value outside it are *far* cells: counted and named, never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl

from defusedxml.sax import make_parser

from ..values import MAX_NUMBER

__all__ = ["Extent", "Window", "cell_name", "holds_value", "ods_extents", "quick", "shared_lengths", "xlsx_cells",
           "xlsx_clip", "xlsx_extent"]


@dataclass(frozen=True)
class Window:
    rows: int
    cols: int

    def holds(self, row: int, col: int) -> bool:
        return row < self.rows and col < self.cols


@dataclass
class Extent:
    """The cells holding a value of one sheet, as far as memory and the window matter."""

    rows: int = 0                 # 1 + the last row holding a value (0: none)
    cols: int = 0                 # 1 + the last column holding a value
    far: int = 0                  # cells holding a value outside the window
    first_far: tuple[int, int] | None = None  # the first of them in reading order
    cells: int = 0                # cells holding a value inside the window
    text: int = 0                 # bytes of text the reader holds for them (at most)

    def add(self, row: int, col: int, window: Window, rows: int = 1, cols: int = 1, text: int = 0) -> None:
        """``rows`` x ``cols`` cells holding a value from (row, col), 0-based, each with ``text``
        bytes of text."""
        if row + rows > self.rows:
            self.rows = row + rows
        if col + cols > self.cols:
            self.cols = col + cols
        if row + rows <= window.rows and col + cols <= window.cols:  # the usual cell: inside
            self.cells += rows * cols
            self.text += rows * cols * text
            return
        inside = max(0, min(window.rows - row, rows)) * max(0, min(window.cols - col, cols))
        self.cells += inside
        self.text += inside * text
        if inside < rows * cols:
            self.far += rows * cols - inside
            if self.first_far is None:
                self.first_far = (row, col) if not window.holds(row, col) else \
                    (row, window.cols) if col + cols > window.cols else (window.rows, col)

    @property
    def dense(self) -> int:
        """Slots of the rectangle from A1 to the farthest value: what ``to_python`` returns, and
        at least what calamine allocates for the sheet (it keeps the rows and columns between
        values, and an OpenDocument row up to its last value)."""
        return self.rows * self.cols


def cell_name(row: int, col: int) -> str:
    """A1 name of a 0-based (row, col)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


# --- xlsx ---------------------------------------------------------------------------------

# Attributes up to the end of a tag, quoted values whole ("/" and ">" may sit inside quotes).
_ATTRS = rb"""(?:[^>"'/]|"[^"]*"|'[^']*')*"""
_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"
# A row start tag, a whole cell element or a row end tag, with any namespace prefix (calamine
# matches local names). A cell's body ends at the first closing tag of a cell, as in calamine.
_TOKEN = re.compile(
    rb"<" + _PREFIX + rb"(?:(row)(?=[\s/>])(" + _ATTRS + rb")(/?)>"
    rb"|c(?=[\s/>])(" + _ATTRS + rb")(?:/>|>(.*?)</" + _PREFIX + rb"c\s*>))"
    rb"|(</" + _PREFIX + rb"row\s*>)", re.S)
_TOKEN_START = re.compile(rb"<" + _PREFIX + rb"(?:row|c)(?=[\s/>])")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A cell holds a value when it has an inline string, or a <v> that is not empty.
_VALUE = re.compile(rb"<" + _PREFIX + rb"(?:is(?=[\s/>])|v(?=[\s>])" + _ATTRS + rb">(?!</))")
_REF = re.compile(rb"([A-Za-z]*)([0-9]+)")
# The quick test: every cell tag reads <c r="<one letter><digits>", and no cell reaches column AA
# or row 10000 (calamine reads letters in either case) ...
_QUICK_CELLS = re.compile(rb'<c(?: r="[A-Za-z](?:[A-Za-z]|[0-9]{5})|[>/\t\n\r]| (?!r="))')
# ... and no row or cell tag has a namespace prefix (calamine reads local names).
_QUICK_PREFIX = re.compile(rb":(?:c|row)[\s/>]")
_QUICK_WINDOW = Window(9_999, 26)  # where the cells of a part passing the quick test lie at most
_U32 = 0xFFFFFFFF


def _attr_r(attrs: bytes) -> bytes | None:
    m = _R.search(attrs)
    return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2))


_COLUMNS: dict[bytes, int] = {}  # column letters -> 1-based number (those of up to 3 letters, as met)


def _column(letters: bytes) -> int:
    known = _COLUMNS.get(letters)
    if known is not None:
        return known
    col = 0
    for ch in letters.upper():
        col = (col * 26 + ch - 64) & _U32
    if len(letters) <= 3:
        _COLUMNS[letters] = col
    return col


def _position(ref: bytes) -> tuple[int, int | None] | None:
    """(row, col), 0-based, of a reference such as ``B12`` as calamine reads it (32-bit, either
    case; col None when there are no letters); None where calamine stops with an error."""
    m = _REF.fullmatch(ref)
    if m is None:
        return None
    col = _column(m.group(1))
    row = int(m.group(2)) & _U32
    if row == 0:
        return None
    return row - 1, (col - 1 if col else None)


@dataclass
class _Cursor:
    """calamine's reading position in a worksheet: where a cell without ``r`` goes."""

    row: int = 0
    col: int = 0


def _tokens(chunks: Iterable[bytes]) -> Iterator[re.Match[bytes]]:
    """Row tags and whole cells of a worksheet part, over chunks (a token cut by a chunk's
    end is completed from the next one)."""
    pending = b""
    for chunk in chunks:
        buffer = pending + chunk if pending else chunk
        end = 0
        for m in _TOKEN.finditer(buffer):
            yield m
            end = m.end()
        pending = _unfinished(buffer, end)


def _unfinished(buffer: bytes, end: int) -> bytes:
    """What follows the last token of ``buffer``, from where an unfinished token may start."""
    starts = [m.start() for m in _TOKEN_START.finditer(buffer, end)]
    if starts:
        return buffer[starts[-1]:]
    cut = buffer.rfind(b"<", end)
    return buffer[cut:] if cut >= 0 else b""


def _cell(m: re.Match[bytes], cursor: _Cursor) -> tuple[int, int]:
    """(row, col) of a cell token, moving the cursor as calamine does."""
    attrs = m.group(4)
    ref = attrs[4:attrs.find(b'"', 4)] if attrs.startswith(b' r="') else _attr_r(attrs)
    place = _position(ref) if ref is not None else None
    row, col = (place[0], place[1]) if place is not None and place[1] is not None else (cursor.row, cursor.col)
    cursor.col = col + 1
    return row, col


def holds_value(body: bytes | None) -> bool:
    """A cell body (what lies between ``<c>`` and ``</c>``) that calamine reads as a value."""
    return body is not None and _VALUE.search(body) is not None


def xlsx_cells(chunks: Iterable[bytes]) -> Iterator[tuple[int, int, bytes, bytes | None]]:
    """(row, col, attributes, body) of every cell of a worksheet part, placed as calamine places
    them (a self-closing cell has no body)."""
    cursor = _Cursor()
    for m in _tokens(chunks):
        if m.group(1) is not None or m.group(6) is not None:
            _row_tag(m, cursor)
        else:
            row, col = _cell(m, cursor)
            yield row, col, m.group(4), m.group(5)


def _row_tag(m: re.Match[bytes], cursor: _Cursor) -> None:
    if m.group(6) is not None:       # </row>
        cursor.row, cursor.col = cursor.row + 1, 0
        return
    ref = _attr_r(m.group(2))
    place = _position(ref) if ref is not None else None
    if place is not None:
        cursor.row = place[0]
    if m.group(3):  # <row .../>: read as a start and an end
        cursor.row, cursor.col = cursor.row + 1, 0


def quick(xml: bytes, window: Window) -> bool:
    """A whole worksheet part whose cells all lie within ``window``, known from two fast searches
    (true of the usual sheet: explicit references within A1:Z9999). False means: look closer."""
    return (window.rows >= _QUICK_WINDOW.rows and window.cols >= _QUICK_WINDOW.cols
            and _QUICK_CELLS.search(xml) is None and _QUICK_PREFIX.search(xml) is None)


_SHARED = re.compile(rb"""(?:^|\s)t\s*=\s*(?:"s"|'s')""")
_INDEX = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?v(?:\s[^>]*)?>\s*([0-9]{1,10})\s*<")


def xlsx_extent(chunks: Iterable[bytes], window: Window, shared: Sequence[int] = ()) -> Extent:
    """Where the values of a worksheet part are (every cell placed as calamine places it), and
    how much text the reader will hold for those within the window: a cell's own text, or the
    length of the shared string it points to (``shared``: the length of each, at most)."""
    extent = Extent()
    for row, col, attrs, body in xlsx_cells(chunks):
        if body is None or _VALUE.search(body) is None:
            continue
        text = len(body)
        if b"s" in attrs and _SHARED.search(attrs):
            index = _INDEX.search(body)
            text = shared[int(index.group(1))] if index and int(index.group(1)) < len(shared) else 0
        extent.add(row, col, window, text=text)
    return extent


_SI = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?si(?=[\s/>])")


def shared_lengths(chunks: Iterable[bytes]) -> list[int]:
    """The length of each shared string of ``sharedStrings.xml``, at most (the bytes from one
    ``<si>`` to the next), in order."""
    starts: list[int] = []
    offset, tail = 0, b""
    for chunk in chunks:
        buffer = tail + chunk
        base = offset - len(tail)
        for m in _SI.finditer(buffer):
            at = base + m.start()
            if not starts or at > starts[-1]:  # not one already seen in the previous chunk's tail
                starts.append(at)
        offset += len(chunk)
        tail = buffer[-16:]
    return [end - start for start, end in zip(starts, [*starts[1:], offset], strict=True)]


_T = re.compile(rb"""(\s)t\s*=\s*(?:"[^"]*"|'[^']*')""")
_NUMBER_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*(?:"n?"|'n?')""")
_V_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?v(?:\s[^>]*)?>([^<]*)<")


def _absurd(attrs: bytes, body: bytes | None) -> bytes | None:
    """The text of a numeric cell's value when it is no figure at all (undefined, infinite, or
    beyond :data:`~camket.values.MAX_NUMBER`); None for any other cell."""
    if body is None or (b"t" in attrs and _T.search(attrs) and not _NUMBER_TYPE.search(attrs)):
        return None
    m = _V_TEXT.search(body)
    if m is None:
        return None
    text = m.group(1).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return text if not -MAX_NUMBER < number < MAX_NUMBER else None


def _as_text(m: re.Match[bytes], text: bytes) -> bytes:
    """A cell element rewritten to hold ``text`` as an inline string (its place and style kept)."""
    attrs = _T.sub(rb"", m.group(4))
    return b"<c" + attrs + b' t="inlineStr"><is><t>' + text + b"</t></is></c>"


def xlsx_clip(chunks: Iterable[bytes], window: Window, numbers_as_text: bool = False) -> bytes:
    """The worksheet part without its cells outside ``window`` (the rest byte for byte); with
    ``numbers_as_text``, numeric values that are no figure (``-INF``, ``NaN``, ``1E+300``) are
    turned into text, which the reader reads without failing and ingest reports at the cell."""
    out: list[bytes] = []
    cursor = _Cursor()
    pending = b""
    for chunk in chunks:
        buffer = pending + chunk if pending else chunk
        end = 0
        for m in _TOKEN.finditer(buffer):
            out.append(buffer[end:m.start()])
            end = m.end()
            if m.group(1) is not None or m.group(6) is not None:
                _row_tag(m, cursor)
                out.append(m.group(0))
                continue
            if not window.holds(*_cell(m, cursor)):
                continue
            absurd = _absurd(m.group(4), m.group(5)) if numbers_as_text else None
            out.append(m.group(0) if absurd is None else _as_text(m, absurd))
        pending = _unfinished(buffer, end)
        out.append(buffer[end:len(buffer) - len(pending)])
    out.append(pending)
    return b"".join(out)


# --- ods ----------------------------------------------------------------------------------

_ODS_VALUE_ATTRS = ("office:value", "office:date-value", "office:time-value", "office:boolean-value",
                    "office:string-value", "table:formula")
_MAX_ODS_ROWS, _MAX_ODS_COLS = 1_048_576, 16_384  # calamine's caps on repeats


@dataclass
class _OdsTable:
    extent: Extent = field(default_factory=Extent)
    row: int = 0              # next row index (after repeats)
    rows_repeat: int = 1
    col: int = 0
    cell: tuple[int, int] | None = None   # (col, repeats) of the open cell
    cell_value: bool = False
    cell_text: int = 0        # bytes of the open cell's text and value attributes
    depth: int = 0            # elements open inside the open cell


class _OdsScan(ContentHandler):
    """SAX handler counting the cells holding a value of each table, as calamine places them."""

    def __init__(self, window: Window) -> None:
        super().__init__()
        self.window = window
        self.tables: dict[str, Extent] = {}
        self.table: _OdsTable | None = None
        self.name = ""

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        table = self.table
        if name == "table:table":
            self.table, self.name = _OdsTable(), attrs.get("table:name", "")
        elif table is None:
            return
        elif table.cell is not None:
            table.depth += 1
            table.cell_value = True  # text:p and the like inside the cell
        elif name == "table:table-row":
            repeat = _count(attrs.get("table:number-rows-repeated"))
            table.rows_repeat = max(0, min(repeat, _MAX_ODS_ROWS - table.row))
            table.col = 0
        elif name in ("table:table-cell", "table:covered-table-cell"):
            repeat = max(0, min(_count(attrs.get("table:number-columns-repeated")), _MAX_ODS_COLS - table.col))
            table.cell = (table.col, repeat)
            values = [attrs.get(a) for a in _ODS_VALUE_ATTRS]
            table.cell_value = any(values)
            table.cell_text = sum(len(v) for v in values if v)
            table.depth = 0

    def endElement(self, name: str) -> None:
        table = self.table
        if table is None:
            return
        if table.cell is not None and table.depth:
            table.depth -= 1
        elif table.cell is not None and name in ("table:table-cell", "table:covered-table-cell"):
            col, repeat = table.cell
            if table.cell_value and repeat and table.rows_repeat:
                table.extent.add(table.row, col, self.window, rows=table.rows_repeat, cols=repeat,
                                 text=table.cell_text * 3)  # characters: up to 3 bytes each once read
            table.col += repeat
            table.cell = None
        elif name == "table:table-row":
            table.row += table.rows_repeat
        elif name == "table:table":
            self.tables[self.name] = table.extent
            self.table = None

    def characters(self, content: str) -> None:
        table = self.table
        if table is not None and table.cell is not None and table.depth:
            table.cell_text += len(content)


def _count(text: str | None) -> int:
    try:
        return max(1, int(text)) if text else 1
    except ValueError:
        return 1


def ods_extents(chunks: Iterable[bytes], window: Window) -> dict[str, Extent]:
    """``{table name: extent}`` of an OpenDocument ``content.xml`` (parsed with defusedxml).

    Raises ``ValueError`` when the XML is malformed or declares a DTD or entities.
    """
    handler = _OdsScan(window)
    parser = make_parser()
    parser.setContentHandler(handler)
    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except Exception as exc:  # SAXParseException, DTDForbidden, EntitiesForbidden: no common base
        raise ValueError(str(exc)[:200]) from None
    return handler.tables
