"""Benchmark: does the cost per row stay flat as the data grows? The national sample's machinery at 1, 4 and
16 provinces (Quảng Ninh alone, then with the next provinces in GSO order), each from an empty warehouse:
``cadre ingest --workers N`` of everything, then ``cadre refresh`` (dbt, gate, publish, report).

    .venv/bin/python bench/scale.py [--sizes 1 4 16] [--workers N]

Samples are written once under ``.local/scale/`` and reused. Printed per size: files, rows read, the ingest's
and the refresh's seconds and microseconds per row, and each against the smallest size (1.0 = flat; below 1:
fixed costs spread over more rows). The last line: ``scale: <size>x ingest <us>/row, refresh <us>/row; ...``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national import PeakMemory, empty_warehouse, ingest, refresh, rows_of  # noqa: E402


def sample(size: int) -> Path:
    """Quảng Ninh and the next ``size - 1`` provinces in GSO order, written once."""
    from cadre import reference
    from cadre.sample import national

    out = ROOT / ".local" / "scale" / f"x{size}"
    if not (out / "truth" / "manifest.csv").exists():
        home = reference.project_var("province")["code"]
        others = [p["province_code"] for p in reference.rows("vn_provinces_pre2025_07") if p["province_code"] != home]
        national.generate(out, seed=2022, provinces=tuple(sorted(others)[: size - 1]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()
    figures = []
    for size in args.sizes:
        data = sample(size)
        home = ROOT / ".local" / "bench-scale"
        print(f"{size}x a province ({data})", flush=True)
        with empty_warehouse(home) as (env, _), PeakMemory(home) as memory:
            t_ingest, results = ingest(data, args.workers, env, memory)
            t_refresh = refresh("refresh", f"scale-{size}", env, memory)
        rows, _ = rows_of(results)
        figures.append((size, len(results), rows, t_ingest, t_refresh))
    base = figures[0]
    print(f"\n| size | files | rows | ingest | µs/row | vs {base[0]}x | refresh | µs/row | vs {base[0]}x |")
    print("|---|---|---|---|---|---|---|---|---|")
    line = []
    for size, files, rows, t_ingest, t_refresh in figures:
        per_ingest, per_refresh = 1e6 * t_ingest / rows, 1e6 * t_refresh / rows
        ratio_ingest = per_ingest / (1e6 * base[3] / base[2])
        ratio_refresh = per_refresh / (1e6 * base[4] / base[2])
        print(
            f"| {size}x | {files:,} | {rows:,} | {t_ingest:,.1f} s | {per_ingest:,.0f} | {ratio_ingest:.2f} "
            f"| {t_refresh:,.1f} s | {per_refresh:,.0f} | {ratio_refresh:.2f} |"
        )
        line.append(f"{size}x ingest {per_ingest:,.0f}/row, refresh {per_refresh:,.0f}/row")
    print("scale: " + "; ".join(line) + " (µs)")


if __name__ == "__main__":
    main()
