"""Reports that come by e-mail: saved messages (``.eml``, Outlook ``.msg``) and mailboxes (mbox
files, such as a folder exported from Thunderbird, or Maildir folders of one message per file).

Messages are recognised by their content, whatever their name. Their attachments are taken
like any received file (zips and messages inside them too), read in memory and never written
anywhere; each carries the date of the message it came with (its ``Date`` header, in Vietnam
time) and the sender's address, which identifies the unit when the file itself does not.
Attachments that are not workbooks (a PDF scan, a signature's image) are listed, not read; a
message without any workbook is a finding, so none goes unnoticed. Names encoded as RFC 2047
or RFC 2231 are decoded; a name that cannot be is replaced by a plain one.

The standard library's :mod:`email` reads ``.eml`` and mbox messages; ``.msg`` files (compound
files) are read with olefile (loaded only when one arrives), property by property.

>>> raw = (b"From: Van phong <vp@so.example.vn>\\r\\nDate: Tue, 04 Apr 2023 09:20:00 +0000\\r\\n"
...        b"Subject: =?utf-8?b?QsOhbyBjw6FvIHF1w70gSQ==?=\\r\\n\\r\\nKinh gui\\r\\n")
>>> mail = read_eml(raw)
>>> mail.subject, mail.sender, mail.arrived
('Báo cáo quý I', 'vp@so.example.vn', '2023-04-04T16:20:00')
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import re
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import PurePosixPath
from typing import Any

from .. import findings as F
from ..model import Location, Master
from .collect import Item, received_name
from .limits import Limits
from .sniff import OLE_MAGIC, ZIP_MAGICS, sniff

__all__ = ["MAIL_FORMATS", "VIETNAM", "Mail", "MailError", "Part", "expand_mail", "mail_kind", "read_eml",
           "read_msg", "split_mbox", "unit_of_sender"]

MAIL_FORMATS = ("eml", "msg", "mbox")
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
_TAKEN = ("xlsx", "xlsm", "ods", "xls", "zip", "encrypted", "corrupt")
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".zip")
_HEADER = re.compile(rb"^[!-9;-~]{1,76}:")
_KNOWN = (b"from", b"date", b"subject", b"to", b"message-id", b"mime-version", b"received", b"return-path",
          b"delivered-to", b"content-type", b"reply-to", b"x-mailer", b"cc")
_MSG_MARK = "__substg1.0_".encode("utf-16-le")


class MailError(Exception):
    """The message cannot be read."""


@dataclass
class Part:
    """An attachment: its (clean) name and bytes, or a message attached to the message."""

    name: str
    data: bytes = b""
    nested: Mail | None = None


@dataclass
class Mail:
    subject: str
    sender: str               # the address, lower case ("" when unknown)
    date: dt.datetime | None  # when it was sent, in Vietnam time (naive)
    date_raw: str = ""
    parts: list[Part] = field(default_factory=list)

    @property
    def arrived(self) -> str:
        return self.date.isoformat(timespec="seconds") if self.date else ""

    @property
    def label(self) -> str:
        return _short(self.subject) or "(không có tiêu đề)"


def mail_kind(data: bytes, name: str = "") -> str | None:
    """``eml``, ``msg`` or ``mbox`` when ``data`` is an e-mail message or a mailbox, else None."""
    if data.startswith(OLE_MAGIC):
        return "msg" if _MSG_MARK in data[: 1 << 20] else None
    if data.startswith(b"PK") or (not _HEADER.match(data[:80]) and not data.startswith(b"From ")):
        return None  # a zip package (every workbook), or text that does not start as a message does
    head = data[:16384]
    if head.startswith(b"From ") and b"\n" in head:
        first = head.split(b"\n", 1)[1]
        return "mbox" if _headers_like(first) or name.lower().endswith((".mbox", ".mbx")) else None
    if _headers_like(head):
        return "eml"
    return None


def _headers_like(head: bytes) -> bool:
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    lines = block.splitlines()
    if not lines or not _HEADER.match(lines[0]):
        return False
    names = {line.split(b":", 1)[0].strip().lower() for line in lines if _HEADER.match(line)}
    return len(names.intersection(_KNOWN)) >= 2 and bool(names & {b"from", b"date", b"subject", b"received"})


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox file (``From `` lines start each; ``>From `` quoting undone)."""
    chunks = re.split(rb"(?:^|\r?\n)From [^\n]*\n", data)
    out = []
    for chunk in chunks:
        if chunk.strip():
            out.append(re.sub(rb"(\r?\n)>(>*From )", rb"\1\2", chunk))
    return out


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _vietnam_time(value: dt.datetime) -> dt.datetime:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(VIETNAM).replace(tzinfo=None)


