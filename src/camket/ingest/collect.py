"""Gather what was received: files, folders (recursively), zip archives and e-mail (saved
messages and mailboxes, :mod:`.mail`), in any mix.

Archives are read in memory, never extracted, so no member can be written outside the
workspace whatever its name (``../``, absolute, links). Members over the limits are
skipped with a finding; an archive inside an archive is opened up to ``max_depth``.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import findings as F
from ..model import Finding, Location
from .limits import Limits
from .sniff import is_plain_zip

__all__ = ["Item", "collect", "plan"]


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
    if path.is_dir():
        base = path.parent
        found = [
            p for p in path.rglob("*")
            if p.is_file() and not p.is_symlink() and not p.name.startswith((".~lock", "~$"))
            and not (exclude and _inside(p.resolve(), exclude))
        ]
        return [(p, p.relative_to(base).as_posix()) for p in found]
    if exclude and _inside(path.resolve(), exclude):
        return []
    return [(path, path.name)]


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
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            item = Item(name, str(path), b"", mtime, big=path)
            item.findings.append(F.FILE_TOO_LARGE(
                Location(name), reason=f"{size:,} byte, quá {limits.max_file_bytes:,} byte"))
            yield item
            return
        data = path.read_bytes()
    except OSError as exc:
        item = Item(name, str(path), b"", mtime)
        item.findings.append(F.FILE_CORRUPT(Location(name), reason=f"không đọc được: {exc.strerror}"))
        yield item
        return
    yield from _expand(Item(name, str(path), data, mtime), limits, depth=0, budget=[limits.max_unpacked_bytes])


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
        archive = zipfile.ZipFile(io.BytesIO(item.data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        item.findings.append(F.ARCHIVE_CORRUPT(where, reason=str(exc)))
        yield item
        return
    if len(infos) > limits.max_members:
        item.findings.append(F.ARCHIVE_TOO_MANY(where, limit=limits.max_members))
        infos = infos[: limits.max_members]
    for info in sorted(infos, key=lambda i: (i.date_time, i.filename)):
        if info.is_dir():
            continue
        member = info.filename
        skip = _skip_reason(info, limits, budget[0])
        if skip:
            item.findings.append(F.ARCHIVE_MEMBER_SKIPPED(where, member=member, reason=skip))
            continue
        posix = PurePosixPath(member.replace("\\", "/"))
        if posix.is_absolute() or ".." in posix.parts or (len(member) > 1 and member[1] == ":"):
            item.findings.append(F.ARCHIVE_UNSAFE_NAME(where, member=member))
        clean = "/".join(p for p in posix.parts if p not in ("..", "/", "")) or "tep"
        if PurePosixPath(clean).name.startswith(("~$", ".~lock")) or clean.startswith("__MACOSX/"):
            continue
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.max_file_bytes + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            item.findings.append(F.ARCHIVE_MEMBER_SKIPPED(where, member=member, reason=f"hỏng ({exc})"))
            continue
        if len(data) > limits.max_file_bytes:
            item.findings.append(F.ARCHIVE_MEMBER_SKIPPED(where, member=member, reason="tệp quá lớn"))
            continue
        budget[0] -= len(data)
        child = Item(f"{item.name}/{clean}", item.source, data, _zip_time(info, item.mtime), item.name,
                     arrived=item.arrived, sender=item.sender)
        if is_plain_zip(data) and depth + 1 >= limits.max_depth:
            item.findings.append(F.ARCHIVE_MEMBER_SKIPPED(
                where, member=member, reason=f"tệp nén lồng quá {limits.max_depth} cấp"))
            continue
        yield from _expand(child, limits, depth + 1, budget)
    yield item


def _skip_reason(info: zipfile.ZipInfo, limits: Limits, budget: int) -> str:
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return "là liên kết (symlink), không phải tệp"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return "kiểu nén không được hỗ trợ"
    if info.flag_bits & 0x1:
        return "được đặt mật khẩu"
    if info.file_size > limits.max_file_bytes:
        return f"tệp quá lớn ({info.file_size:,} byte)"
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


