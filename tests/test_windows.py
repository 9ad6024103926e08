"""What Windows needs, tested here on Linux: worker pools started with ``spawn`` (the only start
method Windows has) give the same results, and every file name camket writes is valid there."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
import shutil
from pathlib import Path

import pytest

from camket import Workspace
from camket.ledger import Ledger
from camket.masterbook import write_master
from camket.samples import load_sample
from camket.simulate import Profile, scale_rows, simulate_returns

from .conftest import SAMPLE_TIME

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def valid_on_windows(name: str) -> bool:
    return (not re.search(r'[<>:"/\\|?*\x00-\x1f]', name) and not name.endswith((".", " "))
            and name.split(".")[0].upper() not in RESERVED and len(name) <= 255)


def test_worker_pools_started_with_spawn_give_the_same_result(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sample = load_sample("bo-2022")
    units, tasks = scale_rows(sample.units, sample.tasks, 70, 8)
    Workspace.init(tmp_path / "mot", sample="bo-2022")
    write_master(tmp_path / "mot" / "danh-muc.xlsx", units, tasks)
    one = Workspace.open(tmp_path / "mot")
    simulate_returns(one.template_jobs("2022-6T", generated=SAMPLE_TIME), tmp_path / "nhan", seed=4,
                     profile=Profile(), special=False)
    shutil.copytree(tmp_path / "mot", tmp_path / "spawn")  # the same workspace (its key signs the templates)
    one.ingest([tmp_path / "nhan"], "2022-6T", now=dt.datetime(2022, 7, 3), processes=1)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    methods: list[str | None] = []
    real = multiprocessing.get_context

    def recorded(method: str | None = None) -> object:
        methods.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", recorded)
    spawned = Workspace.open(tmp_path / "spawn")
    written = spawned.templates("2022-6T")  # 70 templates: written by a spawned pool
    assert len(written.files) == 70 and all(p.stat().st_size > 0 for p in written.files)
    result = spawned.ingest([tmp_path / "nhan"], "2022-6T", now=dt.datetime(2022, 7, 3), processes=2)
    assert result.count("accepted") == 70
    assert methods == ["spawn", "spawn"]  # both pools (templates, ingest) were started the Windows way

    def rows(ws: Workspace) -> list[tuple[object, ...]]:
        with Ledger(ws.root, create=False) as ledger:
            return [(r.unit, r.task, *r.answer().values()) for r in ledger.accepted_rows("2022-6T")]

    assert rows(spawned) == rows(one)
    assert spawned.reconcile("2022-6T").status_json() == one.reconcile("2022-6T").status_json()


def test_every_file_name_camket_writes_is_valid_on_windows(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).parent / "data" / "ws", root)
    units = [{"unit_code": "CON", "unit_name": "Phòng: Hành chính / Tổng hợp?", "head": "A", "block": "K"},
             {"unit_code": "AUX.1", "unit_name": 'Trung tâm "Dữ liệu" <số> * ...', "head": "B", "block": "K"},
             {"unit_code": "NUL", "unit_name": "Văn phòng.  ", "head": "C", "block": "K"}]
    tasks = [{"task_code": f"{u['unit_code']}-01", "unit_code": u["unit_code"], "content": "Nhiệm vụ",
              "group": "Quản lý", "deadline": dt.date(2022, 6, 30), "points": 10} for u in units]
    write_master(root / "danh-muc.xlsx", units, tasks)
    ws = Workspace.open(root)
    issued = ws.templates("2022-6T", generated=SAMPLE_TIME)
    inbox = tmp_path / "nhan"
    simulate_returns(ws.template_jobs("2022-6T", generated=SAMPLE_TIME), inbox, seed=1, special=False)
    ws.ingest([inbox], "2022-6T", now=dt.datetime(2022, 7, 3))
    ws.report("2022-6T")
    ws.appraise("2022-6T")
    ws.export_archive(tmp_path / "ban-sao")
    written = [p for folder in (root, tmp_path / "ban-sao") for p in folder.rglob("*")]
    assert len(issued.files) == 3 and len(written) > 20
    for path in written:
        assert valid_on_windows(path.name), path.name
        inside = path.relative_to(tmp_path)
        assert len(str(inside)) + len(r"C:\Users\chuyen.vien\Documents\camket\\") < 260, inside
