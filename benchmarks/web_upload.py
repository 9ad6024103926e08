"""camket serve under load: many offices upload at once through their personal links.

    python benchmarks/web_upload.py                      # 200 offices, all at once
    python benchmarks/web_upload.py --offices 500
    python benchmarks/web_upload.py --during-report      # a `camket report` runs meanwhile

A workspace of N units is made from the bo-2022 sample, templates are issued and filled the
way offices fill them (camket.simulate: a few messy, one corrupt, one never answered: that
unit sends its blank template). A real `camket serve` (the command, in its own process,
on a free local port) then receives every unit's file through the unit's own link, all
requests in flight together; each office first opens its page (for the form's CSRF token),
as a browser would. Then the ledger and the archive are checked: every file sent must be
recorded once, under its SHA-256, with the archived copy byte for byte the same.

The figures are printed and written to benchmarks/WEB_RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

from camket import Workspace
from camket.ledger import Ledger
from camket.links import office_links
from camket.masterbook import write_master
from camket.samples import load_sample
from camket.simulate import scale_rows, simulate_returns

HERE = Path(__file__).parent
ROUND = "2022-6T"
TOKEN = "benchmark-token"


@dataclass
class Upload:
    unit: str
    path: str       # the office's page, /nop/...
    file: Path
    sha256: str
    status: int = 0
    state: str = ""
    seconds: float = 0.0


def prepare(root: Path, offices: int) -> list[Upload]:
    """A workspace of ``offices`` units with templates issued, and one filled file per unit."""
    ws = Workspace.init(root, sample="bo-2022")
    data = load_sample("bo-2022")
    units, tasks = scale_rows(data.units, data.tasks, offices)
    write_master(ws.master_path, units, tasks)
    ws = Workspace.open(root)
    generated = dt.datetime(2022, 7, 1, 8, 0)
    templates = ws.templates(ROUND, generated=generated)
    returned = root.parent / "nhan"
    plan = simulate_returns(ws.template_jobs(ROUND, generated=generated), returned, seed=2022)
    by_unit = {}
    for path in plan.files:
        if path.parent == returned:  # a unit's latest file (first attempts of resubmissions are in lan-1/)
            by_unit[path.name.split("_")[1]] = path
    for path in templates.files:  # a unit that never answered sends its blank template
        by_unit.setdefault(path.name.split("_")[1], path)
    uploads = []
    for link in office_links(ws, ROUND, "http://x"):
        file = by_unit[link.unit]
        uploads.append(Upload(link.unit, link.url.removeprefix("http://x"), file,
                              hashlib.sha256(file.read_bytes()).hexdigest()))
    assert len(uploads) == offices
    return uploads


def start_server(root: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "camket", "-w", str(root), "serve", "--port", "0",
                                "--token", TOKEN], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http://"):
        process.kill()
        raise SystemExit(f"camket serve did not start: {line} {process.stderr.read() if process.stderr else ''}")
    return process, line.split("/dang-nhap")[0]


async def send(base: str, uploads: list[Upload], limit: int) -> float:
    """Every office opens its page, then all send their file at once; returns the seconds of the sending."""
    timeout = httpx.Timeout(600.0)
    clients = [httpx.AsyncClient(base_url=base, timeout=timeout) for _ in uploads]
    try:
        tokens = []
        for client, upload in zip(clients, uploads, strict=True):
            page = await client.get(upload.path)
            found = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert page.status_code == 200 and found, (upload.unit, page.status_code)
            tokens.append(found.group(1))
        gate = asyncio.Semaphore(limit)

        async def one(client: httpx.AsyncClient, upload: Upload, token: str) -> None:
            async with gate:
                started = time.perf_counter()
                answer = await client.post(upload.path, data={"csrf": token}, headers={"Accept": "application/json"},
                                           files={"files": (upload.file.name, upload.file.read_bytes())})
                upload.seconds = time.perf_counter() - started
                upload.status = answer.status_code
                if answer.status_code == 200:
                    upload.state = ",".join(f["state"] for f in answer.json()["files"])

        started = time.perf_counter()
        await asyncio.gather(*(one(c, u, t) for c, u, t in zip(clients, uploads, tokens, strict=True)))
        return time.perf_counter() - started
    finally:
        for client in clients:
            await client.aclose()


def check(root: Path, uploads: list[Upload]) -> list[str]:
    """What is wrong in the ledger and the archive (nothing, when every file arrived)."""
    problems = []
    ws = Workspace.open(root)
    subs = ws.submissions(ROUND)
    by_hash: dict[str, list[object]] = {}
    for s in subs:
        by_hash.setdefault(s.sha256, []).append(s)
    with Ledger(root, create=False, archive=True) as ledger:
        for upload in uploads:
            if upload.status != 200:
                problems.append(f"{upload.unit}: HTTP {upload.status}")
            found = by_hash.get(upload.sha256, [])
            if len(found) != 1:
                problems.append(f"{upload.unit}: {len(found)} ledger records for {upload.file.name}")
            if ledger.archived(upload.sha256) != upload.file.read_bytes():
                problems.append(f"{upload.unit}: archive copy of {upload.file.name} missing or different")
    if len(subs) != len(uploads):
        problems.append(f"{len(subs)} ledger records for {len(uploads)} files sent")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=200, help="units, each uploading one file (default 200)")
    parser.add_argument("--concurrency", type=int, default=0, help="requests in flight at once (default: all)")
    parser.add_argument("--during-report", action="store_true", help="run `camket report` while the uploads arrive")
    parser.add_argument("--keep", action="store_true", help="keep the workspace (its path is printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="camket-web-bench-"))
    root = folder / "ws"
    print(f"Preparing {args.offices} units, their templates and filled files in {folder} …", file=sys.stderr)
    uploads = prepare(root, args.offices)
    process, base = start_server(root)
    report = None
    try:
        if args.during_report:
            report = subprocess.Popen([sys.executable, "-m", "camket", "-w", str(root), "report", "--round", ROUND,
                                       "--no-feedback"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = asyncio.run(send(base, uploads, args.concurrency or len(uploads)))
        if report is not None:
            report.wait(600)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    problems = check(root, uploads)
    latencies = sorted(u.seconds for u in uploads)
    states: dict[str, int] = {}
    for u in uploads:
        for state in u.state.split(","):
            states[state] = states.get(state, 0) + 1
    command = "python benchmarks/web_upload.py" + (f" --offices {args.offices}" if args.offices != 200 else "") + (
        " --during-report" if args.during_report else "")
    lines = [
        "# camket serve: concurrent office uploads",
        "",
        f"Run on {dt.date.today():%Y-%m-%d}: {platform.system()} {platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}. Command: `{command}`.",
        "",
        "| files sent at once | seconds | files/s | median / slowest answer (s) | in ledger and archive |",
        "|---:|---:|---:|---:|---|",
        f"| {len(uploads)} | {seconds:.2f} | {len(uploads) / seconds:.1f} | "
        f"{latencies[len(latencies) // 2]:.2f} / {latencies[-1]:.2f} | "
        f"{'every file' if not problems else f'{len(problems)} problems'} |",
        "",
        "States: " + ", ".join(f"{n} {s}" for s, n in sorted(states.items())) + "."
        + (f" A `camket report` ran meanwhile (exit {report.returncode})." if report is not None else ""),
    ]
    print("\n".join(lines))
    for problem in problems[:20]:
        print(f"  problem: {problem}", file=sys.stderr)
    (HERE / "WEB_RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.keep:
        print(f"workspace kept: {root}", file=sys.stderr)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if problems or (report is not None and report.returncode not in (0, 3)) else 0)


if __name__ == "__main__":
    main()
