"""Vietnamese text and number conventions used everywhere.

- :func:`nfc` and :func:`fold` (diacritics- and case-insensitive key for matching labels);
- :func:`normalize_code` for unit and task codes typed with stray spaces;
- :func:`percent` rounds half up to one decimal; :func:`format_number` and
  :func:`format_percent` write ``1.234,5`` and ``92,8%``;
- :func:`format_date` (``06/01/2022``, in tables) and :func:`text_date` (``30/6/2022``, in
  running text), both padded as :func:`formal_date` (Decree 30/2020:
  ``ngày 06 tháng 01 năm 2022``, ``ngày 29 tháng 6 năm 2019``) where text dates need it;
- :func:`vi_timestamps` rewrites ISO times inside a message (``09/7/2022 17:00``);
- :func:`short_name` shortens a unit's name for a chart label.

Babel was considered for number formatting; its decimal rounding follows the active
decimal context (half-even) and the report needs half-up, so two separators are
written here instead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "fold",
    "fold_key",
    "formal_date",
    "format_date",
    "format_number",
    "format_percent",
    "nfc",
    "normalize_code",
    "percent",
    "short_name",
    "slug",
    "text_date",
    "vi_timestamps",
]


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    for cp in range(0x300, 0x370):  # combining marks left by decomposed input
        table[cp] = None
    table[0xA0] = " "
    table[0xAD] = None
    return table


_FOLD = _build_fold_table()
_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Precomposed Unicode (what Decree 30 and every comparison here expects)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics, spaces collapsed: ``"Tiến  ĐỘ"`` -> ``"tien do"``."""
    return _SPACES.sub(" ", text.translate(_FOLD).lower()).strip()


def fold_key(text: str) -> str:
    """:func:`fold` with punctuation turned into spaces: ``"Tiến độ (%)"`` -> ``"tien do"``."""
    return _NON_ALNUM.sub(" ", text.translate(_FOLD).lower()).strip()


def normalize_code(text: str) -> str:
    """A code as compared everywhere: NFC, no spaces, upper case (``" vp-01 "`` -> ``"VP-01"``)."""
    if text.isascii():
        return "".join(text.split()).upper()  # the usual code: no regex needed
    return _SPACES.sub("", nfc(text)).upper().replace("\u00ad", "")


def slug(text: str, limit: int = 40) -> str:
    """An ASCII file-name part safe on Windows and in e-mail: ``"Vụ Pháp chế"`` -> ``"vu-phap-che"``."""
    out = _NON_ALNUM.sub("-", text.translate(_FOLD).lower()).strip("-")
    return out[:limit].rstrip("-") or "x"


def percent(part: int | float | Decimal, whole: int | float | Decimal) -> Decimal:
    """``100 * part / whole`` rounded half up to one decimal (0 when ``whole`` is 0).

    >>> percent(90, 97)
    Decimal('92.8')
    """
    if not whole:
        return Decimal("0.0")
    exact = Fraction(Decimal(str(part))) * 100 / Fraction(Decimal(str(whole)))
    tenths = (exact * 10).numerator * 2 // (exact * 10).denominator  # floor(2x)
    return (Decimal((tenths + 1) // 2) / 10).quantize(Decimal("0.1"))


def _round_half_up(value: float | Decimal, decimals: int) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """Vietnamese style: dot for thousands, comma for decimals (``1.234,5``).

    With ``decimals=None`` trailing zeros are dropped (``66,5``, ``100``).
    """
    number = _round_half_up(value, 6 if decimals is None else decimals)
    text = f"{number:,f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value: Decimal | float) -> str:
    """A percentage already on the 0-100 scale: ``92.8`` -> ``"92,8%"``, ``100`` -> ``"100%"``."""
    text = format_number(_round_half_up(value, 1), 1)
    return (text[:-2] if text.endswith(",0") else text) + "%"


def format_date(day: dt.date) -> str:
    """``06/01/2022``: the form of a date in a table cell (running text: :func:`text_date`)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def formal_date(day: dt.date, place: str = "") -> str:
    """The dateline of Decree 30/2020: days below 10 padded, only months 1 and 2 padded.

    >>> formal_date(dt.date(2022, 1, 6), "Hà Nội")
    'Hà Nội, ngày 06 tháng 01 năm 2022'
    >>> formal_date(dt.date(2019, 6, 29))
    'ngày 29 tháng 6 năm 2019'
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text


def text_date(day: dt.date) -> str:
    """A date in running text, padded as the dateline is (days below 10, months 1 and 2).

    >>> text_date(dt.date(2022, 6, 30)), text_date(dt.date(2022, 7, 5)), text_date(dt.date(2023, 1, 15))
    ('30/6/2022', '05/7/2022', '15/01/2023')
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


_ISO_TIME = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?\b")


def _vi_time(match: re.Match[str]) -> str:
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    hour = f"{match.group(4)}:{match.group(5)} " if match.group(4) else ""
    return f"{hour}ngày {text_date(day)}"


def vi_timestamps(text: str) -> str:
    """ISO dates and times written inside a message, in Vietnamese style.

    >>> vi_timestamps("nhận lúc 2022-07-09 17:00:00")
    'nhận lúc 17:00 ngày 09/7/2022'
    """
    return _ISO_TIME.sub(_vi_time, text) if "-" in text else text


_SHORTER = (
    (re.compile(r"^Phó Giám đốc Sở phụ trách lĩnh vực\b"), "PGĐ phụ trách"),
    (re.compile(r"^Phó Giám đốc\b"), "PGĐ"),
    (re.compile(r"\bTrung tâm\b"), "TT"),
    (re.compile(r"\b[Tt]hể dục,? thể thao\b"), "TDTT"),
    (re.compile(r"\bVăn hóa,? Nghệ thuật\b"), "VHNT"),
)


def short_name(name: str, limit: int = 30) -> str:
    """A unit's name short enough for a chart label: kept when it fits, otherwise the
    usual abbreviations of Vietnamese offices (Trung tâm → TT, Phó Giám đốc → PGĐ …)
    applied one by one until it does.

    >>> short_name("Trung tâm Triển lãm Văn hóa Nghệ thuật Việt Nam")
    'TT Triển lãm VHNT Việt Nam'
    >>> short_name("Vụ Pháp chế")
    'Vụ Pháp chế'
    """
    for pattern, replacement in _SHORTER:
        if len(name) <= limit:
            break
        name = pattern.sub(replacement, name)
    return name
