"""The warehouse built once per session, in a database of its own on the session's PostgreSQL: the sample
province ingested, then `cadre refresh` (dbt into the candidate, the gate, the publish, the report) pointed
at it through CADRE_WAREHOUSE_URL (the external-warehouse path). Other tests' files never mix into these
figures."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cadre import settings as settings_mod
from ingest.pipeline import ingest_paths
from tests.conftest import fresh_database


@pytest.fixture(scope="session")
def built_db(embedded_warehouse, warehouse_settings, sample_dir):
    url = fresh_database(embedded_warehouse, "cadre_built")
    key = settings_mod.pseudonym_key(warehouse_settings)  # the instance's key: the ingest computes the pseudonyms
    results = list(ingest_paths([sample_dir], url, key=key))
    assert all(r["status"] == "loaded" for r in results)
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_WAREHOUSE_URL": url}
    run = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "refresh", "--run-id", "built"], env=env, capture_output=True, text=True
    )
    return run, url


@pytest.fixture(scope="session")
def built(built_db):
    return built_db[0]


@pytest.fixture(scope="session")
def wh_url(built_db):
    return built_db[1]
