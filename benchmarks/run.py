"""camket benchmark: every stage of a round at scale, on the same files, in one run.

    python benchmarks/run.py                 # 1,000 units x 30 tasks
    python benchmarks/run.py --units 10000   # the full national-scale run

Stages (each in a fresh process, so peak memory is the stage's own):
  templates     camket generates one template per unit (both cores)
  ingest        camket ingests every returned workbook into a fresh ledger
  pandas        the loop most users would write: pandas.read_excel on every file
  floor         only unzipping each file's sheet XML (what no reader can beat)
  reconcile     reconcile + consolidated workbook
  word          the Word report
  large         ingest of one ~20 MB return in a small workspace (bo-2022): random texts far from
                the table (left out), inside the area camket reads up to what a file may hold
                (read), or beyond it (refused); the goal is a peak under 300 MiB for any file
Simulated returns are written between templates and ingest (not timed).
The table is printed and written to benchmarks/RESULTS.md with the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).parent
GENERATED = dt.datetime(2022, 7, 1, 8, 0)
RECEIVED = dt.datetime(2022, 7, 8, 9, 0)


class PeakMemory:
    """Peak memory of this process and all its descendants (worker pools included).

    ``ru_maxrss`` alone cannot see workers (it is per process), and summing workers' RSS
    counts pages shared after fork once per worker. So the proportional set size (PSS,
    shared pages divided fairly) of the whole process tree is sampled with psutil, once a second:
    reading it walks page tables and stalls the process, so sampling more often would
    slow the stage it measures (every 50 ms cost a third of the template stage). The
    result is at least this process's own exact high-water mark (``ru_maxrss``: a spawned
    stage starts from a small parent, so it is the stage's own).
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    @property
    def peak_mib(self) -> float:
        return self.peak_bytes / 2**20

    def sample(self) -> None:
        me = psutil.Process()
        total = 0
        for process in [me, *me.children(recursive=True)]:
            try:
                total += process.memory_full_info().pss  # read from /proc/<pid>/smaps_rollup
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue  # a worker that ended between listing and reading
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.peak_bytes = max(self.peak_bytes, own, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def _in_child(target: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``target`` in a fresh process; return its result with its peak memory."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measured, args=(queue, target, *args))
    process.start()
    result = queue.get()
    process.join()
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def _measured(queue: Any, target: Callable[..., dict[str, Any]], *args: Any) -> None:
    try:
        with PeakMemory() as memory:
            result = target(*args)
        result["peak_mib"] = memory.peak_mib
    except Exception as exc:
        import traceback

        result = {"error": "".join(traceback.format_exception(exc))}
    queue.put(result)


# --- stages ------------------------------------------------------------------------

def prepare(root: Path, units: int, tasks: int) -> dict[str, Any]:
    from camket import Workspace
    from camket.masterbook import write_master
    from camket.samples import load_sample
    from camket.simulate import scale_rows

    sample = load_sample("bo-2022")
    Workspace.init(root, sample="bo-2022", force=True)
    unit_rows, task_rows = scale_rows(sample.units, sample.tasks, units, tasks)
    write_master(root / "danh-muc.xlsx", unit_rows, task_rows)
    return {"units": len(unit_rows), "tasks": len(task_rows)}


def stage_master(root: Path) -> dict[str, Any]:
    from camket import Workspace

    ws = Workspace.open(root)
    start = time.perf_counter()
    read = ws.master_read  # read once, then kept for the command
    return {"seconds": time.perf_counter() - start, "tasks": len(read.master.tasks)}


def stage_templates(root: Path) -> dict[str, Any]:
    from camket import Workspace

    ws = Workspace.open(root)
    start = time.perf_counter()
    result = ws.templates("2022-6T", generated=GENERATED)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "files": len(result.files)}


def simulate(root: Path, returned: Path) -> dict[str, Any]:
    from camket import Workspace
    from camket.simulate import simulate_returns

    ws = Workspace.open(root)
    start = time.perf_counter()
    plan = simulate_returns(ws.template_jobs("2022-6T", generated=GENERATED), returned, seed=2022)
    return {"seconds": time.perf_counter() - start, "files": len(plan.files)}


def stage_ingest(root: Path, returned: Path) -> dict[str, Any]:
    from camket import Workspace

    ws = Workspace.open(root)
    ws.master_for("2022-6T")  # the round's list (frozen by the templates stage) is loaded once per command
    start = time.perf_counter()
    result = ws.ingest([returned], "2022-6T", now=RECEIVED)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "files": len(result.files), "accepted": result.count("accepted")}


