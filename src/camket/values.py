"""Parsing the values people type into spreadsheets.

Every parser takes a raw cell value as a reader returns it (``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime.datetime`` or ``None``) and returns
``(value, note)``: ``note`` is ``None`` when the value was clean and a finding code
when it had to be repaired (a free-typed status, a date typed as text). A value that
cannot be understood raises :class:`ValueError` with a Vietnamese reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any

from .model import Status
from .vi import fold, fold_key, format_date, format_number, nfc

__all__ = [
    "EXCEL_EPOCH",
    "MAX_NUMBER",
    "ONGOING",
    "clean_text",
    "is_blank",
    "parse_date",
    "parse_deadline",
    "parse_flag",
    "parse_number",
    "parse_percent",
    "parse_status",
    "shown",
    "text_of",
    "unsafe_characters",
]

EXCEL_EPOCH = dt.date(1899, 12, 30)
ONGOING = "Thường xuyên"
_MAX_SERIAL = 2958465  # 31/12/9999
_FIRST_DATE = dt.date(1900, 1, 1)  # Excel counts days from here: nothing earlier is a date typed in a cell
MAX_NUMBER = 1e15  # larger magnitudes are no figure an office reports (and floats stop being exact at 9e15)

_DATE_TEXT = re.compile(
    r"^(?:ngay\s*)?(\d{1,2})\s*[/.\-]\s*(?:thang\s*)?(\d{1,2})\s*[/.\-]\s*(?:nam\s*)?(\d{2}|\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_WORDS = re.compile(r"^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(?:thang\s*|t\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_MONTH_WORDS = re.compile(r"^thang\s+(\d{1,2})\s+(?:nam\s+)?(\d{4})$")
_QUARTER = re.compile(r"^(?:quy|q)\s*(i{1,3}|iv|[1-4])\s*[/.\-]?\s*(?:nam\s*)?(\d{4})$")
_YEAR = re.compile(r"^(?:nam\s*|cuoi nam\s*)?(\d{4})$")
_ONGOING_KEYS = frozenset({"thuong xuyen", "hang nam", "lien tuc", "ca nam thuong xuyen"})
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def is_blank(value: Any) -> bool:
    """True for ``None``, ``""`` and text made only of spaces."""
    return value is None or value == "" or (type(value) is str and not value.strip())


def text_of(value: Any) -> str:
    """A cell as text, NFC, trimmed; whole numbers without ``.0``; dates as ``dd/mm/yyyy``."""
    if value is None:
        return ""
    if type(value) is str:
        if value.isascii():
            return value.strip()
        return nfc(value.replace("\u00a0", " ")).strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


# Characters that are never text an office meant: C0 and C1 controls (tab and newline aside),
# lone surrogates, noncharacters, the bidirectional overrides and isolates that make text
# display in another order than it reads, and the invisible ones pasted from web pages and
# other programs (zero-width space, word joiner, byte order mark) that make equal texts differ.
# Line-like ones become a newline.
_LINE_LIKE = {0x0B: "\n", 0x0C: "\n", 0x0D: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}
_UNSAFE_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x200B, 0x200B), (0x202A, 0x202E), (0x2060, 0x2060),
                  (0x2066, 0x2069), (0xD800, 0xDFFF), (0xFDD0, 0xFDEF), (0xFEFF, 0xFEFF))
_NONCHARACTERS = tuple(plane * 0x10000 + low for plane in range(17) for low in (0xFFFE, 0xFFFF))
_CLEAN: dict[int, str | None] = {code: _LINE_LIKE.get(code) for low, high in _UNSAFE_RANGES
                                 for code in range(low, high + 1)}
_CLEAN.update(dict.fromkeys(_NONCHARACTERS))
_CLEAN.update(_LINE_LIKE)
_UNSAFE = re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _UNSAFE_RANGES)
                     + "".join(f"\\U{code:08x}" for code in (*_NONCHARACTERS, 0x2028, 0x2029)) + "]")
_CHARACTER_NAMES = {0x0B: "ngắt dòng của Word", 0x0D: "ký tự về đầu dòng", 0x00: "ký tự rỗng NUL",
                    0x200B: "khoảng trắng không độ rộng", 0x2060: "ký tự nối từ không hiển thị",
                    0xFEFF: "dấu BOM"}


def unsafe_characters(text: str) -> list[str]:
    """The characters :func:`clean_text` would change, named for a reader (``U+000B (ngắt dòng của
    Word)``), each once, in order of appearance."""
    found = dict.fromkeys(ord(ch) for ch in _UNSAFE.findall(text))
    return [f"U+{code:04X}" + (f" ({_CHARACTER_NAMES[code]})" if code in _CHARACTER_NAMES else "") for code in found]


def clean_text(text: str) -> str:
    r"""``text`` without control characters and the like: a vertical tab (a line break pasted
    from Word), a form feed, a carriage return and the Unicode line and paragraph separators
    become a newline; the others (a zero-width space too) are removed.

    >>> clean_text("Đã ban hành\x0bKế hoạch số 12\x00")
    'Đã ban hành\nKế hoạch số 12'
    >>> clean_text("\ufeffHoàn\u200b thành\u2060")
    'Hoàn thành'
    """
    if text.isprintable() or _UNSAFE.search(text) is None:  # isprintable: a fast answer for most text
        return text
    return text.replace("\r\n", "\n").translate(_CLEAN)


def shown(value: Any) -> str:
    """A raw cell value as a Vietnamese reader expects to see it in a message: numbers as
    ``0,8`` (huge or undefined ones as a spreadsheet shows them: ``1E+29``, ``-INF``), text cleaned."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        if abs(value) >= MAX_NUMBER:
            return f"{value:.6G}".replace(".", ",")
        return format_number(value)
    return clean_text(text_of(value)).replace("\n", " ")


