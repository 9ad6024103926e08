"""What the reader would build for a workbook, measured before it builds it.

calamine builds, for every sheet it reads, a rectangle from A1 to the farthest value, and
a copy of every string for every cell that shows it (a shared string shown by a million
cells is a million copies). An ``.ods`` or ``.xls`` is read whole when it is opened. So
before calamine sees a file, :func:`measure` locates its cells (:mod:`.extent`,
:mod:`.biff`) and:

- an ``.xlsx`` sheet with cells outside the window is clipped: calamine reads a copy of the
  package whose sheet has lost those cells (only the sheets that need it are looked at
  closely; the usual workbook passes two quick searches);
- an ``.ods`` or ``.xls`` whose rectangles would be larger than the window is refused;
- any workbook holding more cells or text than a report can (:class:`~.limits.Limits`
  ``max_cells``, ``max_text``) is refused, whatever its size on disk.

Far cells are reported by the reader (:mod:`.book`); refusals are :class:`RefusedError`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from ..vi import format_number
from .biff import XlsStreamError, workbook_stream, xls_extents
from .extent import Extent, Window, cell_name, ods_extents, quick, shared_lengths, xlsx_clip, xlsx_extent
from .limits import Limits
from .package import Package, PartError, package_of
from .readerrors import BookError, EncryptedError, RefusedError, SheetLostError

__all__ = ["Measured", "area", "measure", "rewritten"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FILEPASS = 0x002F
_BIFF8_ROWS, _BIFF8_COLS = 65_536, 256
_SMALLEST_CELL = 21  # bytes of the shortest cell element holding a value: <c t="s"><v>0</v></c>
_SHARED = "xl/sharedStrings.xml"


@dataclass
class Measured:
    """What to hand the reader, and what was found on the way."""

    data: bytes                                        # the file, or an xlsx copy without far cells
    extents: dict[str, Extent] = field(default_factory=dict)  # by sheet (xlsx: those looked at closely)
    package: Package | None = None                     # xlsx: for a copy made later (numbers as text)
    clipped: dict[str, bytes] = field(default_factory=dict)   # xlsx: worksheet parts replaced in the copy


def area(window: Window) -> str:
    return f"A1:{cell_name(window.rows - 1, window.cols - 1)}"


@dataclass
class _Budget:
    """Cells and text counted against :class:`Limits` for a whole workbook."""

    limits: Limits
    cells: int = 0
    text: int = 0

    def fits(self, cells: int, text: int) -> bool:
        return self.cells + cells <= self.limits.max_cells and self.text + text <= self.limits.max_text

    def add(self, cells: int, text: int) -> None:
        self.cells, self.text = self.cells + cells, self.text + text

    def check(self, sheet: str = "") -> None:
        if self.fits(0, 0):
            return
        millions = format_number(-(-self.text // 10**6))
        raise RefusedError(sheet, "", (
            f"các sheet có {format_number(self.cells)} ô dữ liệu, khoảng {millions} triệu ký tự, vượt giới hạn "
            f"của một tệp báo cáo ({format_number(self.limits.max_cells)} ô, "
            f"{format_number(self.limits.max_text // 10**6)} triệu ký tự)"), kind="too-much")


def measure(data: bytes, limits: Limits) -> Measured:
    """``data`` measured as its format requires; raises :class:`RefusedError` when it must not be
    read, :class:`BookError` when its structure cannot be walked."""
    window = Window(limits.max_rows, limits.max_columns)
    if data.startswith(OLE_MAGIC):
        return Measured(data, _xls(data, window, _Budget(limits)))
    package = package_of(data)
    if package is None:
        return Measured(data)
    names = set(package.names())
    try:
        if "content.xml" in names:
            return Measured(data, _ods(package, window, _Budget(limits)))
        if "xl/workbook.xml" in names:
            return _xlsx(package, window, _Budget(limits))
    except PartError as exc:
        raise BookError(str(exc)) from None
    return Measured(data)


def _refuse_if_too_large(extents: dict[str, Extent], slots: int, window: Window, kind: str) -> None:
    """Refuse a workbook whose rectangles, built whole by calamine, would exceed the window's size."""
    if slots <= window.rows * window.cols or not extents:
        return
    sheet, extent = max(extents.items(), key=lambda item: item[1].dense)
    cell = cell_name(*extent.first_far) if extent.first_far else cell_name(extent.rows - 1, extent.cols - 1)
    raise RefusedError(sheet, cell, f"tệp {kind} có dữ liệu tới ô {cell}, ngoài vùng {area(window)} mà camket đọc")


# --- xlsx ---------------------------------------------------------------------------------