def stage_pandas(returned: Path) -> dict[str, Any]:
    import warnings

    import pandas as pd

    files = sorted(returned.rglob("*.xlsx"))
    start = time.perf_counter()
    rows = 0
    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = pd.read_excel(path, sheet_name="Báo cáo", header=6)
            rows += len(frame)
        except Exception:
            pass
    return {"seconds": time.perf_counter() - start, "files": len(files), "rows": rows}


def stage_floor(returned: Path) -> dict[str, Any]:
    files = sorted(returned.rglob("*.xlsx"))
    start = time.perf_counter()
    size = 0
    for path in files:
        try:
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                for name in archive.namelist():
                    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                        size += len(archive.read(name))
        except zipfile.BadZipFile:
            pass
    return {"seconds": time.perf_counter() - start, "files": len(files), "bytes": size}


LARGE = {  # kind -> (cells inside the area read, as shared strings; cells far from it, as inline texts)
    "far": (0, 800_000),          # stray texts far away: left out, the report read
    "full": (300_000, 400_000),   # as much inside as a file may hold (500,000 cells, 32 MB of text), and far
    "over": (800_000, 0),         # more inside than a report can hold: refused before it is read
}
LARGE_TEXT = 30  # random characters a text: the files stay ~20 MB once compressed


def make_large(work: Path) -> dict[str, Any]:
    """A small workspace (bo-2022) and ~20 MB returns of one of its units (not timed)."""
    from camket import Workspace
    from camket.simulate import simulate_returns

    root = work / "ws-large"
    Workspace.init(root, sample="bo-2022", force=True)
    ws = Workspace.open(root)
    jobs = ws.template_jobs("2022-6T", units=[ws.master().units[0].code], generated=GENERATED)
    simulate_returns(jobs, work / "large-source", seed=7, special=False)
    source = next((work / "large-source").rglob("*.xlsx")).read_bytes()
    sizes = {}
    for kind, (inside, far) in LARGE.items():
        target = work / f"large-{kind}.xlsx"
        target.write_bytes(_enlarged(source, inside, far))
        sizes[kind] = target.stat().st_size
    return sizes