def _checked_date(year: int, month: int, day: int, raw: str) -> dt.date:
    if year < 100:
        year += 2000
    try:
        day_ = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f'"{raw}" không phải ngày hợp lệ (ngày/tháng/năm)') from None
    return _plausible(day_, raw)


def _plausible(day: dt.date, raw: Any) -> dt.date:
    if day < _FIRST_DATE:
        raise ValueError(f'"{shown(raw)}" không phải ngày hợp lệ (trước năm 1900)')
    return day


def _from_serial(number: float, raw: Any) -> dt.date:
    if not 1 <= number <= _MAX_SERIAL:  # NaN fails too
        raise ValueError(f'"{shown(raw)}" không phải ngày hợp lệ (ngày/tháng/năm)')
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_date(value: Any) -> tuple[dt.date, str | None]:
    """A date from a date cell, an Excel serial number or day-first text.

    >>> parse_date("15/12/2021")
    (datetime.date(2021, 12, 15), 'date-text')
    """
    if isinstance(value, dt.datetime):
        return _plausible(value.date(), value), None
    if isinstance(value, dt.date):
        return _plausible(value, value), None
    if isinstance(value, bool):
        raise ValueError(f'"{text_of(value)}" không phải ngày hợp lệ (ngày/tháng/năm)')
    if isinstance(value, int | float):
        return _from_serial(float(value), value), "date-serial"
    raw = text_of(value)
    key = _compact(raw)
    compact = raw.lower().strip()
    for pattern in (_DATE_TEXT, _DATE_WORDS):
        m = pattern.match(key)
        if m:
            day, month, year = (int(g) for g in m.groups())
            return _checked_date(year, month, day, raw), "date-text"
    m = _DATE_ISO.match(compact)
    if m:
        year, month, day = (int(g) for g in m.groups())
        return _checked_date(year, month, day, raw), "date-text"
    if re.fullmatch(r"\d+(\.0+)?", compact):
        return _from_serial(float(compact), raw), "date-serial"
    raise ValueError(f'"{raw}" không phải ngày hợp lệ (ngày/tháng/năm)')


def _compact(raw: str) -> str:
    """Folded text with no spaces around ``/ . -``: ``"Tháng 6 / 2022"`` -> ``"thang 6/2022"``."""
    return re.sub(r"\s*([/.\-])\s*", r"\1", fold(raw))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value: Any) -> tuple[dt.date | None, str]:
    """A deadline: a date, ``6/2022`` (end of June), ``Quý II/2022``, ``2022`` or
    ``Thường xuyên`` (ongoing: returns ``None``). Returns the date and its display text.

    >>> parse_deadline("6/2022")
    (datetime.date(2022, 6, 30), '30/06/2022')
    """
    if isinstance(value, dt.date | dt.datetime):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day, format_date(day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2200 and float(value).is_integer():
            day = dt.date(int(value), 12, 31)
        else:
            day = _from_serial(float(value), value)
        return day, format_date(day)
    raw = text_of(value)
    key = fold_key(raw)
    if key in _ONGOING_KEYS:
        return None, ONGOING
    spaced = _compact(raw)
    m = _MONTH.match(spaced) or _MONTH_WORDS.match(key)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f'"{raw}" không phải tháng hợp lệ (tháng/năm)')
        day = _month_end(year, month)
        return day, format_date(day)
    m = _QUARTER.match(spaced) or _QUARTER.match(key)
    if m:
        day = _month_end(int(m.group(2)), 3 * _QUARTERS[m.group(1)])
        return day, format_date(day)
    m = _YEAR.match(key)
    if m:
        day = dt.date(int(m.group(1)), 12, 31)
        return day, format_date(day)
    day, _ = parse_date(raw)
    return day, format_date(day)


