"""Gather what was received: files, folders (recursively), zip archives and e-mail (saved
messages and mailboxes, :mod:`.mail`), in any mix.

Archives are read in memory, never extracted, so no member can be written outside the
workspace whatever its name (``../``, absolute, links). A member that cannot be read
(password, damaged data, a compression zipfile does not know, over the limits) is an
error finding on the archive that names it; an archive inside an archive is opened up to
``max_depth``. Member names are decoded as their sender's system wrote them.
"""

from __future__ import annotations

import datetime as dt
import lzma
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import findings as F
from ..model import Finding, Location
from ..safetext import without_surrogates
from ..values import clean_text
from ..vi import nfc
from .limits import Limits
from .package import open_archive
from .sniff import is_plain_zip

__all__ = ["Item", "collect", "member_name", "plan", "received_name"]


@dataclass
class Item:
    """One received file: its bytes, where it came from, and findings about getting it."""

    name: str            # display name: relative path, "archive.zip/member" inside archives
    source: str          # the file on disk it came from
    data: bytes
    mtime: float
    container: str = ""  # display name of the archive holding it
    findings: list[Finding] = field(default_factory=list)
    is_archive: bool = False
    big: Path | None = None  # content left on disk: too large to load
    arrived: tuple[str, str] | None = None  # (when, source) when the file says how it came (e-mail)
    sender: str = ""     # the address of the e-mail it came with
    format: str = ""     # of a container: "eml", "msg" or "mbox" for e-mail (a zip otherwise)


def _walk(path: Path, exclude: tuple[Path, ...]) -> list[tuple[Path, str]]:
    """The files of a given path. ``exclude`` applies to what is found below it: a file or
    folder named on purpose (a filled appraisal workbook in ``out/``) is always read."""
    if not path.is_dir():
        return [(path, _shown_name(path.name))]
    below = excluded_below(path, exclude)
    base = path.parent
    found = [
        p for p in path.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.name.startswith((".~lock", "~$"))
        and not (below and _inside(p.resolve(), below))
    ]
    return [(p, _shown_name(p.relative_to(base).as_posix())) for p in found]


def excluded_below(path: Path, exclude: tuple[Path, ...]) -> tuple[Path, ...]:
    """The paths of ``exclude`` strictly below the folder ``path`` (not those holding it)."""
    top = path.resolve()
    return tuple(x for x in exclude if x != top and x.is_relative_to(top))


def _shown_name(name: str) -> str:
    """A file name as it is shown and recorded: bytes that were not UTF-8 decoded
    (:func:`received_name`), control characters (which some systems allow in names) removed,
    line breaks made spaces."""
    return clean_text(received_name(name)).replace("\n", " ")


def received_name(name: str) -> str:
    """A name as the system gave it, readable and storable. On Linux a file name is bytes, and
    Python shows the bytes that are not UTF-8 as lone surrogates, which nothing can write: they
    are read as a Vietnamese Windows wrote them (CP1258) when that gives Vietnamese letters,
    and shown as U+FFFD otherwise.

    >>> received_name("B\\udce1o c\\udce1o.xlsx"), received_name("VTV-\\udcff.xlsx")
    ('Báo cáo.xlsx', 'VTV-\ufffd.xlsx')
    """
    if name.isprintable():
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that stand for no byte (a broken UTF-16 name on Windows)
        return without_surrogates(name)
    return _decoded(raw) or raw.decode("utf-8", "replace")


def _inside(path: Path, exclude: tuple[Path, ...]) -> bool:
    return any(path == x or path.is_relative_to(x) for x in exclude)


def plan(paths: list[Path], exclude: tuple[Path, ...] = ()) -> list[tuple[float, str, Path]]:
    """The files to read, oldest first (modification time, then name), leaving out those in or
    under ``exclude`` (resolved paths)."""
    entries: list[tuple[float, str, Path]] = []
    seen: set[Path] = set()
    for given in paths:
        for path, name in _walk(Path(given), exclude):
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            try:
                entries.append((_sent(path) or path.stat().st_mtime, name, path))
            except OSError:
                continue
    entries.sort(key=lambda e: (e[0], e[1]))
    return entries


def _sent(path: Path) -> float | None:
    """When a saved message (``.eml``, or a Maildir file without a suffix) was sent, so messages
    are read in the order they were sent, however they were saved."""
    if path.suffix.lower() not in ("", ".eml"):
        return None
    from .mail import mail_kind, sent_time

    with path.open("rb") as handle:
        head = handle.read(16384)
    return sent_time(head) if mail_kind(head, path.name) == "eml" else None


def collect(entry: tuple[float, str, Path], limits: Limits) -> Iterator[Item]:
    """The received file of one planned entry, archives unpacked (oldest member first).

    An archive is yielded itself (``is_archive``) after its members, so it is archived
    and recorded too; findings about skipped members are on the archive. A file over
    the size limit is not loaded: it is yielded with ``big`` set, to be archived whole.
    """
    mtime, name, path = entry
    source = received_name(str(path))
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            item = Item(name, source, b"", mtime, big=path)
            item.findings.append(F.FILE_TOO_LARGE(
                Location(name), reason=f"{size:,} byte, quá {limits.max_file_bytes:,} byte"))
            yield item
            return
        data = path.read_bytes()
    except OSError as exc:
        item = Item(name, source, b"", mtime)
        item.findings.append(F.FILE_CORRUPT(Location(name), reason=f"không đọc được: {exc.strerror}"))
        yield item
        return
    yield from _expand(Item(name, source, data, mtime), limits, depth=0, budget=[limits.max_unpacked_bytes])