def _texts(count: int, seed: int) -> list[str]:
    import base64
    import random

    letters = base64.b64encode(random.Random(seed).randbytes(count * LARGE_TEXT * 3 // 4)).decode()
    return [letters[i * LARGE_TEXT:(i + 1) * LARGE_TEXT] for i in range(count)]


def _block(count: int, first_col: int, cell: Any) -> list[str]:
    """Rows 41 on of ``count`` cells from column ``first_col``, 20,000 rows at most."""
    from xlsxwriter.utility import xl_col_to_name

    if not count:
        return []
    cols = -(-count // 19_960)
    letters = [xl_col_to_name(first_col + c) for c in range(cols)]
    rows = []
    for r in range(-(-count // cols)):
        number = 41 + r
        cells = [cell(r * cols + c, f"{letter}{number}") for c, letter in enumerate(letters) if r * cols + c < count]
        rows.append(f'<row r="{number}">' + "".join(cells) + "</row>")
    return rows


def _enlarged(data: bytes, inside: int, far: int) -> bytes:
    """The return with ``inside`` random texts (shared strings) from column P, within the area
    camket reads, and ``far`` (inline) from column BM on, plus one at XFD1048576."""
    import re

    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for name in source.namelist():
            parts[name] = source.read(name)
    shared = parts["xl/sharedStrings.xml"].decode()
    base = len(re.findall("<si>", shared))
    shared = re.sub(r'(count|uniqueCount)="\d+"', lambda m: f'{m.group(1)}="{base + inside}"', shared)
    parts["xl/sharedStrings.xml"] = shared.replace(
        "</sst>", "".join(f"<si><t>{t}</t></si>" for t in _texts(inside, 1)) + "</sst>").encode()
    far_texts = _texts(far, 2)
    rows = _block(inside, 15, lambda i, ref: f'<c r="{ref}" t="s"><v>{base + i}</v></c>')
    by_row = {row[:row.index(">") + 1]: row for row in rows}
    for row in _block(far, 64, lambda i, ref: f'<c r="{ref}" t="inlineStr"><is><t>{far_texts[i]}</t></is></c>'):
        start = row[:row.index(">") + 1]
        by_row[start] = by_row[start][:-len("</row>")] + row[len(start):] if start in by_row else row
    body = [by_row[key] for key in sorted(by_row, key=lambda k: int(k.split('"')[1]))]
    if far:
        body.append('<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    parts["xl/worksheets/sheet2.xml"] = sheet.replace("</sheetData>", "".join(body) + "</sheetData>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def stage_large(work: Path, kind: str) -> dict[str, Any]:
    from camket import Workspace

    root = work / f"ws-large-{kind}"
    shutil.copytree(work / "ws-large", root)
    ws = Workspace.open(root)
    ws.master_for("2022-6T")
    path = work / f"large-{kind}.xlsx"
    start = time.perf_counter()
    result = ws.ingest([path], "2022-6T", now=RECEIVED)
    seconds = time.perf_counter() - start
    outcome = result.files[0]
    return {"seconds": seconds, "megabytes": path.stat().st_size / 1e6, "state": outcome.state,
            "findings": sorted({f.code for f in outcome.findings})}


def stage_reconcile(root: Path) -> dict[str, Any]:
    from camket import Workspace
    from camket.report import write_consolidated

    ws = Workspace.open(root)
    ws.master_for("2022-6T")  # the round's list, frozen when its templates were issued
    start = time.perf_counter()
    result = ws.reconcile("2022-6T")
    write_consolidated(root / "out" / "bench_tong-hop.xlsx", result, ws.master_for("2022-6T"), ws.settings, GENERATED,
                       ws.trend("2022-6T", current=result))  # as `camket report` does
    return {"seconds": time.perf_counter() - start, "tasks": len(result.tasks)}


def stage_word(root: Path) -> dict[str, Any]:
    from camket import Workspace
    from camket.report import write_word

    ws = Workspace.open(root)
    result = ws.reconcile("2022-6T")  # not timed: the consolidated stage measures it
    start = time.perf_counter()
    write_word(root / "out" / "bench_bao-cao.docx", result, ws.master_for("2022-6T"), ws.settings, GENERATED)
    return {"seconds": time.perf_counter() - start, "tasks": len(result.tasks)}


# --- start-up -----------------------------------------------------------------------------

STARTUP_RUNS = 21


def stage_startup(work: Path) -> dict[str, float]:
    """Median wall time of commands people type, started afresh each time, beside bare Python:
    on the bo-2022 demo (26 units, its first round ingested). The commands are run in turn, so
    that whatever else the machine does slows each of them alike."""
    demo = work / "demo"
    exe = shutil.which("camket") or "camket"
    subprocess.run([exe, "demo", str(demo), "--no-pdf"], check=True, capture_output=True)
    time.sleep(3)  # let the demo's processes end and the machine settle
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "imports": [sys.executable, "-c", "import click, sqlite3, tomllib"],
        "help": [exe, "--help"],
        "status": [exe, "-w", str(demo), "status", "--round", "2022-6T"],
    }
    # As installed: pip compiles the bytecode when it installs, and a source checkout writes it on
    # its first run; a shell that forbids writing it (PYTHONDONTWRITEBYTECODE) would time the
    # compiler on every run instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {key: [] for key in commands}
    for command in commands.values():
        subprocess.run(command, capture_output=True, env=env)  # warm the file cache, write the bytecode
    for _ in range(STARTUP_RUNS):
        for key, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, env=env)
            times[key].append(time.perf_counter() - start)
    return {key: statistics.median(values) for key, values in times.items()}


STARTUP = {"python": ("bare python (`python -c pass`)", ""),
           "imports": ("python importing click, sqlite3 and tomllib", ""),
           "help": ("`camket --help`", "≤ 0.1 s"),
           "status": ("`camket status --round 2022-6T` (bo-2022 demo, 26 units)", "≤ 0.2 s")}


def render_startup(times: dict[str, float]) -> str:
    lines = ["", f"Start-up (median of {STARTUP_RUNS} runs of each, in turn, each a new process):", "",
             "| command | seconds | goal |", "|---|---:|---|"]
    lines += [f"| {label} | {times[key]:.3f} | {goal} |" for key, (label, goal) in STARTUP.items()]
    return "\n".join(lines) + "\n"


# --- report --------------------------------------------------------------------------

def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        lines = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in lines if line.startswith("MemTotal")).split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores {cpu}, {mem}; "
            f"Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=30, help="tasks per unit")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="scratch folder (deleted first)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--readme", action="store_true",
                        help="also put the table into README.md (for the full run at 10,000 units)")
    parser.add_argument("--startup-only", action="store_true", help="only the start-up row (about a minute)")
    args = parser.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    if args.startup_only:
        args.work.mkdir(parents=True)
        print(render_startup(stage_startup(args.work)))
        return
    root, returned = args.work / "ws", args.work / "nhan"
    started = time.perf_counter()
    size = _in_child(prepare, root, args.units, args.tasks)
    print(f"{size['units']:,} units, {size['tasks']:,} tasks", flush=True)
    results: dict[str, dict[str, Any]] = {}
    results["master"] = _in_child(stage_master, root)
    print("master list", results["master"], flush=True)
    results["templates"] = _in_child(stage_templates, root)
    print("templates", results["templates"], flush=True)
    sim = _in_child(simulate, root, returned)
    print("simulated returns", sim, flush=True)
    results["ingest"] = _in_child(stage_ingest, root, returned)
    print("ingest", results["ingest"], flush=True)
    results["pandas"] = _in_child(stage_pandas, returned)
    print("pandas loop", results["pandas"], flush=True)
    results["floor"] = _in_child(stage_floor, returned)
    print("unzip floor", results["floor"], flush=True)
    results["reconcile"] = _in_child(stage_reconcile, root)
    print("reconcile + consolidated", results["reconcile"], flush=True)
    results["word"] = _in_child(stage_word, root)
    print("word", results["word"], flush=True)
    print("large returns", _in_child(make_large, args.work), flush=True)
    for kind in LARGE:
        results[f"large-{kind}"] = _in_child(stage_large, args.work, kind)
        print(f"large ({kind})", results[f"large-{kind}"], flush=True)
    startup = stage_startup(args.work)
    print("start-up", startup, flush=True)
    table = render(results, size, args.units, time.perf_counter() - started) + render_startup(startup)
    print(table)
    args.results.write_text(table, encoding="utf-8")
    if args.readme:
        update_readme(HERE.parent / "README.md", table)


README_START, README_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def update_readme(readme: Path, table: str) -> None:
    """Replace the README's benchmark block with this run's table (without its title)."""
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    body = table.split("\n", 2)[2].strip()  # the table without "# camket benchmark"
    readme.write_text(f"{before}{README_START}\n{body}\n{README_END}{after}", encoding="utf-8")


TARGETS_10K = {"templates": "≤ 60 s", "ingest": "≤ 15 s", "reconcile": "≤ 30 s", "word": "≤ 15 s",
               "large-far": "peak < 300 MiB", "large-full": "peak < 300 MiB", "large-over": "peak < 300 MiB"}
LABELS = {
    "master": "master list read (every command; the stages below include it only for templates)",
    "templates": "templates (camket, 2 processes)",
    "ingest": "ingest (camket: archive + read + normalise + ledger)",
    "pandas": "(a) pandas.read_excel loop",
    "floor": "(b) floor: unzip sheet XML only",
    "reconcile": "reconcile + consolidated workbook",
    "word": "Word report",
    "large-far": "one ~20 MB return: 800,000 texts far from the table (left out, the report read)",
    "large-full": "one ~20 MB return: 300,000 texts inside the area read, 400,000 far (read)",
    "large-over": "one ~20 MB return: 800,000 texts inside the area read (refused)",
}


def render(results: dict[str, dict[str, Any]], size: dict[str, Any], units: int, wall: float) -> str:
    ingest = results["ingest"]["seconds"]
    lines = [
        "# camket benchmark",
        "",
        f"Run on {dt.date.today().isoformat()}: {machine()}.",
        f"{size['units']:,} units × {size['tasks'] // max(1, size['units'])} tasks ({size['tasks']:,} tasks); "
        f"whole run {wall:.0f} s. Command: `python benchmarks/run.py --units {units}`.",
        "",
        "| stage | seconds | rate | peak memory | target at 10,000 units |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label in LABELS.items():
        if key not in results:
            continue
        r = results[key]
        rate = f"{r['files'] / r['seconds']:,.0f} files/s" if r.get("files") else (
            f"{r['tasks'] / r['seconds']:,.0f} tasks/s" if r.get("tasks") else (
                f"{r['megabytes']:.1f} MB, {r['megabytes'] / r['seconds']:.1f} MB/s" if r.get("megabytes") else ""))
        lines.append(f"| {label} | {r['seconds']:.2f} | {rate} | {r['peak_mib']:.0f} MiB | "
                     f"{TARGETS_10K.get(key, '')} |")
    lines += [
        "",
        f"- camket ingest vs (a) pandas loop: **{results['pandas']['seconds'] / ingest:.1f}× faster** "
        "(target ≥ 10×).",
        f"- camket ingest vs (b) unzip floor: **{ingest / results['floor']['seconds']:.1f}× the floor** "
        "(target within 3×).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    main()
