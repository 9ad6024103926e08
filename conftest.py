"""Doctests of ``src/camket`` run for real: each runs in a folder holding ``ws/`` (the bo-2022
sample) and ``nhan/`` (its simulated returns for 2022-6T), with ``ws`` (the opened workspace),
``Path`` and ``dt`` in its namespace."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(scope="session")
def _doctest_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from camket import Workspace
    from camket.simulate import simulate_returns

    folder = tmp_path_factory.mktemp("doctest")
    ws = Workspace.init(folder / "ws", sample="bo-2022")
    generated = dt.datetime(2022, 7, 1, 8)
    simulate_returns(ws.template_jobs("2022-6T", generated=generated), folder / "nhan", seed=2022)
    return folder


@pytest.fixture(autouse=True)
def _doctest_workspace(request: pytest.FixtureRequest) -> Any:
    if not isinstance(request.node, DoctestItem):
        yield
        return
    from camket import Workspace

    folder = request.getfixturevalue("_doctest_folder")
    namespace = request.getfixturevalue("doctest_namespace")
    namespace.update(ws=Workspace.open(folder / "ws"), Path=Path, dt=dt)
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)
