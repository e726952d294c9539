"""What the ingest DAG's tasks do with the landing folder: only new bytes are mapped, a bad file fails its
own task with a reason, and a second pass maps nothing."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from cadre import landing
from cadre import settings as settings_mod


def test_new_files_then_nothing_and_a_bad_file_fails_alone(sample_dir, loader, tmp_path):
    """As the DAG's tasks run: logged in as the loader, which writes raw and quarantine and runs no DDL."""
    settings = settings_mod.load({"CADRE_HOME": str(tmp_path)})
    hr = settings.landing / "hr" / "2020-12-30"
    hr.mkdir(parents=True)
    good = next((sample_dir / "hr" / "2020-12-30").glob("207_*.xlsx"))
    shutil.copy(good, hr / good.name)
    (hr / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    found = landing.new_files(settings, loader, "hr")
    assert [p.rsplit("/", 1)[-1] for p in found] == ["207_co_to_2020-12-30.xlsx", "broken.xlsx"]
    assert landing.new_files(settings, loader, "surveys") == []  # no such folder yet

    result = landing.ingest(found[0], loader)
    assert result["status"] == "loaded"
    with pytest.raises(landing.BadFile, match=r"broken\.xlsx: rejected \(\w+\)"):
        landing.ingest(found[1], loader)
    # both are on the ledger now: a re-run maps nothing (the rejected file waits for a corrected delivery)
    assert landing.new_files(settings, loader, "hr") == []


def test_asset_uris_come_from_settings_alone():
    embedded = settings_mod.load({"CADRE_HOME": "/x", "CADRE_PG_PORT": "5555"})
    assert landing.asset_uri(embedded, "hr_rows") == "postgres://127.0.0.1:5555/cadre/raw/hr_rows"
    external = settings_mod.load({"CADRE_WAREHOUSE_URL": "postgresql://u:p@db.internal/wh"})
    assert landing.asset_uri(external, "roster_rows") == "postgres://db.internal:5432/wh/raw/roster_rows"


def test_a_national_delivery_is_grouped_into_few_tasks_and_a_province_stays_one_file_per_task():
    files = [f"hr/2021-12-31/p{i:04d}.xlsx" for i in range(691)]
    groups = landing.batches(files)
    assert len(groups) <= landing.MAX_TASKS
    assert [f for g in groups for f in g] == files  # every file once, in order
    province = files[:20]
    assert landing.batches(province) == [[f] for f in province]
    assert landing.batches([]) == []


def test_a_group_loads_its_good_files_and_names_its_bad_one(sample_dir, loader, tmp_path):
    good = next((sample_dir / "hr" / "2021-12-31").glob("207_*.xlsx"))
    shutil.copy(good, tmp_path / good.name)
    (tmp_path / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    paths = [str(tmp_path / "hong.xlsx"), str(tmp_path / good.name)]
    with pytest.raises(landing.BadFile, match=r"hong\.xlsx: rejected") as bad:
        landing.ingest_all(paths, loader)
    assert good.name not in str(bad.value)
    with psycopg.connect(loader) as conn:
        [(status,)] = conn.execute(
            "select status from raw.ingest_batches where file_name = %s order by batch_id desc limit 1", (good.name,)
        ).fetchall()
    assert status == "loaded"
