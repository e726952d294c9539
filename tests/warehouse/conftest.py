"""The warehouse built once per session by dbt, in a database of its own on the session's PostgreSQL:
the sample province ingested, then `cadre dbt build` pointed at it through CADRE_WAREHOUSE_URL (the
external-warehouse path). Other tests' files never mix into these figures."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from ingest.pipeline import ingest_paths


@pytest.fixture(scope="session")
def built_db(embedded_warehouse, warehouse_settings, sample_dir):
    admin = embedded_warehouse.url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("drop database if exists cadre_built with (force)")
        conn.execute("create database cadre_built")
    url = admin.rsplit("/", 1)[0] + "/cadre_built"
    results = list(ingest_paths([sample_dir], url))
    assert all(r["status"] == "loaded" for r in results)
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_WAREHOUSE_URL": url}
    run = subprocess.run([sys.executable, "-m", "cadre.cli", "dbt", "build"], env=env, capture_output=True, text=True)
    return run, url


@pytest.fixture(scope="session")
def built(built_db):
    return built_db[0]


@pytest.fixture(scope="session")
def wh_url(built_db):
    return built_db[1]
