"""Benchmark: the whole country, from an empty warehouse to published reports, then one district's corrected
file to published reports again.

    .venv/bin/python bench/national.py [--sample DIR] [--workers N] [--skip-incremental]

Phases, each a real ``cadre`` process against the bench's own embedded warehouse (``.local/bench-national``,
emptied first): write the national sample (reused when ``DIR`` already holds one), ``cadre ingest`` of every
file, ``cadre refresh`` (dbt into the candidate, the gate, the publish, the report), then a corrected copy of
one district's workbook (one cell changed: a new delivery that supersedes the old) ingested and refreshed.
Printed: the time of each phase, the ingest's rows per second, the share of HR rows quarantined and why, and
the peak resident memory of every process seen (the ``cadre`` processes, dbt, PostgreSQL's), sampled from
/proc every 0.2 s. Last line: ``national: ingest <s> s, refresh <s> s, total <s> s, quarantined <pct> %,
incremental: <s> s``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CADRE = [sys.executable, "-m", "cadre.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PeakMemory:
    """Peak RSS per process name of a process tree and of the PostgreSQL serving ``data_dir``, sampled."""

    def __init__(self, data_dir: Path):
        self.data_dir = str(data_dir)
        self.peaks: Counter = Counter()
        self.root: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.sample()

    def sample(self) -> None:
        parents, names, rss, cmds = {}, {}, {}, {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/status") as handle:
                    status = dict(line.split(":", 1) for line in handle if ":" in line)
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    cmds[pid] = handle.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            parents[pid] = status.get("PPid", "").strip()
            names[pid] = status.get("Name", "").strip()
            rss[pid] = int(status.get("VmRSS", "0 kB").split()[0])  # kB
        # the phase's process and the bench's PostgreSQL (its postmaster names the data directory), with
        # every process under them
        roots = {pid for pid in rss if names[pid] == "postgres" and self.data_dir in cmds[pid]}
        if self.root is not None:
            roots.add(str(self.root))
        for pid in rss:
            p = pid
            while p and p != "0" and p not in roots:
                p = parents.get(p)
            if p in roots:
                label = _label(names[pid], cmds[pid])
                self.peaks[label] = max(self.peaks[label], rss[pid])


def _label(name: str, cmd: str) -> str:
    if "cadre.cli" in cmd:
        return "cadre " + cmd.split("cadre.cli", 1)[1].split()[0]
    if "/dbt " in cmd or cmd.rstrip().endswith("/dbt") or " dbt " in cmd:
        return "dbt"
    return name


def run(label: str, command: list[str], env: dict, memory: PeakMemory, ok=(0,)) -> tuple[float, list[str]]:
    """Run a phase; its JSON lines and its time. Fails the bench on an exit code not in ``ok``."""
    t = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory.root = process.pid
    out, err = process.communicate()
    elapsed = time.perf_counter() - t
    memory.root = None
    if process.returncode not in ok:
        raise SystemExit(f"{label} failed (exit {process.returncode}):\n{err[-4000:]}")
    print(f"{label}: {elapsed:,.1f} s", flush=True)
    return elapsed, [line for line in out.splitlines() if line.startswith("{")]


def refresh(label: str, run_id: str, env: dict, memory: PeakMemory) -> float:
    """A refresh counts only when it published (dbt, the gate, the publish and the report all ran)."""
    elapsed, lines = run(label, [*CADRE, "refresh", "--run-id", run_id], env, memory)
    result = json.loads(lines[-1]) if lines else {}
    if result.get("status") != "published":
        raise SystemExit(f"{label} did not publish: {lines[-1] if lines else 'no result'}")
    print("  steps: " + ", ".join(f"{step} {s:.1f} s" for step, s in result["seconds"].items()))
    return elapsed


def corrected_copy(sample: Path, into: Path) -> Path:
    """One district's workbook of another province with one cell changed (a corrected delivery)."""
    import openpyxl

    original = sorted(p for p in (sample / "hr").rglob("*.xlsx") if p.parent.name != p.parents[1].name)[-1]
    target = into / original.relative_to(sample)
    target.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.load_workbook(original)
    sheet = book.worksheets[0]
    sheet.cell(row=1, column=1).value = f"{sheet.cell(row=1, column=1).value or ''} "  # a title edited
    book.save(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path, default=ROOT / ".local" / "national" / "sample")
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="cadre ingest --workers")
    args = parser.parse_args()
    home = ROOT / ".local" / "bench-national"
    with empty_warehouse(home) as (env, wh):
        measure(args, env, home, wh)


