"""The main job behind ``make demo``: start the warehouse, write the sample province into the landing folder,
then let Airflow ingest it and refresh (write-audit-publish) the warehouse and its reports, and say where
they are. Re-running it changes nothing and says so."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import Counter
from datetime import date
from pathlib import Path

import psycopg

from cadre.settings import Settings
from cadre.warehouse import redact, warehouse

ANCHOR = date(2020, 12, 30)  # the workshop report's reporting date


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
    return run_airflow(settings, wh.url())


def _log(settings: Settings, name: str, process) -> Path:
    path = settings.airflow_home / "demo-logs" / f"{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(process.stdout + process.stderr, encoding="utf-8")
    return path


def run_airflow(settings: Settings, url: str) -> int:
    """The ingest DAG, then the refresh DAG, executed by Airflow (``airflow dags test``: local metadata
    database, tasks in this machine's process); then where the reports are and the headline figures."""
    from cadre import orchestration
    from cadre import publish as wap
    from ingest import db

    db.ensure_schema(url)
    wap.ensure(url)
    with psycopg.connect(url) as conn:
        before = conn.execute("select coalesce(max(batch_id), 0) from raw.ingest_batches").fetchone()[0]
    previous = wap.last(url)
    ingest = orchestration.airflow(settings, url, ["dags", "test", "ingest_landing"], capture=True)
    print(
        f"airflow    ingest_landing: {'success' if ingest.returncode == 0 else 'FAILED'} "
        f"(log {_log(settings, 'ingest_landing', ingest)})"
    )
    ingest_ok = print_ledger(url, before)
    started = time.time()
    refresh = orchestration.airflow(settings, url, ["dags", "test", "warehouse_refresh"], capture=True)
    log = _log(settings, "warehouse_refresh", refresh)
    print(f"airflow    warehouse_refresh: {'success' if refresh.returncode == 0 else 'FAILED'} (log {log})")
    if refresh.returncode != 0:
        print("           not published; the previous publish and reports stay. Why:")
        for line in _failure(settings, started, refresh.stdout + refresh.stderr):
            print(f"           {line}")
        return 1
    latest = wap.last(url)
    if latest is None:
        print("           nothing published yet: no batch passed its checks")
        return 1
    if previous is not None and latest.publish_id == previous.publish_id:
        print(
            f"           up to date: publish #{latest.publish_id} (run {latest.run_id}) was built from the same "
            f"{len(latest.input_batches)} batches; nothing to do"
        )
    else:
        print(
            f"           published #{latest.publish_id} (run {latest.run_id}) from {len(latest.input_batches)} batches"
        )
    print_outputs(settings, url)
    return 0 if ingest_ok and ingest.returncode == 0 else 1


def _failure(settings: Settings, since: float, log: str) -> list[str]:
    """Why the refresh failed: the quality gate's summary when the gate ran in this run, else the
    failing task's error lines from the Airflow log."""
    from cadre.refresh import gate_summary_path

    summary = gate_summary_path(settings)
    if summary.exists() and summary.stat().st_mtime >= since:
        return summary.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in log.splitlines() if "cadre: task failed" in line][:5]


def print_ledger(url: str, after_batch_id: int) -> bool:
    """What the ingest run did, from the ledger: files by status, rows, checks, rejections."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select file_name, status, coalesce(rows_loaded, 0), coalesce(rows_quarantined, 0), "
            "coalesce(rows_skipped, 0), checks, error from raw.ingest_batches where batch_id > %s order by batch_id",
            (after_batch_id,),
        ).fetchall()
    if not rows:
        print("           nothing new: every file in the landing folder was already ingested (same bytes)")
        return True
    statuses = Counter(r[1] for r in rows)
    checks = Counter(r[5] for r in rows if r[5])
    print(f"ingest     {len(rows)} files: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    print(
        f"           {sum(r[2] for r in rows)} rows loaded, {sum(r[3] for r in rows)} quarantined "
        f"(see quarantine.rows), {sum(r[4] for r in rows)} blank/total rows skipped; checks: "
        + ", ".join(f"{n} {c}" for c, n in sorted(checks.items()))
    )
    for name, status, *_rest, error in rows:
        if status == "rejected":
            print(f"           rejected {name}: {error}")
    return "rejected" not in statuses


def print_outputs(settings: Settings, url: str) -> None:
    report = settings.reports_dir / "latest"
    docs = settings.data_docs
    print(f"reports    {report / 'bao_cao.html'}")
    print(f"           {report / 'bao_cao.xlsx'}")
    print(f"data docs  {docs}")
    with psycopg.connect(url) as conn:
        figures = dict(
            conn.execute(
                "select indicator_code, headcount::text || ' (' || share_pct || ' %%)' "
                "from reporting.rpt_qualification_structure where scope = 'province' and reporting_date = %s",
                (ANCHOR,),
            ).fetchall()
        )
        audit = conn.execute(
            "select count(*) from reporting.rpt_published_figures_audit where finding <> 'consistent'"
        ).fetchone()[0]
        coverage = conn.execute(
            "select participations, people from reporting.rpt_training_coverage where category_code = 'TOTAL'"
        ).fetchone()
    print(
        f"published  on {ANCHOR}: cadres {figures.get('cadre_headcount')}, university or higher "
        f"{figures.get('prof_university_or_higher')}, LLCT intermediate {figures.get('llct_intermediate')}, "
        f"state management {figures.get('qlnn_specialist_or_principal')}"
    )
    if coverage:
        print(
            f"           2016-2020 participations: {coverage[0]} by {coverage[1]} people; "
            f"printed figures flagged by the audit: {audit}"
        )
