"""The sample province ingested once per session into the session's real PostgreSQL."""

from __future__ import annotations

import csv

import psycopg
import pytest

from ingest.pipeline import ingest_paths


@pytest.fixture(scope="session")
def url(embedded_warehouse) -> str:
    from ingest import db

    db.ensure_schema(embedded_warehouse.url())
    return embedded_warehouse.url()


@pytest.fixture(scope="session")
def ingested(sample_dir, url) -> dict[str, dict]:
    """file (relative to the sample) -> its JSON summary."""
    results = list(ingest_paths([sample_dir], url))
    return {str(r["file"]).removeprefix(str(sample_dir) + "/"): r for r in results}


@pytest.fixture(scope="session")
def truth(sample_dir):
    def read(name: str) -> list[dict]:
        with open(sample_dir / "truth" / name, encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    return read


def query(url: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()