@contextmanager
def empty_warehouse(home: Path):
    """An embedded warehouse of its own under ``home``, emptied first, on a free port; (env, warehouse)."""
    from cadre import settings as settings_mod
    from cadre.warehouse import warehouse

    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "CADRE_HOME": str(home), "CADRE_PG_PORT": os.environ.get("CADRE_PG_PORT") or str(free_port())}
    env.pop("CADRE_WAREHOUSE_URL", None)
    wh = warehouse(settings_mod.load(env))
    wh.start()
    try:
        yield env, wh
    finally:
        wh.stop()


def ingest(sample: Path, workers: int, env: dict, memory: PeakMemory) -> tuple[float, list[dict]]:
    """``cadre ingest`` of a whole sample: its time and the files' summaries."""
    command = [*CADRE, "ingest", str(sample), "--workers", str(workers)]
    # cadre ingest exits 1 when a file is rejected: counted, not fatal
    seconds, lines = run(f"ingest ({workers} processes)", command, env, memory, ok=(0, 1))
    return seconds, [json.loads(line) for line in lines]


def rows_of(results: list[dict], kind: str | None = None) -> tuple[int, int]:
    """(rows read, rows quarantined) of the files of ``kind`` (all when None)."""
    chosen = [r for r in results if kind is None or r.get("kind") == kind]
    quarantined = sum(r.get("rows_quarantined") or 0 for r in chosen)
    return sum(r.get("rows_loaded") or 0 for r in chosen) + quarantined, quarantined


def measure(args, env: dict, home: Path, wh) -> None:
    times: dict[str, float] = {}
    with PeakMemory(home) as memory:
        if not (args.sample / "truth" / "manifest.csv").exists():
            command = [*CADRE, "sample", "--out", str(args.sample), "--scale", "national"]
            times["sample"], _ = run("sample", command, env, memory)
        times["ingest"], results = ingest(args.sample, args.workers, env, memory)
        rows, _ = rows_of(results)
        hr_rows, hr_quarantined = rows_of(results, "hr")
        statuses = Counter(r.get("status") for r in results)
        rejected = Counter(r.get("reason_code") for r in results if r.get("status") == "rejected")
        print(f"  files: {dict(statuses)}; rejected by reason: {dict(rejected)}")
        print(f"  rows: {rows:,} ({rows / times['ingest']:,.0f} rows/s on {os.cpu_count()} cores)")
        share = 100.0 * hr_quarantined / max(hr_rows, 1)
        print(f"  HR rows quarantined: {hr_quarantined:,} of {hr_rows:,} ({share:.2f} %)")
        times["refresh"] = refresh("refresh", "national", env, memory)
        incremental = None
        if not args.skip_incremental:
            fix = corrected_copy(args.sample, home / "corrected")
            t_ingest, lines = run("incremental ingest (one district)", [*CADRE, "ingest", str(fix)], env, memory)
            print(f"  {[json.loads(line).get('status') for line in lines]}")
            t_refresh = refresh("incremental refresh", "corrected", env, memory)
            incremental = t_ingest + t_refresh
    import psycopg

    with psycopg.connect(wh.url(), autocommit=True) as conn:
        reasons = conn.execute(
            "select reason, count(*) from quarantine.rows, unnest(reasons) as reason group by 1 order by 2 desc"
        ).fetchall()
    print(f"  quarantine by reason: {dict(reasons)}")
    print("  peak RSS: " + ", ".join(f"{name} {kb / 1024:,.0f} MiB" for name, kb in memory.peaks.most_common()))
    total = times["ingest"] + times["refresh"]
    inc = f"{incremental:.1f}" if incremental is not None else "n/a"
    print(
        f"national: ingest {times['ingest']:.1f} s, refresh {times['refresh']:.1f} s, total {total:.1f} s, "
        f"quarantined {share:.2f} %, incremental: {inc} s"
    )


if __name__ == "__main__":
    main()