def _expand(item: Item, limits: Limits, depth: int, budget: list[int]) -> Iterator[Item]:
    if not is_plain_zip(item.data):
        from .mail import expand_mail, mail_kind

        kind = mail_kind(item.data, item.name)
        if kind is not None:
            yield from expand_mail(item, kind, limits, depth, budget, _expand)
            return
        yield item
        return
    item.is_archive = True
    where = Location(item.name)
    try:
        archive = open_archive(item.data)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        item.findings.append(F.ARCHIVE_CORRUPT(where, reason=str(exc)))
        yield item
        return
    if len(infos) > limits.max_members:
        item.findings.append(F.ARCHIVE_TOO_MANY(where, limit=limits.max_members))
        infos = infos[: limits.max_members]
    for info in sorted(infos, key=lambda i: (i.date_time, i.filename)):
        member = member_name(info)
        if info.is_dir() or _ignored(member):
            continue
        child = _member(archive, info, member, item, limits, depth, budget)
        if child is not None:
            yield from _expand(child, limits, depth + 1, budget)
    yield item


def _ignored(member: str) -> bool:
    """Lock files of office programs and the resource forks macOS adds to archives."""
    return PurePosixPath(member).name.startswith(("~$", ".~lock")) or member.startswith("__MACOSX/")


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: str, item: Item, limits: Limits,
            depth: int, budget: list[int]) -> Item | None:
    """One member of an archive as a received file; None (with a finding on the archive) when it
    cannot be read: an error, since a report it may hold would otherwise go unseen."""
    where = Location(item.name)
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        item.findings.append(F.ARCHIVE_MEMBER_SKIPPED(where, member=member,
                                                      reason="là liên kết (symlink), không phải tệp"))
        return None
    reason = _unreadable(info, limits, budget[0])
    data = b""
    if not reason:
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.max_file_bytes + 1)
            if len(data) > limits.max_file_bytes:
                reason = "tệp quá lớn"
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError,
                zlib.error, lzma.LZMAError) as exc:
            reason = "dữ liệu hỏng (sai mã kiểm tra CRC)" if "CRC" in str(exc) else f"dữ liệu hỏng ({exc})"
    if not reason and is_plain_zip(data) and depth + 1 >= limits.max_depth:
        reason = f"tệp nén lồng quá {limits.max_depth} cấp"
    if reason:
        item.findings.append(F.ARCHIVE_MEMBER_UNREADABLE(where, member=member, reason=reason))
        return None
    posix = PurePosixPath(member.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or (len(member) > 1 and member[1] == ":"):
        item.findings.append(F.ARCHIVE_UNSAFE_NAME(where, member=member))
    clean = "/".join(p for p in posix.parts if p not in ("..", "/", "")) or "tep"
    budget[0] -= len(data)
    return Item(f"{item.name}/{clean}", item.source, data, _zip_time(info, item.mtime), item.name,
                arrived=item.arrived, sender=item.sender)


# Compression methods zipfile reads: stored, deflate, bzip2, LZMA (7-Zip offers the last two).
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
_METHODS = {9: "Deflate64", 98: "PPMd", 99: "AES", 95: "XZ", 93: "Zstandard", 97: "WavPack"}


def _unreadable(info: zipfile.ZipInfo, limits: Limits, budget: int) -> str:
    """Why a member cannot be read, or "" (checked before inflating it)."""
    if info.flag_bits & 0x1 or info.compress_type == 99:
        return "được đặt mật khẩu"
    if info.compress_type not in _READABLE:
        method = _METHODS.get(info.compress_type, f"số {info.compress_type}")
        return f"nén theo kiểu {method}, camket không giải nén được"
    if info.file_size > limits.max_file_bytes:
        return f"tệp quá lớn ({info.file_size:,} byte)".replace(",", ".")
    if info.file_size > 1 << 20 and info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
        return "tỉ lệ nén bất thường (nghi tệp nén bom)"
    if info.file_size > budget:
        return "vượt tổng dung lượng giải nén cho phép"
    return ""


def _zip_time(info: zipfile.ZipInfo, fallback: float) -> float:
    try:
        return dt.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return fallback


_VIETNAMESE = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ")


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its sender wrote it, cleaned of control characters.

    A name flagged as UTF-8 is read as UTF-8. Otherwise zipfile has read it as CP437, the
    original DOS code page; but Windows Explorer and 7-Zip write the code page of the
    system, CP1258 on Vietnamese Windows, and other tools UTF-8 without the flag. So, in
    order: the Unicode path field 7-Zip and WinRAR add (0x7075), UTF-8, CP1258 when that
    gives Vietnamese letters, and CP437 as zipfile read it.

    >>> member_name(zipfile.ZipInfo("b\u00e1o c\u00e1o.xlsx"))
    'báo cáo.xlsx'
    """
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = info.orig_filename.encode("cp437")
        except UnicodeEncodeError:
            raw = b""
        name = _unicode_path(info.extra, raw) or (None if name.isascii() else _decoded(raw)) or name
    return _shown_name(name)


def _unicode_path(extra: bytes, raw: bytes) -> str | None:
    """The UTF-8 name of an Info-ZIP Unicode Path extra field, when it belongs to this name."""
    pos = 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == 0x7075 and len(body) > 5 and body[0] == 1 \
                and struct.unpack_from("<I", body, 1)[0] == zlib.crc32(raw):
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _decoded(raw: bytes) -> str | None:
    """``raw`` as UTF-8, or as CP1258 when that reads as Vietnamese; None otherwise."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = nfc(raw.decode("cp1258", "replace"))
    return text if all(ch.isascii() or ch in _VIETNAMESE for ch in text) else None
