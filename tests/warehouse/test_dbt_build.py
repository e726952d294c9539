"""dbt builds the warehouse from what ingest loaded: seeds, staging, and their data tests all pass."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cadre.reference import CADRE_TITLES
from tests.conftest import query


@pytest.fixture(scope="module")
def built(warehouse_settings, ingested):
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_PG_PORT": str(warehouse_settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    run = subprocess.run([sys.executable, "-m", "cadre.cli", "dbt", "build"], env=env, capture_output=True, text=True)
    return run


def test_dbt_build_passes(built):
    assert built.returncode == 0, built.stdout[-3000:]
    assert "Completed successfully" in built.stdout


def test_seeds_keep_codes_as_text(built, url):
    codes = query(url, "select commune_code from reference.qn_communes_2020 where commune_name = 'Phường Hà Khánh'")
    assert codes == [("06649",)]


def test_staging_sees_the_reports_headcount(built, url, sample_dir):
    n = query(
        url,
        "select count(*) from staging.stg_raw__hr_rows h join staging.stg_raw__ingest_batches b using (batch_id) "
        "where b.reporting_date = '2020-12-30' and h.title_code = any(%s) and b.file_name = any(%s)",
        (list(CADRE_TITLES), [p.name for p in (sample_dir / "hr" / "2020-12-30").glob("*.xlsx")]),
    )
    assert n == [(1714,)]
