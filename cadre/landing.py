"""The landing folder the districts and the training school deliver into, as the ingest DAG sees it.

``$CADRE_HOME/landing/{hr,courses,surveys}/``: one source per folder, one Airflow Asset per raw table it
feeds. New files are those whose bytes the ledger has not seen (loaded, superseded or rejected): a re-run
maps nothing and changes nothing; a rejected file is reported once and waits for a corrected delivery.
The ingest machinery is imported inside the functions: DAG files import this module when they are parsed,
and parsing must stay cheap.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg

from cadre.settings import Settings

SOURCES: dict[str, tuple[str, ...]] = {
    "hr": ("hr_rows",),
    "courses": ("course_classes", "roster_rows"),
    "surveys": ("survey_responses",),
}


def asset_uri(settings: Settings, table: str) -> str:
    """``postgres://host:port/database/raw/table`` — a URI Airflow's asset validation accepts. Computed
    from settings alone (no I/O): DAG files call it at parse time."""
    import os
    from urllib.parse import urlparse

    known = settings.external_url or os.environ.get("CADRE_LOADER_URL")  # Airflow's processes get the loader's
    if known:
        parts = urlparse(known)
        host, port, database = parts.hostname, parts.port or 5432, parts.path.lstrip("/")
    else:
        host, port, database = "127.0.0.1", settings.port, "cadre"
    return f"postgres://{host}:{port}/{database}/raw/{table}"


def assets(settings: Settings) -> dict[str, list]:
    """The Airflow Assets each landing source updates: one per raw table (no I/O; DAG files call it)."""
    from airflow.sdk import Asset

    return {
        source: [Asset(name=f"raw.{t}", uri=asset_uri(settings, t)) for t in tables]
        for source, tables in SOURCES.items()
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


MAX_TASKS = 128  # mapped ingest tasks per source and run at most: beyond, a task ingests several files


def batches(paths: list[str], max_tasks: int = MAX_TASKS) -> list[list[str]]:
    """``paths`` in at most ``max_tasks`` consecutive groups (a file per task while they fit): a national
    delivery (~700 HR workbooks) is ~120 tasks of six files, not ~700 task start-ups; a province's (52 HR
    workbooks, 74 course files) stays one file per task."""
    size = max(1, -(-len(paths) // max_tasks))
    return [paths[i : i + size] for i in range(0, len(paths), size)]


MAX_ATTEMPTS = 3  # a file refused for an internal reason (not its content) is tried again, this many times in all


def new_files(settings: Settings, url: str, source: str) -> list[str]:
    """Files of one landing source whose bytes the ledger has not seen (or saw fail for an internal reason
    fewer than ``MAX_ATTEMPTS`` times), sorted."""
    from ingest import db
    from ingest.pipeline import discover

    folder = settings.landing / source
    if not folder.exists():
        return []
    db.ensure_schema(url)
    db.use_pseudonym_key(url)  # refuses a changed key before any file is mapped
    with psycopg.connect(url) as conn:
        seen = {
            r[0]
            for r in conn.execute(
                "select distinct sha256 from raw.ingest_batches where not (status = 'rejected' "
                "and reject_code = 'internal_error' and attempts < %s)",
                (MAX_ATTEMPTS,),
            )
        }
    return [str(p) for p in discover([folder]) if _sha256(p) not in seen]


def replay_due(url: str) -> bool:
    """Batches in use were read with another vocabulary than today's (``ingest/vocabulary.yaml`` changed)."""
    from ingest import db
    from ingest import vocabulary as vocab

    db.ensure_schema(url)
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select exists (select from raw.ingest_batches where status = 'loaded' and vocabulary is distinct from %s)",
            (vocab.version(),),
        ).fetchone()[0]


def replay(url: str) -> list[dict]:
    """Re-read quarantined rows and unknown levels of those batches with today's vocabulary."""
    from ingest import review

    return review.replay(url)


class BadFile(Exception):
    """A delivery that cannot be loaded as it is: retrying will not help; a corrected file will."""


def ingest(path: str, url: str) -> dict:
    """Ingest one delivered file; raise ``BadFile`` (naming file and reason) when it is rejected."""
    return ingest_all([path], url)[0]


def ingest_all(paths: list[str], url: str) -> list[dict]:
    """Ingest a task's files, each in its own transaction, their batch checks run together
    (``ingest_files``); every good file loads even when another of the group is bad, then ``BadFile``
    names every bad one."""
    from ingest.pipeline import ingest_files

    results = list(ingest_files([Path(p) for p in paths], url))
    bad = [f"{r['file']}: rejected ({r['reason_code']}): {r['reason']}" for r in results if r["status"] == "rejected"]
    if bad:
        raise BadFile("; ".join(bad))
    return results
