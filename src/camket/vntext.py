"""Detect and repair Vietnamese text typed in legacy 8-bit font encodings.

Office spreadsheets still carry cells typed with TCVN3 (ABC, ``.VnTime``) or
VNI-Windows (``VNI-Times``) fonts. Excel stores those bytes as Latin-1 code
points, so "Cộng hòa" arrives as ``"Céng hßa"`` (TCVN3) or ``"Coäng hoøa"``
(VNI). :func:`repair_legacy` converts such cells to Unicode NFC, but only after
verifying that the result is plausible Vietnamese: both tables reuse real
Vietnamese letters (TCVN3 ``ò`` is ``ũ``, VNI ``ô`` is ``ơ``), so converting
real Unicode text would corrupt it.

Facts used here (see shared/research/vietnam-formats.md §3):

* TCVN3 = TCVN 5712:1993 VN3: 74 letters in 0xA1-0xFE, identical to glibc
  iconv ``TCVN5712-1`` for those 74. That iconv table also maps 15 more bytes
  in the range to upper-case toned letters (the VN1 extension, e.g. 0xC4 ->
  "Ấ"); VN3 fonts have no upper-case toned letters, so they are left out.
  Headings use ``.VnTimeH``-style fonts over the lower-case codes.
* VNI-Windows: a toned vowel is the base letter followed by one mark character
  (a -> á is ``aù``); i-family letters, đ, ơ, ư and ỵ are single characters
  (``í ì æ ó ò``, ``ñ``, ``ô``, ``ö``, ``î``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "TCVN3_SIGNATURE",
    "TCVN3_TO_UNICODE",
    "UNICODE_TO_VNI",
    "VIETNAMESE_LETTERS",
    "VNI_SIGNATURE",
    "VNI_TO_UNICODE",
    "Encoding",
    "LegacyRepair",
    "decode_tcvn3",
    "decode_vni",
    "detect_legacy",
    "encode_tcvn3",
    "encode_vni",
    "is_plausible_vietnamese",
    "repair_legacy",
]

Encoding = Literal["tcvn3", "vni"]

# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

#: TCVN3 (VN3) code point -> Unicode letter; the 74 letters, built from
#: ``iconv -f TCVN5712-1`` byte by byte (0xAD, the soft hyphen, is "ư").
TCVN3_TO_UNICODE: dict[str, str] = {
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ", "¨": "ă",
    "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\xad": "ư", "®": "đ", "µ": "à", "¶": "ả",
    "·": "ã", "¸": "á", "¹": "ạ", "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ", "Ì": "è", "Î": "ẻ", "Ï": "ẽ",
    "Ð": "é", "Ñ": "ẹ", "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ", "×": "ì",
    "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị", "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó",
    "ä": "ọ", "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ", "ê": "ờ", "ë": "ở",
    "ì": "ỡ", "í": "ớ", "î": "ợ", "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự", "ú": "ỳ", "û": "ỷ", "ü": "ỹ",
    "ý": "ý", "þ": "ỵ",
}  # fmt: skip

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
_ACUTE_OR_DOT = frozenset("\u0301\u0323")


def _vietnamese_letters() -> list[str]:
    """The 67 lower-case non-ASCII Vietnamese letters, then their 67 capitals."""
    lower = ["đ"]
    for base in "aăâeêioôơuưy":
        for tone in ("", *_TONES):
            letter = unicodedata.normalize("NFC", base + tone)
            if not letter.isascii():
                lower.append(letter)
    return lower + [c.upper() for c in lower]


def _vni_spelling(letter: str) -> str:
    """VNI-Windows spelling of one Vietnamese letter (NFC, any case)."""
    up = letter.isupper()
    low = letter.lower()
    if low == "đ":
        return "Ñ" if up else "ñ"
    parts = unicodedata.normalize("NFD", low)
    tone = next((_TONES.index(c) + 1 for c in parts if c in _TONES), 0)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    if base == "i":
        out = "iíìæóò"[tone]
    elif base == "y" and tone == 5:
        out = "î"  # ỵ is one character in VNI (xvnkb vni.h, Unikey)
    elif base in "âêô":
        out = {"â": "a", "ê": "e", "ô": "o"}[base] + "âáàåãä"[tone]
    elif base == "ă":
        out = "a" + "êéèúüë"[tone]
    else:
        head = {"ơ": "ô", "ư": "ö"}.get(base, base)
        out = head + ("", "ù", "ø", "û", "õ", "ï")[tone]
    return out.upper() if up else out


VIETNAMESE_LETTERS: tuple[str, ...] = tuple(_vietnamese_letters())
#: Unicode letter -> VNI spelling, for all 134 non-ASCII Vietnamese letters.
UNICODE_TO_VNI: dict[str, str] = {c: _vni_spelling(c) for c in VIETNAMESE_LETTERS}


def _vni_decode_table() -> dict[str, str]:
    """VNI spelling -> Unicode letter, canonical spellings plus variants.

    Variants seen in real files are accepted too: a capital base with a small
    mark ("Aù"), i + tone mark ("iù", "IÙ": viparse's corpus) and "yï" for ỵ
    (viparse's choice; xvnkb and Unikey write "î").
    """
    table = {vni: letter for letter, vni in UNICODE_TO_VNI.items() if vni != letter}
    for letter, vni in UNICODE_TO_VNI.items():
        if len(vni) == 2 and vni[0] in "AEOUYÔÖ":
            table.setdefault(vni[0] + vni[1].lower(), letter)
    for i, mark in enumerate("ùøûõï"):
        table["i" + mark] = "íìỉĩị"[i]
        table["I" + mark] = table["I" + mark.upper()] = "ÍÌỈĨỊ"[i]
    table["yï"] = "ỵ"
    table["Yï"] = table["YÏ"] = "Ỵ"
    return table


#: VNI spelling -> Unicode letter (the 130 non-identity canonical ones + variants).
VNI_TO_UNICODE: dict[str, str] = _vni_decode_table()
_UNI_TO_TCVN3 = {v: k for k, v in TCVN3_TO_UNICODE.items()}
_TCVN3_ENCODE = {
    ord(c): _UNI_TO_TCVN3.get(c) or _UNI_TO_TCVN3[c.lower()] for c in VIETNAMESE_LETTERS
}
_TCVN3_DECODE = str.maketrans(TCVN3_TO_UNICODE)
_VNI_ENCODE = {ord(k): v for k, v in UNICODE_TO_VNI.items()}
_VNI_DECODE_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True))
)

# --------------------------------------------------------------------------
# Detection patterns (§3.4)
# --------------------------------------------------------------------------

#: Never in Unicode Vietnamese; 0xA1-0xBE are the strong ones (unused by VNI).
TCVN3_SIGNATURE = "¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ"
VNI_SIGNATURE = "ÄÅÆËÏÑÖØÛÜäåæëïñöøûü"
_TCVN3_STRONG = "".join(c for c in TCVN3_SIGNATURE if c <= "\xbe")
# TCVN3 codes for Ă Â Đ ă â đ and the ă/â families never end a syllable.
_NO_FINAL = "¡¢§¨©®»¼½¾ÆÇË"
_ADJ = "A-Za-z" + re.escape("".join(TCVN3_TO_UNICODE)) + "À-ÖØ-öø-ÿ"
_SIG_RE = re.compile(f"[{re.escape(TCVN3_SIGNATURE + VNI_SIGNATURE)}]")
# Letters only Unicode text can contain (beyond Latin-1), and combining marks.
_UNICODE_ONLY_RE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    "\u0300-\u036f\u1ea0-\u1ef9]"
)


def _in_word(chars: str) -> re.Pattern[str]:
    """Pattern: one of ``chars`` followed by a letter, or after a letter if it can end a word."""
    final = re.escape("".join(c for c in chars if c not in _NO_FINAL))
    pattern = f"[{re.escape(chars)}](?=[{_ADJ}])"
    return re.compile(pattern + (f"|(?<=[{_ADJ}])[{final}]" if final else ""))


_TCVN3_STRONG_RE = _in_word(_TCVN3_STRONG)
_TCVN3_WEAK_RE = _in_word(TCVN3_SIGNATURE)
# A VNI mark right after a vowel; "uû" is left out: it is also TCVN3 "uỷ".
_VNI_PAIR_RE = re.compile("[aeiouyAEIOUYôÔöÖ][äåëïøüÄÅËÏØÛÜ]|[aeioyAEIOYôÔöÖ]û")
_VNI_WEAK_RE = re.compile(_in_word("ñÑöÖæÆîÎ").pattern + "|[uU]û")

# --------------------------------------------------------------------------
# Syllable checker
# --------------------------------------------------------------------------

_ONSET_LIST = "b c ch d đ g gh gi h k kh kr l m n ng ngh nh p ph qu r s t th tr v x"
# Rhymes without tone; the k codas are for Tây Nguyên names (Đắk Lắk).
_RHYME_LIST = """a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp
    ât âu ây e eo ec em en eng ep et ê êu êch êm ên ênh êp êt i ia iu ich im in
    inh ip it iêc iêm iên iêng iêp iêt iêu o oi oc om on ong op ot ooc oong ô ôi
    ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt u ua ui uc um un ung up ut uôc uôi uôm uôn
    uông uôt ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu y yêm yên
    yêng yêt yêu oa oai oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng
    oăt oe oeo oen oet uân uâng uât uây uê uênh uêch uy uya uych uynh uyp uyt uyu
    uyên uyêt uơ ynh ych yt ak ăk âk ek êk ok ôk ơk uk ưk"""
_ONSETS = sorted([*_ONSET_LIST.split(), ""], key=len, reverse=True)
_RHYMES = frozenset(_RHYME_LIST.split())
_QU_ONLY = frozenset({"ynh", "ych", "yt"})
_STOPS = ("c", "ch", "p", "t", "k")
_ABBREV_CHARS = frozenset("bcdđfghjklmnpqrstvwxzBCDĐFGHJKLMNPQRSTVWXZ")
_ABBREV_UPPER = frozenset("ABCDĐEFGHIJKLMNOPQRSTUVWXYZ")
_TOKEN_RE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    """True if lower-case ``word`` is onset + rhyme + at most one tone mark."""
    parts = unicodedata.normalize("NFD", word)
    tones = [c for c in parts if c in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    for onset in _ONSETS:
        rhyme = base[len(onset) :]
        if not base.startswith(onset) or rhyme not in _RHYMES:
            continue
        first = rhyme[0]
        if rhyme.endswith(_STOPS) and not _ACUTE_OR_DOT.intersection(tones):
            continue  # stop codas take only sắc or nặng
        if (
            (onset == "c" and first in "eêiy")
            or (onset in ("gh", "ngh") and first not in "eêi")
            or (onset == "ng" and first in "eêi")
            or (onset == "g" and first in "eê")
            or (onset == "qu" and first in "uưo")
            or (onset != "qu" and rhyme in _QU_ONLY)
        ):
            continue
        return True
    return False


def _plausible_token(token: str) -> bool:
    if token.isascii():
        return True  # English words, abbreviations (UBND, COVID), loanwords
    if set(token) <= (_ABBREV_UPPER if token.isupper() else _ABBREV_CHARS):
        return True  # HĐND, QĐ, ĐVT, ĐUQS; đ (đồng)
    if token not in (token.lower(), token.upper(), token[0].upper() + token[1:].lower()):
        return False  # "ViƯt", "nhÊt": not how anyone writes a word
    return _is_syllable(token.lower())


def is_plausible_vietnamese(text: str) -> bool:
    """Return True if every letter token of ``text`` is acceptable.

    A token (a run of letters) is acceptable if it is ASCII (English words,
    loanwords, abbreviations such as "UBND"), an abbreviation with Đ that is
    upper-case or has no vowel ("HĐND", "đ" for đồng), or a legal Vietnamese
    syllable (onset + rhyme + one tone) in lower, Title or UPPER case. Any leftover TCVN3/VNI
    signature character (including a soft hyphen or "©") makes it False.
    """
    text = unicodedata.normalize("NFC", text)
    if _SIG_RE.search(text):
        return False
    return all(_plausible_token(m.group()) for m in _TOKEN_RE.finditer(text))


# --------------------------------------------------------------------------
# Converters
# --------------------------------------------------------------------------


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """Convert TCVN3 code points to Unicode NFC; ``upper`` for ``.VnTimeH`` fonts."""
    out = unicodedata.normalize("NFC", text.translate(_TCVN3_DECODE))
    return out.upper() if upper else out


def decode_vni(text: str) -> str:
    """Convert VNI-Windows text to Unicode NFC, matching the longest spelling first."""
    out = _VNI_DECODE_RE.sub(lambda m: VNI_TO_UNICODE[m.group()], text)
    return unicodedata.normalize("NFC", out)


def encode_tcvn3(text: str) -> str:
    """Convert Unicode to TCVN3 code points (for tests and simulated returns).

    TCVN3 has no upper-case toned letters, so they are written with the
    lower-case code ("Ộ" -> "é", as a ``.VnTimeH`` heading would hold it); only
    Ă Â Ê Ô Ơ Ư Đ keep a capital code. Other characters pass through unchanged.
    """
    return unicodedata.normalize("NFC", text).translate(_TCVN3_ENCODE)


def encode_vni(text: str) -> str:
    """Convert Unicode to VNI-Windows spelling; other characters pass through."""
    return unicodedata.normalize("NFC", text).translate(_VNI_ENCODE)


def _decode(encoding: Encoding, text: str, upper: bool) -> str:
    return decode_tcvn3(text, upper) if encoding == "tcvn3" else decode_vni(text)


_ASCII_UPPER_RE = re.compile("[A-Z]")
_ASCII_LOWER_RE = re.compile("[a-z]")


def _looks_upper(text: str) -> bool:
    """True for headings typed in capitals: TCVN3 then holds lower-case toned codes."""
    return _ASCII_LOWER_RE.search(text) is None and len(_ASCII_UPPER_RE.findall(text)) >= 2


def _candidates(text: str) -> tuple[list[Encoding], bool]:
    """Encodings suggested by the content, most likely first (§3.4 step 2).

    The flag says whether the first one rests on decisive evidence: a TCVN3
    0xA1-0xBE character or a VNI mark right after a vowel. Otherwise only
    characters both tables use as letters were seen ("ö" is VNI ư, TCVN3 ử).
    """
    if _UNICODE_ONLY_RE.search(text):
        return [], False  # real Unicode Vietnamese; a stray "©" or "½" means nothing
    strong = _TCVN3_STRONG_RE.search(text) is not None
    pair = _VNI_PAIR_RE.search(text) is not None
    weak = strong or _TCVN3_WEAK_RE.search(text) is not None
    vni = pair or _VNI_WEAK_RE.search(text) is not None
    order: list[Encoding] = ["tcvn3", "vni"] if strong or not pair else ["vni", "tcvn3"]
    return [e for e in order if (weak if e == "tcvn3" else vni)], strong or pair


def _choose(text: str, order: list[Encoding], decisive: bool) -> tuple[Encoding | None, str | None]:
    """First plausible conversion; (None, None) if none, or if two differ undecided."""
    found: list[tuple[Encoding, str]] = []
    for encoding in order:
        out = _decode(encoding, text, _looks_upper(text))
        if out != text and is_plausible_vietnamese(out):
            if decisive:
                return encoding, out
            found.append((encoding, out))
    if len({out for _, out in found}) == 1:
        return found[0]
    return None, None


def detect_legacy(text: str) -> Encoding | None:
    """Guess the legacy encoding of ``text`` from its content, or None for Unicode.

    Rules: no signature character inside a word, or any letter only Unicode
    has (ư, đ, ộ ... or a combining mark) -> None; a TCVN3 0xA1-0xBE character
    -> "tcvn3"; a VNI mark right after a vowel -> "vni". Otherwise both are
    candidates and the one whose conversion is plausible Vietnamese wins (if
    both or neither are, the first candidate is returned).
    """
    if text.isascii() or _UNICODE_ONLY_RE.search(text) or not _SIG_RE.search(text):
        return None
    order, decisive = _candidates(text)
    chosen, _ = _choose(text, order, decisive)
    return chosen or (order[0] if order else None)


@dataclass(frozen=True, slots=True)
class LegacyRepair:
    """Outcome of :func:`repair_legacy` for one cell."""

    original: str
    text: str  #: converted NFC text (== original when not converted)
    encoding: Encoding | None  #: detected legacy encoding, None if it looks like Unicode
    converted: bool  #: True if a conversion was accepted
    suspicious: bool  #: legacy-looking but no single plausible reading: ask a person


# Hot path: building a frozen dataclass through its __init__ (object.__setattr__
# per field) costs ~0.9 µs here; calling the slot descriptors' setters halves it.
_new_repair = object.__new__
_SET_ORIGINAL, _SET_TEXT, _SET_ENCODING, _SET_CONVERTED, _SET_SUSPICIOUS = (
    getattr(LegacyRepair, name).__set__ for name in LegacyRepair.__slots__
)


def _unchanged(text: str) -> LegacyRepair:
    """``LegacyRepair(text, text, None, False, False)``, built fast."""
    repair: LegacyRepair = _new_repair(LegacyRepair)
    _SET_ORIGINAL(repair, text)
    _SET_TEXT(repair, text)
    _SET_ENCODING(repair, None)
    _SET_CONVERTED(repair, False)
    _SET_SUSPICIOUS(repair, False)
    return repair


def _font_hint(font: str) -> tuple[Encoding | None, bool]:
    name = font.strip()
    if name.lower().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if name.lower().startswith("vni"):
        return "vni", False
    return None, False


def repair_legacy(text: str, font: str | None = None) -> LegacyRepair:
    """Convert a legacy-encoded cell to Unicode NFC if, and only if, it is safe.

    ``font`` is the cell's (or run's) font name: ``.Vn*`` means TCVN3 (a name
    ending in "H" means upper case), ``VNI*`` means VNI; other fonts or None
    mean content detection (:func:`detect_legacy`). A conversion is accepted
    only if the result passes :func:`is_plausible_vietnamese`; otherwise the
    text is returned unchanged with ``suspicious=True``. Text containing a
    letter only Unicode has is never converted. Ambiguous cells are flagged,
    not guessed: without a font, a short cell whose only clues are letters of
    both tables ("Nhö" is VNI "Như" but TCVN3 "Nhử"); under a legacy font, a
    cell with no signature character that already reads as Unicode Vietnamese
    ("Không": TCVN3 would give "Khụng").
    """
    hint: Encoding | None = None
    hint_upper = False
    if font:
        hint, hint_upper = _font_hint(font)
    if hint is None:
        # The common case, ASCII or Unicode Vietnamese, returns here.
        if text.isascii() or _UNICODE_ONLY_RE.search(text) or not _SIG_RE.search(text):
            return _unchanged(text)
        order, decisive = _candidates(text)
        if not order:
            return _unchanged(text)
        chosen, out = _choose(text, order, decisive)
        if chosen is None or out is None:
            return LegacyRepair(text, text, order[0], False, True)
        return LegacyRepair(text, out, chosen, True, False)
    if _UNICODE_ONLY_RE.search(text):
        return _unchanged(text)
    out = _decode(hint, text, hint_upper or _looks_upper(text))
    if out == text:
        return _unchanged(text)  # nothing to convert
    ambiguous = (
        _SIG_RE.search(text) is None and not text.isascii() and is_plausible_vietnamese(text)
    )
    if ambiguous or not is_plausible_vietnamese(out):
        return LegacyRepair(text, text, hint, False, True)
    return LegacyRepair(text, out, hint, True, False)