_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(value: Any, *, integer: bool = False) -> tuple[float, str | None]:
    """A number from a number cell or text with Vietnamese or English separators.

    ``"1.234,5"`` -> 1234.5; ``"66,5"`` -> 66.5; ``"66.5"`` -> 66.5. A lone group of
    thousands (``"1.234"``) is read as 1234 only when ``integer`` is true.
    """
    kind = type(value)
    if kind is float or kind is int or (isinstance(value, int | float) and kind is not bool):
        if not -MAX_NUMBER < value < MAX_NUMBER:  # NaN fails too
            raise ValueError(f'"{shown(value)}" không phải là số hợp lệ')
        return float(value), None
    if kind is bool:
        raise ValueError(f'"{text_of(value)}" không phải là số')
    raw = text_of(value)
    text = raw.replace(" ", "").replace("\u202f", "").replace("'", "")
    if text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        if (integer and _THOUSANDS_COMMA.match(text)) or text.count(",") > 1:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text and ((integer and _THOUSANDS_DOT.match(text)) or text.count(".") > 1):
        if not _THOUSANDS_DOT.match(text):
            raise ValueError(f'"{raw}" không phải là số')
        text = text.replace(".", "")
    if not _NUMBER.match(text) or not -MAX_NUMBER < float(text) < MAX_NUMBER:
        raise ValueError(f'"{raw}" không phải là số hợp lệ')
    return float(text), "number-text"


def parse_percent(value: Any) -> tuple[float, str | None]:
    """A progress percentage on the 0-100 scale from ``80``, ``"80%"``, ``"80 %"`` or ``0.8``."""
    if isinstance(value, str):
        raw = text_of(value)
        if raw.endswith("%"):
            number, _ = parse_number(raw[:-1].strip())
            return number, "percent-text"
        number, _ = parse_number(raw)
        if 0 < number < 1:
            return number * 100, "percent-fraction"
        return number, "percent-text"
    number, note = parse_number(value)
    if 0 < number < 1:
        return number * 100, "percent-fraction"
    return number, note


_CANONICAL = {fold_key(s.value): s for s in Status} | {"khong thuc hien co ly do": Status.NOT_DONE}
_SYNONYMS: dict[str, Status] = {
    **{k: Status.DONE for k in (
        "xong", "da xong", "hoan thanh", "da hoan thanh", "ht", "da ht", "hoan tat", "da hoan tat",
        "hoan thanh 100", "hoan thanh dung han", "hoan thanh qua han", "hoan thanh tre han",
        "hoan thanh vuot muc", "hoan thanh vuot ke hoach", "hoan thanh xuat sac", "done", "completed",
        "finished", "da thuc hien xong", "thuc hien xong", "hoan thanh nhiem vu", "htnv", "ok",
    )},
    **{k: Status.IN_PROGRESS for k in (
        "dang lam", "dang thuc hien", "dang trien khai", "dang tien hanh", "dth", "dang th",
        "dang xu ly", "chua xong", "chua hoan thanh", "dang hoan thien", "dang thuc hien trong han",
        "dang thuc hien qua han", "in progress", "ongoing", "dang lam do", "tiep tuc thuc hien",
    )},
    **{k: Status.NOT_STARTED for k in (
        "chua lam", "chua thuc hien", "chua trien khai", "chua bat dau", "cth", "chua th",
        "not started", "chua", "chua tien hanh",
    )},
    **{k: Status.NOT_DONE for k in (
        "khong th", "kth", "huy", "da huy",
        "dung thuc hien", "tam dung", "khong trien khai", "khong lam", "cancelled", "bo",
        "de nghi khong thuc hien", "dieu chinh khong thuc hien",
    )},
}
_FUZZY_CANDIDATES = tuple((*_CANONICAL.items(), *_SYNONYMS.items()))
_DROPDOWN = {s.value: s for s in Status}  # exactly as the template's dropdown writes them


def parse_status(value: Any) -> tuple[Status, str | None]:
    """One of the four statuses from the dropdown value or what people type instead.

    >>> parse_status("đã xong")
    (<Status.DONE: 'Hoàn thành'>, 'status-synonym')
    """
    if type(value) is str and value in _DROPDOWN:
        return _DROPDOWN[value], None
    from rapidfuzz import fuzz  # loaded when a status needs guessing, not with camket

    raw = text_of(value)
    key = fold_key(raw)
    if key in _CANONICAL:
        return _CANONICAL[key], None
    if key in _SYNONYMS:
        return _SYNONYMS[key], "status-synonym"
    if len(key) >= 5:
        best: dict[Status, float] = {}
        for candidate, status in _FUZZY_CANDIDATES:
            score = fuzz.ratio(key, candidate)
            if score > best.get(status, 0):
                best[status] = score
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if not ranked:  # nothing alike at all (a number, a date serial)
            raise ValueError(f'"{raw}" không phải tình trạng hợp lệ')
        top_status, top = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if top >= 88 and top - runner_up >= 6:
            return top_status, "status-fuzzy"
    raise ValueError(f'"{raw}" không phải tình trạng hợp lệ')


def parse_flag(value: Any) -> bool:
    """A tick column: ``x``, ``có``, ``1``, ``TRUE`` are true; blank, ``không``, ``0`` false."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return fold_key(text_of(value)) in {"x", "co", "1", "true", "yes", "dung", "v", "kho", "dot pha"}
