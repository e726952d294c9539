"""Benchmark: a 100k-row, 20-column district HR workbook end to end through ``cadre ingest``'s code path,
against the naive pipeline (pandas ``read_excel`` with openpyxl + ``DataFrame.to_sql``) on the same file,
in the same process, into the same PostgreSQL.

    .venv/bin/python bench/ingest.py [--rows 100000] [--repeat 3] [--skip-baseline]

Both pipelines first ingest a small workbook (imports, reference data and connections warm, as for every
file after the first of a run); ours then runs ``--repeat`` times on an empty raw layer (the median counts)
and its very first, cold run is printed too. Last line: ``ingest: <N> rows/s, baseline: <M> rows/s, ratio: <R>``.
Runs its own embedded warehouse under .local/bench (or CADRE_WAREHOUSE_URL).
"""

from __future__ import annotations

import argparse
import resource
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs of ours (the median counts)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()

    import os

    from cadre import settings as settings_mod
    from cadre.sample.big import hr_frame, write_xlsx
    from cadre.warehouse import warehouse

    home = ROOT / ".local" / "bench"
    settings = settings_mod.load(
        {**os.environ, "CADRE_HOME": str(home), "CADRE_PG_PORT": os.environ.get("CADRE_PG_PORT") or str(free_port())}
    )
    wh = warehouse(settings)
    url = wh.start().url

    path = home / f"hr_{args.rows}.xlsx"
    warmup = home / "hr_warmup.xlsx"  # a small workbook of the same layout, another district's date
    for file, rows, when in ((path, args.rows, "30/12/2020"), (warmup, 1_000, "30/06/2021")):
        if not file.exists():
            t = time.perf_counter()
            write_xlsx(hr_frame(rows, seed=7 if file == warmup else 1), file, when=when)
            print(f"wrote {file.name} ({file.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - t:.1f} s")

    import psycopg

    from ingest import db
    from ingest.pipeline import ingest_file

    def ours() -> float:
        with psycopg.connect(url, autocommit=True) as conn:  # the bench's own warehouse: start from empty tables
            conn.execute("drop schema if exists raw cascade; drop schema if exists quarantine cascade")
        db.ensure_schema(url)
        t = time.perf_counter()
        result = ingest_file(path, url)
        elapsed = time.perf_counter() - t
        if result["status"] != "loaded" or result["rows_loaded"] != args.rows:
            raise SystemExit(f"the benchmark file did not load whole: {result}")
        return elapsed

    # The first file in a fresh process also pays imports and reference loading; every later file of a
    # run (a folder, an Airflow worker) does not. Both are printed; the ratio compares warm against warm.
    cold = ours()
    print(f"cadre ingest, first file in a fresh process: {cold:.2f} s ({args.rows / cold:,.0f} rows/s)")
    ingest_file(warmup, url)
    runs = sorted(ours() for _ in range(args.repeat))
    warm = runs[len(runs) // 2]
    rate = args.rows / warm
    print(
        f"cadre ingest, warm: {args.rows:,} rows in {warm:.2f} s (median of {', '.join(f'{r:.2f}' for r in runs)}; "
        f"{rate:,.0f} rows/s); peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
    )

    if args.skip_baseline:
        print(f"ingest: {rate:.0f} rows/s, baseline: n/a rows/s, ratio: n/a")
        return
    import pandas as pd
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))

    def baseline(file: Path) -> tuple[float, float, int]:
        t = time.perf_counter()
        frame = pd.read_excel(file, engine="openpyxl", header=4)
        read = time.perf_counter() - t
        frame.to_sql("baseline_hr", engine, schema="public", if_exists="replace", index=False)  # defaults: naive
        return time.perf_counter() - t, read, len(frame)

    baseline(warmup)  # the same warm-up as ours
    base, read, rows = baseline(path)
    assert rows == args.rows
    base_rate = args.rows / base
    print(f"baseline pandas(openpyxl)+to_sql: {args.rows:,} rows in {base:.2f} s (read {read:.2f} s)")
    print(f"ingest: {rate:.0f} rows/s, baseline: {base_rate:.0f} rows/s, ratio: {rate / base_rate:.1f}")


if __name__ == "__main__":
    main()
