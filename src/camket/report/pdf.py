"""PDF through LibreOffice (``soffice --headless --convert-to pdf``), when installed.

Each conversion runs in its own temporary LibreOffice profile and process group, with
a timeout; the output's existence is checked (soffice exits 0 even when it fails).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CamketError, ToolMissingError

__all__ = ["soffice", "to_pdf"]


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(document: Path, timeout: float = 180) -> Path:
    """Convert ``document`` to a PDF beside it and return the PDF's path."""
    program = soffice()
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
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise CamketError(f"LibreOffice không chuyển xong {document.name} sang PDF sau {timeout:g} giây.") from None
        produced = out / f"{document.stem}.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise CamketError(f"LibreOffice không tạo được PDF từ {document.name}. {' '.join(detail)}".strip())
        shutil.move(str(produced), target)
    return target
