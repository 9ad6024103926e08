"""Where the command line writes camket's log: a small rotating file in the workspace.

The library only logs (``logging.getLogger("camket")``) and never configures handlers;
the command line calls :func:`log_to` once a workspace is open, so each command appends
to ``.camket/log/camket.log`` (three files of 1 MB at most), and :func:`log_bug` records
camket's own errors there with their traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

__all__ = ["LOG_NAME", "log_bug", "log_command", "log_to", "verbose"]

LOG_NAME = "camket.log"
_log = logging.getLogger("camket")
_state: dict[str, logging.Handler | Path] = {}


def log_to(folder: Path) -> Path | None:
    """Append camket's log to ``folder/camket.log`` (the workspace's; a process that opens another
    workspace moves its log there); None if it cannot be written."""
    target = folder / LOG_NAME
    if _state.get("file") == target:
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(target, maxBytes=1 << 20, backupCount=3, encoding="utf-8",
                                                       errors="backslashreplace", delay=True)  # names of no code page
    except OSError:
        return None
    old = _state.get("handler")
    if isinstance(old, logging.Handler):
        _log.removeHandler(old)
        old.close()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    _log.addHandler(handler)
    if _log.level == logging.NOTSET or _log.level > logging.INFO:
        _log.setLevel(logging.INFO)
    _state.update(file=target, handler=handler)
    return target


def log_command(args: list[str]) -> None:
    """One line per command run in the workspace: what was asked."""
    _log.info("camket %s", " ".join(args))


def verbose() -> None:
    """Show camket's debug lines on stderr (``camket -v``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    _log.addHandler(handler)
    _log.setLevel(logging.DEBUG)


def log_bug(exc: BaseException) -> str:
    """Record camket's own error with its traceback; where it was written, for the message."""
    _log.error("Lỗi chương trình: %s", exc, exc_info=exc)
    where = _state.get("file")
    return str(where) if isinstance(where, Path) else "nhật ký (chạy lệnh trong thư mục làm việc để ghi ra tệp)"
