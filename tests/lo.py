"""Drive a real LibreOffice from tests: file conversions and typing like a user.

Tests that need LibreOffice are marked ``@pytest.mark.libreoffice`` and take a fixture that
calls :func:`require_soffice`, which skips them with a notice where ``soffice`` is absent
(and fails them when the ``CI`` environment variable is set, so CI never skips silently)::

    pytestmark = pytest.mark.libreoffice

    @pytest.fixture(scope="module")
    def soffice() -> str:
        return lo.require_soffice()

Two ways of using LibreOffice:

- :func:`convert` / :func:`roundtrip`: ``soffice --headless --convert-to`` on a copy of a
  file, as a user's *Save As* would (xlsx, ods, xls, pdf);
- :func:`typing_session`: a visible Calc under Xvfb, driven over UNO, where
  :meth:`TypingSession.type_into` sends keystrokes through the ``UITest`` service, so Calc
  enforces validation and sheet protection exactly as for a person (UNO cell writes would
  bypass both). A watcher thread clicks "OK" on the message boxes this raises and records
  them in :attr:`TypingSession.boxes`.

Every soffice runs in its own process group with its own profile (LibreOffice silently
drops work when two processes share one) and is killed as a group on timeout, because
``soffice`` is a wrapper around ``soffice.bin`` (and, for typing, ``xvfb-run`` around both).

The UNO client is the ``uno`` module of Debian's ``python3-uno``, imported in-process from
the system dist-packages; this works because its ``pyuno.so`` is built for CPython 3.11,
the version the project's tests run on. Importing ``uno`` installs an import hook for
``com.sun.star.*`` names in the test process (harmless for other imports).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, ParamSpec, TypeVar

import pytest

__all__ = [
    "CALC_XLSX",
    "ROUNDTRIP_TARGETS",
    "LibreOfficeError",
    "MessageBox",
    "TypingSession",
    "convert",
    "require_soffice",
    "roundtrip",
    "soffice_path",
    "typing_session",
]

CALC_XLSX = "Calc MS Excel 2007 XML"
"""The export filter behind a user's *Save As* Excel 2007-365 (.xlsx)."""

ROUNDTRIP_TARGETS: dict[str, str] = {
    "xlsx": f"xlsx:{CALC_XLSX}",
    "ods": "ods",
    "xls": "xls:MS Excel 97",
}
"""``--convert-to`` targets of :func:`roundtrip`, by output extension."""

UNO_DIRS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
"""Where ``uno.py`` may live (Debian's python3-uno first)."""

_P = ParamSpec("_P")
_R = TypeVar("_R")

# com.sun.star.accessibility.AccessibleRole values (stable IDL constants)
_ROLE_ALERT, _ROLE_DIALOG, _ROLE_PUSH_BUTTON = 1, 12, 44
# com.sun.star.util.NumberFormat bits
_FORMAT_DATE, _FORMAT_TIME = 2, 4


# --------------------------------------------------------------------------- availability


class LibreOfficeError(AssertionError):
    """LibreOffice failed, hung or raised a UNO exception (carried here as text)."""


def soffice_path() -> str | None:
    """Path of the ``soffice`` executable on PATH, or None."""
    return shutil.which("soffice")


def require_soffice() -> str:
    """``soffice``'s path; otherwise skip the calling test with a notice, or fail it on CI.

    Call it from a fixture. With ``CI`` set (``CI=1``), a missing LibreOffice is an error:
    a CI job must never pass by skipping these tests.
    """
    path = soffice_path()
    if path is None:
        hint = ("apt-get install libreoffice-calc libreoffice-writer python3-uno "
                "xvfb xauth fonts-liberation2")
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"LibreOffice (soffice) not installed, and CI is set: {hint}",
                        pytrace=False)
        pytest.skip(f"LibreOffice (soffice) not installed: {hint}")
    return path


def _soffice() -> str:
    path = soffice_path()
    assert path is not None, "LibreOffice (soffice) not installed"
    return path


# --------------------------------------------------------------------------- processes


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is still running (zombies do not count)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid pgrp ..."; comm may hold spaces or parentheses
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _kill_group(pgid: int, grace: float = 3.0) -> None:
    """SIGTERM the process group (Xvfb then removes its lock file), SIGKILL what is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _group_alive(pgid):
                return
            time.sleep(0.05)


def _wait_group_gone(pgid: int, timeout: float = 5.0) -> None:
    """Wait until even the zombies of group ``pgid`` are reaped (``pgrep`` shows zombies).

    ``xvfb-run`` exits without waiting for the Xvfb it killed, so Xvfb is briefly a zombie
    of PID 1.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --------------------------------------------------------------------------- conversions