def _date(raw: str) -> dt.datetime | None:
    try:
        return _vietnam_time(parsedate_to_datetime(raw)) if raw else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _address(text: str) -> str:
    address = parseaddr(text)[1].strip().lower()
    return address if "@" in address else ""


def clean_name(raw: str | None, number: int) -> str:
    """An attachment's name fit to show and record: decoded, one path part, printable."""
    name = raw or ""
    if "=?" in name:
        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            name = str(make_header(decode_header(name)))
    name = received_name(name)  # lone surrogates of undecodable bytes
    name = unicodedata.normalize("NFC", "".join(ch if ch.isprintable() else " " for ch in name))
    name = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    name = " ".join(name.split())[:120]
    return name or f"tep-dinh-kem-{number}"


def read_eml(data: bytes) -> Mail:
    """A message in Internet format (``.eml``, a message of a mailbox)."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return _from_email(message)
    except MailError:
        raise
    except Exception as exc:  # the parser's own failures on hostile input
        raise MailError(f"{type(exc).__name__}: {exc}"[:200]) from None


def _header(message: EmailMessage, key: str) -> str:
    try:
        value = message.get(key)
    except (ValueError, LookupError, UnicodeError, IndexError):
        return ""
    return str(value) if value is not None else ""


def _from_email(message: EmailMessage) -> Mail:
    raw_date = _header(message, "Date")
    mail = Mail(_header(message, "Subject"), _address(_header(message, "From")), _date(raw_date), raw_date)
    for number, part in enumerate(message.iter_attachments(), start=1):
        if part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            if isinstance(inner, EmailMessage):
                nested = _from_email(inner)
                name = part.get_filename() or f"{_short(nested.subject, 60) or 'thu'}.eml"
                mail.parts.append(Part(clean_name(name, number), nested=nested))
            continue
        try:
            payload = part.get_payload(decode=True)
        except (ValueError, LookupError):
            payload = None
        data = payload if isinstance(payload, bytes) else b""
        mail.parts.append(Part(clean_name(part.get_filename(), number), data))
    return mail


def read_msg(data: bytes) -> Mail:
    """An Outlook message (``.msg``): a compound file (read with olefile) whose streams hold the
    message's properties, each attachment in a storage of its own (MS-OXMSG)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            return _from_msg(ole, "", depth=0)
    except (OSError, ValueError, IndexError, struct.error) as exc:  # a damaged or hostile compound file
        raise MailError(f"{type(exc).__name__}: {exc}"[:200]) from None


_MSG_DEPTH = 5            # messages attached to messages: deeper is refused
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)


def _msg_text(ole: Any, folder: str, tag: str) -> str:
    """A string property: ``…001F`` (UTF-16) or the older ``…001E`` (8-bit)."""
    for kind, codec in (("001F", "utf-16-le"), ("001E", "cp1252")):
        path = f"{folder}__substg1.0_{tag}{kind}"
        if ole.exists(path):
            return str(ole.openstream(path).read().decode(codec, "replace").rstrip("\x00"))
    return ""


