"""The main job behind ``make demo``: start the warehouse, write the sample province into the landing folder,
say what is there. Re-running it changes nothing and says so."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from cadre.settings import Settings
from cadre.warehouse import redact, warehouse


def _generator_fingerprint(seed: int, scale: str) -> str:
    """Changes when the generator's code, the reference data or the arguments change."""
    here = Path(__file__).parent
    h = hashlib.sha256(f"{seed}:{scale}".encode())
    for path in sorted([*(here / "sample").glob("*.py"), *(here.parent / "dbt_project/seeds/reference").glob("*.csv")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def write_sample(landing: Path, seed: int, scale: str = "province") -> tuple[dict, bool]:
    """Write the sample into ``landing`` unless the same sample is already there; (summary, written)."""
    from cadre.sample import generate

    stamp = landing / ".sample.json"
    fingerprint = _generator_fingerprint(seed, scale)
    if stamp.exists():
        previous = json.loads(stamp.read_text())
        if previous.get("fingerprint") == fingerprint and _intact(landing):
            return previous["summary"], False
    staging = landing.with_name(landing.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    summary = generate(staging, seed=seed, scale=scale)
    summary["out"] = str(landing)
    (staging / ".sample.json").write_text(
        json.dumps({"fingerprint": fingerprint, "summary": summary}, ensure_ascii=False, indent=1)
    )
    # Swap in whole: a reader of the landing folder never sees half a sample.
    old = landing.with_name(landing.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if landing.exists():
        landing.rename(old)
    staging.rename(landing)
    shutil.rmtree(old, ignore_errors=True)
    return summary, True


def _intact(landing: Path) -> bool:
    import csv

    manifest = landing / "truth" / "manifest.csv"
    if not manifest.exists():
        return False
    with open(manifest, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            path = landing / row["file"]
            if not path.exists() or path.stat().st_size != int(row["bytes"]):
                return False
    return True


def run(settings: Settings, seed: int = 2022) -> int:
    wh = warehouse(settings)
    status = wh.start()
    print(f"warehouse  {status.mode}, running={status.running}, {redact(status.url)}")
    summary, written = write_sample(settings.landing, seed)
    verb = "wrote" if written else "unchanged (same generator, same seed):"
    print(f"landing    {verb} {settings.landing}")
    for kind, n in sorted(summary["files"].items()):
        print(f"           {kind:<8} {n:>4} files")
    rows = summary["hr_rows"]
    print(
        f"hr rows    {rows.get('loaded', 0)} to load, {rows.get('quarantined', 0)} to quarantine, "
        f"{rows.get('skipped', 0)} blank/total rows"
    )
    figures = summary["figures"]
    print(f"truth      {settings.landing / 'truth'}")
    print(
        f"           cadres on 2020-12-30: {figures.get('cadre_headcount')}, "
        f"university+: {figures.get('prof_university_or_higher')}, "
        f"LLCT intermediate: {figures.get('llct_intermediate')}, "
        f"2016-2020 participations: {figures.get('participations_2016_2020_total')}"
    )
    bad = summary.get("inconsistent_printed_figures", [])
    print(f"           printed figures that do not hold: {', '.join(bad) if bad else 'none'}")
    return ingest_landing(settings, status.url)


def ingest_landing(settings: Settings, url: str) -> int:
    """Ingest what the landing folder holds; a second run finds only duplicates and says so."""
    from collections import Counter

    from ingest.pipeline import ingest_paths

    folders = [settings.landing / kind for kind in ("hr", "courses", "surveys") if (settings.landing / kind).exists()]
    results = list(ingest_paths(folders, url))
    statuses = Counter(r["status"] for r in results)
    rows = Counter()
    for r in results:
        rows.update({k: r.get(k, 0) for k in ("rows_loaded", "rows_quarantined", "rows_skipped")})
    checks = Counter(r["checks"] for r in results if r.get("checks"))
    print(f"ingest     {len(results)} files: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    if statuses.get("duplicate") == len(results):
        print("           nothing new: every file was already loaded (same bytes)")
    else:
        print(
            f"           {rows['rows_loaded']} rows loaded, {rows['rows_quarantined']} quarantined "
            f"(see quarantine.rows), {rows['rows_skipped']} blank/total rows skipped; checks: "
            + ", ".join(f"{n} {c}" for c, n in sorted(checks.items()))
        )
    for r in results:
        if r["status"] == "rejected":
            print(f"           rejected {r['file']}: {r['reason']}")
    return 0 if all(r["status"] in ("loaded", "duplicate", "superseded") for r in results) else 1
