"""The warehouse built once per session by dbt, from the sample ingested into the session's PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def built(warehouse_settings, ingested):
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_PG_PORT": str(warehouse_settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    return subprocess.run([sys.executable, "-m", "cadre.cli", "dbt", "build"], env=env, capture_output=True, text=True)