def _xlsx(package: Package, window: Window, budget: _Budget) -> Measured:
    shared_size = package.size(_SHARED)
    budget.add(0, shared_size)  # calamine reads every shared string when it opens the workbook
    shared: list[int] | None = None
    longest = shared_size  # of a shared string: known exactly only when the rough bound is not enough
    closer: list[str] = []
    for part in package.worksheets():
        size = package.size(part)
        cells = size // _SMALLEST_CELL  # every cell showing the longest shared string, at most
        if package.small(part) and quick(package.read(part), window):
            if not budget.fits(cells, size + cells * longest) and shared is None and shared_size:
                shared = shared_lengths(package.chunks(_SHARED))
                longest = max(shared, default=0)
            if budget.fits(cells, size + cells * longest):
                budget.add(cells, size + cells * longest)
                continue
        closer.append(part)
    measured = Measured(package.data, package=package)
    if not closer:
        budget.check()
        return measured
    if shared is None:
        shared = shared_lengths(package.chunks(_SHARED)) if shared_size else []
    names = {part: name for name, part in package.sheet_parts().items()}
    for part in closer:
        extent = xlsx_extent(package.chunks(part), window, shared)
        budget.add(extent.cells, extent.text)
        budget.check(names.get(part, ""))
        if extent.far:
            measured.extents[names.get(part, part)] = extent
            measured.clipped[part] = xlsx_clip(package.chunks(part), window)
    budget.check()
    if measured.clipped:
        measured.data = _copy(package, measured.clipped)
    return measured


def rewritten(measured: Measured, sheet: str, window: Window) -> bytes:
    """An xlsx copy in which ``sheet`` holds its numbers that are no figure as text (and every
    clipped sheet stays clipped): what calamine reads after failing on such a number."""
    package = measured.package
    if package is None:
        raise BookError(f'sheet "{sheet}" có giá trị không đọc được')
    part = package.sheet_parts().get(sheet)
    if part is None:
        raise SheetLostError(sheet)
    source = [measured.clipped[part]] if part in measured.clipped else package.chunks(part)
    return _copy(package, measured.clipped | {part: xlsx_clip(source, window, numbers_as_text=True)})


def _copy(package: Package, replaced: dict[str, bytes]) -> bytes:
    """A copy of the package (its images left out), ``replaced`` parts replaced (streamed,
    recompressed at the fastest level)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name in package.names():
            if name in replaced:
                out.writestr(name, replaced[name])
            elif not name.startswith("xl/media/") and not name.endswith("/"):
                with out.open(name, "w", force_zip64=True) as target:
                    for chunk in package.chunks(name):
                        target.write(chunk)
    return buffer.getvalue()


# --- ods, xls -----------------------------------------------------------------------------

def _ods(package: Package, window: Window, budget: _Budget) -> dict[str, Extent]:
    try:
        if b"encryption-data" in package.read("META-INF/manifest.xml"):
            raise EncryptedError("tệp .ods được đặt mật khẩu")
    except PartError:
        pass  # no manifest: calamine decides
    try:
        extents = ods_extents(package.chunks("content.xml"), window)
    except ValueError as exc:
        raise BookError(f"content.xml: {exc}") from None
    _refuse_if_too_large(extents, sum(e.dense for e in extents.values()), window, ".ods")
    for extent in extents.values():
        budget.add(extent.cells, extent.text)
    budget.check()
    return extents


def _xls(data: bytes, window: Window, budget: _Budget) -> dict[str, Extent]:
    try:
        stream = workbook_stream(data)
    except XlsStreamError as exc:
        raise BookError(str(exc)) from None
    if _has_filepass(stream):
        raise EncryptedError("tệp .xls được đặt mật khẩu")
    layout = xls_extents(stream, window)
    for sheet in layout.sheets:
        rows, cols = sheet.claim
        if rows > _BIFF8_ROWS or cols > _BIFF8_COLS:  # no spreadsheet program writes that
            raise RefusedError(sheet.name, "", f"sheet khai báo kích thước {format_number(rows)} dòng × "
                                               f"{format_number(cols)} cột", kind="unsafe")
        if rows * cols > window.rows * window.cols:
            cell = cell_name(rows - 1, cols - 1)
            raise RefusedError(sheet.name, cell, f"tệp .xls có vùng dữ liệu hoặc định dạng tới ô {cell}, "
                                                 f"ngoài vùng {area(window)} mà camket đọc")
    extents = {sheet.name: sheet.extent for sheet in layout.sheets}
    _refuse_if_too_large(extents, layout.slots, window, ".xls")
    budget.add(0, layout.shared_text)
    for extent in extents.values():
        budget.add(extent.cells, extent.text)
    budget.check()
    return extents


def _has_filepass(stream: bytes) -> bool:
    """The globals of a BIFF stream say it is encrypted (a FILEPASS record before the first EOF)."""
    pos = 0
    while pos + 4 <= len(stream):
        kind = int.from_bytes(stream[pos:pos + 2], "little")
        length = int.from_bytes(stream[pos + 2:pos + 4], "little")
        if kind == _FILEPASS:
            return True
        if kind == 0x000A:
            return False
        pos += 4 + length
    return False