def _msg_time(ole: Any, folder: str, header: int) -> dt.datetime | None:
    """When the message was sent (PR_CLIENT_SUBMIT_TIME, else delivery time), from the fixed
    properties: 16-byte entries after a header of ``header`` bytes, a time as a FILETIME."""
    path = f"{folder}__properties_version1.0"
    if not ole.exists(path):
        return None
    raw = ole.openstream(path).read()
    found: dict[int, int] = {}
    for offset in range(header, len(raw) - 15, 16):
        tag, _, value = struct.unpack_from("<IIQ", raw, offset)
        if tag & 0xFFFF == 0x0040:  # PT_SYSTIME
            found[tag >> 16] = value
    ticks = found.get(0x0039) or found.get(0x0E06)
    if not ticks:
        return None
    return _vietnam_time(_FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10))


def _from_msg(ole: Any, folder: str, depth: int) -> Mail:
    if depth > _MSG_DEPTH:
        raise MailError(f"thư đính kèm lồng quá {_MSG_DEPTH} cấp")
    headers = email.message_from_string(_msg_text(ole, folder, "007D"), policy=email.policy.default)
    sender = next((a for a in (_address(_msg_text(ole, folder, tag)) for tag in ("5D01", "0C1F", "0065"))
                   if a), _address(str(headers.get("From", ""))))
    when = _msg_time(ole, folder, 32 if depth == 0 else 24) or _date(str(headers.get("Date", "")))
    mail = Mail(_msg_text(ole, folder, "0037"), sender, when, when.isoformat() if when else "")
    inside = [part for part in folder.split("/") if part]
    depth_of = len(inside)
    storages = sorted({entry[depth_of] for entry in ole.listdir(streams=True, storages=True)
                       if entry[:depth_of] == inside and len(entry) > depth_of
                       and entry[depth_of].startswith("__attach_version1.0_#")})
    for number, storage in enumerate(storages, start=1):
        where = f"{folder}{storage}/"
        name = clean_name(_msg_text(ole, where, "3707") or _msg_text(ole, where, "3704"), number)
        if ole.exists(f"{where}__substg1.0_37010102"):
            mail.parts.append(Part(name, ole.openstream(f"{where}__substg1.0_37010102").read()))
        elif ole.exists(f"{where}__substg1.0_3701000D"):  # a message attached to the message
            mail.parts.append(Part(name, nested=_from_msg(ole, f"{where}__substg1.0_3701000D/", depth + 1)))
    return mail


def unit_of_sender(sender: str, master: Master) -> str | None:
    """The unit whose address (*Email* of the units sheet) sent the message, when exactly one has it."""
    if not sender:
        return None
    found = [u.code for u in master.units if sender in {a.lower() for a in re.split(r"[;,\s]+", u.email) if a}]
    return found[0] if len(found) == 1 else None


Expand = Callable[[Item, Limits, int, list[int]], Iterator[Item]]


def expand_mail(item: Item, kind: str, limits: Limits, depth: int, budget: list[int], expand: Expand) -> Iterator[Item]:
    """The workbooks a message or a mailbox carries (each through ``expand``: zips and messages
    inside are opened in turn), then the message or mailbox itself, with its findings."""
    item.is_archive, item.format = True, kind
    if kind == "mbox":
        yield from _mailbox(item, limits, depth, budget, expand)
        yield item
        return
    try:
        mail = read_msg(item.data) if kind == "msg" else read_eml(item.data)
    except MailError as exc:
        item.findings.append(F.MAIL_UNREADABLE(Location(item.name), reason=str(exc)))
        yield item
        return
    item.sender = mail.sender
    if mail.date is not None:
        item.arrived = (mail.arrived, "email")
    else:
        item.findings.append(F.MAIL_DATE_MISSING(Location(item.name), subject=mail.label, value=mail.date_raw))
    state = _Walk(item, limits, budget, expand)
    yield from state.parts(mail, item.name, depth)
    if not state.taken:
        others = f"; chỉ có {', '.join(state.skipped[:5])}" if state.skipped else ""
        when = mail.date.strftime("%d/%m/%Y %H:%M") if mail.date else "không rõ ngày gửi"
        item.findings.append(F.MAIL_NO_WORKBOOK(Location(item.name), subject=mail.label,
                                                sender=mail.sender or "người gửi không rõ", date=when, others=others))
    yield item


