"""The cells of a legacy ``.xls`` workbook, located before calamine reads it.

An ``.xls`` file is a BIFF record stream inside an OLE compound file. calamine reads every
sheet of it when the workbook is opened, allocating a rectangle from the first to the last
cell of each sheet (and, first, as many slots as each sheet's DIMENSIONS record claims).
:func:`xls_extents` walks the same records in bounded memory so that a file whose cells or
claims lie far away is refused before calamine sees it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ..values import MAX_NUMBER
from .extent import Extent, Window

__all__ = ["XlsLayout", "XlsSheet", "XlsStreamError", "absurd_numbers", "shared_lengths", "workbook_stream",
           "xls_extents"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST_SECTOR = 0xFFFFFFFA   # sector numbers above this are markers (end of chain, free, ...)
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _MULRK = 0x0809, 0x000A, 0x0085, 0x0200, 0x00BD
_SST, _CONTINUE, _LABELSST = 0x00FC, 0x003C, 0x00FD
# Records holding one value at (row, col) that calamine reads: NUMBER, LABEL, RSTRING,
# BOOLERR, RK, LABELSST, FORMULA.
_CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_TEXT = frozenset({0x0204, 0x00D6})  # LABEL and RSTRING hold their text
_U32 = 0xFFFFFFFF


class XlsStreamError(Exception):
    """The compound file or its workbook stream is malformed."""


def _u32s(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))


class _Compound:
    """Just enough of an OLE compound file (MS-CFB) to read one stream."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_MAGIC):
            raise XlsStreamError("không phải tệp OLE")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise XlsStreamError("kích thước sector không hợp lệ")
        self.size = 1 << shift
        self.sectors = max(0, (len(data) - self.size) // self.size)
        fat_count, self.first_dir = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, self.first_mini_fat = struct.unpack_from("<II", data, 0x38)
        first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
        fat_sectors = _u32s(data[0x4C:0x200])
        sector, seen = first_difat, 0
        while sector <= _LAST_SECTOR and seen < min(difat_count, self.sectors):
            entries = _u32s(self.sector(sector))
            fat_sectors += entries[:-1]
            sector, seen = entries[-1], seen + 1
        fat_sectors = [s for s in fat_sectors if s <= _LAST_SECTOR][:fat_count]
        self.fat = _u32s(b"".join(self.sector(s) for s in fat_sectors))

    def sector(self, number: int) -> bytes:
        if number >= self.sectors:
            raise XlsStreamError(f"sector {number} nằm ngoài tệp")
        start = (number + 1) * self.size
        return self.data[start:start + self.size]

    def chain(self, start: int, table: list[int]) -> list[int]:
        numbers: list[int] = []
        while start <= _LAST_SECTOR:
            if start >= len(table) or len(numbers) > len(table):
                raise XlsStreamError("chuỗi sector hỏng")
            numbers.append(start)
            start = table[start]
        return numbers

    def stream(self, wanted: tuple[str, ...]) -> bytes:
        directory = b"".join(self.sector(s) for s in self.chain(self.first_dir, self.fat))
        entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
        if not entries:
            raise XlsStreamError("không có thư mục")
        found: dict[str, tuple[int, int]] = {}
        for entry in entries:
            length = min(struct.unpack_from("<H", entry, 64)[0], 64)
            name = entry[: max(0, length - 2)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", entry, 116)
            if entry[66] == 2:
                found.setdefault(name, (start, size))
        stream = next((found[n] for n in wanted if n in found), None)
        if stream is None:
            raise XlsStreamError("không có luồng Workbook")
        start, size = stream
        if size >= self.cutoff:
            return b"".join(self.sector(s) for s in self.chain(start, self.fat))[:size]
        root_start = struct.unpack_from("<I", entries[0], 116)[0]
        mini_stream = b"".join(self.sector(s) for s in self.chain(root_start, self.fat))
        mini_fat = _u32s(b"".join(self.sector(s) for s in self.chain(self.first_mini_fat, self.fat)))
        return b"".join(mini_stream[s * 64:s * 64 + 64] for s in self.chain(start, mini_fat))[:size]


def workbook_stream(data: bytes) -> bytes:
    """The BIFF stream (``Workbook``, or ``Book`` in old files) of an ``.xls`` file."""
    try:
        return _Compound(data).stream(("Workbook", "Book"))
    except struct.error:
        raise XlsStreamError("tệp OLE bị cắt cụt") from None


@dataclass
class XlsSheet:
    name: str
    extent: Extent
    claim: tuple[int, int] = (0, 0)  # (rows, cols) its DIMENSIONS record claims, as calamine computes them

    @property
    def slots(self) -> int:
        """What calamine allocates for the sheet: the claim (reserved first), or the cells' rectangle."""
        return max(self.claim[0] * self.claim[1], self.extent.dense)


@dataclass
class XlsLayout:
    """Each sheet, in workbook order, and the bytes of the shared strings (read whole)."""

    sheets: list[XlsSheet]
    shared_text: int = 0

    @property
    def slots(self) -> int:
        return sum(sheet.slots for sheet in self.sheets)


def _records(stream: bytes, pos: int) -> list[tuple[int, int, int]]:
    """(type, offset of data, length) of the records of one substream from ``pos``, nested
    substreams (embedded charts) left out, as calamine reads them."""
    out: list[tuple[int, int, int]] = []
    depth, seen_bof = 0, False
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        data = pos + 4
        pos = data + length
        if depth:
            depth += 1 if kind == _BOF else -1 if kind == _EOF else 0
            continue
        if kind == _BOF:
            depth, seen_bof = (1, True) if seen_bof else (0, True)
            continue
        if kind == _EOF:
            break
        out.append((kind, data, length))
    return out


def _sheet_name(record: bytes) -> str:
    if len(record) < 8:
        return ""
    count, flags = record[6], record[7]
    if flags & 1:
        return record[8:8 + 2 * count].decode("utf-16-le", "replace")
    return record[8:8 + count].decode("latin-1")


def _claim(record: bytes) -> tuple[int, int]:
    """(rows, cols) calamine reserves for a DIMENSIONS record (with its 32-bit arithmetic)."""
    if len(record) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", record)
    elif len(record) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", record)
    else:
        return 0, 0
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return 1, 1
    return ((last_row - 1 - first_row) & _U32) + 1, ((last_col - 1 - first_col) & _U32) + 1


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, position of its substream) of each sheet, in workbook order."""
    return [(_sheet_name(stream[data:data + length]), struct.unpack_from("<I", stream, data)[0])
            for kind, data, length in _records(stream, 0) if kind == _BOUNDSHEET and length >= 4]


def _shared_strings(stream: bytes) -> list[bytes]:
    """The SST record of the globals and its CONTINUE records (one shared-strings table)."""
    pieces: list[bytes] = []
    for kind, data, length in _records(stream, 0):
        if kind == _SST or (kind == _CONTINUE and pieces):
            pieces.append(stream[data:data + length])
        elif pieces:
            break
    return pieces


def shared_lengths(pieces: list[bytes]) -> list[int]:
    """The size of each shared string once read (3 bytes a character at most), walking the
    strings across CONTINUE records as Excel splits them (the option byte repeated there)."""
    lengths: list[int] = []
    if not pieces or len(pieces[0]) < 8:
        return lengths
    count = struct.unpack_from("<I", pieces[0], 4)[0]
    piece, pos = 0, 8

    def skip(size: int) -> None:
        nonlocal piece, pos
        while size and piece < len(pieces):
            step = min(size, len(pieces[piece]) - pos)
            pos, size = pos + step, size - step
            if pos >= len(pieces[piece]):
                piece, pos = piece + 1, 0

    while len(lengths) < count and piece < len(pieces):
        if pos >= len(pieces[piece]):
            piece, pos = piece + 1, 0
            continue
        current = pieces[piece]
        if pos + 3 > len(current):
            break
        chars, options = struct.unpack_from("<HB", current, pos)
        pos += 3
        runs = struct.unpack_from("<H", current, pos)[0] if options & 8 and pos + 2 <= len(current) else 0
        extra = struct.unpack_from("<I", current, pos + 2 * bool(options & 8))[0] if options & 4 and \
            pos + 2 * bool(options & 8) + 4 <= len(current) else 0
        pos += 2 * bool(options & 8) + 4 * bool(options & 4)
        left, wide = chars, options & 1
        while left and piece < len(pieces):
            fit = min(left, (len(pieces[piece]) - pos) // (2 if wide else 1))
            pos, left = pos + fit * (2 if wide else 1), left - fit
            if left:  # continued in the next record, which starts with the option byte again
                piece, pos = piece + 1, 0
                if piece < len(pieces) and pieces[piece]:
                    wide, pos = pieces[piece][0] & 1, 1
        skip(4 * runs + extra)
        lengths.append(3 * chars)
    return lengths


def xls_extents(stream: bytes, window: Window) -> XlsLayout:
    """Where the values of every sheet of a BIFF stream are, and how much text they hold."""
    pieces = _shared_strings(stream)
    shared = shared_lengths(pieces)
    layout = XlsLayout([], sum(len(p) for p in pieces) * 3 // 2)
    for name, pos in _sheets(stream):
        sheet = XlsSheet(name, Extent())
        extent = sheet.extent
        for kind, data, length in _records(stream, pos):
            if kind in _CELLS and length >= 4:
                row, col = struct.unpack_from("<HH", stream, data)
                text = length if kind in _TEXT else 0
                if kind == _LABELSST and length >= 10:
                    index = struct.unpack_from("<I", stream, data + 6)[0]
                    text = shared[index] if index < len(shared) else 0
                extent.add(row, col, window, text=text)
            elif kind == _MULRK and length >= 6:
                row, col = struct.unpack_from("<HH", stream, data)
                extent.add(row, col, window, cols=max(1, (length - 6) // 6))
            elif kind == _DIMENSIONS:
                sheet.claim = max(sheet.claim, _claim(stream[data:data + length]), key=lambda c: c[0] * c[1])
        layout.sheets.append(sheet)
    return layout


def _rk(value: int) -> float:
    """The number an RK value stands for: a signed 30-bit integer, or the high 30 bits of a
    double; divided by 100 when its lowest bit says so."""
    if value & 2:
        number = float((value >> 2) - (1 << 30) if value & 0x80000000 else value >> 2)
    else:
        number = struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))[0]
    return number / 100 if value & 1 else number


def _numbers(kind: int, record: bytes) -> list[tuple[int, float]]:
    """(column, number) of the numeric values a cell record holds."""
    if kind == 0x0203 and len(record) >= 14:      # NUMBER
        return [(struct.unpack_from("<H", record, 2)[0], struct.unpack_from("<d", record, 6)[0])]
    if kind == 0x0006 and len(record) >= 14 and record[12:14] != b"\xff\xff":  # FORMULA with a number
        return [(struct.unpack_from("<H", record, 2)[0], struct.unpack_from("<d", record, 6)[0])]
    if kind == 0x027E and len(record) >= 10:      # RK
        return [(struct.unpack_from("<H", record, 2)[0], _rk(struct.unpack_from("<I", record, 6)[0]))]
    if kind == _MULRK and len(record) >= 12:
        first = struct.unpack_from("<H", record, 2)[0]
        return [(first + i, _rk(struct.unpack_from("<I", record, 6 + 6 * i)[0]))
                for i in range((len(record) - 6) // 6)]
    return []


def absurd_numbers(stream: bytes) -> list[tuple[int, int, int, float]]:
    """(sheet index, row, col, value) of the numbers that are no figure (undefined, infinite,
    or beyond :data:`~camket.values.MAX_NUMBER`), which calamine may fail to convert."""
    found: list[tuple[int, int, int, float]] = []
    for index, (_, pos) in enumerate(_sheets(stream)):
        for kind, data, length in _records(stream, pos):
            record = stream[data:data + length]
            found += [(index, struct.unpack_from("<H", record)[0], col, number)
                      for col, number in _numbers(kind, record) if not -MAX_NUMBER < number < MAX_NUMBER]
    return found