def convert(src: Path, out_dir: Path, target: str, profile: Path, timeout: float = 90) -> Path:
    """Convert a copy of ``src`` with ``soffice --headless --convert-to target``.

    ``target`` is a ``--convert-to`` argument: ``"xlsx:Calc MS Excel 2007 XML"``, ``"ods"``,
    ``"xls:MS Excel 97"``, ``"pdf"``. ``profile`` is the LibreOffice user profile folder
    (created if needed; one per concurrently running soffice). Returns
    ``out_dir/<src stem>.<extension>``. soffice exits 0 even when it fails, so the output
    is checked instead; a :class:`LibreOfficeError` (an AssertionError) carries its stderr.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{src.stem}.{target.split(':', 1)[0]}"
    out.unlink(missing_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lo-input-", dir=out_dir))
    try:
        # a copy: never leave lock files beside (or convert over) the caller's file
        copy = shutil.copy2(src, staging / src.name)
        cmd = [_soffice(), f"-env:UserInstallation={profile.absolute().as_uri()}",
               "--headless", "--norestore", "--convert-to", target,
               "--outdir", str(out_dir), str(copy)]
        with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, process_group=0) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                stdout, stderr = proc.communicate()
                raise LibreOfficeError(
                    f"soffice --convert-to {target} {src.name}: no result after {timeout} s "
                    f"(killed)\nstdout: {stdout}\nstderr: {stderr}") from None
        if _group_alive(proc.pid):  # normally nothing is left: soffice waits for soffice.bin
            _kill_group(proc.pid)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not out.is_file() or out.stat().st_size == 0:
        raise LibreOfficeError(
            f"soffice --convert-to {target} {src.name} wrote no {out.name} "
            f"(exit code {proc.returncode})\nstdout: {stdout}\nstderr: {stderr}")
    return out


def roundtrip(template: Path, tmp_path: Path) -> dict[str, Path]:
    """``template`` saved by LibreOffice as xlsx, ods and xls: ``{"xlsx": path, ...}``.

    Outputs go to ``tmp_path/lo-roundtrip/``, with one profile at ``tmp_path/lo-profile``.
    """
    out_dir = tmp_path / "lo-roundtrip"
    profile = tmp_path / "lo-profile"
    return {ext: convert(template, out_dir, target, profile)
            for ext, target in ROUNDTRIP_TARGETS.items()}


# --------------------------------------------------------------------------- UNO


@functools.cache
def _import_uno() -> ModuleType:
    """The ``uno`` module of python3-uno, imported from the system dist-packages."""
    with suppress(ImportError):
        return importlib.import_module("uno")  # already importable (e.g. system python3)
    folder = next((d for d in UNO_DIRS if (Path(d) / "uno.py").is_file()), None)
    if folder is None:
        pytest.fail(f"python3-uno not installed (no uno.py in {', '.join(UNO_DIRS)}): "
                    "apt-get install python3-uno", pytrace=False)
    sys.path.append(folder)
    try:
        return importlib.import_module("uno")
    except ImportError as exc:
        pytest.fail(f"cannot import uno from {folder} into Python {sys.version_info.major}."
                    f"{sys.version_info.minor} ({exc}); pyuno is built for one Python version",
                    pytrace=False)
    finally:
        # keep Debian's other system packages (apt, gi, dbus...) off the test process's path
        with suppress(ValueError):
            sys.path.remove(folder)


def _props(**values: Any) -> tuple[Any, ...]:
    """A UNO ``PropertyValue`` sequence."""
    struct = _import_uno().createUnoStruct
    return tuple(struct("com.sun.star.beans.PropertyValue", Name=k, Value=v)
                 for k, v in values.items())


@dataclass(frozen=True)
class MessageBox:
    """A modal box LibreOffice showed, clicked away by the watcher."""

    title: str  # e.g. the validation's error title, or "Information"
    text: str  # the message (read through accessibility; "" if not found)
    button: str  # the button clicked: "ok" or "yes"


def _uno_call(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Re-raise UNO exceptions as :class:`LibreOfficeError`.

    pyuno exceptions reject attribute writes (``__traceback__`` included), which breaks
    exception chaining in contextlib and pytest; a plain exception reports cleanly.
    """
    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except _uno_exception() as exc:
            message = getattr(exc, "Message", "") or str(exc)
            raise LibreOfficeError(f"{type(exc).__name__}: {message}") from None
    return wrapper


