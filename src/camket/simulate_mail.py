"""Returns sent by e-mail (``camket simulate … --email``): each simulated workbook becomes a
message from its unit's address, dated when the office sent it, as a clerk saves them (.eml)."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import os
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path

from .model import Unit

__all__ = ["as_emails"]

_XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def as_emails(files: Sequence[Path], units: Mapping[str, Unit], subject: str, to: str) -> list[Path]:
    """Replace each file by ``<name>.eml``: one message per file from the unit whose code the file's
    name carries (``<round>_<UNIT>_…``), dated by the file's time (Vietnam time)."""
    written = []
    for path in files:
        unit = next((units[part] for part in path.stem.split("_") if part in units), None)
        sent = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone(dt.timedelta(hours=7)))
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = f"{unit.name} <{unit.email}>" if unit is not None and unit.email else "khong-ro@example.vn"
        message["To"] = to or "tonghop@example.vn"
        message["Subject"] = f"{subject} - {unit.name}" if unit is not None else subject
        message["Date"] = email.utils.format_datetime(sent)
        message.set_content("Kính gửi đơn vị tổng hợp,\nĐơn vị gửi báo cáo kèm theo thư này.\nTrân trọng.")
        message.add_attachment(path.read_bytes(), maintype=_XLSX[0], subtype=_XLSX[1], filename=path.name)
        target = path.with_suffix(".eml")
        target.write_bytes(bytes(message))
        os.utime(target, (sent.timestamp(), sent.timestamp()))
        path.unlink()
        written.append(target)
    return written