def sent_time(head: bytes) -> float | None:
    """The POSIX time of a message's ``Date`` header (in its first bytes ``head``), if valid."""
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    found = re.search(rb"(?im)^date:[ \t]*(.+)$", block)
    when = _date(found.group(1).decode("ascii", "replace").strip()) if found else None
    return when.replace(tzinfo=VIETNAM).timestamp() if when else None


def _mailbox(item: Item, limits: Limits, depth: int, budget: list[int], expand: Expand) -> Iterator[Item]:
    messages = split_mbox(item.data)
    if len(messages) > limits.max_members:
        item.findings.append(F.MAIL_TOO_MANY(Location(item.name), limit=limits.max_members))
        messages = messages[: limits.max_members]
    dated = [(sent_time(raw[:16384]), number, raw) for number, raw in enumerate(messages, start=1)]
    dated.sort(key=lambda d: (d[0] is None, d[0] or 0, d[1]))  # in the order sent: a later answer supersedes
    for when, number, raw in dated:
        child = Item(f"{item.name}/thu-{number:03d}.eml", item.source, raw, when or item.mtime, item.name)
        yield from expand(child, limits, depth, budget)  # a mailbox is a list of messages, not a level


class _Walk:
    """Attachments taken (and skipped) from one message and the messages inside it."""

    def __init__(self, item: Item, limits: Limits, budget: list[int], expand: Expand) -> None:
        self.item, self.limits, self.budget, self.expand = item, limits, budget, expand
        self.taken = 0
        self.skipped: list[str] = []

    def refuse(self, name: str, mail: Mail, reason: str) -> None:
        self.item.findings.append(F.MAIL_ATTACHMENT_REFUSED(Location(self.item.name), name=name,
                                                            subject=mail.label, reason=reason))

    def parts(self, mail: Mail, prefix: str, depth: int) -> Iterator[Item]:
        parts = mail.parts
        if len(parts) > self.limits.max_members:
            self.item.findings.append(F.MAIL_TOO_MANY(Location(self.item.name), limit=self.limits.max_members))
            parts = parts[: self.limits.max_members]
        for part in parts:
            if part.nested is not None:
                if depth + 1 >= self.limits.max_depth:
                    self.refuse(part.name, mail, f"thư lồng trong thư quá {self.limits.max_depth} cấp")
                    continue
                yield from self.parts(part.nested, f"{prefix}/{part.name}", depth + 1)
                continue
            yield from self.attachment(part, mail, prefix, depth)

    def attachment(self, part: Part, mail: Mail, prefix: str, depth: int) -> Iterator[Item]:
        data = part.data
        if len(data) > self.limits.max_file_bytes:
            self.refuse(part.name, mail, f"tệp quá lớn ({len(data):,} byte)")
            return
        kind = sniff(data)
        nested_mail = mail_kind(data, part.name)
        wanted = kind in _TAKEN or nested_mail is not None or part.name.lower().endswith(_WORKBOOK_SUFFIXES)
        if not wanted:
            what = "tệp rỗng" if kind == "empty" else kind
            self.skipped.append(part.name)
            self.item.findings.append(F.MAIL_ATTACHMENT_SKIPPED(Location(self.item.name), name=part.name,
                                                                subject=mail.label, what=what))
            return
        if (data.startswith(ZIP_MAGICS) or nested_mail) and depth + 1 >= self.limits.max_depth:
            self.refuse(part.name, mail, f"tệp nén hoặc thư lồng quá {self.limits.max_depth} cấp")
            return
        if len(data) > self.budget[0]:
            self.refuse(part.name, mail, "vượt tổng dung lượng giải nén cho phép")
            return
        self.budget[0] -= len(data)
        self.taken += 1
        mtime = mail.date.replace(tzinfo=VIETNAM).timestamp() if mail.date else self.item.mtime
        child = Item(f"{prefix}/{part.name}", self.item.source, data, mtime, self.item.name)
        child.sender = mail.sender or self.item.sender
        child.arrived = (mail.arrived, "email") if mail.date else self.item.arrived
        yield from self.expand(child, self.limits, depth + 1, self.budget)