def _uno_exception() -> type[Exception]:
    cls: type[Exception] = _import_uno().getClass("com.sun.star.uno.Exception")
    return cls


class TypingSession:
    """One visible Calc document under Xvfb, typed into through ``UITest``.

    Use it as a context manager (see :func:`typing_session`): entering starts soffice and
    loads a copy of the document; leaving closes it and ends soffice and Xvfb. Failures
    and timeouts raise :class:`LibreOfficeError` (an AssertionError).
    """

    def __init__(self, document: Path, workdir: Path, *, locale: str = "vi-VN",
                 timeout: float = 120) -> None:
        self.document = document
        self.workdir = workdir
        self.locale = locale
        self.timeout = timeout
        self.boxes: list[MessageBox] = []
        """Every box clicked away and not yet taken, oldest first (see :meth:`take_boxes`)."""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watch_errors: list[str] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self._watchdog: threading.Timer | None = None
        self._watcher: threading.Thread | None = None
        self._killed = False
        self._clicking = False  # the watcher is clicking a box away
        self._desktop: Any = None
        self._doc: Any = None

    # -- life cycle ---------------------------------------------------------------------

    def __enter__(self) -> TypingSession:
        try:
            self._start()
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()
        if self._killed:
            raise LibreOfficeError(f"LibreOffice typing session killed after {self.timeout} s"
                                   f"\n{self._log()}")

    @_uno_call
    def _start(self) -> None:
        uno = _import_uno()
        self.workdir.mkdir(parents=True, exist_ok=True)
        profile = self.workdir / "profile"
        copy = self.workdir / self.document.name
        shutil.copy2(self.document, copy)  # a copy: no lock files beside the original
        if shutil.which("xvfb-run") is None:
            raise LibreOfficeError("xvfb-run not installed (apt-get install xvfb xauth): "
                                   "typing needs LibreOffice's GUI core on a virtual display")
        port = _free_port()
        url = f"socket,host=127.0.0.1,port={port};urp;"
        # 7.4 crashes on a visible document under --headless: GUI core on a virtual display
        # -f/-e: xvfb-run's auth file and log in workdir (no /tmp folder left if it is killed)
        cmd = ["xvfb-run", "-a", "-f", str(self.workdir / "Xauthority"),
               "-e", str(self.workdir / "xvfb.log"), "env", "SAL_USE_VCLPLUGIN=gen", _soffice(),
               f"-env:UserInstallation={profile.absolute().as_uri()}",
               "--norestore", "--nodefault", "--nologo", f"--accept={url}"]
        with open(self.workdir / "soffice.log", "wb") as log:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, process_group=0)
        self._watchdog = threading.Timer(self.timeout, self._kill)
        self._watchdog.daemon = True
        self._watchdog.start()

        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 60
        while True:
            try:
                self._ctx = resolver.resolve(f"uno:{url}StarOffice.ComponentContext")
                break
            except _uno_exception():  # NoConnectException until soffice listens
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    raise LibreOfficeError(
                        f"soffice did not accept UNO connections on port {port} "
                        f"(exit code {self._proc.poll()})\n{self._log()}") from None
                time.sleep(0.2)
        smgr = self._ctx.ServiceManager
        self._desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self._ctx)
        self._toolkit = smgr.createInstanceWithContext("com.sun.star.awt.Toolkit", self._ctx)
        # before loading: typed dates and decimals follow the profile locale
        self._configure("/org.openoffice.Setup/L10N", ooSetupSystemLocale=self.locale)
        self._configure("/org.openoffice.Office.Common/Misc", ShowTipOfTheDay=False)
        # no AutoInput: what is typed is what gets entered, not a completion from the column
        self._configure("/org.openoffice.Office.Calc/Input", AutoInput=False)
        self._uitest = smgr.createInstanceWithContext("org.libreoffice.uitest.UITest", self._ctx)

        self._watcher = threading.Thread(target=self._watch, name="lo-box-watcher", daemon=True)
        self._watcher.start()
        self._doc = self._desktop.loadComponentFromURL(copy.absolute().as_uri(), "_blank", 0,
                                                       _props())
        if self._doc is None:
            raise LibreOfficeError(f"LibreOffice could not load {self.document.name}")
        self._grid = self._grid_window()
        self._settle()

    def _configure(self, node: str, **values: Any) -> None:
        provider = self._ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self._ctx)
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess", _props(nodepath=node))
        for name, value in values.items():
            access.setPropertyValue(name, value)
        access.commitChanges()
        access.dispose()

    def _grid_window(self) -> Any:
        deadline = time.monotonic() + 20
        while True:
            top = self._uitest.getTopFocusWindow()
            if "grid_window" in top.getChildren():
                return top.getChild("grid_window")
            if time.monotonic() > deadline:
                raise LibreOfficeError("the Calc window never got the focus")
            time.sleep(0.1)

    def _close(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=10)  # before closing the frame, or soffice may abort
        try:
            if self._doc is not None and not self._killed:
                with suppress(Exception):
                    self._doc.setModified(False)
                with suppress(Exception):  # not doc.close(): vetoed while a box is open
                    self._doc.CurrentController.Frame.close(True)
            if self._desktop is not None and not self._killed:
                with suppress(Exception):  # the bridge drops while soffice exits
                    self._desktop.terminate()
        finally:
            if self._watchdog is not None:
                self._watchdog.cancel()
                self._watchdog.join(timeout=10)
            if self._proc is not None:
                try:
                    self._proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    _kill_group(self._proc.pid)
                    self._proc.wait(timeout=10)
                if _group_alive(self._proc.pid):  # xvfb-run exited; Xvfb or soffice.bin not
                    _kill_group(self._proc.pid)
                _wait_group_gone(self._proc.pid)

    def _kill(self) -> None:
        """Watchdog: a hung soffice blocks UNO calls forever; killing it makes them raise."""
        self._killed = True
        if self._proc is not None:
            _kill_group(self._proc.pid)

    def _log(self) -> str:
        """The ends of soffice's and xvfb-run's logs, for error messages."""
        logs = []
        for name in ("soffice.log", "xvfb.log"):
            with suppress(OSError):
                logs.append(f"{name}: {(self.workdir / name).read_text(errors='replace')[-1500:]}")
        return "\n".join(logs)

    # -- message boxes ------------------------------------------------------------------

    def _open_boxes(self) -> list[Any]:
        """Accessible contexts of the modal boxes and dialogs open now."""
        found = []
        for i in range(self._toolkit.getTopWindowCount()):
            try:
                context = self._toolkit.getTopWindow(i).getAccessibleContext()
                role = context.getAccessibleRole()
            except (AttributeError, _uno_exception()):  # closed meanwhile (None, disposed)
                continue
            if role in (_ROLE_ALERT, _ROLE_DIALOG):
                found.append(context)
        return found

    @staticmethod
    def _box_text(context: Any, title: str, depth: int = 0) -> list[str]:
        """Names of a box's accessible descendants other than its title and buttons."""
        texts = []
        for i in range(min(context.getAccessibleChildCount(), 50)):
            child = context.getAccessibleChild(i).getAccessibleContext()
            name = child.getAccessibleName()
            if name and name != title and child.getAccessibleRole() != _ROLE_PUSH_BUTTON:
                texts.append(name)
            if depth < 6:
                texts += TypingSession._box_text(child, title, depth + 1)
        return texts

    def _watch(self) -> None:
        """Click "ok"/"yes" on every modal box; record its title and text."""
        while not self._stop.is_set():
            try:
                clicked = self._click_box()
            except Exception as exc:  # soffice busy or closing; never let the thread die
                self._watch_errors.append(repr(exc))
                clicked = False
            if not clicked:
                self._stop.wait(0.05)

    def _click_box(self) -> bool:
        if not self._open_boxes():
            return False
        top = self._uitest.getTopFocusWindow()
        children = top.getChildren()
        button = next((b for b in ("ok", "yes") if b in children), None)
        if button is None or "grid_window" in children:
            return False  # the focus has not reached the box yet
        title = next((p.Value for p in top.getState() if p.Name == "Text"), "")
        text = ""
        with suppress(Exception):
            for context in reversed(self._open_boxes()):  # the newest box of that title
                if context.getAccessibleName() == title:
                    text = "\n".join(dict.fromkeys(self._box_text(context, title)))
                    break
        with self._lock:  # recorded before the click, so never after type_into returns
            self.boxes.append(MessageBox(title, text, button))
        self._clicking = True
        try:
            top.getChild(button).executeAction("CLICK", ())
        finally:
            self._clicking = False
        return True

    def _settle(self, quiet: float = 0.15, timeout: float = 20) -> None:
        """Let soffice handle pending events, then wait until no box has been open for
        ``quiet`` seconds (the watcher clicks them away)."""
        self._toolkit.processEventsToIdle()
        deadline = time.monotonic() + timeout
        calm_since = time.monotonic()
        while True:
            if self._clicking or self._open_boxes():
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                return
            if time.monotonic() > deadline:
                raise LibreOfficeError(f"a LibreOffice dialog stayed open; watcher errors: "
                                       f"{self._watch_errors[-3:]}")
            time.sleep(0.03)

    def take_boxes(self) -> list[MessageBox]:
        """The boxes recorded since the last call, and forget them."""
        with self._lock:
            boxes, self.boxes = self.boxes, []
        return boxes

    # -- the document -------------------------------------------------------------------

    def _cell(self, sheet_name: str, cell_ref: str) -> Any:
        return self._doc.Sheets.getByName(sheet_name).getCellRangeByName(cell_ref)

    @_uno_call
    def type_into(self, sheet_name: str, cell_ref: str, text: str) -> None:
        """Select the cell, type ``text`` and press Enter, as a user would.

        Returns once the message boxes this raised (a validation's error box, one
        "protected cell" box per keystroke) have been clicked away; see :attr:`boxes`.
        """
        self._settle(quiet=0)
        controller = self._doc.CurrentController
        sheet = self._doc.Sheets.getByName(sheet_name)
        controller.setActiveSheet(sheet)
        controller.select(sheet.getCellRangeByName(cell_ref))
        self._grid.executeAction("TYPE", _props(TEXT=text))
        self._grid.executeAction("TYPE", _props(KEYCODE="RETURN"))
        self._settle()

    @_uno_call
    def read(self, sheet_name: str, cell_ref: str) -> str | float | dt.date | dt.datetime | None:
        """A cell's content: None if empty, text, a number, or a date for date-formatted cells.

        Formulas read as their displayed text.
        """
        cell = self._cell(sheet_name, cell_ref)
        kind = cell.getType().value  # com.sun.star.table.CellContentType
        if kind == "EMPTY":
            return None
        if kind != "VALUE":
            return str(cell.getString())
        value = float(cell.getValue())
        fmt_type = self._doc.NumberFormats.getByKey(cell.NumberFormat).Type
        if not fmt_type & _FORMAT_DATE:
            return value
        null = self._doc.NullDate
        moment = dt.datetime(null.Year, null.Month, null.Day) + dt.timedelta(days=value)
        return moment if fmt_type & _FORMAT_TIME else moment.date()

    @_uno_call
    def read_text(self, sheet_name: str, cell_ref: str) -> str:
        """A cell's text as Calc displays it (``"15/06/2022"``, ``"66,5"``)."""
        return str(self._cell(sheet_name, cell_ref).getString())

    @_uno_call
    def save_as(self, path: Path, filter: str = CALC_XLSX) -> Path:
        """Store the document to ``path`` with the export filter ``filter``; return ``path``."""
        self._settle(quiet=0)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._doc.storeToURL(path.absolute().as_uri(), _props(FilterName=filter, Overwrite=True))
        if not path.is_file():
            raise LibreOfficeError(f"LibreOffice did not write {path}")
        return path


def typing_session(document: Path, workdir: Path, *, locale: str = "vi-VN",
                   timeout: float = 120) -> TypingSession:
    """A visible Calc (under Xvfb) with a copy of ``document``, for ``with`` blocks::

        with lo.typing_session(template, tmp_path / "typing") as calc:
            calc.type_into("Báo cáo", "I8", "Hoàn thành")

    ``workdir`` receives the copy, the profile and ``soffice.log``. The profile locale is
    set to ``locale`` before loading, so typed dates and decimals are read as a Vietnamese
    user's ("15/06/2022", "66,5"). After ``timeout`` seconds the whole session is killed
    (pending calls then fail). soffice and Xvfb are gone when the block exits.
    """
    return TypingSession(document, workdir, locale=locale, timeout=timeout)
