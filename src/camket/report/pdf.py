"""PDF through LibreOffice (``soffice --headless --convert-to pdf``), when installed.

LibreOffice is looked for on ``PATH`` and, on Windows, in its usual install folders.
Each conversion runs in its own temporary LibreOffice profile and its own process group
(a new session on POSIX, ``CREATE_NEW_PROCESS_GROUP`` on Windows), with a timeout after
which the whole tree is ended (``soffice`` is a wrapper around ``soffice.bin``); the
output's existence is checked (soffice exits 0 even when it fails).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path, PureWindowsPath

from ..errors import CamketError, ToolMissingError

__all__ = ["WINDOWS_FOLDERS", "soffice", "to_pdf"]

WINDOWS_FOLDERS = (
    PureWindowsPath(r"C:\Program Files\LibreOffice\program\soffice.exe"),
    PureWindowsPath(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
)


def soffice(*, windows: bool | None = None, folders: Sequence[str | PureWindowsPath] = WINDOWS_FOLDERS) -> str | None:
    """The LibreOffice program: on ``PATH``, else (on Windows) in one of ``folders``."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if windows if windows is not None else os.name == "nt":
        for folder in folders:
            if Path(folder).is_file():
                return str(folder)
    return None


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    """``command`` in a process group of its own, so a timeout can end all of it."""
    if sys.platform == "win32":
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _end(process: subprocess.Popen[bytes]) -> None:
    """End ``process`` and everything it started, on any system."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
        process.kill()
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def to_pdf(document: Path, timeout: float = 180, program: str | None = None) -> Path:
    """Convert ``document`` to a PDF beside it and return the PDF's path (``program``:
    the LibreOffice to use, found by :func:`soffice` when not given)."""
    program = program or soffice()
    if program is None:
        raise ToolMissingError(
            "Không tìm thấy LibreOffice (soffice) để chuyển sang PDF. Cài LibreOffice (Debian/Ubuntu: "
            "apt-get install libreoffice-writer; Windows: libreoffice.org) hoặc bỏ --pdf.")
    target = document.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="camket-lo-") as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(out), str(document)]
        process = _start(command)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(process)
            raise CamketError(f"LibreOffice không chuyển xong {document.name} sang PDF sau {timeout:g} giây.") from None
        produced = out / f"{document.stem}.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise CamketError(f"LibreOffice không tạo được PDF từ {document.name}. {' '.join(detail)}".strip())
        shutil.move(str(produced), target)
    return target
